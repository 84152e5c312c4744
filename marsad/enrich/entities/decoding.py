"""From label scores to entities: the CRF's weights as tables on disk, Viterbi over the
combined scores, and BIO tags read as spans.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from marsad.cache import cache_folder, prune_cache

ENTITY_TYPES = ("PER", "ORG", "LOC")
DECODE_WORDS = 2048  # padded words decoded together (``best_paths``)
# Tag rows whose entities are kept (``spans_of``), of sentences up to so many words: a long
# row (a whole corpus scored, a 100,000-word line) is worked out each time, not held.
SPANS_KEPT, SPANS_KEPT_WORDS = 4096, 512


def like_length_groups(lengths: Sequence[int], slots: int) -> Iterator[list[int]]:
    """Positions of items grouped by like length, shortest first: each group as many items
    as fit in ``slots`` once padded to its longest (at least one), so that little is padded
    where they are worked on together (the LSTM's batches, ``best_paths``)."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    first = 0
    while first < len(order):
        last = first + 1
        while last < len(order) and (last - first + 1) * lengths[order[last]] <= slots:
            last += 1
        yield order[first:last]
        first = last


def spans_of(tags: Sequence[str]) -> tuple[tuple[int, int, str], ...]:
    """(start, end exclusive, type) of the entities in IOB2 tags; a stray I- starts one."""
    row = tuple(tags)
    return _spans(row) if len(row) <= SPANS_KEPT_WORDS else _spans.__wrapped__(row)


# The linking rules ask it about ten times of each sentence's tags, which most rules leave as
# they were: 8,613 questions of 651 different tag rows on 25,039 ANERcorp tokens.
@lru_cache(maxsize=SPANS_KEPT)
def _spans(tags: tuple[str, ...]) -> tuple[tuple[int, int, str], ...]:
    spans, start, kind = [], None, None
    for i, tag in enumerate(tags):
        if tag == "O":  # most words: asked several times of every text's tags
            if start is not None:
                spans.append((start, i, kind))
                start = None
            continue
        prefix, _, label = tag.partition("-")
        if start is not None and (prefix != "I" or label != kind):
            spans.append((start, i, kind))
            start = None
        if prefix == "B" or (prefix == "I" and start is None and label):
            start, kind = i, label
    if start is not None:
        spans.append((start, len(tags), kind))
    return tuple(spans)


def best_tags(probabilities: np.ndarray, labels: list[str]) -> list[str]:
    """The likeliest IOB2 sequence under per-word label probabilities [words, labels] in
    which every I-X follows a B-X or an I-X."""
    return best_tags_many([probabilities], labels)[0]


def best_tags_many(probabilities: list[np.ndarray], labels: list[str]) -> list[list[str]]:
    """``best_tags`` of many sentences."""
    scores = [np.log(np.clip(p, 1e-12, 1.0)) for p in probabilities]
    none = np.zeros(len(labels))
    return best_paths(scores, labels, np.zeros((len(labels), len(labels))), none, none)


def best_paths(
    scores: list[np.ndarray],
    labels: list[str],
    transitions: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
) -> list[list[str]]:
    """The best-scoring valid IOB2 sequence of each sentence (Viterbi) under label scores
    [words, labels] and a linear chain's transition [from, to], start and end scores; an I-X
    only after a B-X or an I-X. Sentences of like length are decoded together, padded."""
    barred = np.array(
        [
            [0.0 if not b.startswith("I-") or a[2:] == b[2:] else -np.inf for b in labels]
            for a in labels
        ]
    )
    moves = transitions + barred
    opening = start + np.array([-np.inf if y.startswith("I-") else 0.0 for y in labels])
    stay = np.arange(len(labels))
    found: list[list[str]] = [[] for _ in scores]
    given = [i for i, p in enumerate(scores) if len(p)]
    # Up to DECODE_WORDS padded slots a group: one step per word of its longest sentence,
    # where decoding each length apart took one per word of every length.
    for group in like_length_groups([len(scores[i]) for i in given], DECODE_WORDS):
        members = [given[g] for g in group]
        lengths = np.array([len(scores[i]) for i in members])
        steps = int(lengths[-1])
        stacked = np.zeros((len(members), steps, len(labels)))
        for row, i in enumerate(members):
            stacked[row, : lengths[row]] = scores[i]
        best = stacked[:, 0] + opening
        back = np.empty((steps, len(members), len(labels)), np.int64)
        shortest = int(lengths.min())
        for t in range(1, steps):
            paths = best[:, :, None] + moves  # [sentences, from, to]
            came_from, reached = paths.argmax(axis=1), paths.max(axis=1) + stacked[:, t]
            if t >= shortest:  # before it every sentence of the group goes on: no mask
                # Past its last word a sentence keeps its scores and its label.
                running = (t < lengths)[:, None]
                came_from = np.where(running, came_from, stay)
                reached = np.where(running, reached, best)
            back[t], best = came_from, reached
        path = np.empty((len(members), steps), np.int64)
        path[:, -1] = (best + end).argmax(axis=1)
        rows = np.arange(len(members))
        for t in range(steps - 1, 0, -1):
            path[:, t - 1] = back[t, rows, path[:, t]]
        for row, i in enumerate(members):
            found[i] = [labels[k] for k in path[row, : lengths[row]]]
    return found


CrfTables = tuple[dict[str, int], np.ndarray, np.ndarray, list[str]]


def crf_tables_path(model_path: Path) -> Path:
    """Where training leaves the CRF's weights as tables, beside its file."""
    return model_path.with_name(f"{model_path.stem}_crf_tables.npz")


def crf_tables(model_path: Path) -> CrfTables:
    """The CRF's weights as tables: attribute → row, state weights [attributes, labels],
    transition weights [from, to], labels. Reading them from CRFsuite takes over a second,
    so training writes them beside the model (``write_crf_tables``); a model without them
    has them read once and kept in the user cache. Either file names the model's digest."""
    import hashlib

    digest = hashlib.sha256(model_path.read_bytes()).hexdigest()[:16]
    cached = cache_folder() / f"crf-{digest}.npz"
    for path in (crf_tables_path(model_path), cached):
        with contextlib.suppress(OSError, ValueError, KeyError, EOFError), np.load(path) as data:
            if bytes(data["digest"]).decode() != digest:
                continue
            attributes = bytes(data["attributes"]).decode("utf-8").split("\n")
            labels = bytes(data["labels"]).decode("utf-8").split("\n")
            index = {a: i for i, a in enumerate(attributes)}
            return index, data["weights"], data["transitions"], labels
    tables = _read_crf_model(model_path)
    with contextlib.suppress(OSError):  # a read-only home only costs the next start the read
        save_crf_tables(tables, digest, cached)
        prune_cache("crf-*.npz")
    return tables


def write_crf_tables(model_path: Path) -> Path:
    """Write the CRF's tables beside its file (``crf_tables_path``), for the tagger."""
    import hashlib

    digest = hashlib.sha256(model_path.read_bytes()).hexdigest()[:16]
    path = crf_tables_path(model_path)
    save_crf_tables(_read_crf_model(model_path), digest, path)
    return path


def _read_crf_model(model_path: Path) -> CrfTables:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    info = tagger.info()
    labels = list(tagger.labels())
    attributes = sorted({a for a, _ in info.state_features})
    index = {a: i for i, a in enumerate(attributes)}
    weights = np.zeros((len(attributes), len(labels)), np.float32)
    for (attribute, label), weight in info.state_features.items():
        weights[index[attribute], labels.index(label)] = weight
    transitions = np.zeros((len(labels), len(labels)), np.float32)
    for (before, after), weight in info.transitions.items():
        transitions[labels.index(before), labels.index(after)] = weight
    return index, weights, transitions, labels


def save_crf_tables(tables: CrfTables, digest: str, path: Path) -> None:
    index, weights, transitions, labels = tables
    attributes = sorted(index, key=index.__getitem__)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with partial.open("wb") as out:  # not compressed: inflating took 0.007 s of each start
        np.savez(
            out,
            digest=np.frombuffer(digest.encode(), np.uint8),
            attributes=np.frombuffer("\n".join(attributes).encode("utf-8"), np.uint8),
            labels=np.frombuffer("\n".join(labels).encode("utf-8"), np.uint8),
            weights=weights,
            transitions=transitions,
        )
    partial.replace(path)
