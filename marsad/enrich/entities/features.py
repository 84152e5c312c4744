"""What the CRF and the LSTM know of a word: the normalized word, its stem, clitics and
affixes, gazetteer marks, trigger words, name bands, how much its letters look like a foreign
name (``name_shapes``) and word clusters learnt from unlabelled news, each in a window of two
words either side. Training is in ``marsad.training.entities``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import regex

from marsad.arabic import light_stem, match_key, strip_proclitics, unmarked
from marsad.enrich.entities.feature_sums import PLACE_MARK_IDS, FeatureSums, SentenceMarks
from marsad.enrich.entities.name_shapes import NAME_SHAPES_FILE, NameShapes
from marsad.enrich.gazetteer import Gazetteer, word_key
from marsad.enrich.name_lists import clubs, foreign_names, organisations, person_names
from marsad.limits import FEATURE_STRINGS_CACHE
from marsad.shipped import DATA, MODELS, shipped_rows

if TYPE_CHECKING:
    from marsad.enrich.entities.lexicon import Lexicon

CLUSTERS_PATH = MODELS / "word_clusters.npz"
# Granularities of the word clusters, and those also given for the neighbouring words.
CLUSTER_SIZES = (16, 64, 128, 512, 2048)
NEIGHBOUR_CLUSTERS = (64, 2048)
_LATIN_RE = regex.compile(r"[A-Za-z]")

# Words just before or inside names (marsad/data/entity_triggers.csv): titles before people,
# heads of organisations, place words.
TRIGGERS_PATH = DATA / "entity_triggers.csv"


@cache
def triggers() -> dict[str, str]:
    """Trigger word key → per, org or loc."""
    return {word_key(word): kind for kind, word in shipped_rows(TRIGGERS_PATH, "kind", "word")}


class WordClusters:
    """Cluster ids of words (k-means over word vectors) at several granularities; and the
    name-shape models learnt from the same vocabulary (``name_shapes``), kept beside them."""

    def __init__(
        self,
        vocabulary: list[str],
        levels: dict[int, np.ndarray],
        name_shapes: NameShapes | None = None,
    ):
        self.index = {w: i for i, w in enumerate(vocabulary)}
        self.levels = levels
        # A word's ids at every granularity in one row: one lookup a word, not one a level.
        self._rows = np.stack(list(levels.values()), axis=1) if levels else None
        self.name_shapes = name_shapes
        if name_shapes is not None:
            name_shapes.read_vocabulary(self.index)

    @classmethod
    def load(cls, path: Path = CLUSTERS_PATH) -> WordClusters:
        path = Path(path)
        shapes = NameShapes.load(path.with_name(NAME_SHAPES_FILE))
        if not path.is_file():
            return cls([], {}, shapes)
        with np.load(path, allow_pickle=False) as archive:
            levels = {int(k[1:]): archive[k] for k in archive.files if k.startswith("k")}
            vocabulary = archive["vocabulary"]
        # The words as one UTF-8 text, a line each (read in about a third of the time an
        # array of strings takes); files written before hold such an array.
        if vocabulary.dtype == np.uint8:
            text = vocabulary.tobytes().decode("utf-8")
            return cls(text.split("\n") if text else [], levels, shapes)
        return cls(vocabulary.tolist(), levels, shapes)

    def save(self, path: Path) -> None:
        words = sorted(self.index, key=self.index.__getitem__)
        levels = {f"k{k}": ids for k, ids in self.levels.items()}
        text = np.frombuffer("\n".join(words).encode("utf-8"), np.uint8)
        # Not compressed: every tagging process reads it, and inflating it took 0.008 s.
        np.savez(path, vocabulary=text, **levels)

    def most_frequent(self, count: int) -> set[str]:
        """The ``count`` most frequent words of the news the clusters were learnt from (the
        vocabulary is kept in order of frequency)."""
        return {w for w, i in self.index.items() if i < count}

    def of(self, word: str) -> dict[int, str]:
        """Cluster id of ``word`` at each granularity ('-' for a word without a vector)."""
        i = self.index.get(word)
        if i is None or self._rows is None:
            return dict.fromkeys(self.levels, "-")
        return dict(zip(self.levels, map(str, self._rows[i].tolist()), strict=True))


def word_shape(token: str) -> str:
    if token.isdigit():
        return "digit"
    if _LATIN_RE.search(token):
        return "latin"
    if not any(ch.isalnum() for ch in token):
        return "punct"
    return "word"


_OFFSETS = (-2, -1, 1, 2)
# Features the CRF reads and the LSTM and the news encoder do not: with the name shapes read
# by the LSTM as well, cross-validation scored 0.8279, against 0.8303 read by the CRF alone
# (docs/entities.md, "Name shapes"); على told from علي (``am``) came after the LSTM's training.
CRF_ONLY = ("nl=", "am=")


def lstm_features(own: tuple[str, ...]) -> tuple[str, ...]:
    """A word's own features less those only the CRF reads (``CRF_ONLY``)."""
    return tuple(f for f in own if not f.startswith(CRF_ONLY))


