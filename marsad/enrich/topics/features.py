"""What the topic classifier reads of a document: normalized words, light stems and stem
bigrams of the title and lead, and character n-grams of short texts.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cached_property

from marsad.arabic import light_stem, words

# Words of the body that count: the lead carries the topic, and a cap keeps speed even.
LEAD_WORDS = 150
# Texts this short (headlines, posts) also get the word-vector part of the model: their
# few words rarely carry the topic's usual vocabulary.
SHORT_WORDS = 60
# Character n-grams of the words of short texts (padded with < and >): they join spellings,
# derivations and clitic forms that the light stems keep apart, where a text has too few
# words to repeat its topic. Training keeps the most topical ones
# (``marsad.training.topics.CHAR_FEATURES``).
CHAR_GRAM_SIZES = (3, 4, 5)


def stems(text: str) -> list[str]:
    return [light_stem(w) for w in words(text)]


@dataclass(frozen=True)
class Document:
    """Words of a title and of the lead of a body; their light stems when asked for (the
    classifier finds most features by word, so it stems only what the seeds read)."""

    title_words: list[str]
    lead_words: list[str]

    @classmethod
    def of(cls, title: str | None, text: str | None) -> Document:
        # Normalizing only the head of a long body keeps the cost per article flat.
        return cls(words(title or ""), words((text or "")[: LEAD_WORDS * 8])[:LEAD_WORDS])

    @cached_property
    def title_stems(self) -> list[str]:
        return [light_stem(w) for w in self.title_words]

    @cached_property
    def lead_stems(self) -> list[str]:
        return [light_stem(w) for w in self.lead_words]

    def lead_head_stems(self, count: int) -> list[str]:
        """Stems of the first ``count`` words of the lead."""
        return [light_stem(w) for w in self.lead_words[:count]]

    def features(self) -> list[str]:
        """Feature strings: words, light stems, stem bigrams, the four-letter heads of
        long stems (a cheap root-like form that joins derived words) and character
        n-grams."""
        stems = self.title_stems + self.lead_stems
        return [
            *self.title_words,
            *self.lead_words,
            *(f"s:{stem}" for stem in stems),
            *(f"{a}_{b}" for a, b in itertools.pairwise(stems)),
            *(f"p:{stem[:4]}" for stem in stems if len(stem) > 4),
            *(gram for word in self.short_text_words() for gram in char_grams(word)),
        ]

    def short_text_words(self) -> list[str]:
        """All words of a short text (headline, post); none of a long one. Character
        n-grams are read from these only: long texts have words enough."""
        tokens = self.title_words + self.lead_words
        return tokens if len(tokens) <= SHORT_WORDS else []


def char_grams(word: str) -> list[str]:
    """Feature strings of the character n-grams of ``word`` (``CHAR_GRAM_SIZES``)."""
    padded = f"<{word}>"
    return [f"c:{padded[i : i + n]}" for n in CHAR_GRAM_SIZES for i in range(len(padded) - n + 1)]


def topic_features(title: str | None, text: str | None) -> list[str]:
    """Feature strings of one document (see ``Document.features``)."""
    return Document.of(title, text).features()
