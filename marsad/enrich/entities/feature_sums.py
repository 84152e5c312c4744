"""A sentence's words scored as sums of per-feature vectors, without writing out the feature
strings of every position (``sentence_features`` does that for CRFsuite's training).

Both entity models score a word that way: the CRF adds one weight per label for each of the
word's features, the BiLSTM adds one embedding per feature of the word itself. What a word
gives itself and each neighbour depends on the word alone (``_word_features``), so those sums
are kept per word; what depends on the sentence (gazetteer and organisation marks, sentence
edges, word pairs) is looked up per position. The sums are the same as over the strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate, chain, repeat
from typing import Any

import numpy as np

from marsad.enrich.gazetteer import KINDS
from marsad.limits import WORD_CACHE

OFFSETS = (-2, -1, 1, 2)
# The marks a word's place and organisation features take, numbered (``SentenceMarks``).
PLACE_MARKS = ("O", *(f"{edge}-{kind}" for kind in KINDS for edge in "BI"))
ORGANISATION_MARKS = ("O", "B", "I")
PLACE_MARK_IDS = {mark: i for i, mark in enumerate(PLACE_MARKS)}
# Words whose sums are kept, at most; the cache starts again past it.
CACHED_WORDS = WORD_CACHE


@dataclass
class SentenceMarks:
    """What the features of a sentence are built from: each word's ``_word_features`` and
    its gazetteer and organisation marks (B-city, I-country, O …; B, I, O), with the places
    and organisations found (word spans and what they name)."""

    words: list[str]
    info: list[tuple[str, str, tuple[str, ...], dict[int, tuple[str, ...]]]]
    places: list[str]
    organisations: list[str]
    found_places: list[tuple[int, int, Any]]
    found_organisations: list[tuple[int, int, Any]]
    # The marks as numbers (PLACE_MARKS, ORGANISATION_MARKS), for the sums.
    place_ids: np.ndarray
    organisation_ids: np.ndarray


class FeatureSums:
    """Sums of ``vectors`` rows over a word's features (``index``: feature → row; unknown
    features count for nothing). With ``neighbours`` the CRF's whole window is summed, else
    only the word's own features and its own marks."""

    def __init__(self, index: dict[str, int], vectors: np.ndarray, neighbours: bool):
        # Row 0 is the unknown feature's.
        self.vectors = np.vstack([np.zeros((1, vectors.shape[1]), vectors.dtype), vectors])
        self.index = {feature: row + 1 for feature, row in index.items()}
        self.neighbours = neighbours
        self._words: dict[str, np.ndarray] = {}
        slots = OFFSETS if neighbours else ()
        # Mark features by offset (0 is the word's own): mark number → row. Organisation
        # marks are features of the word and its next neighbours only.
        self._marks = {
            (kind, offset): np.array(
                [self._row(f"{offset or ''}{kind}={mark}") for mark in marks], np.int64
            )
            for kind, marks in (("gz", PLACE_MARKS), ("og", ORGANISATION_MARKS))
            for offset in (0, *slots)
        }

    def _row(self, feature: str) -> int:
        return self.index.get(feature, 0)

    def _word(self, word: str, info) -> np.ndarray:
        """[1 + offsets, dim]: the word's own sum, then what it gives each neighbour."""
        block = self._words.get(word)
        if block is None:
            _, _, own, for_neighbours = info
            get = self.index.get
            if self.neighbours:
                groups = [own, *(for_neighbours[o] for o in OFFSETS)]
                rows = list(map(get, chain.from_iterable(groups), repeat(0)))
                starts = list(accumulate((len(g) for g in groups[:-1]), initial=0))
                block = np.add.reduceat(self.vectors[rows], starts, axis=0)
            else:
                rows = list(map(get, own, repeat(0)))
                block = self.vectors[rows].sum(axis=0, keepdims=True)
            if len(self._words) >= CACHED_WORDS:
                self._words.clear()
            self._words[word] = block
        return block

    def sentence(self, marks: SentenceMarks) -> np.ndarray:
        """[words, dim]: each word's sum over its features."""
        return self.sentences([marks])[0]

    def sentences(self, many: list[SentenceMarks]) -> list[np.ndarray]:
        """``sentence`` of each of many sentences, worked out over all their words at once:
        one numpy step per kind of feature, not per sentence, and each sum added in the same
        order whatever else is in the batch."""
        lengths = np.array([len(m.words) for m in many], np.int64)
        n = int(lengths.sum())
        if n == 0:
            return [np.zeros((0, self.vectors.shape[1]), self.vectors.dtype) for _ in many]
        known = self._words.get
        blocks = np.stack(
            [
                block if (block := known(w)) is not None else self._word(w, i)
                for m in many
                for w, i in zip(m.words, m.info, strict=True)
            ]
        )
        total = blocks[:, 0].copy()
        v, rows = self.vectors, self._marks
        places = np.concatenate([m.place_ids for m in many])
        organisations = np.concatenate([m.organisation_ids for m in many])
        total += v[rows[("gz", 0)][places]]
        total += v[rows[("og", 0)][organisations]]
        if self.neighbours:
            # Each word's place in its sentence, and how many words follow it there.
            at = np.arange(n) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            after = np.repeat(lengths, lengths) - 1 - at
            for slot, offset in enumerate(OFFSETS, start=1):
                # Word i gets what word i + offset gives it, or the sentence edge.
                inside = (at + offset >= 0) if offset < 0 else (after - offset >= 0)
                here = np.flatnonzero(inside)
                there = here + offset
                total[here] += blocks[there, slot]
                total[here] += v[rows[("gz", offset)][places[there]]]
                if offset in (-1, 1):
                    total[here] += v[rows[("og", offset)][organisations[there]]]
                total[~inside] += v[self._row(f"{offset}w={'BOS' if offset < 0 else 'EOS'}")]
            norms = [info[0] for m in many for info in m.info]
            follows = np.flatnonzero(at > 0)  # words with one before them in their sentence
            pairs = [(norms[i - 1], norms[i]) for i in follows]
            total[follows] += v[[self._row(f"w-1|w={a}|{b}") for a, b in pairs]]
            total[follows - 1] += v[[self._row(f"w|w+1={a}|{b}") for a, b in pairs]]
        return np.split(total, np.cumsum(lengths)[:-1])
