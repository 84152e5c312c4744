"""The cache folder: what is built from the shipped data and models (the gazetteer, the name
lists' tables, CRF tables, the entity tagger's lexicon) is kept there between runs, each file
named by a digest of what it is built from."""

import contextlib
import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import TypeVar

# Cache files kept of each kind: the newest, for the few checkouts or models in use.
CACHE_FILES_KEPT = 4

Built = TypeVar("Built")


def prune_cache(pattern: str, kept: int = CACHE_FILES_KEPT) -> None:
    """Remove all but the ``kept`` newest cache files matching ``pattern`` (written or, for
    ``pickled``, read last): each change of the sources leaves a file behind."""
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


def pickled(
    kind: str,
    sources: Iterable[Path],
    build: Callable[[], Built],
    salt: str = "",
    kept: int = CACHE_FILES_KEPT,
) -> Built:
    """What ``build`` returns, read from the cache file of ``kind`` named by the contents of
    ``sources`` (the data and the code that builds it) and ``salt`` when they are unchanged;
    else built and written there. A damaged file is built again, a read-only cache folder
    only costs the next process the build. The objects must pickle by module and class names,
    which ``sources`` must therefore cover. The ``kept`` files of the kind last used stay."""
    digest = hashlib.sha256(salt.encode())
    for source in sources:
        stat = source.stat()
        digest.update(_contents_digest(source, stat.st_size, stat.st_mtime_ns))
    path = cache_folder() / f"{kind}-{digest.hexdigest()[:16]}.pickle"
    unreadable = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError)
    with contextlib.suppress(*unreadable), path.open("rb") as cached:
        found = pickle.load(cached)
        # Used now: files of other models or checkouts written since do not push it out.
        with contextlib.suppress(OSError):
            os.utime(path)
        return found
    built = build()
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as out:
            pickle.dump(built, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        prune_cache(f"{kind}-*.pickle", kept)
    return built


@cache
def _contents_digest(path: Path, size: int, mtime_ns: int) -> bytes:
    """A file's SHA-256, read again only when its size or modification time changes: the
    tables of one start share their code files."""
    return hashlib.sha256(path.read_bytes()).digest()
