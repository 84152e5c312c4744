"""Page records and parsed pages to the warehouse tables (DESIGN.md §3), as Polars frames.

Every page record becomes exactly one ``pages`` row with a status:
``article`` (first page of a distinct article), ``duplicate`` (the same article seen before)
or ``quarantined`` (with a ``quarantine`` row saying why).
"""

from __future__ import annotations

import polars as pl

from marsad.arabic import match_keyed
from marsad.ids import stable_id_expr

PAGE_STATUSES = ("article", "duplicate", "quarantined")

QUARANTINE_DETAILS = {
    "empty": "the page holds no text",
    "no_byline": "no byline line ('نشر في OUTLET يوم DATE') found",
    "no_title": "a byline but no title line before it",
}

_ARABIC_LETTER = r"[\x{0621}-\x{064A}\x{066E}-\x{06D3}]"


def language_of(text: pl.Expr) -> pl.Expr:
    """``ar`` when most letters are Arabic, else ``und`` (undetermined)."""
    letters = text.str.count_matches(r"\p{L}")
    arabic = text.str.count_matches(_ARABIC_LETTER)
    return pl.when(arabic > 0.5 * letters).then(pl.lit("ar")).otherwise(pl.lit("und"))


def join_parsed(records: pl.DataFrame, parsed: pl.DataFrame) -> pl.DataFrame:
    """Page records with their parsed parts; ``rejection`` is the first reason a page fails."""
    return (
        records.drop("text")
        .join(parsed, on="page_id", how="left")
        .with_columns(
            pl.coalesce("read_error", "parse_error").alias("rejection"),
            pl.coalesce(
                "read_error_detail",
                pl.col("parse_error").replace_strict(QUARANTINE_DETAILS, default=None),
            ).alias("rejection_detail"),
        )
    )


def _with_article_ids(pages: pl.DataFrame) -> pl.DataFrame:
    # Same title and body (after Arabic normalization) = the same article, wherever seen.
    article_key = stable_id_expr(match_keyed(pl.col("title")), match_keyed(pl.col("body")))
    accepted = pl.col("rejection").is_null()
    return (
        pages.sort("source_file", "record_no")
        .with_columns(pl.when(accepted).then(article_key).alias("article_id"))
        .with_columns(
            pl.when(~accepted)
            .then(pl.lit("quarantined"))
            .when(pl.col("page_id") == pl.col("page_id").first().over("article_id"))
            .then(pl.lit("article"))
            .otherwise(pl.lit("duplicate"))
            .alias("status")
        )
    )


def build_tables(records: pl.DataFrame, parsed: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The warehouse tables ``pages``, ``articles``, ``headlines``, ``page_headlines``,
    ``quarantine`` from page records (``raw_inputs.RECORD_SCHEMA``) and parsed pages."""
    joined = _with_article_ids(join_parsed(records, parsed))

    pages = joined.select(
        "page_id",
        "source_file",
        "record_no",
        "url",
        "fetched_at",
        "fetched_at_source",
        "site",
        "status",
        "article_id",
        "byte_size",
        "encoding",
        "notes",
    )

    seen = (
        joined.filter(pl.col("article_id").is_not_null())
        .group_by("article_id")
        .agg(pl.len().alias("page_count"))
    )
    articles = (
        joined.filter(pl.col("status") == "article")
        .join(seen, on="article_id")
        .select(
            "article_id",
            "page_id",
            "url",
            "outlet",
            "published_date",
            pl.when(pl.col("published_date").is_not_null())
            .then(pl.lit("byline"))
            .alias("date_source"),
            "date_flag",
            "byline_date",
            "title",
            "body",
            language_of(pl.col("title") + pl.lit(" ") + pl.col("body")).alias("language"),
            pl.lit(None, dtype=pl.String).alias("topic"),
            "page_count",
            "fetched_at",
        )
    )

    sightings = (
        joined.filter(pl.col("headlines").list.len() > 0)
        .select("page_id", "fetched_at", "headlines")
        .with_columns(pl.int_ranges(1, pl.col("headlines").list.len() + 1).alias("position"))
        .explode("headlines", "position")
        .rename({"headlines": "text"})
        .with_columns(stable_id_expr(match_keyed(pl.col("text"))).alias("headline_id"))
    )
    headlines = (
        sightings.sort("fetched_at", "page_id", "position")
        .group_by("headline_id", maintain_order=True)
        .agg(
            pl.col("text").first(),
            pl.col("fetched_at").min().alias("first_seen"),
            pl.col("fetched_at").max().alias("last_seen"),
            pl.col("page_id").n_unique().cast(pl.Int64).alias("page_count"),
            pl.len().cast(pl.Int64).alias("sightings"),
        )
        .with_columns(pl.lit(None, dtype=pl.String).alias("topic"))
        .sort("first_seen", "headline_id")
    )
    page_headlines = sightings.select("page_id", "headline_id", pl.col("position").cast(pl.Int64))

    quarantine = joined.filter(pl.col("status") == "quarantined").select(
        "source_file",
        "record_no",
        "page_id",
        pl.col("rejection").alias("reason"),
        pl.col("rejection_detail").alias("detail"),
    )
    return {
        "pages": pages,
        "articles": articles,
        "headlines": headlines,
        "page_headlines": page_headlines,
        "quarantine": quarantine,
    }


def accounting_errors(tables: dict[str, pl.DataFrame], input_records: int) -> list[str]:
    """Breaches of the accounting invariant (DESIGN.md §3); empty when the books balance."""
    pages, articles, quarantine = tables["pages"], tables["articles"], tables["quarantine"]
    errors = []
    if pages.height != input_records:
        errors.append(f"{input_records} input records but {pages.height} pages")
    duplicated = pages.filter(pl.struct("source_file", "record_no").is_duplicated())
    if duplicated.height:
        errors.append(f"{duplicated.height} pages share a (source_file, record_no)")
    counts = dict(pages.group_by("status").len().iter_rows())
    unknown = set(counts) - set(PAGE_STATUSES)
    if unknown:
        errors.append(f"unknown page statuses: {sorted(unknown)}")
    if counts.get("article", 0) != articles.height:
        errors.append(f"{counts.get('article', 0)} article pages but {articles.height} articles")
    if counts.get("quarantined", 0) != quarantine.height:
        errors.append(
            f"{counts.get('quarantined', 0)} quarantined pages "
            f"but {quarantine.height} quarantine rows"
        )
    if sum(counts.values()) != pages.height:
        errors.append("page statuses do not add up to the pages")
    return errors
