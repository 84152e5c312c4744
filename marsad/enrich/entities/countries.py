"""Country attribution: places, organisations and demonyms to countries, with the rules that
tell a club, a language, a currency, an institute or a district from news of the place;
and which countries an article is about rather than merely mentions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from functools import cache

from marsad.arabic import bare, match_key, proclitic_writings, readings
from marsad.enrich.entities.amounts import adjective_ending
from marsad.enrich.entities.features import triggers
from marsad.enrich.entities.linking import CountryMention
from marsad.enrich.gazetteer import (
    AMBIGUOUS_NAMES,
    EVERYDAY_WORD_PLACES,
    SUPRANATIONAL,
    Place,
    name_key,
    word_key,
    word_keys,
)


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


def everyday_word(words: list[str], at: int, untagged: bool) -> bool:
    """Whether the place name at ``at`` is read as the everyday word it also is: where the
    tagger reads no place there, or where و joins it to an adjective before it (إداري ومالي:
    administrative and financial, which the tagger may read as Mali)."""
    key = match_key(words[at])
    if key in EVERYDAY_WORD_PLACES:
        return untagged
    if key[:1] not in "وف" or key[1:] not in EVERYDAY_WORD_PLACES:
        return False
    return untagged or (at > 0 and adjective_ending(words[at - 1]))


def names_a_club(words: list[str], at: int, place: Place) -> bool:
    """Whether the town at ``at`` is a club's, right after a club word (مستقبل قابس), but
    for a town written as where something is (بالملعب الأولمبي بسوسة: in Sousse)."""
    if at == 0 or word_key(words[at - 1]) not in CLUB_WORDS:
        return False
    word, town = match_key(words[at]), name_key(place.name)[0]
    before_town = word[: len(word) - len(town)] if word.endswith(town) else ""
    return "ب" not in before_town


def name_after_title(words: list[str], at: int) -> bool:
    """Whether a demonym without the article after a title with it is a name: الأمير تركي
    الفيصل (the adjective agrees: الرئيس التركي is the Turkish president)."""
    if at == 0 or match_key(words[at]).startswith("ال"):
        return False
    title = match_key(words[at - 1])
    return title.startswith("ال") and triggers().get(word_key(words[at - 1])) == "per"


def right_hand_side(words: list[str], at: int) -> bool:
    """Whether اليمنى is the right side (اليد اليمنى، للجهة اليمنى، ركبته اليمنى), not a
    Yemeni written with a final ى: a masculine demonym after a feminine noun."""
    if not words[at].endswith("يمنى") or at == 0:
        return False
    before = words[at - 1]
    return before.endswith(("ة", "ته", "تها")) or word_key(before) in FEMININE_SIDES


def names_a_language(words: list[str], at: int) -> bool:
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


def place_word(word: str, among: frozenset[str] = PLACE_WORDS) -> str | None:
    """The place word (key) that a word of text is, with any proclitic but no article:
    بمدينة، وحي; None for any other word."""
    return _writings(among).get(match_key(word))


@cache  # asked of every word of a text: the few lists' words as texts write them, once
def _writings(among: frozenset[str]) -> dict[str, str]:
    return proclitic_writings(among)


def _no_one_place(normal: list[str]) -> bool:
    """Whether a name is a region of several countries (أوروبا) or an ambiguous one
    (عمان), read with or without the proclitics on its first word: وآسيا and لأوروبا too."""
    rest = tuple(bare(w) for w in normal[1:])
    return any(
        (first, *rest) in SUPRANATIONAL or (first, *rest) in AMBIGUOUS_NAMES
        for first, _ in readings(normal[0])
    )


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
    by_start = {s: (e, place) for s, e, place in places}
    by_end = {e: (s, place) for s, e, place in places}
    covered = {i for s, e, _ in places for i in range(s, e)}
    keys = [word_key(w) for w in words]
    sentence_of = sentence_of or [0] * len(words)
    located: dict[tuple[int, int], str] = {}
    for s, e in _unknown_places(words, keys, spans, covered, place_at):
        # Regions of several countries, and عمان (Amman or Oman), are no one place.
        if _no_one_place(normal[s:e]):
            continue
        introduced_by = place_word(words[s - 1]) if s > 0 else None
        code = (
            _place_after(words, keys, e, place_at)
            or NATIONAL_PLACE_WORDS.get(introduced_by or place_word(words[s]) or "")
            or _listed_with(words, s, e, by_start, by_end)
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
    words: list[str],
    s: int,
    e: int,
    by_start: dict[int, tuple[int, Place]],
    by_end: dict[int, tuple[int, Place]],
) -> str | None:
    """The one country of the known places listed with the span, joined by و, where the
    list has at least two (الحسكة وحلب وعين عيسى ودير الزور; not لندن وعمان). The known
    places are given by their first word and by the word after them."""
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
    repeated: dict[tuple[int, int], str] = {}
    if not names:
        return repeated
    # Where each word is, so that a name is looked for where its first word is, not at every
    # word (a long text names many places).
    positions: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        positions.setdefault(key, []).append(i)
    for name, (first, code) in names.items():
        size = len(name)
        for i in positions[name[0]]:
            if i < first + size or i + size > len(keys):
                continue
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
