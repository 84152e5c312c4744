"""Rules of the aggregator text page (DESIGN.md §1), applied to whole frames of pages.

A page reads, top to bottom: an optional ticker line of the site's headlines, the optional
image-report notice, the title, the byline ``نشر في OUTLET يوم DATE``, the body paragraphs and the
optional footer. The byline anchors everything: the title is the last content line before it,
the body is what follows it, the ticker is the first line when it comes before the title.

Work is per line, so pages are exploded into a frame of lines, each line is classified with
column expressions, and the parts are gathered back per page.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from marsad.arabic import match_key, match_keyed
from marsad.ingest.dates import date_flag, parsed_date

# The image-report notice and the footer, compared by match key so that punctuation,
# hamza and spacing differences do not let them leak into titles or bodies.
BOILERPLATE_LINES = (
    "شكرا على الإبلاغ!",
    "سيتم حجب هذه الصورة تلقائيا عندما يتم الإبلاغ عنها من طرف عدة أشخاص.",
    "انقر هنا لقراءة الخبر من مصدره.",
    "اضغط هنا لقراءة الخبر من مصدره.",
)
BOILERPLATE_KEYS = [match_key(line) for line in BOILERPLATE_LINES]

# A site's navigation or share links at the start of a line, alone or before the text:
# "Next Previous" opens 261 of 3alyoum's 2,080 SaudiNewsNet articles, where the tagger read
# Previous as a person; Okaz opens 157 on its share bar ("share on Twitter Facebook Google
# Plus, write your opinion"), which put Google Plus among the organisations most named.
NAVIGATION_PREFIX = (
    r"^(?:Next\s+Previous"
    r"|شارك\s+من\s+خلال(?:\s+(?:تويتر|فيس\s*بوك|جوجل\s*بلس|واتس\s*[اآ]ب))+(?:\s+اكتب\s+رأيك)?)"
    r"(?:\s+|$)"
)

# Headlines on the ticker are separated by runs of NO-BREAK SPACEs or of 3+ ordinary spaces.
TICKER_SEPARATOR = r"(?:[ \t]*\x{00A0}){2,}[ \t\x{00A0}]*|[ \t\x{00A0}]{3,}"

NBSP_RUN = r"(?:[ \t]*\x{00A0}){2,}"

# "نشر في" (also "نُشر في", "نشر فى") opens the byline.
BYLINE_PREFIX = r"^\s*نُ?شِ?رَ?\s+(?:فِ?ي|فى)\s+"
# Outlet names may hold digits ("كاب 24 تيفي") or Latin letters ("Le360"), so the outlet is
# everything up to the last "يوم" before the date; without "يوم" the date is the line's tail.
BYLINE_WITH_DAY = r"^(?<outlet>.+\S)\s+يوم\s+(?<date>.+)$"
_DIGIT = r"[0-9\x{0660}-\x{0669}\x{06F0}-\x{06F9}]"
BYLINE_DATE_TAIL = (
    rf"^(?<outlet>.+?\S)\s+(?:(?:في|فى|بتاريخ)\s+)?"
    rf"(?<date>{_DIGIT}{{1,4}}(?:\s*[-/.]\s*{_DIGIT}{{1,2}}\s*[-/.]\s*{_DIGIT}{{1,4}}"
    rf"|\s+[^0-9\x{{0660}}-\x{{0669}}\x{{06F0}}-\x{{06F9}}]+?\s+{_DIGIT}{{4}}))\s*$"
)

# Schema of the parsed pages frame, the contract between the parser and the warehouse.
PARSED_SCHEMA = {
    "page_id": pl.String,
    "title": pl.String,
    "outlet": pl.String,
    "byline_date": pl.String,
    "published_date": pl.Date,
    "date_flag": pl.String,
    "body": pl.String,
    "headlines": pl.List(pl.String),
    "parse_error": pl.String,
}


def page_lines(pages: pl.LazyFrame) -> pl.LazyFrame:
    """One row per line of each page: ``page_id``, ``line_no``, ``line`` (trimmed, without
    a navigation prefix)."""
    return (
        pages.select(
            "page_id",
            pl.col("text")
            .str.strip_prefix("\ufeff")
            .str.replace_all("\r\n?", "\n")
            .str.split("\n")
            .alias("line"),
        )
        .explode("line")
        .with_columns(
            pl.int_range(pl.len()).over("page_id").alias("line_no"),
            pl.col("line").str.strip_chars().str.replace(NAVIGATION_PREFIX, ""),
        )
    )


def _classified(lines: pl.LazyFrame) -> pl.LazyFrame:
    line = pl.col("line")
    return lines.with_columns(
        (line == "").alias("is_blank"),
        match_keyed(line).is_in(BOILERPLATE_KEYS).alias("is_boilerplate"),
        line.str.contains(BYLINE_PREFIX + r"\S").alias("is_byline"),
        (_ticker_headlines(line).list.len() > 1).alias("looks_like_ticker"),
        line.str.contains(NBSP_RUN).alias("has_nbsp_ticker"),
    ).with_columns(
        (~pl.col("is_blank") & ~pl.col("is_boilerplate")).alias("is_content"),
    )


def _anchors(lines: pl.LazyFrame) -> pl.LazyFrame:
    """Per page: line numbers of the byline, the title and the ticker (null when absent)."""
    line_no = pl.col("line_no")
    byline_no = line_no.filter(pl.col("is_byline")).min()
    first_content_no = line_no.filter(pl.col("is_content")).min()
    before_byline = pl.col("is_content") & (line_no < pl.col("byline_no"))
    anchors = (
        lines.with_columns(byline_no.over("page_id").alias("byline_no"))
        .group_by("page_id")
        .agg(
            pl.col("byline_no").first(),
            line_no.filter(before_byline).max().alias("last_before_byline"),
            first_content_no.alias("first_content_no"),
            pl.col("has_nbsp_ticker")
            .filter(line_no == first_content_no)
            .first()
            .alias("first_has_nbsp_ticker"),
            pl.col("looks_like_ticker")
            .filter(line_no == first_content_no)
            .first()
            .alias("first_looks_like_ticker"),
        )
    )
    # The first line is the ticker when more content follows it before the byline, when it
    # is split by NO-BREAK SPACE runs (never seen in titles), or, on pages without a byline,
    # when it plainly holds several headlines. Otherwise a lone line before the byline is the
    # title, even with wide spaces in it.
    first = pl.col("first_content_no")
    is_ticker = (
        (first < pl.col("last_before_byline"))
        | pl.col("first_has_nbsp_ticker")
        | (pl.col("byline_no").is_null() & pl.col("first_looks_like_ticker"))
    )
    ticker_no = pl.when(is_ticker).then(first)
    return anchors.with_columns(ticker_no.alias("ticker_no")).with_columns(
        pl.when(pl.col("last_before_byline") != pl.col("ticker_no").fill_null(-1))
        .then(pl.col("last_before_byline"))
        .alias("title_no")
    )


def _ticker_headlines(line: pl.Expr) -> pl.Expr:
    return line.str.split(TICKER_SEPARATOR, literal=False).list.eval(
        pl.element().str.strip_chars().filter(pl.element() != "")
    )


def _byline_parts(byline: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    rest = byline.str.replace(BYLINE_PREFIX, "")
    with_day = rest.str.extract_groups(BYLINE_WITH_DAY)
    date_tail = rest.str.extract_groups(BYLINE_DATE_TAIL)
    outlet = pl.coalesce(with_day.struct.field("outlet"), date_tail.struct.field("outlet"))
    written_date = pl.coalesce(with_day.struct.field("date"), date_tail.struct.field("date"))
    return outlet.str.replace_all(r"\s+", " ").str.strip_chars(), written_date.str.strip_chars()


def parse_pages(pages: pl.LazyFrame | pl.DataFrame, today: dt.date | None = None) -> pl.DataFrame:
    """Parse decoded pages (``page_id``, ``text``) into the columns of ``PARSED_SCHEMA``.

    ``parse_error`` says why a page yields no article (``empty``, ``no_byline``, ``no_title``);
    its ticker headlines are kept all the same.
    """
    today = today or dt.datetime.now(dt.UTC).date()
    lines = _classified(page_lines(pages.lazy()))
    anchors = _anchors(lines)
    located = lines.join(anchors, on="page_id", how="left")
    line, line_no = pl.col("line"), pl.col("line_no")
    parts = located.group_by("page_id").agg(
        line.filter(line_no == pl.col("title_no")).first().alias("title"),
        line.filter(line_no == pl.col("byline_no")).first().alias("byline"),
        line.filter(line_no == pl.col("ticker_no")).first().alias("ticker"),
        line.filter(pl.col("is_content") & (line_no > pl.col("byline_no")))
        .str.join("\n")
        .alias("body"),
        pl.col("is_content").any().alias("has_content"),
    )
    outlet, written_date = _byline_parts(pl.col("byline"))
    parsed = parts.with_columns(outlet.alias("outlet"), written_date.alias("byline_date"))
    parsed = parsed.with_columns(parsed_date(pl.col("byline_date")).alias("parsed_date"))
    flag = date_flag(pl.col("parsed_date"), pl.col("byline_date"), today)
    parsed = parsed.with_columns(
        flag.alias("date_flag"),
        pl.when(flag == "ok").then(pl.col("parsed_date")).alias("published_date"),
        pl.coalesce(
            _ticker_headlines(pl.col("ticker")), pl.lit([], dtype=pl.List(pl.String))
        ).alias("headlines"),
        pl.when(~pl.col("has_content"))
        .then(pl.lit("empty"))
        .when(pl.col("byline").is_null())
        .then(pl.lit("no_byline"))
        .when(pl.col("title").is_null())
        .then(pl.lit("no_title"))
        .alias("parse_error"),
    )
    # Keep the caller's page order: joins and group-bys do not.
    order = pages.lazy().select("page_id").with_row_index("page_order")
    return (
        order.join(parsed, on="page_id", how="left")
        .sort("page_order")
        .select(pl.col(name).cast(dtype) for name, dtype in PARSED_SCHEMA.items())
        .collect()
    )


def parse_page_text(text: str, today: dt.date | None = None) -> dict:
    """Parse one page's text; the same rules as ``parse_pages``."""
    frame = pl.DataFrame({"page_id": ["page"], "text": [text]})
    return parse_pages(frame, today=today).row(0, named=True)
