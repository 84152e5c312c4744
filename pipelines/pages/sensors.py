"""Incremental ingestion: new files in the inbox are staged in ingest batches, each a
partition, and ingested; the warehouse is published after each ingestion."""

import json
from pathlib import Path

import dagster as dg

from marsad.ingest.readers import discover_input_files
from pipelines.jobs import ingest_job, publish_job
from pipelines.pages.partitions import ingest_batches
from pipelines.resources import MarsadStorage


@dg.sensor(
    job=ingest_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Stages the inbox's new files in ingest batches (small files that arrived "
    "together share one) and ingests each; a file whose content was staged before (even "
    "under another name) is left alone.",
)
def inbox_sensor(context: dg.SensorEvaluationContext, storage: MarsadStorage):
    cursor = json.loads(context.cursor) if context.cursor else {"files": {}}
    if not storage.inbox.is_dir():
        return dg.SkipReason(f"inbox {storage.inbox} does not exist")
    changed: list[Path] = []
    for path in discover_input_files([storage.inbox]):
        stat = path.stat()
        signature = [stat.st_size, stat.st_mtime_ns]
        if cursor["files"].get(str(path)) != signature:
            cursor["files"][str(path)] = signature
            changed.append(path)
    # Only files changed since the last tick are fingerprinted; the stage skips known content.
    batches = storage.stage.plan(changed) if changed else []
    context.update_cursor(json.dumps(cursor))
    if not batches:
        return dg.SkipReason("no new input files")
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=batch, partition_key=batch) for batch in batches],
        dynamic_partitions_requests=[ingest_batches.build_add_request(batches)],
    )


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[ingest_job],
    request_job=publish_job,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Adds the newly ingested batches to the warehouse and publishes it after "
    "each successful ingestion.",
)
def publish_after_ingest(context: dg.RunStatusSensorContext):
    return dg.RunRequest(run_key=f"publish-after-{context.dagster_run.run_id}")
