"""Training and evaluation of the topic classifier (scikit-learn is needed here only).

Labelled data: ANT Corpus articles and ASND posts, their labels mapped to IPTC codes by
``marsad.enrich.topics.SOURCE_LABELS`` (labels that are not topics are left out). Topics the data
lacks come from seed lexicons at classification time (``marsad.enrich.topics.SeedLexicons``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from marsad.enrich.topics.features import Document
from marsad.enrich.topics.model import TopicModel
from marsad.enrich.topics.taxonomy import SOURCE_LABELS, TOPIC_CODES
from marsad.training.word_vectors import unit_vectors


def labelled_documents(antcorpus: Path | None, asnd: Path | None) -> pl.DataFrame:
    """All documents of the two sources with ``source``, ``label`` and mapped ``topic``
    (null for non-topical labels)."""
    frames = []
    if antcorpus is not None:
        ant = pl.read_parquet(antcorpus)
        frames.append(
            ant.select(
                pl.lit("antcorpus").alias("source"),
                pl.col("doc_id").alias("doc_id"),
                pl.col("category").alias("label"),
                pl.col("title").fill_null(""),
                pl.col("text").fill_null(""),
                # Duplicate groups must stay on one side of any split.
                pl.coalesce(pl.col("dup_group").cast(pl.String), pl.col("doc_id")).alias("group"),
            )
        )
    if asnd is not None:
        posts = pl.read_parquet(asnd)
        frames.append(
            posts.select(
                pl.lit("asnd").alias("source"),
                pl.col("post_id").alias("doc_id"),
                pl.col("label"),
                pl.lit("").alias("title"),
                pl.col("text").fill_null(""),
                pl.col("text_hash").alias("group"),
            )
        )
    if not frames:
        raise FileNotFoundError("no labelled topic data given")
    docs = pl.concat(frames)
    mapping = [
        (s, label, code) for s, labels in SOURCE_LABELS.items() for label, code in labels.items()
    ]
    table = pl.DataFrame(mapping, schema=["source", "label", "topic"], orient="row")
    return docs.join(table, on=["source", "label"], how="left")


# Weight of the word-vector block against the TF-IDF block, and how many frequent words
# keep a vector in the shipped model.
WORD_VECTOR_SCALE = 2.0
WORD_VECTOR_LIMIT = 60_000
# Character n-grams kept (by chi-squared against the topics): a few thousand give most of
# their gain, and each word then adds only a few features to score.
CHAR_FEATURES = 20_000


def train(labelled: pl.DataFrame, word_vectors=None, c: float = 100.0) -> TopicModel:
    """Fit a logistic regression on TF-IDF features, plus, for short texts, the mean unit
    word vector (when ``word_vectors`` are given), on the examples with a topic. Weak
    regularization (``c`` = 100) scored best in 5-fold group cross-validation (10 to 300)."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    gold = labelled.filter(pl.col("topic").is_not_null())
    documents = [Document.of(t, x) for t, x in gold.select("title", "text").iter_rows()]
    vectorizer = TfidfVectorizer(analyzer=Document.features, min_df=2, sublinear_tf=True)
    matrix = vectorizer.fit_transform(documents)
    terms, idf, matrix = _keep_topical_char_grams(
        vectorizer.get_feature_names_out(), vectorizer.idf_, matrix, gold["topic"].to_list()
    )
    word_vocabulary, unit = [], np.zeros((0, 0), np.float32)
    if word_vectors is not None:
        word_vocabulary, unit = unit_vectors(word_vectors, WORD_VECTOR_LIMIT)
        probe = TopicModel([], [], np.zeros((0, 1)), [0.0], ["x"], word_vocabulary=word_vocabulary)
        means = np.zeros((len(documents), unit.shape[1]), np.float32)
        for i, document in enumerate(documents):
            rows = probe.word_rows(document)
            if rows.size:
                means[i] = unit[rows].mean(axis=0)
        matrix = hstack([matrix, csr_matrix(means * WORD_VECTOR_SCALE)]).tocsr()
    classifier = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    classifier.fit(matrix, gold["topic"].to_list())
    coef, intercept = classifier.coef_, classifier.intercept_
    if len(classifier.classes_) == 2:  # one logit for two classes: softmax over (0, z)
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.concatenate([[0.0], intercept])
    word_logits = None
    if word_vocabulary:
        word_logits = unit @ (coef[:, len(terms) :].T * WORD_VECTOR_SCALE)
    return TopicModel(
        terms,
        idf,
        coef[:, : len(terms)].T,
        intercept,
        classifier.classes_.tolist(),
        {"examples": gold.height},
        word_vocabulary,
        word_logits,
    )


