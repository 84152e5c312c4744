"""A bidirectional LSTM with a CRF output layer over the entity tagger's own features.

Each word is the sum of learnt vectors of its features (the CRF's feature strings for the word
itself: normalized form, stem, affixes, clusters, gazetteer and trigger marks; its neighbours'
are left to the LSTM), and the LSTM reads the sentence both ways, so context reaches further
than the CRF's two-word window. It runs here in numpy and ONNX Runtime (``BidirectionalLstm``),
many sentences at once; training is in ``marsad.training.entity_lstm`` (JAX).
``EntityTagger`` weighs its label and transition scores with the CRF's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import onnxruntime as ort

from marsad.cache import pickled
from marsad.enrich.entities.decoding import like_length_groups
from marsad.shipped import MODELS

LSTM_PATH = MODELS / "entities_lstm.npz"

# Padded word slots per batch the LSTM runs at once: a step's arrays then stay in the core's
# cache (1,024 ran the tagger's LSTMs about a fifth faster than 4,096, docs/experiments.md).
BATCH_WORDS = 1024
# LSTM graphs kept in the cache folder (a model's one or two, under 1 MB each): models trained
# for a test or a fold do not push the shipped ones out.
GRAPHS_KEPT = 16


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

    @cached_property
    def reader(self) -> BidirectionalLstm:
        return BidirectionalLstm(self.weights)

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
        scores = self.reader(x[..., :width], lengths) @ w["out_W"] + w["out_b"]
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


class BidirectionalLstm:
    """An LSTM reading each sentence forwards beside one reading it backwards from its own
    last word (weights ``fw_W``, ``fw_U``, ``fw_b`` and ``bw_*``, as ``entity_lstm`` trains
    them), run by ONNX Runtime on one thread: its LSTM runs the steps in compiled code, where
    numpy paid a dozen calls a step (the tagger's LSTMs 0.5 → 0.2 s on 25,039 words,
    docs/benchmarks.md). Its graph is written once per weights and kept in the cache folder:
    writing it needs onnx, whose import alone takes 0.8 s."""

    def __init__(self, weights: dict[str, np.ndarray]):
        self.weights = {
            f"{d}_{m}": weights[f"{d}_{m}"] for d in ("fw", "bw") for m in ("W", "U", "b")
        }
        digest = hashlib.sha256()
        for key in sorted(self.weights):
            digest.update(self.weights[key].astype(np.float32).tobytes())
        graph = pickled(
            "lstm-graph",
            [Path(__file__)],
            lambda: _graph(self.weights),
            digest.hexdigest(),
            GRAPHS_KEPT,
        )
        options = ort.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        self.session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])

    def __reduce__(self):  # a session does not pickle; its weights do
        return BidirectionalLstm, (self.weights,)

    def __call__(self, x: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """[batch, steps, 2 hidden]: both directions' states, from the inputs [batch, steps,
        dimensions] of sentences of these lengths (the states past a sentence's end are 0)."""
        feed = {"inputs": x.astype(np.float32, copy=False), "lengths": lengths.astype(np.int32)}
        return self.session.run(None, feed)[0]


def _graph(w: dict[str, np.ndarray]) -> bytes:
    """The ONNX model of ``BidirectionalLstm``: the LSTM operator between two transposes, as
    it reads steps first and gives [steps, directions, batch, hidden]."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    hidden, dimensions = w["fw_U"].shape[0], w["fw_W"].shape[0]

    def onnx_order(m: np.ndarray) -> np.ndarray:
        # Gates here are input, forget, output, cell; ONNX's are input, output, forget, cell.
        i, f, o, c = np.split(m, 4, axis=-1)
        return np.concatenate([i, o, f, c], axis=-1)

    def both(key: str) -> np.ndarray:
        return np.stack([onnx_order(w[f"{d}_{key}"]).T for d in ("fw", "bw")]).astype(np.float32)

    recurrent_bias = np.zeros((2, 4 * hidden), np.float32)  # ONNX adds two biases: one is 0
    initializers = {
        "W": both("W"),
        "R": both("U"),
        "B": np.concatenate([both("b"), recurrent_bias], axis=1),
        "shape": np.array([0, 0, -1], np.int64),
    }
    nodes = [
        helper.make_node("Transpose", ["inputs"], ["steps_first"], perm=[1, 0, 2]),
        helper.make_node(
            "LSTM",
            ["steps_first", "W", "R", "B", "lengths"],
            ["states"],
            hidden_size=hidden,
            direction="bidirectional",
        ),
        helper.make_node("Transpose", ["states"], ["batch_first"], perm=[2, 0, 1, 3]),
        helper.make_node("Reshape", ["batch_first", "shape"], ["both"]),
    ]
    graph = helper.make_graph(
        nodes,
        "bidirectional_lstm",
        [
            helper.make_tensor_value_info(
                "inputs", TensorProto.FLOAT, ["batch", "steps", dimensions]
            ),
            helper.make_tensor_value_info("lengths", TensorProto.INT32, ["batch"]),
        ],
        [helper.make_tensor_value_info("both", TensorProto.FLOAT, ["batch", "steps", 2 * hidden])],
        [numpy_helper.from_array(a, name) for name, a in initializers.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    onnx.checker.check_model(model)
    return model.SerializeToString()


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
