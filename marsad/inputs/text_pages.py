"""Aggregator text pages (``.txt``) with their optional ``<name>.meta.json`` sidecar."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from marsad.inputs.records import (
    MAX_PAGE_BYTES,
    PageRecord,
    parse_timestamp,
)

SIDECAR_SUFFIX = ".meta.json"


def _sidecar_path(page_file: Path) -> Path | None:
    for candidate in (
        page_file.with_suffix(SIDECAR_SUFFIX),
        page_file.with_name(page_file.name + SIDECAR_SUFFIX),
    ):
        if candidate.is_file():
            return candidate
    return None


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
            return url, parse_timestamp(meta["fetched_at"]), "sidecar", None
        return url, file_time, "file_mtime", None
    except (ValueError, UnicodeDecodeError) as error:
        return None, file_time, "file_mtime", f"sidecar {sidecar.name} ignored: {error}"


def read_text_page(page_file: Path) -> PageRecord:
    """One ``.txt`` page and its optional sidecar as a page record."""
    url, fetched_at, fetched_at_source, note = _crawl_metadata(page_file)
    size = page_file.stat().st_size
    record = PageRecord(
        source_file=str(page_file),
        record_no=1,
        input_format="txt",
        url=url,
        fetched_at=fetched_at,
        fetched_at_source=fetched_at_source,
        byte_size=size,
        notes=note,
    )
    if size > MAX_PAGE_BYTES:  # decided before reading, so a huge file is never loaded
        return record.failed("too_large", f"{size} bytes, above {MAX_PAGE_BYTES}")
    try:
        return record.decoded(page_file.read_bytes())
    except OSError as os_error:
        return record.failed("unreadable", str(os_error))