def _ends_in_maqsura(word: str) -> bool:
    """Whether a word is written ending in alef maqsura: normalization folds it into ya, so
    the preposition على (1,446 times in ANERcorp, once in a name) meets the name علي (43 of
    its 276)."""
    return unmarked(word).endswith("ى")


def featured_as_normalized(word: str) -> bool:
    """Whether a word's features are those of its normalized form, as a table of normalized
    words holds them (``Lexicon``): a word, not a figure, a mark or Latin, and not written
    with alef maqsura, which the CRF tells from ya (``am``)."""
    return word_shape(word) == "word" and not _ends_in_maqsura(word)


# Bands of how many people bear a name: the most common ones are surely names, the rarer
# ones are often also ordinary words.
_NAME_BANDS = (50, 5, 1)


def _name_bands(norm: str, bare: str) -> tuple[str, str]:
    """Band of the word as a given name and as a surname ('-' where it is neither), the
    better of the word as written and without its proclitics (وأحمد is و + أحمد)."""
    names = person_names()
    given, surname = names.get(norm, (0, 0))
    bare_given, bare_surname = names.get(bare, (0, 0))
    return _name_band(max(given, bare_given)), _name_band(max(surname, bare_surname))


def _name_band(people: int) -> str:
    for band, least in enumerate(_NAME_BANDS):
        if people >= least:
            return str(band)
    return "-"


def name_shape_forms(word: str) -> tuple[str, ...]:
    """The forms of a word its name-shape band is the best of: normalized, and without its
    proclitics (وبلير is و + بلير); none for a figure, a mark or Latin."""
    if word_shape(word) != "word":
        return ()
    norm = match_key(word) or word
    return norm, strip_proclitics(norm)


def prime_name_shapes(words: Iterable[str], clusters: WordClusters) -> None:
    """Work out together the name shapes of the words whose features are to be built
    (``NameShapes.prime``), rather than one word at a time."""
    if clusters.name_shapes is not None:
        clusters.name_shapes.prime(f for w in words for f in name_shape_forms(w))


@lru_cache(maxsize=FEATURE_STRINGS_CACHE)  # news vocabulary repeats: built once while frequent
def word_features(
    word: str, clusters: WordClusters
) -> tuple[str, str, tuple[str, ...], dict[int, tuple[str, ...]]]:
    """A word's normalized form and key, the features it gives itself, and those it gives
    each neighbour (by offset); all but the gazetteer's, which depend on the sentence."""
    normal = match_key(word)
    norm, key = normal or word, word_key(word) or word
    bare = strip_proclitics(norm)
    shape, trigger, cluster = word_shape(word), triggers().get(key, "-"), clusters.of(norm)
    first, last = _name_bands(norm, bare)
    foreign = "1" if not foreign_names().isdisjoint((norm, bare)) else "-"
    shapes, forms = clusters.name_shapes, name_shape_forms(word)
    looks_foreign = shapes.band(*forms) if shapes is not None and forms else "-"
    own = (
        "bias",
        f"w={norm}",
        f"k={key}",
        f"st={light_stem(norm)}",
        f"pc={norm[: len(norm) - len(bare)]}",
        f"p2={bare[:2]}",
        f"p3={bare[:3]}",
        f"s2={norm[-2:]}",
        f"s3={norm[-3:]}",
        f"sh={shape}",
        f"len={min(len(bare), 8)}",
        f"tr={trigger}",
        f"fn={first}",
        f"ln={last}",
        f"xn={foreign}",
        f"nl={looks_foreign}",
        *((f"am={norm}",) if _ends_in_maqsura(word) else ()),
        *(f"c{k}={c}" for k, c in cluster.items()),
    )
    near = [(k, c) for k, c in cluster.items() if k in NEIGHBOUR_CLUSTERS]
    for_neighbours = {}
    for offset in _OFFSETS:
        given = [
            f"{offset}w={norm}",
            f"{offset}k={key}",
            f"{offset}tr={trigger}",
            f"{offset}sh={shape}",
        ]
        if offset in (-1, 1):
            given += (
                f"{offset}fn={first}",
                f"{offset}ln={last}",
                f"{offset}xn={foreign}",
                f"{offset}nl={looks_foreign}",
            )
        given += [f"{offset}c{k}={c}" for k, c in near]
        for_neighbours[offset] = tuple(given)
    return norm, key, own, for_neighbours


