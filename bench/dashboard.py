"""Dashboard query latency on a warehouse of 1,000,000 articles (`python -m bench dashboard`).

The warehouse is generated in DuckDB directly (the documented schema, random but plausible
rows: 40 outlets, 17 topics, 20 countries, 20,000 entities, four years of dates, a search
index of about 150 million word rows), then every
query a page runs is timed with the cache cleared, over several selections; p50 and p95 per
page (the sum of its queries) are printed.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from marsad.warehouse.schema import TABLES, create_table


def build(path: Path, articles: int) -> None:
    with duckdb.connect(str(path)) as con:
        for table in TABLES.values():
            create_table(con, table)
        con.execute(
            f"""
            INSERT INTO articles BY NAME
            SELECT 'a' || i AS article_id, 's' || (i // 3) AS story_id, 'p' || i AS page_id,
                   'https://example.org/' || i AS url,
                   'منبر ' || (i % 40) AS outlet, 'منبر ' || (i % 40) AS outlet_name,
                   'o' || (i % 40) AS outlet_id,
                   ['MA','DZ','TN','EG','SA','LB','JO','QA'][1 + i % 8] AS outlet_country,
                   'byline' AS outlet_source,
                   DATE '2021-01-01' + CAST(hash(i) % 1460 AS INTEGER) AS published_date,
                   'byline' AS date_source, 'ok' AS date_flag,
                   'عنوان الخبر رقم ' || i
                       || CASE WHEN i % 97 = 0 THEN ' أحمد' ELSE '' END AS title,
                   repeat('نص الخبر عن الاقتصاد والسياسة في المنطقة. ', 20) AS body,
                   'ar' AS language,
                   lpad(CAST(1 + hash(i * 7) % 17 AS VARCHAR), 2, '0') || '000000' AS topic,
                   1 AS page_count, TIMESTAMPTZ '2025-01-01' AS fetched_at
            FROM range({articles}) t(i)
            """
        )
        con.execute(
            """
            INSERT INTO topics SELECT lpad(CAST(i AS VARCHAR), 2, '0') || '000000',
                'medtop:' || lpad(CAST(i AS VARCHAR), 2, '0') || '000000', 'topic ' || i,
                'موضوع ' || i, '' FROM range(1, 18) t(i)
            """
        )
        con.execute(
            """
            INSERT INTO article_countries
            SELECT article_id, code, 1 + CAST(hash(article_id || code) % 4 AS BIGINT), k = 0
            FROM (
                SELECT article_id, k,
                       ['MA', 'DZ', 'TN', 'EG', 'SA', 'LB', 'JO', 'QA', 'US', 'FR', 'RU', 'CN',
                        'TR', 'IR', 'IL', 'PS', 'SY', 'IQ', 'YE', 'LY']
                       [1 + CAST(hash(article_id || k) % 20 AS BIGINT)] AS code
                FROM articles, range(2) r(k)
            )
            QUALIFY row_number() OVER (PARTITION BY article_id, code ORDER BY k) = 1
            """
        )
        con.execute(
            """
            INSERT INTO entities SELECT 'e' || i, ['PER','ORG','LOC'][1 + i % 3], 'كيان ' || i,
                NULL, 0, 0, [],
                -- One entity in ten is another name of the one before it (entity merges).
                CASE WHEN i % 10 = 9 THEN 'e' || (i - 1) END,
                CASE WHEN i % 10 = 9 THEN 'surname alone' END
            FROM range(20000) t(i)
            """
        )
        con.execute(
            """
            INSERT INTO article_entities
            SELECT DISTINCT article_id, 'e' || (hash(article_id || k) % 20000), 1, false
            FROM articles, range(3) r(k)
            """
        )
        # The search index as the pipeline writes it: about 170 word keys per article from a
        # Zipf-like vocabulary of 200,000 keys (as in news text), plus the title's أحمد.
        con.execute(
            """
            INSERT INTO article_words
            SELECT word, article_id FROM (
                SELECT DISTINCT 'كلمه' || CAST(floor(pow(200000,
                    (hash(i * 1000 + k) % 100000) / 100000.0)) AS INTEGER) AS word, article_id
                FROM (SELECT article_id, CAST(substr(article_id, 2) AS BIGINT) AS i
                      FROM articles), range(170) r(k)
                UNION ALL
                SELECT 'احمد', article_id FROM articles WHERE title LIKE '%أحمد'
            )
            ORDER BY word, article_id
            """
        )
        con.execute(
            """
            INSERT INTO entity_mentions
            SELECT article_id, entity_id, 'body', 10 * k, 10 * k + 8, 'كيان'
            FROM article_entities, range(2) r(k)
            """
        )
        # Ticker headlines: one for every three articles, shown for a few hours to days.
        con.execute(
            f"""
            INSERT INTO headlines
            SELECT 'h' || i, 'عاجل: خبر الشريط رقم ' || i, seen,
                   seen + to_hours(CAST(hash(i) % 96 AS BIGINT)),
                   1 + hash(i * 3) % 40, 1 + hash(i * 3) % 60,
                   lpad(CAST(1 + hash(i * 5) % 17 AS VARCHAR), 2, '0') || '000000'
            FROM (SELECT i, TIMESTAMPTZ '2021-01-01'
                                + to_minutes(CAST(hash(i) % (1460 * 1440) AS BIGINT)) AS seen
                  FROM range({articles // 3}) t(i))
            """
        )
        con.execute(
            """
            INSERT INTO headline_countries
            SELECT headline_id, ['MA', 'DZ', 'TN', 'EG', 'SA', 'LB', 'JO', 'QA', 'US', 'FR']
                   [1 + CAST(hash(headline_id) % 10 AS BIGINT)], 1
            FROM headlines
            """
        )
        con.execute(
            """
            INSERT INTO pages (page_id, source_file, record_no, status, article_id)
            SELECT page_id, 'f', 1, 'article', article_id FROM articles
            """
        )
        con.execute("CHECKPOINT")


def main(articles: int = 1_000_000, rounds: int = 5) -> None:
    import os

    import streamlit as st  # noqa: F401 - the queries module caches through it

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "w.duckdb"
        start = time.perf_counter()
        build(path, articles)
        print(
            f"dashboard: built a warehouse of {articles:,} articles in "
            f"{time.perf_counter() - start:.0f} s ({path.stat().st_size / 1e9:.1f} GB)"
        )
        os.environ["MARSAD_WAREHOUSE"] = str(path)
        from dashboards import published, queries
        from dashboards.queries import Selection

        first, last = queries.date_bounds()
        selections = [
            queries.Selection(first, last),
            queries.Selection(first, last, topics=("04000000",)),
            queries.Selection(first, last, countries=("EG", "MA"), about_only=False),
            queries.Selection(first, last, outlets=("منبر 3", "منبر 7")),
            queries.Selection(first, last, search="احمد"),
            queries.Selection(first, last, search="كلمة12 أحمد"),
        ]
        pages = {
            "coverage": lambda s: (queries.totals(s), queries.coverage(s, "topic", "week")),
            "coverage by country": lambda s: queries.coverage(s, "country", "month"),
            "map": queries.countries_map,
            "articles": queries.articles,
            "entities": lambda s: (
                queries.top_entities(s),
                queries.coverage(Selection(**{**s.__dict__, "entity": "e7"}), "none", "week"),
                queries.co_occurring(s, "e7"),
            ),
            "outlets": lambda s: queries.coverage(s, "outlet", "week", top=20),
            "headlines": lambda s: (
                queries.collection_start(),
                queries.headline_days(s),
                queries.headlines(s),
            ),
            "article reader": lambda s: (
                queries.article("a4242"),
                queries.article_mentions("a4242"),
                queries.article_country_list("a4242"),
            ),
        }
        for name, page in pages.items():
            times = []
            for _ in range(rounds):
                for selection in selections:
                    published._cached.clear()
                    started = time.perf_counter()
                    page(selection)
                    times.append(time.perf_counter() - started)
            p95 = statistics.quantiles(times, n=20)[-1]
            print(f"dashboard: {name:<20} p50 {statistics.median(times):.3f} s  p95 {p95:.3f} s")
