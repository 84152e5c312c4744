"""The tagger's table of frequent news words: what each word gives the CRF and the BiLSTM
(``FeatureSums`` blocks), worked out once for the models it sits beside.

A tagging process meets most words for the first time: it builds each one's sixty-odd
feature strings and sums their rows. On a fresh ``marsad tag`` of 25,000 tokens that was a
third of the time. The table holds those sums for the LEXICON_WORDS most frequent words of
the news the word clusters were learnt from, so a new process looks them up instead. They
are the sums the tagger works out itself, to the bit: the same ``FeatureSums`` code made
them, and a word's sum does not depend on what is summed beside it.

The same file holds the LSTM's and the encoder's feature vectors side by side, which a
tagger otherwise builds at start (``own_feature_sums``: 42 MB of fresh memory).

The table is built by ``marsad lexicon`` (``make install`` runs it) into the cache folder,
named by the stat of everything it is made from: the models, the word clusters, the shipped
lists and the feature code. A table that does not match is not read; the tagger then works
every word out itself, with the same tags.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from marsad.arabic import match_key
from marsad.cache import cache_folder, prune_cache
from marsad.enrich.entities.decoding import crf_tables_path
from marsad.enrich.entities.feature_sums import FeatureSums
from marsad.enrich.entities.features import (
    WordClusters,
    featured_as_normalized,
    prime_name_shapes,
    word_features,
    word_shape,
)
from marsad.enrich.entities.lstm import LSTM_PATH
from marsad.enrich.entities.name_shapes import NAME_SHAPES_FILE
from marsad.enrich.entities.news_encoder import ENCODER_FILE
from marsad.enrich.gazetteer import Gazetteer, gazetteer, without_proclitics, word_key
from marsad.enrich.name_lists import clubs, organisations
from marsad.limits import FEATURE_STRINGS_CACHE
from marsad.shipped import DATA

# Words in the table: they cover 93 % of the Arabic words (85 % of the distinct ones) of
# ANERcorp's last 25,000 tokens, for 35 MB read on demand (memory-mapped; 77 MB with the
# LSTM's feature vectors).
LEXICON_WORDS = 50_000
# Lexicons kept in the cache folder (79 MB each): this checkout's models and one other.
LEXICONS_KEPT = 2
# Words summed at a time while building (their feature strings are held until summed).
_BUILD_CHUNK = 4096
_FORMAT = "3"
# A word outside the table may start a name in any list: its readings are tried.
_ANY_LIST = 0xFF
# The code a word's features and sums come from.
_SOURCES = (
    Path(__file__).parent,
    Path(__file__).parents[1] / "gazetteer.py",
    Path(__file__).parents[1] / "name_lists.py",
    Path(__file__).parents[2] / "arabic.py",
    Path(__file__).parents[2] / "shipped.py",
    DATA,
)


def _inputs(model_path: Path, clusters_path: Path) -> list[Path]:
    """Every file the table is made from: the entity models beside ``model_path`` (CRF, its
    tables, LSTM, encoder), the word clusters and the name shapes beside them, the shipped
    lists and the feature code."""
    models = [
        model_path,
        crf_tables_path(model_path),
        model_path.with_name(LSTM_PATH.name),
        model_path.with_name(ENCODER_FILE),
    ]
    code = [f for s in _SOURCES for f in (sorted(s.glob("*")) if s.is_dir() else [s])]
    shapes = clusters_path.with_name(NAME_SHAPES_FILE)
    return [*models, clusters_path, shapes, *(f for f in code if f.is_file())]


def lexicon_path(model_path: Path, clusters_path: Path) -> Path:
    """The table's file for these models: named by the size and modification time of every
    file it is made from (a rewrite of any of them names another file), NumPy's and Babel's
    versions."""
    import babel  # the gazetteer's country names, so which words start a place

    versions = f"{_FORMAT} {LEXICON_WORDS} {np.__version__} {babel.__version__}"
    digest = hashlib.sha256(versions.encode())
    for path in _inputs(model_path, clusters_path):
        stat = path.stat() if path.is_file() else None
        digest.update(f"\n{path.name} {stat and stat.st_size} {stat and stat.st_mtime_ns}".encode())
    return cache_folder() / f"lexicon-{digest.hexdigest()[:16]}.npy"


def lexicon_built(path: Path) -> bool:
    """Whether the table at ``path`` (``lexicon_path``) is whole: its blocks and its words."""
    return path.is_file() and path.with_suffix(".npz").is_file()


def lexicon_words(clusters: WordClusters, count: int = LEXICON_WORDS) -> list[str]:
    """The ``count`` most frequent words of the clusters' vocabulary that a word of text
    reads as: normalized already, a word (not digits or Latin), with a clitic-free key."""
    words = []
    for word in clusters.index:  # in order of frequency
        if match_key(word) == word and word_shape(word) == "word" and without_proclitics(word):
            words.append(word)
            if len(words) == count:
                break
    return words


class Lexicon:
    """The blocks of the table's words (``FeatureSums._blocks``): the CRF's [words, 1 +
    offsets, labels] and the LSTM's [words, 1, dimensions]; and the LSTM's feature sums
    (``features``); all views of one memory-mapped array. Its words are found by their place
    in the word clusters' vocabulary (``positions``), whose index the tagger builds anyway:
    a second index of the table's own words took 0.01 s of each start."""

    def __init__(
        self,
        positions: np.ndarray,
        blocks: np.ndarray,
        clusters: WordClusters,
        crf_shape: tuple[int, int],
        starts: np.ndarray,
        features: FeatureSums,
    ):
        size = len(positions)
        crf_width = crf_shape[0] * crf_shape[1]
        self.crf = blocks[:, :crf_width].reshape(size, *crf_shape)
        self.lstm = blocks[:, crf_width:].reshape(size, 1, -1)
        self.clusters = clusters
        # By place in the clusters' vocabulary: the word's row here (-1 for none), and the
        # bits of the name lists (``name_lists``) it may start a name in.
        rows = np.full(len(clusters.index), -1, np.int64)
        rows[positions] = np.arange(size)
        self.rows: list[int] = rows.tolist()
        marks = np.full(len(clusters.index), _ANY_LIST, np.uint8)
        marks[positions] = starts
        self.starts: list[int] = marks.tolist()
        # The LSTM's and the encoder's feature vectors side by side (``own_feature_sums``),
        # read from the file as well: building them at start wrote 42 MB of fresh memory,
        # which after an idle spell cost a new process 0.4 s.
        self.features = features
        # Words' entries once looked up (as ``word_features`` keeps its strings), up to
        # FEATURE_STRINGS_CACHE of them.
        self._entries: dict[str, tuple[tuple, int]] = {}

    def word(self, word: str) -> tuple[tuple, int]:
        """``word_features`` of a word of text and its row in the table (-1 where it has
        none). A word in the table gets only its normalized form and key: its sums are read,
        so its feature strings are never built (``crf_rows`` cannot be written from them)."""
        entry = self._entries.get(word)
        if entry is None:
            self.look_up([word])
            entry = self._entries[word]
        return entry

    def look_up(self, words: Iterable[str]) -> None:
        """Find many words at once: those the table lacks have their features built, with
        their name shapes worked out together (``prime_name_shapes``): one at a time, they
        took 0.028 s of tagging 25,000 tokens."""
        words = list(dict.fromkeys(words))
        new = [w for w in words if w not in self._entries]
        if len(self._entries) + len(new) > FEATURE_STRINGS_CACHE:
            # Start again, with the words asked about (the caller reads them next).
            self._entries.clear()
            new = words
        lacking = []
        for word in new:
            normal = match_key(word)
            at = self.clusters.index.get(normal) if normal else None
            row = -1 if at is None else self.rows[at]
            if row >= 0 and featured_as_normalized(word):
                self._entries[word] = (normal, word_key(word), None, None), row
            else:
                lacking.append(word)
        prime_name_shapes(lacking, self.clusters)
        for word in lacking:
            self._entries[word] = word_features(word, self.clusters), -1

    def prime_name_lists(self) -> None:
        """Let the place, organisation and club lists read from the table which of its words
        start no name there: they do not try every reading of each the first time it comes."""
        for bit, names in enumerate(name_lists()):
            names.read_starts_from(self.clusters.index, self.starts, bit)

    @classmethod
    def load(
        cls, path: Path, clusters: WordClusters, crf_shape: tuple[int, int], lstm_width: int
    ) -> Lexicon | None:
        """The table at ``path``, memory-mapped; None where there is none, or where it is
        damaged or not of these models' widths (with a warning: ``marsad lexicon`` then
        writes it anew)."""
        if not lexicon_built(path):
            return None
        width = crf_shape[0] * crf_shape[1] + lstm_width
        try:
            with np.load(path.with_suffix(".npz")) as data:
                positions, starts = data["positions"], data["starts"]
                features = data["features"].tobytes().decode("utf-8").split("\n")
            # One file: the words' blocks, then the feature vectors (row 0 the unknown's).
            values = np.load(path, mmap_mode="r")
            split = len(positions) * width
            blocks = values[:split].reshape(len(positions), width)
            vectors = values[split:].reshape(len(features) + 1, lstm_width)
            if len(starts) != len(positions):
                raise ValueError(f"{len(starts)} name marks for {len(positions)} words")
            if len(positions) and positions.max() >= len(clusters.index):
                raise ValueError("words beyond the word clusters' vocabulary")
        except (OSError, ValueError, KeyError, EOFError, UnicodeDecodeError) as error:
            warnings.warn(f"lexicon {path} not read: {error}", stacklevel=2)
            return None
        rows = dict(zip(features, range(1, len(features) + 1), strict=True))
        sums = FeatureSums(rows, vectors, neighbours=False, padded=True)
        return cls(positions, blocks, clusters, crf_shape, starts, sums)


