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

import polars as pl
import regex

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


def match_key(text: str) -> str:
    """Key under which spellings of the same words compare equal."""
    text = _PUNCTUATION_RE.sub(" ", normalize(text).lower())
    return _WHITESPACE_RE.sub(" ", text).strip()


def normalized(expr: pl.Expr) -> pl.Expr:
    """``normalize`` as a Polars expression."""
    return (
        expr.str.replace_all(f"{_DROPPED_MARKS}|{_INVISIBLES}", "")
        .str.replace_many(list(_CHAR_FOLDS), list(_CHAR_FOLDS.values()))
        .str.replace_all(_WHITESPACE, " ")
        .str.strip_chars()
    )


def match_keyed(expr: pl.Expr) -> pl.Expr:
    """``match_key`` as a Polars expression."""
    return (
        normalized(expr)
        .str.to_lowercase()
        .str.replace_all(_PUNCTUATION, " ")
        .str.replace_all(_WHITESPACE, " ")
        .str.strip_chars()
    )
