"""The Dagster code location: its graph, and the whole graph materialized on temporary files."""

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from marsad.ingest.readers import discover_input_files
from marsad.warehouse.schema import TABLES
from pipelines.definitions import defs
from pipelines.resources import MarsadStorage
from pipelines.runner import run_once

# The warehouse assets are exactly the documented tables (the contract with SQL users).
TABLE_ASSETS = set(TABLES)


def test_definitions_load_with_the_expected_graph():
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"articles", "article_topics", "article_countries", "entity_mentions"} <= TABLE_ASSETS
    assert keys == {
        "word_vectors",
        "word_clusters",
        "name_shapes",
        "topic_model",
        "news_encoder",
        "entity_model",
        "raw_pages",
        "parsed_pages",
        "annotated_pages",
        "warehouse",
        *TABLE_ASSETS,
    }
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups["raw_pages"] == "ingest"
    assert groups["parsed_pages"] == groups["annotated_pages"] == "parse"
    assert {
        groups[k]
        for k in (
            "word_vectors",
            "topic_model",
            "word_clusters",
            "name_shapes",
            "news_encoder",
            "entity_model",
        )
    } == {"models"}
    assert {groups[t] for t in TABLE_ASSETS | {"warehouse"}} == {"warehouse"}
    for key in graph.get_all_asset_keys():
        assert graph.get(key).description, key
    upstream = {k.to_user_string() for k in graph.get(dg.AssetKey("warehouse")).parent_keys}
    assert upstream == TABLE_ASSETS
    checks = {key.name for key in graph.asset_check_keys}
    assert {
        "pages_accounting",
        "articles_dates_not_in_future",
        "articles_have_titles",
        "warehouse_contract",
    } <= checks
    assert defs.resolve_job_def("ingest_job") is not None
    assert defs.resolve_job_def("publish_job") is not None
    assert defs.resolve_job_def("train_models_job") is not None
    assert defs.resolve_job_def("reannotate_job") is not None
    classified = {k.to_user_string() for k in graph.get(dg.AssetKey("annotated_pages")).parent_keys}
    assert classified == {"parsed_pages", "topic_model", "entity_model"}
    assert graph.get(dg.AssetKey("raw_pages")).partitions_def.name == "ingest_batches"


def test_workspace_points_at_the_code_location():
    workspace = (Path(__file__).parents[1] / "workspace.yaml").read_text()
    assert "module_name: pipelines.definitions" in workspace


def _materialize(raw: Path, warehouse: Path) -> list[dg.ExecuteInProcessResult]:
    storage = MarsadStorage(warehouse_path=str(warehouse))
    return run_once(storage, [str(f) for f in discover_input_files([raw])])


def test_whole_graph_on_a_temporary_folder(raw_dir: Path, tmp_path: Path):
    warehouse = tmp_path / "out" / "warehouse.duckdb"
    results = _materialize(raw_dir, warehouse)
    assert [r.success for r in results] == [True, True]
    assert all(e.passed for r in results for e in r.get_asset_check_evaluations())
    materialized = {
        event.asset_key.to_user_string()
        for r in results
        for event in r.get_asset_materialization_events()
    }
    assert materialized == {
        "raw_pages",
        "parsed_pages",
        "annotated_pages",
        "warehouse",
        *TABLE_ASSETS,
    }
    inputs = len(list(raw_dir.glob("*.txt")))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        status = dict(con.execute("SELECT status, count(*) FROM pages GROUP BY 1").fetchall())
        assert sum(status.values()) == inputs == 60 + 3 + 6
        assert status == {"article": 60, "duplicate": 3, "quarantined": 6}
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 60
        assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 6
        assert con.execute("SELECT count(*) FROM headlines").fetchone()[0] > 0
        assert (
            con.execute(
                "SELECT count(*) FROM pages WHERE NOT ends_with(source_file, '.txt')"
            ).fetchone()[0]
            == 0
        )


def test_metadata_shows_rates_and_previews(raw_dir: Path, tmp_path: Path):
    results = _materialize(raw_dir, tmp_path / "w.duckdb")
    metadata = {
        event.asset_key.to_user_string(): event.materialization.metadata
        for r in results
        for event in r.get_asset_materialization_events()
    }
    assert metadata["parsed_pages"]["parse_rate"].value == pytest.approx(
        63 / 65, abs=1e-3
    )  # of readable pages
    assert metadata["quarantine"]["quarantined_share"].value == pytest.approx(6 / 69, abs=1e-3)
    assert metadata["articles"]["dagster/row_count"].value == 60
    assert "|" in metadata["articles"]["preview"].value
    # Each article is counted once by the source it credits, those crediting none together.
    credits = metadata["articles"]["source_credit"].value
    assert sum(credits.values()) == 60 and credits["(none)"] > 0 and "None" not in credits


def test_rerun_gives_identical_tables(raw_dir: Path, tmp_path: Path):
    first, second = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    _materialize(raw_dir, first)
    _materialize(raw_dir, second)
    with (
        duckdb.connect(str(first), read_only=True) as a,
        duckdb.connect(str(second), read_only=True) as b,
    ):
        for table in sorted(TABLE_ASSETS):
            query = f"SELECT * FROM {table} ORDER BY ALL"
            assert a.execute(query).fetchall() == b.execute(query).fetchall(), table


def test_vanished_input_fails_the_run_and_keeps_the_old_warehouse(raw_dir: Path, tmp_path: Path):
    warehouse = tmp_path / "w.duckdb"
    assert all(r.success for r in _materialize(raw_dir, warehouse))
    before = warehouse.stat().st_mtime_ns
    storage = MarsadStorage(warehouse_path=str(warehouse))
    # Staged in a batch, then gone before it is read.
    new = tmp_path / "gone.txt"
    new.write_bytes((raw_dir / "page_0000.txt").read_bytes() + "فقرة أخرى.\n".encode())
    batches = storage.stage.plan([new])
    new.unlink()
    results = run_once(storage, [])
    assert batches and [r.success for r in results] == [False]
    assert warehouse.stat().st_mtime_ns == before


def test_large_inputs_are_staged_and_parsed_in_batches(
    raw_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import json

    import pipelines.pages.assets as page_assets

    monkeypatch.setattr(page_assets, "BATCH_RECORDS", 7)  # a batch read in slices
    monkeypatch.setattr("marsad.warehouse.publish.SLICE_PAGES", 7)  # and added in slices
    rows = [
        {
            "text": f"خبر رقم {n} عن الاقتصاد والتجارة في المنطقة العربية.",
            "url": f"https://x.example/{n}",
        }
        for n in range(20)
    ]
    (raw_dir / "export.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
    )
    warehouse = tmp_path / "w.duckdb"
    assert all(r.success for r in _materialize(raw_dir, warehouse))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM pages").fetchone()[0] == 69 + 20
        assert (
            con.execute(
                "SELECT count(*) FROM pages WHERE input_format = 'jsonl' AND status = 'article'"
            ).fetchone()[0]
            == 20
        )
