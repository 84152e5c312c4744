"""Training and evaluation of the entity recognizer (the CRF and the BiLSTM-CRF it is
combined with) and of its word clusters."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from marsad.arabic import match_key
from marsad.enrich.entities.decoding import ENTITY_TYPES, spans_of, write_crf_tables
from marsad.enrich.entities.features import (
    CLUSTER_SIZES,
    WordClusters,
    own_feature_sums,
    sentence_features,
    sentence_marks,
    sentence_rows,
)
from marsad.enrich.entities.lstm import LSTM_PATH
from marsad.enrich.entities.news_encoder import ENCODER_FILE, NewsEncoder
from marsad.enrich.entities.tagger import EntityTagger
from marsad.enrich.gazetteer import gazetteer

if TYPE_CHECKING:
    from marsad.training.entity_lstm import LstmSettings

CLUSTER_WORDS = 100_000
# Word2vec settings of the vectors clustered (training.word_vectors): skip-gram over three
# words scored 0.769 micro-F1 in 5-fold cross-validation, the topics' CBOW over five 0.764.
CLUSTER_VECTORS = {"skip_gram": True, "window": 3}


Sentence = tuple[list[str], list[str]]  # words and their IOB2 tags
# The line that opens a document in CoNLL files (CoNLL-2003 and those made like them).
DOCUMENT_START = "-DOCSTART-"


def read_conll(path: Path) -> list[Sentence]:
    """Sentences of a CoNLL file (``token<TAB>tag``, blank line between sentences); the
    ``PERS`` spelling of some releases is read as ``PER``."""
    return [sentence for document in read_conll_documents(path) for sentence in document]


def read_conll_documents(path: Path) -> list[list[Sentence]]:
    """The documents of a CoNLL file, each a list of sentences: the sentences between two
    ``-DOCSTART-`` lines. A file without them (ANERcorp) does not say which sentences belong
    together, so each sentence is a document of its own."""
    documents: list[list[Sentence]] = [[]]
    marked = False
    words: list[str] = []
    tags: list[str] = []
    with Path(path).open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            line = line.rstrip("\n").strip("\u200e\u200f")
            if not line.strip() or line.startswith(DOCUMENT_START):
                if words:
                    documents[-1].append((words, tags))
                words, tags = [], []
                if line.startswith(DOCUMENT_START):
                    marked = True
                    if documents[-1]:
                        documents.append([])
                continue
            parts = line.split("\t") if "\t" in line else line.rsplit(" ", 1)
            if len(parts) < 2:
                raise ValueError(f"{path}:{number}: expected 'token<TAB>tag', got {line!r}")
            words.append(parts[0])
            tags.append(parts[-1].strip().replace("PERS", "PER"))
    if words:
        documents[-1].append((words, tags))
    if not marked:
        return [[sentence] for sentence in documents[0]]
    return [document for document in documents if document]


def train_word_clusters(texts: Iterable[str]) -> WordClusters:
    """Clusters of word vectors learnt from ``texts`` with the settings names need."""
    from marsad.training.word_vectors import train_word_vectors

    return word_clusters(train_word_vectors(texts, **CLUSTER_VECTORS))


def word_clusters(vectors) -> WordClusters:
    """k-means clusters of the most frequent words' unit vectors, at each granularity."""
    from sklearn.cluster import MiniBatchKMeans

    from marsad.training.word_vectors import unit_vectors

    vocabulary, unit = unit_vectors(vectors, CLUSTER_WORDS)
    levels = {
        k: MiniBatchKMeans(n_clusters=k, random_state=7, n_init=3, batch_size=4096)
        .fit_predict(unit)
        .astype(np.int16)
        for k in CLUSTER_SIZES
        if k <= len(vocabulary)  # a tiny vocabulary gets the granularities it can fill
    }
    return WordClusters([match_key(w) for w in vocabulary], levels)


