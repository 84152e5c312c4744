"""A contextual encoder of sentences learnt from unlabelled news: two LSTM language models,
one reading a sentence forwards and one backwards, each trained to guess the next word (the
word before, for the backward one) from what it has read.

ANERcorp labels 125,000 words; the encoder reads millions of words of news, so its states say
what a word's context expects (a name after قال, a place after في) for words the labelled
text never showed. The entity tagger's BiLSTM reads those states beside its own features;
the encoder's LSTM weights are tuned with it, and its file holds them (``tuned``).
Each word comes in as the sum of learnt vectors of its own features (the tagger's: normalized
form, affixes, clusters, gazetteer marks). It runs here in numpy and ONNX Runtime
(``BidirectionalLstm``); training is in
``marsad.training.entity_encoder`` (JAX).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from marsad.enrich.entities.lstm import BidirectionalLstm, load_weights

# Its file's name: it lies beside the entity models whose LSTM reads it, the shipped ones too
# (docs/entities.md, "The news encoder under the LSTM").
ENCODER_FILE = "entities_encoder.npz"


@dataclass
class NewsEncoder:
    index: dict[str, int]  # feature → row of ``embeddings`` (0 is the unknown feature's)
    weights: dict[str, np.ndarray]
    dimensions: int  # of a feature's vector

    @classmethod
    def load(cls, path: Path, features: bool = True) -> NewsEncoder:
        """The encoder of a file; without ``features`` its feature vectors and their index
        stay on disk (a tagger with a lexicon reads them there: 0.04 s less at each start)."""
        with np.load(path) as data:
            skipped = {"vocabulary", "about"} | (set() if features else {"embeddings"})
            weights, dimensions = load_weights(data, skipped)
            vocabulary = bytes(data["vocabulary"]).decode("utf-8").split("\n") if features else []
        return cls({f: i + 1 for i, f in enumerate(vocabulary)}, weights, dimensions)

    def tuned(self, lstm_weights: dict[str, np.ndarray]) -> NewsEncoder:
        """This encoder with the LSTM weights the tagger's LSTM was trained with, where its
        file holds them (``encoder_fw_W`` and so on: ``entity_lstm`` tunes them; an LSTM
        trained on the pre-trained weights has none)."""
        prefix = "encoder_"
        for key in [k for k in lstm_weights if k.startswith(prefix)]:
            self.weights[key.removeprefix(prefix)] = lstm_weights[key]
        self.__dict__.pop("reader", None)  # read by the weights set here
        return self

    def release_features(self) -> tuple[dict[str, int], np.ndarray]:
        """Its feature index and vectors, which it no longer holds after: the tagger's sums
        keep a copy beside the LSTM's, and a tagging process need not hold two."""
        index, self.index = self.index, {}
        return index, self.weights.pop("embeddings")

    @property
    def width(self) -> int:
        """Numbers per word of ``states``: both directions' hidden states."""
        return 2 * self.weights["fw_U"].shape[0]

    @cached_property
    def reader(self) -> BidirectionalLstm:
        return BidirectionalLstm(self.weights)

    def states(self, x: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """[batch, steps, width] from the inputs [batch, steps, dimensions]."""
        return self.reader(x, lengths)
