"""The source an article credits (an agency's dateline or closing credit, a paper's
syndication service) is kept apart from the outlet that published it."""

import collections

import polars as pl
import pytest

from marsad.ingest.page_parsing import parse_records
from marsad.ingest.source_credits import credit_spans, source_credit, source_credits
from marsad.warehouse.tables import build_tables
from tests.conftest import SHARED, shared_file
from tests.test_warehouse_tables import records

SPA = ("وكالة الأنباء السعودية", "spa")
AFP = ("وكالة الصحافة الفرنسية", "afp")


@pytest.mark.parametrize(
    ("body", "credited"),
    [
        # Datelines: agency first (Sabq), after the city, in brackets, or unnamed.
        ("واس- جدة:\u00a0التقى صاحب السمو الملكي", SPA),
        (" واس - الرياض : ثمن مسؤولون يمنيون", SPA),
        ("الرياض – واس\nتعد الخريبة من أجمل المواقع", SPA),
        ("رويترز- بنغازي (ليبيا): قال يوم الاثنين", ("رويترز", "reuters")),
        ("د ب أ - لندن: يقص تشيلسي وأرسنال", ("وكالة الأنباء الألمانية", "dpa")),
        ("القاهرة (أ ش أ) - أعلنت الحكومة", ("وكالة أنباء الشرق الأوسط", "mena")),
        ("الدوحة (قنا) - أعلنت الوزارة", ("وكالة الأنباء القطرية", "qna")),
        ("سبق- وكالات: أعلنت وزارة الداخلية", ("وكالات", None)),
        ("سبق - الوكالات : فجّر مجهولون", ("وكالات", None)),
        # Closing credits: spaced or dotted letters, after المصدر, a paper's service.
        ("أطفال فلسطينيون في أحد المخيمات أمس. \n(أ. ف. ب) ", AFP),
        ("في بيفرلي هيلز - كاليفورنيا (أ ف ب)", AFP),
        ("على سلم ريشتر. (واج)", ("وكالة الأنباء الجزائرية", "aps")),
        ("للحفاظ على المال العام.المصدر (وات)", ("وكالة تونس إفريقيا للأنباء", "tap")),
        (
            "حسب أتكنسون.\n* خدمة «واشنطن بوست»\nخاص بـ«الشرق الأوسط»",
            ("واشنطن بوست", "washingtonpost"),
        ),
        ("مدمرة.\n\n * خدمة «نيويورك تايمز»", ("نيويورك تايمز", "nytimes")),
        ("في أكبر الأسواق. (سكاي نيوز)", ("سكاي نيوز عربية", "skynewsarabia")),
        # An outlet translated; one-word credits the registry lists in brackets.
        ("كان تأثيرها بسيطاً. (ترجمة هافينغتون بوست)", ("هافينغتون بوست عربي", "huffpostarabi")),
        ('جوانب الرحمة في الإسلام". (DW)', ("دويتشه فيله", "dwarabic")),
        ("ولاسيما في الجانب الأمني. (سوا)", ("راديو سوا", "radiosawa")),
    ],
)
def test_a_credited_source_is_read_with_its_registry_id(body, credited):
    assert source_credit(body) == credited


@pytest.mark.parametrize(
    "body",
    [
        # A month's Levantine name in brackets, not AP's letters run together.
        "حتى 23 أغسطس (آب).",
        # An agency named in a sentence is reported speech, not a credit.
        "ذكرت وكالة أنباء الصين الجديدة (شينخوا) نقلا عن الإدارة",
        "صور بثتها وكالات الأنباء العالمية عن مظاهر العيد",
        # قنا is also a town: a reporter's dateline, unless the agency is in brackets.
        "محمد علي - قنا: شهدت المحافظة",
        # One word in brackets at the end is a place or a language, not an outlet.
        "وصل الوفد إلى العاصمة (الرياض).",
        "ترجمت الرواية إلى (العربية)",
        # A translation credits its outlet, not a language.
        "(ترجمة العربية)",
        # A credit in the middle of a long body is a photo's or a quote's.
        "قال المتحدث (رويترز) إن" + " كلام" * 60,
        "",
        None,
    ],
)
def test_no_source_where_the_text_credits_none(body):
    assert source_credit(body) == (None, None)


