"""One-shot runs in-process: the given input files staged in new ingest batches (inputs
already staged are skipped), then the batches the warehouse lacks added and published."""

from pathlib import Path

import dagster as dg

from pipelines.definitions import build_definitions
from pipelines.pages.partitions import ingest_batches
from pipelines.resources import MarsadStorage


def _over_batches(
    defs: dg.Definitions,
    job: str,
    instance: dg.DagsterInstance,
    batches: list[str],
    run_config: dict | None,
) -> dg.ExecuteInProcessResult:
    """One run of ``job`` over the partitions of the given (registered) batches."""
    return defs.resolve_job_def(job).execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config=run_config,
        tags={
            "dagster/asset_partition_range_start": batches[0],
            "dagster/asset_partition_range_end": batches[-1],
        },
    )


def run_once(
    storage: MarsadStorage,
    files: list[str],
    loggers: dict[str, dg.LoggerDefinition] | None = None,
    rebuild: bool = False,
) -> list[dg.ExecuteInProcessResult]:
    """Ingest the new ``files`` (one partition per ingest batch, in a single run) into an
    ephemeral instance, then publish; stops after the first failed run. An interrupted
    earlier run's batches are ingested first."""
    defs = build_definitions(storage, loggers=loggers)
    run_config = {"loggers": {name: {} for name in loggers}} if loggers else None
    instance = dg.DagsterInstance.ephemeral()
    batches = storage.stage.plan(Path(f) for f in files)
    results = []
    if batches:
        instance.add_dynamic_partitions(ingest_batches.name, batches)
        ingest = _over_batches(defs, "ingest_job", instance, batches, run_config)
        results.append(ingest)
        if not ingest.success:
            return results
    publish = defs.resolve_job_def("publish_job").execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config=run_config,
        tags={"marsad/rebuild": "true"} if rebuild else None,
    )
    return [*results, publish]


def reannotate(
    storage: MarsadStorage, loggers: dict[str, dg.LoggerDefinition] | None = None
) -> list[dg.ExecuteInProcessResult]:
    """Annotate every staged batch again (the current models), then rebuild the warehouse."""
    defs = build_definitions(storage, loggers=loggers)
    run_config = {"loggers": {name: {} for name in loggers}} if loggers else None
    instance = dg.DagsterInstance.ephemeral()
    batches = storage.stage.staged_batches()
    instance.add_dynamic_partitions(ingest_batches.name, batches)
    annotate = _over_batches(defs, "reannotate_job", instance, batches, run_config)
    if not annotate.success:
        return [annotate]
    publish = defs.resolve_job_def("publish_job").execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config=run_config,
        tags={"marsad/rebuild": "true"},
    )
    return [annotate, publish]
