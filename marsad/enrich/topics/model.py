"""The shipped topic classifier: a linear model over TF-IDF features of Arabic-normalized
words, stems and bigrams, plus character n-grams and word vectors for short texts. It loads
NumPy weights only, so ``marsad classify`` starts without scikit-learn; training is in
``marsad.training.topics``.
"""

from __future__ import annotations

import itertools
from functools import cache, cached_property
from pathlib import Path

import numpy as np
import polars as pl

from marsad.arabic import light_stem
from marsad.enrich.topics.features import SHORT_WORDS, Document, char_grams
from marsad.enrich.topics.seeds import SEED_LEADS, SEED_TOPICS, seed_lexicons, with_seed
from marsad.enrich.topics.taxonomy import TOPIC_CODES
from marsad.limits import WORD_CACHE
from marsad.shipped import MODELS

MODEL_PATH = MODELS / "topics.npz"


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
        return with_seed(scores, seed, title_hits, weight)

    def classify_many(
        self, titles: list[str | None], texts: list[str | None]
    ) -> list[tuple[str | None, dict[str, float]]]:
        """``classify`` of each (title, text), the same answers, for a batch: Polars finds
        the words, features and seed phrases of all documents at once, and NumPy scores
        them, instead of a Python loop over every word (the pipeline's path)."""
        from marsad.enrich.topics.batch import BATCH_DOCUMENTS, classify_batch

        return [
            answer
            for start in range(0, len(titles), BATCH_DOCUMENTS)
            for answer in classify_batch(
                self,
                titles[start : start + BATCH_DOCUMENTS],
                texts[start : start + BATCH_DOCUMENTS],
            )
        ]


@cache
def shipped_model() -> TopicModel:
    """The classifier shipped in the repository."""
    return TopicModel.load(MODEL_PATH)
