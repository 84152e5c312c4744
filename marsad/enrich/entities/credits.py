"""A reporter's credit opening a body: "خالد الشاماني- سبق- المدينة المنورة:" (Sabq),
"رغد عشميل – عين اليوم" (Ain Alyoum), "بريدة - مكتب الجزيرة". It names who wrote the story,
not whom it is about: read as a person of every story they filed, a Sabq reporter was among
the 60 people most named in 3,000 SaudiNewsNet articles. The credit is the words before a dash
and an outlet of the registry (or "متابعات", a desk's round-up); the place after it, the
dateline, is where the story happened and stays a place.
"""

from __future__ import annotations

import re
from functools import cache

from marsad.arabic import ARABIC_LETTER
from marsad.ingest.outlets import registry, spellings

# What a credit leaves out of the entities: the reporter and the outlet naming itself.
CREDITED_TYPES = frozenset({"PER", "ORG"})

_DASH = r"\s*[-–—ـ]\s*"
# One to five words of letters, no figure or mark: a name, not a sentence.
_WHO = r"[^\W\d_]+(?:[ \t]+[^\W\d_]+){0,4}"


@cache
def _credit() -> re.Pattern[str]:
    outlets = {
        name
        for row in registry().iter_rows(named=True)
        for name in spellings(row)
        if re.search(ARABIC_LETTER, name)  # as an Arabic body writes its outlet
    }
    # Longest first, so that صحيفة سبق is taken whole before سبق.
    names = "|".join(re.escape(n) for n in sorted(outlets, key=len, reverse=True))
    outlet = rf"(?:(?:صحيفة|مكتب)\s+)?(?:{names}|متابعات)"
    dateline = rf"{_DASH}[^\W\d_][^\n:\-–—ـ]{{0,30}}?\s*(?::|\n)"
    return re.compile(rf"\A\s*{_WHO}{_DASH}(?P<outlet>{outlet})(?:{dateline}|(?=[\s:]|\Z))")


def credit_end(body: str | None) -> int:
    """Where the reporter's credit opening ``body`` ends (after the outlet, before the
    dateline), or 0 for a body without one."""
    found = _credit().match(body or "")
    return found.end("outlet") if found else 0
