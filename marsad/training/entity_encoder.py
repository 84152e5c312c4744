"""Pre-training of the news encoder (``marsad.enrich.entities.news_encoder``) with JAX on the CPU.

The forward LSTM guesses, after each word, the word class of the next one; the backward LSTM
the class of the one before. A class is the word's k-means cluster (``word_clusters``, 512
granularity), so the output layer is small enough for a CPU; a word without a cluster is one
class and a sentence's edge another. The perplexity reported is of words: the class's
probability times the word's share of its class in the training text (add-one), over the
words the clusters know, every other word counting as one unknown word.

The text is the unlabelled news of ``../shared/data`` (SaudiNewsNet, ANT, ASND; not ANERcorp,
whose test split the tagger is measured on). The last documents of each source are held out
for the perplexity, so it is measured on whole documents the encoder never read.
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import polars as pl

from marsad.enrich.entities.feature_sums import ORGANISATION_MARKS, PLACE_MARKS
from marsad.enrich.entities.features import WordClusters, lstm_features, sentence_marks
from marsad.enrich.entities.tokens import sentence_bounds, tokenize
from marsad.enrich.gazetteer import gazetteer
from marsad.training.entity_lstm import bidirectional_lstm, lstm_init

# The unlabelled news, by file under the training data folder, and its text column.
NEWS = {
    "saudinewsnet/saudinewsnet.parquet": "content",
    "antcorpus/antcorpus_v1.1_train80.parquet": "text",
    "asnd/asnd_train80.parquet": "text",
}
CLASS_LEVEL = 512  # the cluster granularity guessed


@dataclass(frozen=True)
class EncoderSettings:
    # 64 units keep `marsad tag` over 20,000 tokens/s; 128 tagged at 0.72 of the speed for
    # 0.3 points more (docs/experiments.md).
    hidden: int = 64  # per direction
    dimensions: int = 64  # of the feature vectors
    min_count: int = 30  # features seen fewer times in the text read are dropped
    words: int = 20_000_000  # of training text read at most (all of it: 10.8 M words)
    held_out: float = 0.02  # documents at the end of each source
    held_out_words: int = 200_000  # at most, for the perplexity
    max_words: int = 48  # longer sentences are read in pieces
    batch: int = 64
    epochs: int = 1  # passes over the text read
    learning_rate: float = 2e-3
    dropout: float = 0.1
    feature_dropout: float = 0.2
    seed: int = 0


@dataclass
class EncoderReport:
    words: int
    held_out_words: int
    vocabulary: int
    perplexity_forward: float
    perplexity_backward: float
    class_perplexity_forward: float
    class_perplexity_backward: float
    seconds: float


def news_documents(data_dir: Path, held_out: float) -> tuple[list[str], list[str]]:
    """(training, held-out) texts: each source's last ``held_out`` share of documents, as
    stored, is held out."""
    training: list[str] = []
    kept: list[str] = []
    for relative, column in NEWS.items():
        path = data_dir / relative
        if not path.is_file():
            continue
        texts = pl.read_parquet(path, columns=[column])[column].drop_nulls().to_list()
        cut = len(texts) - max(1, round(len(texts) * held_out))
        training += texts[:cut]
        kept += texts[cut:]
    return training, kept


def text_sentences(texts: Iterable[str], max_words: int, limit: int) -> list[list[str]]:
    """The sentences of ``texts`` as the tagger cuts them, long ones in pieces of
    ``max_words``, until ``limit`` words are read."""
    sentences: list[list[str]] = []
    total = 0
    for text in texts:
        tokens = tokenize(text)
        for start, end in sentence_bounds(tokens):
            for first in range(start, end, max_words):
                words = [t.text for t in tokens[first : min(end, first + max_words)]]
                sentences.append(words)
                total += len(words)
        if total >= limit:
            break
    return sentences


def word_classes(clusters: WordClusters) -> np.ndarray:
    """Each clustered word's class: its cluster at CLASS_LEVEL, or at the finest level a
    small vocabulary has (every level is below CLASS_LEVEL then)."""
    levels = [k for k in clusters.levels if k <= CLASS_LEVEL]
    return clusters.levels[max(levels)] if levels else np.zeros(len(clusters.index), np.int16)


class _Encoding:
    """Sentences as numbers: each word's features (feature ids, the same for every
    occurrence of a word), its gazetteer and organisation marks, and its word class."""

    def __init__(self, sentences: list[list[str]], clusters: WordClusters, index=None, min_count=1):
        gaz = gazetteer()
        classes = word_classes(clusters)
        self.unknown, self.edge = CLASS_LEVEL, CLASS_LEVEL + 1
        word_rows: dict[str, int] = {}
        features: list[tuple[str, ...]] = []  # each word's own features (shared tuples)
        word_class: list[int] = []
        self.norms: list[str] = []
        self.sentences: list[np.ndarray] = []  # per word: its row, place mark, organisation mark
        for words in sentences:
            marks = sentence_marks(words, gaz, clusters)
            rows = np.empty((len(words), 3), np.int32)
            for i, (word, info) in enumerate(zip(words, marks.info, strict=True)):
                row = word_rows.get(word)
                if row is None:
                    row = word_rows[word] = len(features)
                    features.append(lstm_features(info[2]))
                    at = clusters.index.get(info[0])
                    word_class.append(self.unknown if at is None else int(classes[at]))
                    self.norms.append(info[0])
                rows[i, 0] = row
            rows[:, 1], rows[:, 2] = marks.place_ids, marks.organisation_ids
            self.sentences.append(rows)
        # How often each word occurs.
        self.uses = np.bincount(
            np.concatenate([r[:, 0] for r in self.sentences]), minlength=len(features)
        )
        if index is None:
            # A feature's count is the count of the words that have it; every mark is kept.
            counts: Counter[str] = Counter()
            for own, used in zip(features, self.uses.tolist(), strict=True):
                for f in own:
                    counts[f] += used
            kept = sorted(f for f, c in counts.items() if c >= min_count)
            marks_features = [f"gz={m}" for m in PLACE_MARKS] + [
                f"og={m}" for m in ORGANISATION_MARKS
            ]
            index = {f: i + 1 for i, f in enumerate(kept + marks_features)}
        self.index = index
        self.vocabulary = sorted(index, key=index.__getitem__)
        width = max((len(own) for own in features), default=0)
        self.table = np.zeros((len(features), width + 2), np.int32)
        for r, own in enumerate(features):
            ids = [index[f] for f in own if f in index]
            self.table[r, : len(ids)] = ids
        self.word_class = np.array(word_class, np.int32)
        self.place_ids = np.array([index.get(f"gz={m}", 0) for m in PLACE_MARKS], np.int32)
        self.organisation_ids = np.array(
            [index.get(f"og={m}", 0) for m in ORGANISATION_MARKS], np.int32
        )

    def batch(self, members: list[int], steps: int):
        """Feature ids [batch, steps, features], next and previous word classes [batch,
        steps] and the mask, for these sentences."""
        ids = np.zeros((len(members), steps, self.table.shape[1]), np.int32)
        following = np.full((len(members), steps), self.edge, np.int32)
        preceding = np.full((len(members), steps), self.edge, np.int32)
        mask = np.zeros((len(members), steps), np.float32)
        for b, i in enumerate(members):
            rows = self.sentences[i]
            n = len(rows)
            ids[b, :n] = self.table[rows[:, 0]]
            ids[b, :n, -2] = self.place_ids[rows[:, 1]]
            ids[b, :n, -1] = self.organisation_ids[rows[:, 2]]
            classes = self.word_class[rows[:, 0]]
            following[b, : n - 1], preceding[b, 1:n] = classes[1:], classes[:-1]
            mask[b, :n] = 1.0
        return ids, following, preceding, mask

    def steps(self, members: list[int]) -> int:
        """The longest of these sentences, padded to a multiple of 8 (few shapes compiled)."""
        return -(-max(len(self.sentences[i]) for i in members) // 8) * 8

    def groups(self, batch: int) -> list[list[int]]:
        """Sentences of like length, ``batch`` at a time."""
        order = np.argsort([len(s) for s in self.sentences], kind="stable")
        return [order[i : i + batch].tolist() for i in range(0, len(order), batch)]


def _word_shares(training: _Encoding, held_out: _Encoding, clusters: WordClusters):
    """-log P(word | its class) of each of ``held_out``'s words (by row): its share of its
    class's words in the training text, add-one over the words the clusters put in that
    class; 0 for a word without a cluster (its class is the word)."""
    counts: Counter[str] = Counter()
    for norm, used in zip(training.norms, training.uses.tolist(), strict=True):
        counts[norm] += used
    classes = CLASS_LEVEL + 2
    totals = np.bincount(training.word_class, weights=training.uses, minlength=classes)
    members = np.bincount(word_classes(clusters), minlength=classes)
    shares = np.zeros(len(held_out.norms))
    for row, (norm, c) in enumerate(zip(held_out.norms, held_out.word_class, strict=True)):
        if c != held_out.unknown:
            shares[row] = -math.log((counts[norm] + 1) / (totals[c] + members[c]))
    return shares


def train(
    training_texts: list[str],
    held_out_texts: list[str],
    clusters: WordClusters,
    model_path: Path,
    settings: EncoderSettings = EncoderSettings(),
    log=None,
) -> EncoderReport:
    """Train the encoder on ``training_texts``, measure its perplexity on
    ``held_out_texts`` and write it to ``model_path``."""
    import jax
    import jax.numpy as jnp
    import optax

    started = time.perf_counter()
    s = settings
    rng = np.random.default_rng(s.seed)
    order = rng.permutation(len(training_texts))
    training = _Encoding(
        text_sentences((training_texts[i] for i in order), s.max_words, s.words),
        clusters,
        min_count=s.min_count,
    )
    held_out = _Encoding(
        text_sentences(held_out_texts, s.max_words, s.held_out_words), clusters, training.index
    )
    if log:
        words = sum(len(r) for r in training.sentences)
        log(f"encoder: {words:,} words, {len(training.index):,} features")
    n_classes = CLASS_LEVEL + 2
    key = jax.random.PRNGKey(s.seed)
    keys = jax.random.split(key, 6)
    params = {
        "embeddings": jax.random.normal(keys[0], (len(training.index) + 1, s.dimensions)) * 0.1,
        "fw": lstm_init(keys[1], s.dimensions, s.hidden),
        "bw": lstm_init(keys[2], s.dimensions, s.hidden),
        "next_W": jax.random.normal(keys[3], (s.hidden, n_classes)) / np.sqrt(s.hidden),
        "next_b": jnp.zeros(n_classes),
        "previous_W": jax.random.normal(keys[4], (s.hidden, n_classes)) / np.sqrt(s.hidden),
        "previous_b": jnp.zeros(n_classes),
    }

    def losses(p, ids, following, preceding, mask, key, train: bool):
        """Each word's cross-entropy [batch, steps] of the next and of the previous class."""
        keep = ids > 0  # row 0 pads the features of a word
        if train:
            k1, k2, k3 = jax.random.split(key, 3)
            keep &= jax.random.bernoulli(k1, 1 - s.feature_dropout, ids.shape)
        x = (p["embeddings"][ids] * keep[..., None]).sum(2)
        if train:
            x = x * jax.random.bernoulli(k2, 1 - s.dropout, x.shape) / (1 - s.dropout)
        h = bidirectional_lstm(p, x, mask)
        if train:
            h = h * jax.random.bernoulli(k3, 1 - s.dropout, h.shape) / (1 - s.dropout)
        forward, backward = jnp.split(h, 2, axis=-1)
        next_scores = jax.nn.log_softmax(forward @ p["next_W"] + p["next_b"])
        previous_scores = jax.nn.log_softmax(backward @ p["previous_W"] + p["previous_b"])
        next_loss = -jnp.take_along_axis(next_scores, following[..., None], 2)[..., 0]
        previous_loss = -jnp.take_along_axis(previous_scores, preceding[..., None], 2)[..., 0]
        return next_loss * mask, previous_loss * mask

    def loss(p, ids, following, preceding, mask, key):
        a, b = losses(p, ids, following, preceding, mask, key, True)
        return (a.sum() + b.sum()) / (2 * mask.sum())

    optimizer = optax.chain(optax.clip_by_global_norm(5.0), optax.adam(s.learning_rate))

    @jax.jit
    def update(params, state, ids, following, preceding, mask, key):
        value, grads = jax.value_and_grad(loss)(params, ids, following, preceding, mask, key)
        updates, state = optimizer.update(grads, state, params)
        return optax.apply_updates(params, updates), state, value

    @jax.jit
    def measure(params, ids, following, preceding, mask):
        return losses(params, ids, following, preceding, mask, None, False)

    state = optimizer.init(params)
    groups = training.groups(s.batch)
    total, seen = 0.0, 0
    passes = [g for _ in range(s.epochs) for g in rng.permutation(len(groups))]
    for number, group in enumerate((groups[i] for i in passes), start=1):
        key, subkey = jax.random.split(key)
        batch = training.batch(group, training.steps(group))
        params, state, value = update(params, state, *batch, subkey)
        total, seen = total + float(value), seen + 1
        if log and (number % 500 == 0 or number == len(passes)):
            log(f"encoder: batch {number:,}/{len(passes):,}, loss {total / seen:.3f}")
            total, seen = 0.0, 0

    shares = _word_shares(training, held_out, clusters)
    sums = np.zeros(4)  # next class, previous class, next word, previous word
    count = 0
    for group in held_out.groups(s.batch):
        ids, following, preceding, mask = held_out.batch(group, held_out.steps(group))
        a, b = (np.asarray(v) for v in measure(params, ids, following, preceding, mask))
        words = np.zeros_like(a)
        for r, i in enumerate(group):
            rows = held_out.sentences[i][:, 0]
            words[r, : len(rows)] = shares[rows]
        # The next word of a word is the word after it; its share is that word's.
        next_words = np.zeros_like(words)
        next_words[:, :-1] = words[:, 1:] * mask[:, 1:]
        previous_words = np.zeros_like(words)
        previous_words[:, 1:] = words[:, :-1] * mask[:, 1:]
        sums += (a.sum(), b.sum(), (a + next_words).sum(), (b + previous_words).sum())
        count += int(mask.sum())
    report = EncoderReport(
        words=sum(len(r) for r in training.sentences),
        held_out_words=count,
        vocabulary=len(training.index),
        perplexity_forward=round(math.exp(sums[2] / count), 1),
        perplexity_backward=round(math.exp(sums[3] / count), 1),
        class_perplexity_forward=round(math.exp(sums[0] / count), 1),
        class_perplexity_backward=round(math.exp(sums[1] / count), 1),
        seconds=round(time.perf_counter() - started, 1),
    )
    save(params, training.vocabulary, report, settings, model_path)
    return report


def save(params, vocabulary: list[str], report, settings, model_path: Path) -> None:
    """The weights the tagger runs (float16; the output layers stay behind) with the feature
    vocabulary and the training report. Not compressed: float16 weights barely shrink, and
    every `marsad tag` would pay 0.04 s to inflate them."""
    arrays = {
        "embeddings": params["embeddings"],
        **{f"{d}_{k}": params[d][k] for d in ("fw", "bw") for k in ("W", "U", "b")},
    }
    about = json.dumps({"report": asdict(report), "settings": asdict(settings)})
    model_path.parent.mkdir(parents=True, exist_ok=True)
    with model_path.open("wb") as out:
        np.savez(
            out,
            **{k: np.asarray(v, np.float16) for k, v in arrays.items()},
            vocabulary=np.frombuffer("\n".join(vocabulary).encode("utf-8"), np.uint8),
            about=np.frombuffer(about.encode("utf-8"), np.uint8),
        )


def read_report(model_path: Path) -> dict:
    """The training report and settings saved with an encoder."""
    with np.load(model_path) as data:
        return json.loads(bytes(data["about"]).decode("utf-8"))
