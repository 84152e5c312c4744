"""Training of the BiLSTM-CRF entity tagger (``marsad.enrich.entities.lstm``) with JAX on the CPU.

The model is small (one LSTM layer each way over summed feature vectors), so twenty passes
over ANERcorp's 4,000 training sentences take a few minutes on two cores. It overfits fast,
so it is held back four ways: whole features are dropped at random (as the CRF's L1 does),
inputs and hidden states are dropped, weights decay, and the weights kept are an exponential
moving average of those trained.

Settings measured on the last tenth of ANERcorp train: the word's own features score as well
as all of the CRF's (neighbours included) with a third of the vocabulary; without feature
dropout and weight decay the model peaks at 0.74 micro-F1 after four passes and falls.

With the news encoder, the encoder's two LSTMs run inside the model and their weights are
tuned with it (at their own rate, without decay); its feature vectors stay as pre-trained, so
the tagger's lexicon holds them as before. The tuned weights are saved in the LSTM's file; the
pre-trained encoder's file is left as it is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class LstmSettings:
    hidden: int = 96  # per direction
    dimensions: int = 64  # of the feature vectors
    # The encoder's states (``context``) are first brought down to this many numbers: the
    # LSTM's input weights, run for every word, stay small.
    context_dimensions: int = 64
    # The encoder's states also score the labels directly, beside the LSTM's.
    context_output: bool = True
    # The encoder's LSTM weights are tuned with the tagger at this rate (its feature vectors
    # stay as pre-trained); 0 keeps them. Cross-validation, one sentence a text: 0.815 with
    # the pre-trained weights, 0.822 tuned (docs/entities.md).
    encoder_learning_rate: float = 2e-3
    encoder_dropout: float = 0.1  # of the encoder's inputs, as in its pre-training
    min_count: int = 3  # features seen fewer times in training are dropped
    epochs: int = 40  # 20 / 30 / 40: cross-validation 0.813 / 0.815 / 0.817 (docs/experiments.md)
    batch: int = 32
    learning_rate: float = 2e-3
    weight_decay: float = 0.01
    feature_dropout: float = 0.5
    dropout: float = 0.5
    average: float = 0.995  # of the moving average of the weights
    seed: int = 0


def lstm_init(key, inputs: int, hidden: int) -> dict:
    """Weights of one LSTM direction (JAX arrays)."""
    import jax
    import jax.numpy as jnp

    k1, k2 = jax.random.split(key)
    return {
        "W": jax.random.normal(k1, (inputs, 4 * hidden)) / np.sqrt(inputs),
        "U": jax.random.normal(k2, (hidden, 4 * hidden)) / np.sqrt(hidden),
        # The forget gate starts open.
        "b": jnp.zeros(4 * hidden).at[hidden : 2 * hidden].set(1.0),
    }


def run_lstm(p: dict, x, mask):
    """Hidden states [batch, steps, hidden] of one LSTM direction (weights ``p``) over the
    inputs [batch, steps, dimensions]; past a sentence's end (``mask`` 0) the state holds."""
    import jax
    import jax.numpy as jnp

    batch, hidden = x.shape[0], p["U"].shape[0]
    gates_in = jnp.einsum("bld,dg->lbg", x, p["W"]) + p["b"]

    def step(state, inputs):
        c, h = state
        g, m = inputs
        i, f, o, u = jnp.split(g + h @ p["U"], 4, axis=-1)
        c_next = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(u)
        h_next = jax.nn.sigmoid(o) * jnp.tanh(c_next)
        m = m[:, None]
        c, h = m * c_next + (1 - m) * c, m * h_next + (1 - m) * h
        return (c, h), h

    zeros = jnp.zeros((batch, hidden))
    _, hs = jax.lax.scan(step, (zeros, zeros), (gates_in, mask.T))
    return hs.transpose(1, 0, 2)


def bidirectional_lstm(p: dict, x, mask):
    """[batch, steps, 2 hidden]: LSTM ``p["fw"]`` reading each sentence forwards beside
    ``p["bw"]`` reading it from its own last word (as ``entity_lstm.bidirectional_states``)."""
    import jax.numpy as jnp

    steps = x.shape[1]
    lengths = mask.sum(1).astype(jnp.int32)
    order = (lengths[:, None] - 1 - jnp.arange(steps)[None, :]) % steps
    forward = run_lstm(p["fw"], x, mask)
    backward = run_lstm(p["bw"], jnp.take_along_axis(x, order[..., None], 1), mask)
    backward = jnp.take_along_axis(backward, order[..., None], 1)
    return jnp.concatenate([forward, backward], -1)


