"""The assembly's own state, kept in the ``marsad_state`` schema of the warehouse file: the
batches it holds, every article text seen, the MinHash bands of its articles, per-entity
spelling counts and the acronyms written after organisations' names. Published with the
tables in one file, so the two never disagree.
"""

from __future__ import annotations

import duckdb
import polars as pl

from marsad.enrich.entities.merge import TEXT_AFTER_NAME, acronym_pairs
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
    "acronym_pairs": (
        "Organisations' names followed by a one-word name in brackets (منظمة البلدان المصدرة "
        "للبترول (أوبك)): the articles that write each pair, for the rule 'acronym spelled out'.",
        "entity_id VARCHAR, acronym_id VARCHAR, articles BIGINT",
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
    for name in STATE_TABLES:
        _create_state_table(con, name)


def _create_state_table(con: duckdb.DuckDBPyConnection, name: str) -> None:
    comment, columns = STATE_TABLES[name]
    con.execute(f"CREATE TABLE {STATE_SCHEMA}.{name} ({columns})")
    con.execute(f"COMMENT ON TABLE {STATE_SCHEMA}.{name} IS {quoted(comment)}")


def add_acronym_pairs(con: duckdb.DuckDBPyConnection, pairs: pl.DataFrame) -> None:
    """Add a slice's acronym pairs (``merge.acronym_pairs``) to the counts so far."""
    if not pairs.height:
        return
    con.register("incoming", pairs)
    con.execute(
        f"""
        MERGE INTO {STATE_SCHEMA}.acronym_pairs s USING incoming i
        ON s.entity_id = i.entity_id AND s.acronym_id = i.acronym_id
        WHEN MATCHED THEN UPDATE SET articles = s.articles + i.articles
        WHEN NOT MATCHED THEN INSERT (entity_id, acronym_id, articles)
            VALUES (i.entity_id, i.acronym_id, i.articles)
        """
    )
    con.unregister("incoming")


def upgrade_state(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Create the state tables a warehouse built by an earlier release lacks, filled from
    the rows it holds (once; later slices add to them). Returns the tables created."""
    held = {
        row[0]
        for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = ?", [STATE_SCHEMA]
        ).fetchall()
    }
    created = [name for name in STATE_TABLES if name not in held]
    for name in created:
        _create_state_table(con, name)
    if "acronym_pairs" in created:
        # Read back in one pass over the organisations' mentions: only the text after each.
        mentions = con.sql(
            f"""
            SELECT m.article_id, m.entity_id, e.type,
                   substring(CASE m.field WHEN 'title' THEN a.title ELSE a.body END,
                             m."end" + 1, {TEXT_AFTER_NAME}) AS after
            FROM entity_mentions m JOIN entities e USING (entity_id)
            JOIN articles a USING (article_id)
            WHERE e.type = 'ORG'
            """
        ).pl()
        add_acronym_pairs(con, acronym_pairs(mentions))
    return created


def published_batches(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            f"SELECT batch_id FROM {STATE_SCHEMA}.batches ORDER BY seq"
        ).fetchall()
    ]
