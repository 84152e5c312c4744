"""The outlet registry: canonical outlets, their spellings and URL slugs, and their country.

``marsad/data/outlets.csv`` holds one outlet per row: ``outlet_id``, ``name`` (Arabic),
``name_en``, ``country`` (ISO 3166-1 alpha-2, where it publishes from), ``aliases`` and
``hosts`` (``|``-separated; hosts include the slugs aggregators put in their URLs), and for a
news agency ``credits``, how a dateline or closing credit writes it (``source_credits``).
Bylines and URLs are matched by Arabic match key; an outlet not in the registry is kept as
written, with a null ``outlet_id``, and listed in the ``outlets`` table for review.
"""

from __future__ import annotations

from functools import cache

import polars as pl

from marsad.arabic import match_key, match_keyed
from marsad.shipped import DATA

# Aggregators republish other outlets; their URLs carry the outlet's slug: /<slug>/<id>.
AGGREGATOR_COUNTRIES = {
    "maghress.com": "MA",
    "masress.com": "EG",
    "sauress.com": "SA",
    "djazairess.com": "DZ",
    "turess.com": "TN",
    "lebaness.com": "LB",
    "jordaness.com": "JO",
}


@cache
def registry() -> pl.DataFrame:
    """The registry as shipped: ``outlet_id``, ``name``, ``name_en``, ``country``, …"""
    with (DATA / "outlets.csv").open("rb") as stream:
        return pl.read_csv(stream, infer_schema=False)


def spellings(outlet: dict) -> set[str]:
    """How bylines may write a registry row's outlet: its names, id and aliases."""
    found = {outlet["name"], outlet["name_en"], outlet["outlet_id"]}
    found.update((outlet["aliases"] or "").split("|"))
    return {s.strip() for s in found if s and s.strip()}


@cache
def arabic_spellings() -> frozenset[str]:
    """Every spelling of the registry's outlets in Arabic letters: how an Arabic text names
    them (credits, datelines, a paper between quotes)."""
    return frozenset(
        s for row in registry().iter_rows(named=True) for s in spellings(row) if not s.isascii()
    )


@cache
def _aliases() -> pl.DataFrame:
    rows = []
    for rank, outlet in enumerate(registry().iter_rows(named=True)):
        rows += [
            {
                "alias_key": match_key(s),
                "alias_outlet_id": outlet["outlet_id"],
                "alias_country": outlet["country"],
                "alias_rank": rank,
            }
            for s in spellings(outlet)
            if match_key(s)
        ]
    return pl.DataFrame(rows).unique(maintain_order=True)


@cache
def _hosts() -> pl.DataFrame:
    rows = [
        {"host_key": host.lower().removeprefix("www."), "host_outlet_id": outlet["outlet_id"]}
        for outlet in registry().iter_rows(named=True)
        for host in (outlet["hosts"] or "").split("|")
        if host
    ]
    return pl.DataFrame(rows).unique("host_key", keep="first", maintain_order=True)


def _url_keys(url: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    parts = url.str.extract_groups(
        r"^[a-zA-Z]+://(?:www\.)?(?<host>[^/:?#]+)(?::\d+)?/?(?<slug>[^/?#]*)"
    )
    host = parts.struct.field("host").str.to_lowercase()
    slug = parts.struct.field("slug").str.to_lowercase()
    return host, slug


def resolve_outlets(frame: pl.DataFrame, written: str, hint: str, url: str) -> pl.DataFrame:
    """Add ``outlet`` (as the byline writes it, else from the URL or metadata),
    ``outlet_name`` (canonical, or as written), ``outlet_id``, ``outlet_country`` and
    ``outlet_source`` (byline, url, metadata) to a frame with the byline's outlet, the page
    metadata's site name and the URL."""
    host, slug = _url_keys(pl.col(url))
    keyed = frame.with_row_index("_row").with_columns(
        match_keyed(pl.col(written)).alias("_written_key"),
        match_keyed(pl.col(hint)).alias("_hint_key"),
        host.alias("_host"),
        pl.when(host.is_in(list(AGGREGATOR_COUNTRIES))).then(slug).alias("_slug"),
        host.replace_strict(AGGREGATOR_COUNTRIES, default=None).alias("_site_country"),
    )
    aliases = _aliases()
    # An alias may name outlets of several countries (الشروق): prefer the aggregator's country.
    by_alias = (
        keyed.select("_row", "_written_key", "_site_country")
        .join(aliases, left_on="_written_key", right_on="alias_key", how="inner")
        .sort(
            "_row",
            pl.col("alias_country") != pl.col("_site_country").fill_null(""),
            "alias_rank",
        )
        .group_by("_row", maintain_order=True)
        .agg(pl.col("alias_outlet_id").first().alias("_byline_id"))
    )
    by_hint = (
        keyed.select("_row", "_hint_key")
        .join(aliases, left_on="_hint_key", right_on="alias_key", how="inner")
        .sort("_row", "alias_rank")
        .group_by("_row", maintain_order=True)
        .agg(pl.col("alias_outlet_id").first().alias("_hint_id"))
    )
    hosts = _hosts()
    resolved = (
        keyed.join(by_alias, on="_row", how="left")
        .join(by_hint, on="_row", how="left")
        .join(
            hosts.rename({"host_outlet_id": "_slug_id"}),
            left_on="_slug",
            right_on="host_key",
            how="left",
        )
        .join(
            hosts.rename({"host_outlet_id": "_host_id"}),
            left_on="_host",
            right_on="host_key",
            how="left",
        )
        .sort("_row")
    )
    outlet_id = pl.coalesce("_byline_id", "_slug_id", "_host_id", "_hint_id")
    source = (
        pl.when(pl.col("_byline_id").is_not_null())
        .then(pl.lit("byline"))
        .when(pl.col("_slug_id").is_not_null() | pl.col("_host_id").is_not_null())
        .then(pl.lit("url"))
        .when(pl.col("_hint_id").is_not_null())
        .then(pl.lit("metadata"))
        .when(pl.col(written).is_not_null())
        .then(pl.lit("byline"))
        .when(pl.col(hint).is_not_null())
        .then(pl.lit("metadata"))
    )
    names = registry().select(
        pl.col("outlet_id").alias("_id"),
        pl.col("name").alias("_name"),
        pl.col("country").alias("_country"),
    )
    return (
        resolved.with_columns(outlet_id.alias("outlet_id"), source.alias("outlet_source"))
        .join(names, left_on="outlet_id", right_on="_id", how="left")
        .sort("_row")
        .with_columns(
            # The outlet as the page credits it; the registry's name for grouping.
            pl.coalesce(written, "_name", hint).alias("outlet"),
            pl.coalesce("_name", written, hint).alias("outlet_name"),
            pl.col("_country").alias("outlet_country"),
        )
        .drop(pl.selectors.starts_with("_"))
    )
