"""IPTC Media Topics for articles and ticker headlines: the taxonomy and the shipped classifier.

The classifier is a linear model over TF-IDF features of Arabic-normalized words, light
stems and stem bigrams (title and the first ``LEAD_WORDS`` words of the body), plus, for
short texts, the most topical character n-grams of their words and their word vectors. Training is
in ``marsad.training.topics``; this module only loads the shipped weights (a NumPy archive)
and scores text, so ``marsad classify`` starts without scikit-learn.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import numpy as np
import polars as pl

from marsad.arabic import light_stem, words
from marsad.limits import WORD_CACHE
from marsad.shipped import DATA, MODELS

MODEL_PATH = MODELS / "topics.npz"

# Words of the body that count: the lead carries the topic, and a cap keeps speed even.
LEAD_WORDS = 150
# Texts this short (headlines, posts) also get the word-vector part of the model: their
# few words rarely carry the topic's usual vocabulary.
SHORT_WORDS = 60
# Character n-grams of the words of short texts (padded with < and >): they join spellings,
# derivations and clitic forms that the light stems keep apart, where a text has too few
# words to repeat its topic. Training keeps the most topical ones
# (``marsad.training.topics.CHAR_FEATURES``).
CHAR_GRAM_SIZES = (3, 4, 5)


@dataclass(frozen=True)
class Topic:
    code: str
    en: str
    ar: str


# IPTC Media Topics, top level (https://cv.iptc.org/newscodes/mediatopic/), in code order.
TOPICS: tuple[Topic, ...] = (
    Topic("01000000", "arts, culture, entertainment and media", "فنون وثقافة وترفيه وإعلام"),
    Topic("02000000", "crime, law and justice", "جريمة وقانون وعدالة"),
    Topic("03000000", "disaster, accident and emergency incident", "كوارث وحوادث وطوارئ"),
    Topic("04000000", "economy, business and finance", "اقتصاد وأعمال ومال"),
    Topic("05000000", "education", "تعليم"),
    Topic("06000000", "environment", "بيئة"),
    Topic("07000000", "health", "صحة"),
    Topic("08000000", "human interest", "قصص إنسانية"),
    Topic("09000000", "labour", "عمل وعمال"),
    Topic("10000000", "lifestyle and leisure", "أسلوب حياة وترفيه"),
    Topic("11000000", "politics", "سياسة"),
    Topic("12000000", "religion", "دين"),
    Topic("13000000", "science and technology", "علوم وتكنولوجيا"),
    Topic("14000000", "society", "مجتمع"),
    Topic("15000000", "sport", "رياضة"),
    Topic("16000000", "conflict, war and peace", "نزاعات وحروب وسلام"),
    Topic("17000000", "weather", "طقس"),
)
TOPIC_CODES = tuple(topic.code for topic in TOPICS)
TOPIC_BY_CODE = {topic.code: topic for topic in TOPICS}

# Source label → IPTC code. None: the label says where or how, not what (not a topic),
# and is never learned as a topic.
SOURCE_LABELS: dict[str, dict[str, str | None]] = {
    "antcorpus": {
        "culture": "01000000",
        "economy": "04000000",
        "politic": "11000000",
        "technology": "13000000",
        "society": "14000000",
        "sport": "15000000",
        "localNews": None,
        "internationalNews": None,
        "diverse": None,
    },
    "asnd": {
        "art-and-entertainment": "01000000",
        "business-and-economy": "04000000",
        "education": "05000000",
        "environment": "06000000",
        "health": "07000000",
        # IPTC files human rights and press freedom under politics (fundamental rights).
        "human-rights-press-freedom": "11000000",
        "politics": "11000000",
        "spiritual": "12000000",
        "science-and-technology": "13000000",
        "sports": "15000000",
        "crime-war-conflict": "16000000",
        "others": None,
    },
}


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


def _stems(text: str) -> list[str]:
    return [light_stem(w) for w in words(text)]


@dataclass
class SeedLexicons:
    """Seed phrases as tuples of light stems, matched against a document's stems."""

    phrases: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def build(cls, lexicons: dict[str, Iterable[str]]) -> SeedLexicons:
        return cls({code: [tuple(_stems(p)) for p in seeds] for code, seeds in lexicons.items()})

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


