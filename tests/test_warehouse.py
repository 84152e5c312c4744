"""The published DuckDB file: documented schema and atomic replacement."""

from pathlib import Path

import duckdb
import polars as pl
import pytest

from marsad.warehouse.schema import TABLES, connect_read_only, publish


def frames(pages: int) -> dict[str, pl.DataFrame]:
    table = TABLES["pages"]
    rows = {c.name: [None] * pages for c in table.columns}
    rows["page_id"] = [f"p{i}" for i in range(pages)]
    rows["status"] = ["quarantined"] * pages
    return {
        "pages": pl.DataFrame(rows, schema={c: pl.String for c in rows}).with_columns(
            pl.col("record_no", "byte_size").cast(pl.Int64),
            pl.col("fetched_at").cast(pl.Datetime("us", "UTC")),
        )
    }


def test_every_table_and_column_is_commented(tmp_path: Path):
    path = publish(frames(2), tmp_path / "w.duckdb")
    with connect_read_only(path) as con:
        tables = dict(
            con.execute(
                "SELECT table_name, comment FROM duckdb_tables() WHERE NOT internal"
            ).fetchall()
        )
        columns = con.execute(
            "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE NOT internal"
        ).fetchall()
    assert set(tables) == set(TABLES)
    assert all(tables.values())
    assert {(t, c) for t, c, _ in columns} == {
        (name, col.name) for name, table in TABLES.items() for col in table.columns
    }
    assert all(comment for _, _, comment in columns)


def test_publish_replaces_atomically_while_a_reader_holds_the_old_file(tmp_path: Path):
    path = tmp_path / "w.duckdb"
    publish(frames(2), path)
    reader = duckdb.connect(str(path), read_only=True)
    publish(frames(5), path)  # the writer never opens the published file: no lock conflict
    assert reader.execute("SELECT count(*) FROM pages").fetchone()[0] == 2  # old snapshot
    reader.close()
    with connect_read_only(path) as fresh:
        assert fresh.execute("SELECT count(*) FROM pages").fetchone()[0] == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"]  # no leftovers


def test_failed_build_leaves_the_old_warehouse(tmp_path: Path):
    path = tmp_path / "w.duckdb"
    publish(frames(2), path)
    with pytest.raises(ValueError, match="columns missing"):
        publish({"pages": pl.DataFrame({"page_id": ["x"]})}, path)
    with connect_read_only(path) as con:
        assert con.execute("SELECT count(*) FROM pages").fetchone()[0] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"]


def test_reading_a_missing_warehouse_says_what_to_do(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="marsad run"):
        connect_read_only(tmp_path / "none.duckdb")
