"""The DuckDB warehouse: its documented schema and its atomic publication.

The schema here is the contract with ad-hoc SQL users (DESIGN.md §3): every table and column
carries a ``COMMENT``. ``publish`` writes a complete new database file next to the old one and
renames it over, so a reader sees either the old warehouse or the new one, never a half-built
one, and is never locked out (the writer never opens the published file).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    comment: str


@dataclass(frozen=True)
class Table:
    name: str
    comment: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


C = Column
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "pages",
            "One row per input record (every record of every input file, nothing left out).",
            (
                C(
                    "page_id",
                    "VARCHAR",
                    "Stable id of the input record (hash of file and record number, and of the "
                    "file's content when the file was rewritten in place).",
                ),
                C(
                    "source_file",
                    "VARCHAR",
                    "Absolute path of the input file; for a member of a .zip or .tar archive, "
                    "the archive's path, '!' and the member's name.",
                ),
                C("record_no", "BIGINT", "1-based number of the record within its file."),
                C(
                    "input_format",
                    "VARCHAR",
                    "Kind of input the record came from: txt, html, warc, wet, jsonl, parquet; "
                    "archive or unknown for a record that stands for an unreadable file.",
                ),
                C("url", "VARCHAR", "URL the page was fetched from, when known."),
                C("fetched_at", "TIMESTAMPTZ", "When the page was crawled (UTC)."),
                C(
                    "fetched_at_source",
                    "VARCHAR",
                    "Where fetched_at comes from: sidecar, warc_date, column or file_mtime.",
                ),
                C("site", "VARCHAR", "Host the page was collected from (the aggregator)."),
                C("status", "VARCHAR", "article, duplicate, quarantined or skipped."),
                C(
                    "reason",
                    "VARCHAR",
                    "Why a page is quarantined or skipped (see quarantine.reason for bad input).",
                ),
                C(
                    "article_id",
                    "VARCHAR",
                    "The article this page carries (for article and duplicate pages).",
                ),
                C("byte_size", "BIGINT", "Size of the raw record in bytes."),
                C(
                    "encoding",
                    "VARCHAR",
                    "Detected text encoding: utf-8, utf-16-le, utf-16-be, windows-1256, or html.",
                ),
                C("notes", "VARCHAR", "Warnings about the record that did not stop it."),
            ),
            ("page_id",),
        ),
        Table(
            "articles",
            "One row per distinct article (duplicates across pages removed).",
            (
                C(
                    "article_id",
                    "VARCHAR",
                    "Stable id of the article (hash of normalized title and body).",
                ),
                C(
                    "story_id",
                    "VARCHAR",
                    "Story the article belongs to: near-copies across outlets share it.",
                ),
                C("page_id", "VARCHAR", "First page the article was found on."),
                C("url", "VARCHAR", "URL of that page, when known."),
                C(
                    "outlet",
                    "VARCHAR",
                    "Original outlet as the page credits it (byline; else URL or site name), "
                    "not the aggregator.",
                ),
                C("outlet_id", "VARCHAR", "Registry id of the outlet; null when unknown."),
                C("outlet_country", "VARCHAR", "Country the outlet publishes from (ISO 3166-1)."),
                C(
                    "outlet_name",
                    "VARCHAR",
                    "Canonical name of the outlet (registry), or as written when unknown: "
                    "group by this.",
                ),
                C(
                    "outlet_source",
                    "VARCHAR",
                    "Where the outlet comes from: byline, url, metadata.",
                ),
                C(
                    "source_credit",
                    "VARCHAR",
                    "Agency or paper whose copy the article credits (a dateline's 'الرياض - "
                    "واس', a closing '(رويترز)', a syndication service's 'خدمة «نيويورك "
                    "تايمز»'): the registry's name, or وكالات for unnamed agencies; null "
                    "when the text credits none.",
                ),
                C(
                    "source_credit_id",
                    "VARCHAR",
                    "Registry id of source_credit; null for unnamed agencies or none.",
                ),
                C(
                    "published_date",
                    "DATE",
                    "Publication date; null when missing, unparsed, in the future or before 1990.",
                ),
                C("date_source", "VARCHAR", "Where published_date comes from: byline or metadata."),
                C("date_flag", "VARCHAR", "ok, missing, unparsed, future or too_old."),
                C("byline_date", "VARCHAR", "The date as written in the byline."),
                C("title", "VARCHAR", "Headline of the article."),
                C("body", "VARCHAR", "Body paragraphs joined by newlines, boilerplate removed."),
                C(
                    "language",
                    "VARCHAR",
                    "ar when most letters of the title and the body's first 2,000 characters "
                    "are Arabic, else und.",
                ),
                C(
                    "topic",
                    "VARCHAR",
                    "Primary IPTC Media Topic code (see topics); null when the text has no "
                    "word the classifier knows.",
                ),
                C("page_count", "BIGINT", "Number of pages the article was seen on."),
                C("fetched_at", "TIMESTAMPTZ", "When the first page was crawled (UTC)."),
            ),
            ("article_id",),
        ),
        Table(
            "article_words",
            "Search index: one row per word key of an article's title and body, sorted by "
            "word. A word is filed under each bare form it may stand for (بمصر under بمصر and "
            "مصر), so a lookup of a query word's bare form (marsad.arabic.query_keys) finds "
            "its clitic and spelling variants.",
            (
                C(
                    "word",
                    "VARCHAR",
                    "Normalized word without proclitics or article (marsad.arabic.search_keys).",
                ),
                C("article_id", "VARCHAR", "An article whose title or body has the word."),
            ),
        ),
        Table(
            "headlines",
            "One row per distinct ticker headline (by normalized text).",
            (
                C(
                    "headline_id",
                    "VARCHAR",
                    "Stable id of the headline (hash of its normalized text).",
                ),
                C("text", "VARCHAR", "The headline as first seen."),
                C("first_seen", "TIMESTAMPTZ", "Earliest crawl time of a page showing it."),
                C("last_seen", "TIMESTAMPTZ", "Latest crawl time of a page showing it."),
                C("page_count", "BIGINT", "Number of distinct pages whose ticker showed it."),
                C("sightings", "BIGINT", "Number of times it was shown (a ticker may repeat)."),
                C("topic", "VARCHAR", "Primary IPTC Media Topic code (see topics)."),
            ),
            ("headline_id",),
        ),
        Table(
            "page_headlines",
            "One row per sighting of a headline on a page's ticker.",
            (
                C("page_id", "VARCHAR", "Page whose ticker showed the headline."),
                C("headline_id", "VARCHAR", "The headline shown."),
                C(
                    "position",
                    "BIGINT",
                    "1-based position on the ticker, left to right in reading order.",
                ),
            ),
            ("page_id", "position"),
        ),
        Table(
            "topics",
            "The IPTC Media Topics (top level) articles and headlines are classified into.",
            (
                C("topic", "VARCHAR", "IPTC Media Topic code, e.g. 15000000 (sport)."),
                C("qcode", "VARCHAR", "The code as an IPTC qcode, e.g. medtop:15000000."),
                C("label_en", "VARCHAR", "English label."),
                C("label_ar", "VARCHAR", "Arabic label."),
                C(
                    "source_labels",
                    "VARCHAR",
                    "Labels of the training corpora mapped to this topic (source:label).",
                ),
            ),
            ("topic",),
        ),
        Table(
            "article_topics",
            "One row per article and topic with a score above 0.",
            (
                C("article_id", "VARCHAR", "The article."),
                C("topic", "VARCHAR", "IPTC Media Topic code."),
                C("score", "DOUBLE", "Probability of the topic (scores of an article sum to 1)."),
                C("is_primary", "BOOLEAN", "Whether this is the article's primary topic."),
            ),
            ("article_id", "topic"),
        ),
        Table(
            "headline_topics",
            "One row per ticker headline and topic with a score above 0.",
            (
                C("headline_id", "VARCHAR", "The headline."),
                C("topic", "VARCHAR", "IPTC Media Topic code."),
                C("score", "DOUBLE", "Probability of the topic (scores of a headline sum to 1)."),
                C("is_primary", "BOOLEAN", "Whether this is the headline's primary topic."),
            ),
            ("headline_id", "topic"),
        ),
        Table(
            "entities",
            "One row per distinct named entity (person, organisation, place).",
            (
                C(
                    "entity_id",
                    "VARCHAR",
                    "Stable id: type plus the clitic-free normalized words, so spellings and "
                    "clitic forms of one name are one entity; for a club name several "
                    "countries share (الأهلي) or that is an everyday word (النصر, in a "
                    "sports story), also the country the article settles, else its "
                    "outlet's, so Jeddah's and Cairo's are two entities.",
                ),
                C("type", "VARCHAR", "PER, ORG or LOC."),
                C(
                    "name",
                    "VARCHAR",
                    "The fullest spelling (most words), without a proclitic where the entity "
                    "is also written bare (الاتحاد, not بالاتحاد), the one seen most often "
                    "among those.",
                ),
                C(
                    "country_code",
                    "VARCHAR",
                    "ISO 3166-1 alpha-2 country of a place (or of an organisation named after "
                    "one); null for people and unplaced names.",
                ),
                C("articles", "BIGINT", "Articles that mention it."),
                C("mentions", "BIGINT", "Mentions in all articles."),
                C("spellings", "VARCHAR[]", "Every spelling seen, most frequent first."),
                C(
                    "merged_into",
                    "VARCHAR",
                    "The entity this one is another name of, across articles (السيسي of "
                    "عبدالفتاح السيسي, تنظيم داعش of داعش, منظمة البلدان المصدرة للبترول of "
                    "أوبك); null when it is its own. Count "
                    "a person once with coalesce(merged_into, entity_id).",
                ),
                C(
                    "merge_rule",
                    "VARCHAR",
                    "Why it was merged: same key, lineage cut short, lineage left out, "
                    "surname alone, organisation with its kind, one country, several names, "
                    "listed as one organisation or acronym spelled out "
                    "(marsad/enrich/entities/merge.py); 'given name alone' "
                    "for a bare given name (فهد), which is nobody in particular.",
                ),
            ),
            ("entity_id",),
        ),
        Table(
            "article_entities",
            "One row per entity mentioned in an article.",
            (
                C("article_id", "VARCHAR", "The article."),
                C("entity_id", "VARCHAR", "The entity."),
                C("mentions", "BIGINT", "Mentions in the title and body."),
                C("in_title", "BOOLEAN", "Whether the title names it."),
            ),
            ("article_id", "entity_id"),
        ),
        Table(
            "entity_mentions",
            "One row per mention of an entity, with character offsets for highlighting.",
            (
                C("article_id", "VARCHAR", "The article."),
                C("entity_id", "VARCHAR", "The entity."),
                C("field", "VARCHAR", "title or body."),
                C("start", "BIGINT", "Offset of the first character in the field (0-based)."),
                C("end", "BIGINT", "Offset just past the last character (exclusive)."),
                C("text", "VARCHAR", "The mention as written."),
            ),
        ),
        Table(
            "article_countries",
            "One row per country an article mentions (names, demonyms, cities, institutions, "
            "places located by context).",
            (
                C("article_id", "VARCHAR", "The article."),
                C("country_code", "VARCHAR", "ISO 3166-1 alpha-2."),
                C("mentions", "BIGINT", "Mentions in the title and body."),
                C(
                    "is_about",
                    "BOOLEAN",
                    "Whether it is one of the article's main countries (mentions weighted "
                    "towards title and lead; at least half the top country's weight).",
                ),
            ),
            ("article_id", "country_code"),
        ),
        Table(
            "headline_countries",
            "One row per country a ticker headline mentions.",
            (
                C("headline_id", "VARCHAR", "The headline."),
                C("country_code", "VARCHAR", "ISO 3166-1 alpha-2."),
                C("mentions", "BIGINT", "Mentions in the headline."),
            ),
            ("headline_id", "country_code"),
        ),
        Table(
            "quarantine",
            "One row per rejected input record, with the reason.",
            (
                C("source_file", "VARCHAR", "Absolute path of the input file."),
                C("record_no", "BIGINT", "1-based number of the record within its file."),
                C("page_id", "VARCHAR", "The pages row of the record."),
                C(
                    "reason",
                    "VARCHAR",
                    "Short code: empty, binary, undecodable, too_large, unreadable, truncated, "
                    "broken_warc, broken_archive, bad_json, bad_row, bad_parquet, bad_html, "
                    "no_text, no_byline, no_title.",
                ),
                C("detail", "VARCHAR", "Human-readable explanation."),
            ),
            ("page_id",),
        ),
        Table(
            "outlets",
            "Outlets of the registry and unknown outlets seen in bylines (in_registry false), "
            "for review.",
            (
                C("outlet_id", "VARCHAR", "Registry id; null for an outlet the registry lacks."),
                C("name", "VARCHAR", "Canonical name (Arabic), or as written when unknown."),
                C("name_en", "VARCHAR", "Name in Latin letters."),
                C("country", "VARCHAR", "Country the outlet publishes from (ISO 3166-1 alpha-2)."),
                C("articles", "BIGINT", "Articles credited to it in the warehouse."),
                C(
                    "sourced_articles",
                    "BIGINT",
                    "Articles of other outlets whose text credits it as their source "
                    "(articles.source_credit_id).",
                ),
                C("spellings", "VARCHAR[]", "How bylines wrote its name."),
                C("first_published", "DATE", "Earliest publication date of its articles."),
                C("last_published", "DATE", "Latest publication date of its articles."),
                C("in_registry", "BOOLEAN", "Whether marsad/data/outlets.csv knows it."),
            ),
        ),
    )
}


def create_table(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    # Keys are documented, not declared: DuckDB keeps a declared key's index in memory, which
    # would grow with the corpus on every publish; warehouse assembly keeps them unique and
    # the accounting check verifies the pages.
    columns = [f'"{c.name}" {c.sql_type}' for c in table.columns]
    con.execute(f'CREATE TABLE "{table.name}" (' + ", ".join(columns) + ")")
    comment = table.comment
    if table.primary_key:
        comment += " Key: " + ", ".join(table.primary_key) + "."
    con.execute(f'COMMENT ON TABLE "{table.name}" IS {quoted(comment)}')
    for c in table.columns:
        con.execute(f'COMMENT ON COLUMN "{table.name}"."{c.name}" IS {quoted(c.comment)}')


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def conform(table: Table, frame: pl.DataFrame) -> pl.DataFrame:
    """The frame's columns in the table's order; a missing or extra column is a bug."""
    missing = set(table.column_names) - set(frame.columns)
    extra = set(frame.columns) - set(table.column_names)
    if missing or extra:
        raise ValueError(
            f"{table.name}: columns missing from the frame: {sorted(missing)}, "
            f"not in the schema: {sorted(extra)}"
        )
    return frame.select(table.column_names)


def write_database(path: Path, frames: dict[str, pl.DataFrame]) -> None:
    """Create a new database file at ``path`` holding the documented tables."""
    with duckdb.connect(str(path)) as con:
        for name, table in TABLES.items():
            create_table(con, table)
            frame = conform(table, frames.get(name, pl.DataFrame(schema=table.column_names)))
            if frame.height:
                con.register("incoming", frame)
                con.execute(f'INSERT INTO "{name}" SELECT * FROM incoming')
                con.unregister("incoming")
        con.execute("CHECKPOINT")


def publish(frames: dict[str, pl.DataFrame], warehouse: Path) -> Path:
    """Build the warehouse in a temporary file beside ``warehouse`` and rename it over."""
    warehouse = Path(warehouse)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{warehouse.name}.", suffix=".building", dir=warehouse.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB must create the file itself
    try:
        write_database(tmp, frames)
        os.replace(tmp, warehouse)
        fsync_dir(warehouse.parent)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return warehouse


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def connect_read_only(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse."""
    if not Path(warehouse).is_file():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run `marsad run` first")
    return duckdb.connect(str(warehouse), read_only=True)
