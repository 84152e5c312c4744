"""JSONL and Parquet exports of web corpora: one page record per row.

Column names differ between corpora, so each role (text, url, crawl time, publication date,
title, outlet) has a list of usual names; ``ColumnMap`` lets a user name them instead.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import BinaryIO

import pyarrow.parquet as pq

from marsad.ingest.dates import parse_date
from marsad.ingest.readers.records import MAX_PAGE_BYTES, PageRecord, parse_timestamp
from marsad.ingest.readers.sources import Source


@dataclass(frozen=True)
class ColumnMap:
    """Which column plays which role; the first name present in a row wins."""

    text: tuple[str, ...] = ("text", "content", "body", "article")
    url: tuple[str, ...] = ("url", "link", "uri", "target_uri")
    fetched_at: tuple[str, ...] = ("timestamp", "fetched_at", "crawl_date", "date_extracted")
    published: tuple[str, ...] = (
        "date",
        "published",
        "published_date",
        "publication_date",
        "pub_date",
    )
    title: tuple[str, ...] = ("title", "headline")
    outlet: tuple[str, ...] = ("outlet", "source_name", "site_name", "sitename", "source")
    roles: tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def with_overrides(cls, overrides: dict[str, str]) -> ColumnMap:
        """``{"text": "content"}`` makes ``content`` the only text column."""
        known = {f.name for f in fields(cls)} - {"roles"}
        unknown = set(overrides) - known
        if unknown:
            raise ValueError(f"unknown column roles {sorted(unknown)}; known: {sorted(known)}")
        return cls(**{role: (name,) for role, name in overrides.items()})

    def pick(self, row: dict, role: str) -> object:
        for name in getattr(self, role):
            value = row.get(name)
            if value not in (None, ""):
                return value
        return None


def _as_time(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)
    if isinstance(value, int | float):  # epoch seconds
        return dt.datetime.fromtimestamp(value, tz=dt.UTC)
    if isinstance(value, str):
        try:
            return parse_timestamp(value.replace(" ", "T", 1) if " " in value[:11] else value)
        except ValueError:
            return None
    return None


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        stamp = _as_time(value)
        return stamp.date() if stamp else parse_date(value)
    return None


def row_record(row: object, columns: ColumnMap, common: dict) -> PageRecord:
    if not isinstance(row, dict):
        return PageRecord(**common).failed("bad_row", "not a JSON object")
    text = columns.pick(row, "text")
    url = columns.pick(row, "url")
    fetched = columns.pick(row, "fetched_at")
    fetched_at = _as_time(fetched)
    title = columns.pick(row, "title")
    fields_ = {
        **common,
        "url": str(url) if url else None,
        "fetched_at": fetched_at,
        "fetched_at_source": "column" if fetched_at else None,
        "title_hint": str(title).strip() if title else None,
        "outlet_hint": str(columns.pick(row, "outlet") or "").strip() or None,
        "published_hint": _as_date(columns.pick(row, "published")),
    }
    if not isinstance(text, str) or not text.strip():
        return PageRecord(**fields_).failed(
            "empty", f"no text in any of the columns {list(columns.text)}"
        )
    if fields_["title_hint"] and not text.lstrip().startswith(fields_["title_hint"]):
        text = f"{fields_['title_hint']}\n{text}"
    return PageRecord(
        **{**fields_, "byte_size": fields_.get("byte_size") or len(text.encode())},
        text=text,
        encoding="utf-8",
    )


def read_jsonl(source: Source, columns: ColumnMap, stream: BinaryIO) -> Iterator[PageRecord]:
    source_file = source.name
    record_no = 0
    try:
        while True:
            line = stream.readline(MAX_PAGE_BYTES + 1)
            if not line:
                break
            if not line.strip():
                continue  # blank lines separate nothing in JSONL
            record_no += 1
            common = {
                "source_file": source_file,
                "record_no": record_no,
                "input_format": "jsonl",
                "byte_size": len(line),
            }
            if len(line) > MAX_PAGE_BYTES and not line.endswith(b"\n"):
                while line and not line.endswith(b"\n"):  # skip the rest of the giant line
                    line = stream.readline(MAX_PAGE_BYTES)
                yield PageRecord(**common).failed(
                    "too_large", f"line longer than {MAX_PAGE_BYTES} bytes"
                )
                continue
            try:
                row = json.loads(line.decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                yield PageRecord(**common).failed("bad_json", str(error)[:300])
                continue
            yield row_record(row, columns, common)
    except (OSError, EOFError) as error:
        yield PageRecord.broken_off(source_file, record_no, "jsonl", "truncated", str(error))


def read_parquet(source: Source, columns: ColumnMap, stream: BinaryIO) -> Iterator[PageRecord]:
    source_file = source.name
    record_no = 0
    try:
        # Parquet is read from its footer: a file is opened as such, a member is read whole.
        parquet = pq.ParquetFile(source.path or io.BytesIO(stream.read()))
        for batch in parquet.iter_batches(batch_size=2000):
            for row in batch.to_pylist():
                record_no += 1
                common = {
                    "source_file": source_file,
                    "record_no": record_no,
                    "input_format": "parquet",
                }
                yield row_record(row, columns, common)
    except (OSError, ValueError) as error:  # pyarrow raises ArrowInvalid (a ValueError)
        yield PageRecord.broken_off(source_file, record_no, "parquet", "bad_parquet", str(error))
