"""Inputs as users have them: a crawl gzipped as one stream, a text page that starts with a
brace, UTF-16 pages, gzipped pages, zip and tar dumps; and any bytes, in any container, under
any name, give one page record per record they hold."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.warcwriter import WARCWriter

from marsad.cli import main
from marsad.ingest.page_parsing import parse_records
from marsad.ingest.readers import read_input, records_frame
from marsad.warehouse.tables import accounting_errors, build_tables

NBSP4 = "\u00a0" * 4


def _page(n: int, ticker: str = f"خبر أول{NBSP4}خبر ثان{NBSP4}") -> str:
    return (
        f"{ticker}\n\n\nعنوان المقال رقم {n} عن الاقتصاد\n"
        f"نشر في هسبريس يوم 12 - 03 - 2021\n\nفقرة أولى من المقال رقم {n} تتحدث عن السوق.\n"
    )


def _wet_records(count: int) -> bytes:
    """``count`` WET conversion records, uncompressed."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for n in range(count):
        writer.write_record(
            writer.create_warc_record(
                f"https://news.example/{n}",
                "conversion",
                payload=io.BytesIO(f"عنوان الخبر {n}\nنص الخبر رقم {n} عن المدينة.".encode()),
                warc_headers_dict={"Content-Type": "text/plain"},
            )
        )
    return buffer.getvalue()


def _records(path: Path) -> pl.DataFrame:
    return records_frame(read_input(path))


