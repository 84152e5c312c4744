"""The dashboard's logic with Streamlit's AppTest, on a warehouse built by the real pipeline."""

import re
from pathlib import Path

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from marsad.arabic import search_keys

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
    assert metrics["Quarantined pages"] == "6"
    assert app.get("plotly_chart")


def test_number_cards_follow_the_filters(app: AppTest, built_warehouse):
    app.run()
    before = {m.label: m.value for m in app.metric}
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        topic, of_topic = con.sql(
            "SELECT topic, count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
        ).fetchall()[0]
    app.multiselect(key="filters_topics").select(topic).run()
    after = {m.label: m.value for m in app.metric}
    assert after["Articles"] == str(of_topic) != before["Articles"]
    # Whole-warehouse cards say so in their label, and do not move.
    assert after["Pages"] == before["Pages"]


def test_filters_offer_names_not_codes(app: AppTest):
    # The Arabic view is checked in a real browser (tests/test_dashboard_browser.py).
    app.run()
    for key in ("filters_topics", "filters_countries", "filters_outlet_countries"):
        options = app.multiselect(key=key).options
        assert options, key
        assert not any(re.fullmatch(r"\d{8}|[A-Z]{2,3}", option) for option in options), key


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


def test_headlines_by_day_count_every_headline_of_the_selection(app: AppTest, built_warehouse):
    from dashboards import queries

    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        total, first, last = con.execute(
            "SELECT count(*), min(first_seen)::DATE, max(first_seen)::DATE FROM headlines"
        ).fetchone()
        topic, of_topic = con.execute(
            "SELECT topic, count(*) FROM headlines GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
        ).fetchone()
    days = queries.headline_days(queries.Selection(first, last))
    assert days["headlines"].sum() == total > 0
    narrowed = queries.headline_days(queries.Selection(first, last, topics=(topic,)))
    assert narrowed["headlines"].sum() == of_topic < total
    table = queries.headlines(queries.Selection(first, last, topics=(topic,)))
    assert set(table["topic"]) == {topic}


def test_missing_warehouse_explains_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MARSAD_WAREHOUSE", str(tmp_path / "none.duckdb"))
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert "make run" in app.warning[0].value


PAGES = (
    "app_pages/coverage.py",
    "app_pages/map.py",
    "app_pages/articles.py",
    "app_pages/entities.py",
    "app_pages/headlines.py",
    "app_pages/outlets.py",
    "app_pages/sql.py",
)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(app: AppTest, page: str):
    app.run()
    app.switch_page(page).run()
    assert not app.exception, page


def test_search_normalizes_arabic_spelling(built_warehouse: Path):
    from dashboards.queries import Selection

    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        first, last = con.execute(
            "SELECT min(published_date), max(published_date) FROM articles"
        ).fetchone()
        with_hamza = con.execute(
            "SELECT count(*) FROM articles WHERE title || body LIKE '%أحمد%'"
        ).fetchone()[0]
        where, params = Selection(first, last, search="احمد").where()
        found = con.execute(f"SELECT count(*) FROM articles a WHERE {where}", params).fetchone()[0]
        # The index agrees with a scan of every title and body for the same words, and a
        # search of two words wants both.
        texts = [
            search_keys(f"{t} {b}")
            for t, b in con.execute("SELECT title, body FROM articles").fetchall()
        ]
        where, params = Selection(first, last, search="أحمد الوزارة").where()
        both = con.execute(f"SELECT count(*) FROM articles a WHERE {where}", params).fetchone()[0]
    assert with_hamza > 0 and found >= with_hamza
    assert found == sum("احمد" in keys for keys in texts)
    assert 0 < both == sum({"احمد", "وزاره"} <= keys for keys in texts) < found


def test_coverage_shares_are_ratios_of_sums_and_gaps_are_zero(app: AppTest, built_warehouse):
    # ``app`` points MARSAD_WAREHOUSE at the built warehouse.
    from dashboards import queries

    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        first, last = con.execute(
            "SELECT min(published_date), max(published_date) FROM articles"
        ).fetchone()
    coverage = queries.coverage(queries.Selection(first, last), "topic", "month")
    periods = coverage["period"].unique().sort()
    assert periods.len() >= 12  # every month, with or without articles
    assert (coverage["articles"] >= 0).all()
    per_period = coverage.group_by("period").agg(pl.col("articles").sum(), pl.col("total").first())
    assert (per_period["articles"] <= per_period["total"]).all()
    assert (
        coverage.filter(pl.col("total") == 0)["share"].null_count()
        == coverage.filter(pl.col("total") == 0).height
    )


