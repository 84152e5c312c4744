"""The warehouse: the staged batches it does not hold yet, added in DuckDB and published
atomically (``marsad.warehouse.publish``); one asset per documented table and one for the file."""

import dagster as dg
import duckdb

from marsad.warehouse.publish import PublishError, publish_batches
from marsad.warehouse.schema import TABLES, connect_read_only
from pipelines.metadata import markdown_preview, share
from pipelines.pages.assets import annotated_pages, parsed_pages, raw_pages
from pipelines.resources import MarsadStorage, ModelStore

# One table asset per table of the documented schema (marsad.warehouse.schema.TABLES).
WAREHOUSE_TABLES = tuple(TABLES)

TABLE_SPECS = [
    dg.AssetSpec(
        name,
        deps=[raw_pages, parsed_pages, annotated_pages],
        group_name="warehouse",
        kinds={"duckdb"},
        description=TABLES[name].comment,
    )
    for name in WAREHOUSE_TABLES
]
FILE_SPEC = dg.AssetSpec(
    "warehouse",
    deps=WAREHOUSE_TABLES,
    group_name="warehouse",
    kinds={"duckdb"},
    description="The DuckDB warehouse file: a copy of the published one with the new ingest "
    "batches added, swapped in atomically.",
)

# Metadata queries: small aggregates of the published file (counts, shares, a preview).
_COUNTS = {
    "pages": ("status",),
    "articles": ("date_source", "topic", "source_credit"),
    "headlines": ("topic",),
    "quarantine": ("reason",),
}


def _counts(con: duckdb.DuckDBPyConnection, table: str, column: str) -> dg.MetadataValue:
    rows = con.execute(
        f'SELECT "{column}", count(*) AS n FROM "{table}" GROUP BY 1 ORDER BY n DESC'
    ).fetchall()
    # Rows without a value (no credit, no topic) are counted under a label, not JSON's "None".
    return dg.MetadataValue.json({"(none)" if k is None else str(k): n for k, n in rows})


def _table_metadata(con: duckdb.DuckDBPyConnection, name: str, pages: int) -> dict:
    rows = con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0]
    preview = con.sql(f'SELECT * FROM "{name}" LIMIT 5').pl()
    metadata: dict = {"dagster/row_count": rows, "preview": markdown_preview(preview)}
    for column in _COUNTS.get(name, ()):
        metadata[column if column != "reason" else "reasons"] = _counts(con, name, column)
    if name == "articles":
        metadata["article_share_of_pages"] = share(rows, pages)
        metadata["outlets"] = con.execute(
            "SELECT count(DISTINCT outlet_name) FROM articles"
        ).fetchall()[0][0]
        metadata["stories"] = con.execute(
            "SELECT count(DISTINCT story_id) FROM articles"
        ).fetchall()[0][0]
        metadata["without_date"] = con.execute(
            "SELECT count(*) FROM articles WHERE published_date IS NULL"
        ).fetchall()[0][0]
    if name == "quarantine":
        metadata["quarantined_share"] = share(rows, pages)
    if name == "outlets":
        unknown = con.sql(
            "SELECT name, articles FROM outlets WHERE NOT in_registry ORDER BY articles DESC"
        ).pl()
        metadata["unknown_outlets"] = unknown.height
        metadata["unknown_for_review"] = markdown_preview(unknown, rows=20)
    return metadata


@dg.multi_asset(specs=[*TABLE_SPECS, FILE_SPEC], name="publish_warehouse", pool="duckdb_warehouse")
def publish_warehouse(
    context: dg.AssetExecutionContext, storage: MarsadStorage, models: ModelStore
):
    """Pages with their status, distinct articles and stories, ticker headlines and their
    sightings, the quarantine and the outlets, over every staged ingest batch."""
    try:
        report = publish_batches(
            storage.stage,
            storage.warehouse,
            models.topic_model(),
            models.entity_tagger(),
            rebuild=context.run.tags.get("marsad/rebuild") == "true",
            log=context.log.info,
        )
    except PublishError as error:
        raise dg.Failure(f"{error}; the published warehouse is unchanged") from error
    if not report.batches:
        raise dg.Failure(
            "no ingested input: materialize raw_pages, parsed_pages and annotated_pages first"
        )
    context.log.info(
        f"added {len(report.added_batches)} batches ({report.added_pages} pages) to "
        f"{report.warehouse} in {report.seconds:.1f} s"
    )
    with connect_read_only(storage.warehouse) as con:
        pages = con.execute("SELECT count(*) FROM pages").fetchall()[0][0]
        for name in WAREHOUSE_TABLES:
            metadata = _table_metadata(con, name, pages)
            if name == "pages":
                metadata["ingest_batches"] = report.batches
                metadata["added_batches"] = len(report.added_batches)
                metadata["added_pages"] = report.added_pages
            yield dg.MaterializeResult(asset_key=name, metadata=metadata)
    yield dg.MaterializeResult(
        asset_key="warehouse",
        metadata={
            "path": dg.MetadataValue.path(str(storage.warehouse.resolve())),
            "bytes": storage.warehouse.stat().st_size,
            "ingest_batches": report.batches,
            "added_batches": len(report.added_batches),
            "added_pages": report.added_pages,
            "publish_seconds": round(report.seconds, 2),
        },
    )
