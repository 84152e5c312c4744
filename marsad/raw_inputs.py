"""Raw input files to page records: discovery, decoding, crawl metadata.

A page record is one input page with where it came from (``source_file``, ``record_no``), its
crawl metadata (``url``, ``fetched_at`` and where that came from) and either its decoded
``text`` or a ``read_error`` saying why it has none. Nothing is dropped: an unreadable file is
still a record, so the warehouse can account for it.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

import polars as pl

from marsad.ids import stable_id

TEXT_PAGE_SUFFIXES = (".txt",)
SIDECAR_SUFFIX = ".meta.json"
# A page larger than this is not an article page; reading it would only cost memory.
MAX_PAGE_BYTES = 20 * 1024 * 1024

RECORD_SCHEMA = {
    "page_id": pl.String,
    "source_file": pl.String,
    "record_no": pl.Int64,
    "url": pl.String,
    "site": pl.String,
    "fetched_at": pl.Datetime("us", "UTC"),
    "fetched_at_source": pl.String,
    "byte_size": pl.Int64,
    "encoding": pl.String,
    "text": pl.String,
    "read_error": pl.String,
    "read_error_detail": pl.String,
    "notes": pl.String,
}


@dataclass(frozen=True)
class PageRecord:
    page_id: str
    source_file: str
    record_no: int
    url: str | None
    site: str | None
    fetched_at: dt.datetime | None
    fetched_at_source: str | None
    byte_size: int
    encoding: str | None
    text: str | None
    read_error: str | None
    read_error_detail: str | None
    notes: str | None


class UnreadablePage(ValueError):
    """Bytes that are not a text page; ``reason`` is the quarantine reason."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def discover_input_files(paths: Iterable[str | Path]) -> list[Path]:
    """Input files under the given files or folders, sorted so runs are reproducible."""
    found: set[Path] = set()
    for path in map(Path, paths):
        if not path.exists():
            raise FileNotFoundError(f"input path does not exist: {path}")
        candidates = path.rglob("*") if path.is_dir() else [path]
        found.update(p.resolve() for p in candidates if p.is_file() and _is_page_file(p))
    return sorted(found)


def _is_page_file(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(TEXT_PAGE_SUFFIXES) and not name.startswith(".")


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


def decode_page(data: bytes) -> tuple[str, str]:
    """Text and encoding of a page: UTF-8 (with or without BOM) or Windows-1256.

    Raises ``UnreadablePage`` for empty, binary or undecodable bytes.
    """
    if not data.strip():
        raise UnreadablePage("empty", "the file holds no text")
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


def _sidecar_path(page_file: Path) -> Path | None:
    for candidate in (
        page_file.with_suffix(SIDECAR_SUFFIX),
        page_file.with_name(page_file.name + SIDECAR_SUFFIX),
    ):
        if candidate.is_file():
            return candidate
    return None


def _parse_timestamp(value: object) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError(f"fetched_at is not a string: {value!r}")
    stamp = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if stamp.tzinfo is None:  # crawl times without a zone are taken as UTC
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone(dt.UTC)


def site_of(url: str | None) -> str | None:
    """Host name of a URL without ``www.``: the site the page was collected from."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _crawl_metadata(page_file: Path) -> tuple[str | None, dt.datetime, str, str | None]:
    """URL, fetch time, where the time came from, and a note when the sidecar was unusable."""
    file_time = dt.datetime.fromtimestamp(page_file.stat().st_mtime, tz=dt.UTC)
    sidecar = _sidecar_path(page_file)
    if sidecar is None:
        return None, file_time, "file_mtime", None
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8-sig"))
        if not isinstance(meta, dict):
            raise ValueError("not a JSON object")
        url = meta.get("url") or None
        if meta.get("fetched_at"):
            return url, _parse_timestamp(meta["fetched_at"]), "sidecar", None
        return url, file_time, "file_mtime", None
    except (ValueError, UnicodeDecodeError) as error:
        return None, file_time, "file_mtime", f"sidecar {sidecar.name} ignored: {error}"


def read_text_page(page_file: Path) -> PageRecord:
    """One ``.txt`` page and its optional sidecar as a page record."""
    source_file = str(page_file)
    record_no = 1
    url, fetched_at, fetched_at_source, note = _crawl_metadata(page_file)
    text = encoding = error = detail = None
    size = page_file.stat().st_size
    try:
        if size > MAX_PAGE_BYTES:
            raise UnreadablePage("too_large", f"{size} bytes, above the {MAX_PAGE_BYTES} limit")
        text, encoding = decode_page(page_file.read_bytes())
    except UnreadablePage as bad:
        error, detail = bad.reason, bad.detail
    except OSError as os_error:
        error, detail = "unreadable", str(os_error)
    return PageRecord(
        page_id=stable_id(source_file, record_no),
        source_file=source_file,
        record_no=record_no,
        url=url,
        site=site_of(url),
        fetched_at=fetched_at,
        fetched_at_source=fetched_at_source,
        byte_size=size,
        encoding=encoding,
        text=text,
        read_error=error,
        read_error_detail=detail,
        notes=note,
    )


def iter_page_records(files: Iterable[Path]) -> Iterator[PageRecord]:
    for page_file in files:
        yield read_text_page(page_file)


def records_frame(records: Iterable[PageRecord]) -> pl.DataFrame:
    return pl.DataFrame([asdict(r) for r in records], schema=RECORD_SCHEMA)