@pytest.mark.parametrize(
    "sql",
    [
        "COPY articles TO '/tmp/x.csv'",
        "ATTACH '/tmp/x.duckdb'",
        "INSTALL httpfs",
        "LOAD httpfs",
        "CREATE TABLE t AS SELECT 1",
        "CREATE TEMP TABLE t AS SELECT 1",
        "SET enable_external_access = true",
        "PRAGMA database_list",
        "SELECT 1; SELECT 2",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM glob('/etc/*')",
        "DROP TABLE articles",
    ],
)
def test_sql_console_refuses_anything_but_a_select_on_the_warehouse(built_warehouse, sql):
    from dashboards.sql_console import RefusedQuery, locked_connection, run_select

    with locked_connection(built_warehouse) as con, pytest.raises(RefusedQuery):
        run_select(con, sql)


def test_sql_console_runs_a_select_with_a_row_limit(built_warehouse):
    from dashboards.sql_console import locked_connection, run_select, schema

    with locked_connection(built_warehouse) as con:
        rows, cut = run_select(con, "SELECT * FROM pages;", limit=5)
        columns = schema(con)
    assert rows.height == 5 and cut
    assert {"articles", "article_countries", "topics"} <= set(columns["table_name"])
    assert columns["comment"].null_count() == 0


def test_page_text_is_escaped_and_mentions_bold():
    from dashboards.safe_text import escape, highlighted

    assert escape("<script>x</script>") == "\\<script\\>x\\</script\\>"
    assert escape("[a](http://x) ![i](y)") == "\\[a\\]\\(http\\://x\\) \\!\\[i\\]\\(y\\)"
    assert highlighted("قال بوتين اليوم", [(4, 9)]) == "قال **بوتين** اليوم"


def test_coverage_sums_series_beyond_the_top_into_other(built_warehouse: Path, app: AppTest):
    from dashboards import queries

    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        first, last, topics = con.sql(
            "SELECT min(published_date), max(published_date), count(DISTINCT topic) FROM articles"
        ).fetchall()[0]
    coverage = queries.coverage(queries.Selection(first, last), "topic", "week", top=2)
    assert set(coverage["series"]) - {queries.OTHER} and queries.OTHER in set(coverage["series"])
    assert coverage["series"].n_unique() == 3
    assert coverage["hidden"][0] == topics - 2
    # Each article has one topic: the lines, "other" included, add up to every article.
    per_period = coverage.group_by("period").agg(pl.col("articles").sum(), pl.col("total").first())
    assert (per_period["articles"] == per_period["total"]).all()


def test_top_entities_count_the_entities_of_each_name_in_the_warehouse(
    built_warehouse: Path, app: AppTest
):
    """``namesakes`` counts every entity of a shown name, shown or not (``distinct_names``)."""
    from dashboards import queries

    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        first, last = con.sql(
            "SELECT min(published_date), max(published_date) FROM articles"
        ).fetchall()[0]
        counts = dict(
            con.sql(
                "SELECT type || ' ' || name, count(*) FROM entities "
                "WHERE merged_into IS NULL GROUP BY ALL"
            ).fetchall()
        )
    top = queries.top_entities(queries.Selection(first, last))
    assert top.height > 0
    for kind, name, namesakes in top.select("type", "name", "namesakes").iter_rows():
        assert namesakes == counts[f"{kind} {name}"]


def test_periods_the_date_range_cuts_are_marked_partial(built_warehouse: Path, app: AppTest):
    import datetime as dt

    from dashboards import queries

    start, end = dt.date(2024, 3, 6), dt.date(2024, 5, 15)  # a Wednesday to a Wednesday
    weeks = queries.coverage(queries.Selection(start, end), "none", "week")
    partial = weeks.filter(pl.col("partial"))["period"].to_list()
    assert partial == [dt.date(2024, 3, 4), dt.date(2024, 5, 13)]
    months = queries.coverage(queries.Selection(start, end), "none", "month")
    assert months.filter(pl.col("partial"))["period"].to_list() == [
        dt.date(2024, 3, 1),
        dt.date(2024, 5, 1),
    ]
    whole = queries.coverage(
        queries.Selection(dt.date(2024, 3, 1), dt.date(2024, 5, 31)), "none", "month"
    )
    assert not whole["partial"].any()


