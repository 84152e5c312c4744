"""HTML pages (loose ``.html`` files and WARC payloads) to page records.

trafilatura finds the main text, title and site name; htmldate finds the publication date in
the page's markup, preferring the original date over updates. The title is put on top of the
extracted text, so that aggregator pages in HTML keep their byline semantics: the aggregator
rules then apply to them as they do to text pages.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

import trafilatura
from htmldate import find_date

from marsad.ingest.readers.records import MAX_PAGE_BYTES, PageRecord
from marsad.ingest.readers.sources import Source, sources_of

# trafilatura and htmldate log every page they find little in; the record says it instead.
for _noisy in ("trafilatura", "htmldate"):
    logging.getLogger(_noisy).setLevel(logging.CRITICAL)

DATE_SEARCH = {"original_date": True, "extensive_search": True}
HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title")


def looks_like_html(head: bytes) -> bool:
    lowered = head[:4096].lstrip().lower()
    return any(marker in lowered for marker in HTML_MARKERS)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def html_record(
    payload: bytes,
    *,
    source_file: str,
    record_no: int,
    input_format: str,
    url: str | None = None,
    fetched_at: dt.datetime | None = None,
    fetched_at_source: str | None = None,
) -> PageRecord:
    """Extract one HTML page; a page without main text is a record with a ``read_error``."""
    base = PageRecord(
        source_file=source_file,
        record_no=record_no,
        input_format=input_format,
        url=url,
        fetched_at=fetched_at,
        fetched_at_source=fetched_at_source,
        byte_size=len(payload),
    )
    if len(payload) > MAX_PAGE_BYTES:
        return base.failed("too_large", f"{len(payload)} bytes of HTML")
    if not payload.strip():
        return base.failed("empty", "the HTML payload is empty")
    try:
        document = trafilatura.bare_extraction(
            payload,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
        )
        # On the whole page, not trafilatura's cleaned tree, which loses some date markup.
        published = find_date(payload, url=url, **DATE_SEARCH)
    except Exception as error:  # a parser crash on hostile markup must not stop the run
        return base.failed("bad_html", f"{type(error).__name__}: {error}")
    text = (document.text or "").strip() if document else ""
    if not text:
        return base.failed("no_text", "no main text found in the HTML")
    title = (document.title or "").strip() or None
    if title and not text.startswith(title):
        text = f"{title}\n{text}"
    return replace(
        base,
        url=url or document.url or None,
        encoding="html",
        text=text,
        title_hint=title,
        outlet_hint=(document.sitename or "").strip() or None,
        published_hint=_date(published),
    )


def read_html_file(page: Source | Path, stream: BinaryIO | None = None) -> PageRecord:
    source = next(sources_of(page)) if isinstance(page, Path) else page
    if stream is None:
        with source.open() as opened:
            payload = opened.read(MAX_PAGE_BYTES + 1)
    else:
        payload = stream.read(MAX_PAGE_BYTES + 1)
    return html_record(
        payload,
        source_file=source.name,
        record_no=1,
        input_format="html",
        url=source.meta.get("url") or None,
        fetched_at=source.modified,
        fetched_at_source="file_mtime",
    )
