"""The entity tagger: a linear-chain CRF (CRFsuite) and a BiLSTM weighed into one chain,
decoded once, with mentions linked to ids and countries.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, cached_property
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import regex

from marsad.arabic import ARABIC_LETTER, match_key
from marsad.enrich.entities.amounts import CURRENCIES
from marsad.enrich.entities.clubs import on_sport, organisation_country, shared_by_countries
from marsad.enrich.entities.countries import (
    INSTITUTE_WORDS,
    NAMED_AFTER_PLACES,
    OUTLET_WORDS,
    PLACE_PREPOSITIONS,
    SPORTS_WORDS,
    districts,
    everyday_word,
    located_places,
    name_after_title,
    names_a_club,
    names_a_language,
    place_word,
    right_hand_side,
    settle_places,
)
from marsad.enrich.entities.decoding import ENTITY_TYPES, best_paths, crf_tables, spans_of
from marsad.enrich.entities.feature_sums import FeatureSums, SentenceMarks
from marsad.enrich.entities.features import (
    CLUSTERS_PATH,
    WordClusters,
    crf_rows,
    own_feature_sums,
    sentence_marks,
)
from marsad.enrich.entities.lexicon import Lexicon, lexicon_built, lexicon_path
from marsad.enrich.entities.linking import (
    CountryMention,
    Mention,
    entity_id,
    full_names,
    name_forms,
    read_as_text,
)
from marsad.enrich.entities.lstm import LSTM_PATH, LstmTagger, in_batches
from marsad.enrich.entities.news_encoder import ENCODER_FILE, NewsEncoder
from marsad.enrich.entities.tokens import (
    Token,
    line_starts,
    sentence_bounds,
    spelt_acronyms,
    tokenize,
)
from marsad.enrich.entities.whole_names import quoted_outlets, whole_outlets
from marsad.enrich.gazetteer import (
    NOT_COUNTRY_NAMES,
    Place,
    gazetteer,
    word_key,
)
from marsad.shipped import MODELS

MODEL_PATH = MODELS / "entities.crfsuite"


# The CRF's share in the combined scores (the LSTM's is the rest): the two models' label and
# transition scores are weighed into one linear chain, decoded once. In 5-fold
# cross-validation over ANERcorp train that scores 0.793 micro-F1 (shares 0.5 to 0.7:
# 0.788-0.793), where averaging the two models' label marginals scored 0.784.
CRF_SHARE = 0.6
# Added to the person and organisation labels' combined scores of a word the tagger never
# learnt (its clitic-free key seen fewer than 3 times in training, so not in the LSTM's
# vocabulary) and no place or organisation list marks: the models learnt O for every word
# they did not see as a name, and the test split's misses are mostly people and
# organisations never seen. Places are left as they are: lowering O for them too read rare
# words as places that the place after them then located (للهجن في الدوحة). Measured in
# docs/experiments.md.
UNSEEN_NAME_BONUS = 1.0
_ARABIC_WORD = regex.compile(f"{ARABIC_LETTER}+")
# Words tagged in one batch: enough for the LSTM to run many sentences at once, few enough
# for their scores and marks to stay small in memory.
TAG_BATCH_WORDS = 20_000


class EntityTagger:
    """The trained CRF with the gazetteer and word clusters its features need and, where its
    file lies beside the CRF's, the BiLSTM-CRF (``marsad.enrich.entities.lstm``): then the two
    models' label and transition scores are weighed into one linear chain and its best
    valid IOB2 sequence taken."""

    def __init__(self, model_path: Path = MODEL_PATH, clusters_path: Path = CLUSTERS_PATH):
        self.model_path = model_path
        self.gazetteer = gazetteer()
        self.clusters = WordClusters.load(clusters_path)
        lstm_path = model_path.with_name(LSTM_PATH.name)
        # The frequent words' blocks and the LSTM's feature sums worked out beforehand
        # (``marsad lexicon``), if any: the models' feature vectors are then not read.
        table = lexicon_path(model_path, clusters_path)
        own_vectors = not lexicon_built(table)
        self.lstm = None
        if lstm_path.is_file():
            self.lstm = LstmTagger.load(lstm_path, features=own_vectors)
        self.encoder: NewsEncoder | None = None
        self.lexicon: Lexicon | None = None
        if self.lstm is not None:
            # Both models are run over per-word sums of their features' vectors (the LSTMs in
            # ONNX Runtime).
            attributes, weights, self.crf_transitions, crf_labels = crf_tables(model_path)
            self.crf_sums = FeatureSums(attributes, weights, neighbours=True)
            encoder_path = model_path.with_name(ENCODER_FILE)
            if self.lstm.context_width:
                # The LSTM was trained on the news encoder's states: it reads them again.
                encoder = NewsEncoder.load(encoder_path, features=own_vectors)
                self.encoder = encoder.tuned(self.lstm.weights)
                if self.encoder.width != self.lstm.context_width:
                    raise ValueError(
                        f"{lstm_path} reads {self.lstm.context_width} encoder states a word, "
                        f"the encoder beside it gives {self.encoder.width}"
                    )
            # The LSTM's and the encoder's inputs, side by side.
            width = self.lstm.dimensions + (self.encoder.dimensions if self.encoder else 0)
            self.lexicon = Lexicon.load(table, self.clusters, self.crf_sums.block_shape, width)
            if self.lexicon is None:
                if not own_vectors:  # a damaged lexicon: read them now
                    self.lstm = LstmTagger.load(lstm_path)
                    if self.encoder is not None:
                        self.encoder = NewsEncoder.load(encoder_path).tuned(self.lstm.weights)
                features = [(self.lstm.index, self.lstm.weights["embeddings"])]
                if self.encoder is not None:
                    features.append(self.encoder.release_features())
                self.lstm_sums = own_feature_sums(*features)
            else:
                self.lexicon.prime_name_lists()
                self.lstm_sums = self.lexicon.features
                self.crf_sums.known, self.lstm_sums.known = self.lexicon.crf, self.lexicon.lstm
            # The CRF's label columns in the LSTM's order.
            self.crf_columns = [crf_labels.index(y) for y in self.lstm.labels]
            self.learnt_keys = frozenset(f[2:] for f in self.lstm.index if f.startswith("k="))
            self.name_columns = [
                i for i, y in enumerate(self.lstm.labels) if y[2:] in ("PER", "ORG")
            ]
            # One linear chain of the two models' weighed scores (CRFsuite has no start and
            # end scores).
            lstm, crf, columns = self.lstm.weights, CRF_SHARE, self.crf_columns
            self.transitions = (
                crf * self.crf_transitions[np.ix_(columns, columns)]
                + (1 - crf) * lstm["transitions"]
            )
            self.start, self.end = (1 - crf) * lstm["start"], (1 - crf) * lstm["end"]

    @cached_property
    def tagger(self):
        """CRFsuite's own tagger of the model, for the CRF alone (``lstm`` None): with the
        LSTM the CRF's tables are read instead, so a tagging process never opens it (its
        import and open cost 0.013 s of each start)."""
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(self.model_path))
        return tagger

    @property
    def _lexicon(self) -> Lexicon | None:
        """The lexicon, while the LSTM is used: the CRF alone (``lstm`` set to None, as the
        model asset scores it) writes out every word's feature strings."""
        return self.lexicon if self.lstm is not None else None

    def split_inputs(self, sums: list[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """``lstm_sums`` of sentences as the LSTM's own inputs and the encoder's."""
        width = self.lstm.dimensions
        return [x[:, :width] for x in sums], [x[:, width:] for x in sums]

    def _lstm_emissions(self, x: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """The LSTM's label scores [batch, steps, labels] from ``lstm_sums`` padded into a
        batch; with the encoder, its states are worked out on the same batch first."""
        if self.encoder is None:
            return self.lstm.emissions(x, lengths)
        width = self.lstm.dimensions
        states = self.encoder.states(x[..., width:], lengths)
        return self.lstm.emissions(self.lstm.with_context(x[..., :width], states), lengths)

    def tag_words(self, words: list[str]) -> list[str]:
        """IOB2 tags of a sentence's words (MISC is kept here, dropped from mentions)."""
        return self.tag_sentences([words])[0]

    def _marks(self, sentences: list[list[str]]) -> list[SentenceMarks]:
        if self._lexicon is not None:  # the words of all the sentences found at once
            self._lexicon.look_up(chain.from_iterable(sentences))
        return [sentence_marks(w, self.gazetteer, self.clusters, self._lexicon) for w in sentences]

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        """IOB2 tags of each sentence."""
        return self._tag_marks(self._marks(sentences))

    def tag_documents(self, documents: list[list[list[str]]]) -> list[list[list[str]]]:
        """IOB2 tags of each document's sentences, the document read as one text
        (``read_as_text``: a name read alike throughout it) as ``analyse`` reads a text."""
        marks = self._marks([words for document in documents for words in document])
        tagged = iter(zip(marks, self._tag_marks(marks), strict=True))
        found = []
        for document in documents:
            sentences = [next(tagged) for _ in document]
            text = [w for words in document for w in words]
            normal = [match_key(w) or w for w in text]  # as ``word_features`` normalizes
            tags = [t for _, sentence_tags in sentences for t in sentence_tags]
            clubs, countries = text_clubs(sentences), text_countries(sentences)
            tags = iter(
                read_as_text(text, normal, tags, self.clusters.index, clubs=clubs, places=countries)
            )
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
            return [self.tagger.tag(crf_rows(m)[1]) if m.words else [] for m in marks]
        given = [m for m in marks if m.words]
        crf = self.crf_sums.sentences(given)  # the CRF's label scores are the sums themselves
        lstm = in_batches(self.lstm_sums.sentences(given), self._lstm_emissions)
        scores = []
        for m, c, e in zip(given, crf, lstm, strict=True):
            combined = CRF_SHARE * c[:, self.crf_columns] + (1 - CRF_SHARE) * e
            combined[np.ix_(self._unseen_words(m), self.name_columns)] += UNSEEN_NAME_BONUS
            scores.append(combined)
        tagged = iter(best_paths(scores, self.lstm.labels, self.transitions, self.start, self.end))
        return [next(tagged) if m.words else [] for m in marks]

    def _unseen_words(self, marks: SentenceMarks) -> list[int]:
        """Positions of a sentence's words that may be names the tagger never learnt. Words
        the place and organisation lists mark are left to those lists' features (قيصرية of
        "عملية قيصرية", a caesarean, would be read as Kayseri)."""
        return [
            i
            for i, info in enumerate(marks.info)
            if self._unseen(info[1]) and not (marks.place_ids[i] or marks.organisation_ids[i])
        ]

    def _unseen(self, key: str) -> bool:
        """Whether a word (its clitic-free key) is one the tagger never learnt, written in three
        Arabic letters or more (not a figure, a mark, or Latin: the "script" of an HTML tag
        left in a title)."""
        return (
            len(key) >= 3
            and key not in self.learnt_keys
            and _ARABIC_WORD.fullmatch(key) is not None
        )

    def analyse(self, text: str) -> tuple[list[Mention], list[CountryMention]]:
        """Entity mentions and country mentions of a text, with character offsets."""
        return self.analyse_many([text])[0]

    def analyse_many(
        self,
        texts: list[str],
        home_countries: list[str | None] | None = None,
        sports: list[bool] | None = None,
    ) -> list[tuple[list[Mention], list[CountryMention]]]:
        """``analyse`` of each text; the sentences of all of them are tagged together. Each
        text's ``home_countries`` entry (its outlet's country) says which club a name that
        several countries' clubs share is where the text places it nowhere; its ``sports``
        entry, whether it belongs to a sports story (a title whose article is one), which a
        text is anyway where its own words say so (``on_sport``)."""
        tokenized = [tokenize(text) for text in texts]
        sentences, counts = [], []
        for tokens in tokenized:
            before = len(sentences)
            for start, end in sentence_bounds(tokens):
                sentences.append([t.text for t in tokens[start:end]])
            counts.append(len(sentences) - before)
        marks = self._marks(sentences)
        tagged = iter(zip(marks, self._tag_marks(marks), strict=True))
        homes = home_countries or [None] * len(texts)
        on_sports = sports or [False] * len(texts)
        return [
            self._read(text, tokens, [next(tagged) for _ in range(count)], home, sport)
            for text, tokens, count, home, sport in zip(
                texts, tokenized, counts, homes, on_sports, strict=True
            )
        ]

    def _read(
        self,
        text: str,
        tokens: list[Token],
        sentences: list[tuple[SentenceMarks, list[str]]],
        home: str | None = None,
        sport: bool = False,
    ) -> tuple[list[Mention], list[CountryMention]]:
        """Mentions and country mentions of a text from its tagged sentences (``home``: its
        outlet's country; ``sport``: of a sports story; see ``analyse_many``)."""
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
        acronyms = spelt_acronyms(text, tokens)
        # The countries named in several words; ``places`` below are the places kept.
        clubs, countries = text_clubs(sentences), text_countries(sentences)
        lines = line_starts(text, tokens)
        tags = read_as_text(
            words, normal, tags, self.clusters.index, acronyms, clubs, countries, lines
        )
        outlets = quoted_outlets(text, tokens)
        tags = whole_outlets(tags, outlets)
        spans = [span for span in spans_of(tags) if span[2] in ENTITY_TYPES]
        places = districts(
            words, settle_places(self._places(words, spans, found, named)), sentence_of
        )
        # A paper named after a city («الرياض») mentions no country.
        places = [p for p in places if not any(f <= p[0] and p[1] <= e for f, e in outlets)]
        settled = {(s, e): place.country_code for s, e, place in places}
        located = located_places(words, normal, spans, places, sentence_of)
        # A surname alone is the person the text names in full: one entity.
        named_in_full = full_names(words, normal, spans)
        # Whether a club's everyday-word name (النصر) may be the club: a sports story.
        sport = sport or (any(k == "ORG" and e - s == 1 for s, e, k in spans) and on_sport(words))
        # A demonym right after an organisation says whose it is (النصر الإماراتي), unless a
        # person follows it, whom it describes (مدافع النصر البحريني محمد حسين).
        people = {s for s, _, k in spans if k == "PER"}
        demonyms = {
            s: place.country_code
            for s, e, place in places
            if place.kind == "demonym" and e not in people
        }
        mentions = []
        for s, e, kind in spans:
            span_words = words[s:e]
            identity = entity_id(kind, span_words)
            if kind == "PER" and e - s == 1:
                ids = {named_in_full[f] for f in name_forms(normal[s]) if f in named_in_full}
                identity = ids.pop() if len(ids) == 1 else identity
            country = None
            if kind != "PER":
                name = " ".join(span_words)
                # A known organisation's own country first (الليكود → IL), else a place in
                # its name (حزب الله اللبناني → LB), else the place that locates it.
                known = (
                    organisation_country(name, places, home, sport, demonyms.get(e))
                    if kind == "ORG"
                    else None
                )
                if known and shared_by_countries(name):
                    identity = entity_id(kind, span_words, known)  # one club per country
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
            and not (e - s == 1 and everyday_word(words, s, s not in tagged_place))
            and not (place.kind != "demonym" and named_after.intersection(range(s, e)))
            and not (place.kind in ("city", "region") and names_a_club(words, s, place))
            # معهد ستوكهولم is an institute's name.
            and not (
                place.kind in ("city", "region", "country")
                and s > 0
                and place_word(words[s - 1], INSTITUTE_WORDS)
            )
            and not (place.kind == "demonym" and right_hand_side(words, s))
            and not (place.kind == "demonym" and name_after_title(words, s))
            # صحيفة مكة، قناة القدس: an outlet's name.
            and not (place.kind != "demonym" and s > 0 and place_word(words[s - 1], OUTLET_WORDS))
            # دولار أمريكي is money, not news of the United States.
            and not (place.kind == "demonym" and s > 0 and word_key(words[s - 1]) in CURRENCIES)
            and not (place.kind == "demonym" and names_a_language(words, s))
        ]


def text_clubs(sentences: list[tuple[SentenceMarks, list[str]]]) -> list[tuple[int, int]]:
    """The clubs found in a text's tagged sentences, at the text's word positions."""
    return _text_spans(sentences, lambda marks: marks.found_clubs)


def text_countries(sentences: list[tuple[SentenceMarks, list[str]]]) -> list[tuple[int, int]]:
    """The countries named in several words (جنوب أفريقيا, not قطاع غزة: a part that
    stands for one) found in a text's tagged sentences, at the text's word positions."""
    return _text_spans(
        sentences,
        lambda marks: [
            (s, e, place)
            for s, e, place in marks.found_places
            if e - s > 1 and place.kind == "country" and place.name not in NOT_COUNTRY_NAMES
        ],
    )


def _text_spans(
    sentences: list[tuple[SentenceMarks, list[str]]],
    found: Callable[[SentenceMarks], list[tuple[int, int, Any]]],
) -> list[tuple[int, int]]:
    """The (start, end) of what ``found`` gives of each sentence, at the text's positions."""
    spans, at = [], 0
    for marks, _ in sentences:
        spans += [(start + at, end + at) for start, end, _ in found(marks)]
        at += len(marks.words)
    return spans


@cache
def shipped_tagger() -> EntityTagger:
    return EntityTagger()
