"""Where a person's name starts: the words the models leave out at its front (ابن, أبا,
بنت and the given name before it; علي, which Egyptian spelling also writes for على; the
first word of a compound given name, عطاء of عطاء الله), the names they read apart that
are one (a person read right after another), and every name starting anew on a line.
Text-reading rules of ``linking.read_as_text``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from marsad.arabic import match_key, unmarked
from marsad.enrich.entities.decoding import spans_of
from marsad.enrich.name_lists import foreign_names, person_names

# A name joined from two read apart (``join_abutting_people``) of no more words than this.
MAX_JOINED_NAME_WORDS = 4


def listed_name(key: str) -> bool:
    """Whether a normalized word is a name part of the Arab or the foreign name list."""
    return key in person_names() or key in foreign_names()


def join_abutting_people(normal: list[str], tags: list[str]) -> list[str]:
    """A person read right after another, with no word between, is the same person: news
    does not set two names side by side without و or a comma (ريناته شميت, خالد مساوى حمدي,
    سولي علي مونتاري read as two). Not where the second begins with و, or with ب or ل before
    a listed name (غوتيريز بمنصور جوهر); not after words that all take the article (a
    description: المونتينيجري ستيفان يوفيتيتش), nor after a name holding a word with و (two
    people already: نيمار والأوروغوياني); and not into a name of more than four words (a
    list of names). ``normal``: the normalized words."""
    tags = list(tags)
    people = {start: end for start, end, kind in spans_of(tags) if kind == "PER"}
    for first, second in ((s, e) for s, e in people.items() if e in people):
        key, last = normal[second], people[second]
        if (
            key.startswith("و")
            or (key[:1] in ("ب", "ل") and listed_name(key[1:]) and not listed_name(key))
            or all(w.startswith("ال") for w in normal[first:second])
            or any(w.startswith("و") for w in normal[first + 1 : second])
            or last - first > MAX_JOINED_NAME_WORDS
            or tags[first] != "B-PER"  # joined already, into a longer name
        ):
            continue
        tags[second] = "I-PER"
    return tags


def _begin_people(
    words: list[str], tags: list[str], begins: Callable[[str], bool]
) -> tuple[list[str], list[int]]:
    """The tags with each word that ``begins(word)`` says may begin a name, left untagged
    right before a person and after none, taken into that person's name; and where."""
    tags, begun = list(tags), []
    for i in range(len(words) - 1):
        if (
            tags[i] == "O"
            and tags[i + 1] == "B-PER"
            and begins(words[i])
            and not (i > 0 and tags[i - 1].endswith("-PER"))
        ):
            tags[i], tags[i + 1] = "B-PER", "I-PER"
            begun.append(i)
    return tags, begun


# The given name that Egyptian spelling also writes for على ("on"): the models, which saw it
# mostly so, leave it out of names (علي لاريجاني read as لاريجاني).
_ALI = "علي"


def name_ali(words: list[str], tags: list[str]) -> list[str]:
    """علي as written, left untagged right before a person and after none, begins that
    person's name: علي عبدالله صالح, علي لاريجاني read as عبدالله صالح, لاريجاني. Where "on"
    is written so before a name it joins wrongly (التحفظ علي عبدالفتاح): cross-validation 4
    right, 1 wrong; 3,000 SaudiNewsNet articles 34 mentions, none made wrong."""
    return _begin_people(words, tags, lambda word: word == _ALI)[0]  # not عليَّ, "upon me"


# Link words that begin a name (ابن خلدون, أبو مازن, بنت الشاطئ), as written: left untagged
# before the rest of a name, they begin it. Not آل (ANERcorp leaves it out of a family's name
# alone: آل القباني) nor أم (أم درمان, أم القرى are places).
_NAME_STARTS = frozenset(("ابن", "إبن", "بنت", "أبو", "ابو", "أبي", "ابي", "أبا", "ابا"))
# Of those, the ones a given name comes before (مها بنت فلاح الدوسري), and the people of
# Wikidata who must bear the word before them as a given name for it to join.
_LINEAGE_STARTS = frozenset(("ابن", "إبن", "بنت"))
GIVEN_NAME_BEARERS = 3


def begin_with_links(words: list[str], normal: list[str], tags: list[str]) -> list[str]:
    """A link word that begins a name (``_NAME_STARTS``), left untagged right before a
    person and after none, begins that person's name: ابن عباس, أبا هريرة read as عباس,
    هريرة; and before ابن or بنت a listed given name the models left out joins too (مها بنت
    فلاح الدوسري read as فلاح الدوسري). ``normal``: the normalized words."""
    tags, begun = _begin_people(words, tags, lambda word: unmarked(word) in _NAME_STARTS)
    for i in begun:
        if (
            i > 0
            and unmarked(words[i]) in _LINEAGE_STARTS
            and tags[i - 1] == "O"
            and person_names().get(normal[i - 1], (0, 0))[0] >= GIVEN_NAME_BEARERS
        ):
            tags[i - 1], tags[i] = "B-PER", "I-PER"
    return tags


# The second words of compound given names (نور الدين, عطاء الله, لطف الزمان), as written:
# the models, which take them for a name's first word, leave the first out.
_COMPOUND_ENDS = frozenset(("الدين", "الله", "الزمان", "الإسلام", "الاسلام"))


def begin_compound_names(words: list[str], tags: list[str]) -> list[str]:
    """A person read from the second word of a compound given name on (الله مهاجراني of
    عطاء الله مهاجراني, الدين بن اسد of شرف الدين بن اسد) begins a word earlier, where that word
    is untagged and a listed name (not حزب of حزب الله, بأسماء of بأسماء الله)."""
    tags = list(tags)
    for start, _, kind in spans_of(tags):
        if (
            kind == "PER"
            and start > 0
            and tags[start - 1] == "O"
            and unmarked(words[start]) in _COMPOUND_ENDS
            and listed_name(match_key(words[start - 1]))
        ):
            tags[start - 1], tags[start] = "B-PER", "I-PER"
    return tags


def start_names_on_lines(tags: list[str], line_starts: Iterable[int]) -> list[str]:
    """Names that run onto another line (``line_starts``: the words that begin one) parted
    there: a line's end and the next line's start are two names (signatures one to a line,
    "سعود بن عبدالمجيد" above "عبدالكريم الحارثي"), as sentences end at punctuation only and
    the models read the lines as one."""
    tags = list(tags)
    for i in line_starts:
        if i < len(tags) and tags[i].startswith("I-"):
            tags[i] = f"B-{tags[i][2:]}"
    return tags
