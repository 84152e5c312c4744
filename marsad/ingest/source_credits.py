"""The source an article credits: the news agency of its dateline ("الرياض - واس:",
"القاهرة (أ ش أ) -", "سبق- وكالات:"), of its closing line ("… في العاصمة. (رويترز)"), or the
paper whose service it translates ("* خدمة «نيويورك تايمز»", Asharq Al-Awsat's syndicated
stories). The outlet publishes the article; the credit says whose copy it is, so that wire
and syndicated copy can be told from an outlet's own reporting.

Agencies are outlets of the registry (``outlets.csv``); its ``credits`` column lists how a
credit writes each (واس, أ ف ب). A spelling in parentheses there, "(قنا)", counts only in
parentheses: قنا is also a town a dateline may name after a reporter. Unnamed agencies
("وكالات") are credited as such, with no registry id.
"""

from __future__ import annotations

import re
from functools import cache

import polars as pl

from marsad.arabic import match_key, match_keyed
from marsad.ingest.outlets import arabic_spellings, registry, spellings

# How much of a body's start and end a credit may stand in.
HEAD_CHARS = 120
TAIL_CHARS = 160
UNNAMED_AGENCIES = "وكالات"
_UNNAMED = {UNNAMED_AGENCIES, "الوكالات"}
_UNNAMED_KEYS = {match_key(u) for u in _UNNAMED}

DASHES = r"\-–—ـ"  # the dashes of datelines and credits, for a character class
# Letters writers swap (alef forms, ta marbuta, final yeh), matched loosely in the raw text.
_LOOSE = {"ا": "[اأإآ]", "أ": "[اأإآ]", "إ": "[اأإآ]", "ة": "[ةه]", "ه": "[ةه]", "ي": "[يى]"}


def _loose(spelling: str) -> str:
    """A pattern for a spelling as bodies write it: letters of a family swapped, and the
    letters of an abbreviation (أ ف ب) spaced or dotted (run together, آب is a month)."""
    letters = spelling.split()
    if all(len(w) == 1 for w in letters):  # أ. ف. ب, أ.ف.ب, أ ف ب; not آب, a month
        return r"[\s.]+".join(_LOOSE.get(c, re.escape(c)) for c in letters) + r"\.?"
    return r"\s+".join("".join(_LOOSE.get(c, re.escape(c)) for c in w) for w in letters)


def _alternation(forms: set[str]) -> str:
    # Longest first, so that a name is taken whole before a shorter one inside it.
    return "|".join(_loose(f) for f in sorted(forms, key=len, reverse=True))


@cache
def credit_ids() -> dict[str, str]:
    """Match key of each credit spelling and service name → registry id."""
    found: dict[str, str] = {}
    for row in registry().iter_rows(named=True):
        for form in _credit_forms(row["credits"]):
            found.setdefault(match_key(form), row["outlet_id"])
    # A service is credited by any of its outlet's names.
    for row in registry().iter_rows(named=True):
        for form in spellings(row):
            found.setdefault(match_key(form), row["outlet_id"])
    return found


def _credit_forms(credits: str | None) -> set[str]:
    return {c.strip("() ") for c in (credits or "").split("|") if c.strip("() ")}


def _unbracketed(credits: str | None) -> set[str]:
    return {c for c in (credits or "").split("|") if c and not c.startswith("(")}


@cache
def _patterns() -> tuple[str, str]:
    """The opening and closing credit, in a syntax both Polars' (Rust) regex engine and
    Python's read alike (``$`` is the end of the text in one, before a last newline in the
    other: the closing credit takes in the white space before it either way)."""
    rows = list(registry().iter_rows(named=True))
    bare = {c for row in rows for c in _unbracketed(row["credits"])} | _UNNAMED
    bracketed = bare | {c for row in rows for c in _credit_forms(row["credits"])}
    # A service is any outlet of the registry, written in quotes after خدمة.
    services = arabic_spellings()
    credit = rf"\(\s*(?P<bracketed>{_alternation(bracketed)})\s*\)"
    dashed = rf"[{DASHES}:]\s*(?P<dashed>{_alternation(bare)})\s*(?:[{DASHES}:\n]|$)"
    # A few words before the credit: a city, the outlet's own name.
    before = rf"(?:[^\n:(){DASHES}]{{1,40}}?)?\s*"
    leading = rf"\(?(?P<leading>{_alternation(bare)})\)?\s*[{DASHES}]"  # "واس- جدة:"
    opening = rf"\A\s*(?:{leading}|{before}(?:{credit}\s*[{DASHES}:\n]|{dashed}))"
    service = rf"[*•]?\s*خدمة\s*[«\"{{]\s*(?P<service>{_alternation(services)})\s*[»\"}}]"
    own = rf"(?:\s*[{DASHES}]?\s*خاص\s+ب[^\n]{{0,30}})?"  # "خاص بـ«الشرق الأوسط»" after it
    # At the very end, an outlet of two words or more in brackets ("(سكاي نيوز)"), or the
    # outlet translated ("(ترجمة هافينغتون بوست)"): one word there is too often a place or a
    # language ("(الرياض)", "(العربية)").
    named = {s for s in services if len(s.split()) > 1}
    outlet = rf"\(\s*(?:ترجمة\s+)?(?P<outlet>{_alternation(named)})\s*\)"
    closing = rf"(?:{credit}|{outlet}|{service})[\s.]*{own}[\s.]*$"
    return opening, closing


def source_credits(body: pl.Expr) -> list[pl.Expr]:
    """``source_credit`` (the registry's name, or "وكالات" for unnamed agencies) and
    ``source_credit_id`` (null for unnamed agencies) of each body; both null for none."""
    opening, closing = _patterns()
    head = body.str.slice(0, HEAD_CHARS).str.extract_groups(opening)
    tail = body.str.slice(-TAIL_CHARS).str.extract_groups(closing)
    written = pl.coalesce(
        *(head.struct.field(g) for g in ("leading", "bracketed", "dashed")),
        *(tail.struct.field(g) for g in ("bracketed", "outlet", "service")),
    )
    key = match_keyed(written)
    outlet_id = key.replace_strict(credit_ids(), default=None, return_dtype=pl.String)
    names = dict(zip(registry()["outlet_id"], registry()["name"], strict=True))
    return [
        pl.when(key.is_in(list(_UNNAMED_KEYS)))
        .then(pl.lit(UNNAMED_AGENCIES))
        .otherwise(outlet_id.replace_strict(names, default=None, return_dtype=pl.String))
        .alias("source_credit"),
        outlet_id.alias("source_credit_id"),
    ]


def source_credit(body: str | None) -> tuple[str | None, str | None]:
    """(name, registry id) of the source one body credits, as ``source_credits`` reads it
    (for a text at a time: the expressions are compiled at each call)."""
    frame = pl.DataFrame({"body": [body]}, schema={"body": pl.String})
    return frame.select(source_credits(pl.col("body"))).row(0)


@cache
def _compiled() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return tuple(re.compile(p) for p in _patterns())


def credit_spans(body: str | None) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """Where ``body``'s opening and closing credits stand, as ``source_credits`` reads them
    (None where there is none): the names in them are the article's sources, not what it is
    about."""
    if not body:
        return None, None
    opening, closing = _compiled()
    head = opening.search(body[:HEAD_CHARS])
    tail = max(0, len(body) - TAIL_CHARS)
    end = closing.search(body[tail:])
    return (
        head.span() if head else None,
        (tail + end.start(), tail + end.end()) if end else None,
    )
