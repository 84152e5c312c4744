"""A reporter's credit opening a body: "خالد الشاماني- سبق- المدينة المنورة:" (Sabq),
"رغد عشميل – عين اليوم" (Ain Alyoum), "بريدة - مكتب الجزيرة". It names who wrote the story,
not whom it is about: read as a person of every story they filed, a Sabq reporter was among
the 60 people most named in 3,000 SaudiNewsNet articles. The credit is the words before a dash
and an outlet of the registry (or "متابعات", a desk's round-up); the place after it, the
dateline, is where the story happened and stays a place.

Ain Alyoum and Arreyadi open with the reporter and the city alone on the first line,
"حامد القرشي – مكة المكرمة": no outlet says it is a credit, but a line that is nothing but a
person and a place either side of a dash is one. The person read there is left out.

An agency's or a paper's credit (``marsad.ingest.source_credits``: "الرياض - واس:",
"(رويترز)", "* خدمة «نيويورك تايمز»") is the article's ``source_credit``, not what it is about.

A paper names itself all through its own pages: "قال لـ«عكاظ»", "علمت «الرياض» من مصادرها",
"مصادر سبق". That is how it reports, not what it reports on: read as an organisation of every
such story, Asharq Al-Awsat was the second organisation of 1,800 Saudi pages, 58 of its 60
articles its own. An organisation that is the article's own outlet is left out.
"""

from __future__ import annotations

import re
from functools import cache

from marsad.enrich.entities.linking import CountryMention, Mention
from marsad.enrich.gazetteer import word_key
from marsad.ingest.outlets import arabic_spellings, registry, spellings
from marsad.ingest.source_credits import DASHES, credit_spans

# What a credit leaves out of the entities: the reporter and the outlet naming itself.
CREDITED_TYPES = frozenset({"PER", "ORG"})
ALL_TYPES = frozenset({"PER", "ORG", "LOC"})

_DASH = rf"\s*[{DASHES}]\s*"
# One to five words of letters, no figure or mark: a name, not a sentence.
_WHO = r"[^\W\d_]+(?:[ \t]+[^\W\d_]+){0,4}"


@cache
def _credit() -> re.Pattern[str]:
    outlets = arabic_spellings()
    # Longest first, so that صحيفة سبق is taken whole before سبق.
    names = "|".join(re.escape(n) for n in sorted(outlets, key=len, reverse=True))
    outlet = rf"(?:(?:صحيفة|مكتب)\s+)?(?:{names}|متابعات)"
    dateline = rf"{_DASH}[^\W\d_][^\n:{DASHES}]{{0,30}}?\s*(?::|\n)"
    return re.compile(rf"\A\s*{_WHO}{_DASH}(?P<outlet>{outlet})(?:{dateline}|(?=[\s:]|\Z))")


def credit_end(body: str | None) -> int:
    """Where the reporter's credit opening ``body`` ends (after the outlet, before the
    dateline), or 0 for a body without one."""
    found = _credit().match(body or "")
    return found.end("outlet") if found else 0


# The first line alone: one to five words either side of a dash, then the line's end or a colon.
_DATELINE = re.compile(rf"\A\s*(?P<a>{_WHO})[ \t]*[{DASHES}][ \t]*(?P<b>{_WHO})[ \t]*(?:\n|:)")


def _reporter_span(
    body: str, mentions: list[Mention], places: list[CountryMention]
) -> tuple[int, int] | None:
    """The reporter's side of a "person – place" first line, as the tagger read it."""
    found = _DATELINE.match(body)
    if found is None:
        return None
    sides = [found.span("a"), found.span("b")]

    def kinds(side: tuple[int, int]) -> set[str]:
        # What the tagger read as the side whole; a town it left untagged that the gazetteer
        # locates (الطائف). Not a title with a person or a place in it (أمير مكة المكرمة).
        found = {m.type for m in mentions if (m.start, m.end) == side}
        if not found and any((p.start, p.end) == side for p in places):
            found = {"LOC"}
        return found

    a, b = (kinds(side) for side in sides)
    if a == {"PER"} and b == {"LOC"}:
        return sides[0]
    if a == {"LOC"} and b == {"PER"}:  # "مكة المكرمة – حامد القرشي"
        return sides[1]
    return None


def without_credits(
    body: str | None, mentions: list[Mention], places: list[CountryMention]
) -> list[Mention]:
    """A body's mentions less what its credits name; its ``places`` (country mentions) locate
    the dateline's town of a "person – place" line."""
    if not body:
        return mentions
    left_out = []  # (start, end, types)
    # An agency's or a paper's credit: at the start the agency, not the dateline's town
    # ("الرياض - واس:"); at the end all of it ("* خدمة «واشنطن بوست» خاص بـ«الشرق الأوسط»").
    opening, closing = credit_spans(body)
    if opening:
        left_out.append((*opening, CREDITED_TYPES))
    if closing:
        left_out.append((closing[0], len(body), ALL_TYPES))
    if end := credit_end(body):
        left_out.append((0, end, CREDITED_TYPES))
    elif reporter := _reporter_span(body, mentions, places):
        left_out.append((*reporter, frozenset({"PER"})))
    return [
        m
        for m in mentions
        if not any(start <= m.start < end and m.type in types for start, end, types in left_out)
    ]


# Words a byline may put before a paper's name that its own text leaves out: Al Jazirah is
# "صحيفة الجزيرة" in the registry (الجزيرة alone is Al Jazeera's) and «الجزيرة» in its pages.
_PAPER_WORDS = frozenset({"صحيفة", "جريدة"})


def _name_key(name: str) -> tuple[str, ...]:
    return tuple(word_key(word) for word in name.split())


@cache
def _own_names() -> dict[str, frozenset[tuple[str, ...]]]:
    """The keys (``word_key`` of each word) by which each registry outlet names itself."""
    names = {}
    for outlet in registry().iter_rows(named=True):
        keys = set()
        for spelling in spellings(outlet):
            words = spelling.split()
            keys.add(_name_key(spelling))
            if len(words) > 1 and words[0] in _PAPER_WORDS:
                keys.add(_name_key(" ".join(words[1:])))
        names[outlet["outlet_id"]] = frozenset(keys)
    return names


def without_own_outlet(mentions: list[Mention], outlet_id: str | None) -> list[Mention]:
    """``mentions`` less the organisations that are the article's own outlet (``outlet_id``,
    of the registry): a paper quoting its own sources names no subject."""
    names = _own_names().get(outlet_id) if outlet_id else None
    if not names:
        return mentions
    return [m for m in mentions if m.type != "ORG" or _name_key(m.text) not in names]
