"""Words of a text as the tagger reads them: tokenization (decimal numbers whole, handles
and markup tags left out, hashtags parted into words), sentence and line bounds.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import NamedTuple

import regex

# Decimal numbers stay whole (6.3 is one word): a full stop inside one must not end the
# sentence the tagger reads. A social-media handle (@The_Persona) is an address, not
# words of the text: it is matched whole and left out (``tokenize``). So is a markup tag
# left in a text (<script>, </b>: a title that quotes HTML), whose name the models once
# read as an organisation; Arabic between < and > stays words. Other words
# start with a letter or digit: a hashtag's underscores part its words
# (#هاري_وميغان_في_المغرب) and an emoji's variation selector (▶️مصر) is no part of the word
# after it.
_TOKEN_RE = regex.compile(
    r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>"
    r"|(?<![\p{L}\p{N}])@[\p{L}\p{M}\p{N}_]+|\p{N}+(?:[.,٫]\p{N}+)+|[\p{L}\p{N}][\p{L}\p{M}\p{N}]*"
    r"|[^\s\p{L}\p{M}\p{N}_]"
)


class Token(NamedTuple):  # a tuple: made for every word of every text
    text: str
    start: int
    end: int


# Latin letters as Arabic writes their names, the parts of an acronym spelt out with full
# stops (بي.بي.سي, إن. بي. سي, إتش. إس. بي. سي: BBC, NBC, HSBC).
# fmt: off
LETTER_NAMES = frozenset((
    "إيه", "ايه", "أيه", "بي", "سي", "دي", "إي", "اي", "إف", "اف", "جي", "إتش", "اتش", "آي",
    "جيه", "جاي", "كي", "كيه", "إل", "إم", "ام", "إن", "ان", "أو", "او", "آر", "ار", "إس",
    "اس", "تي", "يو", "في", "دبليو", "إكس", "اكس", "واي", "زد",
))
# fmt: on


def tokenize(text: str) -> list[Token]:
    """Words and punctuation marks with their character offsets (social-media handles,
    markup tags and the full stops inside a spelt-out acronym left out)."""
    tokens = [
        Token(word, m.start(), m.end())
        for m in _TOKEN_RE.finditer(text)
        if (word := m.group())[0] not in "@<" or len(word) == 1
    ]
    return _without_acronym_stops(tokens) if "." in text else tokens


def _without_acronym_stops(tokens: list[Token]) -> list[Token]:
    """The tokens less each full stop between two letter names, the first written against
    it: such a stop ends no sentence, and the letters read as one name, as news also writes
    them with spaces (بي بي سي). With a space after the stop (إن. بي. سي), the acronym
    must go on past the next letter, so that a sentence ending on في (in) before one
    beginning with أو (or) stays two."""
    kept: list[Token] = []
    inside = False  # the last stop was left out
    for i, token in enumerate(tokens):
        if (
            token.text == "."
            and 0 < i < len(tokens) - 1
            and tokens[i - 1].text in LETTER_NAMES
            and tokens[i - 1].end == token.start
            and tokens[i + 1].text in LETTER_NAMES
            and (
                tokens[i + 1].start == token.end
                or (tokens[i + 1].start == token.end + 1 and (inside or _stop_after(tokens, i + 1)))
            )
        ):
            inside = True
            continue
        if token.text != "." and token.text not in LETTER_NAMES:
            inside = False
        kept.append(token)
    return kept


def _stop_after(tokens: list[Token], i: int) -> bool:
    """Whether a full stop is written against token ``i``."""
    return (
        i + 1 < len(tokens) and tokens[i + 1].text == "." and tokens[i + 1].start == tokens[i].end
    )


def spelt_acronyms(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """(first, past last) token of each acronym spelt out with full stops: letter names
    with a stop between each two (بي.بي.سي, إن. بي. سي), which ``tokenize`` left out."""
    runs: list[tuple[int, int]] = []
    first = 0
    for i in range(1, len(tokens) + 1):
        if i < len(tokens) and tokens[i].text in LETTER_NAMES:
            between = text[tokens[i - 1].end : tokens[i].start]
            if tokens[i - 1].text in LETTER_NAMES and between in (".", ". "):
                continue
        if i - first >= 2:
            runs.append((first, i))
        first = i
    return runs


def line_starts(text: str, tokens: list[Token]) -> frozenset[int]:
    """The tokens that begin a line after the first: a heading's name is not the next
    line's (محسن الفضلي above "ولد محسن الفضلي في الكويت", born in Kuwait)."""
    if "\n" not in text:  # one line (a sentence, a title): nothing to part
        return frozenset()
    starts = [token.start for token in tokens]
    found = {bisect_left(starts, m.start()) for m in regex.finditer("\n", text)}
    return frozenset(found - {0, len(tokens)})


SENTENCE_ENDS = frozenset((".", "؟", "!", "?"))


def sentence_bounds(tokens: list[Token]) -> list[tuple[int, int]]:
    """(first, past last) token of each sentence: sentences end at full stops, question and
    exclamation marks, as the models' training text does."""
    bounds, start = [], 0
    for i, token in enumerate(tokens):
        if token.text in SENTENCE_ENDS or i == len(tokens) - 1:
            bounds.append((start, i + 1))
            start = i + 1
    return bounds
