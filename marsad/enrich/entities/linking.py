"""Mentions and their entity ids: one reading of a name throughout a text (a surname tagged
where the full name was), full names, and the ids entities are keyed by.
"""

from __future__ import annotations

from collections.abc import Collection, Container, Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex

from marsad.arabic import ARABIC_LETTER, bare, match_key, readings, unmarked
from marsad.enrich.entities.amounts import untag_amounts_and_dates
from marsad.enrich.entities.decoding import ENTITY_TYPES, spans_of
from marsad.enrich.entities.features import triggers
from marsad.enrich.entities.name_starts import (
    begin_compound_names,
    begin_with_links,
    join_abutting_people,
    listed_name,
    name_ali,
    start_names_on_lines,
)
from marsad.enrich.entities.whole_names import whole_acronyms, whole_clubs, whole_places
from marsad.enrich.gazetteer import gazetteer, word_key, word_keys
from marsad.enrich.name_lists import person_names
from marsad.ids import stable_id
from marsad.limits import WORD_CACHE

# Shortest bare form of a word by which a name is matched again in its text: shorter
# forms are function words (بان read as ب + ان would meet every أن).
_NAME_FORM_LETTERS = 3
# The most letters ``readings`` takes off a word's front: two proclitics and the article.
_FRONT_LETTERS = 4


# A title the models read as a name or part of one: ولي of "محمد بن نايف ولي العهد" taken into
# the name, "لولي العهد" read as a person (ANERcorp writes ولي twice, never in a title). Keys:
# the title's repeatable first word (ولي ولي العهد, the deputy) and its last.
TITLE_WORD, TITLE_END = word_key("ولي"), word_key("العهد")


def untag_titles(words: list[str], tags: list[str]) -> list[str]:
    """Tags of a title left out of people's names (محمد بن نايف ولي العهد, محمد بن سلمان ولي
    ولي العهد: the people are محمد بن نايف and محمد بن سلمان; لولي العهد is nobody)."""
    tags = list(tags)
    for i, tag in enumerate(tags):
        if not tag.endswith("-PER") or word_key(words[i]) != TITLE_WORD:
            continue
        end = i + 1
        while end < len(words) and word_key(words[end]) == TITLE_WORD:
            end += 1
        if end == len(words) or word_key(words[end]) != TITLE_END:
            continue  # a name: أحمد بن ولي الله
        first = i  # where a title in the name begins: ولي ولي العهد
        while first > 0 and tags[first - 1] == "I-PER" and word_key(words[first - 1]) == TITLE_WORD:
            first -= 1
        for j in range(first, end + 1):
            if tags[j].endswith("-PER"):
                tags[j] = "O"
        if end + 1 < len(tags) and tags[end + 1] == "I-PER":
            tags[end + 1] = "B-PER"  # a name after the title, read as one with it
    return tags


# Words that join a person's name to the next one, as written (without marks): an Arabic name
# does not end on them. Not folded: آبي (Abe) is a surname, and the clitic-free key of البابي
# is ابي.
LINKS = frozenset(
    ("بن", "ابن", "إبن", "بنت", "أبي", "ابي", "أبو", "ابو", "أبا", "ابا", "ولد", "آل", "عبد")
)
_NAME_WORD = regex.compile(f"{ARABIC_LETTER}{{2,}}")
# Particles no linked name begins with, as written (على folded would be the name علي):
# شينزو ابي لكن… is Shinzo Abe, then "but".
_PARTICLES = frozenset(
    {"في", "من", "الى", "إلى", "على", "عن", "مع", "ثم", "او", "أو", "لكن", "لكنه", "ولكن", "قد"}
    | {"لا", "لم", "لن", "ان", "أن", "إن", "الذي", "التي", "هو", "هي", "بعد", "قبل", "عند"}
    | {"بي", "أنا", "انا"}  # "with me", "I": read as people of one word (بإعجابهم بي)
    | {"لصالح"}  # "in favour of", read as ل + صالح (in 8 of 3,000 SaudiNewsNet articles)
)