def topic_label(code: str | None, language: str = "en") -> str:
    """Display label of a topic code ('unclassified' for None)."""
    if code is None or code not in TOPIC_BY_CODE:
        return "غير مصنف" if language == "ar" else "unclassified"
    topic = TOPIC_BY_CODE[code]
    return topic.ar if language == "ar" else topic.en


def topics_frame() -> pl.DataFrame:
    """The ``topics`` warehouse table: codes, labels and the source labels mapped to each."""
    mapped: dict[str, list[str]] = {code: [] for code in TOPIC_CODES}
    for source, labels in SOURCE_LABELS.items():
        for label, code in labels.items():
            if code is not None:
                mapped[code].append(f"{source}:{label}")
    return pl.DataFrame(
        {
            "topic": list(TOPIC_CODES),
            "qcode": [f"medtop:{code}" for code in TOPIC_CODES],
            "label_en": [topic.en for topic in TOPICS],
            "label_ar": [topic.ar for topic in TOPICS],
            "source_labels": [", ".join(mapped[code]) for code in TOPIC_CODES],
        }
    )


@dataclass(frozen=True)
class Document:
    """Words of a title and of the lead of a body; their light stems when asked for (the
    classifier finds most features by word, so it stems only what the seeds read)."""

    title_words: list[str]
    lead_words: list[str]

    @classmethod
    def of(cls, title: str | None, text: str | None) -> Document:
        # Normalizing only the head of a long body keeps the cost per article flat.
        return cls(words(title or ""), words((text or "")[: LEAD_WORDS * 8])[:LEAD_WORDS])

    @cached_property
    def title_stems(self) -> list[str]:
        return [light_stem(w) for w in self.title_words]

    @cached_property
    def lead_stems(self) -> list[str]:
        return [light_stem(w) for w in self.lead_words]

    def lead_head_stems(self, count: int) -> list[str]:
        """Stems of the first ``count`` words of the lead."""
        return [light_stem(w) for w in self.lead_words[:count]]

    def features(self) -> list[str]:
        """Feature strings: words, light stems, stem bigrams, the four-letter heads of
        long stems (a cheap root-like form that joins derived words) and character
        n-grams."""
        stems = self.title_stems + self.lead_stems
        return [
            *self.title_words,
            *self.lead_words,
            *(f"s:{stem}" for stem in stems),
            *(f"{a}_{b}" for a, b in itertools.pairwise(stems)),
            *(f"p:{stem[:4]}" for stem in stems if len(stem) > 4),
            *(gram for word in self.short_text_words() for gram in char_grams(word)),
        ]

    def short_text_words(self) -> list[str]:
        """All words of a short text (headline, post); none of a long one. Character
        n-grams are read from these only: long texts have words enough."""
        tokens = self.title_words + self.lead_words
        return tokens if len(tokens) <= SHORT_WORDS else []


def char_grams(word: str) -> list[str]:
    """Feature strings of the character n-grams of ``word`` (``CHAR_GRAM_SIZES``)."""
    padded = f"<{word}>"
    return [f"c:{padded[i : i + n]}" for n in CHAR_GRAM_SIZES for i in range(len(padded) - n + 1)]


def topic_features(title: str | None, text: str | None) -> list[str]:
    """Feature strings of one document (see ``Document.features``)."""
    return Document.of(title, text).features()


