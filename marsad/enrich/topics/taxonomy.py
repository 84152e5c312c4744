"""IPTC Media Topics, top level: codes, English and Arabic labels, and how each labelled
source's categories map onto them.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Topic:
    code: str
    en: str
    ar: str


# IPTC Media Topics, top level (https://cv.iptc.org/newscodes/mediatopic/), in code order.
TOPICS: tuple[Topic, ...] = (
    Topic("01000000", "arts, culture, entertainment and media", "فنون وثقافة وترفيه وإعلام"),
    Topic("02000000", "crime, law and justice", "جريمة وقانون وعدالة"),
    Topic("03000000", "disaster, accident and emergency incident", "كوارث وحوادث وطوارئ"),
    Topic("04000000", "economy, business and finance", "اقتصاد وأعمال ومال"),
    Topic("05000000", "education", "تعليم"),
    Topic("06000000", "environment", "بيئة"),
    Topic("07000000", "health", "صحة"),
    Topic("08000000", "human interest", "قصص إنسانية"),
    Topic("09000000", "labour", "عمل وعمال"),
    Topic("10000000", "lifestyle and leisure", "أسلوب حياة وترفيه"),
    Topic("11000000", "politics", "سياسة"),
    Topic("12000000", "religion", "دين"),
    Topic("13000000", "science and technology", "علوم وتكنولوجيا"),
    Topic("14000000", "society", "مجتمع"),
    Topic("15000000", "sport", "رياضة"),
    Topic("16000000", "conflict, war and peace", "نزاعات وحروب وسلام"),
    Topic("17000000", "weather", "طقس"),
)
TOPIC_CODES = tuple(topic.code for topic in TOPICS)
TOPIC_BY_CODE = {topic.code: topic for topic in TOPICS}

# Source label → IPTC code. None: the label says where or how, not what (not a topic),
# and is never learned as a topic.
SOURCE_LABELS: dict[str, dict[str, str | None]] = {
    "antcorpus": {
        "culture": "01000000",
        "economy": "04000000",
        "politic": "11000000",
        "technology": "13000000",
        "society": "14000000",
        "sport": "15000000",
        "localNews": None,
        "internationalNews": None,
        "diverse": None,
    },
    "asnd": {
        "art-and-entertainment": "01000000",
        "business-and-economy": "04000000",
        "education": "05000000",
        "environment": "06000000",
        "health": "07000000",
        # IPTC files human rights and press freedom under politics (fundamental rights).
        "human-rights-press-freedom": "11000000",
        "politics": "11000000",
        "spiritual": "12000000",
        "science-and-technology": "13000000",
        "sports": "15000000",
        "crime-war-conflict": "16000000",
        "others": None,
    },
}


def topic_label(code: str | None, language: str = "en") -> str:
    """Display label of a topic code ('unclassified' for None)."""
    if code is None or code not in TOPIC_BY_CODE:
        return "غير مصنف" if language == "ar" else "unclassified"
    topic = TOPIC_BY_CODE[code]
    return topic.ar if language == "ar" else topic.en


def topics_frame() -> pl.DataFrame:
    """The ``topics`` warehouse table: codes, labels and the source labels mapped to each."""
    mapped: dict[str, list[str]] = {code: [] for code in TOPIC_CODES}
    for source, labels in SOURCE_LABELS.items():
        for label, code in labels.items():
            if code is not None:
                mapped[code].append(f"{source}:{label}")
    return pl.DataFrame(
        {
            "topic": list(TOPIC_CODES),
            "qcode": [f"medtop:{code}" for code in TOPIC_CODES],
            "label_en": [topic.en for topic in TOPICS],
            "label_ar": [topic.ar for topic in TOPICS],
            "source_labels": [", ".join(mapped[code]) for code in TOPIC_CODES],
        }
    )
