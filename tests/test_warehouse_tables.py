import datetime as dt

import polars as pl

from marsad.ingest.page_parsing import parse_records
from marsad.ingest.readers.records import RECORD_SCHEMA
from marsad.warehouse.tables import accounting_errors, build_tables

NBSP4 = "\u00a0" * 4
ARTICLE = "خبر أ{s}خبر ب{s}\n\nعنوان المقالة\nنشر في هسبريس يوم 31 - 05 - 2020\n\nفقرة.\n"


def records(texts: list[str | None], days: list[int]) -> pl.DataFrame:
    rows = [
        {
            "page_id": f"p{i}",
            "source_file": f"/in/{i}.txt",
            "record_no": 1,
            "input_format": "txt",
            "url": None,
            "site": None,
            "fetched_at": dt.datetime(2025, 1, day, tzinfo=dt.UTC),
            "fetched_at_source": "sidecar",
            "byte_size": len(text or ""),
            "encoding": "utf-8" if text is not None else None,
            "text": text,
            "read_error": None if text is not None else "binary",
            "read_error_detail": None if text is not None else "NUL byte",
            "skip_reason": None,
            "title_hint": None,
            "outlet_hint": None,
            "published_hint": None,
            "notes": None,
        }
        for i, (text, day) in enumerate(zip(texts, days, strict=True))
    ]
    return pl.DataFrame(rows, schema=RECORD_SCHEMA)


def build(texts, days):
    recs = records(texts, days)
    return recs, build_tables(recs, parse_records(recs))


def test_statuses_and_accounting():
    same = ARTICLE.format(s=NBSP4)
    respelled = same.replace("عنوان المقالة", "عنوانُ  المقاله")  # same article after normalization
    recs, tables = build([same, respelled, "بلا سطر نشر\n", None], [1, 2, 3, 4])
    assert tables["pages"]["status"].to_list() == [
        "article",
        "duplicate",
        "quarantined",
        "quarantined",
    ]
    assert tables["articles"].height == 1
    assert tables["articles"]["page_count"].item() == 2
    assert set(tables["quarantine"]["reason"]) == {"no_byline", "binary"}
    assert accounting_errors(tables, recs.height) == []


def test_accounting_detects_lost_pages():
    recs, tables = build([ARTICLE.format(s=NBSP4)], [1])
    assert accounting_errors(tables, recs.height + 1) == ["2 input records but 1 pages"]
    tables["quarantine"] = tables["quarantine"].clear()
    broken = {**tables, "articles": tables["articles"].clear()}
    assert "1 article pages but 0 articles" in accounting_errors(broken, recs.height)


def test_headlines_distinct_with_first_and_last_seen():
    _, tables = build(
        [ARTICLE.format(s=NBSP4), ARTICLE.format(s="   ").replace("خبر أ", "خبر  أ"), None],
        [5, 9, 10],
    )
    headlines = tables["headlines"].sort("text")
    assert headlines["text"].to_list() == ["خبر أ", "خبر ب"]
    assert headlines["page_count"].to_list() == [2, 2]
    assert headlines["first_seen"].to_list() == [dt.datetime(2025, 1, 5, tzinfo=dt.UTC)] * 2
    assert headlines["last_seen"].to_list() == [dt.datetime(2025, 1, 9, tzinfo=dt.UTC)] * 2
    sightings = tables["page_headlines"].sort("page_id", "position")
    assert sightings["position"].to_list() == [1, 2, 1, 2]


def _mention(entity_id: str, text: str) -> dict:
    return {"field": "body", "start": 0, "end": len(text), "type": "PER", "text": text,
            "entity_id": entity_id, "country_code": None}  # fmt: skip


def test_an_entity_is_named_by_its_fullest_spelling():
    from marsad.enrich.annotation import COUNTRY_MENTIONS, ENTITY_MENTIONS, TOPIC_SCORES

    texts = [ARTICLE.format(s=NBSP4), ARTICLE.format(s=NBSP4).replace("فقرة.", "فقرة أخرى تماما.")]
    recs = records(texts, [1, 2])
    # The surname alone, seen more often, links to the full name; clitic forms count apart.
    annotations = pl.DataFrame(
        {
            "page_id": ["p0", "p1"],
            "topic": [None, None],
            "topic_scores": [[], []],
            "entities": [
                [_mention("d", "ألفريد ديمورا"), _mention("d", "ديمورا"), _mention("d", "ديمورا")],
                [_mention("p", "وبوتين"), _mention("p", "بوتين"), _mention("p", "بوتين")]
                # A proclitic form, however frequent, names no entity also written bare.
                + [_mention("u", "بالاتحاد السعودي")] * 3
                + [_mention("u", "الاتحاد السعودي"), _mention("u", "للاتحاد السعودي")]
                + [_mention("o", "للاتحاد الأوروبي")] * 2
                + [_mention("o", "الاتحاد الأوروبي"), _mention("b", "بشار الأسد")]
                # A bare spelling seen under a twentieth as often is a slip (Vienna).
                + [_mention("v", "فيينا")] * 21
                + [_mention("v", "يينا")],
            ],
            "countries": [[], []],
        },
        schema={
            "page_id": pl.String,
            "topic": pl.String,
            "topic_scores": TOPIC_SCORES,
            "entities": ENTITY_MENTIONS,
            "countries": COUNTRY_MENTIONS,
        },
    )
    entities = build_tables(recs, parse_records(recs), annotations)["entities"]
    assert dict(entities.select("entity_id", "name").iter_rows()) == {
        "d": "ألفريد ديمورا",
        "p": "بوتين",
        "u": "الاتحاد السعودي",
        "o": "الاتحاد الأوروبي",
        "b": "بشار الأسد",  # no bare شار الأسد: the name as written
        "v": "فيينا",
    }
    assert entities.filter(pl.col("entity_id") == "d")["mentions"].item() == 3
    assert entities.filter(pl.col("entity_id") == "d")["articles"].item() == 1
