"""One-shot runs in-process: every given input file ingested, then the warehouse published."""

import dagster as dg

from pipelines.definitions import build_definitions
from pipelines.pages.partitions import input_files
from pipelines.resources import MarsadStorage


def run_once(
    storage: MarsadStorage,
    files: list[str],
    loggers: dict[str, dg.LoggerDefinition] | None = None,
) -> list[dg.ExecuteInProcessResult]:
    """Ingest ``files`` (absolute paths, one partition each, in a single run) into an
    ephemeral instance, then publish; stops after the first failed run."""
    defs = build_definitions(storage, loggers=loggers)
    run_config = {"loggers": {name: {} for name in loggers}} if loggers else None
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(input_files.name, files)
    ingest = defs.resolve_job_def("ingest_job").execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config=run_config,
        tags={
            "dagster/asset_partition_range_start": files[0],
            "dagster/asset_partition_range_end": files[-1],
        },
    )
    if not ingest.success:
        return [ingest]
    publish = defs.resolve_job_def("publish_job").execute_in_process(
        instance=instance, raise_on_error=False, run_config=run_config
    )
    return [ingest, publish]
