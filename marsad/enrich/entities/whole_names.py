"""Names the models read in parts that a list or the text's own writing shows to be one:
a country (جنوب أفريقيا), a club (المغرب الفاسي), an acronym spelt out (إن. بي. سي) or an outlet
between quotes («الشرق الأوسط»). The last of the text-reading rules (``linking.read_as_text``;
the outlets after it, in ``EntityTagger``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from functools import cache

import regex

from marsad.arabic import match_key
from marsad.enrich.entities.tokens import Token
from marsad.enrich.gazetteer import word_key


def whole_places(tags: list[str], places: Sequence[tuple[int, int]]) -> list[str]:
    """A place the gazetteer names in several words (the tagger gives its countries:
    ``text_countries``) is one place where the models read a place in part of it: جنوب
    أفريقيا is no Africa, ساحل العاج no العاج. Not where they read a person or an
    organisation in it, nor where a name they read runs into it or on past it."""
    tags = list(tags)
    for first, end in places:
        inside = tags[first:end]
        if (
            not any(tag.endswith("-LOC") for tag in inside)
            or any(tag.endswith(("-PER", "-ORG")) for tag in inside)
            or inside[0].startswith("I-")
            or (end < len(tags) and tags[end].startswith("I-"))
        ):
            continue
        tags[first:end] = ["B-LOC"] + ["I-LOC"] * (end - first - 1)
    return tags


# A club named after its town whose name begins with the word for a town: in news the
# words name the town (مدينة بونه, the city of Pune, is also FC Pune City's Arabic name).
_TOWN_WORDS = frozenset((word_key("مدينة"),))


def whole_clubs(words: list[str], tags: list[str], clubs: Sequence[tuple[int, int]]) -> list[str]:
    """A sports club named in several words (a span the club list finds) is one
    organisation where the models read a place in it: المغرب الفاسي (Maghreb of Fes) is no
    Morocco, هرتا برلين no Berlin, ريال مدريد no Madrid. Not where they read a person in it,
    nor where a name they read runs on past it. A club read without a place is left as read:
    whether نادي or النادي belongs to the name, ANERcorp writes both ways."""
    tags = list(tags)
    for first, end in clubs:
        inside = tags[first:end]
        if (
            end - first < 2
            or not any(tag.endswith("-LOC") for tag in inside)
            or any(tag.endswith("-PER") for tag in inside)
            or inside[0].startswith("I-")
            or (end < len(tags) and tags[end].startswith("I-"))
            or word_key(words[first]) in _TOWN_WORDS
        ):
            continue
        tags[first:end] = ["B-ORG"] + ["I-ORG"] * (end - first - 1)
    return tags


def whole_acronyms(tags: list[str], acronyms: Sequence[tuple[int, int]]) -> list[str]:
    """An acronym spelt out letter by letter (``spelt_acronyms``) is one name: when the
    models read some of its letters as an entity, the letters before them join it (إن of
    إن. بي. سي, NBC, is also the everyday word "that")."""
    tags = list(tags)
    for first, end in acronyms:
        named = next((i for i in range(first, end) if tags[i] != "O"), None)
        if named is None or named == first:
            continue
        kind = tags[named][2:]
        joined = first > 0 and tags[first - 1][2:] == kind and tags[first - 1] != "O"
        tags[first:named] = [f"I-{kind}"] * (named - first)
        tags[first] = f"I-{kind}" if joined else f"B-{kind}"
        tags[named] = f"I-{kind}"
    return tags


# A name between quotes, on one line: «الشرق الأوسط», "عكاظ", {الرياض}.
_QUOTED = regex.compile(r"[«\"“{]\s*([^«»\"“”{}\n]{2,40}?)\s*[»\"”}]")


# An outlet's name that is as often an adjective between quotes: ANERcorp's «العربية» is
# "Arab" (المشاركة «العربية»), not the channel.
_ADJECTIVES = ("العربية",)


@cache
def _outlet_keys() -> frozenset[str]:
    from marsad.ingest.outlets import arabic_spellings  # the registry is ingest's

    return frozenset(match_key(name) for name in arabic_spellings()) - {
        match_key(word) for word in _ADJECTIVES
    }


def quoted_outlets(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """(first, past last) token of each outlet of the registry named alone between quotes:
    how papers write themselves and each other ("قال لـ«الشرق الأوسط»", "ذكرت صحيفة «عكاظ»").
    Asharq Al-Awsat wrote itself so 1,451 times in its 2,947 SaudiNewsNet articles, Okaz 515,
    Al Riyadh 349; unquoted, the models read the paper as the region or the city."""
    if not any(q in text for q in '«"“{'):
        return []
    starts = [t.start for t in tokens]
    found = []
    for quoted in _QUOTED.finditer(text):
        if match_key(quoted.group(1)) in _outlet_keys():
            first = bisect_left(starts, quoted.start(1))
            end = bisect_left(starts, quoted.end(1))
            if end > first:
                found.append((first, end))
    return found


def whole_outlets(tags: list[str], outlets: Sequence[tuple[int, int]]) -> list[str]:
    """An outlet named between quotes (``quoted_outlets``) is one organisation, whatever the
    models read in it: the paper الرياض is not the city, nor الشرق الأوسط the region."""
    tags = list(tags)
    for first, end in outlets:
        tags[first:end] = ["B-ORG"] + ["I-ORG"] * (end - first - 1)
    return tags
