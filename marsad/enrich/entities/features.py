"""Named entities (PER, ORG, LOC) in Arabic news text, linked to ids and countries.

The recognizer is a linear-chain CRF (CRFsuite) over features built for Arabic: the
normalized word, its light stem and clitic-free key, its proclitics, prefixes and suffixes,
gazetteer membership (``marsad.enrich.gazetteer``), trigger words (titles, organisation heads,
place words), and word clusters learnt from unlabelled news, each in a window of two words
either side. Training is in ``marsad.training.entities``.

Countries per text come from the gazetteer (names, demonyms, cities, institutions), with
the entity tags to tell a city from a person of the same spelling.
"""

from __future__ import annotations

import contextlib
import csv
import os
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import regex

from marsad.arabic import light_stem, match_key, readings, strip_proclitics
from marsad.enrich.entity_encoder import ENCODER_FILE, NewsEncoder
from marsad.enrich.entity_lstm import LSTM_PATH, LstmTagger
from marsad.enrich.feature_sums import PLACE_MARK_IDS, FeatureSums, SentenceMarks
from marsad.enrich.gazetteer import (
    AMBIGUOUS_NAMES,
    EVERYDAY_WORD_PLACES,
    SUPRANATIONAL,
    Gazetteer,
    Place,
    cache_folder,
    gazetteer,
    name_key,
    organisations,
    person_names,
    prune_cache,
    without_proclitics,
    word_key,
)
from marsad.ids import stable_id
from marsad.limits import FEATURE_STRINGS_CACHE, WORD_CACHE
from marsad.shipped import DATA, MODELS

MODEL_PATH = MODELS / "entities.crfsuite"
CLUSTERS_PATH = MODELS / "word_clusters.npz"
ENTITY_TYPES = ("PER", "ORG", "LOC")
# Granularities of the word clusters, and those also given for the neighbouring words.
CLUSTER_SIZES = (16, 64, 128, 512, 2048)
NEIGHBOUR_CLUSTERS = (64, 2048)

# Decimal numbers stay whole (6.3 is one word): a full stop inside one must not end the
# sentence the tagger reads. A social-media handle (@The_Persona) is an address, not
# words of the text: it is matched whole and left out (``tokenize``). Other words
# start with a letter or digit: a hashtag's underscores part its words
# (#هاري_وميغان_في_المغرب) and an emoji's variation selector (▶️مصر) is no part of the word
# after it.
_TOKEN_RE = regex.compile(
    r"(?<![\p{L}\p{N}])@[\p{L}\p{M}\p{N}_]+|\p{N}+(?:[.,٫]\p{N}+)+|[\p{L}\p{N}][\p{L}\p{M}\p{N}]*"
    r"|[^\s\p{L}\p{M}\p{N}_]"
)
_LATIN_RE = regex.compile(r"[A-Za-z]")

# Words just before or inside names (marsad/data/entity_triggers.csv): titles before people,
# heads of organisations, place words.
TRIGGERS_PATH = DATA / "entity_triggers.csv"


@cache
def triggers() -> dict[str, str]:
    """Trigger word key → per, org or loc."""
    with TRIGGERS_PATH.open(encoding="utf-8") as rows:
        return {word_key(r["word"]): r["kind"] for r in csv.DictReader(rows)}


class Token(NamedTuple):  # a tuple: made for every word of every text
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Words and punctuation marks with their character offsets (social-media handles left
    out)."""
    return [
        Token(word, m.start(), m.end())
        for m in _TOKEN_RE.finditer(text)
        if (word := m.group())[0] != "@" or len(word) == 1
    ]


SENTENCE_ENDS = frozenset((".", "؟", "!", "?"))


def sentence_bounds(tokens: list[Token]) -> list[tuple[int, int]]:
    """(first, past last) token of each sentence: sentences end at full stops, question and
    exclamation marks, as the models' training text does."""
    bounds, start = [], 0
    for i, token in enumerate(tokens):
        if token.text in SENTENCE_ENDS or i == len(tokens) - 1:
            bounds.append((start, i + 1))
            start = i + 1
    return bounds


class WordClusters:
    """Cluster ids of words (k-means over word vectors) at several granularities."""

    def __init__(self, vocabulary: list[str], levels: dict[int, np.ndarray]):
        self.index = {w: i for i, w in enumerate(vocabulary)}
        self.levels = levels

    @classmethod
    def load(cls, path: Path = CLUSTERS_PATH) -> WordClusters:
        if not Path(path).is_file():
            return cls([], {})
        with np.load(path, allow_pickle=False) as archive:
            levels = {int(k[1:]): archive[k] for k in archive.files if k.startswith("k")}
            return cls(archive["vocabulary"].tolist(), levels)

    def save(self, path: Path) -> None:
        words = sorted(self.index, key=self.index.__getitem__)
        levels = {f"k{k}": ids for k, ids in self.levels.items()}
        np.savez_compressed(path, vocabulary=np.array(words, dtype=str), **levels)

    def of(self, word: str) -> dict[int, str]:
        """Cluster id of ``word`` at each granularity ('-' for a word without a vector)."""
        i = self.index.get(word)
        return {k: "-" if i is None else str(ids[i]) for k, ids in self.levels.items()}


def _shape(token: str) -> str:
    if token.isdigit():
        return "digit"
    if _LATIN_RE.search(token):
        return "latin"
    if not any(ch.isalnum() for ch in token):
        return "punct"
    return "word"


_OFFSETS = (-2, -1, 1, 2)
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


@lru_cache(maxsize=FEATURE_STRINGS_CACHE)  # news vocabulary repeats: built once while frequent
def _word_features(
    word: str, clusters: WordClusters
) -> tuple[str, str, tuple[str, ...], dict[int, tuple[str, ...]]]:
    """A word's normalized form and key, the features it gives itself, and those it gives
    each neighbour (by offset); all but the gazetteer's, which depend on the sentence."""
    normal = match_key(word)
    norm, key = normal or word, without_proclitics(normal) or word
    bare = strip_proclitics(norm)
    shape, trigger, cluster = _shape(word), triggers().get(key, "-"), clusters.of(norm)
    first, last = _name_bands(norm, bare)
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
        *(f"c{k}={c}" for k, c in cluster.items()),
    )
    for_neighbours = {
        offset: (
            f"{offset}w={norm}",
            f"{offset}k={key}",
            f"{offset}tr={trigger}",
            f"{offset}sh={shape}",
            *((f"{offset}fn={first}", f"{offset}ln={last}") if offset in (-1, 1) else ()),
            *(f"{offset}c{k}={c}" for k, c in cluster.items() if k in NEIGHBOUR_CLUSTERS),
        )
        for offset in _OFFSETS
    }
    return norm, key, own, for_neighbours


