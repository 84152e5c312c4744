"""Aggregates recomputed once per publish, in SQL: entities (only those mentioned anew, then
which are other names of another) and outlets.
"""

from __future__ import annotations

import duckdb
import polars as pl

from marsad.enrich.entities.merge import entity_merges
from marsad.ingest.outlets import registry
from marsad.warehouse.state import STATE_SCHEMA

# Proclitics a spelling may carry before a name (بالاتحاد, وبوتين), and those that take the
# place of the article's alef (للاتحاد, وللاتحاد), as DuckDB lists.
_PROCLITICS = "['و', 'ف', 'ب', 'ل', 'ك', 'وب', 'ول', 'وك', 'فب', 'فل', 'فك']"
_ARTICLE_PROCLITICS = "['لل', 'ولل', 'فلل']"
# A bare spelling names the entity when seen at least 1/BARE_SPELLING_SHARE as often as the
# spelling behind a proclitic.
BARE_SPELLING_SHARE = 20


def finish(con: duckdb.DuckDBPyConnection, touched_entities: set[str]) -> None:
    """Recompute the aggregates the new slices touched: entities (only those mentioned
    anew) and outlets (a small table, from all articles, in SQL)."""
    entity_aggregates(con, touched_entities)
    outlet_aggregates(con)


def entity_aggregates(con: duckdb.DuckDBPyConnection, touched_entities: set[str]) -> None:
    """Rebuild the ``entities`` rows of the entities mentioned anew, then the merges."""
    if not touched_entities:
        return
    con.register(
        "touched",
        pl.DataFrame({"entity_id": sorted(touched_entities)}, schema={"entity_id": pl.String}),
    )
    con.execute("DELETE FROM entities WHERE entity_id IN (SELECT entity_id FROM touched)")
    # The name shown is the fullest spelling (a surname alone links to the full name), one
    # written without a proclitic where the entity also has that spelling bare (not
    # بالاتحاد السعودي, which a repeated footer may make the most frequent), the one seen
    # most often among those (ties: the shortest, then first in order). A bare spelling seen
    # under a twentieth as often is a slip, not the name: one يينا beside 349 فيينا (Vienna).
    con.execute(
        f"""
        INSERT INTO entities
        WITH spelled AS (
            SELECT entity_id, any_value(type) AS type, text, sum(mentions) AS mentions
            FROM {STATE_SCHEMA}.entity_spellings JOIN touched USING (entity_id)
            GROUP BY entity_id, text
        ),
        behind_clitic AS (
            SELECT DISTINCT entity_id, s AS text, true AS behind
            FROM (
                SELECT a.entity_id, a.text AS s, b.text AS t, length(a.text) - length(b.text) AS d,
                       a.mentions AS s_mentions, b.mentions AS t_mentions
                FROM spelled a JOIN spelled b ON a.entity_id = b.entity_id AND a.text <> b.text
            )
            WHERE d >= 0 AND t_mentions * {BARE_SPELLING_SHARE} >= s_mentions AND (
                list_contains({_PROCLITICS}, left(s, d)) AND s[d + 1:] = t
                OR t[:2] = 'ال' AND list_contains({_ARTICLE_PROCLITICS}, left(s, d + 2))
                AND s[d + 3:] = t[3:]
            )
        ),
        named AS (
            SELECT entity_id, any_value(type) AS type,
                   list(text ORDER BY length(regexp_split_to_array(trim(text), '\\s+')) DESC,
                        behind IS NOT NULL, mentions DESC, length(text), text) AS spellings,
                   sum(mentions)::BIGINT AS mentions
            FROM spelled LEFT JOIN behind_clitic USING (entity_id, text) GROUP BY entity_id
        ),
        placed AS (
            SELECT entity_id,
                   first(country_code ORDER BY mentions DESC, country_code) AS country_code
            FROM (
                SELECT entity_id, country_code, sum(mentions) AS mentions
                FROM {STATE_SCHEMA}.entity_spellings JOIN touched USING (entity_id)
                WHERE country_code IS NOT NULL GROUP BY ALL
            ) GROUP BY entity_id
        ),
        counted AS (
            SELECT entity_id, count(DISTINCT article_id)::BIGINT AS articles
            FROM article_entities JOIN touched USING (entity_id) GROUP BY entity_id
        )
        SELECT n.entity_id, n.type, n.spellings[1], p.country_code, c.articles,
               n.mentions, n.spellings, NULL, NULL
        FROM named n JOIN counted c USING (entity_id) LEFT JOIN placed p USING (entity_id)
        """
    )
    con.unregister("touched")
    touched_entities.clear()
    merge_entities(con)


def merge_entities(con: duckdb.DuckDBPyConnection) -> None:
    """Which entities are other names of another, decided anew over the whole entities
    table (its size follows the names, not the articles): a new article can make a
    surname's full name dominant, or no longer so."""
    merges = entity_merges(
        con.sql(
            "SELECT entity_id, type, name, mentions, articles, country_code FROM entities"
        ).pl(),
        con.sql(f"SELECT * FROM {STATE_SCHEMA}.acronym_pairs").pl(),
    )
    con.execute(
        "UPDATE entities SET merged_into = NULL, merge_rule = NULL WHERE merge_rule IS NOT NULL"
    )
    if merges.height:
        con.register("merges", merges)
        con.execute(
            """
            UPDATE entities e SET merged_into = m.merged_into, merge_rule = m.rule
            FROM merges m WHERE e.entity_id = m.entity_id
            """
        )
        con.unregister("merges")


def outlet_aggregates(con: duckdb.DuckDBPyConnection) -> None:
    """The outlets table, from all articles (a small table, in SQL)."""
    con.execute("DELETE FROM outlets")
    con.register("registry", registry().select("outlet_id", "name", "name_en", "country"))
    con.execute(
        """
        INSERT INTO outlets
        WITH seen AS (
            SELECT outlet_id, outlet_name, count(*)::BIGINT AS articles,
                   list_sort(list_distinct(list(outlet))) AS spellings,
                   min(published_date) AS first_published,
                   max(published_date) AS last_published
            FROM articles GROUP BY outlet_id, outlet_name
        ),
        sourced AS (
            SELECT source_credit_id AS outlet_id, count(*)::BIGINT AS articles FROM articles
            WHERE source_credit_id IS DISTINCT FROM outlet_id GROUP BY source_credit_id
        )
        SELECT r.outlet_id, r.name, r.name_en, r.country, coalesce(s.articles, 0),
               coalesce(c.articles, 0), s.spellings, s.first_published, s.last_published, true
        FROM registry r LEFT JOIN seen s ON s.outlet_id = r.outlet_id
        LEFT JOIN sourced c ON c.outlet_id = r.outlet_id
        UNION ALL
        SELECT NULL, outlet_name, NULL, NULL, articles, 0, spellings, first_published,
               last_published, false
        FROM seen WHERE outlet_id IS NULL
        """
    )
    con.unregister("registry")
