"""The other name lists the entity tagger reads: organisations and sports clubs (matched in
text like places, by the ``Gazetteer``), and people's name parts, Arab (with how many people
bear each) and foreign."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

from marsad.cache import pickled
from marsad.enrich.gazetteer import CODE, Gazetteer, Place, name_key
from marsad.shipped import DATA, shipped_rows

ORGANISATIONS_PATH = DATA / "organisations.csv"
CLUBS_PATH = DATA / "clubs.csv"
# Arabic-script given names and surnames, with how many people of Wikidata bear each
# (scripts/person_names.py).
PERSON_NAMES_PATH = DATA / "person_names.csv"
FOREIGN_NAMES_PATH = DATA / "foreign_names.csv"
ORGANISATION_ALIASES_PATH = DATA / "organisation_aliases.csv"
# What the cached lists are built with besides their files.
_CODE = (Path(__file__), *CODE)


@cache
def organisations() -> Gazetteer:
    """Well-known organisations (parties, movements, agencies, media, clubs, companies,
    international bodies) with their country when they have one (``data/organisations.csv``),
    matched like places: a hint for the entity tagger, which has seen few of them. A name
    listed for several countries (الأهلي of Cairo, Jeddah, Doha…) keeps the first and the
    others in ``elsewhere``: the text's places choose."""
    known: dict[tuple[str, ...], Place] = {}
    for code, kind, name in shipped_rows(ORGANISATIONS_PATH, "country_code", "kind", "name"):
        key = name_key(name)
        if key in known:  # a name several countries' clubs share (الأهلي)
            first = known[key]
            # Two spellings of one name (آرسنال, أرسنال) are one organisation, not two.
            if code != first.country_code and code not in first.elsewhere:
                known[key] = replace(first, elsewhere=(*first.elsewhere, code))
        else:
            known[key] = Place(code, kind, name)
    return Gazetteer(known, short_behind_clitics=False)


@cache
def clubs() -> Gazetteer:
    """Sports clubs as Arabic Wikipedia names them (اتحاد طنجة, لوكوموتيف موسكو), matched like
    places: a hint for the tagger only, of no country (``scripts/club_names.py``)."""

    def keyed() -> dict[tuple[str, ...], Place]:
        names = [name for (name,) in shipped_rows(CLUBS_PATH, "name")]
        return {name_key(name): Place("", "club", name) for name in names}

    # Keying 3,000 names took an eighth of a one-line `marsad tag` run's start.
    places = pickled("clubs", (CLUBS_PATH, *_CODE), keyed, __name__)
    return Gazetteer(places, short_behind_clitics=False)


@cache
def person_names() -> dict[str, tuple[int, int]]:
    """Normalized name → (people with it as a given name, people with it as a surname): a
    hint for the tagger about people its training text never named."""

    def counted() -> dict[str, tuple[int, int]]:
        rows = shipped_rows(PERSON_NAMES_PATH, "name", "given", "surname")
        return {name: (int(given), int(surname)) for name, given, surname in rows}

    return pickled("person-names", (PERSON_NAMES_PATH, *_CODE), counted)


@cache
def foreign_names() -> frozenset[str]:
    """Normalized name parts of people the Arab name list lacks, mostly non-Arab (بلير,
    شيراك): a hint for names the training text never met (``scripts/foreign_names.py``)."""

    def read() -> frozenset[str]:
        return frozenset(name for name, _ in shipped_rows(FOREIGN_NAMES_PATH, "name", "source"))

    # Read from the cache folder: 0.004 s of a start, against 0.008 s through the CSV reader.
    return pickled("foreign-names", (FOREIGN_NAMES_PATH, *_CODE), read)


@cache
def organisation_aliases() -> list[tuple[str, str]]:
    """(name, same_as): names the news gives one organisation that no rule can tell are one
    (مجلس الأمن الدولي and مجلس الأمن, الناتو and حلف شمال الأطلسي, الريال and ريال مدريد)."""
    return list(shipped_rows(ORGANISATION_ALIASES_PATH, "name", "same_as"))
