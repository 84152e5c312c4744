"""The Marsad code location: everything Dagster loads, assembled in one place."""

from __future__ import annotations

import dagster as dg

from pipelines.pages.assets import parsed_pages, raw_pages
from pipelines.resources import MarsadStorage, storage_from_env
from pipelines.warehouse import checks
from pipelines.warehouse.assets import warehouse, warehouse_tables

MAIN_JOB = "marsad_job"


def build_definitions(
    storage: MarsadStorage, loggers: dict[str, dg.LoggerDefinition] | None = None
) -> dg.Definitions:
    """Definitions bound to one set of inputs and one warehouse (the CLI binds its own)."""
    return dg.Definitions(
        assets=[raw_pages, parsed_pages, warehouse_tables, warehouse],
        asset_checks=dg.load_asset_checks_from_modules([checks]),
        jobs=[
            dg.define_asset_job(
                MAIN_JOB,
                selection=dg.AssetSelection.all(),
                description="Raw pages to a freshly published warehouse, with all checks.",
            )
        ],
        resources={"storage": storage},
        loggers=loggers,
    )


defs = build_definitions(storage_from_env())
