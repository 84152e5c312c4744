"""Publishing the warehouse from the stage: the batches it does not hold yet are added to a
copy of the published file, which is then renamed over it.

A reader (the dashboard, a SQL session) sees the old warehouse or the new one, never half of
either, and is never locked out: the published file is only ever replaced, not written. The
cost of a publish is the copy plus the new batches: nothing already published is read back
but the rows the new pages are compared with (DuckDB, out of core).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from marsad.enrich.entities.tagger import EntityTagger
from marsad.enrich.topics.model import TopicModel
from marsad.failpoints import failpoint
from marsad.warehouse.assembly import WarehouseAssembly
from marsad.warehouse.schema import TABLES, fsync_dir
from marsad.warehouse.stage import Stage
from marsad.warehouse.state import (
    STATE_SCHEMA,
    create_warehouse,
    published_batches,
    upgrade_state,
)
from marsad.warehouse.tables import warehouse_accounting_errors

# Pages added to the warehouse at once: memory is bounded by this, not by a batch's size.
SLICE_PAGES = 5000
# DuckDB's own memory while publishing (it spills to disk beyond it); its default is most
# of the machine's memory.
DUCKDB_MEMORY = "1GB"


class PublishError(RuntimeError):
    """The new warehouse was not published; the old one is unchanged."""


@dataclass
class PublishReport:
    warehouse: Path
    added_batches: list[str] = field(default_factory=list)
    added_pages: int = 0
    batches: int = 0
    seconds: float = 0.0
    changed: bool = False


def _slices(stage: Stage, batch_id: str, size: int):
    """(records without text, parsed pages, annotations) of a batch, ``size`` records at a
    time. Each part is in the order of the one before it, with fewer rows (only readable
    records are parsed, only articles annotated), so a slice's rows are the next ones."""
    raw = stage.scan("raw_pages", [batch_id]).select(pl.exclude("text"))
    cursors = {"parsed_pages": 0, "annotated_pages": 0}

    def following(table: str, wanted: pl.Series) -> pl.DataFrame:
        window = stage.scan(table, [batch_id]).slice(cursors[table], max(wanted.len(), 1))
        rows = window.collect()
        inside = rows["page_id"].is_in(wanted.implode())
        count = int(inside.sum())
        if not inside.head(count).all():
            raise PublishError(
                f"staged parts of batch {batch_id} are out of step ({table}): re-ingest it"
            )
        cursors[table] += count
        return rows.head(count)

    for offset in range(0, max(stage.rows("raw_pages", [batch_id]), 1), size):
        records = raw.slice(offset, size).collect()
        parsed = following("parsed_pages", records["page_id"])
        articles = parsed.filter(pl.col("parse_error").is_null())["page_id"]
        yield records, parsed, following("annotated_pages", articles)


def publish_batches(
    stage: Stage,
    warehouse: Path,
    topic_model: TopicModel | None,
    tagger: EntityTagger | None,
    rebuild: bool = False,
    log: Callable[[str], None] = lambda _: None,
) -> PublishReport:
    """Add the staged batches the warehouse lacks (all of them with ``rebuild``) and
    publish it atomically; the old file is kept if anything fails. Publishes of one
    warehouse take turns (a lock file beside it), whichever process starts them."""
    warehouse = Path(warehouse)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with (warehouse.parent / f".{warehouse.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the process dies
        return _publish(stage, warehouse, topic_model, tagger, rebuild, log)


def _publish(
    stage: Stage,
    warehouse: Path,
    topic_model: TopicModel | None,
    tagger: EntityTagger | None,
    rebuild: bool,
    log: Callable[[str], None],
) -> PublishReport:
    started = time.perf_counter()
    report = PublishReport(warehouse)
    _remove_leftovers(warehouse)
    staged = stage.staged_batches()
    fd, name = tempfile.mkstemp(
        prefix=f".{warehouse.name}.", suffix=".building", dir=warehouse.parent
    )
    os.close(fd)
    tmp = Path(name)
    try:
        outdated = warehouse.is_file() and not rebuild and outdated_by(warehouse)
        if outdated:
            log(f"{warehouse} {outdated}: rebuilt from the stage")
            rebuild = True
        if warehouse.is_file() and not rebuild:
            shutil.copyfile(warehouse, tmp)
            con = duckdb.connect(str(tmp))
            published = published_batches(con)
            for table in upgrade_state(con):
                log(f"{warehouse}: state table {table} added, filled from the rows it holds")
        else:
            tmp.unlink()  # DuckDB must create the file itself
            con = duckdb.connect(str(tmp))
            create_warehouse(con)
            published = []
        con.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
        with con:
            gone = sorted(set(published) - set(staged))
            if gone:
                raise PublishError(
                    f"{len(gone)} published batches are no longer staged ({gone[:3]}…): "
                    "run `marsad run --rebuild` to publish what the stage holds"
                )
            held = set(published)
            new = [b for b in staged if b not in held]
            report.batches = len(published) + len(new)
            if not new and warehouse.is_file() and not rebuild:
                report.seconds = time.perf_counter() - started
                return report
            assembly = WarehouseAssembly(con, topic_model, tagger)
            for n, batch_id in enumerate(new, start=1):
                batch_started = time.perf_counter()
                pages = 0
                for records, parsed, annotations in _slices(stage, batch_id, SLICE_PAGES):
                    assembly.add(records, parsed, annotations)
                    pages += records.height
                    failpoint("assemble")
                assembly.record_batch(batch_id, pages)
                report.added_pages += pages
                seconds = time.perf_counter() - batch_started
                log(f"added batch {n}/{len(new)} ({pages} pages in {seconds:.1f} s)")
            assembly.finish()
            errors = warehouse_accounting_errors(con, stage.rows("raw_pages", [*published, *new]))
            if errors:
                raise PublishError("accounting invariant broken: " + "; ".join(errors))
            con.execute("CHECKPOINT")
        report.added_batches = new
        failpoint("publish")
        os.replace(tmp, warehouse)
        fsync_dir(warehouse.parent)
        report.changed = True
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    report.seconds = time.perf_counter() - started
    return report


def outdated_by(warehouse: Path) -> str | None:
    """Why a warehouse file cannot be added to as it is, or None. A file without the state
    adding needs (``marsad_state``), or whose documented tables an earlier release built
    with other columns, is rebuilt from the stage: a column added since would hold nothing
    for the articles already published. State tables added since are filled in place
    (``upgrade_state``)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        held: dict[str, list[str]] = {}
        for schema, table, column in con.execute(
            "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
            "ORDER BY schema_name, table_name, column_index"
        ).fetchall():
            held.setdefault(f"{schema}.{table}", []).append(column)
    if not any(name.startswith(f"{STATE_SCHEMA}.") for name in held):
        return "was built before incremental publishing"
    for table in TABLES.values():
        if held.get(f"main.{table.name}") != table.column_names:
            return f"was built by an earlier release (table {table.name} differs)"
    return None


def _remove_leftovers(warehouse: Path) -> None:
    """Files of a publish that was killed before its rename (publishes take turns)."""
    for leftover in warehouse.parent.glob(f".{warehouse.name}.*.building*"):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