def test_outlet_flags_leave_out_cut_weeks_and_collection_gaps():
    import datetime as dt

    from dashboards.queries import OTHER, outlet_flags

    weeks = [dt.date(2024, 1, 1) + dt.timedelta(weeks=i) for i in range(6)]
    rows = []
    # Week 0 is cut by the date range; week 3 has no article from anyone.
    a = [1, 10, 10, 0, 10, 3]
    b = [1, 10, 0, 0, 30, 10]
    for i, week in enumerate(weeks):
        for name, values in (("a", a), ("b", b), (OTHER, [0] * 6)):
            rows.append(
                {
                    "period": week,
                    "series": name,
                    "articles": values[i],
                    "total": a[i] + b[i],
                    "partial": i == 0,
                }
            )
    flags, gaps = outlet_flags(pl.DataFrame(rows))
    assert gaps == [weeks[3]]
    found = {(row["outlet"], row["period"]): row["flag"] for row in flags.iter_rows(named=True)}
    assert found == {
        ("a", weeks[5]): "drop",
        ("b", weeks[2]): "gap",
        ("b", weeks[4]): "surge",
    }


def test_country_names_are_short_and_in_the_language():
    import csv

    from dashboards.names import country_iso3, country_name
    from marsad.shipped import DATA as data

    codes = {
        row["country_code"]
        for name in ("places.csv", "cities.csv")
        for row in csv.DictReader((data / name).open(encoding="utf-8"))
    }
    for code in codes:
        english, arabic = country_name(code, "en"), country_name(code, "ar")
        assert english != code and not re.search(r"[,(]", english), code
        assert not re.search(r"[A-Za-z(,]", arabic), (code, arabic)
        assert country_iso3(code), code
    assert country_name("IR", "en") == "Iran" and country_name("SA", "ar") == "السعودية"


def _republish_without_half_the_articles(warehouse: Path, published: Path) -> None:
    """Publish a copy of ``warehouse`` at ``published`` holding half its articles, as a run
    publishes: written aside, then renamed over the file."""
    import shutil

    staged = published.with_suffix(".staged")
    shutil.copy(warehouse, staged)
    with duckdb.connect(str(staged)) as con:
        con.execute(
            "DELETE FROM articles WHERE article_id IN (SELECT article_id FROM articles "
            "ORDER BY article_id LIMIT (SELECT count(*) // 2 FROM articles))"
        )
    staged.replace(published)


def test_a_script_run_reads_one_published_version_to_its_end(
    built_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import shutil
    import threading

    from dashboards import published
    from dashboards.sql_console import locked_connection

    monkeypatch.setattr(published, "_run", threading.local())  # this test's pin ends with it
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(built_warehouse, warehouse)
    monkeypatch.setenv("MARSAD_WAREHOUSE", str(warehouse))
    count = "SELECT count(*) AS n FROM articles"
    held = locked_connection(warehouse)  # another reader holds the old file open meanwhile
    assert published.pin()
    before = published.query(count)["n"][0]
    _republish_without_half_the_articles(built_warehouse, warehouse)
    # The run that pinned the old version goes on reading it, console included…
    assert published.query(count + " WHERE true")["n"][0] == before
    with published.connection() as con:
        assert con.execute(count).fetchone()[0] == before
    # …and the next run reads the new one, though a connection to the old file is still open.
    assert published.pin()
    assert published.query(count)["n"][0] == before - before // 2
    with locked_connection(warehouse) as con:
        assert con.execute(count).fetchone()[0] == before - before // 2
    assert held.execute(count).fetchone()[0] == before
    held.close()


def test_entities_of_one_name_are_told_apart_by_their_country():
    import polars as pl

    from dashboards.names import distinct_names

    top = pl.DataFrame(
        {
            "name": ["الأهلي", "الأهلي", "الأهلي", "داعش"],
            "country_code": [None, "SA", "EG", None],
            "articles": [24, 18, 7, 70],
            "namesakes": [3, 3, 3, 1],
        }
    )
    assert distinct_names(top, "ar")["name"].to_list() == [
        "الأهلي",
        "الأهلي (السعودية)",
        "الأهلي (مصر)",
        "داعش",
    ]
    assert distinct_names(top, "en")["name"][1] == "الأهلي (Saudi Arabia)"
    # One club of the name among the rows, another in the warehouse: named all the same.
    shown = top.slice(1, 1)
    assert distinct_names(shown, "ar").to_dicts() == [
        {"name": "الأهلي (السعودية)", "country_code": "SA", "articles": 18}
    ]
