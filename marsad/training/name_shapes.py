"""Learn ``marsad.enrich.entities.name_shapes``: the foreign-name list's parts against the
other words of the word clusters' vocabulary (Arab given names among them: كان and بين are
someone's given name, and Arab names have their own list and features)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

from marsad.arabic import strip_proclitics
from marsad.enrich.entities.features import WordClusters, word_shape
from marsad.enrich.entities.name_shapes import (
    HASH_BITS,
    PARTS,
    NameShapes,
    gram_count,
    letter_grams,
    part_of,
)
from marsad.enrich.name_lists import foreign_names

# Inverse regularization: 1, 3 and 10 gave held-out AUC 0.973 / 0.974 / 0.974 with the grams
# hashed by crc32; 0.971 at 3 with the multiplicative hash shipped.
REGULARIZATION = 3.0


@dataclass
class NameShapesReport:
    foreign_names: int
    other_words: int
    held_out_auc: float  # each word scored by the model that never saw it


def training_words(clusters: WordClusters) -> tuple[list[str], np.ndarray]:
    """The foreign name parts (1) and the vocabulary's other words (0)."""
    foreign = foreign_names()
    others = [
        w
        for w in clusters.index
        if w and word_shape(w) == "word" and w not in foreign and strip_proclitics(w) not in foreign
    ]
    positives = sorted(foreign)
    return positives + others, np.r_[np.ones(len(positives)), np.zeros(len(others))]


def gram_matrix(words: list[str]) -> csr_matrix:
    """Each word's hashed letter n-grams, 1 / √(its grams) each (as ``score`` reads them)."""
    rows, columns, values = [], [], []
    for row, word in enumerate(words):
        grams = letter_grams(word)
        rows += [row] * len(grams)
        columns += grams
        values += [1 / np.sqrt(gram_count(word))] * len(grams)
    return csr_matrix((values, (rows, columns)), shape=(len(words), 1 << HASH_BITS))


def train(clusters: WordClusters) -> tuple[NameShapes, NameShapesReport]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    words, labels = training_words(clusters)
    grams = gram_matrix(words)
    parts = np.array([part_of(w) for w in words])
    weights = np.zeros((PARTS, 1 << HASH_BITS))
    bias = np.zeros(PARTS)
    held_out = np.zeros(len(words))
    for part in range(PARTS):
        learnt = parts != part
        # Balanced: one name part to about nine other words.
        model = LogisticRegression(C=REGULARIZATION, max_iter=3000, class_weight="balanced")
        model.fit(grams[learnt], labels[learnt])
        weights[part], bias[part] = model.coef_[0], model.intercept_[0]
        held_out[~learnt] = model.decision_function(grams[~learnt])
    report = NameShapesReport(
        int(labels.sum()), int(len(labels) - labels.sum()), float(roc_auc_score(labels, held_out))
    )
    # As shipped (16-bit steps), and each vocabulary word's band worked out by that code.
    shapes = NameShapes.learnt(weights, bias)
    shapes.known = np.array([shapes.band_of(w) for w in clusters.index], np.uint8)
    return shapes, report
