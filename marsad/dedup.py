"""Near-duplicate articles: the same story syndicated or re-crawled with small edits.

Articles are compared on word shingles of their Arabic match key (so spelling variants of the
same words do not count as edits). MinHash LSH proposes candidate pairs; each candidate is
verified with the exact Jaccard similarity of the shingle sets, and verified pairs are joined
into groups (union-find). A group is a *story*.

``band_buckets`` gives an article's LSH buckets for the warehouse, where candidates are found
by a join: its shingles are hashed from stable word hashes with NumPy (one array operation
per article instead of a SHA-1 per shingle), with datasketch's permutations and banding.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from marsad.limits import WORD_CACHE

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
_PERMUTATION_A, _PERMUTATION_B = MinHash(num_perm=NUM_PERM, seed=1).permutations
_MERSENNE_PRIME = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_MIX = np.uint64(0x9E3779B97F4A7C15)


@lru_cache(maxsize=WORD_CACHE)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "big")


def word_hashes(words: list[str]) -> np.ndarray:
    """Stable 64-bit hashes of words (BLAKE2b; Polars' and Python's own are not stable)."""
    return np.fromiter(map(_word_hash, words), np.uint64, len(words))


def shingle_hashes(hashes: np.ndarray, size: int = SHINGLE_WORDS) -> np.ndarray:
    """32-bit hashes of the word shingles (as ``shingles``) of a text's word hashes,
    deduplicated."""
    if not hashes.size:
        return hashes
    width = min(size, hashes.size)
    count = hashes.size - width + 1
    mixed = hashes[:count].copy()
    with np.errstate(over="ignore"):
        for offset in range(1, width):
            mixed = mixed * _MIX + hashes[offset : count + offset]
    return np.unique(mixed >> np.uint64(32))


def band_buckets(key: str) -> list[int]:
    """One 64-bit bucket per LSH band of the MinHash signature of a match key's shingles;
    none for a text without words."""
    return buckets_of_words(word_hashes(key.split()))


def buckets_of_words(hashes: np.ndarray) -> list[int]:
    """``band_buckets`` of a text given as its words' hashes."""
    shingled = shingle_hashes(hashes)
    if not shingled.size:
        return []
    with np.errstate(over="ignore"):
        permuted = (np.outer(shingled, _PERMUTATION_A) + _PERMUTATION_B) % _MERSENNE_PRIME
    signature = (permuted & _MAX_HASH).min(axis=0)
    rows = signature[: BANDS * ROWS_PER_BAND].reshape(BANDS, ROWS_PER_BAND)
    buckets = np.zeros(BANDS, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in range(ROWS_PER_BAND):
            buckets = buckets * _MIX ^ rows[:, column]
    return buckets.tolist()


def jaccard_of_hashes(a: np.ndarray, b: np.ndarray) -> float:
    """``jaccard`` of two shingle sets given as their sorted, distinct shingle hashes."""
    if not a.size and not b.size:
        return 0.0
    common = np.intersect1d(a, b, assume_unique=True).size
    return common / (a.size + b.size - common)


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


class _UnionFind:
    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:  # the earlier item stays the root, so groups are named by their first item
            self.parent[max(ra, rb)] = min(ra, rb)


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


def group(size: int, pairs: Sequence[tuple[int, int, float]]) -> list[int]:
    """For each item, the index of the first item of its group."""
    groups = _UnionFind(size)
    for i, j, _ in pairs:
        groups.union(i, j)
    return [groups.find(i) for i in range(size)]
