"""Page records: the one shape every input reader produces, and text decoding.

A page record is one record of one input with where it came from (``source_file``,
``record_no``), its crawl metadata (``url``, ``fetched_at`` and where that came from) and either
its decoded ``text``, a ``read_error`` saying why it has none, or a ``skip_reason`` for records
that are not pages (WARC requests, images…). Nothing is dropped: an unreadable file is still a
record, so the warehouse can account for it.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from urllib.parse import urlsplit

import polars as pl

from marsad.ids import stable_id

# A page larger than this is not an article page; reading it would only cost memory.
MAX_PAGE_BYTES = 20 * 1024 * 1024

RECORD_SCHEMA = {
    "page_id": pl.String,
    "source_file": pl.String,
    "record_no": pl.Int64,
    "input_format": pl.String,
    "url": pl.String,
    "site": pl.String,
    "fetched_at": pl.Datetime("us", "UTC"),
    "fetched_at_source": pl.String,
    "byte_size": pl.Int64,
    "encoding": pl.String,
    "text": pl.String,
    "read_error": pl.String,
    "read_error_detail": pl.String,
    "skip_reason": pl.String,
    "title_hint": pl.String,
    "outlet_hint": pl.String,
    "published_hint": pl.Date,
    "notes": pl.String,
}


@dataclass(frozen=True)
class PageRecord:
    """One record of one input. ``text`` is the page as text (aggregator format or plain); the
    hints are what the input's own metadata says (HTML meta tags, export columns)."""

    source_file: str
    record_no: int
    input_format: str
    url: str | None = None
    fetched_at: dt.datetime | None = None
    fetched_at_source: str | None = None
    byte_size: int = 0
    encoding: str | None = None
    text: str | None = None
    read_error: str | None = None
    read_error_detail: str | None = None
    skip_reason: str | None = None
    title_hint: str | None = None
    outlet_hint: str | None = None
    published_hint: dt.date | None = None
    notes: str | None = None

    @property
    def page_id(self) -> str:
        return stable_id(self.source_file, self.record_no)

    @property
    def site(self) -> str | None:
        return site_of(self.url)

    def as_row(self) -> dict:
        return {**asdict(self), "page_id": self.page_id, "site": self.site}

    def failed(self, reason: str, detail: str) -> PageRecord:
        """This record without text, with the quarantine reason."""
        return replace(self, read_error=reason, read_error_detail=detail)

    def skipped(self, reason: str) -> PageRecord:
        """This record set aside: not a page (a WARC request, an image…)."""
        return replace(self, skip_reason=reason)

    def decoded(self, payload: bytes) -> PageRecord:
        """This record holding ``payload`` as text, or failed with why it cannot."""
        record = replace(self, byte_size=len(payload))
        if len(payload) > MAX_PAGE_BYTES:
            return record.failed("too_large", f"{len(payload)} bytes, above {MAX_PAGE_BYTES}")
        try:
            text, encoding = decode_page(payload)
        except UnreadablePage as bad:
            return record.failed(bad.reason, bad.detail)
        return replace(record, text=text, encoding=encoding)

    @classmethod
    def broken_off(
        cls, source_file: str, records_read: int, input_format: str, reason: str, cause: str
    ) -> PageRecord:
        """The record that stands for the unreachable rest of a file that broke off."""
        return cls(
            source_file=source_file,
            record_no=records_read + 1,
            input_format=input_format,
            read_error=reason,
            read_error_detail=f"reading stopped after {records_read} records: {cause}"[:500],
        )


class UnreadablePage(ValueError):
    """Bytes that are not a text page; ``reason`` is the quarantine reason."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def parse_timestamp(value: object) -> dt.datetime:
    """An ISO 8601 time as UTC; a time without zone is taken as UTC."""
    if not isinstance(value, str):
        raise ValueError(f"fetched_at is not a string: {value!r}")
    stamp = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone(dt.UTC)


def site_of(url: str | None) -> str | None:
    """Host name of a URL without ``www.``: the site the page was collected from."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _control_share(text: str) -> float:
    sample = text[:20000]
    controls = sum(
        1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f\v"
    )
    return controls / max(len(sample), 1)


def _arabic_share(text: str) -> float:
    letters = [ch for ch in text[:20000] if ch.isalpha()]
    arabic = sum(1 for ch in letters if "\u0600" <= ch <= "\u06ff")
    return arabic / max(len(letters), 1)


# Byte order marks of UTF-16 (Windows "Unicode" text files), with their codec and name.
UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _utf16(data: bytes) -> tuple[str, str] | None:
    """Text of UTF-16 bytes with a BOM, when they decode to text (Arabic, or mostly
    printable ASCII); None when there is no such BOM."""
    for bom, codec in UTF16_BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as error:
                raise UnreadablePage(
                    "undecodable", f"a {codec} byte order mark, but not {codec}: {error.reason}"
                ) from None
            sample = text[:20000]
            ascii_share = sum((ch.isascii() and ch.isprintable()) or ch.isspace() for ch in sample)
            if _arabic_share(text) < 0.3 and ascii_share < 0.9 * max(len(sample), 1):
                raise UnreadablePage(
                    "undecodable", f"a {codec} byte order mark, but neither Arabic nor plain text"
                )
            return text, codec
    return None


def decode_page(data: bytes) -> tuple[str, str]:
    """Text and encoding of a page: UTF-8 (with or without BOM), UTF-16 with a BOM, or
    Windows-1256.

    Raises ``UnreadablePage`` for empty, binary or undecodable bytes.
    """
    if not data.strip():
        raise UnreadablePage("empty", "the file holds no text")
    utf16 = _utf16(data)
    if utf16 is not None:
        if not utf16[0].strip():
            raise UnreadablePage("empty", "the file holds no text")
        return utf16
    nul = data.find(b"\x00", 0, 65536)
    if nul >= 0:
        raise UnreadablePage("binary", f"NUL byte at offset {nul}: not a text page")
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text, encoding = data.decode("cp1256"), "windows-1256"
        except UnicodeDecodeError:
            raise UnreadablePage(
                "undecodable", f"neither UTF-8 ({utf8_error.reason}) nor Windows-1256"
            ) from None
        # Windows-1256 decodes most byte soup; only accept it when it yields Arabic text.
        if _arabic_share(text) < 0.3:
            raise UnreadablePage(
                "undecodable",
                f"invalid UTF-8 at byte {utf8_error.start} and not Arabic in Windows-1256",
            ) from None
    if _control_share(text) > 0.01:
        raise UnreadablePage("binary", "more than 1% control characters: not a text page")
    return text, encoding


def records_frame(records: Iterable[PageRecord]) -> pl.DataFrame:
    return pl.DataFrame([r.as_row() for r in records], schema=RECORD_SCHEMA)
