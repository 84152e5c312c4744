"""Page records to article parts, whatever the input: the aggregator rules where a page has a
byline, plain-article rules for pages from crawls and exports that have none, then the
publication date (byline first, page metadata second) and the canonical outlet."""

from __future__ import annotations

import datetime as dt

import polars as pl

from marsad.arabic import match_keyed
from marsad.ingest.aggregator_page import BOILERPLATE_KEYS, page_lines, parse_pages
from marsad.ingest.dates import date_flag
from marsad.ingest.outlets import resolve_outlets

PARSED_COLUMNS = [
    "page_id",
    "title",
    "body",
    "headlines",
    "outlet",
    "outlet_name",
    "outlet_id",
    "outlet_country",
    "outlet_source",
    "published_date",
    "date_source",
    "date_flag",
    "byline_date",
    "parse_error",
]

# A site's own tags after the article's last sentence, run into its last line: 3alyoum ends
# 1,743 of its 2,080 SaudiNewsNet articles so ("… وفقا للبيان. سمات التحالف الدولي العراق
# داعش"), sometimes after its "Next Previous" links. Left in the body, the tags read as names
# run together (عبدالفتاح السيسي عمر البشير) and filed a plane crash under sport (its tag
# منتخب المانيا). A tag list ends on a word; prose that names سمات ("features") ends on
# punctuation.
SITE_TAGS = (
    r"(?:^|\s)(?:Next\s+Previous[^\S\n]+)?سمات"
    r"(?:[^\S\n]+\S+){0,24}[^\S\n]+\S*[^\s.!؟?:;)»”\"]\s*$"
)

# Sign-offs after an article's last line. The Saudi Press Agency ends its items with "// انتهى
# //" (the end) or "// يتبع //" (more follows), its Mecca time ("18:35 ت م") and at times the
# telex end "NNNN": 365 of its 369 SaudiNewsNet items, and 5 copies in other papers. Al-Weeam
# ends all its 2,090 articles with "رابط الخبر بصحيفة الوئام: <title>" (at times with a
# related story's opening after it), which put the title's names in the body a second time.
# Asharq Al-Awsat ends 115 teasers with its link "...المزيد" ("more").
SIGN_OFFS = (
    r"(?:\s*//\s*(?:انتهى|يتبع)\s*//)+(?:\s*\d{1,2}\s*:\s*\d{2}\s*ت\s*م)?(?:\s*NNNN)?\s*$"
    r"|\s*رابط الخبر بصحيفة الوئام\s*:[^\n]*\s*$"
    r"|\s*(?:\.{2,}|…)\s*المزيد\s*$"
)
# Al-Madina's and Okaz's columns end on how to text the columnist ("للتواصل أرسل SMS إلى
# 88548 الاتصالات، 636250 موبايلي، 738303 زين ...", over one to five lines): 307 bodies held
# the three telecom companies' names. A space or a mark stands before it, or an e-mail run
# into it, which is kept (group 1); never an Arabic letter (وللتواصل is prose).
CONTACT_FOOTERS = (
    r"(?:(^|[^\p{Arabic}\s])\s*|\s+)"
    r"للتواصل\s+(?:مع\s+الكاتب\s+)?[اأ]رسل\s[^\n]{0,40}(?i:sms)[\s\S]{0,240}$"
)


def parse_plain_pages(pages: pl.DataFrame) -> pl.DataFrame:
    """Title and body of pages without a byline (``page_id``, ``text``, ``title_hint``): the
    title is the metadata's when given, else the first line; the body is what follows it."""
    lines = page_lines(pages.lazy()).join(
        pages.lazy().select("page_id", "title_hint"), on="page_id"
    )
    line = pl.col("line")
    content = (line != "") & ~match_keyed(line).is_in(BOILERPLATE_KEYS)
    is_title = (
        pl.when(pl.col("title_hint").is_not_null())
        .then(match_keyed(line) == match_keyed(pl.col("title_hint")))
        .otherwise(True)
    )
    located = lines.filter(content).with_columns(
        pl.col("line_no").filter(is_title).min().over("page_id").alias("title_no")
    )
    parts = located.group_by("page_id").agg(
        pl.coalesce(pl.col("title_hint").first(), line.first()).alias("title"),
        line.filter(pl.col("line_no") > pl.col("title_no").fill_null(-1))
        .str.join("\n")
        .alias("body"),
    )
    return (
        pages.lazy()
        .select("page_id")
        .join(parts, on="page_id", how="left")
        .with_columns(pl.when(pl.col("title").is_null()).then(pl.lit("empty")).alias("parse_error"))
        .collect()
    )


def parse_records(records: pl.DataFrame, today: dt.date | None = None) -> pl.DataFrame:
    """Article parts (``PARSED_COLUMNS``) of every readable record."""
    today = today or dt.datetime.now(dt.UTC).date()
    readable = records.filter(pl.col("text").is_not_null() & pl.col("skip_reason").is_null())
    byline = parse_pages(readable.select("page_id", "text"), today=today)
    meta = readable.select("page_id", "input_format", "url", "outlet_hint", "published_hint")
    joined = byline.join(meta, on="page_id")
    # Text pages are aggregator pages: without a byline they are broken. Crawls and exports
    # hold ordinary article pages, which have none: only those are read as plain articles.
    use_plain = (pl.col("parse_error") == "no_byline") & (pl.col("input_format") != "txt")
    plain = parse_plain_pages(
        readable.join(joined.filter(use_plain).select("page_id"), on="page_id").select(
            "page_id", "text", "title_hint"
        )
    )
    joined = joined.join(plain, on="page_id", how="left", suffix="_plain")
    chosen = joined.with_columns(
        pl.when(use_plain).then(pl.col("title_plain")).otherwise("title").alias("title"),
        pl.when(use_plain)
        .then(pl.col("body_plain"))
        .otherwise("body")
        .str.replace(SIGN_OFFS, "")
        .str.replace(CONTACT_FOOTERS, "${1}")
        .str.replace(SITE_TAGS, "")
        .alias("body"),
        pl.when(use_plain)
        .then(pl.col("parse_error_plain"))
        .otherwise("parse_error")
        .alias("parse_error"),
        pl.col("outlet").alias("outlet_byline"),
        # A first line with wide spaces on a crawled page is a menu, not a ticker.
        pl.when(use_plain)
        .then(pl.lit([], dtype=pl.List(pl.String)))
        .otherwise("headlines")
        .alias("headlines"),
    )
    hint_flag = date_flag(pl.col("published_hint"), pl.col("published_hint").cast(pl.String), today)
    byline_ok = pl.col("date_flag") == "ok"
    hint_ok = hint_flag == "ok"
    dated = chosen.with_columns(
        pl.when(byline_ok)
        .then(pl.col("published_date"))
        .when(hint_ok)
        .then(pl.col("published_hint"))
        .alias("published_date"),
        pl.when(byline_ok)
        .then(pl.lit("byline"))
        .when(hint_ok)
        .then(pl.lit("metadata"))
        .alias("date_source"),
        # The byline's verdict stands unless the metadata gives a trusted date instead.
        pl.when(byline_ok | ~hint_ok)
        .then(pl.when(pl.col("date_flag") == "missing").then(hint_flag).otherwise("date_flag"))
        .otherwise(pl.lit("ok"))
        .alias("date_flag"),
    )
    return resolve_outlets(dated, "outlet_byline", "outlet_hint", "url").select(PARSED_COLUMNS)
