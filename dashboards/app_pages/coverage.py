"""Coverage over time by topic, country or outlet, with drill-down to the articles."""

import streamlit as st

from dashboards import charts, queries
from dashboards.i18n import PERIOD_LABELS, SPLIT_LABELS, language, pick, t
from marsad.topics import topic_label

selection: queries.Selection = st.session_state["selection"]
st.header(f"{t('coverage')} · Coverage over time")

totals = queries.totals()
columns = st.columns(5)
columns[0].metric("Pages", f"{totals['pages']:,}")
columns[1].metric("Articles", f"{totals['articles']:,}")
columns[2].metric("Without trusted date", f"{totals['undated']:,}")
columns[3].metric("Ticker headlines", f"{totals['headlines']:,}")
columns[4].metric("Quarantined", f"{totals['quarantined']:,}")

left, middle, right = st.columns(3)
split = left.radio(
    t("split"),
    queries.SPLITS,
    format_func=lambda s: pick(SPLIT_LABELS[s]),
    horizontal=True,
    key="coverage_split",
)
granularity = middle.radio(
    t("granularity"),
    queries.GRANULARITIES,
    index=1,
    format_func=lambda g: pick(PERIOD_LABELS[g]),
    horizontal=True,
    key="coverage_period",
)
measure = right.radio(
    t("measure"),
    ["articles", "share"],
    format_func=lambda m: t("count") if m == "articles" else t("share"),
    horizontal=True,
    key="coverage_measure",
)
coverage = queries.coverage(selection, split, granularity)
if coverage.is_empty():
    st.info(t("no_articles"))
    st.stop()
labels = (
    {code: topic_label(code, language()) for code in coverage["series"].unique()}
    if split == "topic"
    else {}
)
event = st.plotly_chart(
    charts.coverage_over_time(coverage, measure, labels),
    width="stretch",
    key="coverage_chart",
    on_select="rerun",
    selection_mode="points",
)
st.caption(
    "Articles by publication date (the byline's date); periods without articles are drawn at "
    "zero; the share is the series' articles over all the selection's articles in the period. "
    "Articles without a trusted date are not charted. " + t("drill")
)
st.download_button(
    t("download"), coverage.write_csv(), "coverage.csv", "text/csv", key="coverage_csv"
)

points = event.selection.points if event and event.selection else []
if points:
    point = points[0]
    period, series = point["x"], point["customdata"][0]
    rows = queries.coverage_articles(selection, split, granularity, period, series)
    st.subheader(f"{labels.get(series, series)} · {period}: {rows.height}")
    st.dataframe(
        rows.drop("article_id"),
        width="stretch",
        hide_index=True,
        column_config={"url": st.column_config.LinkColumn(t("source"))},
        key="coverage_drill",
    )
    st.download_button(
        t("download"), rows.write_csv(), "coverage_articles.csv", "text/csv", key="drill_csv"
    )
