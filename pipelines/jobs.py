"""The two jobs: ingest input files (partitioned by file), then publish the warehouse."""

import dagster as dg

from pipelines.pages.assets import parsed_pages, raw_pages
from pipelines.warehouse.assets import warehouse

ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=dg.AssetSelection.assets(raw_pages, parsed_pages),
    description="Read and parse input files (one partition per file).",
)
publish_job = dg.define_asset_job(
    "publish_job",
    selection=dg.AssetSelection.assets(raw_pages, parsed_pages).downstream(include_self=False)
    | dg.AssetSelection.checks_for_assets(warehouse),
    description="Build the warehouse tables over every ingested file, check and publish them.",
)
