"""Read-only SQL on the published warehouse, cached per warehouse version.

Each query opens its own read-only connection and closes it: the pipeline replaces the file
atomically, so a query sees the old warehouse or the new one, and the next query after a
publish sees the new one (the cache key holds the file's identity and modification time).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

DEFAULT_WAREHOUSE = "data/warehouse.duckdb"


def warehouse_path() -> Path:
    return Path(os.environ.get("MARSAD_WAREHOUSE", DEFAULT_WAREHOUSE))


def warehouse_version() -> tuple[int, int] | None:
    """Identity of the published file; changes whenever a run publishes."""
    try:
        stat = warehouse_path().stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def _cached(sql: str, params: tuple, path: str, version: tuple[int, int]) -> pl.DataFrame:
    with duckdb.connect(path, read_only=True) as con:
        return con.sql(sql, params=list(params)).pl()


def query(sql: str, params: tuple = ()) -> pl.DataFrame:
    version = warehouse_version()
    if version is None:
        raise FileNotFoundError(str(warehouse_path()))
    return _cached(sql, params, str(warehouse_path()), version)


@dataclass(frozen=True)
class Selection:
    """The shared filters: a date range and outlets (empty = all)."""

    start: object
    end: object
    outlets: tuple[str, ...] = ()

    def where(self, alias: str = "a") -> tuple[str, tuple]:
        clauses = [f"{alias}.published_date BETWEEN ? AND ?"]
        params: list = [self.start, self.end]
        if self.outlets:
            # Outlets are chosen by canonical name, so every spelling of one outlet counts.
            clauses.append(f"{alias}.outlet_name IN ({', '.join('?' for _ in self.outlets)})")
            params += list(self.outlets)
        return " AND ".join(clauses), tuple(params)


def date_bounds() -> tuple[object, object] | None:
    row = query("SELECT min(published_date), max(published_date) FROM articles").row(0)
    return None if row[0] is None else row


def outlets() -> list[str]:
    return query(
        "SELECT outlet_name AS outlet FROM articles WHERE outlet_name IS NOT NULL "
        "GROUP BY outlet_name ORDER BY count(*) DESC, outlet_name"
    )["outlet"].to_list()


def totals() -> dict[str, int]:
    row = query(
        """
        SELECT (SELECT count(*) FROM pages),
               (SELECT count(*) FROM articles),
               (SELECT count(*) FROM articles WHERE published_date IS NULL),
               (SELECT count(*) FROM headlines),
               (SELECT count(*) FROM quarantine)
        """
    ).row(0)
    return dict(zip(["pages", "articles", "undated", "headlines", "quarantined"], row, strict=True))


def weekly_coverage_by_outlet(selection: Selection) -> pl.DataFrame:
    """Articles per ISO week and outlet, with weeks without articles as explicit zeros."""
    where, params = selection.where()
    return query(
        f"""
        WITH selected AS (
            SELECT date_trunc('week', a.published_date)::DATE AS week, a.outlet_name AS outlet
            FROM articles a WHERE {where}
        ),
        weeks AS (
            SELECT range::DATE AS week
            FROM range(date_trunc('week', ?::DATE), ?::DATE + 1, INTERVAL 7 DAY)
        ),
        shown AS (SELECT DISTINCT outlet FROM selected)
        SELECT w.week, o.outlet, count(s.outlet) AS articles
        FROM weeks w CROSS JOIN shown o
        LEFT JOIN selected s ON s.week = w.week AND s.outlet = o.outlet
        GROUP BY ALL ORDER BY w.week, o.outlet
        """,
        (*params, selection.start, selection.end),
    )


def articles(selection: Selection, limit: int = 500) -> pl.DataFrame:
    where, params = selection.where()
    return query(
        f"""
        SELECT a.published_date, a.outlet_name AS outlet, a.title, a.url, a.article_id
        FROM articles a WHERE {where}
        ORDER BY a.published_date DESC, a.outlet, a.title LIMIT {int(limit)}
        """,
        params,
    )


def headlines(limit: int = 500) -> pl.DataFrame:
    return query(
        f"""
        SELECT text, first_seen, last_seen, page_count,
               round((epoch(last_seen) - epoch(first_seen)) / 86400, 1) AS days_on_ticker
        FROM headlines ORDER BY page_count DESC, first_seen LIMIT {int(limit)}
        """
    )