def train(
    sentences: list[tuple[list[list[str]], list[str]]],
    model_path: Path,
    settings: LstmSettings = LstmSettings(),
    log=None,
    encoder: tuple[list[np.ndarray], dict[str, np.ndarray]] | None = None,
) -> None:
    """Train on (each word's own features, IOB2 tags) sentences (``sentence_rows``) and write
    the model to ``model_path``. With ``encoder`` (each sentence's inputs to the news
    encoder [words, dimensions] and its pre-trained weights) the LSTM also reads the
    encoder's states, whose LSTM weights are tuned with it and saved with it."""
    import jax
    import jax.numpy as jnp
    import optax

    rows = [features for features, _ in sentences]
    labels = sorted({t for _, tags in sentences for t in tags})
    label_index = {t: i for i, t in enumerate(labels)}
    counts = Counter(f for sentence in rows for row in sentence for f in row)
    vocabulary = sorted(f for f, c in counts.items() if c >= settings.min_count)
    index = {f: i + 1 for i, f in enumerate(vocabulary)}
    width = max(len(row) for sentence in rows for row in sentence)
    if encoder is None:
        encoder_inputs = [np.zeros((len(sentence), 0), np.float32) for sentence in rows]
        pretrained: dict[str, np.ndarray] = {}
    else:
        encoder_inputs, pretrained = encoder
    # The encoder's states: both directions' hidden states.
    context_width = 2 * pretrained["fw_U"].shape[0] if pretrained else 0
    encoded = []
    for sentence, (_, tags), more in zip(rows, sentences, encoder_inputs, strict=True):
        ids = np.zeros((len(sentence), width), np.int32)
        for t, row in enumerate(sentence):
            known = [index[f] for f in row if f in index]
            ids[t, : len(known)] = known
        encoded.append((ids, np.array([label_index[t] for t in tags], np.int32), more))

    s = settings
    hidden, n_labels = s.hidden, len(labels)
    key = jax.random.PRNGKey(s.seed)
    keys = jax.random.split(key, 5)
    context_dimensions = min(s.context_dimensions, context_width)
    inputs = s.dimensions + context_dimensions

    params = {
        "embeddings": jax.random.normal(keys[0], (len(vocabulary) + 1, s.dimensions)) * 0.1,
        "fw": lstm_init(keys[1], inputs, hidden),
        "bw": lstm_init(keys[2], inputs, hidden),
        "out_W": jax.random.normal(keys[3], (2 * hidden, n_labels)) / np.sqrt(2 * hidden),
        "out_b": jnp.zeros(n_labels),
        "context_W": jax.random.normal(keys[4], (context_width, context_dimensions))
        / np.sqrt(max(context_width, 1)),
        "context_out_W": jnp.zeros((context_width if s.context_output else 0, n_labels)),
        "transitions": jnp.zeros((n_labels, n_labels)),
        "start": jnp.zeros(n_labels),
        "end": jnp.zeros(n_labels),
        "encoder": {
            d: {k: jnp.asarray(pretrained[f"{d}_{k}"], jnp.float32) for k in ("W", "U", "b")}
            for d in (("fw", "bw") if pretrained else ())
        },
    }

    def emissions(p, ids, more, mask, key):
        k1, k2, k3, k5 = jax.random.split(key, 4)
        if pretrained:
            more = more * jax.random.bernoulli(k5, 1 - s.encoder_dropout, more.shape)
            more = bidirectional_lstm(p["encoder"], more / (1 - s.encoder_dropout), mask)
        keep = (ids > 0) & jax.random.bernoulli(k1, 1 - s.feature_dropout, ids.shape)
        x = jnp.concatenate(
            [(p["embeddings"][ids] * keep[..., None]).sum(2), more @ p["context_W"]], -1
        )
        x = x * jax.random.bernoulli(k2, 1 - s.dropout, x.shape) / (1 - s.dropout)
        h = bidirectional_lstm(p, x, mask)
        h = h * jax.random.bernoulli(k3, 1 - s.dropout, h.shape) / (1 - s.dropout)
        scores = h @ p["out_W"] + p["out_b"]
        if s.context_output and context_width:
            k4 = jax.random.fold_in(k3, 1)
            kept = more * jax.random.bernoulli(k4, 1 - s.dropout, more.shape) / (1 - s.dropout)
            scores += kept @ p["context_out_W"]
        return scores

    def loss(p, ids, more, tags, mask, key):
        scores = emissions(p, ids, more, mask, key)
        batch = ids.shape[0]
        rows = jnp.arange(batch)
        gold = jnp.take_along_axis(scores, tags[..., None], 2)[..., 0]
        path = p["start"][tags[:, 0]] + gold[:, 0]
        path += ((gold[:, 1:] + p["transitions"][tags[:, :-1], tags[:, 1:]]) * mask[:, 1:]).sum(1)
        lengths = mask.sum(1).astype(jnp.int32)
        path += p["end"][tags[rows, lengths - 1]]

        def step(alpha, inputs):
            e, m = inputs
            nxt = jax.nn.logsumexp(alpha[:, :, None] + p["transitions"][None], axis=1) + e
            m = m[:, None]
            return m * nxt + (1 - m) * alpha, None

        alpha, _ = jax.lax.scan(
            step, p["start"] + scores[:, 0], (scores[:, 1:].transpose(1, 0, 2), mask[:, 1:].T)
        )
        return (jax.nn.logsumexp(alpha + p["end"], 1) - path).sum() / batch

    # The encoder's pre-trained weights move at their own rate and do not decay to zero.
    tuned = optax.adam(s.encoder_learning_rate) if s.encoder_learning_rate else optax.set_to_zero()
    optimizer = optax.chain(
        optax.clip_by_global_norm(5.0),
        optax.multi_transform(
            {"own": optax.adamw(s.learning_rate, weight_decay=s.weight_decay), "encoder": tuned},
            {k: "encoder" if k == "encoder" else "own" for k in params},
        ),
    )

    @jax.jit
    def update(params, average, state, ids, more, tags, mask, key):
        value, grads = jax.value_and_grad(loss)(params, ids, more, tags, mask, key)
        updates, state = optimizer.update(grads, state, params)
        params = optax.apply_updates(params, updates)
        average = jax.tree_util.tree_map(
            lambda a, b: s.average * a + (1 - s.average) * b, average, params
        )
        return params, average, state, value

    state = optimizer.init(params)
    # The average starts at zero and is divided by the weight it has gathered at the end
    # (as Adam corrects its moments), so a short training is not pulled to the start.
    average = jax.tree_util.tree_map(jnp.zeros_like, params)
    updates = 0
    rng = np.random.default_rng(s.seed)
    # Sentences of like length go together; lengths are padded to a multiple of 16 so few
    # shapes are compiled.
    order = np.argsort([len(tags) for _, tags, _ in encoded], kind="stable")
    groups = [order[i : i + s.batch] for i in range(0, len(order), s.batch)]
    for epoch in range(s.epochs):
        rng.shuffle(groups)
        total = 0.0
        for group in groups:
            steps = -(-max(len(encoded[i][1]) for i in group) // 16) * 16
            ids = np.zeros((len(group), steps, width), np.int32)
            more = np.zeros((len(group), steps, encoder_inputs[0].shape[1]), np.float32)
            tags = np.zeros((len(group), steps), np.int32)
            mask = np.zeros((len(group), steps), np.float32)
            for b, i in enumerate(group):
                x, y, m = encoded[i]
                ids[b, : len(y)], more[b, : len(y)] = x, m
                tags[b, : len(y)], mask[b, : len(y)] = y, 1.0
            key, subkey = jax.random.split(key)
            params, average, state, value = update(
                params, average, state, ids, more, tags, mask, subkey
            )
            total += float(value)
            updates += 1
        if log:
            log(f"LSTM epoch {epoch + 1}/{s.epochs}: loss {total / len(groups):.3f}")
    gathered = 1.0 - s.average**updates
    save(jax.tree_util.tree_map(lambda a: a / gathered, average), vocabulary, labels, model_path)


def save(params: dict, vocabulary: list[str], labels: list[str], model_path: Path) -> None:
    """Write the weights as float16 (half the size, the same tags) with the vocabulary; the
    encoder's tuned LSTM weights as ``encoder_fw_W`` and so on."""
    arrays = {
        "embeddings": params["embeddings"],
        **{f"{d}_{k}": params[d][k] for d in ("fw", "bw") for k in ("W", "U", "b")},
        **{f"encoder_{d}_{k}": w[k] for d, w in params["encoder"].items() for k in w},
        **{k: params[k] for k in ("out_W", "out_b", "transitions", "start", "end")},
    }
    for k in ("context_W", "context_out_W"):
        if params[k].shape[0]:
            arrays[k] = params[k]
    model_path.parent.mkdir(parents=True, exist_ok=True)
    with model_path.open("wb") as out:  # not compressed: inflating took 0.003 s of each start
        np.savez(
            out,
            **{k: np.asarray(v, np.float16) for k, v in arrays.items()},
            vocabulary=np.frombuffer("\n".join(vocabulary).encode("utf-8"), np.uint8),
            labels=np.frombuffer("\n".join(labels).encode("utf-8"), np.uint8),
        )
