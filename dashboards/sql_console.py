"""Ad-hoc SQL for users: one read-only SELECT at a time, on the warehouse and nothing else.

Three locks, any of which alone refuses a write: only a single SELECT statement is accepted
(COPY, ATTACH, INSTALL, LOAD, CREATE, SET, PRAGMA… are refused by statement type); the
warehouse is attached read-only; and external access is switched off and the configuration
locked, so file-reading functions (read_csv, read_parquet, glob …) and extensions are
unavailable.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

ROW_LIMIT = 10_000
# The name the warehouse file is attached under, and every query's default database.
WAREHOUSE = "warehouse"


class RefusedQuery(ValueError):
    """The query is not a single read-only SELECT."""


def checked_select(sql: str) -> str:
    """The single SELECT statement of ``sql`` (without a trailing semicolon), or a refusal."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as error:
        raise RefusedQuery(f"not valid SQL: {error}") from error
    if len(statements) != 1:
        raise RefusedQuery(f"one statement at a time, got {len(statements)}")
    statement = statements[0]
    if statement.type != duckdb.StatementType.SELECT:
        raise RefusedQuery(f"only SELECT queries are allowed, not {statement.type.name}")
    return statement.query.strip().rstrip(";")


def locked_connection(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse file, read-only, in a database instance of its own.

    ``duckdb.connect(path)`` would share one instance among all connections to a path, and an
    instance opened before a publish keeps reading the replaced file: a connection opened
    after the publish would then see the old warehouse. An in-memory instance that attaches the
    file is never shared, so it reads the file that was at the path when it attached.
    """
    quoted = str(warehouse).replace("'", "''")
    con = duckdb.connect()
    con.execute(f"ATTACH '{quoted}' AS {WAREHOUSE} (READ_ONLY)")
    con.execute(f"USE {WAREHOUSE}")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def run_select(
    con: duckdb.DuckDBPyConnection, sql: str, limit: int = ROW_LIMIT
) -> tuple[pl.DataFrame, bool]:
    """Rows of a user's SELECT (at most ``limit``) and whether more were left out."""
    query = checked_select(sql)
    try:
        frame = con.sql(f"SELECT * FROM ({query}) LIMIT {int(limit) + 1}").pl()
    except duckdb.Error as error:
        raise RefusedQuery(str(error).splitlines()[0]) from error
    return frame.head(limit), frame.height > limit


def schema(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Tables and columns of the warehouse with their comments."""
    return con.sql(
        f"""
        SELECT c.table_name, t.comment AS table_comment, c.column_name, c.data_type, c.comment
        FROM duckdb_columns() c
        JOIN duckdb_tables() t USING (database_name, schema_name, table_name)
        WHERE NOT c.internal AND c.database_name = '{WAREHOUSE}' AND c.schema_name = 'main'
        ORDER BY c.table_name, c.column_index
        """
    ).pl()
