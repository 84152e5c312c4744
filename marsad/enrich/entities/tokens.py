"""Words of a text as the tagger reads them: tokenization (decimal numbers whole, handles
and markup tags left out, hashtags parted into words) and sentence bounds.
"""

from __future__ import annotations

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


def tokenize(text: str) -> list[Token]:
    """Words and punctuation marks with their character offsets (social-media handles and
    markup tags left out)."""
    return [
        Token(word, m.start(), m.end())
        for m in _TOKEN_RE.finditer(text)
        if (word := m.group())[0] not in "@<" or len(word) == 1
    ]


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
