"""The aggregator page rules: the real example exactly, then each variation of DESIGN.md §1."""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from marsad.ingest.aggregator_page import parse_page_text, parse_pages
from marsad.ingest.readers import read_inputs, records_frame
from marsad.ingest.readers.records import decode_page
from marsad.synthetic import broken_pages, generate, write_pages

NBSP4 = "\u00a0" * 4
TICKER = ["الأسهم تحفز تداولات البورصة", "فليك ينتظر هيمنة برشلونة", "أسعار النفط ترتفع"]
NOTICE = "شكرا على الإبلاغ!\nسيتم حجب هذه الصورة تلقائيا عندما يتم الإبلاغ عنها من طرف عدة أشخاص."
TITLE = "بعد تدخلها في سوريا ما الذي تبحث عنه روسيا في ليبيا ؟"
BODY = ["أشارت مصادر إعلامية إلى أن موسكو أرسلت طائرات.", "ويحاول بوتين استعادة العلاقات."]
FOOTER = "انقر هنا لقراءة الخبر من مصدره."


def page(
    ticker: str | None = NBSP4.join(TICKER) + NBSP4,
    notice: bool = True,
    title: str = TITLE,
    byline: str = "نشر في كاب 24 تيفي يوم 31 - 05 - 2020",
    body: list[str] = BODY,
    footer: bool = True,
) -> str:
    parts = []
    if ticker is not None:
        parts += [ticker, "", "", "", ""]
    if notice:
        parts += [NOTICE, "", ""]
    parts += [title, byline, ""]
    for paragraph in body:
        parts += [paragraph, ""]
    if footer:
        parts += ["", FOOTER]
    return "\n".join(parts) + "\n"


def test_real_example_page(seed_page: Path):
    text, encoding = decode_page(seed_page.read_bytes())
    parsed = parse_page_text(text)
    assert encoding == "utf-8"
    assert parsed["title"] == TITLE
    assert parsed["outlet"] == "كاب 24 تيفي"
    assert parsed["published_date"] == dt.date(2020, 5, 31)
    assert parsed["parse_error"] is None
    # The ticker line holds 58 NBSP-separated headlines (58 separators, one trailing).
    assert len(parsed["headlines"]) == 58
    assert parsed["headlines"][0].startswith("منتدى نواكشوط الاقتصادي")
    assert parsed["headlines"][-1] == "مصل يقتل ب40 طعنة على يد آخر قبيل صلاة الجمعة بفرنسا"
    paragraphs = parsed["body"].split("\n")
    assert len(paragraphs) == 7
    assert paragraphs[0].startswith("أشارت مصادر اعلامية أمريكية")
    assert paragraphs[-1].endswith("وهذا هو ربما بيت القصيد.")
    for boilerplate in ("شكرا على الإبلاغ", "سيتم حجب", "انقر هنا"):
        assert boilerplate not in parsed["body"]


def test_standard_page():
    parsed = parse_page_text(page())
    assert parsed["title"] == TITLE
    assert parsed["outlet"] == "كاب 24 تيفي"
    assert parsed["published_date"] == dt.date(2020, 5, 31)
    assert parsed["headlines"] == TICKER
    assert parsed["body"] == "\n".join(BODY)


def test_ticker_separated_by_ordinary_spaces():
    assert parse_page_text(page(ticker="   ".join(TICKER) + "    "))["headlines"] == TICKER


def test_ticker_with_mixed_space_runs():
    ticker = TICKER[0] + "\u00a0\u00a0 \u00a0" + TICKER[1] + "     " + TICKER[2]
    assert parse_page_text(page(ticker=ticker))["headlines"] == TICKER


def test_headline_with_single_spaces_is_not_split():
    ticker = "خبر  فيه مسافتان" + NBSP4 + TICKER[0] + NBSP4
    assert parse_page_text(page(ticker=ticker))["headlines"] == ["خبر  فيه مسافتان", TICKER[0]]


def test_page_without_ticker():
    parsed = parse_page_text(page(ticker=None))
    assert parsed["headlines"] == []
    assert parsed["title"] == TITLE


def test_page_without_notice():
    parsed = parse_page_text(page(notice=False))
    assert (parsed["title"], parsed["headlines"]) == (TITLE, TICKER)


def test_page_without_ticker_notice_or_footer():
    parsed = parse_page_text(page(ticker=None, notice=False, footer=False))
    assert (parsed["title"], parsed["body"]) == (TITLE, "\n".join(BODY))


def test_page_without_footer():
    assert parse_page_text(page(footer=False))["body"] == "\n".join(BODY)


