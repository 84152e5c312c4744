"""The Marsad code location: everything Dagster loads, assembled in one place."""

from __future__ import annotations

import dagster as dg

from pipelines.jobs import ingest_job, publish_job
from pipelines.pages.assets import parsed_pages, raw_pages
from pipelines.pages.sensors import inbox_sensor, publish_after_ingest
from pipelines.resources import MarsadStorage, storage_from_env
from pipelines.warehouse import checks
from pipelines.warehouse.assets import warehouse, warehouse_tables


def build_definitions(
    storage: MarsadStorage, loggers: dict[str, dg.LoggerDefinition] | None = None
) -> dg.Definitions:
    """Definitions bound to one warehouse and inbox (the CLI binds its own)."""
    return dg.Definitions(
        assets=[raw_pages, parsed_pages, warehouse_tables, warehouse],
        asset_checks=dg.load_asset_checks_from_modules([checks]),
        jobs=[ingest_job, publish_job],
        sensors=[inbox_sensor, publish_after_ingest],
        resources={"storage": storage},
        loggers=loggers,
    )


defs = build_definitions(storage_from_env())