def _keep_topical_char_grams(names: np.ndarray, idf: np.ndarray, matrix, topics: list[str]):
    """Terms, IDF and TF-IDF matrix with only the ``CHAR_FEATURES`` character n-grams that
    score highest by chi-squared; rows are L2-normalized again, which gives the same
    matrix as vectorizing with the smaller vocabulary."""
    from sklearn.feature_selection import chi2
    from sklearn.preprocessing import normalize

    is_char = np.char.startswith(names.astype(str), "c:")
    scores = np.nan_to_num(chi2(matrix[:, is_char], topics)[0])
    chosen = np.flatnonzero(is_char)[np.argsort(-scores, kind="stable")[:CHAR_FEATURES]]
    keep = np.sort(np.concatenate([np.flatnonzero(~is_char), chosen]))
    return names[keep].tolist(), idf[keep], normalize(matrix[:, keep].tocsr())


@dataclass
class TopicScores:
    accuracy: float
    macro_f1: float
    per_topic: pl.DataFrame  # topic, precision, recall, f1, support
    confusion: pl.DataFrame  # gold × predicted counts
    documents: int


def evaluate(gold: list[str], predicted: list[str | None]) -> TopicScores:
    """Accuracy, macro-F1 over the gold topics, per-topic figures and the confusion table."""
    pairs = pl.DataFrame(
        {"gold": gold, "predicted": predicted}, schema={"gold": pl.String, "predicted": pl.String}
    )
    labels = sorted(set(gold))
    rows = []
    for code in labels:
        tp = pairs.filter((pl.col("gold") == code) & (pl.col("predicted") == code)).height
        fp = pairs.filter((pl.col("gold") != code) & (pl.col("predicted") == code)).height
        fn = pairs.filter((pl.col("gold") == code) & (pl.col("predicted").ne_missing(code))).height
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        rows.append((code, p, r, 2 * p * r / (p + r) if p + r else 0.0, tp + fn))
    per_topic = pl.DataFrame(
        rows, schema=["topic", "precision", "recall", "f1", "support"], orient="row"
    )
    confusion = (
        pairs.with_columns(pl.col("predicted").fill_null("none"))
        .pivot(on="predicted", index="gold", values="predicted", aggregate_function="len")
        .fill_null(0)
        .sort("gold")
    )
    accuracy = pairs.filter(pl.col("gold") == pl.col("predicted")).height / max(pairs.height, 1)
    return TopicScores(
        accuracy, float(per_topic["f1"].mean() or 0.0), per_topic, confusion, pairs.height
    )


def held_out_split(
    documents: pl.DataFrame, share: float = 0.1, seed: int = 0
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(train, held out): whole duplicate groups on one side, about ``share`` held out."""
    groups = documents["group"].unique().sort().sample(fraction=1.0, shuffle=True, seed=seed)
    held = set(groups.head(round(len(groups) * share)).to_list())
    is_held = pl.col("group").is_in(held)
    return documents.filter(~is_held), documents.filter(is_held)


def evaluate_model(model: TopicModel, documents: pl.DataFrame) -> TopicScores:
    """Scores of ``model`` on documents with a gold ``topic`` (others are left out)."""
    gold = documents.filter(pl.col("topic").is_not_null())
    answers = model.classify_many(gold["title"].to_list(), gold["text"].to_list())
    predicted = [topic for topic, _ in answers]
    return evaluate(gold["topic"].to_list(), predicted)


def gold_topics(labels: pl.Series, source: str | None = None) -> pl.Series:
    """Labels of an evaluation file as IPTC codes: IPTC codes stay, source labels are mapped
    (from ``source``'s table, or any table that knows them); non-topical labels become null."""
    tables = [SOURCE_LABELS[source]] if source else list(SOURCE_LABELS.values())
    mapping: dict[str, str | None] = {}
    for table in reversed(tables):
        mapping.update(table)
    mapping.update({code: code for code in TOPIC_CODES})
    mapping.update({f"medtop:{code}": code for code in TOPIC_CODES})
    unknown = set(labels.drop_nulls().unique()) - set(mapping)
    if unknown:
        raise ValueError(
            f"labels neither IPTC codes nor known source labels: {sorted(unknown)[:10]}"
        )
    return labels.replace_strict(mapping, default=None, return_dtype=pl.String)


def read_labelled_file(path: Path, source: str | None = None) -> pl.DataFrame:
    """``title``, ``text`` and gold ``topic`` of a JSONL or Parquet file with a ``label``,
    ``category`` or ``topic`` column; rows whose label is not a topic are left out."""
    frame = pl.read_parquet(path) if path.suffix == ".parquet" else pl.read_ndjson(path)
    label = next((c for c in ("label", "category", "topic") if c in frame.columns), None)
    if label is None:
        raise ValueError(f"{path}: no label, category or topic column")
    columns = [
        pl.col(name).cast(pl.String).fill_null("") if name in frame.columns else pl.lit("")
        for name in ("title", "text")
    ]
    frame = frame.select(
        *[c.alias(n) for c, n in zip(columns, ("title", "text"), strict=True)],
        pl.col(label).cast(pl.String).alias("label"),
    )
    frame = frame.with_columns(gold_topics(frame["label"], source).alias("topic"))
    return frame.filter(pl.col("topic").is_not_null())
