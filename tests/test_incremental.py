"""Incremental ingestion: the inbox sensor and idempotent partition writes."""

import shutil
from pathlib import Path

import dagster as dg
import duckdb

from marsad.synthetic import generate, write_pages
from pipelines.definitions import build_definitions
from pipelines.pages.partitions import input_files
from pipelines.pages.sensors import inbox_sensor
from pipelines.resources import MarsadStorage


def _tick(storage: MarsadStorage, instance: dg.DagsterInstance, cursor: str | None):
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"storage": storage}
    )
    return inbox_sensor(context), context.cursor


def test_sensor_registers_new_files_once(tmp_path: Path):
    inbox = tmp_path / "inbox"
    write_pages(generate(3, seed=1), inbox)
    storage = MarsadStorage(warehouse_path=str(tmp_path / "w.duckdb"), inbox_path=str(inbox))
    instance = dg.DagsterInstance.ephemeral()

    result, cursor = _tick(storage, instance, None)
    keys = sorted(str(p.resolve()) for p in inbox.glob("*.txt"))
    assert sorted(r.partition_key for r in result.run_requests) == keys
    assert len({r.run_key for r in result.run_requests}) == 3  # deterministic, one per file
    assert sorted(result.dynamic_partitions_requests[0].partition_keys) == keys

    again, cursor = _tick(storage, instance, cursor)
    assert isinstance(again, dg.SkipReason)

    shutil.copy(inbox / "page_0000.txt", inbox / "same_content_new_name.txt")
    renamed, cursor = _tick(storage, instance, cursor)
    assert isinstance(renamed, dg.SkipReason)  # content already ingested

    write_pages(generate(1, seed=99), tmp_path / "new")
    shutil.copy(tmp_path / "new" / "page_0000.txt", inbox / "fresh.txt")
    fresh, _ = _tick(storage, instance, cursor)
    assert [r.partition_key for r in fresh.run_requests] == [str((inbox / "fresh.txt").resolve())]


def test_partition_rerun_is_idempotent(tmp_path: Path):
    raw = tmp_path / "raw"
    write_pages(generate(5, seed=2), raw)
    files = sorted(str(p.resolve()) for p in raw.glob("*.txt"))
    storage = MarsadStorage(warehouse_path=str(tmp_path / "w.duckdb"))
    defs = build_definitions(storage)
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(input_files.name, files)
    ingest, publish = defs.resolve_job_def("ingest_job"), defs.resolve_job_def("publish_job")
    for key in files:  # one run per file, as the sensor starts them
        assert ingest.execute_in_process(instance=instance, partition_key=key).success
    assert ingest.execute_in_process(instance=instance, partition_key=files[0]).success  # again
    assert publish.execute_in_process(instance=instance).success
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM pages").fetchone()[0] == 5
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
