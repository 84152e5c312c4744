"""Tables as users read them: names instead of codes (topics, countries, entity types),
headers in the dashboard's language, dates as dates."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards.i18n import language, t
from dashboards.names import country_name
from marsad.enrich.topics.taxonomy import topic_label


def _named(column: str, name, skip_nulls: bool = True) -> pl.Expr:
    """``column``'s codes as ``name(code, language)``."""
    lang = language()
    return pl.col(column).map_elements(
        lambda code: name(code, lang), return_dtype=pl.String, skip_nulls=skip_nulls
    )


def readable(frame: pl.DataFrame) -> pl.DataFrame:
    """Codes replaced by names in the dashboard's language: topic, country_code (and
    outlet_country) become names, is_about yes/no, entity types words."""
    changes = []
    if "topic" in frame.columns:
        changes.append(_named("topic", topic_label))
    for column in ("country_code", "outlet_country"):
        if column in frame.columns:
            changes.append(_named(column, country_name, skip_nulls=False))
    if "is_about" in frame.columns:
        changes.append(
            pl.when(pl.col("is_about"))
            .then(pl.lit(t("yes")))
            .otherwise(pl.lit(t("no")))
            .alias("is_about")
        )
    if "type" in frame.columns:
        kinds = {kind: t(kind) for kind in ("PER", "ORG", "LOC")}
        changes.append(pl.col("type").replace(kinds))
    return frame.with_columns(changes) if changes else frame


HEADERS = {
    "published_date": "date",
    "outlet": "outlet",
    "outlet_name": "outlet",
    "title": "title",
    "topic": "topic",
    "country_code": "country",
    "outlet_country": "outlet_country",
    "articles": "articles_axis",
    "mentions": "mentions",
    "is_about": "is_about",
    "name": "name",
    "type": "type",
    "text": "text",
    "headline": "headline",
    "first_seen_day": "first_seen",
    "first_seen": "first_seen",
    "last_seen": "last_seen",
    "page_count": "page_count",
    "days_on_ticker": "days_on_ticker",
    "median_week": "median_week",
    "flag": "flag",
    "period": "period",
    "headlines": "headlines_axis",
    "credited": "credited",
    "credited_share": "credited_share",
    "sources": "sources",
}


def column_config(frame: pl.DataFrame) -> dict:
    """Translated headers; URLs as links, dates as dates; ids hidden."""
    config: dict = {}
    for column in frame.columns:
        label = t(HEADERS[column]) if column in HEADERS else column
        if column == "url":
            config[column] = st.column_config.LinkColumn(t("source"))
        elif column in ("published_date", "first_seen_day", "period"):
            config[column] = st.column_config.DateColumn(label, format="YYYY-MM-DD")
        elif column in ("first_seen", "last_seen"):
            config[column] = st.column_config.DatetimeColumn(label, format="YYYY-MM-DD HH:mm")
        elif column in ("title", "text", "headline"):
            config[column] = st.column_config.TextColumn(label, width="large")
        elif column.endswith("_id"):
            config[column] = None
        else:
            config[column] = st.column_config.Column(label)
    return config


def article_columns(rows: pl.DataFrame) -> tuple[pl.DataFrame, dict]:
    """A table of articles (or anything else) ready for st.dataframe."""
    frame = readable(rows)
    return frame, column_config(frame)
