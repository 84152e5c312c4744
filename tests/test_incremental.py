"""Incremental ingestion: the inbox sensor stages new files in ingest batches, and a batch
(a partition) ingested twice is staged once."""

import shutil
from pathlib import Path

import dagster as dg
import duckdb

from marsad.synthetic import generate, write_pages
from pipelines.definitions import build_definitions
from pipelines.pages.partitions import ingest_batches
from pipelines.pages.sensors import inbox_sensor
from pipelines.resources import MarsadStorage


def _tick(storage: MarsadStorage, instance: dg.DagsterInstance, cursor: str | None):
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"storage": storage}
    )
    return inbox_sensor(context), context.cursor


def _ingest(storage: MarsadStorage, instance: dg.DagsterInstance, batch: str) -> None:
    defs = build_definitions(storage)
    job = defs.resolve_job_def("ingest_job")
    assert job.execute_in_process(instance=instance, partition_key=batch).success


def test_sensor_stages_new_files_once(tmp_path: Path):
    inbox = tmp_path / "inbox"
    write_pages(generate(3, seed=1), inbox)
    storage = MarsadStorage(warehouse_path=str(tmp_path / "w.duckdb"), inbox_path=str(inbox))
    instance = dg.DagsterInstance.ephemeral()

    result, cursor = _tick(storage, instance, None)
    # Small files that arrive together are one batch, one partition, one run.
    assert len(result.run_requests) == 1
    batch = result.run_requests[0].partition_key
    assert result.run_requests[0].run_key == batch
    assert result.dynamic_partitions_requests[0].partition_keys == [batch]
    files = storage.stage.batch_files(batch)["source_file"].to_list()
    assert files == sorted(str(p.resolve()) for p in inbox.glob("*.txt"))
    instance.add_dynamic_partitions(ingest_batches.name, [batch])
    _ingest(storage, instance, batch)

    again, cursor = _tick(storage, instance, cursor)
    assert isinstance(again, dg.SkipReason)

    shutil.copy(inbox / "page_0000.txt", inbox / "same_content_new_name.txt")
    renamed, cursor = _tick(storage, instance, cursor)
    assert isinstance(renamed, dg.SkipReason)  # content staged before

    write_pages(generate(1, seed=99), tmp_path / "new")
    shutil.copy(tmp_path / "new" / "page_0000.txt", inbox / "fresh.txt")
    fresh, _ = _tick(storage, instance, cursor)
    [request] = fresh.run_requests
    assert storage.stage.batch_files(request.partition_key)["source_file"].to_list() == [
        str((inbox / "fresh.txt").resolve())
    ]


def test_batch_rerun_is_idempotent(tmp_path: Path):
    raw = tmp_path / "raw"
    write_pages(generate(5, seed=2), raw)
    storage = MarsadStorage(warehouse_path=str(tmp_path / "w.duckdb"))
    [batch] = storage.stage.plan(sorted(p.resolve() for p in raw.glob("*.txt")))
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(ingest_batches.name, [batch])
    _ingest(storage, instance, batch)
    _ingest(storage, instance, batch)  # again: its parts are replaced, not added to
    publish = build_definitions(storage).resolve_job_def("publish_job")
    assert publish.execute_in_process(instance=instance).success
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM pages").fetchall()[0][0] == 5
        assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == 5