# Particles that are also surnames (لي: Lee, Li), as written.
_SURNAME_PARTICLES = frozenset({"لي"})
# Titles of the people places and institutions are named after (مطار الملك فهد:
# ``name_namesakes``), as word keys.
_NAMESAKE_TITLES = word_keys("الملك", "الأمير", "الأميرة", "السلطان", "الشيخ", "الشيخة", "الإمام")
# Titles before a person: after one, a particle is a name (الأمير على: Prince Ali, as
# Egyptian spelling writes علي).
PERSON_TITLES = _NAMESAKE_TITLES | word_keys(
    *("الملكة", "السيد", "السيدة", "الرئيس", "الدكتور", "الوزير", "اللاعب", "المدرب"),
    *("الفنان", "الكاتب"),
)


def particle(word: str) -> bool:
    """Whether a word as written is a particle (في, على, لي), alone or behind و or ف (وعلى):
    never a name of one word. Folded, على is the name علي."""
    written = unmarked(word)
    return (
        written in _PARTICLES
        or written in _SURNAME_PARTICLES
        or (written[:1] in ("و", "ف") and written[1:] in _PARTICLES)
    )


def no_name_at(words: list[str], i: int) -> bool:
    """Whether the ``i``-th word is a particle (``particle``) with no title before it: after
    one it is a name (الأمير على: Prince Ali, as Egyptian spelling writes علي)."""
    return particle(words[i]) and not (i > 0 and word_key(words[i - 1]) in PERSON_TITLES)


# Link words that are no name alone: not أبي, which news also writes for Abe (شينزو أبي).
_NO_NAME_LINKS = LINKS - {"أبي", "ابي"}


def no_name_alone(words: list[str], i: int) -> bool:
    """Whether the ``i``-th word is no name of one word: a particle (``no_name_at``) or a link
    word (ابن: "son", فقال ابن الأزرق read as ابن and الأزرق)."""
    return no_name_at(words, i) or unmarked(words[i]) in _NO_NAME_LINKS


def untag_particles(words: list[str], tags: list[str]) -> list[str]:
    """A person of one word that is a particle or a link word (``no_name_alone``) left out:
    حصلت على ("got"), قال لي ("told me"), قال ابن ("the son said"), which the models read as
    people (على 101 times in 3,000 SaudiNewsNet articles). Not before a person (على خامنئي),
    nor a particle that is a surname where the text names a person of two words or more
    ending on it (سبايك لي, then لي alone)."""
    spans = spans_of(tags)
    surnames = {
        unmarked(words[end - 1]) for start, end, kind in spans if kind == "PER" and end - start > 1
    }
    tags = list(tags)
    for start, end, kind in spans:
        if kind != "PER" or end - start != 1 or not no_name_alone(words, start):
            continue
        if end < len(tags) and tags[end] == "B-PER":
            continue
        if unmarked(words[start]) in _SURNAME_PARTICLES & surnames:
            continue
        tags[start] = "O"
    return tags


# People a word must name as a given name in the name list to be read as an adjective.
ADJECTIVE_NAME_BEARERS = 3
# Titles before a family name: the person titles and those that neither they nor the trigger
# words hold (المهندس الرشيد).
_FAMILY_NAME_TITLES = PERSON_TITLES | word_keys(
    *("المهندس", "المهندسة", "الأستاذ", "الأستاذة", "الكابتن", "المحافظ", "الخليفة", "الحاج"),
    *("الراحل", "الفقيد", "المرحوم", "الشهيد", "الداعية", "المعلم", "المعلمة", "الطبيب"),
    *("الصحفي", "الإعلامي", "المخرج", "الممثل", "المطرب", "الفنانة", "الكاتبة", "الفريق"),
)


