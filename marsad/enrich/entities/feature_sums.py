"""A sentence's words scored as sums of per-feature vectors, without writing out the feature
strings of every position (``sentence_features`` does that for CRFsuite's training).

Both entity models score a word that way: the CRF adds one weight per label for each of the
word's features, the BiLSTM adds one embedding per feature of the word itself. What a word
gives itself and each neighbour depends on the word alone (``word_features``), so those sums
are kept per word; what depends on the sentence (gazetteer and organisation marks, sentence
edges, word pairs) is looked up per position. The sums are the same as over the strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import accumulate, chain, repeat
from operator import itemgetter
from typing import Any

import numpy as np

from marsad.enrich.gazetteer import KINDS
from marsad.limits import WORD_CACHE

OFFSETS = (-2, -1, 1, 2)
_BY_OFFSET = itemgetter(*OFFSETS)  # what a word gives each neighbour, in OFFSETS order
# The marks a word's place and organisation features take, numbered (``SentenceMarks``).
PLACE_MARKS = ("O", *(f"{edge}-{kind}" for kind in KINDS for edge in "BI"))
ORGANISATION_MARKS = ("O", "B", "I")
PLACE_MARK_IDS = {mark: i for i, mark in enumerate(PLACE_MARKS)}
# Words whose sums are kept, at most; the cache starts again past it.
CACHED_WORDS = WORD_CACHE
# New words whose sums are worked out in one numpy step.
SUMMED_WORDS = 64


@dataclass
class SentenceMarks:
    """What the features of a sentence are built from: each word's ``word_features`` and
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
    # Each word's row in the tagger's lexicon (-1 for a word it lacks), or None without one.
    lexicon_rows: list[int] | None = None
    # The sports clubs found (word spans), a curated organisation's words or not.
    found_clubs: list[tuple[int, int, Any]] = field(default_factory=list)


class FeatureSums:
    """Sums of ``vectors`` rows over a word's features (``index``: feature → row; unknown
    features count for nothing). With ``neighbours`` the CRF's whole window is summed, else
    only the word's own features and its own marks."""

    def __init__(
        self, index: dict[str, int], vectors: np.ndarray, neighbours: bool, padded: bool = False
    ):
        # Row 0 is the unknown feature's; ``padded`` vectors have it already, and ``index``
        # counts from 1 (no copy of tens of megabytes at every start).
        if not padded:
            vectors = np.vstack([np.zeros((1, vectors.shape[1]), vectors.dtype), vectors])
            index = {feature: row + 1 for feature, row in index.items()}
        self.vectors, self.index = vectors, index
        self.neighbours = neighbours
        # A word's block: its own sum and, with ``neighbours``, what it gives each neighbour.
        self.block_shape = (1 + len(OFFSETS) if neighbours else 1, vectors.shape[1])
        # Blocks worked out beforehand, by lexicon row (``marsad.enrich.entities.lexicon``).
        self.known: np.ndarray | None = None
        # The blocks of words the lexicon lacks, summed once: word → row of ``_summed``.
        self._words: dict[str, int] = {}
        self._summed = np.empty((0, *self.block_shape), vectors.dtype)  # room past the words
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

    def _blocks(self, many: list[SentenceMarks]) -> np.ndarray:
        """[words, 1 + offsets or 1, dim]: each word's own sum and, with ``neighbours``, what
        it gives each neighbour. Words in the lexicon are read from its blocks; the others
        are summed once (``summed``: a numpy step per word cost more than the sums) and
        kept. Both are gathered by row: stacking a block a word cost 0.02 s in 25,000."""
        words = [w for m in many for w in m.words]
        rows = [r for m in many for r in (m.lexicon_rows or [-1] * len(m.words))]
        lexicon_rows = np.array(rows, np.int64)
        known = lexicon_rows >= 0
        blocks = np.empty((len(words), *self.block_shape), self._summed.dtype)
        if known.any():
            blocks[known] = self.known[lexicon_rows[known]]  # read from the table
        others = np.flatnonzero(~known).tolist()
        if not others:
            return blocks
        slots, infos = self._words, [info for m in many for info in m.info]
        new = {}
        for at in others:
            if words[at] not in slots and words[at] not in new:
                new[words[at]] = infos[at]
        if len(slots) + len(new) > CACHED_WORDS:
            # Start again, with the blocks this batch reads.
            again = list(dict.fromkeys(words[at] for at in others if words[at] in slots))
            self._summed = self._summed[[slots[w] for w in again]]
            slots.clear()
            slots.update(zip(again, range(len(again)), strict=True))
        if new:
            first, filled = len(slots), len(slots) + len(new)
            if filled > len(self._summed):  # room for twice as many, up to the bound
                grown = np.empty(
                    (max(filled, min(2 * len(self._summed), CACHED_WORDS)), *self.block_shape),
                    self._summed.dtype,
                )
                grown[:first] = self._summed[:first]
                self._summed = grown
            self._summed[first:filled] = np.stack(self.summed(list(new.values())))
            slots.update(zip(new, range(first, filled), strict=True))
        blocks[others] = self._summed[[slots[words[at]] for at in others]]
        return blocks

    def summed(self, infos: list[tuple]) -> list[np.ndarray]:
        """The blocks of words from their ``word_features``, each feature group's rows added
        in the order its features come; SUMMED_WORDS words at a time, so that the rows
        gathered stay in the processor's cache."""
        get, blocks = self.index.get, []
        for first in range(0, len(infos), SUMMED_WORDS):
            chunk = infos[first : first + SUMMED_WORDS]
            groups = []
            for _, _, own, for_neighbours in chunk:
                groups.append(own)
                if self.neighbours:
                    groups += _BY_OFFSET(for_neighbours)
            rows = list(map(get, chain.from_iterable(groups), repeat(0)))
            starts = list(accumulate(map(len, groups), initial=0))[:-1]
            sums = np.add.reduceat(self.vectors[rows], starts, axis=0)
            blocks += list(sums.reshape(len(chunk), -1, self.vectors.shape[1]))
        return blocks

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
        blocks = self._blocks(many)
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
            get = self.index.get  # a call fewer for each of twice as many features as words
            total[follows] += v[[get(f"w-1|w={a}|{b}", 0) for a, b in pairs]]
            total[follows - 1] += v[[get(f"w|w+1={a}|{b}", 0) for a, b in pairs]]
        return np.split(total, np.cumsum(lengths)[:-1])
