"""The cache folder: what is built from the shipped data and models (the gazetteer, CRF
tables, the entity tagger's lexicon) is kept there between runs, each file named by a digest
of what it is built from."""

import os
from pathlib import Path

# Cache files kept of each kind: the newest, for the few checkouts or models in use.
CACHE_FILES_KEPT = 4


def prune_cache(pattern: str, kept: int = CACHE_FILES_KEPT) -> None:
    """Remove all but the ``kept`` newest cache files matching ``pattern``: each change of
    the sources leaves a file behind."""
    files = sorted(cache_folder().glob(pattern), key=lambda f: f.stat().st_mtime, reverse=True)
    for stale in files[kept:]:
        stale.unlink(missing_ok=True)


def cache_folder() -> Path:
    """Where what is built from the shipped data is kept between runs: ``$MARSAD_CACHE``, or
    ``marsad`` in the user's cache folder."""
    folder = os.environ.get("MARSAD_CACHE") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "marsad"
    )
    return Path(folder)