def sentence_features(words: list[str], gaz: Gazetteer, clusters: WordClusters) -> list[list[str]]:
    """CRFsuite feature strings for each word of a sentence."""
    return sentence_rows(words, gaz, clusters)[1]


def _longest_first(found: tuple[int, int, object]) -> tuple[int, int]:
    return found[0] - found[1], found[0]


def sentence_marks(
    words: list[str], gaz: Gazetteer, clusters: WordClusters, lexicon: Lexicon | None = None
) -> SentenceMarks:
    """Each word's own features and its gazetteer and organisation marks; with a
    ``lexicon``, the words it holds get their row in it instead of their feature strings."""
    if lexicon is None:
        info, rows = [word_features(w, clusters) for w in words], None
    else:
        found = [lexicon.word(w) for w in words]
        info, rows = [i for i, _ in found], [r for _, r in found]
    # Names are found among the normalized words (the gazetteer tries each clitic reading).
    normal = [norm for norm, _, _, _ in info]
    places = ["O"] * len(words)
    place_ids = np.zeros(len(words), np.int64)
    found_places = gaz.find(normal)
    for start, end, place in found_places:
        places[start] = f"B-{place.kind}"
        for i in range(start + 1, end):
            places[i] = f"I-{place.kind}"
        place_ids[start:end] = [PLACE_MARK_IDS[m] for m in places[start:end]]
    known_organisations = ["O"] * len(words)
    organisation_ids = np.zeros(len(words), np.int64)
    found_organisations = organisations().find(normal)
    found_clubs = clubs().find(normal)
    # Clubs the curated list lacks mark the words too, but give no country: only the curated
    # organisations go on to country attribution.
    for start, end, _ in sorted(found_organisations + found_clubs, key=_longest_first):
        if any(mark != "O" for mark in known_organisations[start:end]):
            continue
        known_organisations[start:end] = ["B"] + ["I"] * (end - start - 1)
        organisation_ids[start:end] = [1] + [2] * (end - start - 1)  # B, I
    return SentenceMarks(
        words,
        info,
        places,
        known_organisations,
        found_places,
        found_organisations,
        place_ids,
        organisation_ids,
        rows,
        found_clubs,
    )


def sentence_rows(
    words: list[str], gaz: Gazetteer, clusters: WordClusters
) -> tuple[list[list[str]], list[list[str]]]:
    """Each word's own feature strings (the BiLSTM's input) and its CRFsuite row (its own,
    then its neighbours' and the word pairs)."""
    return crf_rows(sentence_marks(words, gaz, clusters))


def crf_rows(marks: SentenceMarks) -> tuple[list[list[str]], list[list[str]]]:
    words = marks.words
    info, places, known_organisations = marks.info, marks.places, marks.organisations
    features, own_rows = [], []
    for i, (norm, _, own, _) in enumerate(info):
        row = [*own, f"gz={places[i]}", f"og={known_organisations[i]}"]
        own_rows.append(list(lstm_features(row)))
        for offset in _OFFSETS:
            j = i + offset
            if 0 <= j < len(words):
                row += info[j][3][offset]
                row.append(f"{offset}gz={places[j]}")
                if offset in (-1, 1):
                    row.append(f"{offset}og={known_organisations[j]}")
            else:
                row.append(f"{offset}w={'BOS' if j < 0 else 'EOS'}")
        if i > 0:
            row.append(f"w-1|w={info[i - 1][0]}|{norm}")
        if i + 1 < len(words):
            row.append(f"w|w+1={norm}|{info[i + 1][0]}")
        features.append(row)
    return own_rows, features


def own_feature_sums(*models: tuple[dict[str, int], np.ndarray]) -> FeatureSums:
    """Sums of a word's own features' rows of each model's embeddings (``index`` maps a
    feature to its row; row 0 is the unknown feature's), the models' side by side: a word's
    features are looked up once for all of them. A feature one model lacks adds zeros to
    its columns, so each model's sums are those it would get alone, to the bit."""
    # The rows in the order the features come (a sort of 80,000 strings cost 0.03 s a start).
    # Row 0 of the sums' vectors is the unknown feature's.
    features = dict.fromkeys(chain(*(i for i, _ in models)))
    rows = {f: row for row, f in enumerate(features, start=1)}
    vectors = np.zeros((len(rows) + 1, sum(e.shape[1] for _, e in models)), np.float32)
    column = 0
    for index, embeddings in models:
        width = embeddings.shape[1]
        vectors[[rows[f] for f in index], column : column + width] = embeddings[
            list(index.values())
        ]
        column += width
    return FeatureSums(rows, vectors, neighbours=False, padded=True)