def untag_adjective_names(words: list[str], tags: list[str]) -> list[str]:
    """A person of one word with the article whose bare form is a given name, right after a
    word with the article that is no title, left out: an adjective of that word (القرار
    الحكيم, الذكر الحكيم, القائد الحكيم: many given names are adjectives, حكيم "wise"). Not
    before a person, nor after a title (السيد الحكيم, as عمار الحكيم is called; المهندس الرشيد)
    or a trigger word."""
    tags = list(tags)
    for start, end, kind in spans_of(tags):
        if kind != "PER" or end - start != 1 or start == 0 or tags[start - 1] != "O":
            continue
        key, before = match_key(words[start]), word_key(words[start - 1])
        # The word before takes the article behind its proclitics (بالتنظيم; not آل, "the
        # family of", which folds to ال).
        if (
            bare(key) == key
            or not any(article for _, article in readings(match_key(words[start - 1])))
            or (end < len(tags) and tags[end] == "B-PER")
            or before in _FAMILY_NAME_TITLES
            or triggers().get(before) == "per"
            or person_names().get(bare(key), (0, 0))[0] < ADJECTIVE_NAME_BEARERS
        ):
            continue
        tags[start] = "O"
    return tags


def complete_lineages(
    words: list[str], tags: list[str], line_starts: Container[int] = ()
) -> list[str]:
    """Tags of people's names that end on a link word carried on to the name it links: علي بن
    أبي طالب read as "علي بن أبي" or as "عائشة بنت" then "أبي بكر" is one person. The next word
    joins when the models left it untagged or began a person there, not a place (أبو ظبي); a
    link word alone is no name to carry on (أبو الفنون, the father of the arts). A link left
    out between two people joins them (سعيد ولد محمد الشيخ read as سعيد and محمد الشيخ), not a
    kunya (محمود عباس أبو مازن), nor onto the next line (``line_starts``)."""
    tags = list(tags)
    reach = 0  # the end of the last name carried on: the names it took in are done
    for start, end, kind in spans_of(tags):
        if kind != "PER" or start < reach:
            continue
        while end < len(words) and end not in line_starts:
            if (  # a name of one word is no lineage: ابن read as a person is "son"
                end - start >= 2
                and unmarked(words[end - 1]) in LINKS
                and tags[end] in ("O", "B-PER")
                and _NAME_WORD.fullmatch(words[end])
                and unmarked(words[end]) not in _PARTICLES
            ):
                taken = 1
            elif (
                tags[end] == "O"
                and unmarked(words[end]) in _LINEAGE_LINKS
                and end + 1 < len(words)
                and tags[end + 1] == "B-PER"
                and end + 1 not in line_starts
            ):
                taken = 2
            else:
                break
            tags[end : end + taken] = ["I-PER"] * taken
            end += taken
            while end < len(words) and tags[end] == "I-PER":
                end += 1
        reach = end
    return tags


# People of Wikidata who must bear a nisba as a surname for it to join a name: adjectives
# such as القيادي, الفني and الرياضي (a leader, artistic, of sport) are each one's surname.
NISBA_SURNAME_BEARERS = 2
_FOLDED_PARTICLES = frozenset(match_key(p) for p in _PARTICLES)
_FOLDED_LINKS = frozenset(match_key(link) for link in LINKS)
# Words that begin a name by the child it names (أبو حمزة): a nisba after such a name is
# part of it (أبو حمزة المصري), where after another it may say where the person is from.
KUNYAS = word_keys("أبو", "ابو", "أبي", "ابي", "أبا", "ابا", "أم", "ام")
# The links of a lineage, not the kunyas, which may begin a second name (``complete_lineages``).
_LINEAGE_LINKS = frozenset(link for link in LINKS if word_key(link) not in KUNYAS)


