import datetime as dt
import json
import os
from pathlib import Path

import pytest

from marsad.ingest.readers import discover_input_files
from marsad.ingest.readers.records import UnreadablePage, decode_page, site_of
from marsad.ingest.readers.text_pages import read_text_page

ARABIC = "نشر في هسبريس يوم 31 - 05 - 2020\n"


def test_utf8_with_and_without_bom():
    assert decode_page(ARABIC.encode()) == (ARABIC, "utf-8")
    assert decode_page(b"\xef\xbb\xbf" + ARABIC.encode()) == (ARABIC, "utf-8")


def test_windows_1256_detected_without_being_told():
    assert decode_page(ARABIC.encode("cp1256")) == (ARABIC, "windows-1256")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\r\n", "empty"),
        (b"PK\x03\x04\x00\x00binary", "binary"),
        (bytes(range(1, 32)) * 40, "binary"),
        ("Voilà déjà é".encode("latin-1") * 10, "undecodable"),
    ],
)
def test_unreadable_bytes(data, reason):
    with pytest.raises(UnreadablePage) as raised:
        decode_page(data)
    assert raised.value.reason == reason


def test_sidecar_gives_url_and_fetch_time(tmp_path: Path):
    page = tmp_path / "a.txt"
    page.write_text(ARABIC, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(
        json.dumps(
            {"url": "https://www.maghress.com/hespress/123", "fetched_at": "2025-05-10T08:00:00Z"}
        )
    )
    record = read_text_page(page)
    assert record.url == "https://www.maghress.com/hespress/123"
    assert record.site == "maghress.com"
    assert record.fetched_at == dt.datetime(2025, 5, 10, 8, tzinfo=dt.UTC)
    assert record.fetched_at_source == "sidecar"
    assert record.read_error is None


def test_without_sidecar_the_file_time_is_used_and_flagged(tmp_path: Path):
    page = tmp_path / "b.txt"
    page.write_text(ARABIC, encoding="utf-8")
    os.utime(page, (1_700_000_000, 1_700_000_000))
    record = read_text_page(page)
    assert record.url is None
    assert record.fetched_at == dt.datetime.fromtimestamp(1_700_000_000, dt.UTC)
    assert record.fetched_at_source == "file_mtime"


def test_broken_sidecar_is_noted_not_fatal(tmp_path: Path):
    page = tmp_path / "c.txt"
    page.write_text(ARABIC, encoding="utf-8")
    (tmp_path / "c.meta.json").write_text("{not json")
    record = read_text_page(page)
    assert record.fetched_at_source == "file_mtime"
    assert "sidecar c.meta.json ignored" in record.notes
    assert record.text == ARABIC


def test_unreadable_file_is_still_a_record(tmp_path: Path):
    page = tmp_path / "d.txt"
    page.write_bytes(b"\x00\x01\x02")
    record = read_text_page(page)
    assert (record.read_error, record.text, record.record_no) == ("binary", None, 1)


def test_page_ids_are_stable(tmp_path: Path):
    page = tmp_path / "e.txt"
    page.write_text(ARABIC, encoding="utf-8")
    assert read_text_page(page).page_id == read_text_page(page).page_id


def test_discovery_finds_pages_not_sidecars(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    for name in ("b.txt", "sub/a.txt", "a.meta.json", ".hidden.txt", "notes.md", "c.warc.gz"):
        (tmp_path / name).write_text("x")
    found = discover_input_files([tmp_path])
    assert sorted(p.name for p in found) == ["a.txt", "b.txt", "c.warc.gz"]
    assert all(p.is_absolute() for p in found)


def test_discovery_rejects_missing_paths(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        discover_input_files([tmp_path / "nope"])


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.maghress.com/x/1", "maghress.com"),
        ("http://le360.ma", "le360.ma"),
        (None, None),
    ],
)
def test_site_of(url, site):
    assert site_of(url) == site
