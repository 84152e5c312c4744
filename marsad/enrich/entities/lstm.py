"""A bidirectional LSTM with a CRF output layer over the entity tagger's own features.

Each word is the sum of learnt vectors of its features (the CRF's feature strings for the word
itself: normalized form, stem, affixes, clusters, gazetteer and trigger marks; its neighbours'
are left to the LSTM), and the LSTM
reads the sentence both ways, so context reaches further than the CRF's two-word window. It
runs here in plain numpy, many sentences at once; training is in
``marsad.training.entity_lstm`` (JAX). ``EntityTagger`` weighs its label and transition
scores with the CRF's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from marsad.enrich.entities.decoding import like_length_groups
from marsad.shipped import MODELS

LSTM_PATH = MODELS / "entities_lstm.npz"

# Padded word slots per batch the LSTM runs at once: a step's arrays then stay in the core's
# cache (1,024 ran the tagger's LSTMs about a fifth faster than 4,096, docs/experiments.md).
BATCH_WORDS = 1024


def stored_shape(archive, key: str) -> tuple[int, ...]:
    """The shape of the array ``key`` of an open ``.npz`` archive, read from its header
    alone."""
    with archive.zip.open(f"{key}.npy") as member:
        version = np.lib.format.read_magic(member)
        read_header = (
            np.lib.format.read_array_header_1_0
            if version == (1, 0)
            else np.lib.format.read_array_header_2_0
        )
        return read_header(member)[0]


def load_weights(archive, skipped: set[str]) -> tuple[dict[str, np.ndarray], int]:
    """The float32 arrays of an open model archive but ``skipped``, and the width of its
    feature vectors (``embeddings``, row 0 zeroed) whether they are read or not."""
    weights = {k: archive[k].astype(np.float32) for k in archive.files if k not in skipped}
    if "embeddings" in weights:
        weights["embeddings"][0] = 0.0  # padding, or the unknown feature
    return weights, stored_shape(archive, "embeddings")[1]


@dataclass
class LstmTagger:
    labels: list[str]
    index: dict[str, int]  # feature → row of ``embeddings`` (0 is padding)
    weights: dict[str, np.ndarray]
    dimensions: int  # of a feature's vector

    @classmethod
    def load(cls, path: Path = LSTM_PATH, features: bool = True) -> LstmTagger:
        """The LSTM of a file; without ``features`` its feature vectors stay on disk (a
        tagger with a lexicon reads them there: 0.02 s less at each start)."""
        with np.load(path) as data:
            skipped = {"vocabulary", "labels"} | (set() if features else {"embeddings"})
            weights, dimensions = load_weights(data, skipped)
            vocabulary = bytes(data["vocabulary"]).decode("utf-8").split("\n")
            labels = bytes(data["labels"]).decode("utf-8").split("\n")
        return cls(labels, {f: i + 1 for i, f in enumerate(vocabulary)}, weights, dimensions)

    @property
    def context_width(self) -> int:
        """Inputs per word beside its features' sum: the news encoder's states, or none."""
        context = self.weights.get("context_W")  # saved only for an LSTM that reads them
        return 0 if context is None else context.shape[0]

    def with_context(self, x: np.ndarray, states: np.ndarray) -> np.ndarray:
        """Inputs [..., dimensions] with what the encoder states [..., context_width] of the
        same words give: the states brought down for the LSTM, then their label scores."""
        w = self.weights
        parts = [x, states @ w["context_W"]]
        if "context_out_W" in w:
            parts.append(states @ w["context_out_W"])
        return np.concatenate(parts, axis=-1)

    def inputs(self, sentence: list[list[str]]) -> np.ndarray:
        """[words, dimensions]: each word's sum of its features' vectors."""
        index, embeddings = self.index, self.weights["embeddings"]
        return np.stack(
            [embeddings[[index.get(f, 0) for f in row]].sum(axis=0) for row in sentence]
        )

    def emissions(self, x: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Label scores [sentences, words, labels] before the CRF layer, from the inputs
        [sentences, words, dimensions] of sentences of these lengths."""
        w = self.weights
        # With the encoder, the LSTM reads the features' sum and the states brought down
        # (``with_context``); the states' own label scores follow them.
        width = w["fw_W"].shape[0]
        scores = bidirectional_states(x[..., :width], lengths, w) @ w["out_W"] + w["out_b"]
        if x.shape[-1] > width:
            scores += x[..., width:]
        return scores

    def marginals(self, sentences: list[list[list[str]]]) -> list[np.ndarray]:
        """Per sentence (its words' own features, ``sentence_rows``), each word's probability
        of each label [words, labels]."""
        return self.marginals_of_inputs([self.inputs(s) for s in sentences])

    def marginals_of_inputs(self, inputs: list[np.ndarray]) -> list[np.ndarray]:
        """``marginals`` from each sentence's inputs [words, dimensions] (``inputs``, or
        ``FeatureSums`` over the embeddings)."""
        w = self.weights
        return marginals_in_batches(inputs, self.emissions, w["transitions"], w["start"], w["end"])


def in_batches(inputs, run) -> list[np.ndarray]:
    """``run(x [batch, steps, dim], lengths)`` → [batch, steps, labels] over each sentence's
    inputs [words, dim], cut back to each sentence's words. Sentences of like length run
    together (up to BATCH_WORDS padded slots), so little is padded."""
    found: list[np.ndarray] = [np.empty(0)] * len(inputs)
    for members in like_length_groups([len(x) for x in inputs], BATCH_WORDS):
        steps = len(inputs[members[-1]])
        x = np.zeros((len(members), steps, inputs[members[0]].shape[1]), np.float32)
        lengths = np.array([len(inputs[i]) for i in members], np.int64)
        for b, i in enumerate(members):
            x[b, : len(inputs[i])] = inputs[i]
        out = run(x, lengths)
        for b, i in enumerate(members):
            found[i] = out[b, : len(inputs[i])]
    return found


