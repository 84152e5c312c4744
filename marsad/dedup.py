"""Near-duplicate articles: the same story syndicated or re-crawled with small edits.

Articles are compared on word shingles of their Arabic match key (so spelling variants of the
same words do not count as edits). MinHash LSH proposes candidate pairs; each candidate is
verified with the exact Jaccard similarity of the shingle sets, and verified pairs are joined
into groups (union-find). A group is a *story*.
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
