"""Where the package keeps what it ships: curated lists (``data/``) and trained models
(``models/``). Modules in any stage name their files from here."""

import csv
from pathlib import Path

DATA = Path(__file__).parent / "data"
MODELS = Path(__file__).parent / "models"


def shipped_rows(path: Path, *columns: str) -> list[list[str]]:
    """The rows of a shipped list whose header is ``columns``, as lists: a list whose columns
    moved fails here, not as wrong fields (and under half the time of ``csv.DictReader``: the
    name lists load at the first text a tagging process reads)."""
    with path.open(encoding="utf-8", newline="") as lines:
        rows = csv.reader(lines)
        header = next(rows, None)
        if header != list(columns):
            raise ValueError(f"{path}: header {header}, expected {list(columns)}")
        return list(rows)