def test_a_crawl_gzipped_as_one_stream_is_read_record_by_record(tmp_path: Path):
    crawl = tmp_path / "crawl.warc.wet.gz"
    crawl.write_bytes(gzip.compress(_wet_records(60)))  # `gzip crawl.warc.wet`: one member
    records = _records(crawl)
    assert records.height == 60
    assert records["read_error"].null_count() == 60
    assert records["input_format"].unique().to_list() == ["wet"]

    whole = crawl.read_bytes()
    (tmp_path / "cut.warc.wet.gz").write_bytes(whole[: len(whole) // 2])
    cut = _records(tmp_path / "cut.warc.wet.gz")
    kept = cut.filter(pl.col("read_error").is_null()).height
    assert 10 < kept < 60  # the records before the cut
    assert cut["read_error"].drop_nulls().to_list() == ["truncated"]
    assert cut.height == kept + 1


def test_a_text_page_starting_with_a_brace_is_one_page(tmp_path: Path):
    page = tmp_path / "verse.txt"
    page.write_text(_page(1, ticker=f"{{ وقل رب زدني علما }}{NBSP4}خبر ثان{NBSP4}"), "utf-8")
    records = _records(page)
    assert records.height == 1
    parsed = parse_records(records)
    assert parsed["title"].to_list() == ["عنوان المقال رقم 1 عن الاقتصاد"]
    assert parsed["headlines"].to_list()[0][0] == "{ وقل رب زدني علما }"


@pytest.mark.parametrize(("codec", "bom"), [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_pages_with_a_bom(tmp_path: Path, codec: str, bom: bytes):
    page = tmp_path / "windows.txt"
    page.write_bytes(bom + _page(2).replace("\n", "\r\n").encode(codec))
    records = _records(page)
    assert records["encoding"].to_list() == [codec]
    assert parse_records(records)["title"].to_list() == ["عنوان المقال رقم 2 عن الاقتصاد"]


def test_a_gzipped_page_and_its_sidecar(tmp_path: Path):
    (tmp_path / "page.txt.gz").write_bytes(gzip.compress(_page(3).encode()))
    (tmp_path / "page.meta.json").write_text(
        json.dumps({"url": "https://x.example/3", "fetched_at": "2025-05-01T00:00:00Z"})
    )
    records = _records(tmp_path / "page.txt.gz")
    assert records["read_error"].to_list() == [None]
    assert records["url"].to_list() == ["https://x.example/3"]
    assert records["input_format"].to_list() == ["txt"]


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_zip_dump_each_member_a_source_with_the_archive_sidecar(tmp_path: Path):
    dump = _zip(
        tmp_path / "dump.zip",
        {
            "dump/p0.txt": _page(0).encode(),
            "dump/p1.txt.gz": gzip.compress(_page(1).encode()),
            "dump/broken.txt": bytes(range(256)) * 8,
            "dump/rows.jsonl": json.dumps({"text": _page(2)}, ensure_ascii=False).encode(),
        },
    )
    (tmp_path / "dump.meta.json").write_text(
        json.dumps({"dump/p0.txt": {"url": "https://x.example/0", "fetched_at": "2025-05-02"}})
    )
    records = _records(dump).sort("source_file")
    assert records["source_file"].to_list() == [
        f"{dump}!dump/broken.txt",
        f"{dump}!dump/p0.txt",
        f"{dump}!dump/p1.txt.gz",
        f"{dump}!dump/rows.jsonl",
    ]
    assert records["read_error"].to_list() == ["binary", None, None, None]
    assert records.filter(pl.col("url").is_not_null())["url"].to_list() == ["https://x.example/0"]
    assert records["input_format"].to_list() == ["txt", "txt", "txt", "jsonl"]


def test_a_tar_dump_and_one_that_breaks_off(tmp_path: Path):
    dump = tmp_path / "dump.tar.gz"
    with tarfile.open(dump, "w:gz") as archive:
        for n in range(30):
            data = (_page(n) + "فقرة " * 400).encode()
            info = tarfile.TarInfo(f"pages/p{n}.txt")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    records = _records(dump)
    assert records.height == 30 and records["read_error"].null_count() == 30
    whole = dump.read_bytes()
    (tmp_path / "cut.tgz").write_bytes(whole[: len(whole) // 2])
    cut = _records(tmp_path / "cut.tgz")
    # The member the cut falls in is truncated; then the archive says where it broke off.
    assert cut["read_error"].drop_nulls().to_list()[-1] == "broken_archive"
    assert set(cut["read_error"].drop_nulls()) <= {"truncated", "broken_archive"}
    assert 3 < cut.filter(pl.col("read_error").is_null()).height < 30


def test_a_revisit_record_is_skipped_with_its_reason(tmp_path: Path):
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    writer.write_record(
        writer.create_warc_record("https://x.example/a", "revisit", payload=io.BytesIO(b""))
    )
    (tmp_path / "r.warc.gz").write_bytes(buffer.getvalue())
    records = _records(tmp_path / "r.warc.gz")
    assert records["skip_reason"].to_list() == ["WARC revisit record"]


def test_content_contradicting_the_name_is_read_by_the_name_and_said(tmp_path: Path):
    zipped = _zip(tmp_path / "inner.zip", {"a.txt": _page(5).encode()})
    mislabelled = tmp_path / "page.txt"
    mislabelled.write_bytes(zipped.read_bytes())
    [record] = _records(mislabelled).iter_rows(named=True)
    assert record["read_error"] == "binary"
    assert "named page.txt" in record["read_error_detail"]
    assert "compressed" in record["read_error_detail"]


def test_re_adding_the_same_archive_is_a_no_op(tmp_path: Path):
    raw, warehouse = tmp_path / "raw", tmp_path / "w.duckdb"
    raw.mkdir()
    _zip(raw / "dump.zip", {f"p{n}.txt": _page(n).encode() for n in range(4)})
    assert main(["run", "--raw", str(raw), "--warehouse", str(warehouse)]) == 0
    before = warehouse.stat().st_mtime_ns
    assert main(["run", "--raw", str(raw), "--warehouse", str(warehouse)]) == 0
    assert warehouse.stat().st_mtime_ns == before
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == 4


CONTAINERS = ("plain", "gz", "zip", "tar")
NAMES = ("x.txt", "x.jsonl", "x.json", "x.parquet", "x.warc", "x.warc.wet", "x.html", "x", "x.md")


def _contain(folder: Path, name: str, data: bytes, container: str) -> Path:
    if container == "gz":
        path = folder / f"{name}.gz"
        path.write_bytes(gzip.compress(data))
    elif container == "zip":
        path = _zip(folder / "a.zip", {name: data, "other.txt": _page(9).encode()})
    elif container == "tar":
        path = folder / "a.tar"
        with tarfile.open(path, "w") as archive:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    else:
        path = folder / name
        path.write_bytes(data)
    return path


BYTES = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=300).map(str.encode),
    st.sampled_from(
        [
            _page(1).encode(),
            b"{" + _page(1).encode(),
            b'{"text": "\xd9\x86\xd8\xb5"}\n{bad\n',
            _wet_records(3),
            _wet_records(3)[:150],
            b"PAR1\x00\x00",
            b"\xff\xfe" + _page(1).encode("utf-16-le"),
            gzip.compress(_page(1).encode())[:20],
        ]
    ),
)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=BYTES, name=st.sampled_from(NAMES), container=st.sampled_from(CONTAINERS))
def test_any_bytes_in_any_container_under_any_name_are_accounted(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, name: str, container: str
):
    folder = tmp_path_factory.mktemp("any")
    path = _contain(folder, name, data, container)
    records = records_frame(read_input(path))
    assert records.height >= 1  # nothing is silently dropped: at least a record saying why
    assert not records.select("source_file", "record_no").is_duplicated().any()
    # Each record holds text, or a reason for none, or a reason to skip it.
    assert (
        records["text"].is_not_null()
        | records["read_error"].is_not_null()
        | records["skip_reason"].is_not_null()
    ).all()
    tables = build_tables(records, parse_records(records))
    assert accounting_errors(tables, records.height) == []