def sentence_features(words: list[str], gaz: Gazetteer, clusters: WordClusters) -> list[list[str]]:
    """CRFsuite feature strings for each word of a sentence."""
    return sentence_rows(words, gaz, clusters)[1]


def sentence_marks(words: list[str], gaz: Gazetteer, clusters: WordClusters) -> SentenceMarks:
    """Each word's own features and its gazetteer and organisation marks."""
    info = [_word_features(w, clusters) for w in words]
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
    for start, end, _ in found_organisations:
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
    )


def sentence_rows(
    words: list[str], gaz: Gazetteer, clusters: WordClusters
) -> tuple[list[list[str]], list[list[str]]]:
    """Each word's own feature strings (the BiLSTM's input) and its CRFsuite row (its own,
    then its neighbours' and the word pairs)."""
    return _rows(sentence_marks(words, gaz, clusters))


def _rows(marks: SentenceMarks) -> tuple[list[list[str]], list[list[str]]]:
    words = marks.words
    info, places, known_organisations = marks.info, marks.places, marks.organisations
    features, own_rows = [], []
    for i, (norm, _, own, _) in enumerate(info):
        row = [*own, f"gz={places[i]}", f"og={known_organisations[i]}"]
        own_rows.append(row[:])
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


def spans_of(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end exclusive, type) of the entities in IOB2 tags; a stray I- starts one."""
    spans, start, kind = [], None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        if start is not None and (prefix != "I" or label != kind):
            spans.append((start, i, kind))
            start, kind = None, None
        if prefix == "B" or (prefix == "I" and start is None and label):
            start, kind = i, label
    return spans


def best_tags(probabilities: np.ndarray, labels: list[str]) -> list[str]:
    """The likeliest IOB2 sequence under per-word label probabilities [words, labels] in
    which every I-X follows a B-X or an I-X."""
    return best_tags_many([probabilities], labels)[0]


def best_tags_many(probabilities: list[np.ndarray], labels: list[str]) -> list[list[str]]:
    """``best_tags`` of many sentences."""
    scores = [np.log(np.clip(p, 1e-12, 1.0)) for p in probabilities]
    none = np.zeros(len(labels))
    return best_paths(scores, labels, np.zeros((len(labels), len(labels))), none, none)


def best_paths(
    scores: list[np.ndarray],
    labels: list[str],
    transitions: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
) -> list[list[str]]:
    """The best-scoring valid IOB2 sequence of each sentence (Viterbi) under label scores
    [words, labels] and a linear chain's transition [from, to], start and end scores; an I-X
    only after a B-X or an I-X. Sentences of one length are decoded together."""
    barred = np.array(
        [
            [0.0 if not b.startswith("I-") or a[2:] == b[2:] else -np.inf for b in labels]
            for a in labels
        ]
    )
    moves = transitions + barred
    opening = start + np.array([-np.inf if y.startswith("I-") else 0.0 for y in labels])
    by_length: dict[int, list[int]] = {}
    for i, p in enumerate(scores):
        by_length.setdefault(len(p), []).append(i)
    found: list[list[str]] = [[] for _ in scores]
    for length, members in by_length.items():
        if length == 0:
            continue
        stacked = np.stack([scores[i] for i in members])
        best = stacked[:, 0] + opening
        back = []
        for t in range(1, length):
            paths = best[:, :, None] + moves  # [sentences, from, to]
            back.append(paths.argmax(axis=1))
            best = paths.max(axis=1) + stacked[:, t]
        best = best + end
        path = [best.argmax(axis=1)]
        for pointers in reversed(back):
            path.append(pointers[np.arange(len(members)), path[-1]])
        path = np.stack(path[::-1], axis=1)
        for row, i in zip(path, members, strict=True):
            found[i] = [labels[k] for k in row]
    return found


# Shortest bare form of a word by which a name is matched again in its text: shorter
# forms are function words (بان read as ب + ان would meet every أن).
_NAME_FORM_LETTERS = 3
# The most letters ``readings`` takes off a word's front: two proclitics and the article.
_FRONT_LETTERS = 4


@lru_cache(maxsize=WORD_CACHE)  # news names repeat from text to text
def _name_forms(word: str) -> frozenset[tuple[str, bool]]:
    """The readings of a normalized word long enough to stand for a name."""
    return frozenset(r for r in readings(word) if len(r[0]) >= _NAME_FORM_LETTERS)


def consistent_tags(normal: list[str], tags: list[str]) -> list[str]:
    """One reading of a name throughout a text: a run of words the models left untagged that
    spells a name they tagged elsewhere in the same text takes that name's type (فينغر
    tagged once and missed twice), and a person's surname alone is that person (ديمورا after
    ألفريد ديمورا). A name tagged with two types, or a surname that is also another entity,
    is left as tagged. ``normal`` are the text's normalized words, ``tags`` their IOB2 tags."""
    names: dict[tuple[frozenset, tuple[str, ...]], set[str]] = {}
    for start, end, kind in spans_of(tags):
        if kind not in ENTITY_TYPES:
            continue
        first = _name_forms(normal[start])
        if first:
            names.setdefault((first, tuple(normal[start + 1 : end])), set()).add(kind)
        if kind == "PER" and (surname := _surname(normal, start, end)):
            names.setdefault((surname, ()), set()).add(kind)
    if not names:
        return tags
    # A word reads as a name only if it ends in one of the names' forms (``readings`` takes
    # at most two proclitics and the article off its front): the others are not read.
    endings = {form for first, _ in names for form, _ in first}
    tails = {form[-_NAME_FORM_LETTERS:] for form in endings}  # a quick first sieve
    readable = {
        word
        for word in {w for w in normal if w[-_NAME_FORM_LETTERS:] in tails}
        if any(word[k:] in endings for k in range(_FRONT_LETTERS + 1))
    }
    untagged: dict[tuple[str, bool], list[int]] = {}
    for i, word in enumerate(normal):
        if word in readable and tags[i] == "O":
            for form in _name_forms(word):
                untagged.setdefault(form, []).append(i)
    tags = list(tags)
    # Longer names first: بان كي مون before a one-word name inside it.
    for (first, rest), kinds in sorted(names.items(), key=lambda item: -len(item[0][1])):
        if len(kinds) > 1:
            continue
        kind, length = next(iter(kinds)), len(rest) + 1
        for i in sorted({i for form in first for i in untagged.get(form, ())}):
            end = i + length
            if (
                tuple(normal[i + 1 : end]) == rest
                and all(t == "O" for t in tags[i:end])
                and (end == len(tags) or not tags[end].startswith("I-"))
            ):
                tags[i:end] = [f"B-{kind}"] + [f"I-{kind}"] * (length - 1)
    return tags


