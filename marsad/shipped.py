"""Where the package keeps what it ships: curated lists (``data/``) and trained models
(``models/``). Modules in any stage name their files from here."""

from pathlib import Path

DATA = Path(__file__).parent / "data"
MODELS = Path(__file__).parent / "models"
