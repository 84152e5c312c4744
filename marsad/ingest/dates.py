"""Publication dates as Arabic outlets write them, in every regional month naming.

``31 - 05 - 2020``, ``٣١ - ٠٥ - ٢٠٢٠``, ``31 ماي 2020`` (Maghreb), ``31 جوان 2020``
(Algeria/Tunisia), ``31 أيار 2020`` (Levant), ``31 مايو 2020`` (Egypt/Gulf), with or without a
weekday, with double names such as ``أيار/مايو``, and Hijri dates (``8 شوال 1441 هـ``).
Parsing is a Polars expression so it runs over whole columns; ``parse_date`` wraps it for one
string.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from marsad.arabic import normalize, normalized
from marsad.ingest.months import HIJRI_MONTH_NAMES, MONTH_NAMES

# Normalized spelling -> month number, lower case so Latin names match too.
MONTH_BY_NAME: dict[str, int] = {
    normalize(name).lower(): number for number, names in MONTH_NAMES.items() for name in names
}

# Longest first so "كانون الثاني" wins over any shorter prefix.
_MONTH = "|".join(sorted(MONTH_BY_NAME, key=len, reverse=True))
_SEP = r"\s*[-/.]\s*"
DMY_NUMERIC = rf"(?<d>\d{{1,2}}){_SEP}(?<m>\d{{1,2}}){_SEP}(?<y>\d{{4}})"
YMD_NUMERIC = rf"(?<y>\d{{4}}){_SEP}(?<m>\d{{1,2}}){_SEP}(?<d>\d{{1,2}})"
# "31 أيار/مايو 2020": the first name decides, a second one in parentheses or after "/" is a gloss.
DMY_NAMED = (
    rf"(?<d>\d{{1,2}})\s+(?<month>{_MONTH})(?:\s*[/(-]\s*(?:{_MONTH})\s*\)?)?\s*,?\s+(?<y>\d{{4}})"
)

HIJRI_MONTH_BY_NAME: dict[str, int] = {
    normalize(name): number for number, names in HIJRI_MONTH_NAMES.items() for name in names
}
_HIJRI_MONTH = "|".join(sorted(HIJRI_MONTH_BY_NAME, key=len, reverse=True))
DMY_HIJRI = rf"(?<d>\d{{1,2}})\s+(?<month>{_HIJRI_MONTH})\s*,?\s+(?<y>1[34]\d\d)"

EARLIEST_PLAUSIBLE = dt.date(1990, 1, 1)


def _to_date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    # Going through text makes impossible dates (31 June) null instead of an error.
    return pl.format(
        "{}-{}-{}",
        year,
        month.cast(pl.Int32).cast(pl.String).str.zfill(2),
        day.cast(pl.Int32).cast(pl.String).str.zfill(2),
    ).str.to_date("%Y-%m-%d", strict=False)


def _hijri_to_gregorian(parts: dict) -> dt.date | None:
    from hijridate import Hijri

    try:
        return dt.date(
            *Hijri(int(parts["y"]), int(parts["m"]), int(parts["d"])).to_gregorian().datetuple()
        )
    except (ValueError, OverflowError, TypeError):
        return None


def _hijri_date(folded: pl.Expr) -> pl.Expr:
    hijri = folded.str.extract_groups(DMY_HIJRI)
    month = hijri.struct.field("month").replace_strict(
        HIJRI_MONTH_BY_NAME, default=None, return_dtype=pl.Int32
    )
    parts = pl.struct(
        hijri.struct.field("y").alias("y"), month.alias("m"), hijri.struct.field("d").alias("d")
    )
    # Hijri dates are rare and need a calendar library: convert only the rows that have one.
    return pl.when(month.is_not_null()).then(
        parts.map_elements(_hijri_to_gregorian, return_dtype=pl.Date, skip_nulls=True)
    )


def parsed_date(text: pl.Expr) -> pl.Expr:
    """The calendar date written in ``text`` (a byline's date part), or null."""
    folded = normalized(text).str.to_lowercase()
    numeric = folded.str.extract_groups(DMY_NUMERIC)
    iso = folded.str.extract_groups(YMD_NUMERIC)
    named = folded.str.extract_groups(DMY_NAMED)
    named_month = named.struct.field("month").replace_strict(
        MONTH_BY_NAME, default=None, return_dtype=pl.Int32
    )
    return pl.coalesce(
        _to_date(iso.struct.field("y"), iso.struct.field("m"), iso.struct.field("d")),
        _to_date(numeric.struct.field("y"), numeric.struct.field("m"), numeric.struct.field("d")),
        _to_date(named.struct.field("y"), named_month, named.struct.field("d")),
        # A Gregorian date wins over the Hijri one when a byline gives both.
        _hijri_date(folded),
    )


def date_flag(date: pl.Expr, written: pl.Expr, today: dt.date) -> pl.Expr:
    """Why a publication date is or is not trusted: ok, missing, unparsed, future, too_old."""
    return (
        pl.when(written.is_null() | (written.str.strip_chars() == ""))
        .then(pl.lit("missing"))
        .when(date.is_null())
        .then(pl.lit("unparsed"))
        .when(date > pl.lit(today))
        .then(pl.lit("future"))
        .when(date < pl.lit(EARLIEST_PLAUSIBLE))
        .then(pl.lit("too_old"))
        .otherwise(pl.lit("ok"))
    )


def parse_date(text: str) -> dt.date | None:
    """``parsed_date`` for one string."""
    return pl.select(parsed_date(pl.lit(text, dtype=pl.String))).item()
