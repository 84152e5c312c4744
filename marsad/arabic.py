"""Arabic-aware text normalization: the one place for dedup, search and matching keys.

Two forms, each available for a Python string and as a Polars expression built from
the same tables, so the pipeline (vectorized) and the CLI/dashboard (scalar) agree:

- ``normalize``: orthographic folding that keeps words and punctuation readable
  (alef/hamza forms, ta marbuta, alef maqsura, tatweel, diacritics, Eastern digits,
  Arabic punctuation, every kind of whitespace);
- ``match_key``: ``normalize`` plus lower case and punctuation removed, for equality
  of headlines, titles and names written slightly differently.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from marsad.limits import WORD_CACHE

if TYPE_CHECKING:  # the Polars forms take and return expressions; no import needed to run
    from collections.abc import Iterable

    import polars as pl

# An Arabic letter (no digit, mark or tatweel), as both Python's ``regex`` and Polars (Rust)
# read it.
ARABIC_LETTER = r"[\u0621-\u064A\u066E-\u06D3]"

# Diacritics (harakat, tanwin, shadda, sukun, superscript alef), Quranic marks and tatweel
# carry no meaning for matching and are written inconsistently.
_DROPPED_MARKS = "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]"

# One letter for each family of letters that writers swap freely.
_LETTER_FOLDS: dict[str, str] = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ة": "ه",
    "ى": "ي",
    "ئ": "ي",
    "ؤ": "و",
    "ی": "ي",  # Persian yeh
    "ۍ": "ي",
    "ک": "ك",  # Persian keheh
    "ڪ": "ك",
}

_DIGIT_FOLDS: dict[str, str] = {
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Eastern Arabic ٠..٩
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian/Urdu ۰..۹
}

_PUNCTUATION_FOLDS: dict[str, str] = {
    "،": ",",
    "؛": ";",
    "؟": "?",
    "٪": "%",
    "٫": ".",
    "٬": ",",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "„": '"',
    "‘": "'",
    "’": "'",
    "–": "-",
    "—": "-",
}

_CHAR_FOLDS = {**_LETTER_FOLDS, **_DIGIT_FOLDS, **_PUNCTUATION_FOLDS}

# NBSP, zero-width and directional marks are invisible in pages but break equality.
_INVISIBLES = "[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
_WHITESPACE = r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+"
_PUNCTUATION = r"[\p{P}\p{S}]+"

_FOLD_TABLE = str.maketrans(_CHAR_FOLDS)
_DROPPED_RE = regex.compile(f"{_DROPPED_MARKS}|{_INVISIBLES}")
_WHITESPACE_RE = regex.compile(_WHITESPACE)
_PUNCTUATION_RE = regex.compile(_PUNCTUATION)


def normalize(text: str) -> str:
    """Orthographic normalization of one string (see module docstring)."""
    text = _DROPPED_RE.sub("", text).translate(_FOLD_TABLE)
    return _WHITESPACE_RE.sub(" ", text).strip()


def unmarked(text: str) -> str:
    """Text without diacritics, tatweel and invisible marks, its letters as written (آبي, Abe,
    stays apart from أبي)."""
    return _DROPPED_RE.sub("", text)


# Strings this short (a word, most often) keep their key once worked out: the tagger asks
# it of each word of a text four times over (features, the name lists, countries).
_KEPT_KEY_LETTERS = 24


def match_key(text: str) -> str:
    """Key under which spellings of the same words compare equal."""
    return _kept_key(text) if len(text) <= _KEPT_KEY_LETTERS else _key(text)


def _key(text: str) -> str:
    # One word of letters and digits (the entity tagger's tokens) needs only its marks
    # dropped and letters folded: four times faster than the whole path.
    folded = _DROPPED_RE.sub("", text).translate(_FOLD_TABLE).lower()
    if folded.isalnum():
        return folded
    text = _PUNCTUATION_RE.sub(" ", _WHITESPACE_RE.sub(" ", folded).strip())
    return _WHITESPACE_RE.sub(" ", text).strip()


_kept_key = lru_cache(maxsize=WORD_CACHE)(_key)


def _folded(expr: pl.Expr) -> pl.Expr:
    """Marks and invisibles dropped, letters, digits and punctuation folded."""
    return expr.str.replace_all(f"{_DROPPED_MARKS}|{_INVISIBLES}", "").str.replace_many(
        list(_CHAR_FOLDS), list(_CHAR_FOLDS.values())
    )


def normalized(expr: pl.Expr) -> pl.Expr:
    """``normalize`` as a Polars expression."""
    return _folded(expr).str.replace_all(_WHITESPACE, " ").str.strip_chars()


def match_keyed(expr: pl.Expr) -> pl.Expr:
    """``match_key`` as a Polars expression."""
    return (
        normalized(expr)
        .str.to_lowercase()
        .str.replace_all(_PUNCTUATION, " ")
        .str.replace_all(_WHITESPACE, " ")
        .str.strip_chars()
    )


def match_key_words(expr: pl.Expr) -> pl.Expr:
    """The words of ``match_keyed`` as a list, in one pass over the folded text: the runs
    of what is neither white space nor punctuation (the same words as splitting the key)."""
    return _folded(expr).str.to_lowercase().str.extract_all(r"[^\s\p{P}\p{S}]+")


# Proclitics (conjunction, preposition, article) and enclitics (pronouns, plural and
# feminine endings) glued to a word; stripping them lets بالرياض, والرياض and الرياض meet.
_PROCLITICS = (
    "وبال",
    "وكال",
    "فبال",
    "وال",
    "فال",
    "بال",
    "كال",
    "ولل",
    "لل",
    "ال",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
)
_ENCLITICS = ("كما", "هما", "ات", "ون", "ين", "ان", "ها", "هم", "كم", "نا", "يه", "يا", "ه", "ي")
_MIN_STEM = 3
_WORD_RE = regex.compile(r"[\p{L}\p{N}]+")
# The first proclitic in _PROCLITICS order that leaves a stem: one match where a loop over
# them cost 15 calls a word (it runs for every new word the tagger meets).
_PROCLITIC_RE = re.compile(f"(?:{'|'.join(_PROCLITICS)})(?=.{{{_MIN_STEM}}})", re.DOTALL)


def strip_proclitics(word: str) -> str:
    """``word`` without its leading conjunction/preposition/article, if a stem remains."""
    found = _PROCLITIC_RE.match(word)
    return word[found.end() :] if found else word


@lru_cache(maxsize=WORD_CACHE)  # news vocabulary repeats; stemming each token again is waste
def light_stem(word: str) -> str:
    """Light stem of a normalized word: proclitics and one enclitic or ending removed."""
    word = strip_proclitics(word)
    for clitic in _ENCLITICS:
        if word.endswith(clitic) and len(word) - len(clitic) >= _MIN_STEM:
            return word[: -len(clitic)]
    return word


def bare(word: str) -> str:
    """A normalized word without its article."""
    return word[2:] if word.startswith("ال") and len(word) >= 4 else word


# Runs of proclitics a word may carry before its (possibly article-bearing) stem.
_PROCLITIC_RUNS = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل")


@lru_cache(maxsize=WORD_CACHE)  # called for every word of every article; vocabulary repeats
def readings(word: str) -> frozenset[tuple[str, bool]]:
    """Bare forms a normalized word of text may stand for once its proclitics are off, each
    with whether the word carried the article. A clitic-like first letter is tried both
    ways (بشار is بشار or ب + شار), so no reading is lost to a wrong guess."""
    forms = set()
    for run in _PROCLITIC_RUNS:
        if word.startswith(run) and len(word) - len(run) >= 2:
            rest = word[len(run) :]
            forms.add((bare(rest), bare(rest) != rest))
            if run.endswith("ل") and rest.startswith("ل"):  # لل: ل + the article
                forms.add((rest[1:], True))
    return frozenset(forms)


def proclitic_writings(forms: Iterable[str]) -> dict[str, str]:
    """Each word of text whose ``readings`` hold one of these bare forms without the article
    (the form behind any run of proclitics: مدينة, بمدينة, ولمدينة) → that form."""
    return {
        run + form: form
        for form in forms
        if len(form) >= 2 and bare(form) == form
        for run in _PROCLITIC_RUNS
    }


def word_lists(text: pl.Expr) -> pl.Expr:
    """``words`` as a Polars expression (a list of words per row)."""
    return (
        text.str.replace_all(f"{_DROPPED_MARKS}|{_INVISIBLES}", "")
        .str.replace_many(list(_CHAR_FOLDS), list(_CHAR_FOLDS.values()))
        .str.to_lowercase()
        .str.extract_all(r"[\p{L}\p{N}]+")
    )


def search_keys(text: str) -> set[str]:
    """Keys a text is found under: every bare reading of each of its words, so a search
    for مصر finds بمصر, ومصر and لمصر, and not مصرف."""
    return {form for word in set(words(text)) for form, _ in readings(word)}


def query_keys(query: str) -> list[str]:
    """The keys a search query looks up: each word normalized and without its article
    (a search for الوزير finds وزير, والوزير and بالوزير); every key must be present."""
    return list(dict.fromkeys(bare(word) for word in words(query)))


# Whitespace never falls inside a run of letters and the marks dropped from it, so a text's
# words are those of its whitespace-separated chunks, each computed once and kept.
_CHUNK_WORDS: dict[str, list[str]] = {}
_CHUNK_WORDS_LIMIT = WORD_CACHE


def _chunk_words(chunk: str) -> list[str]:
    found = _WORD_RE.findall(_DROPPED_RE.sub("", chunk).translate(_FOLD_TABLE).lower())
    if len(_CHUNK_WORDS) >= _CHUNK_WORDS_LIMIT:  # bounded: a stream of new words cannot grow it
        _CHUNK_WORDS.clear()
    _CHUNK_WORDS[chunk] = found
    return found


def words(text: str) -> list[str]:
    """Words of ``match_key(text)``: the tokens topic and search features are built from.
    (Letter runs need only the marks dropped and letters folded: spaces and punctuation
    separate them anyway.) News vocabulary repeats, so each chunk between spaces is folded
    once: the regular expressions then run on new chunks only, the hot path of classifying."""
    found: list[str] = []
    for chunk in text.split():
        known = _CHUNK_WORDS.get(chunk)  # an empty list is known too (a chunk of punctuation)
        found += _chunk_words(chunk) if known is None else known
    return found
