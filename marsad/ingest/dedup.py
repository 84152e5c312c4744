"""Near-duplicate articles: the same story syndicated or re-crawled with small edits.

Articles are compared on word shingles of their Arabic match key (so spelling variants of the
same words do not count as edits). MinHash LSH proposes candidate pairs; each candidate is
verified with the exact Jaccard similarity of the shingle sets; warehouse assembly joins
verified pairs into articles and stories.

``band_buckets`` gives an article's LSH buckets for the warehouse, where candidates are found
by a join: the signature is datasketch's, its bands hashed to one number each.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from datasketch import MinHash, MinHashLSH

SHINGLE_WORDS = 4
NUM_PERM = 64
# Same story, small edits: a few changed words in a few hundred keep Jaccard well above this.
STORY_SIMILARITY = 0.5
# The same article with cosmetic changes (re-crawl, aggregator copy) is far above this.
SAME_ARTICLE_SIMILARITY = 0.8


def shingles(key: str, size: int = SHINGLE_WORDS) -> set[str]:
    words = key.split()
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


# Banding of the warehouse's candidate search: as datasketch tunes it for the loose threshold.
_LSH = MinHashLSH(threshold=STORY_SIMILARITY * 0.8, num_perm=NUM_PERM)
BANDS, ROWS_PER_BAND = _LSH.b, _LSH.r
# Built once: a MinHash's permutations cost more to draw than to apply.
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=1)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def word_shingles(words: list[str], size: int = SHINGLE_WORDS) -> set[str]:
    """``shingles`` of a match key already split into words."""
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def band_buckets(key: str) -> list[int]:
    """One 64-bit bucket per LSH band of the MinHash signature of a match key's shingles;
    none for a text without words."""
    return buckets_of_shingles(word_shingles(key.split()))


def buckets_of_shingles(grams: set[str]) -> list[int]:
    """``band_buckets`` of a text given as its shingles. The signature is datasketch's own
    (its hashing, permutations and scheme), so two texts share a bucket exactly where
    datasketch's LSH puts them in the same band."""
    if not grams:
        return []
    signature = MinHash(
        num_perm=NUM_PERM, seed=1, permutations=_TEMPLATE.permutations, scheme=_TEMPLATE.scheme
    )
    signature.update_batch([gram.encode("utf-8") for gram in grams])
    values = np.asarray(signature.hashvalues, dtype=np.uint64)
    rows = values[: BANDS * ROWS_PER_BAND].reshape(BANDS, ROWS_PER_BAND)
    buckets = np.zeros(BANDS, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in range(ROWS_PER_BAND):
            buckets = buckets * _MIX ^ rows[:, column]
    return buckets.tolist()


def jaccard_of_hashes(a: np.ndarray, b: np.ndarray) -> float:
    """``jaccard`` of two shingle sets given as their sorted, distinct shingle hashes
    (``article_keys.shingle_sets``)."""
    if not a.size or not b.size:
        return 0.0
    # Where each of a's hashes would go in b: a shared hash is found there.
    at = np.searchsorted(b, a).clip(max=b.size - 1)
    common = np.count_nonzero(b[at] == a)
    return common / (a.size + b.size - common)


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def similar_pairs(keys: Sequence[str], threshold: float) -> list[tuple[int, int, float]]:
    """Index pairs (i < j) whose shingle Jaccard similarity is at least ``threshold``."""
    shingle_sets = [shingles(k) for k in keys]
    lsh = MinHashLSH(threshold=threshold * 0.8, num_perm=NUM_PERM)  # loose: verified below
    pairs = []
    for i, shingle_set in enumerate(shingle_sets):
        if not shingle_set:
            continue
        signature = MinHash(num_perm=NUM_PERM, seed=1)
        signature.update_batch(np.array([s.encode("utf-8") for s in shingle_set], dtype=object))
        for j in lsh.query(signature):
            similarity = jaccard(shingle_set, shingle_sets[j])
            if similarity >= threshold:
                pairs.append((j, i, similarity))
        lsh.insert(i, signature)
    return pairs
