"""Runs add to the warehouse: a second delivery is added to what the first staged, a delivery
seen before is a no-op, a rebuild from the stage gives the same tables, and a run killed while
annotating, assembling or publishing is completed by the next one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from marsad.cli import main
from marsad.synthetic import generate, write_pages
from marsad.warehouse.schema import TABLES
from marsad.warehouse.stage import Stage, content_fingerprint, group_into_batches

REPO = Path(__file__).resolve().parents[1]


def _tables(warehouse: Path) -> dict[str, list]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in TABLES}


def _count(warehouse: Path, sql: str) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()[0][0]


@pytest.fixture(scope="module")
def built_at_once(deliveries: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("once") / "w.duckdb"
    assert main(["run", "--raw", str(deliveries), "--warehouse", str(warehouse)]) == 0
    return warehouse


def test_a_second_run_adds_and_equals_one_run_over_both(
    deliveries: Path, built_at_once: Path, tmp_path: Path
):
    warehouse = tmp_path / "w.duckdb"
    assert main(["run", "--raw", str(deliveries / "a"), "--warehouse", str(warehouse)]) == 0
    first = _count(warehouse, "SELECT count(*) FROM pages")
    assert main(["run", "--raw", str(deliveries / "b"), "--warehouse", str(warehouse)]) == 0
    pages = _count(warehouse, "SELECT count(*) FROM pages")
    assert pages == first + 25 + 2  # nothing of the first run is lost
    assert _tables(warehouse) == _tables(built_at_once)
    stage = Stage.beside(warehouse)
    assert len(stage.staged_batches()) == 2

    # The same deliveries again, under their names or copied elsewhere: nothing new.
    before = warehouse.stat().st_mtime_ns
    assert main(["run", "--raw", str(deliveries), "--warehouse", str(warehouse)]) == 0
    assert warehouse.stat().st_mtime_ns == before
    assert len(stage.staged_batches()) == 2


def test_rebuild_from_the_stage_gives_the_same_tables(deliveries: Path, tmp_path: Path):
    warehouse = tmp_path / "w.duckdb"
    for part in ("a", "b"):
        assert main(["run", "--raw", str(deliveries / part), "--warehouse", str(warehouse)]) == 0
    added = _tables(warehouse)
    warehouse.unlink()  # a lost warehouse is published again from its stage
    assert main(["run", "--rebuild", "--warehouse", str(warehouse)]) == 0
    assert _tables(warehouse) == added
    assert main(["run", "--rebuild", "--warehouse", str(warehouse)]) == 0
    assert _tables(warehouse) == added


def test_a_file_rewritten_in_place_keeps_both_versions(tmp_path: Path):
    inbox, warehouse = tmp_path / "inbox", tmp_path / "w.duckdb"
    write_pages(generate(2, seed=31), inbox)
    assert main(["run", "--raw", str(inbox), "--warehouse", str(warehouse)]) == 0
    write_pages(generate(3, seed=32)[2:], tmp_path / "other")
    (inbox / "page_0000.txt").write_bytes((tmp_path / "other" / "page_0002.txt").read_bytes())
    assert main(["run", "--raw", str(inbox), "--warehouse", str(warehouse)]) == 0
    assert _count(warehouse, "SELECT count(*) FROM pages") == 3
    assert _count(warehouse, "SELECT count(DISTINCT page_id) FROM pages") == 3
    assert _count(warehouse, "SELECT count(*) FROM articles") == 3


def test_small_files_share_a_batch_and_a_large_one_is_its_own(tmp_path: Path):
    from marsad.warehouse.stage import OWN_BATCH_BYTES, InputFile

    files = [InputFile(f"/in/{n}.txt", str(n), 5000) for n in range(2500)]
    files.insert(7, InputFile("/in/crawl.warc.gz", "w", OWN_BATCH_BYTES))
    batches = group_into_batches(files)
    assert [len(b) for b in batches] == [1, 1000, 1000, 500]
    assert batches[0][0].path == "/in/crawl.warc.gz"
    page, renamed, other = tmp_path / "p.txt", tmp_path / "q.txt", tmp_path / "r.txt"
    page.write_text("نص", encoding="utf-8")
    renamed.write_text("نص", encoding="utf-8")
    other.write_text("نص آخر", encoding="utf-8")
    # The same content under another name is the same input; other content is not.
    assert content_fingerprint(page) == content_fingerprint(renamed)
    assert content_fingerprint(page) != content_fingerprint(other)


def _run_killed_at(failpoint: str, raw: Path, warehouse: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "MARSAD_FAILPOINT": failpoint}
    command = [sys.executable, "-m", "marsad.cli", "run", "--raw", str(raw)]
    return subprocess.run(
        [*command, "--warehouse", str(warehouse)], env=env, cwd=REPO, capture_output=True
    )


@pytest.mark.parametrize("failpoint", ["annotate", "assemble", "publish"])
def test_a_run_killed_midway_is_completed_by_the_next(
    failpoint: str, deliveries: Path, built_at_once: Path, tmp_path: Path
):
    warehouse = tmp_path / "w.duckdb"
    assert main(["run", "--raw", str(deliveries / "a"), "--warehouse", str(warehouse)]) == 0
    first = _tables(warehouse)
    killed = _run_killed_at(failpoint, deliveries / "b", warehouse)
    assert killed.returncode == -9, killed.stderr.decode()[-2000:]
    assert _tables(warehouse) == first  # the old warehouse, whole
    assert main(["run", "--raw", str(deliveries / "b"), "--warehouse", str(warehouse)]) == 0
    assert _tables(warehouse) == _tables(built_at_once)  # no row twice, none lost
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name != "w.duckdb")
    assert leftovers == [".staging", ".w.duckdb.lock"]


def test_reannotate_rebuilds_with_the_same_models_to_the_same_tables(
    deliveries: Path, built_at_once: Path, tmp_path: Path
):
    warehouse = tmp_path / "w.duckdb"
    assert main(["run", "--raw", str(deliveries), "--warehouse", str(warehouse)]) == 0
    annotated = Path(
        Stage.beside(warehouse).part_path(
            "annotated_pages", Stage.beside(warehouse).staged_batches()[0]
        )
    )
    before = annotated.stat().st_mtime_ns
    assert main(["reannotate", "--warehouse", str(warehouse)]) == 0
    assert annotated.stat().st_mtime_ns > before  # annotated again, not reused
    assert _tables(warehouse) == _tables(built_at_once)


def test_reannotate_without_a_stage_says_so(tmp_path: Path, capsys):
    assert main(["reannotate", "--warehouse", str(tmp_path / "none.duckdb")]) == 2
    assert "nothing staged" in capsys.readouterr().err


def test_publishes_of_one_warehouse_take_turns(deliveries: Path, tmp_path: Path):
    import fcntl
    import threading

    from marsad.warehouse.publish import publish_batches

    warehouse = tmp_path / "w.duckdb"
    assert main(["run", "--raw", str(deliveries / "a"), "--warehouse", str(warehouse)]) == 0
    before = _tables(warehouse)
    holder = (tmp_path / ".w.duckdb.lock").open("w")
    fcntl.flock(holder, fcntl.LOCK_EX)  # another publish is under way
    done = threading.Event()

    def rebuild() -> None:
        publish_batches(Stage.beside(warehouse), warehouse, None, None, rebuild=True)
        done.set()

    waiting = threading.Thread(target=rebuild)
    waiting.start()
    assert not done.wait(5)  # it waits its turn: the file is not touched meanwhile
    assert _tables(warehouse) == before
    holder.close()
    assert done.wait(120)
    waiting.join()


def test_a_warehouse_built_before_incremental_publishing_is_rebuilt(tmp_path: Path):
    from marsad.warehouse.schema import publish

    raw, warehouse = tmp_path / "raw", tmp_path / "w.duckdb"
    write_pages(generate(3, seed=41), raw)
    publish({}, warehouse)  # a published file without the state adding needs
    assert main(["run", "--raw", str(raw), "--warehouse", str(warehouse)]) == 0
    assert _count(warehouse, "SELECT count(*) FROM pages") == 3
    assert _count(warehouse, "SELECT count(*) FROM marsad_state.batches") == 1


def test_a_warehouse_an_earlier_release_built_is_rebuilt(tmp_path: Path):
    """A documented table with other columns (here ``entities`` before its merge columns):
    new columns would hold nothing for the articles already published, so the next run
    rebuilds the file from the stage and says so."""
    raw, warehouse = tmp_path / "raw", tmp_path / "w.duckdb"
    write_pages(generate(20, seed=43), raw / "a")
    assert main(["run", "--raw", str(raw / "a"), "--warehouse", str(warehouse)]) == 0
    with duckdb.connect(str(warehouse)) as con:
        con.execute("ALTER TABLE entities DROP COLUMN merge_rule")
        con.execute("ALTER TABLE entities DROP COLUMN merged_into")
    write_pages(generate(5, seed=44), raw / "b")
    for page in (raw / "b").iterdir():
        page.rename(page.with_name("b_" + page.name))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "marsad.cli",
            "run",
            "--raw",
            str(raw / "b"),
            "--warehouse",
            str(warehouse),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "earlier release (table entities differs): rebuilt from the stage" in (
        result.stdout + result.stderr
    )
    assert _count(warehouse, "SELECT count(*) FROM pages") == 25
    assert (
        _count(warehouse, "SELECT count(*) FROM duckdb_columns() WHERE column_name = 'merge_rule'")
        == 1
    )
