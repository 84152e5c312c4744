"""The dashboard's logic with Streamlit's AppTest, on a warehouse built by the real pipeline."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).parents[1] / "dashboards" / "streamlit_app.py")


@pytest.fixture
def app(built_warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("MARSAD_WAREHOUSE", str(built_warehouse))
    return AppTest.from_file(APP, default_timeout=60)


def test_coverage_page_shows_totals_and_chart(app: AppTest):
    app.run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Pages"] == "130"  # 120 + 4 re-crawls + 6 broken
    assert metrics["Articles"] == "120"
    assert metrics["Quarantined"] == "6"
    assert app.get("plotly_chart")


def test_outlet_filter_narrows_the_articles(app: AppTest):
    app.run()
    outlets = app.multiselect(key="filters_outlets")
    first = outlets.options[0]
    outlets.select(first).run()
    app.switch_page("app_pages/articles.py").run()
    assert not app.exception
    table = app.dataframe[0].value
    assert len(table) > 0
    assert set(table["outlet"]) == {first}


def test_headlines_page(app: AppTest):
    app.run()
    app.switch_page("app_pages/headlines.py").run()
    assert not app.exception
    assert len(app.dataframe[0].value) > 0


def test_missing_warehouse_explains_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MARSAD_WAREHOUSE", str(tmp_path / "none.duckdb"))
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert "make run" in app.warning[0].value