def _surname(normal: list[str], start: int, end: int) -> frozenset[tuple[str, bool]]:
    """The forms of a person's surname by which the text may name them alone (none for a
    one-word name, or a surname with the article: الشاعر is as often a word)."""
    if end - start < 2 or normal[end - 1].startswith("ال"):
        return frozenset()
    return _name_forms(normal[end - 1])


def full_names(
    words: list[str], normal: list[str], spans: list[tuple[int, int, str]]
) -> dict[tuple[str, bool], str]:
    """The entity id of the one person a text names in full under each surname form (no
    entry where two people share it), so the surname alone links to them."""
    people: dict[tuple[str, bool], set[str]] = {}
    for start, end, kind in spans:
        if kind == "PER":
            for form in _surname(normal, start, end):
                people.setdefault(form, set()).add(entity_id(kind, words[start:end]))
    return {form: next(iter(ids)) for form, ids in people.items() if len(ids) == 1}


def entity_key(kind: str, words: list[str]) -> str:
    return f"{kind}:" + " ".join(word_key(w) for w in words)


def entity_id(kind: str, words: list[str]) -> str:
    """Stable id of an entity: its type and the clitic-free keys of its words, so بوتين and
    وبوتين, أحمد and احمد are one entity."""
    return stable_id(entity_key(kind, words))


@dataclass(frozen=True)
class Mention:
    start: int  # character offsets into the text, end exclusive
    end: int
    type: str
    text: str
    entity_id: str
    country_code: str | None


@dataclass(frozen=True)
class CountryMention:
    country_code: str
    start: int
    end: int
    kind: str  # country, demonym, city, region, institution, or place (located by context)


def word_keys(*words: str) -> frozenset[str]:
    """A word list as the keys (``word_key``) a text's words are looked up by."""
    return frozenset(word_key(w) for w in words)


def written_forms(*words: str) -> frozenset[str]:
    """A word list normalized as written (``match_key``), its article kept: what
    ``place_word`` looks a text's word up in."""
    return frozenset(match_key(w) for w in words)


# Kinds of known organisations whose names use a place's name for something else (a
# newspaper such as نيويورك تايمز, a tournament such as كوبا أمريكا).
NAMED_AFTER_PLACES = ("club", "company", "media", "event")
# Words after which a demonym names a language: باللغة الإسبانية.
LANGUAGE_WORDS = word_keys("لغة", "اللغة", "لغات", "اللغات", "لهجة")
# Words that begin a sports club's name before its town (إتحاد تطاوين، مستقبل قابس، أمل
# حفوز): the town right after one is the club, not news of the place.
CLUB_WORDS = word_keys(
    *("نادي", "النادي", "اتحاد", "الاتحاد", "إتحاد", "الإتحاد", "مستقبل", "أمل", "الترجي"),
    *("الشبيبة", "شبيبة", "النجم", "نجم", "هلال", "الهلال", "أولمبيك", "الأولمبي"),
    *("سبورتينغ", "جمعية", "الجمعية"),
)
# Words before a place that make it an institute's name (معهد ستوكهولم الدولي لأبحاث
# السلام), which by our convention is no news of the place; a university or hospital
# named after its town (جامعة حائل، مستشفى جنين) is there, and counts.
INSTITUTE_WORDS = written_forms("معهد")
# Feminine nouns of the body and of sides that اليمنى (the right one) follows.
FEMININE_SIDES = word_keys(
    *("يد", "اليد", "يده", "يدها", "عين", "العين", "عينه", "قدم", "القدم", "قدمه"),
    *("رجله", "ساق", "الساق", "ساقه", "أذن", "الأذن", "كف", "الكف"),
    *("ذراع", "الذراع", "ذراعه", "كتف", "الكتف", "كتفه"),
)
# Words of sport before a club named like its city (جمهور روما، اللاعب لروما).
SPORTS_WORDS = word_keys(
    *("لاعب", "اللاعب", "لاعبي", "لاعبو", "جمهور", "جماهير", "مدرب", "فريق", "مهاجم"),
    *("حارس", "قميص", "صفوف", "مباراة"),
)
# Words before a city that keep it the city even in a story of clubs (وصل إلى روما).
PLACE_PREPOSITIONS = word_keys("إلى", "الى", "في", "من", "مدينة")
# Outlet words before a place that make it the outlet's name (بقناة القدس).
OUTLET_WORDS = written_forms("قناة", "صحيفة", "جريدة", "إذاعة", "مجلة", "تلفزيون", "راديو")
# Currency words (keys) after which a demonym names the currency: دولار أمريكي، ريال سعودي.
CURRENCIES = word_keys(
    *("دولار", "دولارا", "دولارات", "جنيه", "جنيها", "دينار", "دينارا", "درهم", "درهما"),
    *("ريال", "ريالا", "ليرة", "روبية", "روبل", "فرنك", "ين", "يوان", "شيكل", "شيقل"),
)


CrfTables = tuple[dict[str, int], np.ndarray, np.ndarray, list[str]]


def crf_tables_path(model_path: Path) -> Path:
    """Where training leaves the CRF's weights as tables, beside its file."""
    return model_path.with_name(f"{model_path.stem}_crf_tables.npz")