def test_crlf_line_ends():
    parsed = parse_page_text(page().replace("\n", "\r\n"))
    assert parsed["title"] == TITLE
    assert parsed["body"] == "\n".join(BODY)
    assert parsed["headlines"] == TICKER


def test_utf8_bom():
    text, encoding = decode_page(b"\xef\xbb\xbf" + page().encode("utf-8"))
    assert encoding == "utf-8"
    assert parse_page_text(text)["headlines"][0] == TICKER[0]


def test_windows_1256():
    text, encoding = decode_page(page().encode("cp1256"))
    assert encoding == "windows-1256"
    parsed = parse_page_text(text)
    assert (parsed["title"], parsed["outlet"]) == (TITLE, "كاب 24 تيفي")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("31 - 05 - 2020", dt.date(2020, 5, 31)),
        ("٣١ - ٠٥ - ٢٠٢٠", dt.date(2020, 5, 31)),
        ("31 ماي 2020", dt.date(2020, 5, 31)),  # Maghreb
        ("3 يوليوز 2021", dt.date(2021, 7, 3)),
        ("3 غشت 2021", dt.date(2021, 8, 3)),
        ("3 شتنبر 2021", dt.date(2021, 9, 3)),
        ("3 نونبر 2021", dt.date(2021, 11, 3)),
        ("3 دجنبر 2021", dt.date(2021, 12, 3)),
        ("3 جانفي 2021", dt.date(2021, 1, 3)),  # Algeria / Tunisia
        ("3 فيفري 2021", dt.date(2021, 2, 3)),
        ("3 أفريل 2021", dt.date(2021, 4, 3)),
        ("3 جوان 2021", dt.date(2021, 6, 3)),
        ("3 جويلية 2021", dt.date(2021, 7, 3)),
        ("3 أوت 2021", dt.date(2021, 8, 3)),
        ("3 كانون الثاني 2021", dt.date(2021, 1, 3)),  # Levant
        ("3 شباط 2021", dt.date(2021, 2, 3)),
        ("3 آذار 2021", dt.date(2021, 3, 3)),
        ("3 نيسان 2021", dt.date(2021, 4, 3)),
        ("3 أيار 2021", dt.date(2021, 5, 3)),
        ("3 حزيران 2021", dt.date(2021, 6, 3)),
        ("3 تموز 2021", dt.date(2021, 7, 3)),
        ("3 آب 2021", dt.date(2021, 8, 3)),
        ("3 أيلول 2021", dt.date(2021, 9, 3)),
        ("3 تشرين الأول 2021", dt.date(2021, 10, 3)),
        ("3 يناير 2021", dt.date(2021, 1, 3)),  # Egypt / Gulf
        ("3 مايو 2021", dt.date(2021, 5, 3)),
        ("3 يوليو 2021", dt.date(2021, 7, 3)),
        ("3 أغسطس 2021", dt.date(2021, 8, 3)),
        ("الخميس ٣ يونيو ٢٠٢١", dt.date(2021, 6, 3)),
    ],
)
def test_byline_dates(written, expected):
    parsed = parse_page_text(page(byline=f"نشر في هسبريس يوم {written}"))
    assert (parsed["outlet"], parsed["published_date"]) == ("هسبريس", expected)


@pytest.mark.parametrize(
    "outlet", ["كاب 24 تيفي", "Le360", "اليوم 24", "اليوم السابع", "Maroc Diplomatique", "2M"]
)
def test_outlet_names_with_digits_or_latin_letters(outlet):
    parsed = parse_page_text(page(byline=f"نشر في {outlet} يوم 31 - 05 - 2020"))
    assert (parsed["outlet"], parsed["published_date"]) == (outlet, dt.date(2020, 5, 31))


@pytest.mark.parametrize(
    "byline",
    [
        "نشر في اليوم 24 في 31 ماي 2020",
        "نشر في اليوم 24 31 - 05 - 2020",
        "نُشر فى اليوم 24 يوم 31 ماي 2020",
    ],
)
def test_byline_without_yawm_or_with_spelling_variants(byline):
    parsed = parse_page_text(page(byline=byline))
    assert (parsed["outlet"], parsed["published_date"]) == ("اليوم 24", dt.date(2020, 5, 31))


def test_future_byline_date_is_flagged_not_replaced():
    parsed = parse_page_text(
        page(byline="نشر في هسبريس يوم 01 - 01 - 2099"), today=dt.date(2026, 1, 1)
    )
    assert (parsed["published_date"], parsed["date_flag"]) == (None, "future")
    assert parsed["parse_error"] is None  # still an article, without a trusted date


