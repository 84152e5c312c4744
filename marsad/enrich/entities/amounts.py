"""Amounts, dates and adjectives the models read as names: ريال of "500 ريال" (Real Madrid cut
short), نيسان of "15 نيسان" (Nissan), مالي of "مبلغ مالي" (Mali), الأهلي of "التعليم الأهلي"
(the club). The first of the text-reading rules (``linking.read_as_text``).
"""

from __future__ import annotations

from marsad.arabic import match_key
from marsad.enrich.gazetteer import word_key, word_keys
from marsad.ingest.months import MONTH_NAMES

# Currency words (keys) after which a demonym names the currency: دولار أمريكي، ريال سعودي.
CURRENCIES = word_keys(
    *("دولار", "دولارا", "دولارات", "جنيه", "جنيها", "دينار", "دينارا", "درهم", "درهما"),
    *("ريال", "ريالا", "ريالات", "ليرة", "روبية", "روبل", "فرنك", "ين", "يوان", "شيكل"),
    *("شيقل", "يورو", "دراهم", "دنانير"),
)
# Words of a figure written out, before a currency word (مليون ريال, ألف وتسعمائة ريال).
NUMBER_WORDS = word_keys(
    *("واحد", "اثنين", "اثنان", "ثلاثة", "ثلاث", "أربعة", "أربع", "خمسة", "خمس", "ستة"),
    *("ست", "سبعة", "سبع", "ثمانية", "ثماني", "تسعة", "تسع", "عشرة", "عشر", "عشرين"),
    *("عشرون", "ثلاثين", "أربعين", "خمسين", "ستين", "سبعين", "ثمانين", "تسعين", "مئة"),
    *("مائة", "مئتي", "مائتي", "ثلاثمائة", "أربعمائة", "خمسمائة", "ستمائة", "سبعمائة"),
    *("ثمانمائة", "تسعمائة", "ألف", "آلاف", "ألفي", "مليون", "ملايين", "مليوني"),
    *("مليار", "مليارات", "ملياري", "تريليون", "نصف", "ربع"),
)
# Closing marks between a figure and its currency: (1.870.000) ريال, “517,167,920” ريال.
_CLOSING = frozenset(")]”\"»’'")
# Marks between a month's two names: نيسان (أبريل), أبريل/نيسان.
_BETWEEN_MONTHS = frozenset("()/-")
# One-word month names (keys): نيسان of "نيسان (أبريل)" is a date, not Nissan.
MONTHS = word_keys(
    *(
        name
        for names in MONTH_NAMES.values()
        for name in names
        if " " not in name and any("\u0600" <= c <= "\u06ff" for c in name)
    )
)

# Nouns that مالي after them qualifies as "financial" (مبلغ مالي, a sum of money; دعم مالي,
# financial support), which the models read as Mali: the words written before a bare مالي in
# SaudiNewsNet, all but those before the country (في, وسط, شمال, حكومة, شعب, جيش…).
MONEY_NOUNS = word_keys(
    *("مبلغ", "إنقاذ", "دعم", "فساد", "تمويل", "مقابل", "عجز", "عرض", "نظام", "انهيار"),
    *("وسيط", "هدر", "ضخ", "مستشار", "عبء", "صندوق", "إجراء", "حافز", "عائد", "إصلاح"),
    *("تعويض", "مورد", "استحقاق", "مردود", "محلل", "استقلال", "إرهاق", "مأزق", "سوق"),
    *("أجر", "دخل", "وضع", "التزام", "قرض", "ركود", "مرتب", "فائض", "سقف", "محاسب"),
    *("مركز", "احتيال", "دفع", "بدل", "شرط", "تأثير", "منتج", "خبير", "مدير", "عون"),
)


def adjective_ending(word: str) -> bool:
    """Whether a word ends like a nisba adjective (إداري, اقتصادية), so that a place name
    joined to it by و is the adjective it also is (إداري ومالي: administrative and financial)."""
    return match_key(word).endswith(("ي", "يه"))


def _financial(before: str, word: str) -> bool:
    """Whether مالي is "financial": after a noun of money (مبلغ مالي), or joined by و to an
    adjective before it (إداري ومالي, اقتصادي ومالي)."""
    if word == "مالي":
        return word_key(before) in MONEY_NOUNS
    return word == "ومالي" and adjective_ending(before)


def _figure(word: str) -> bool:
    return any(c.isdigit() for c in word) or word_key(word) in NUMBER_WORDS


def _neighbour(words: list[str], i: int, step: int, skipped: frozenset[str]) -> str | None:
    i += step
    while 0 <= i < len(words) and words[i] in skipped:
        i += step
    return words[i] if 0 <= i < len(words) else None


# Nouns that الأهلي after them qualifies as "private" or "civil" (التعليم الأهلي, private
# education; القطاع الأهلي; السلم الأهلي, civil peace), where the models read the club; the
# nouns written before الأهلي in SaudiNewsNet that are no club's (not النادي, فريق, البنك…).
PRIVATE_NOUNS = word_keys(
    *("التعليم", "القطاع", "السلم", "العمل", "المستشفى", "المشفى", "المدارس", "الحكومي"),
)
_AHLI = word_key("الأهلي")


def _private(before: str, word: str) -> bool:
    """Whether الأهلي is "private" or "civil": after such a noun (``PRIVATE_NOUNS``), or
    joined by و to الحكومي (public and private)."""
    return word_key(word) == _AHLI and word_key(before) in PRIVATE_NOUNS


def untag_amounts_and_dates(words: list[str], tags: list[str]) -> list[str]:
    """Tags of one-word names that are an amount or a date left out: a currency word after a
    figure (500 ريال, مليون ريال; the models read ريال as Real Madrid cut short), a month
    beside its other name or a figure (نيسان (أبريل), 15 نيسان, نيسان 2014; read as Nissan),
    مالي where it is "financial" (مبلغ مالي, إداري ومالي), not Mali, and الأهلي where it is
    "private" (التعليم الأهلي), not the club."""
    tags = list(tags)
    for i, tag in enumerate(tags):
        if not tag.startswith("B-") or (i + 1 < len(tags) and tags[i + 1].startswith("I-")):
            continue  # not a name of one word
        key = word_key(words[i])
        if key in CURRENCIES:
            before = _neighbour(words, i, -1, _CLOSING)
            if before is not None and _figure(before):
                tags[i] = "O"
        elif key in MONTHS:
            sides = [_neighbour(words, i, step, _BETWEEN_MONTHS) for step in (-1, 1)]
            if any(w is not None and (_figure(w) or word_key(w) in MONTHS) for w in sides):
                tags[i] = "O"
        elif i > 0 and (_financial(words[i - 1], words[i]) or _private(words[i - 1], words[i])):
            tags[i] = "O"
    return tags
