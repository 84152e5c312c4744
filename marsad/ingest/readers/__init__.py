"""Every kind of raw input, read as a stream of page records (``records.PageRecord``).

An input file is one record source, or several: ``.gz`` is read as what it compresses,
``.zip`` and ``.tar`` (``.tar.gz``, ``.tgz``) archives as their members (``sources``). A
source's format is decided by its name first (``.txt`` is a text page whatever it starts
with; ``.jsonl``/``.ndjson``/``.json``, ``.parquet``, ``.warc``/``.arc`` and ``.warc.wet``,
``.html``/``.htm``), and by its content only where the name says nothing: ``WARC/`` headers
mean WARC or WET, ``PAR1`` Parquet, a leading ``{`` JSONL, HTML markers HTML, anything else a
text page. When a record of a source fails and its content looks like another format than its
name says, the reason's detail names both.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from marsad.ingest.readers.exports import ColumnMap, read_jsonl, read_parquet
from marsad.ingest.readers.html_pages import looks_like_html, read_html_file
from marsad.ingest.readers.records import PageRecord, records_frame
from marsad.ingest.readers.sources import SIDECAR_SUFFIX, BrokenArchive, Source, sources_of
from marsad.ingest.readers.text_pages import read_text_page
from marsad.ingest.readers.warc import read_warc

__all__ = ["ColumnMap", "PageRecord", "discover_input_files", "read_input", "records_frame"]

# Files that sit beside inputs but are not inputs (sidecars, notes, warehouses).
NOT_INPUTS = (SIDECAR_SUFFIX, ".md", ".rst", ".duckdb", ".duckdb.wal", ".parquet.tmp")

FORMATS_BY_NAME = {
    ".txt": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".html": "html",
    ".htm": "html",
}
SNIFFED_BYTES = 8192


def discover_input_files(paths: Iterable[str | Path]) -> list[Path]:
    """Input files under the given files or folders, sorted so runs are reproducible."""
    found: set[Path] = set()
    for path in map(Path, paths):
        if not path.exists():
            raise FileNotFoundError(f"input path does not exist: {path}")
        if path.is_dir():
            # Hidden folders hold staging and tool state, not inputs.
            candidates = (
                p
                for p in path.rglob("*")
                if not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            candidates = iter([path])
        found.update(p.resolve() for p in candidates if p.is_file() and _is_input(p))
    return sorted(found)


def _is_input(path: Path) -> bool:
    name = path.name.lower()
    return not name.startswith(".") and not name.endswith(NOT_INPUTS)


def format_by_name(filename: str) -> str | None:
    """``warc``/``wet`` (``wet`` decided by content when the name says only WARC), ``txt``,
    ``jsonl``, ``parquet``, ``html``, or None when the name says nothing."""
    name = filename.lower()
    if ".wet" in name and (".warc" in name or name.endswith(".wet")):
        return "wet"
    if name.endswith((".warc", ".arc")):
        return "warc"
    return next((kind for end, kind in FORMATS_BY_NAME.items() if name.endswith(end)), None)


def format_by_content(head: bytes) -> str:
    if head.startswith(b"WARC/"):
        return "wet" if b"WARC-Type: conversion" in head else "warc"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "jsonl"
    if looks_like_html(head):
        return "html"
    if head.startswith((b"\x1f\x8b", b"PK\x03\x04")):
        return "compressed"
    return "txt"


class _Raw(io.RawIOBase):
    """A stream as raw IO, so that a buffer can peek at its head without reading it away.
    A stream that breaks off (a cut gzip) ends here as if whole, with ``broken`` saying why:
    what was read before the break is kept, and the break becomes a record of its own."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.broken: str | None = None
        # One underlying read per call where the stream allows: a gzip reader asked for more
        # than is left before a cut raises, and would take what it had decompressed with it.
        self.read_some = getattr(stream, "read1", stream.read)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.broken:
            return 0
        try:
            data = self.read_some(len(buffer))
        except (OSError, EOFError, zlib.error, tarfile.TarError, zipfile.BadZipFile) as error:
            self.broken = f"{type(error).__name__}: {error}"
            return 0
        buffer[: len(data)] = data
        return len(data)


def read_source(source: Source, columns: ColumnMap) -> Iterator[PageRecord]:
    """The page records of one source, streamed."""
    try:
        opened = source.open()
    except (OSError, EOFError) as error:
        yield PageRecord.broken_off(source.name, 0, "unknown", "unreadable", str(error))
        return
    with opened:
        raw = _Raw(opened)
        stream = io.BufferedReader(raw, 1 << 16)
        head = stream.peek(SNIFFED_BYTES)[:SNIFFED_BYTES]
        named = format_by_name(source.filename)
        sniffed = format_by_content(head)
        kind = named or sniffed
        if kind == "warc" and b"WARC-Type: conversion" in head:
            kind = "wet"
        mismatch = (
            f" (named {source.filename}, content looks like {sniffed})"
            if named and sniffed not in (named, "txt") and {named, sniffed} != {"warc", "wet"}
            else ""
        )
        last: PageRecord | None = None
        for record in _records(kind, source, stream, columns):
            if last is not None:
                yield _explained(last, mismatch)
            last = record
        if raw.broken:
            cut = f"the content breaks off: {raw.broken}"
            if last is not None and (kind in ("txt", "html") or last.read_error):
                # The reader's last record met the cut (a record cut short, a page cut).
                detail = f"{cut}; {last.read_error_detail}" if last.read_error else cut
                last = last.failed("truncated", detail[:500])
            else:
                if last is not None:
                    yield _explained(last, mismatch)
                last = PageRecord.broken_off(
                    source.name, last.record_no if last else 0, kind, "truncated", raw.broken
                )
        if last is None:  # every source is accounted for, an empty one too
            last = PageRecord(source.name, 1, kind, byte_size=source.size).failed(
                "empty", "the input holds no record"
            )
        yield _explained(last, mismatch)


def _explained(record: PageRecord, mismatch: str) -> PageRecord:
    if mismatch and record.read_error:
        return record.failed(record.read_error, f"{record.read_error_detail}{mismatch}")
    return record


def _records(
    kind: str, source: Source, stream: BinaryIO, columns: ColumnMap
) -> Iterator[PageRecord]:
    if kind in ("warc", "wet"):
        yield from read_warc(source, kind, stream)
    elif kind == "parquet":
        yield from read_parquet(source, columns, stream)
    elif kind == "jsonl":
        yield from read_jsonl(source, columns, stream)
    elif kind == "html":
        yield read_html_file(source, stream)
    else:
        yield read_text_page(source, stream)


def read_input(path: Path, columns: ColumnMap | None = None) -> Iterator[PageRecord]:
    """The page records of one input file (of each member of an archive), streamed."""
    columns = columns or ColumnMap()
    try:
        for source in sources_of(path):
            yield from read_source(source, columns)
    except BrokenArchive as broken:
        yield PageRecord.broken_off(
            str(path),
            0,
            "archive",
            "broken_archive",
            f"{broken.detail} ({broken.members} members read before)",
        )
    except OSError as error:
        yield PageRecord.broken_off(str(path), 0, "unknown", "unreadable", str(error))


def read_inputs(paths: Iterable[Path], columns: ColumnMap | None = None) -> Iterator[PageRecord]:
    for path in paths:
        yield from read_input(path, columns)