def test_unparsed_byline_date_is_flagged():
    parsed = parse_page_text(page(byline="نشر في هسبريس يوم أمس"))
    assert (parsed["outlet"], parsed["published_date"], parsed["date_flag"]) == (
        "هسبريس",
        None,
        "unparsed",
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("\n\n   \n", "empty"),
        ("عنوان\n\nنص بلا سطر نشر.\n", "no_byline"),
        (NBSP4.join(TICKER) + "\n\nنشر في هسبريس يوم 12 - 03 - 2021\n\nنص.\n", "no_title"),
    ],
)
def test_pages_without_an_article(text, reason):
    parsed = parse_page_text(text)
    assert parsed["parse_error"] == reason


def test_ticker_kept_on_page_without_article():
    parsed = parse_page_text(NBSP4.join(TICKER) + NBSP4 + "\n\nنص بلا عنوان ولا سطر نشر.\n")
    assert parsed["parse_error"] == "no_byline"
    assert parsed["headlines"] == TICKER


def test_frame_parse_keeps_page_order():
    pages = pl.DataFrame({"page_id": ["b", "a", "c"], "text": [page(), "", page(ticker=None)]})
    parsed = parse_pages(pages)
    assert parsed["page_id"].to_list() == ["b", "a", "c"]
    assert parsed["parse_error"].to_list() == [None, "empty", None]


def test_synthetic_corpus_with_every_variation(tmp_path: Path):
    """1,000 generated pages with random variations: every part must come back exactly."""
    pages = generate(1000, seed=3)
    write_pages(pages + broken_pages(), tmp_path)
    records = records_frame(read_inputs(sorted(tmp_path.glob("*.txt"))))
    parsed = records.join(
        parse_pages(records.select("page_id", "text").drop_nulls()), on="page_id", how="left"
    )
    by_name = {p.name: p for p in pages + broken_pages()}
    seen_variations: set[str] = set()
    for row in parsed.iter_rows(named=True):
        expected = by_name[Path(row["source_file"]).stem]
        if expected.broken:
            assert (row["read_error"] or row["parse_error"]) == expected.broken, expected.name
            continue
        seen_variations.update(expected.variations)
        got = (row["title"], row["outlet"], row["published_date"], row["body"], row["headlines"])
        want = (
            expected.title,
            expected.outlet,
            expected.published_date,
            expected.body,
            expected.headlines,
        )
        assert got == want, (expected.name, expected.variations)
    assert {
        "ticker:nbsp",
        "ticker:spaces",
        "no_ticker",
        "no_notice",
        "no_footer",
        "crlf",
        "bom",
        "windows-1256",
        "date:eastern",
        "date:named",
        "date:weekday",
        "months:maghreb",
        "months:algeria",
        "months:levant",
        "months:egypt",
    } <= seen_variations


def test_a_sites_navigation_line_is_no_part_of_the_body():
    """261 of 3alyoum's SaudiNewsNet articles open on "Next Previous", which the tagger read
    as a person (Previous, in 22 of 3,000 articles)."""
    from marsad.ingest.page_parsing import parse_plain_pages

    body = "عين اليوم – باكستان\nتواصل الفيضانات في باكستان."
    # On a line of its own, or before the dateline.
    for text in (f"عنوان\n Next Previous \u00a0\n{body}", f"عنوان\nNext Previous {body}"):
        pages = pl.DataFrame({"page_id": ["a"], "text": [text], "title_hint": ["عنوان"]})
        assert parse_plain_pages(pages).row(0, named=True)["body"] == body, text


def test_a_sites_share_bar_is_no_part_of_the_body():
    """Okaz opens articles on its share bar, which the tagger read as an organisation (جوجل
    بلس, in all 157 such articles of SaudiNewsNet); "شارك من خلال" in prose stays."""
    from marsad.ingest.page_parsing import parse_plain_pages

    body = "أوضحت شرطة منطقة تبوك حقيقة ما تم تداوله."
    prose = "شارك من خلال برامج تنمية الإبداع عدد من الطلاب."
    for text, expected in [
        (f"عنوان\n شارك من خلال تويتر فيسبوك جوجل بلس اكتب رأيك {body}", body),
        (f"عنوان\nشارك من خلال تويتر فيس بوك\n{body}", body),
        (f"عنوان\n{prose}", prose),
    ]:
        pages = pl.DataFrame({"page_id": ["a"], "text": [text], "title_hint": ["عنوان"]})
        assert parse_plain_pages(pages).row(0, named=True)["body"] == expected, text