def _crf_tables(model_path: Path) -> CrfTables:
    """The CRF's weights as tables: attribute → row, state weights [attributes, labels],
    transition weights [from, to], labels. Reading them from CRFsuite takes over a second,
    so training writes them beside the model (``write_crf_tables``); a model without them
    has them read once and kept in the user cache. Either file names the model's digest."""
    import hashlib

    digest = hashlib.sha256(model_path.read_bytes()).hexdigest()[:16]
    cached = cache_folder() / f"crf-{digest}.npz"
    for path in (crf_tables_path(model_path), cached):
        with contextlib.suppress(OSError, ValueError, KeyError, EOFError), np.load(path) as data:
            if bytes(data["digest"]).decode() != digest:
                continue
            attributes = bytes(data["attributes"]).decode("utf-8").split("\n")
            labels = bytes(data["labels"]).decode("utf-8").split("\n")
            index = {a: i for i, a in enumerate(attributes)}
            return index, data["weights"], data["transitions"], labels
    tables = _read_crf_model(model_path)
    with contextlib.suppress(OSError):  # a read-only home only costs the next start the read
        _save_crf_tables(tables, digest, cached)
        prune_cache("crf-*.npz")
    return tables


def write_crf_tables(model_path: Path) -> Path:
    """Write the CRF's tables beside its file (``crf_tables_path``), for the tagger."""
    import hashlib

    digest = hashlib.sha256(model_path.read_bytes()).hexdigest()[:16]
    path = crf_tables_path(model_path)
    _save_crf_tables(_read_crf_model(model_path), digest, path)
    return path


def _read_crf_model(model_path: Path) -> CrfTables:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    info = tagger.info()
    labels = list(tagger.labels())
    attributes = sorted({a for a, _ in info.state_features})
    index = {a: i for i, a in enumerate(attributes)}
    weights = np.zeros((len(attributes), len(labels)), np.float32)
    for (attribute, label), weight in info.state_features.items():
        weights[index[attribute], labels.index(label)] = weight
    transitions = np.zeros((len(labels), len(labels)), np.float32)
    for (before, after), weight in info.transitions.items():
        transitions[labels.index(before), labels.index(after)] = weight
    return index, weights, transitions, labels


def _save_crf_tables(tables: CrfTables, digest: str, path: Path) -> None:
    index, weights, transitions, labels = tables
    attributes = sorted(index, key=index.__getitem__)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with partial.open("wb") as out:
        np.savez_compressed(
            out,
            digest=np.frombuffer(digest.encode(), np.uint8),
            attributes=np.frombuffer("\n".join(attributes).encode("utf-8"), np.uint8),
            labels=np.frombuffer("\n".join(labels).encode("utf-8"), np.uint8),
            weights=weights,
            transitions=transitions,
        )
    partial.replace(path)


# The CRF's share in the combined scores (the LSTM's is the rest): the two models' label and
# transition scores are weighed into one linear chain, decoded once. In 5-fold
# cross-validation over ANERcorp train that scores 0.793 micro-F1 (shares 0.5 to 0.7:
# 0.788-0.793), where averaging the two models' label marginals scored 0.784.
CRF_SHARE = 0.6
# Words tagged in one batch: enough for the LSTM to run many sentences at once, few enough
# for their scores and marks to stay small in memory.
TAG_BATCH_WORDS = 20_000


def own_feature_sums(*models: tuple[dict[str, int], np.ndarray]) -> FeatureSums:
    """Sums of a word's own features' rows of each model's embeddings (``index`` maps a
    feature to its row; row 0 is the unknown feature's), the models' side by side: a word's
    features are looked up once for all of them. A feature one model lacks adds zeros to
    its columns, so each model's sums are those it would get alone, to the bit."""
    features = sorted(set().union(*(index for index, _ in models)))
    rows = {feature: row for row, feature in enumerate(features)}
    vectors = np.zeros((len(features), sum(e.shape[1] for _, e in models)), np.float32)
    column = 0
    for index, embeddings in models:
        width = embeddings.shape[1]
        vectors[[rows[f] for f in index], column : column + width] = embeddings[
            list(index.values())
        ]
        column += width
    return FeatureSums(rows, vectors, neighbours=False)


