"""Incremental ingestion: new files in the inbox become input-file partitions."""

import json
from pathlib import Path

import dagster as dg

from marsad.ids import stable_id
from marsad.inputs import discover_input_files
from pipelines.jobs import ingest_job, publish_job
from pipelines.pages.partitions import input_files
from pipelines.resources import MarsadStorage

# Content hashes are computed over this many bytes plus the size: enough to tell files apart
# without reading whole crawls on every tick.
HASHED_BYTES = 1 << 20


def content_fingerprint(path: Path) -> str:
    with path.open("rb") as stream:
        head = stream.read(HASHED_BYTES)
    return stable_id(path.stat().st_size, head.hex())


@dg.sensor(
    job=ingest_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Registers each new file of the inbox as an input-file partition and ingests it; "
    "a file whose content was ingested before (even under another name) is left alone.",
)
def inbox_sensor(context: dg.SensorEvaluationContext, storage: MarsadStorage):
    cursor = json.loads(context.cursor) if context.cursor else {"files": {}, "contents": []}
    if not storage.inbox.is_dir():
        return dg.SkipReason(f"inbox {storage.inbox} does not exist")
    seen_contents = set(cursor["contents"])
    new_keys, requests = [], []
    for path in discover_input_files([storage.inbox]):
        stat = path.stat()
        signature = [stat.st_size, stat.st_mtime_ns]
        if cursor["files"].get(str(path)) == signature:
            continue
        cursor["files"][str(path)] = signature
        fingerprint = content_fingerprint(path)
        if fingerprint in seen_contents:
            continue  # the same content again: nothing new to ingest
        seen_contents.add(fingerprint)
        key = str(path)
        new_keys.append(key)
        requests.append(dg.RunRequest(run_key=f"{key}@{fingerprint}", partition_key=key))
    cursor["contents"] = sorted(seen_contents)
    context.update_cursor(json.dumps(cursor))
    if not requests:
        return dg.SkipReason("no new input files")
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[input_files.build_add_request(new_keys)],
    )


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[ingest_job],
    request_job=publish_job,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Rebuilds and publishes the warehouse after each successful ingestion.",
)
def publish_after_ingest(context: dg.RunStatusSensorContext):
    return dg.RunRequest(run_key=f"publish-after-{context.dagster_run.run_id}")
