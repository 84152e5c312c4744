"""Seed lexicons: topics the labelled sources lack (disasters, weather, labour…) found by
seed phrases in title and lead, and when a seed topic overrides the model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import polars as pl

from marsad.enrich.topics.features import Document, stems
from marsad.shipped import DATA

# Seed words per topic, written naturally (marsad/data/topic_seeds.csv); matched on light
# stems of title and lead. Not الرياح or سحب alone for weather: their stems are also a
# surname (الرياحي) and "withdrawal".
SEEDS_PATH = DATA / "topic_seeds.csv"

# A seed topic needs this many seed hits (title hits count twice) and this margin over
# the next topic, and takes the lead only from a model less sure than SEED_OVERRIDE.
SEED_MIN_HITS = 3
SEED_MARGIN = 2
SEED_OVERRIDE = 0.5
# Topics the labelled sources lack, found by seed lexicons alone. Crime is not among them:
# the sources file crime under society (ANT) and conflict (ASND).
SEED_TOPICS = ("03000000", "08000000", "09000000", "10000000", "17000000")
# A seed topic also takes the lead from its labelled neighbour when the title itself names
# it: the ASND posts file weather under environment.
SEED_NEIGHBOURS = {"17000000": "06000000"}
SEED_TITLE_HITS = 2
# Seed topics that take the lead whatever the model says, when the title names them and the
# seeds weigh at least this much (title hits twice): (weight, title hits). The labelled
# sources give conflict only short ASND posts, so on whole articles the model files war and
# attacks under politics or society and no article would ever be about conflict.
SEED_LEADS = {"16000000": (4, 1)}
LEAD_FOR_SEEDS = 80


@dataclass
class SeedLexicons:
    """Seed phrases as tuples of light stems, matched against a document's stems."""

    phrases: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def build(cls, lexicons: dict[str, Iterable[str]]) -> SeedLexicons:
        return cls({code: [tuple(stems(p)) for p in seeds] for code, seeds in lexicons.items()})

    @classmethod
    def read(cls, path: Path = SEEDS_PATH) -> SeedLexicons:
        seeds = pl.read_csv(path, schema={"topic": pl.String, "seed": pl.String})
        return cls.build(dict(seeds.group_by("topic").agg("seed").iter_rows()))

    def __post_init__(self) -> None:
        # Phrase → topics, so a document is scanned once, not once per phrase.
        self.index: dict[tuple[str, ...], list[str]] = {}
        for code, phrases in self.phrases.items():
            for phrase in set(phrases):
                self.index.setdefault(phrase, []).append(code)
        # Most stems begin no seed phrase: only those that do are looked at further.
        self.first_stems = {phrase[0] for phrase in self.index if phrase}

    def hits(self, stems: list[str]) -> Counter:
        """Number of distinct seed phrases (one or two stems) of each topic in ``stems``."""
        grams = set()
        for i, stem in enumerate(stems):
            if stem in self.first_stems:
                grams.update(((stem,), tuple(stems[i : i + 2])))
        return Counter(code for gram in grams for code in self.index.get(gram, ()))

    def label(self, document: Document) -> tuple[str | None, int, int]:
        """The topic this document's seeds clearly point to (or None), how many of its seeds
        the title holds, and their weight (title hits twice, then the lead's)."""
        title_hits = self.hits(document.title_stems)
        scores = title_hits + title_hits + self.hits(document.lead_head_stems(LEAD_FOR_SEEDS))
        ranked = scores.most_common(2)
        if not ranked or ranked[0][1] < SEED_MIN_HITS:
            return None, 0, 0
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        if ranked[0][1] < runner_up + SEED_MARGIN:
            return None, 0, 0
        return ranked[0][0], title_hits[ranked[0][0]], ranked[0][1]


def with_seed(
    scores: dict[str, float], seed: str | None, title_hits: int, weight: int = 0
) -> tuple[str | None, dict[str, float]]:
    """The primary topic and scores once a seed topic (if any) has had its say."""
    confidence = max(scores.values())
    best = max(scores, key=scores.__getitem__)
    lead = SEED_LEADS.get(seed or "")
    if seed is None:
        pass
    elif lead and weight >= lead[0] and title_hits >= lead[1]:
        scores = dict(scores)
        scores[seed], scores[best] = scores[best], scores[seed]
    elif confidence < SEED_OVERRIDE:
        # The seed topic takes the share of probability the model is unsure about.
        scores = {code: p * confidence for code, p in scores.items()}
        scores[seed] += 1.0 - confidence
    elif SEED_NEIGHBOURS.get(seed) == best and title_hits >= SEED_TITLE_HITS:
        scores[seed], scores[best] = scores[best], scores[seed]
    return max(scores, key=scores.__getitem__), scores


@cache
def seed_lexicons() -> SeedLexicons:
    return SeedLexicons.read()