def name_lists() -> tuple[Gazetteer, Gazetteer, Gazetteer]:
    """The lists a sentence's words are looked up in (``sentence_marks``), in the order of
    the bits of the table's ``starts``."""
    return gazetteer(), organisations(), clubs()


def build_lexicon(tagger, path: Path, count: int = LEXICON_WORDS) -> int:
    """Work out the table of ``tagger``'s models (an ``EntityTagger`` with its LSTM) and
    write it to ``path`` (and its words beside it); returns how many words it holds."""
    words = lexicon_words(tagger.clusters, count)
    if not words:  # models trained without word clusters: no vocabulary to take
        return 0
    crf_width = int(np.prod(tagger.crf_sums.block_shape))
    blocks = np.empty((len(words), crf_width + tagger.lstm_sums.vectors.shape[1]), np.float32)
    for start in range(0, len(words), _BUILD_CHUNK):
        infos = [word_features(w, tagger.clusters) for w in words[start : start + _BUILD_CHUNK]]
        end = start + len(infos)
        blocks[start:end, :crf_width] = np.stack(tagger.crf_sums.summed(infos)).reshape(
            len(infos), -1
        )
        blocks[start:end, crf_width:] = np.stack(tagger.lstm_sums.summed(infos))[:, 0]
    lists = name_lists()
    starts = [sum(names.starts_a_name(w) << bit for bit, names in enumerate(lists)) for w in words]
    features = sorted(tagger.lstm_sums.index, key=tagger.lstm_sums.index.__getitem__)
    if [tagger.lstm_sums.index[f] for f in features] != list(range(1, len(features) + 1)):
        raise ValueError("the LSTM's feature rows are not 1, 2, 3 …: not a table to keep")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Words first, then the values: the table is read only where both are whole.
    _write_atomically(
        path.with_suffix(".npz"),
        np.savez,
        positions=np.array([tagger.clusters.index[w] for w in words], np.int32),
        starts=np.uint8(starts),
        features=_utf8("\n".join(features)),
    )
    values = np.concatenate([blocks.ravel(), tagger.lstm_sums.vectors.ravel()])
    _write_atomically(path, np.save, values)
    for kind in ("npy", "npz"):
        prune_cache(f"lexicon-*.{kind}", LEXICONS_KEPT)
    return len(words)


def _utf8(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8"), np.uint8)


def _write_atomically(path: Path, save, *args, **arrays) -> None:
    """``save`` (``np.save``, ``np.savez``) into a file that takes ``path``'s name when whole,
    readable by all who may read the cache folder."""
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=path.suffix, delete=False) as out:
        save(out, *args, **arrays)
    os.chmod(out.name, 0o644)
    os.replace(out.name, path)
