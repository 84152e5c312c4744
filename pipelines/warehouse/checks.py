"""Data quality guards on the published warehouse: the accounting invariant (also enforced
before every publish), trusted dates, titles, the schema contract."""

import dagster as dg
import duckdb

from marsad.warehouse.schema import TABLES, connect_read_only
from marsad.warehouse.state import published_batches
from marsad.warehouse.tables import warehouse_accounting_errors
from pipelines.resources import MarsadStorage

MAX_IDS = 20  # failing ids shown in the UI; enough to start looking


def _failing(con: duckdb.DuckDBPyConnection, id_column: str, table: str, where: str) -> tuple:
    count = con.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchall()[0][0]
    ids = [
        row[0]
        for row in con.execute(
            f"SELECT {id_column} FROM {table} WHERE {where} ORDER BY 1 LIMIT {MAX_IDS}"
        ).fetchall()
    ]
    return count, dg.MetadataValue.json(ids)


@dg.asset_check(
    asset="pages",
    description="Every input record of every published batch is one page; pages = articles + "
    "duplicates + quarantined + skipped.",
)
def pages_accounting(storage: MarsadStorage) -> dg.AssetCheckResult:
    with connect_read_only(storage.warehouse) as con:
        inputs = storage.stage.rows("raw_pages", published_batches(con))
        errors = warehouse_accounting_errors(con, inputs)
        counts = dict(con.execute("SELECT status, count(*) FROM pages GROUP BY 1").fetchall())
    return dg.AssetCheckResult(
        passed=not errors,
        metadata={"input_records": inputs, "errors": dg.MetadataValue.json(errors), **counts},
    )


@dg.asset_check(
    asset="articles",
    description="No article has a publication date after today (UTC).",
)
def articles_dates_not_in_future(storage: MarsadStorage) -> dg.AssetCheckResult:
    with connect_read_only(storage.warehouse) as con:
        future, ids = _failing(
            con, "article_id", "articles",
            "published_date > (now() AT TIME ZONE 'UTC')::DATE",
        )  # fmt: skip
    return dg.AssetCheckResult(
        passed=future == 0, metadata={"future_dated": future, "article_ids": ids}
    )


@dg.asset_check(asset="articles", description="Every article has a non-empty title.")
def articles_have_titles(storage: MarsadStorage) -> dg.AssetCheckResult:
    with connect_read_only(storage.warehouse) as con:
        untitled, ids = _failing(con, "article_id", "articles", "title IS NULL OR trim(title) = ''")
    return dg.AssetCheckResult(
        passed=untitled == 0, metadata={"untitled": untitled, "article_ids": ids}
    )


@dg.asset_check(
    asset="headlines",
    description="Each headline was first seen no later than last seen, on at least one page.",
)
def headlines_sightings_consistent(storage: MarsadStorage) -> dg.AssetCheckResult:
    with connect_read_only(storage.warehouse) as con:
        bad, ids = _failing(
            con, "headline_id", "headlines", "first_seen > last_seen OR page_count < 1"
        )
    return dg.AssetCheckResult(passed=bad == 0, metadata={"inconsistent": bad, "headline_ids": ids})


@dg.asset_check(
    asset="warehouse",
    description="The published file has every documented table and column, each with a comment.",
)
def warehouse_contract(storage: MarsadStorage) -> dg.AssetCheckResult:
    problems: list[str] = []
    with connect_read_only(storage.warehouse) as con:
        table_comments = dict(
            con.execute(
                "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'main'"
            ).fetchall()
        )
        column_comments = {
            (t, c): comment
            for t, c, comment in con.execute(
                "SELECT table_name, column_name, comment FROM duckdb_columns() "
                "WHERE schema_name = 'main'"
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
    return dg.AssetCheckResult(
        passed=not problems, metadata={"problems": dg.MetadataValue.json(problems)}
    )
