"""Shared fixtures: real third-party data from ../shared, synthetic pages, built warehouses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from marsad.synthetic import broken_pages, generate, write_pages

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))
SEED_PAGE = SHARED / "seeds" / "000_1fc044aca069b789.txt"

# Pipeline runs in tests use the models shipped in the repository, not ones a developer
# trained into data/models.
os.environ["MARSAD_MODELS"] = str(REPO / "tests" / "no-trained-models")


def shared_file(path: Path) -> Path:
    """A file from ../shared: skipped where absent, but a failure under CI."""
    if not path.exists():
        message = f"shared data not found at {path} (set MARSAD_SHARED to the shared folder)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def seed_page() -> Path:
    return shared_file(SEED_PAGE)


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    """60 synthetic pages, 3 re-crawls and the broken pages, in a temporary folder."""
    folder = tmp_path / "raw"
    write_pages(generate(60, seed=11, duplicates=3) + broken_pages(), folder)
    return folder


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built by the real pipeline from 120 synthetic pages (once per session)."""
    from marsad.cli import main

    root = tmp_path_factory.mktemp("built")
    write_pages(generate(120, seed=5, duplicates=4) + broken_pages(), root / "raw")
    warehouse = root / "warehouse.duckdb"
    assert main(["run", "--raw", str(root / "raw"), "--warehouse", str(warehouse)]) == 0
    return warehouse


@pytest.fixture(scope="session")
def deliveries(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two deliveries of different pages: ``a`` (with re-crawls and broken pages), ``b``."""
    root = tmp_path_factory.mktemp("deliveries")
    write_pages(generate(30, seed=21, duplicates=2) + broken_pages(), root / "a")
    write_pages(generate(25, seed=22, duplicates=2), root / "b")
    for page in (root / "b").iterdir():  # the generator names pages alike: keep paths apart
        page.rename(page.with_name("b_" + page.name))
    return root
