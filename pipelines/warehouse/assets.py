"""Warehouse tables from every ingested input file, and their atomic publication as DuckDB."""

import dagster as dg
import polars as pl

from marsad.warehouse import TABLES, publish
from marsad.warehouse_tables import build_tables
from pipelines.metadata import counts_by, markdown_preview, share
from pipelines.pages.assets import annotated_pages, parsed_pages, raw_pages
from pipelines.pages.partitions import input_files
from pipelines.resources import MarsadStorage, ModelStore

# One table asset per table of the documented schema (marsad.warehouse.TABLES).
WAREHOUSE_TABLES = tuple(TABLES)

TABLE_SPECS = [
    dg.AssetSpec(
        name,
        deps=[raw_pages, parsed_pages, annotated_pages],
        group_name="warehouse",
        kinds={"polars", "parquet"},
        description=TABLES[name].comment,
    )
    for name in WAREHOUSE_TABLES
]


def ingested_files(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> list[str]:
    return list(context.instance.get_dynamic_partitions(input_files.name))


def _table_metadata(name: str, frame: pl.DataFrame, pages: pl.DataFrame) -> dict:
    metadata: dict = {"dagster/row_count": frame.height, "preview": markdown_preview(frame)}
    if name == "pages":
        metadata["status"] = counts_by(frame, "status")
    if name == "articles":
        metadata["article_share_of_pages"] = share(frame.height, pages.height)
        metadata["outlets"] = frame["outlet"].n_unique()
        metadata["stories"] = frame["story_id"].n_unique()
        metadata["without_date"] = frame["published_date"].null_count()
        metadata["date_sources"] = counts_by(frame, "date_source")
    if name in ("articles", "headlines"):
        metadata["topics"] = counts_by(frame, "topic")
    if name == "quarantine":
        metadata["quarantined_share"] = share(frame.height, pages.height)
        metadata["reasons"] = counts_by(frame, "reason")
    if name == "outlets":
        unknown = frame.filter(~pl.col("in_registry"))
        metadata["unknown_outlets"] = unknown.height
        metadata["unknown_for_review"] = markdown_preview(
            unknown.sort("articles", descending=True).select("name", "articles"), rows=20
        )
    return metadata


@dg.multi_asset(specs=TABLE_SPECS, name="warehouse_tables")
def warehouse_tables(context: dg.AssetExecutionContext, storage: MarsadStorage, models: ModelStore):
    """Pages with their status, distinct articles and stories, ticker headlines and their
    sightings, the quarantine and the outlets, over every ingested input file."""
    files = ingested_files(context)
    records, missing = storage.read_partitions("raw_pages", files, exclude=("text",))
    parsed, _ = storage.read_partitions("parsed_pages", files)
    annotations, _ = storage.read_partitions("annotated_pages", files)
    if missing:
        context.log.warning(
            f"{len(missing)} registered input files not ingested yet: {missing[:5]}"
        )
    if records.is_empty():
        raise dg.Failure("no ingested input: materialize raw_pages and parsed_pages first")
    tables = build_tables(
        records,
        parsed,
        annotations if annotations.width else None,
        topic_model=models.topic_model(),
        tagger=models.entity_tagger(),
    )
    for name in WAREHOUSE_TABLES:
        storage.write_staged(name, tables[name])
        metadata = _table_metadata(name, tables[name], tables["pages"])
        if name == "pages":
            metadata["input_files"] = len(files) - len(missing)
            metadata["input_files_pending"] = len(missing)
        yield dg.MaterializeResult(asset_key=name, metadata=metadata)


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