def train(
    sentences: list[Sentence],
    model_path: Path,
    clusters: WordClusters,
    iterations: int = 150,
) -> None:
    """Train the CRF on sentences and write it to ``model_path``, with its weights as the
    tables the tagger reads (``write_crf_tables``)."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    gaz = gazetteer()
    for words, tags in sentences:
        trainer.append(sentence_features(words, gaz, clusters), tags)
    # L1 keeps the shipped model small, L2 keeps rare features from dominating.
    trainer.set_params(
        {"c1": 0.05, "c2": 0.1, "max_iterations": iterations, "feature.possible_transitions": True}
    )
    model_path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model_path))
    write_crf_tables(model_path)


def train_lstm(
    sentences: list[Sentence],
    model_path: Path,
    clusters: WordClusters,
    settings: LstmSettings | None = None,
    log=None,
    encoder: Path | None = None,
) -> None:
    """Train the BiLSTM-CRF on the same features as the CRF and write it to ``model_path``
    (beside the CRF's file, where ``EntityTagger`` looks for it). With ``encoder`` (a news
    encoder's file, which must then lie beside it too) the LSTM reads the encoder's states,
    the encoder's LSTM weights tuned with it (they are saved in the LSTM's file)."""
    from marsad.training.entity_lstm import LstmSettings, train

    gaz = gazetteer()
    featured = [(sentence_rows(words, gaz, clusters)[0], tags) for words, tags in sentences]
    inputs = None
    if encoder is not None:
        news = NewsEncoder.load(encoder)
        sums = own_feature_sums((news.index, news.weights.pop("embeddings")))
        marks = [sentence_marks(words, gaz, clusters) for words, _ in sentences]
        inputs = (sums.sentences(marks), news.weights)
    train(featured, model_path, settings or LstmSettings(), log, inputs)


def train_models(
    sentences: list[Sentence],
    crf_path: Path,
    clusters: WordClusters,
    log=None,
    encoder: Path | None = None,
    lstm_settings: LstmSettings | None = None,
) -> None:
    """Train the CRF and the BiLSTM-CRF the tagger combines, into ``crf_path``'s folder; with
    ``encoder`` the LSTM reads the news encoder's states, and a copy of the encoder goes
    beside it, where the tagger looks for it."""
    train(sentences, crf_path, clusters)
    if encoder is not None and encoder.resolve() != crf_path.with_name(ENCODER_FILE).resolve():
        shutil.copy(encoder, crf_path.with_name(ENCODER_FILE))
    lstm_path = crf_path.with_name(LSTM_PATH.name)
    train_lstm(sentences, lstm_path, clusters, lstm_settings, log=log, encoder=encoder)


@dataclass
class EntityScores:
    per_type: pl.DataFrame  # type, precision, recall, f1, gold, predicted
    micro_f1: float
    micro_precision: float
    micro_recall: float
    tokens: int
    seconds: float


def evaluate(
    gold: list[list[str]], predicted: list[list[str]], tokens: int = 0, seconds: float = 0.0
) -> EntityScores:
    """Exact-span precision, recall and F1 per type (CoNLL style) and micro over PER/ORG/LOC."""
    rows, totals = [], np.zeros(3)
    for kind in ENTITY_TYPES:
        tp = fp = fn = 0
        for g_tags, p_tags in zip(gold, predicted, strict=True):
            g = {s for s in spans_of(g_tags) if s[2] == kind}
            p = {s for s in spans_of(p_tags) if s[2] == kind}
            tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
        totals += (tp, fp, fn)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append((kind, precision, recall, f1, tp + fn, tp + fp))
    tp, fp, fn = (int(x) for x in totals)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    micro = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    per_type = pl.DataFrame(
        rows, schema=["type", "precision", "recall", "f1", "gold", "predicted"], orient="row"
    )
    return EntityScores(per_type, micro, precision, recall, tokens, seconds)


def evaluate_tagger(tagger: EntityTagger, sentences: list[Sentence]) -> EntityScores:
    """Scores of the tagger on sentences, each a text of its own (as ``marsad tag`` reads a
    sentence sent alone on its line)."""
    return evaluate_documents(tagger, [[sentence] for sentence in sentences])


def evaluate_documents(tagger: EntityTagger, documents: list[list[Sentence]]) -> EntityScores:
    """Scores of the tagger on documents, each tagged as one text: a name is read alike
    throughout its document (``consistent_tags``), as in an article."""
    sentences = [sentence for document in documents for sentence in document]
    started = time.perf_counter()
    tagged = tagger.tag_documents([[words for words, _ in document] for document in documents])
    seconds = time.perf_counter() - started
    predicted = [tags for document in tagged for tags in document]
    tokens = sum(len(words) for words, _ in sentences)
    return evaluate([tags for _, tags in sentences], predicted, tokens, seconds)


@dataclass
class CountryScores:
    gold: int
    predicted: int
    precision: float  # predicted mentions that overlap a gold one of the same country
    recall: float  # gold mentions overlapped by a predicted one of the same country


def evaluate_country_mentions(
    tagger: EntityTagger, texts: list[str], gold: list[list[tuple[int, int, str]]]
) -> CountryScores:
    """Country mentions found in ``texts`` against hand-marked (start, end, country_code)
    spans. A span counts when it overlaps one of the same country: a marked بإقليم حضرموت
    is found as حضرموت."""

    def overlap(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
        return a[0] < b[1] and b[0] < a[1] and a[2] == b[2]

    right = found = predicted_total = 0
    for text, marked in zip(texts, gold, strict=True):
        predicted = [(c.start, c.end, c.country_code) for c in tagger.analyse(text)[1]]
        right += sum(any(overlap(p, g) for g in marked) for p in predicted)
        found += sum(any(overlap(p, g) for p in predicted) for g in marked)
        predicted_total += len(predicted)
    total = sum(len(m) for m in gold)
    return CountryScores(
        total,
        predicted_total,
        right / predicted_total if predicted_total else 0.0,
        found / total if total else 0.0,
    )