class TopicModel:
    """A trained topic classifier: vocabulary, IDF weights and one weight row per topic."""

    def __init__(
        self,
        vocabulary,
        idf,
        coef,
        intercept,
        classes,
        info=None,
        word_vocabulary=(),
        word_logits=None,
    ):
        self.vocabulary: dict[str, int] = {term: i for i, term in enumerate(vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float32)
        self.coef = np.asarray(coef, dtype=np.float32)  # (features, classes)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.classes = [str(c) for c in classes]
        self.info = info or {}
        # Word-vector part for short texts, folded into one row of logits per word: the mean
        # of unit word vectors times the weights equals the mean of these rows.
        self.word_vocabulary: dict[str, int] = {w: i for i, w in enumerate(word_vocabulary)}
        self.word_logits = (
            np.zeros((0, len(self.classes)), np.float32)
            if word_logits is None
            else np.asarray(word_logits, dtype=np.float32)
        )
        # Lookup tables that find a document's features without building their strings:
        # stems of the stem bigrams get numbers, a bigram is keyed by its pair of numbers,
        # and each word's entry is kept as words come (see ``_word_entry``).
        pairs = [(t.split("_", 1), i) for t, i in self.vocabulary.items() if "_" in t]
        self.stem_numbers: dict[str, int] = {}
        for (a, b), _ in pairs:
            self.stem_numbers.setdefault(a, len(self.stem_numbers))
            self.stem_numbers.setdefault(b, len(self.stem_numbers))
        width = len(self.stem_numbers)
        self.bigrams: dict[int, int] = {
            self.stem_numbers[a] * width + self.stem_numbers[b]: i for (a, b), i in pairs
        }
        self.word_entries: dict[str, tuple[tuple[int, ...], int]] = {}
        self.char_entries: dict[str, tuple[int, ...]] = {}  # of words of short texts
        self.batch_words: pl.DataFrame | None = None  # the same entries for batches
        self.batch_chars: pl.DataFrame | None = None

    @cached_property
    def bigram_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Bigram codes (sorted) and their feature indices, for lookups of whole batches."""
        codes = np.fromiter(self.bigrams.keys(), np.int64, len(self.bigrams))
        features = np.fromiter(self.bigrams.values(), np.int64, len(self.bigrams))
        order = np.argsort(codes)
        return codes[order], features[order]

    @cached_property
    def char_terms(self) -> pl.DataFrame:
        """Character n-grams of the vocabulary (``gram``, without the ``c:`` mark) and their
        feature indices, for lookups of whole batches."""
        grams = [(t[2:], i) for t, i in self.vocabulary.items() if t.startswith("c:")]
        return pl.DataFrame(grams, schema={"gram": pl.String, "feature": pl.Int64}, orient="row")

    @classmethod
    def load(cls, path: Path | str = MODEL_PATH) -> TopicModel:
        with np.load(path, allow_pickle=False) as archive:
            return cls(
                archive["vocabulary"].tolist(),
                archive["idf"],
                archive["coef"],
                archive["intercept"],
                archive["classes"].tolist(),
                {k[5:]: archive[k].item() for k in archive.files if k.startswith("info_")},
                archive["word_vocabulary"].tolist(),
                archive["word_logits"],
            )

    def save(self, path: Path | str) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        np.savez_compressed(
            path,
            vocabulary=np.array(terms),
            idf=self.idf.astype(np.float16),
            coef=self.coef.astype(np.float16),
            intercept=self.intercept,
            classes=np.array(self.classes),
            word_vocabulary=np.array(
                sorted(self.word_vocabulary, key=self.word_vocabulary.__getitem__), dtype=str
            ),
            word_logits=self.word_logits.astype(np.float16),
            **{f"info_{k}": np.array(v) for k, v in self.info.items()},
        )

    def _word_entry(self, word: str) -> tuple[tuple[int, ...], int]:
        """Indices of the features a word gives itself (the word, its stem's ``s:`` and
        ``p:``) and its stem's number among the bigram stems (-1 if none)."""
        stem = light_stem(word)
        terms = (word, f"s:{stem}", f"p:{stem[:4]}") if len(stem) > 4 else (word, f"s:{stem}")
        entry = (
            tuple(i for t in terms if (i := self.vocabulary.get(t)) is not None),
            self.stem_numbers.get(stem, -1),
        )
        if len(self.word_entries) < WORD_CACHE:  # bounded: news vocabulary repeats
            self.word_entries[word] = entry
        return entry

    def feature_indices(self, document: Document) -> list[int]:
        """Vocabulary indices of ``document.features()`` (repeats kept), found with one
        lookup per word and per word pair instead of a string per feature: the hot path."""
        entries, known, numbers = self.word_entries, [], []
        for word in document.title_words + document.lead_words:
            own, number = entries.get(word) or self._word_entry(word)
            known += own
            numbers.append(number)
        bigrams, width = self.bigrams, len(self.stem_numbers)
        known += [
            i
            for a, b in itertools.pairwise(numbers)
            if a >= 0 and b >= 0 and (i := bigrams.get(a * width + b)) is not None
        ]
        for word in document.short_text_words():
            grams = self.char_entries.get(word)
            known += self._char_entry(word) if grams is None else grams
        return known

    def _char_entry(self, word: str) -> tuple[int, ...]:
        """Indices of a word's character n-grams that the model kept."""
        vocabulary = self.vocabulary
        entry = tuple(i for gram in char_grams(word) if (i := vocabulary.get(gram)) is not None)
        if len(self.char_entries) < WORD_CACHE:
            self.char_entries[word] = entry
        return entry

    def _vector(self, known: list[int]) -> tuple[np.ndarray, np.ndarray]:
        if not known:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        index, counts = np.unique(np.array(known, dtype=np.int64), return_counts=True)
        # Same weighting as training: sublinear term frequency × IDF, L2-normalized.
        values = (1.0 + np.log(counts, dtype=np.float32)) * self.idf[index]
        return index, values / np.linalg.norm(values)

    def word_rows(self, document: Document) -> np.ndarray:
        """Rows of ``word_logits`` for a short document's known words (none for long ones)."""
        tokens = document.title_words + document.lead_words
        if len(tokens) > SHORT_WORDS:
            return np.empty(0, dtype=np.int64)
        known = [i for w in tokens if (i := self.word_vocabulary.get(w)) is not None]
        return np.array(known, dtype=np.int64)

    def _scores(self, index: np.ndarray, values: np.ndarray, rows: np.ndarray) -> dict[str, float]:
        logits = values @ self.coef[index] + self.intercept
        if rows.size:
            logits = logits + self.word_logits[rows].mean(axis=0)
        exp = np.exp(logits - logits.max())
        scores = dict.fromkeys(TOPIC_CODES, 0.0)
        scores.update(zip(self.classes, (exp / exp.sum()).tolist(), strict=True))
        return scores

    def classify(self, title: str | None, text: str | None) -> tuple[str | None, dict[str, float]]:
        """Primary topic and the probability of every IPTC topic; no topic and no scores
        when the text has neither a word the model knows nor a seed."""
        document = Document.of(title, text)
        index, values = self._vector(self.feature_indices(document))
        rows = self.word_rows(document)
        seed, title_hits, weight = seed_lexicons().label(document)
        if seed not in SEED_TOPICS and seed not in SEED_LEADS:
            seed = None
        if not index.size and not rows.size and seed is None:
            return None, {}
        if index.size or rows.size:
            scores = self._scores(index, values, rows)
        else:
            scores = dict.fromkeys(TOPIC_CODES, 0.0)
        return _with_seed(scores, seed, title_hits, weight)

    def classify_many(
        self, titles: list[str | None], texts: list[str | None]
    ) -> list[tuple[str | None, dict[str, float]]]:
        """``classify`` of each (title, text), the same answers, for a batch: Polars finds
        the words, features and seed phrases of all documents at once, and NumPy scores
        them, instead of a Python loop over every word (the pipeline's path)."""
        from marsad.enrich.topic_batch import BATCH_DOCUMENTS, classify_batch

        return [
            answer
            for start in range(0, len(titles), BATCH_DOCUMENTS)
            for answer in classify_batch(
                self,
                titles[start : start + BATCH_DOCUMENTS],
                texts[start : start + BATCH_DOCUMENTS],
            )
        ]


def _with_seed(
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


@cache
def shipped_model() -> TopicModel:
    """The classifier shipped in the repository."""
    return TopicModel.load(MODEL_PATH)
