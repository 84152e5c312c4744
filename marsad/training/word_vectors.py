"""Word vectors learnt from unlabelled Arabic news, shared by the topic and entity models.

Labelled data is small (a few thousand posts, 125k NER tokens); vectors trained on ten
million words of news let both models generalize to words their labels never showed.
Trained with gensim's word2vec on ``marsad.arabic.words`` (normalized words): CBOW over a
five-word window for topics, skip-gram over a three-word window for the entity recognizer's
word clusters (skip-gram learns better vectors for rare words, and most names are rare; a
narrow window groups words by the part they play next to their neighbours).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import polars as pl

from marsad.arabic import words

DIMENSIONS = 100
MIN_COUNT = 3


def news_texts(data_dir: Path) -> Iterator[str]:
    """Every text of the unlabelled and labelled news under ``data_dir`` that exists."""
    parquet_columns = {
        "saudinewsnet/saudinewsnet.parquet": "content",
        "antcorpus/antcorpus_v1.1_train80.parquet": "text",
        "asnd/asnd_train80.parquet": "text",
    }
    for relative, column in parquet_columns.items():
        path = data_dir / relative
        if path.exists():
            yield from pl.read_parquet(path, columns=[column])[column].drop_nulls()
    ner = data_dir / "anercorp_train" / "anercorp_train.jsonl"
    if ner.exists():
        with ner.open(encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)["text"]


def train_word_vectors(
    texts: Iterable[str], seed: int = 7, skip_gram: bool = False, window: int = 5
):
    """Word2vec vectors (gensim ``KeyedVectors``) over the normalized words of ``texts``."""
    from gensim.models import Word2Vec

    sentences = [words(text) for text in texts]
    model = Word2Vec(
        sentences,
        vector_size=DIMENSIONS,
        window=window,
        sg=int(skip_gram),
        min_count=MIN_COUNT,
        workers=2,
        epochs=5,
        seed=seed,
    )
    return model.wv


def unit_vectors(vectors, limit: int) -> tuple[list[str], np.ndarray]:
    """The ``limit`` most frequent words and their vectors scaled to length 1."""
    vocabulary = list(vectors.index_to_key[:limit])
    matrix = np.asarray(vectors.vectors[: len(vocabulary)], dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return vocabulary, matrix / np.maximum(norms, 1e-9)
