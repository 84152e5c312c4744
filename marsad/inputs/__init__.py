"""Every kind of raw input, read as a stream of page records (``records.PageRecord``).

The format is chosen by content as well as by name: gzip is looked into, ``WARC/`` headers mean
WARC or WET, ``PAR1`` Parquet, a leading ``{`` JSONL, HTML markers HTML; anything else is an
aggregator text page (which the decoder rejects when it is binary).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from marsad.inputs.exports import ColumnMap, read_jsonl, read_parquet
from marsad.inputs.html_pages import looks_like_html, read_html_file
from marsad.inputs.records import PageRecord, records_frame
from marsad.inputs.text_pages import SIDECAR_SUFFIX, read_text_page
from marsad.inputs.warc import read_warc

__all__ = ["ColumnMap", "PageRecord", "discover_input_files", "read_input", "records_frame"]

# Files that sit beside inputs but are not inputs (sidecars, notes, warehouses).
NOT_INPUTS = (SIDECAR_SUFFIX, ".md", ".rst", ".duckdb", ".duckdb.wal", ".parquet.tmp")


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


def _head(path: Path, size: int = 8192) -> bytes:
    with path.open("rb") as stream:
        head = stream.read(size)
    if head[:2] == b"\x1f\x8b":
        try:  # a truncated or corrupt gzip still shows its first bytes
            return zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head, size)
        except zlib.error:
            return b""
    return head


def sniff_format(path: Path) -> str:
    """``warc``, ``wet``, ``parquet``, ``jsonl``, ``html`` or ``txt``."""
    name = path.name.lower()
    head = _head(path)
    if head.startswith(b"WARC/") or name.endswith((".warc", ".warc.gz", ".arc.gz")):
        return "wet" if ".wet" in name or b"WARC-Type: conversion" in head else "warc"
    if head.startswith(b"PAR1") or name.endswith(".parquet"):
        return "parquet"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") or name.endswith(
        (".jsonl", ".jsonl.gz", ".ndjson")
    ):
        return "jsonl"
    if looks_like_html(head) or name.endswith((".html", ".htm")):
        return "html"
    return "txt"


def read_input(path: Path, columns: ColumnMap | None = None) -> Iterator[PageRecord]:
    """The page records of one input file, streamed."""
    columns = columns or ColumnMap()
    try:
        kind = sniff_format(path)
    except OSError as error:
        yield PageRecord.broken_off(str(path), 0, "unknown", "unreadable", str(error))
        return
    if kind in ("warc", "wet"):
        yield from read_warc(path, kind)
    elif kind == "parquet":
        yield from read_parquet(path, columns)
    elif kind == "jsonl":
        yield from read_jsonl(path, columns)
    elif kind == "html":
        yield read_html_file(path)
    else:
        yield read_text_page(path)


def read_inputs(paths: Iterable[Path], columns: ColumnMap | None = None) -> Iterator[PageRecord]:
    for path in paths:
        yield from read_input(path, columns)
