"""How much a word looks like a foreign name part as Arabic writes it (بلير, شيراك, كوشنر),
by its letters alone: a hint for the names no list holds, which the tagger misses most.

A logistic model over the word's letter 1–4-grams (hashed) learnt from the foreign-name
list against the other words of the news vocabulary (``marsad.training.name_shapes``). The
words are split into ``PARTS`` by a hash of their letters, and one model is learnt without
each part; a word is always scored by the model that never saw it. So a listed name scores
what an unlisted one of its shape would, and the tagger learns how far to trust the score
on names it has never met: the ones it will meet in unseen news.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from math import sqrt
from pathlib import Path

import numpy as np

NAME_SHAPES_FILE = "name_shapes.npz"  # beside the word clusters, learnt from their vocabulary
PARTS = 5
HASH_BITS = 18
_MASK = (1 << HASH_BITS) - 1
LONGEST_GRAM = 4
# Bands of the score (log-odds of a foreign name part), surest first; under the last, '-'.
BANDS = (3.0, 2.0, 1.0, 0.0)
# The weights are kept as 16-bit integers times a scale a part: summed exactly, as Python
# ints, read through a memoryview (a tagging process scores about a thousand words the
# news vocabulary lacks in 25,000 tokens; a NumPy call a word took three times as long).
_STEPS = 32_000
# Bands of words beyond the vocabulary kept (``prime``): a few MB.
_SCORED_KEPT = 100_000


def part_of(word: str) -> int:
    """Which model scores ``word``: the one learnt without the words of its part."""
    return zlib.crc32(word.encode("utf-8")) % PARTS


def letter_grams(word: str) -> list[int]:
    """The hashed letter 1- to 4-grams of ``^word$``, one a place and length (a gram twice
    in the word is there twice): a polynomial of the letters' code points, multiplied out
    and cut to HASH_BITS (Knuth's multiplicative hashing)."""
    letters = [94, *map(ord, word), 36]  # ^ word $
    grams: list[int] = []
    add = grams.append
    for i, value in enumerate(letters):
        add((value * 2654435761) >> 7 & _MASK)
        for letter in letters[i + 1 : i + LONGEST_GRAM]:
            value = value * 1031 + letter
            add((value * 2654435761) >> 7 & _MASK)
    return grams


def _band_index(score: float) -> int:
    return next((band for band, least in enumerate(BANDS) if score > least), len(BANDS))


def gram_count(word: str) -> int:
    """How many grams ``letter_grams`` gives: the scale of a word's gram vector is its
    square root."""
    letters = len(word) + 2
    return sum(max(letters - n + 1, 0) for n in range(1, LONGEST_GRAM + 1))


class NameShapes:
    """The ``PARTS`` models: weights [PARTS, 2 ** HASH_BITS] over the hashed n-grams of a
    word's letters (each gram counts 1 / √(the word's grams)), in 16-bit steps of a scale,
    and a bias each; and the band of every word of the vocabulary they were learnt beside
    (``known``, by its place there), worked out once: a tagging process then scores only the
    words the news vocabulary lacks."""

    def __init__(
        self,
        steps: np.ndarray,
        scale: np.ndarray,
        bias: np.ndarray,
        known: np.ndarray | None = None,
    ):
        if steps.shape != (PARTS, 1 << HASH_BITS) or steps.dtype != np.int16:
            raise ValueError(f"name shapes of {steps.shape} {steps.dtype}")
        if scale.shape != (PARTS,) or bias.shape != (PARTS,):
            raise ValueError(f"{scale.shape} scales and {bias.shape} biases")
        self.steps, self.known = steps, known
        self._steps = memoryview(np.ascontiguousarray(steps).ravel())
        self.scale, self.bias = scale.tolist(), bias.tolist()
        self._known = b""
        self._index: dict[str, int] = {}
        self._scored: dict[str, int] = {}  # bands of words beyond the vocabulary (``prime``)

    @classmethod
    def learnt(cls, weights: np.ndarray, bias: np.ndarray) -> NameShapes:
        """The models of ``weights`` [PARTS, 2 ** HASH_BITS] brought to 16-bit steps, a
        scale a part (a step is 1/32,000 of the part's largest weight)."""
        scale = np.abs(weights).max(axis=1) / _STEPS
        scale[scale == 0] = 1
        steps = np.round(weights / scale[:, None]).astype(np.int16)
        return cls(steps, scale, np.asarray(bias, np.float64))

    @classmethod
    def load(cls, path: Path) -> NameShapes | None:
        """The models at ``path``; None where there are none (models trained without them)."""
        if not path.is_file():
            return None
        with np.load(path, allow_pickle=False) as archive:
            return cls(archive["steps"], archive["scale"], archive["bias"], archive["known"])

    def save(self, path: Path) -> None:
        # Not compressed: every tagging process reads it (2.6 MB).
        known = np.zeros(0, np.uint8) if self.known is None else self.known
        scale, bias = np.float64(self.scale), np.float64(self.bias)
        np.savez(path, steps=self.steps, scale=scale, bias=bias, known=known)

    def read_vocabulary(self, index: dict[str, int]) -> None:
        """Look the bands of ``known`` up by ``index`` (the word clusters' vocabulary), if
        they were worked out for it; otherwise every word is scored."""
        if self.known is not None and len(self.known) == len(index):
            # Bytes read as ints, where a list of 100,000 took milliseconds of each start.
            self._known, self._index = self.known.astype(np.uint8).tobytes(), index
        else:
            self._known, self._index = b"", {}

    def score(self, word: str) -> float:
        """Log-odds that ``word`` is a foreign name part, by the model that never saw it."""
        part = part_of(word)
        steps, base = self._steps, part << HASH_BITS
        total = sum([steps[base + gram] for gram in letter_grams(word)])
        return self.bias[part] + self.scale[part] * total / sqrt(gram_count(word))

    def scores(self, words: list[str]) -> np.ndarray:
        """``score`` of each word, to the bit, worked out together: 7,700 words in 0.014 s,
        where one at a time they took 0.10 s (both with the two cores busy)."""
        if not words:
            return np.zeros(0)
        lengths = np.array([len(w) + 2 for w in words])
        text = "".join(f"^{w}$" for w in words)
        letters = np.frombuffer(text.encode("utf-32-le"), np.uint32).astype(np.uint64)
        owner = np.repeat(np.arange(len(words)), lengths)
        # How many letters of its word each place has left, itself included.
        left = np.repeat(np.cumsum(lengths), lengths) - np.arange(len(letters))
        parts = np.array([part_of(w) for w in words])
        rows = parts[owner] << HASH_BITS
        steps = np.ascontiguousarray(self.steps).ravel()
        totals = np.zeros(len(words))
        value = np.zeros(len(letters), np.uint64)
        for n in range(LONGEST_GRAM):  # the grams of n + 1 letters, by where they begin
            places = len(letters) - n
            value[:places] = value[:places] * np.uint64(1031) + letters[n:]
            whole = left[:places] > n
            # Wrapped at 64 bits, the product keeps the bits the hash takes.
            grams = (value[:places][whole] * np.uint64(2654435761)) >> np.uint64(7)
            grams = (grams & np.uint64(_MASK)).astype(np.int64) + rows[:places][whole]
            totals += np.bincount(owner[:places][whole], steps[grams], len(words))
        scale, bias = np.array(self.scale)[parts], np.array(self.bias)[parts]
        return bias + scale * totals / np.sqrt(4 * lengths - 6)

    def prime(self, words: Iterable[str]) -> None:
        """Work out together the bands of the ``words`` that ``band_of`` will be asked
        about and would otherwise score one by one (those not in the vocabulary)."""
        words = [w for w in dict.fromkeys(words) if w not in self._index]
        new = [w for w in words if w not in self._scored]
        if len(self._scored) + len(new) > _SCORED_KEPT:
            # Start again, with the words asked about (``band_of`` reads them next).
            self._scored.clear()
            new = words
        for word, best in zip(new, self.scores(new).tolist(), strict=True):
            self._scored[word] = _band_index(best)

    def band_of(self, word: str) -> int:
        """The place in ``BANDS`` of the first band ``word`` reaches, or len(BANDS)."""
        at = self._index.get(word)
        if at is not None:
            return self._known[at]
        band = self._scored.get(word)
        return _band_index(self.score(word)) if band is None else band

    def band(self, *forms: str) -> str:
        """The band of the best-scored of a word's forms (as written, without proclitics),
        '-' under the lowest."""
        band = min(self.band_of(form) for form in dict.fromkeys(forms) if form)
        return "-" if band == len(BANDS) else str(band)