class EntityTagger:
    """The trained CRF with the gazetteer and word clusters its features need and, where its
    file lies beside the CRF's, the BiLSTM-CRF (``marsad.enrich.entity_lstm``): then the two
    models' label and transition scores are weighed into one linear chain and its best
    valid IOB2 sequence taken."""

    def __init__(self, model_path: Path = MODEL_PATH, clusters_path: Path = CLUSTERS_PATH):
        import pycrfsuite

        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(model_path))
        self.gazetteer = gazetteer()
        self.clusters = WordClusters.load(clusters_path)
        lstm_path = model_path.with_name(LSTM_PATH.name)
        self.lstm = LstmTagger.load(lstm_path) if lstm_path.is_file() else None
        self.encoder: NewsEncoder | None = None
        if self.lstm is not None:
            # Both models are run in numpy over per-word sums of their features' vectors.
            attributes, weights, self.crf_transitions, crf_labels = _crf_tables(model_path)
            self.crf_sums = FeatureSums(attributes, weights, neighbours=True)
            lstm_features = (self.lstm.index, self.lstm.weights["embeddings"])
            self.lstm_sums = own_feature_sums(lstm_features)
            if self.lstm.context_width:
                # The LSTM was trained on the news encoder's states: it reads them again.
                self.encoder = NewsEncoder.load(model_path.with_name(ENCODER_FILE))
                if self.encoder.width != self.lstm.context_width:
                    raise ValueError(
                        f"{lstm_path} reads {self.lstm.context_width} encoder states a word, "
                        f"the encoder beside it gives {self.encoder.width}"
                    )
                # The LSTM's and the encoder's inputs, side by side.
                self.lstm_sums = own_feature_sums(
                    lstm_features, (self.encoder.index, self.encoder.weights["embeddings"])
                )
            # The CRF's label columns in the LSTM's order.
            self.crf_columns = [crf_labels.index(y) for y in self.lstm.labels]
            # One linear chain of the two models' weighed scores (CRFsuite has no start and
            # end scores).
            lstm, crf, columns = self.lstm.weights, CRF_SHARE, self.crf_columns
            self.transitions = (
                crf * self.crf_transitions[np.ix_(columns, columns)]
                + (1 - crf) * lstm["transitions"]
            )
            self.start, self.end = (1 - crf) * lstm["start"], (1 - crf) * lstm["end"]

    def split_inputs(self, sums: list[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """``lstm_sums`` of sentences as the LSTM's own inputs and the encoder's."""
        width = self.lstm.weights["embeddings"].shape[1]
        return [x[:, :width] for x in sums], [x[:, width:] for x in sums]

    def tag_words(self, words: list[str]) -> list[str]:
        """IOB2 tags of a sentence's words (MISC is kept here, dropped from mentions)."""
        return self.tag_sentences([words])[0]

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        """IOB2 tags of each sentence."""
        return self._tag_marks(
            [sentence_marks(w, self.gazetteer, self.clusters) for w in sentences]
        )

    def tag_documents(self, documents: list[list[list[str]]]) -> list[list[list[str]]]:
        """IOB2 tags of each document's sentences, a name read alike throughout its document
        (``consistent_tags``), as ``analyse`` reads a text."""
        tagged = iter(self.tag_sentences([words for document in documents for words in document]))
        found = []
        for document in documents:
            sentence_tags = [next(tagged) for _ in document]
            normal = [_word_features(w, self.clusters)[0] for words in document for w in words]
            tags = iter(consistent_tags(normal, [t for tags in sentence_tags for t in tags]))
            found.append([[next(tags) for _ in words] for words in document])
        return found

    def _tag_marks(self, marks: list[SentenceMarks]) -> list[list[str]]:
        """Tags of sentences, TAG_BATCH_WORDS words at a time (the LSTM reads the sentences
        of a batch together)."""
        tagged: list[list[str]] = []
        start = 0
        while start < len(marks):
            end, words = start, 0
            while end < len(marks) and (end == start or words < TAG_BATCH_WORDS):
                words += len(marks[end].words)
                end += 1
            tagged += self._tag_batch(marks[start:end])
            start = end
        return tagged

    def _tag_batch(self, marks: list[SentenceMarks]) -> list[list[str]]:
        if self.lstm is None:
            return [self.tagger.tag(_rows(m)[1]) if m.words else [] for m in marks]
        given = [m for m in marks if m.words]
        crf = self.crf_sums.sentences(given)  # the CRF's label scores are the sums themselves
        inputs = self.lstm_sums.sentences(given)
        if self.encoder is not None:
            inputs, states = self.split_inputs(inputs)
            inputs = self.lstm.with_context(inputs, self.encoder.states_of_inputs(states))
        lstm = self.lstm.emissions_of_inputs(inputs)
        scores = [
            CRF_SHARE * c[:, self.crf_columns] + (1 - CRF_SHARE) * e
            for c, e in zip(crf, lstm, strict=True)
        ]
        tagged = iter(best_paths(scores, self.lstm.labels, self.transitions, self.start, self.end))
        return [next(tagged) if m.words else [] for m in marks]

    def analyse(self, text: str) -> tuple[list[Mention], list[CountryMention]]:
        """Entity mentions and country mentions of a text, with character offsets."""
        return self.analyse_many([text])[0]

    def analyse_many(self, texts: list[str]) -> list[tuple[list[Mention], list[CountryMention]]]:
        """``analyse`` of each text; the sentences of all of them are tagged together."""
        tokenized = [tokenize(text) for text in texts]
        marks, counts = [], []
        for tokens in tokenized:
            before = len(marks)
            for start, end in sentence_bounds(tokens):
                words = [t.text for t in tokens[start:end]]
                marks.append(sentence_marks(words, self.gazetteer, self.clusters))
            counts.append(len(marks) - before)
        tagged = iter(zip(marks, self._tag_marks(marks), strict=True))
        return [
            self._read(text, tokens, [next(tagged) for _ in range(count)])
            for text, tokens, count in zip(texts, tokenized, counts, strict=True)
        ]

    def _read(
        self, text: str, tokens: list[Token], sentences: list[tuple[SentenceMarks, list[str]]]
    ) -> tuple[list[Mention], list[CountryMention]]:
        """Mentions and country mentions of a text from its tagged sentences."""
        words = [t.text for t in tokens]
        tags: list[str] = []
        normal: list[str] = []
        found: list[tuple[int, int, Place]] = []
        named: list[tuple[int, int, Place]] = []
        sentence_of: list[int] = []
        for number, (marks, sentence_tags) in enumerate(sentences):
            # The sentence's places and organisations, at the text's word positions.
            at = len(tags)
            sentence_of += [number] * len(sentence_tags)
            found += [(s + at, e + at, p) for s, e, p in marks.found_places]
            named += [(s + at, e + at, o) for s, e, o in marks.found_organisations]
            tags += sentence_tags
            normal += [info[0] for info in marks.info]
        tags = consistent_tags(normal, tags)
        spans = [span for span in spans_of(tags) if span[2] in ENTITY_TYPES]
        places = districts(
            words, settle_places(self._places(words, spans, found, named)), sentence_of
        )
        settled = {(s, e): place.country_code for s, e, place in places}
        located = located_places(words, normal, spans, places, sentence_of)
        # A surname alone is the person the text names in full: one entity.
        named_in_full = full_names(words, normal, spans)
        mentions = []
        for s, e, kind in spans:
            span_words = words[s:e]
            identity = entity_id(kind, span_words)
            if kind == "PER" and e - s == 1:
                ids = {named_in_full[f] for f in _name_forms(normal[s]) if f in named_in_full}
                identity = ids.pop() if len(ids) == 1 else identity
            country = None
            if kind != "PER":
                name = " ".join(span_words)
                # A known organisation's own country first (الليكود → IL), else a place in
                # its name (حزب الله اللبناني → LB), else the place that locates it.
                known = _organisation_country(name, places) if kind == "ORG" else None
                country = (
                    known
                    or settled.get((s, e))
                    or self.gazetteer.country_of(name)
                    or located.get((s, e))
                )
            mentions.append(
                Mention(
                    tokens[s].start,
                    tokens[e - 1].end,
                    kind,
                    text[tokens[s].start : tokens[e - 1].end],
                    identity,
                    country,
                )
            )
        found = [(s, e, place.country_code, place.kind) for s, e, place in places]
        found += [(s, e, code, "place") for (s, e), code in located.items()]
        countries = [
            CountryMention(code, tokens[s].start, tokens[e - 1].end, kind)
            for s, e, code, kind in sorted(found)
        ]
        return mentions, countries

    def _places(
        self,
        words: list[str],
        spans: list[tuple[int, int, str]],
        found: list[tuple[int, int, Place]],
        named: list[tuple[int, int, Place]],
    ) -> list[tuple[int, int, Place]]:
        """The gazetteer places ``found`` in a text that name a place here (``named``: the
        known organisations found), as word spans."""
        people = {i for s, e, kind in spans if kind == "PER" for i in range(s, e)}
        tagged_organisation = {i for s, e, kind in spans if kind == "ORG" for i in range(s, e)}
        tagged_place = {i for s, e, kind in spans if kind == "LOC" for i in range(s, e)}
        # Words that name something else than a place: a person (تركي in فيصل بن تركي), a
        # club, company, outlet or event named after one, be it a city or a country (ريال
        # مدريد، بنك أوف أمريكا، وكالة فرانس برس، كوبا أمريكا; a demonym in such a name still
        # says whose it is: الملعب التونسي). A club named just like its city (روما، برشلونة)
        # is the club only where the tagger reads an organisation, a sports word comes
        # before it (جمهور روما، اللاعب لروما), or the text names another club for sure (in
        # several words, or read as an organisation): روما beside ريال مدريد and يوفنتوس is
        # AS Roma, not news of Italy; but not where one goes or is (إلى روما، في روما).
        sure = [
            (s, e)
            for s, e, organisation in named
            if organisation.kind == "club"
            and (e - s > 1 or tagged_organisation.intersection(range(s, e)))
        ]
        named_after = set()
        for s, e, organisation in named:
            if organisation.kind in NAMED_AFTER_PLACES and (
                e - s > 1
                or tagged_organisation.intersection(range(s, e))
                or (s > 0 and word_key(words[s - 1]) in SPORTS_WORDS)
                or (
                    organisation.kind == "club"
                    and any(span != (s, e) for span in sure)
                    and not (s > 0 and word_key(words[s - 1]) in PLACE_PREPOSITIONS)
                )
            ):
                named_after.update(range(s, e))
        return [
            (s, e, place)
            for s, e, place in found
            # An institution is never part of a person's name (نائب مدير سكوتلاند يارد).
            if (place.kind == "institution" or not people.intersection(range(s, e)))
            and not (e - s == 1 and _everyday_word(words, s, s not in tagged_place))
            and not (place.kind != "demonym" and named_after.intersection(range(s, e)))
            and not (place.kind in ("city", "region") and _names_a_club(words, s, place))
            # معهد ستوكهولم is an institute's name.
            and not (
                place.kind in ("city", "region", "country")
                and s > 0
                and place_word(words[s - 1], INSTITUTE_WORDS)
            )
            and not (place.kind == "demonym" and _right_hand_side(words, s))
            and not (place.kind == "demonym" and _name_after_title(words, s))
            # صحيفة مكة، قناة القدس: an outlet's name.
            and not (place.kind != "demonym" and s > 0 and place_word(words[s - 1], OUTLET_WORDS))
            # دولار أمريكي is money, not news of the United States.
            and not (place.kind == "demonym" and s > 0 and word_key(words[s - 1]) in CURRENCIES)
            and not (place.kind == "demonym" and _names_a_language(words, s))
        ]


def _organisation_country(name: str, places: list[tuple[int, int, Place]]) -> str | None:
    """A known organisation's country. A name several countries' clubs share (الأهلي: Cairo,
    Jeddah, Doha…; ``elsewhere``, as for places in ``settle_places``) is the club of the one
    country among them that the text's towns name most (a match in Jeddah: Saudi Arabia),
    else its places of any kind (a club's own city says more than a player's nationality),
    and of no known country where they name none of them, or two as often."""
    known = organisations().place_of(name)
    if known is None or not known.elsewhere:
        return known.country_code if known else None
    candidates = (known.country_code, *known.elsewhere)
    towns = Counter(p.country_code for _, _, p in places if p.kind in ("city", "region"))
    for named in (towns, Counter(p.country_code for _, _, p in places)):
        ranked = sorted(((named[c], c) for c in candidates if named[c]), reverse=True)
        if ranked:
            return ranked[0][1] if len(ranked) == 1 or ranked[1][0] < ranked[0][0] else None
    return None


def settle_places(places: list[tuple[int, int, Place]]) -> list[tuple[int, int, Place]]:
    """Places named alike in several countries (طرابلس: LY or LB) read as the one other
    country the text names where it does not name the first reading's: طرابلس among
    لبنانيين is in Lebanon."""
    named = {place.country_code for _, _, place in places if not place.elsewhere}
    settled = []
    for s, e, place in places:
        if place.elsewhere and place.country_code not in named:
            others = [code for code in place.elsewhere if code in named]
            if len(others) == 1:
                place = replace(place, country_code=others[0], elsewhere=())
        settled.append((s, e, place))
    return settled


def _everyday_word(words: list[str], at: int, untagged: bool) -> bool:
    """Whether the place name at ``at`` is read as the everyday word it also is: where the
    tagger reads no place there, or where و joins it to an adjective before it (إداري ومالي:
    administrative and financial, which the tagger may read as Mali)."""
    key = match_key(words[at])
    if key in EVERYDAY_WORD_PLACES:
        return untagged
    if key[:1] not in "وف" or key[1:] not in EVERYDAY_WORD_PLACES:
        return False
    return untagged or (at > 0 and match_key(words[at - 1]).endswith(("ي", "يه")))


def _names_a_club(words: list[str], at: int, place: Place) -> bool:
    """Whether the town at ``at`` is a club's, right after a club word (مستقبل قابس), but
    for a town written as where something is (بالملعب الأولمبي بسوسة: in Sousse)."""
    if at == 0 or word_key(words[at - 1]) not in CLUB_WORDS:
        return False
    word, town = match_key(words[at]), name_key(place.name)[0]
    before_town = word[: len(word) - len(town)] if word.endswith(town) else ""
    return "ب" not in before_town


def _name_after_title(words: list[str], at: int) -> bool:
    """Whether a demonym without the article after a title with it is a name: الأمير تركي
    الفيصل (the adjective agrees: الرئيس التركي is the Turkish president)."""
    if at == 0 or match_key(words[at]).startswith("ال"):
        return False
    title = match_key(words[at - 1])
    return title.startswith("ال") and triggers().get(word_key(words[at - 1])) == "per"


def _right_hand_side(words: list[str], at: int) -> bool:
    """Whether اليمنى is the right side (اليد اليمنى، للجهة اليمنى، ركبته اليمنى), not a
    Yemeni written with a final ى: a masculine demonym after a feminine noun."""
    if not words[at].endswith("يمنى") or at == 0:
        return False
    before = words[at - 1]
    return before.endswith(("ة", "ته", "تها")) or word_key(before) in FEMININE_SIDES


def _names_a_language(words: list[str], at: int) -> bool:
    """Whether the demonym at ``at`` names a language: after لغة (باللغة الإسبانية), or a
    feminine demonym carrying ب and the article, which is what it is said in (الناطقة
    بالإسبانية، كتب بالفرنسية)."""
    if at > 0 and word_key(words[at - 1]) in LANGUAGE_WORDS:
        return True
    word = match_key(words[at])
    return word.startswith(("بال", "وبال")) and word.endswith("يه")


# Words that may stand between a place the gazetteer lacks and the known place after it
# that locates it: سان بطرسبرج الروسية، إقليم فوجيان بجنوب شرق الصين، تولسا بولاية
# أوكلاهوما، قاعدة ايستر الجوية جنوب فرنسا.
LOCATING_WORDS = word_keys(
    *("في", "قرب", "جنوب", "شمال", "شرق", "غرب", "وسط", "جنوبي", "شمالي", "شرقي", "غربي"),
    *("ولاية", "إقليم", "محافظة", "مقاطعة", "منطقة", "مدينة", "دولة", "جزيرة", "العاصمة"),
    *("الجوية", "الجوي", "الدولي", "الدولية", "البحرية", "التابعة", "الواقعة", "ريف"),
    *("ضواحي", "أطراف", "محيط"),
)
MAX_LOCATING_WORDS = 3
QUOTES = frozenset("\"'«»“”‘’()-")
# Words that introduce a place's name (مدينة دهب، حي الريحان، مخيم الزعتري), as the text
# writes them before one: without the article (عمدة المدينة كازومي is the city's mayor).
PLACE_WORDS = written_forms(
    *("مدينة", "مدن", "بلدة", "بلدات", "قرية", "قرى", "حي", "أحياء", "منطقة", "مناطق"),
    *("ضاحية", "مخيم", "جزيرة", "ولاية", "محافظة", "إقليم", "مقاطعة", "بلدية", "ناحية"),
    *("قضاء", "معتمدية", "هنشير"),
)
# Place words of one country's administration: معتمدية مساكن is a delegation of Tunisia.
NATIONAL_PLACE_WORDS = {match_key("معتمدية"): "TN", match_key("هنشير"): "TN"}
# A city's name after these may name a district (حي الرياض in Sousse): ``districts``.
DISTRICT_WORDS = written_forms("حي")
# After these a country is a neighbour: خاباروفسك القريبة من الحدود الصينية is in Russia.
BORDER_WORDS = word_keys("حدود", "الحدود", "حدودية", "الحدودية")
MAX_NAME_AFTER_PLACE_WORD = 3


@lru_cache(maxsize=WORD_CACHE)  # asked of every word of a text
def place_word(word: str, among: frozenset[str] = PLACE_WORDS) -> str | None:
    """The place word (key) that a word of text is, with any proclitic but no article:
    بمدينة، وحي; None for any other word."""
    for form, has_article in readings(match_key(word)):
        if not has_article and form in among:
            return form
    return None


def located_places(
    words: list[str],
    normal: list[str],
    spans: list[tuple[int, int, str]],
    places: list[tuple[int, int, Place]],
    sentence_of: list[int] | None = None,
) -> dict[tuple[int, int], str]:
    """Country of each place the gazetteer lacks, keyed by its word span: a place the
    tagger found (LOC), or a name after a place word that the tagger reads as a name and
    a known place follows. It is located by, in turn:

    - the known place that follows it across at most MAX_LOCATING_WORDS locating words or
      quotes (سان بطرسبرج الروسية، مدينة دري دوا الإثيوبية);
    - a place word of one country's administration before it (معتمدية مساكن);
    - two or more known places listed with it by و that all name one country (الحسكة وحلب
      وعين عيسى ودير الزور);
    - for a place after a place word, the one country its sentence's known places name
      (مدينة دهب in a sentence of the Egyptian health ministry).

    Each later occurrence of a located name in the text is located alike. Regions of
    several countries (الشرق الأوسط) are never located. ``sentence_of`` gives each word's
    sentence (the whole text is one sentence without it)."""
    place_at = {s: place for s, _, place in places}
    covered = {i for s, e, _ in places for i in range(s, e)}
    keys = [word_key(w) for w in words]
    sentence_of = sentence_of or [0] * len(words)
    located: dict[tuple[int, int], str] = {}
    for s, e in _unknown_places(words, keys, spans, covered, place_at):
        # Regions of several countries, and عمان (Amman or Oman), are no one place.
        if name_key(" ".join(normal[s:e])) in SUPRANATIONAL | AMBIGUOUS_NAMES:
            continue
        introduced_by = place_word(words[s - 1]) if s > 0 else None
        code = (
            _place_after(words, keys, e, place_at)
            or NATIONAL_PLACE_WORDS.get(introduced_by or place_word(words[s]) or "")
            or _listed_with(words, s, e, places)
            or (
                (introduced_by or place_word(words[s]))
                and _sentence_country(keys, places, sentence_of, sentence_of[s])
            )
        )
        if code:
            located[(s, e)] = code
    return located | _repeated(keys, located, covered, spans)


def _unknown_places(
    words: list[str],
    keys: list[str],
    spans: list[tuple[int, int, str]],
    covered: set[int],
    place_at: dict[int, Place],
) -> list[tuple[int, int]]:
    """Word spans that may name a place the gazetteer lacks: the tagger's LOC spans (a
    known place inside one may be what locates its head; a list of places in one span,
    وحلب وعين عيسى, is cut at each و), and the name between a place word and a known
    place, of words the tagger reads as a name (مدينة دري دوا الإثيوبية)."""
    found = []
    for s, e, kind in spans:
        if kind != "LOC":
            continue
        parts, start = [], s
        for i in range(s + 1, e):
            if match_key(words[i]).startswith("و") and (i - 1 in covered) != (i in covered):
                parts.append((start, i))
                start = i
        parts.append((start, e))
        for ps, pe in parts:
            if ps in covered or all(
                k in LOCATING_WORDS or place_word(w)
                for k, w in zip(keys[ps:pe], words[ps:pe], strict=True)
            ):
                continue
            found.append((ps, next((i for i in range(ps, pe) if i in covered), pe)))
    starts = {s for s, _ in found}
    named = {i for s, e, _ in spans for i in range(s, e)}
    for i, word in enumerate(words[:-1]):
        if not place_word(word) or i in covered or i + 1 in starts or i + 1 in covered:
            continue
        if place_word(word) in NATIONAL_PLACE_WORDS and words[i + 1].isalpha():
            found.append((i + 1, i + 2))  # معتمدية مساكن: whatever the tagger reads
            continue
        for end in range(i + 2, min(len(words), i + 2 + MAX_NAME_AFTER_PLACE_WORD)):
            if end - 1 in covered or not words[end - 1].isalpha():
                break
            if end in place_at and named.intersection(range(i + 1, end)):
                found.append((i + 1, end))
                break
    return found


def _place_after(
    words: list[str], keys: list[str], end: int, place_at: dict[int, Place]
) -> str | None:
    """Country of the known place at ``end`` or after it across locating words or quotes."""
    j, between = end, 0
    while j < len(words) and j not in place_at and between <= MAX_LOCATING_WORDS:
        if keys[j] not in LOCATING_WORDS and words[j] not in QUOTES:
            return None
        between += keys[j] in LOCATING_WORDS
        j += 1
    if j in place_at and between <= MAX_LOCATING_WORDS and not _across_border(keys, j):
        return place_at[j].country_code
    return None


def _across_border(keys: list[str], at: int) -> bool:
    return at > 0 and keys[at - 1] in BORDER_WORDS


def _listed_with(
    words: list[str], s: int, e: int, places: list[tuple[int, int, Place]]
) -> str | None:
    """The one country of the known places listed with the span, joined by و, where the
    list has at least two (الحسكة وحلب وعين عيسى ودير الزور; not لندن وعمان)."""
    by_start = {ps: (pe, place) for ps, pe, place in places}
    by_end = {pe: (ps, place) for ps, pe, place in places}
    listed = []
    at = s  # leftwards: each item joined to the next by the و that begins it
    while at in by_end and match_key(words[at]).startswith("و"):
        at, place = by_end[at]
        listed.append(place.country_code)
    at = e  # rightwards
    while at in by_start and match_key(words[at]).startswith("و"):
        at, place = by_start[at]
        listed.append(place.country_code)
    return listed[0] if len(listed) >= 2 and len(set(listed)) == 1 else None


def _sentence_country(
    keys: list[str], places: list[tuple[int, int, Place]], sentence_of: list[int], sentence: int
) -> str | None:
    """The one country that the known places of a sentence name, if they name one (a
    neighbour across a border left out)."""
    codes = {
        place.country_code
        for s, _, place in places
        if sentence_of[s] == sentence and not _across_border(keys, s)
    }
    return codes.pop() if len(codes) == 1 else None


def _repeated(
    keys: list[str],
    located: dict[tuple[int, int], str],
    covered: set[int],
    spans: list[tuple[int, int, str]],
) -> dict[tuple[int, int], str]:
    """Later occurrences of each located name (قبل دخول نويبع after مدينة نويبع), but
    inside a person's or an organisation's name."""
    others = {i for s, e, kind in spans if kind in ("PER", "ORG") for i in range(s, e)}
    taken = {i for s, e in located for i in range(s, e)} | covered | others
    names = {tuple(keys[s:e]): (s, code) for (s, e), code in sorted(located.items())}
    repeated = {}
    for name, (first, code) in names.items():
        size = len(name)
        for i in range(first + size, len(keys) - size + 1):
            if tuple(keys[i : i + size]) == name and not taken.intersection(range(i, i + size)):
                repeated[(i, i + size)] = code
                taken.update(range(i, i + size))
    return repeated


def districts(
    words: list[str], places: list[tuple[int, int, Place]], sentence_of: list[int]
) -> list[tuple[int, int, Place]]:
    """A city's name after حي is a district named after it where the sentence's other
    places name one other country: حي الرياض among places of Sousse is in Tunisia, حي
    بغداد الجديدة stays in Iraq."""
    after_district = {
        s
        for s, _, place in places
        if s > 0 and place.kind in ("city", "region") and place_word(words[s - 1]) in DISTRICT_WORDS
    }
    if not after_district:
        return places
    keys = [word_key(w) for w in words]
    settled = []
    for s, e, place in places:
        if s in after_district:
            others = [p for p in places if p[0] != s]
            code = _sentence_country(keys, others, sentence_of, sentence_of[s])
            if code and code != place.country_code:
                place = replace(place, country_code=code, kind="place", elsewhere=())
        settled.append((s, e, place))
    return settled


# Weights of a country mention by where it is: title, lead (first LEAD_CHARS of the body).
TITLE_WEIGHT, LEAD_WEIGHT, BODY_WEIGHT = 3.0, 2.0, 1.0
LEAD_CHARS = 400
# A country is an article's subject when its weighted mentions reach this share of the
# top country's and it is named at least twice or in the title.
ABOUT_SHARE = 0.5


def article_countries(
    title_countries: list[CountryMention], body_countries: list[CountryMention]
) -> list[dict]:
    """``country_code``, ``mentions`` and ``is_about`` of each country of an article."""
    counts: Counter = Counter()
    weights: Counter = Counter()
    in_title = set()
    for mention in title_countries:
        counts[mention.country_code] += 1
        weights[mention.country_code] += TITLE_WEIGHT
        in_title.add(mention.country_code)
    for mention in body_countries:
        counts[mention.country_code] += 1
        weights[mention.country_code] += LEAD_WEIGHT if mention.start < LEAD_CHARS else BODY_WEIGHT
    top = max(weights.values(), default=0.0)
    return [
        {
            "country_code": code,
            "mentions": counts[code],
            "is_about": weights[code] >= ABOUT_SHARE * top
            and (counts[code] >= 2 or code in in_title),
        }
        for code in sorted(counts, key=lambda c: (-weights[c], c))
    ]


@cache
def shipped_tagger() -> EntityTagger:
    return EntityTagger()