def marginals_in_batches(inputs, label_scores, transitions, start, end) -> list[np.ndarray]:
    """Label marginals of a linear-chain CRF for each sentence, whose label scores
    ``label_scores(x [batch, steps, dim], lengths)`` gives from its inputs [words, dim]."""

    def marginals(x: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        mask = (np.arange(x.shape[1])[None, :] < lengths[:, None]).astype(np.float64)
        return _forward_backward(
            label_scores(x, lengths).astype(np.float64),
            mask,
            transitions.astype(np.float64),
            start.astype(np.float64),
            end.astype(np.float64),
        )

    return in_batches(inputs, marginals)


def bidirectional_states(x: np.ndarray, lengths: np.ndarray, w: dict[str, np.ndarray]):
    """[batch, steps, 2 hidden]: the states of an LSTM reading each sentence forwards
    (weights ``fw_W``, ``fw_U``, ``fw_b`` of ``w``) beside those of one reading it backwards
    (``bw_*``), from the inputs [batch, steps, dimensions] of sentences of these lengths."""
    # The backward LSTM reads each sentence from its own last word; both directions run in
    # one loop (half the steps' overhead). Steps first, so that each step's inputs are one
    # contiguous block; a sentence read backwards is a gather of those rows.
    batch, steps, dimensions = x.shape
    from_end = (lengths[None, :] - 1 - np.arange(steps)[:, None]) % steps  # [steps, batch]
    rows = (from_end * batch + np.arange(batch)).ravel()
    flat = np.ascontiguousarray(x.transpose(1, 0, 2)).reshape(steps * batch, dimensions)
    gates = w["fw_U"].shape[1]
    gates_in = np.empty((steps, 2, batch, gates), np.float32)
    # One 2-D product over all steps' rows: a quarter faster here than the same product on
    # the [steps, batch, dimensions] stack.
    gates_in[:, 0] = (flat @ w["fw_W"]).reshape(steps, batch, gates)
    gates_in[:, 1] = (flat[rows] @ w["bw_W"]).reshape(steps, batch, gates)
    gates_in[:, 0] += w["fw_b"]
    gates_in[:, 1] += w["bw_b"]
    states = _lstm(gates_in, np.stack([w["fw_U"], w["bw_U"]]))
    hidden = states.shape[-1]
    found = np.empty((batch, steps, 2 * hidden), np.float32)
    found[..., :hidden] = states[:, 0].transpose(1, 0, 2)
    backward = states[:, 1].reshape(steps * batch, hidden)[rows]
    found[..., hidden:] = backward.reshape(steps, batch, hidden).transpose(1, 0, 2)
    return found


def _lstm(gates_in: np.ndarray, U: np.ndarray) -> np.ndarray:
    """Hidden states [steps, directions, batch, hidden] from each direction's input to the
    gates [steps, directions, batch, 4 hidden] and recurrent weights [directions, hidden,
    4 hidden]. Every sentence starts at step 0, so what runs on past a sentence's end never
    reaches its words: no mask is needed."""
    steps, directions, batch, _ = gates_in.shape
    hidden = U.shape[1]
    c = np.zeros((directions, batch, hidden), np.float32)
    h = np.zeros((directions, batch, hidden), np.float32)
    out = np.empty((steps, directions, batch, hidden), np.float32)
    for t in range(steps):
        z = gates_in[t] + np.matmul(h, U)
        # Input, forget and output gates: the logistic function, by way of tanh (in place).
        gates = np.tanh(z[..., : 3 * hidden] * 0.5)
        gates *= 0.5
        gates += 0.5
        c = gates[..., hidden : 2 * hidden] * c + gates[..., :hidden] * np.tanh(
            z[..., 3 * hidden :]
        )
        h = gates[..., 2 * hidden :] * np.tanh(c)
        out[t] = h
    return out


def _forward_backward(scores, mask, transitions, start, end) -> np.ndarray:
    """Label marginals of a linear-chain CRF [batch, steps, labels]: the forward and
    backward passes in probabilities, rescaled at every step (matrix products, where log
    space would need a log-sum-exp per step). A sentence's words are its first ``mask``
    steps."""
    batch, steps, _ = scores.shape
    lengths = mask.sum(axis=1).astype(np.int64)
    emit = np.exp(scores - scores.max(axis=2, keepdims=True))
    move = np.exp(transitions - transitions.max())
    first, last = np.exp(start - start.max()), np.exp(end - end.max())
    alpha = np.empty_like(emit)
    beta = np.empty_like(emit)
    a = first * emit[:, 0]
    alpha[:, 0] = a = a / a.sum(axis=1, keepdims=True)
    for t in range(1, steps):
        a = (a @ move) * emit[:, t]
        alpha[:, t] = a = a / a.sum(axis=1, keepdims=True)
    # Past a sentence's last word the backward pass is ``end``; before it, it steps back.
    beta[:] = last
    b = np.broadcast_to(last, (batch, len(last)))
    for t in range(steps - 2, -1, -1):
        stepped = (emit[:, t + 1] * b) @ move.T
        stepped /= stepped.sum(axis=1, keepdims=True)
        b = np.where((t < lengths - 1)[:, None], stepped, last)
        beta[:, t] = b
    found = alpha * beta
    return found / found.sum(axis=2, keepdims=True)
