"""Rows of the warehouse tables from staged frames: pages joined with what their parse found
(the first reason a page has no article, its language), and the topic and country rows of
articles and headlines.
"""

from __future__ import annotations

import polars as pl

from marsad.arabic import ARABIC_LETTER
from marsad.enrich.entities.countries import article_countries
from marsad.enrich.entities.linking import CountryMention

QUARANTINE_DETAILS = {
    "empty": "the page holds no text",
    "no_byline": "no byline line ('نشر في OUTLET يوم DATE') found",
    "no_title": "a byline but no title line before it",
}


def language_of(text: pl.Expr) -> pl.Expr:
    """``ar`` when most letters are Arabic, else ``und`` (undetermined)."""
    letters = text.str.count_matches(r"\p{L}")
    arabic = text.str.count_matches(ARABIC_LETTER)
    return pl.when(arabic > 0.5 * letters).then(pl.lit("ar")).otherwise(pl.lit("und"))


def join_parsed(records: pl.DataFrame, parsed: pl.DataFrame) -> pl.DataFrame:
    """Page records with their article parts and the first reason a page has no article."""
    joined = records.drop("text", strict=False).join(parsed, on="page_id", how="left")
    # The title and the start of the body tell the language as well as the whole text.
    language = language_of(
        pl.col("title").fill_null("")
        + pl.lit(" ")
        + pl.col("body").fill_null("").str.slice(0, 2000)
    )
    rejection = pl.coalesce("read_error", "parse_error")
    return joined.with_columns(
        rejection.alias("rejection"),
        pl.coalesce(
            "read_error_detail",
            pl.col("parse_error").replace_strict(QUARANTINE_DETAILS, default=None),
        ).alias("rejection_detail"),
        language.alias("language"),
    ).with_columns(
        # Marsad observes Arabic news: readable pages in other languages are set aside.
        pl.when(
            pl.col("skip_reason").is_null()
            & pl.col("rejection").is_null()
            & (pl.col("language") != "ar")
        )
        .then(pl.lit("not Arabic text"))
        .otherwise("skip_reason")
        .alias("skip_reason"),
    )


def topic_rows(frame: pl.DataFrame, key: str) -> pl.DataFrame:
    """Long table (key, topic, score, is_primary) from ``topic`` and ``topic_scores``."""
    return (
        frame.select(key, pl.col("topic").alias("primary"), "topic_scores")
        .explode("topic_scores")
        .unnest("topic_scores")
        .filter(pl.col("topic").is_not_null())
        .with_columns((pl.col("topic") == pl.col("primary")).alias("is_primary"))
        .select(key, "topic", "score", "is_primary")
        .sort(key, "topic")
    )


def country_rows(frame: pl.DataFrame, key: str) -> pl.DataFrame:
    """(key, country_code, mentions, is_about) from ``countries`` mention lists."""
    rows = []
    for item, mentions in frame.select(key, "countries").iter_rows():
        title, body = [], []
        for m in mentions or []:
            mention = CountryMention(m["country_code"], m["start"], m["end"], m["kind"])
            (title if m["field"] == "title" else body).append(mention)
        rows += [{key: item, **c} for c in article_countries(title, body)]
    return pl.DataFrame(
        rows,
        schema={
            key: pl.String,
            "country_code": pl.String,
            "mentions": pl.Int64,
            "is_about": pl.Boolean,
        },
    ).sort(key, "country_code")