def carry_nisbas(words: list[str], tags: list[str]) -> list[str]:
    """A person's name of two words or more carried on to the nisba after it that people
    bear as a surname (عبد الله الهلالي, عادل بن زيد الطريفي): the models, which saw few of
    them, end the name before the article. A demonym (المصري) joins only a name that begins
    by a kunya (أبو حمزة المصري); after another name it says where the person is from."""
    tags = list(tags)
    names = person_names()
    for start, end, kind in spans_of(tags):
        if kind != "PER" or end - start < 2 or end >= len(words) or tags[end] != "O":
            continue
        word = unmarked(words[end])
        key = match_key(word)
        if (
            not (
                key.startswith("ال")
                and word.endswith("ي")
                and names.get(key, (0, 0))[1] >= NISBA_SURNAME_BEARERS
            )
            or key in _FOLDED_PARTICLES  # إلي is إلى misspelt
        ):
            continue
        demonym = any(p.kind == "demonym" for _, _, p in gazetteer().find([key]))
        if demonym and word_key(words[start]) not in KUNYAS:
            continue
        tags[end] = "I-PER"
    return tags


def split_coordinated_names(normal: list[str], tags: list[str]) -> list[str]:
    """Two people joined by و read as one (صبري وعنان, حسن يوسف وسميرة عبد العزيز): inside a
    person's name, a word that is و before a name of the name lists, and is no name itself
    (وليد, وائل are), begins the next person; not after a link word, whose name it is (مبارك
    بن محمد آل وديان). ``normal`` are the normalized words."""
    tags = list(tags)
    for start, end, kind in spans_of(tags):
        if kind != "PER":
            continue
        for i in range(start + 1, end):
            key = normal[i]
            if (
                key.startswith("و")
                and len(key) >= 4
                and listed_name(key[1:])
                and not listed_name(key)
                and normal[i - 1] not in _FOLDED_LINKS
            ):
                tags[i] = "B-PER"
    return tags


def untag_leading_words(
    words: list[str], normal: list[str], tags: list[str], vocabulary: Container[str]
) -> list[str]:
    """A word with the article that begins a person's name and is a word of the news
    (الإمبراطور, الجليل, الشيخة: the emperor, the venerable, the sheikha) left out of the name,
    as ANERcorp leaves it (664 such words in its train split come just before a person, 5
    inside one): it is no name where neither name list holds it and the news writes it
    without the article too. ``vocabulary`` holds the normalized words of the news (the word
    clusters')."""
    tags = list(tags)
    for start, end, kind in spans_of(tags):
        key = normal[start]
        if (
            kind == "PER"
            and end - start >= 2
            and unmarked(words[start]).startswith("ال")
            and not listed_name(key)
            and key[2:] in vocabulary
        ):
            tags[start], tags[start + 1] = "O", "B-PER"
    return tags


# The words that name the places (LOC) and institutions (ORG) named after a titled person
# (``_NAMESAKE_TITLES``), as word keys.
_NAMESAKE_KINDS = {
    **dict.fromkeys(
        word_keys(
            *("جامعة", "مستشفى", "مكتبة", "دارة", "مركز", "مؤسسة", "جائزة", "صندوق", "برنامج"),
            *("كلية", "معهد", "مجمع", "مدرسة", "أكاديمية", "كرسي", "مشروع"),
        ),
        "ORG",
    ),
    **dict.fromkeys(
        word_keys(
            *("مطار", "طريق", "شارع", "حي", "حديقة", "ميناء", "جسر", "ميدان", "مدينة"),
            *("منتزه", "قاعدة", "استاد", "ملعب", "باب", "قصر", "مسجد", "محطة", "مخطط"),
            "توسعة",
        ),
        "LOC",
    ),
}

_MOSQUE = word_key("المسجد")
_HOLY_MOSQUES = word_keys("الحرام", "النبوي", "الأقصى")


