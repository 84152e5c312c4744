"""Warehouse tables from parsed pages, and their atomic publication as a DuckDB file."""

import dagster as dg
import polars as pl

from marsad.warehouse import TABLES, publish
from marsad.warehouse_tables import build_tables
from pipelines.metadata import counts_by, markdown_preview, share
from pipelines.pages.assets import parsed_pages, raw_pages
from pipelines.resources import MarsadStorage

WAREHOUSE_TABLES = ("pages", "articles", "headlines", "page_headlines", "quarantine")

TABLE_SPECS = [
    dg.AssetSpec(
        name,
        deps=[raw_pages, parsed_pages],
        group_name="warehouse",
        kinds={"polars", "parquet"},
        description=TABLES[name].comment,
    )
    for name in WAREHOUSE_TABLES
]


def _table_metadata(name: str, frame: pl.DataFrame, pages: pl.DataFrame) -> dict:
    metadata: dict = {"dagster/row_count": frame.height, "preview": markdown_preview(frame)}
    if name == "pages":
        metadata["status"] = counts_by(frame, "status")
    if name == "articles":
        metadata["article_share_of_pages"] = share(frame.height, pages.height)
        metadata["outlets"] = frame["outlet"].n_unique()
        metadata["without_date"] = frame["published_date"].null_count()
    if name == "quarantine":
        metadata["quarantined_share"] = share(frame.height, pages.height)
        metadata["reasons"] = counts_by(frame, "reason")
    return metadata


@dg.multi_asset(specs=TABLE_SPECS, name="warehouse_tables")
def warehouse_tables(context: dg.AssetExecutionContext, storage: MarsadStorage):
    """Pages with their status, distinct articles, ticker headlines and their sightings,
    and the quarantine, staged as Parquet."""
    tables = build_tables(storage.read_staged("raw_pages"), storage.read_staged("parsed_pages"))
    for name in WAREHOUSE_TABLES:
        storage.write_staged(name, tables[name])
        yield dg.MaterializeResult(
            asset_key=name, metadata=_table_metadata(name, tables[name], tables["pages"])
        )


@dg.asset(
    deps=WAREHOUSE_TABLES,
    group_name="warehouse",
    kinds={"duckdb"},
    pool="duckdb_warehouse",
    description="The DuckDB warehouse file, rebuilt and swapped in atomically.",
)
def warehouse(context: dg.AssetExecutionContext, storage: MarsadStorage) -> dg.MaterializeResult:
    frames = {name: storage.read_staged(name) for name in WAREHOUSE_TABLES}
    path = publish(frames, storage.warehouse)
    context.log.info(f"published {path}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(path.resolve())),
            "bytes": path.stat().st_size,
            **{f"rows/{name}": frame.height for name, frame in frames.items()},
        }
    )
