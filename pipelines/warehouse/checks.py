"""Data quality guards: the accounting invariant, trusted dates, titles, the schema contract."""

import datetime as dt

import dagster as dg
import polars as pl

from marsad.warehouse import TABLES, connect_read_only
from marsad.warehouse_tables import accounting_errors
from pipelines.resources import MarsadStorage
from pipelines.warehouse.assets import WAREHOUSE_TABLES, ingested_files, warehouse

MAX_IDS = 20  # failing ids shown in the UI; enough to start looking


def _ids(frame: pl.DataFrame, column: str) -> dg.MetadataValue:
    return dg.MetadataValue.json(frame[column].head(MAX_IDS).to_list())


@dg.asset_check(
    asset="pages",
    blocking=True,
    description="Every input record is one page; pages = articles + duplicates + quarantined "
    "+ skipped.",
)
def pages_accounting(
    context: dg.AssetCheckExecutionContext, storage: MarsadStorage
) -> dg.AssetCheckResult:
    tables = {name: storage.read_staged(name) for name in ("pages", "articles", "quarantine")}
    files = ingested_files(context)
    records, _ = storage.read_partitions("raw_pages", files, exclude=("text",))
    inputs = records.height
    errors = accounting_errors(tables, inputs)
    counts = dict(tables["pages"].group_by("status").len().iter_rows())
    return dg.AssetCheckResult(
        passed=not errors,
        metadata={"input_records": inputs, "errors": dg.MetadataValue.json(errors), **counts},
    )


@dg.asset_check(
    asset="articles",
    blocking=True,
    description="No article has a publication date after today (UTC).",
)
def articles_dates_not_in_future(storage: MarsadStorage) -> dg.AssetCheckResult:
    today = dt.datetime.now(dt.UTC).date()
    future = storage.read_staged("articles").filter(pl.col("published_date") > today)
    return dg.AssetCheckResult(
        passed=future.is_empty(),
        metadata={"future_dated": future.height, "article_ids": _ids(future, "article_id")},
    )


@dg.asset_check(asset="articles", blocking=True, description="Every article has a non-empty title.")
def articles_have_titles(storage: MarsadStorage) -> dg.AssetCheckResult:
    untitled = storage.read_staged("articles").filter(
        pl.col("title").is_null() | (pl.col("title").str.strip_chars() == "")
    )
    return dg.AssetCheckResult(
        passed=untitled.is_empty(),
        metadata={"untitled": untitled.height, "article_ids": _ids(untitled, "article_id")},
    )


@dg.asset_check(
    asset="headlines",
    description="Each headline was first seen no later than last seen, on at least one page.",
)
def headlines_sightings_consistent(storage: MarsadStorage) -> dg.AssetCheckResult:
    bad = storage.read_staged("headlines").filter(
        (pl.col("first_seen") > pl.col("last_seen")) | (pl.col("page_count") < 1)
    )
    return dg.AssetCheckResult(
        passed=bad.is_empty(),
        metadata={"inconsistent": bad.height, "headline_ids": _ids(bad, "headline_id")},
    )


@dg.asset_check(
    asset=warehouse,
    description="The published file has every documented table and column, each with a "
    "comment, and the staged row counts.",
)
def warehouse_contract(storage: MarsadStorage) -> dg.AssetCheckResult:
    problems: list[str] = []
    with connect_read_only(storage.warehouse) as con:
        table_comments = dict(
            con.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall()
        )
        column_comments = {
            (t, c): comment
            for t, c, comment in con.execute(
                "SELECT table_name, column_name, comment FROM duckdb_columns()"
            ).fetchall()
        }
        for name, table in TABLES.items():
            if not table_comments.get(name):
                problems.append(f"table {name} missing or without comment")
                continue
            problems += [
                f"column {name}.{c.name} missing or without comment"
                for c in table.columns
                if not column_comments.get((name, c.name))
            ]
            if name in WAREHOUSE_TABLES:
                rows = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                staged = storage.read_staged(name).height
                if rows != staged:
                    problems.append(f"{name}: {rows} rows published, {staged} staged")
    return dg.AssetCheckResult(
        passed=not problems, metadata={"problems": dg.MetadataValue.json(problems)}
    )
