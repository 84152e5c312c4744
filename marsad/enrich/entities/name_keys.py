"""Keys under which the names of one entity compare equal, and what the words of a person's
name are (given names, lineage, kunya): what the merge rules (``merge``) read names by."""

from __future__ import annotations

import re

from marsad.arabic import match_key
from marsad.enrich.entities.linking import TITLE_WORD

NASAB = ("بن", "بنت", "ابن")
LINEAGE = (*NASAB, "ال")  # match_key folds آل to ال
KUNYA = ("ابو", "ام")
_ABD = re.compile(r"\bعبد ")
_FOREIGN_LETTERS = str.maketrans({"غ": "ج", "گ": "ج", "ڤ": "ف", "پ": "ب"})
# A word this many people of the name lists bear is an Arab name, its letters as written.
ARAB_NAME_MIN_BEARERS = 4


def foreign_spelling(key: str, names: dict[str, tuple[int, int]], person: bool = False) -> str:
    """A name's key (``name_key``) with the letters of foreign sounds folded: the g of foreign
    names is غ in the Levant and the Maghreb and ج in Egypt and the Gulf (الكونغرس and
    الكونجرس, سيرغي and سيرجي لافروف, هونغ كونغ and هونج كونج), and Persian letters stand for v
    and p (ڤ, پ). Not in a word that is an Arab name either way (غيلان and جيلان, غليل and
    جليل are names of their own), nor, in a ``person``'s name, in a family name with the
    article (الغبيري and الجبيري are two families)."""
    return " ".join(
        word if person and word.startswith("ال") else _foreign_folded(word, names)
        for word in key.split()
    )


def _foreign_folded(word: str, names: dict[str, tuple[int, int]]) -> str:
    folded = word.translate(_FOREIGN_LETTERS)
    if folded == word or any(
        sum(names.get(form, (0, 0))) >= ARAB_NAME_MIN_BEARERS for form in (word, folded)
    ):
        return word
    return folded


def name_key(name: str) -> str:
    """Spelling-folded name, "عبد X" joined into one word."""
    return _ABD.sub("عبد", match_key(name))


def person_key(name: str) -> str:
    """``name_key`` of a person's name, a title after a lineage left out: محمد بن نايف ولي (of
    ولي العهد), which the tagger took into names before ``linking.untag_titles`` and which
    warehouses built then still hold."""
    key = name_key(name)
    words = key.split()
    if (
        len(words) >= 3
        and words[-1] == TITLE_WORD
        and words[-2] not in NASAB
        and any(word in NASAB for word in words[:-2])
    ):
        return " ".join(words[:-1])
    return key


# Words of given names that are not names of one person: the second half of compound given
# names (ناصر الدين, زين العابدين) and the first of a kunya (أبو العلاء).
COMPOUND_GIVEN = ("الدين", "العابدين", "الله", "الرحمن", *KUNYA)


def given_name(word: str, names: dict[str, tuple[int, int]]) -> bool:
    """Whether a word is (also) commonly a given name: حسان is a surname as often as a given
    name, so حسان alone may be anyone called Hassan."""
    given, surname = names.get(word, (0, 0))
    return word.startswith("عبد") or word in COMPOUND_GIVEN or (given > 0 and 2 * given >= surname)


def name_word(word: str, names: dict[str, tuple[int, int]]) -> bool:
    return word in LINEAGE or word in names or word.startswith("عبد")


def continues_lineage(short: tuple[str, ...], long: tuple[str, ...], names) -> bool:
    """Whether ``long`` goes on with the lineage of ``short`` (and is not two names run
    together by the tagger, طلال سلامة محمد عبده)."""
    # The first word as written after "and" (وأبو معاوية is a kunya too).
    first = short[0][1:] if short[0][:1] == "و" and short[0][1:] in KUNYA else short[0]
    if first in LINEAGE or first in KUNYA or short[-1] in COMPOUND_GIVEN:
        return False  # بن مبارك, a kunya (أبو ثابت), جار الله: not one person
    added = long[len(short) :]
    if not all(name_word(word, names) for word in added):
        return False
    if any(word in NASAB for word in short):
        return added[0] in LINEAGE
    # Without a lineage word: one family name more (أحمد الفهد الصباح), and the short name
    # is more than given names (أحمد علي is too common to be one person). Or the lineage, after
    # a name that is more than given names or ends on a father's name with the article, as
    # princes are named (خالد الفيصل بن عبدالعزيز).
    if added[0] in LINEAGE:
        return short[-1].startswith("ال") or not all(given_name(w, names) for w in short)
    return (
        len(added) == 1
        and not given_name(added[0], names)
        and not all(given_name(word, names) for word in short)
    )
