"""Clubs and organisations by country: which organisation a name is where several
countries' go by it (الأهلي of Cairo, of Jeddah), or where it is a club's name that is also
an everyday word (النصر); the text's places, its outlet's country and a demonym after the
name settle it.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from marsad.arabic import match_key, readings
from marsad.enrich.entities.countries import SPORTS_WORDS
from marsad.enrich.gazetteer import Place, word_key
from marsad.enrich.name_lists import organisations
from marsad.limits import WORD_CACHE


@lru_cache(maxsize=WORD_CACHE)  # asked for every organisation mention the tagger places
def shared_by_countries(name: str) -> bool:
    """Whether the text settles by country which organisation a name is: several countries'
    organisations go by it (الأهلي: a club of Cairo, one of Jeddah…), or it is a club's name
    that is also an everyday word (``bare_club``: النصر). Each is an entity of its own per
    country the text settles."""
    known = organisations().place_of(name)
    return (known is not None and bool(known.elsewhere)) or bare_club(name) is not None


# The word before a club's name that the curated list writes with it (نادي النصر).
_CLUB_WORD = "نادي"


@lru_cache(maxsize=WORD_CACHE)
def bare_club(name: str) -> Place | None:
    """The club the curated list names after نادي (نادي النصر, نادي الهلال) where a text names
    it by its one word with the article (النصر, also "victory"; والهلال). The list leaves such
    names out alone, as everyday words; a name the tagger reads as an organisation may be the
    club. None for any other name."""
    words = match_key(name).split()
    if len(words) != 1 or organisations().place_of(name) is not None:
        return None
    for form, has_article in sorted(readings(words[0])):
        if has_article:
            found = organisations().find([_CLUB_WORD, "ال" + form])
            if found and found[0][:2] == (0, 2) and found[0][2].kind == "club":
                return found[0][2]
    return None


def on_sport(words: list[str]) -> bool:
    """Whether a text is a sports story: two of its words or more are words of sport
    (``SPORTS_WORDS``: لاعب, مباراة, جمهور…; فريق alone is also a lieutenant general)."""
    return sum(word_key(word) in SPORTS_WORDS for word in words) >= 2


def organisation_country(
    name: str,
    places: list[tuple[int, int, Place]],
    home: str | None = None,
    sport: bool = False,
    demonym: str | None = None,
) -> str | None:
    """A known organisation's country. A name several countries' clubs share (الأهلي: Cairo,
    Jeddah, Doha…; ``elsewhere``, as for places in ``settle_places``) is the club of the one
    country among them that the text's towns name most (a match in Jeddah: Saudi Arabia),
    else its places of any kind (a club's own city says more than a player's nationality).
    Where they name none of them, or two as often, it is the club of ``home`` (the outlet's
    country: a Saudi paper's الأهلي is Jeddah's) if that country has one, else of no known
    country. A club's name that is also an everyday word (``bare_club``: النصر, نادي النصر of
    Riyadh) is settled alike in a sports story (``sport``, see ``on_sport``), even where one
    country has a club of the name. A demonym right after the name says first (``demonym``,
    its country): النصر الإماراتي is Dubai's, not Riyadh's; البنك الأهلي الكويتي is Kuwaiti."""
    known = organisations().place_of(name)
    if known is None:
        # A club's everyday-word name (النصر) is the club only in a sports story (``sport``:
        # الاتحاد is also the European Union cut short), of the country the text says.
        known = bare_club(name) if sport else None
        if known is None:
            return None
    elif not known.elsewhere:
        return known.country_code
    if demonym:
        return demonym
    candidates = (known.country_code, *known.elsewhere)
    towns = Counter(p.country_code for _, _, p in places if p.kind in ("city", "region"))
    for named in (towns, Counter(p.country_code for _, _, p in places)):
        ranked = sorted(((named[c], c) for c in candidates if named[c]), reverse=True)
        if ranked:
            if len(ranked) == 1 or ranked[1][0] < ranked[0][0]:
                return ranked[0][1]
            break
    return home if home in candidates else None