def test_the_warehouse_keeps_the_credit_beside_the_outlet_and_counts_it_for_the_agency():
    page = "عنوان الخبر\nنشر في هسبريس يوم 31 - 05 - 2020\n\nالرباط (و م ع) - أعلنت الوزارة.\n"
    own = "خبر آخر\nنشر في هسبريس يوم 31 - 05 - 2020\n\nقال مراسلنا إن الأمطار هطلت.\n"
    recs = records([page, own], [1, 2])
    tables = build_tables(recs, parse_records(recs))
    articles = tables["articles"].sort("title")
    assert articles.select("outlet_id", "source_credit", "source_credit_id").rows() == [
        ("hespress", None, None),
        ("hespress", "وكالة المغرب العربي للأنباء", "map"),
    ]
    outlets = {r["outlet_id"]: r for r in tables["outlets"].iter_rows(named=True)}
    assert (outlets["map"]["articles"], outlets["map"]["sourced_articles"]) == (0, 1)
    assert (outlets["hespress"]["articles"], outlets["hespress"]["sourced_articles"]) == (2, 0)


def test_saudinewsnet_credits_by_outlet():
    """On the 31,030 SaudiNewsNet articles: Asharq Al-Awsat's syndicated stories are credited
    to their paper, Sabq's wire datelines to their agency; no more than a handful elsewhere (the
    count read by hand when the rule was written: 303, all credits)."""
    frame = pl.read_parquet(
        shared_file(SHARED / "data" / "saudinewsnet" / "saudinewsnet.parquet"),
        columns=["source", "content"],
    )
    credited = frame.with_columns(source_credits(pl.col("content"))).drop_nulls("source_credit")
    found = collections.Counter(credited.select("source", "source_credit").iter_rows())
    services = frame.filter(
        pl.col("content").str.contains(r"[*•]\s*خدمة\s*[«{](?:نيويورك تايمز|واشنطن بوست)")
    )
    # One of the 69 credits closes the main story before a sidebar: only the end is read.
    assert found["aawsat", "نيويورك تايمز"] + found["aawsat", "واشنطن بوست"] == 68
    assert services.height == 69
    assert found["sabq", SPA[0]] >= 93
    assert found["sabq", "وكالات"] >= 63
    assert found["3alyoum", SPA[0]] >= 36
    assert 300 <= sum(found.values()) <= 320
    # Where the entity tagger looks for the credit (Python's regex engine), it finds it on the
    # same bodies as the warehouse's column (Polars').
    spans = [any(credit_spans(body)) for body in frame["content"]]
    assert (
        spans
        == frame.select(source_credits(pl.col("content")))["source_credit"].is_not_null().to_list()
    )


def test_social_posts_credit_no_source():
    frame = pl.read_parquet(
        shared_file(SHARED / "data" / "asnd" / "asnd_train80.parquet"), columns=["text"]
    )
    assert frame.select(source_credits(pl.col("text"))).drop_nulls().height == 0


def test_ant_credits_translations_and_broadcasters():
    """ANT's Tunisian sites close copied stories on the source in brackets: "(سكاي نيوز)",
    "(ترجمة هافينغتون بوست)", "(DW)", "(سوا)" (46 articles of 8,128 when the rule was
    written, read by hand: all credits)."""
    frame = pl.read_parquet(
        shared_file(SHARED / "data" / "antcorpus" / "antcorpus_v1.1_train80.parquet"),
        columns=["text"],
    )
    credited = frame.with_columns(source_credits(pl.col("text")))["source_credit_id"]
    found = collections.Counter(credited.drop_nulls().to_list())
    assert found["skynewsarabia"] == 10 and found["huffpostarabi"] == 9
    assert found["dwarabic"] == found["radiosawa"] == found["alaraby"] == 1
    assert 40 <= sum(found.values()) <= 50
    spans = [any(credit_spans(body)) for body in frame["text"]]
    assert (
        spans
        == frame.select(source_credits(pl.col("text")))["source_credit"].is_not_null().to_list()
    )