def name_namesakes(words: list[str], tags: list[str]) -> list[str]:
    """A place or an institution named after a king or a prince (مطار الملك فهد, جامعة
    الأمير سلطان, حي الملك فهد) read as that place or institution, not as the person: the
    models read the name alone, and the Entities page counted King Fahd in every airport,
    hospital and road named after him. The same where they read the name with its title,
    as a person or an organisation (مستشفى الملك فيصل: الملك فيصل). A holy mosque read
    without its first word (المسجد الحرام: الحرام, an organisation) is that mosque."""
    tags = list(tags)
    for start, end, kind in spans_of(tags):
        if start < 1 or tags[start - 1] != "O":
            continue
        before = word_key(words[start - 1])
        if kind == "PER" and before in _NAMESAKE_TITLES:
            head = _NAMESAKE_KINDS.get(word_key(words[start - 2])) if start >= 2 else None
            if head and tags[start - 2] == "O":
                tags[start - 2 : end] = [f"B-{head}"] + [f"I-{head}"] * (end - start + 1)
        elif word_key(words[start]) in _NAMESAKE_TITLES and (head := _NAMESAKE_KINDS.get(before)):
            tags[start - 1 : end] = [f"B-{head}"] + [f"I-{head}"] * (end - start)
        elif before == _MOSQUE and end - start == 1 and word_key(words[start]) in _HOLY_MOSQUES:
            tags[start - 1 : end] = ["B-LOC", "I-LOC"]
    return tags


def read_as_text(
    words: list[str],
    normal: list[str],
    tags: list[str],
    vocabulary: Container[str],
    acronyms: Sequence[tuple[int, int]] = (),
    clubs: Sequence[tuple[int, int]] = (),
    places: Sequence[tuple[int, int]] = (),
    line_starts: Collection[int] = (),
) -> list[str]:
    """The tags of a text's words as the models gave them, read as one text: amounts, dates,
    particles (``untag_particles``), adjectives (``untag_adjective_names``) and titles left out
    of names, names carried on past their links (``complete_lineages``) and to their nisba
    (``carry_nisbas``), a link word, the first word of a compound name and علي before a person
    read into the name (``begin_with_links``, ``begin_compound_names``, ``name_ali``), two
    people read side by side joined (``join_abutting_people``) and two joined by و parted, then
    one reading of a name throughout (``consistent_tags``), and places named after a king read
    as places (``name_namesakes``), and acronyms spelt out with full stops read whole
    (``whole_acronyms``), and countries and clubs named in several words read whole
    (``whole_places``, ``whole_clubs``). ``normal`` are the normalized words, ``vocabulary`` the
    news words (``untag_leading_words``), ``acronyms`` the spelt-out ones (``spelt_acronyms``),
    ``clubs`` and ``places`` the spans the club list and the gazetteer's countries find,
    ``line_starts`` the words that begin a line, where every name starts anew."""
    # An amount, a date, a particle, an adjective or a title lends no reading to the text's
    # other words, nor takes one.
    tags = untag_particles(words, untag_amounts_and_dates(words, tags))
    tags = complete_lineages(words, untag_adjective_names(words, tags), line_starts)
    tags = begin_compound_names(words, begin_with_links(words, normal, tags))
    tags = join_abutting_people(normal, name_ali(words, tags))
    tags = carry_nisbas(words, split_coordinated_names(normal, tags))
    tags = untag_leading_words(words, normal, untag_titles(words, tags), vocabulary)
    tags = name_namesakes(words, consistent_tags(normal, tags, words))
    tags = whole_acronyms(untag_amounts_and_dates(words, tags), acronyms)
    return start_names_on_lines(whole_clubs(words, whole_places(tags, places), clubs), line_starts)


@lru_cache(maxsize=WORD_CACHE)  # news names repeat from text to text
def name_forms(word: str) -> frozenset[tuple[str, bool]]:
    """The readings of a normalized word long enough to stand for a name."""
    return frozenset(r for r in readings(word) if len(r[0]) >= _NAME_FORM_LETTERS)


