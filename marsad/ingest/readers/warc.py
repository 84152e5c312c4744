"""WARC files (HTML responses and resources) and Common Crawl WET files (text conversions).

Records are streamed with warcio. Every WARC record becomes a page record: pages from
``response``/``resource`` HTML and ``conversion`` text, the others (warcinfo, request,
metadata, revisit, non-HTML payloads) with a ``skip_reason`` that names the record type. A
file that breaks off (truncated gzip, malformed record) ends with one record saying so, after
every record read before it.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterator
from dataclasses import replace
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from marsad.ingest.readers.html_pages import html_record, looks_like_html
from marsad.ingest.readers.records import MAX_PAGE_BYTES, PageRecord, parse_timestamp
from marsad.ingest.readers.sources import Source

PAGE_RECORD_TYPES = {"response", "resource", "conversion"}


def _content_type(record) -> str:
    headers = record.http_headers if record.http_headers else record.rec_headers
    return (headers.get_header("Content-Type") or "").lower()


def _warc_time(record) -> dt.datetime | None:
    value = record.rec_headers.get_header("WARC-Date")
    try:
        return parse_timestamp(value) if value else None
    except ValueError:
        return None


def read_warc(source: Source, input_format: str, stream: BinaryIO) -> Iterator[PageRecord]:
    """The records of a WARC or WET stream (gzip already undone by the source, whether the
    file was one gzip member per record or one stream for all)."""
    source_file = source.name
    record_no = 0
    problem: tuple[str, str] | None = None
    try:
        for record in ArchiveIterator(stream, arc2warc=True):
            record_no += 1
            yield _page_record(record, source_file, record_no, input_format)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as error:
        reason = "broken_warc" if isinstance(error, ArchiveLoadFailed | ValueError) else "truncated"
        problem = (reason, f"{type(error).__name__}: {error}")
    if problem:
        # The rest of the file cannot be reached; say so in one record of its own.
        yield PageRecord.broken_off(source_file, record_no, input_format, *problem)


def _page_record(record, source_file: str, record_no: int, input_format: str) -> PageRecord:
    kind = record.rec_type
    url = record.rec_headers.get_header("WARC-Target-URI")
    common = {
        "source_file": source_file,
        "record_no": record_no,
        "input_format": input_format,
        "url": url,
        "fetched_at": _warc_time(record),
        "fetched_at_source": "warc_date",
    }
    base = PageRecord(**common)
    declared = (record.rec_headers.get_header("Content-Length") or "").strip()
    if not declared.isdigit():
        record.content_stream().read()
        return base.failed("broken_warc", f"malformed WARC record: Content-Length {declared!r}")
    if kind not in PAGE_RECORD_TYPES:
        record.content_stream().read()  # warcio needs the record consumed to go on
        return base.skipped(f"WARC {kind} record")
    status = record.http_headers.get_statuscode() if record.http_headers is not None else None
    if status not in (None, "200"):
        record.content_stream().read()
        return base.skipped(f"HTTP status {status}")
    payload = record.content_stream().read(MAX_PAGE_BYTES + 1)
    if getattr(record.raw_stream, "limit", 0) > 0 and len(payload) <= MAX_PAGE_BYTES:
        return replace(base, byte_size=len(payload)).failed(
            "truncated", "the record ends before its declared Content-Length"
        )
    content_type = _content_type(record)
    if kind == "conversion" or content_type.startswith("text/plain"):
        return base.decoded(payload)
    if "html" in content_type or looks_like_html(payload):
        return html_record(payload, **common)
    return replace(base, byte_size=len(payload)).skipped(
        f"not a page ({content_type or 'no type'})"
    )
