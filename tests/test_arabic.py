import polars as pl
import pytest
import regex

from marsad.arabic import (
    match_key,
    match_keyed,
    normalize,
    normalized,
    proclitic_writings,
    query_keys,
    readings,
    search_keys,
    strip_proclitics,
    words,
)

CASES = [
    # (written, normalize, match_key)
    ("أحمد", "احمد", "احمد"),
    ("إسلام", "اسلام", "اسلام"),
    ("آمال", "امال", "امال"),
    ("مدرسة", "مدرسه", "مدرسه"),
    ("مصطفى", "مصطفي", "مصطفي"),
    ("القـــاهرة", "القاهره", "القاهره"),
    ("مُحَمَّدٌ", "محمد", "محمد"),
    ("٣١ - ٠٥ - ٢٠٢٠", "31 - 05 - 2020", "31 05 2020"),
    ("۱۲۳", "123", "123"),
    ("ماذا؟ نعم، لا؛", "ماذا? نعم, لا;", "ماذا نعم لا"),
    ("خبر\u00a0\u00a0عاجل\u200f  اليوم ", "خبر عاجل اليوم", "خبر عاجل اليوم"),
    ("مسؤول", "مسوول", "مسوول"),
    ("رئيس", "رييس", "رييس"),
    ("«Le360» يكتب", '"Le360" يكتب', "le360 يكتب"),
]


@pytest.mark.parametrize(("written", "expected", "_key"), CASES)
def test_normalize(written, expected, _key):
    assert normalize(written) == expected


@pytest.mark.parametrize(("written", "_normal", "expected"), CASES)
def test_match_key(written, _normal, expected):
    assert match_key(written) == expected


def test_expressions_agree_with_scalar_functions():
    written = [case[0] for case in CASES]
    frame = pl.DataFrame({"t": written}).select(
        normalized(pl.col("t")).alias("n"), match_keyed(pl.col("t")).alias("k")
    )
    assert frame["n"].to_list() == [normalize(t) for t in written]
    assert frame["k"].to_list() == [match_key(t) for t in written]


def test_spelling_variants_share_a_key():
    assert match_key("أحمد عبد الله") == match_key("احمد  عبدالله".replace("عبدالله", "عبد الله"))
    assert match_key("وزارة الصحة!") == match_key("وزاره الصحه")


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("احمد", "التقى أحمد بالوزير"),
        ("أحمد", "وقال بأحمد"),
        ("مصر", "عاد إلى مصر"),
        ("مصر", "في ومصر وبمصر"),
        ("لبنان", "زار بلبنان"),  # ل is the name's own letter, ب the clitic
        ("لبنان", "دعم للبنان"),
        ("الوزير", "قال وزير المالية"),
        ("وزير", "التقى بالوزير"),
        ("بشار", "قال بشار"),
        ("رئيس الوزراء", "قال رئيس الوزراء"),
    ],
)
def test_search_finds_clitic_and_spelling_variants(query, text):
    assert set(query_keys(query)) <= search_keys(text)


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("مصر", "مصرف لبنان"),  # a word that starts like the query is another word
        ("بشار", "شار"),
        ("والي", "عاد إلى بيته"),  # إلى folds to الي, not to the governor
        ("نفط", "أسعار الذهب"),
    ],
)
def test_search_does_not_match_other_words(query, text):
    assert not set(query_keys(query)) <= search_keys(text)


def test_query_keys_are_each_word_once_without_article():
    assert query_keys("الوزير، والوزير وزير") == ["وزير", "والوزير"]
    assert query_keys("  ؟ ") == []


@pytest.mark.parametrize(
    "text",
    [
        "وَقَالَ الرَّئِيسُ: «السلامُ» — الآن!",
        "المنتخـــب الوطنيّ ، يفوز ٣-١ في ٢٠٢٤",
        "كتب\u200cها و\u200fالنص \ufeffهنا",  # invisible marks inside words join them
        "- ، . «» ...",  # chunks of punctuation only, asked twice below
        "İstanbul Straße ǅ a\u2028b\x85c",
        "",
    ],
)
def test_words_are_the_words_of_the_match_key(text):
    """``words`` folds each chunk between spaces once and keeps it: the result must be the
    letter runs of the match key, however often a chunk comes back."""
    expected = regex.findall(r"[\p{L}\p{N}]+", match_key(text))
    assert words(text) == expected
    assert words(text + " " + text) == expected + expected


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("وبالرياض", "رياض"),  # the longest proclitic run first
        ("والرياض", "رياض"),
        ("للقدس", "قدس"),
        ("بحر", "بحر"),  # ب would leave fewer than three letters
        ("لله", "لله"),
        ("وليد", "ليد"),  # a clitic-like first letter goes (the gazetteer tries both readings)
        ("كتاب", "تاب"),
        ("مصر", "مصر"),
        ("", ""),
    ],
)
def test_strip_proclitics_takes_the_first_proclitic_that_leaves_a_stem(word, stem):
    assert strip_proclitics(word) == stem


def test_proclitic_writings_are_the_words_that_read_as_a_form_without_the_article():
    forms = {match_key(w) for w in ("مدينة", "حي", "قرى", "الحي", "بلدة")}
    written = proclitic_writings(forms)
    # Every word that reads as one of the forms without the article, and only those.
    words_of_text = ["مدينه", "بمدينه", "ولمدينه", "وبحي", "فلقري", "بلده", "الحي", "بالحي"]
    words_of_text += ["للحي", "مدينتين", "حي", "كحي", "ومدينهم", "لل", "ب"]
    for word in words_of_text:
        read = {form for form, article in readings(word) if not article and form in forms}
        assert written.get(word) == next(iter(read), None), word
    assert written["بمدينه"] == "مدينه" and "الحي" not in written and "بالحي" not in written