def consistent_tags(
    normal: list[str], tags: list[str], words: list[str] | None = None
) -> list[str]:
    """One reading of a name throughout a text: a run of words the models left untagged that spells
    a name they tagged elsewhere in the same text takes that name's type (فينغر tagged once and
    missed twice), and a person's surname alone is that person (ديمورا after ألفريد ديمورا). A
    name tagged with two types, or a surname that is also another entity, is left as tagged.
    ``normal`` are the text's normalized words, ``tags`` their IOB2 tags; given the ``words`` as
    written, a particle or a link word (``no_name_alone``) is never read as a name of one word:
    a text that names علي or حسن علي made every على ("on") in it a person (على خامنئي still
    reads as علي خامنئي)."""
    names: dict[tuple[frozenset, tuple[str, ...]], set[str]] = {}
    for start, end, kind in spans_of(tags):
        if kind not in ENTITY_TYPES:
            continue
        first = name_forms(normal[start])
        if first:
            names.setdefault((first, tuple(normal[start + 1 : end])), set()).add(kind)
        if kind == "PER" and (surname := _surname(normal, start, end)):
            names.setdefault((surname, ()), set()).add(kind)
    if not names:
        return tags
    # A word reads as a name only if it ends in one of the names' forms (``readings`` takes
    # at most two proclitics and the article off its front): the others are not read.
    endings = {form for first, _ in names for form, _ in first}
    tails = {form[-_NAME_FORM_LETTERS:] for form in endings}  # a quick first sieve
    readable = {
        word
        for word in {w for w in normal if w[-_NAME_FORM_LETTERS:] in tails}
        if any(word[k:] in endings for k in range(_FRONT_LETTERS + 1))
    }
    untagged: dict[tuple[str, bool], list[int]] = {}
    for i, word in enumerate(normal):
        if word in readable and tags[i] == "O":
            for form in name_forms(word):
                untagged.setdefault(form, []).append(i)
    tags = list(tags)
    # Longer names first: بان كي مون before a one-word name inside it.
    for (first, rest), kinds in sorted(names.items(), key=lambda item: -len(item[0][1])):
        if len(kinds) > 1:
            continue
        kind, length = next(iter(kinds)), len(rest) + 1
        for i in sorted({i for form in first for i in untagged.get(form, ())}):
            end = i + length
            if (
                tuple(normal[i + 1 : end]) == rest
                and (rest or not (words and no_name_alone(words, i)))
                and all(t == "O" for t in tags[i:end])
                and (end == len(tags) or not tags[end].startswith("I-"))
            ):
                tags[i:end] = [f"B-{kind}"] + [f"I-{kind}"] * (length - 1)
    return tags


def _surname(normal: list[str], start: int, end: int) -> frozenset[tuple[str, bool]]:
    """The forms of a person's surname by which the text may name them alone (none for a
    one-word name, or a surname with the article: الشاعر is as often a word)."""
    if end - start < 2 or normal[end - 1].startswith("ال"):
        return frozenset()
    return name_forms(normal[end - 1])


def full_names(
    words: list[str], normal: list[str], spans: list[tuple[int, int, str]]
) -> dict[tuple[str, bool], str]:
    """The entity id of the one person a text names in full under each surname form (no
    entry where two people share it), so the surname alone links to them."""
    people: dict[tuple[str, bool], set[str]] = {}
    for start, end, kind in spans:
        if kind == "PER":
            for form in _surname(normal, start, end):
                people.setdefault(form, set()).add(entity_id(kind, words[start:end]))
    return {form: next(iter(ids)) for form, ids in people.items() if len(ids) == 1}


def entity_key(kind: str, words: list[str]) -> str:
    return f"{kind}:" + " ".join(word_key(w) for w in words)


def entity_id(kind: str, words: list[str], country: str | None = None) -> str:
    """Stable id of an entity: its type and the clitic-free keys of its words, so بوتين and
    وبوتين, أحمد and احمد are one entity; with ``country``, the one of that country among
    those that share the name (``shared_by_countries``: Jeddah's الأهلي is not Cairo's)."""
    key = entity_key(kind, words)
    return stable_id(f"{key}@{country}" if country else key)


@dataclass(frozen=True)
class Mention:
    start: int  # character offsets into the text, end exclusive
    end: int
    type: str
    text: str
    entity_id: str
    country_code: str | None


@dataclass(frozen=True)
class CountryMention:
    country_code: str
    start: int
    end: int
    kind: str  # country, demonym, city, region, institution, or place (located by context)
