"""The assembly's own state, kept in the ``marsad_state`` schema of the warehouse file: the
batches it holds, every article text seen, the MinHash bands of its articles and per-entity
spelling counts. Published with the tables in one file, so the two never disagree.
"""

from __future__ import annotations

import duckdb

from marsad.enrich.topics.taxonomy import topics_frame
from marsad.warehouse.schema import TABLES, create_table, quoted

STATE_SCHEMA = "marsad_state"

STATE_TABLES = {
    "batches": (
        "Ingest batches this warehouse holds, in the order they were added.",
        "batch_id VARCHAR, seq BIGINT, pages BIGINT, added_at TIMESTAMPTZ",
    ),
    "text_keys": (
        "Every distinct article text seen (exact key of normalized title and body), the "
        "article it belongs to and its order of arrival.",
        "exact_key VARCHAR, article_id VARCHAR, seq BIGINT",
    ),
    "article_bands": (
        "MinHash LSH bands of each article's word shingles: near-copy candidates share one.",
        "band SMALLINT, bucket UBIGINT, article_id VARCHAR",
    ),
    "entity_spellings": (
        "Mentions of each entity by spelling and country, summed over all articles.",
        "entity_id VARCHAR, type VARCHAR, text VARCHAR, country_code VARCHAR, mentions BIGINT",
    ),
}


def create_warehouse(con: duckdb.DuckDBPyConnection) -> None:
    """The documented tables (empty but for ``topics``) and the assembly state."""
    for table in TABLES.values():
        create_table(con, table)
    con.register("incoming", topics_frame())
    con.execute("INSERT INTO topics SELECT * FROM incoming")
    con.unregister("incoming")
    con.execute(f"CREATE SCHEMA {STATE_SCHEMA}")
    for name, (comment, columns) in STATE_TABLES.items():
        con.execute(f"CREATE TABLE {STATE_SCHEMA}.{name} ({columns})")
        con.execute(f"COMMENT ON TABLE {STATE_SCHEMA}.{name} IS {quoted(comment)}")


def published_batches(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            f"SELECT batch_id FROM {STATE_SCHEMA}.batches ORDER BY seq"
        ).fetchall()
    ]
