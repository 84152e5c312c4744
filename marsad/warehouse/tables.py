"""The warehouse tables (DESIGN.md §3) of some page records as Polars frames, and the
accounting invariant.

Every page record becomes exactly one ``pages`` row with a status:
``article`` (first page of a distinct article), ``duplicate`` (the same article seen before,
exactly or with small edits by the same outlet), ``quarantined`` (bad input, with a
``quarantine`` row saying why) or ``skipped`` (not an Arabic news page: WARC requests, images,
other languages; ``pages.reason`` says which).

The tables are assembled by ``warehouse_assembly`` (the same code that adds batches to a
published warehouse), here in an in-memory database.
"""

from __future__ import annotations

import duckdb
import polars as pl

from marsad.enrich.entities.tagger import EntityTagger
from marsad.enrich.topics.model import TopicModel
from marsad.warehouse.assembly import WarehouseAssembly
from marsad.warehouse.schema import TABLES
from marsad.warehouse.state import create_warehouse

PAGE_STATUSES = ("article", "duplicate", "quarantined", "skipped")


def build_tables(
    records: pl.DataFrame,
    parsed: pl.DataFrame,
    annotations: pl.DataFrame | None = None,
    topic_model: TopicModel | None = None,
    tagger: EntityTagger | None = None,
) -> dict[str, pl.DataFrame]:
    """The warehouse tables from page records (``inputs.records.RECORD_SCHEMA``) and their
    article parts (``page_parsing.PARSED_COLUMNS``), as one slice added to an empty
    warehouse."""
    with duckdb.connect() as con:
        create_warehouse(con)
        assembly = WarehouseAssembly(con, topic_model, tagger)
        assembly.add(records, parsed, annotations)
        assembly.finish()
        return {name: read_table(con, name) for name in TABLES}


def read_table(con: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    """A warehouse table as a frame, in a stable order (its key, else its first columns)."""
    table = TABLES[name]
    order = table.primary_key or tuple(table.column_names[:2])
    columns = ", ".join(f'"{c}"' for c in order)
    return con.sql(f'SELECT * FROM "{name}" ORDER BY {columns}').pl()


def accounting_errors(tables: dict[str, pl.DataFrame], input_records: int) -> list[str]:
    """Breaches of the accounting invariant (DESIGN.md §3); empty when the books balance."""
    pages, articles, quarantine = tables["pages"], tables["articles"], tables["quarantine"]
    counts = dict(pages.group_by("status").len().iter_rows())
    duplicated = pages.filter(pl.col("page_id").is_duplicated()).height
    return ledger_errors(
        input_records, pages.height, duplicated, counts, articles.height, quarantine.height
    )


def warehouse_accounting_errors(con: duckdb.DuckDBPyConnection, input_records: int) -> list[str]:
    """``accounting_errors`` of a warehouse database, counted in SQL."""
    counts = dict(con.execute("SELECT status, count(*) FROM pages GROUP BY 1").fetchall())
    duplicated = con.execute(
        "SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM pages "
        "GROUP BY page_id HAVING n > 1)"
    ).fetchall()[0][0]
    pages = sum(counts.values())
    articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    quarantine = con.execute("SELECT count(*) FROM quarantine").fetchall()[0][0]
    return ledger_errors(input_records, pages, int(duplicated), counts, articles, quarantine)


def ledger_errors(
    input_records: int,
    pages: int,
    duplicated: int,
    counts: dict[str, int],
    articles: int,
    quarantine: int,
) -> list[str]:
    errors = []
    if pages != input_records:
        errors.append(f"{input_records} input records but {pages} pages")
    if duplicated:
        # A record is its page id (file, record number, and the content of a file rewritten
        # in place), so a page id twice is a record counted twice.
        errors.append(f"{duplicated} pages share a page_id")
    unknown = set(counts) - set(PAGE_STATUSES)
    if unknown:
        errors.append(f"unknown page statuses: {sorted(unknown)}")
    if counts.get("article", 0) != articles:
        errors.append(f"{counts.get('article', 0)} article pages but {articles} articles")
    if counts.get("quarantined", 0) != quarantine:
        errors.append(
            f"{counts.get('quarantined', 0)} quarantined pages but {quarantine} quarantine rows"
        )
    if sum(counts.values()) != pages:
        errors.append("page statuses do not add up to the pages")
    return errors
