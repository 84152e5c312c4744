"""Aggregator text pages (``.txt``) with their optional ``<name>.meta.json`` sidecar (or an
entry of their archive's sidecar)."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from marsad.ingest.readers.records import MAX_PAGE_BYTES, PageRecord, parse_timestamp
from marsad.ingest.readers.sources import SIDECAR_SUFFIX, Source, sources_of

__all__ = ["SIDECAR_SUFFIX", "read_text_page"]


def crawl_metadata(source: Source) -> dict:
    """``url``, ``fetched_at``, ``fetched_at_source`` and ``notes`` of a source from its
    sidecar, else its file time, flagged as such."""
    meta, note = source.meta, source.meta_note
    fields = {"url": meta.get("url") or None, "notes": note}
    try:
        if meta.get("fetched_at"):
            return fields | {
                "fetched_at": parse_timestamp(meta["fetched_at"]),
                "fetched_at_source": "sidecar",
            }
    except ValueError as error:
        fields = {"url": None, "notes": f"sidecar ignored: {error}"}
    return fields | {"fetched_at": source.modified, "fetched_at_source": "file_mtime"}


def read_text_page(page: Source | Path, stream: BinaryIO | None = None) -> PageRecord:
    """One text page and its crawl metadata as a page record."""
    source = next(sources_of(page)) if isinstance(page, Path) else page
    record = PageRecord(
        source_file=source.name,
        record_no=1,
        input_format="txt",
        byte_size=source.size,
        **crawl_metadata(source),
    )
    if source.size > MAX_PAGE_BYTES:  # decided before reading, so a huge file is never loaded
        return record.failed("too_large", f"{source.size} bytes, above {MAX_PAGE_BYTES}")
    try:
        if stream is None:
            with source.open() as opened:
                data = opened.read(MAX_PAGE_BYTES + 1)
        else:
            data = stream.read(MAX_PAGE_BYTES + 1)
    except (OSError, EOFError) as error:
        return record.failed("unreadable", f"{type(error).__name__}: {error}")
    return record.decoded(data)
