"""Coverage over time by topic, country or outlet, with drill-down to the articles."""

import streamlit as st

from dashboards import charts, queries
from dashboards.i18n import (
    PERIOD_LABELS,
    SPLIT_LABELS,
    arabic,
    day,
    pick,
    plotly_config,
    t,
)
from dashboards.names import series_labels
from dashboards.tables import article_columns

selection: queries.Selection = st.session_state["selection"]
st.header(t("coverage"))

totals = queries.totals(selection)
# Two groups, each saying what it counts: the selection's cards follow the filters, the
# warehouse's do not.
for group, (caption, keys) in zip(
    st.columns(2, gap="large"),
    (
        ("in_selection", ("articles", "outlets", "headlines")),
        ("in_warehouse", ("pages", "undated", "quarantined")),
    ),
    strict=True,
):
    group.caption(t(caption))
    for column, key in zip(group.columns(3), keys, strict=True):
        column.metric(t(f"m_{key}"), f"{totals[key]:,}")

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
series = coverage["series"].unique(maintain_order=True).to_list()
hidden = int(coverage["hidden"][0])
labels = series_labels(coverage, split)
axis = t("share_axis") if measure == "share" else t("articles_axis")
event = st.plotly_chart(
    charts.coverage_over_time(coverage, measure, labels, axis, split, queries.OTHER, rtl=arabic()),
    width="stretch",
    key="coverage_chart",
    on_select="rerun",
    selection_mode="points",
    config=plotly_config(),
)
if arabic():
    notes = [
        "المقالات حسب تاريخ النشر (تاريخ التوقيع). الفترات بلا مقالات مرسومة عند الصفر.",
        "النسبة هي مقالات السلسلة من كل مقالات الاختيار في الفترة.",
        "الدوائر المفرغة فترات يقطعها نطاق التاريخ: أيامها أقل، لا مقالاتها.",
        "المقالات بلا تاريخ موثوق غير مرسومة.",
    ]
    if hidden:
        notes.append(
            f"تُرسم أكبر {len(series) - 1} سلاسل؛ وتُجمع السلاسل الـ{hidden} الباقية في «أخرى»."
        )
else:
    notes = [
        "Articles by publication date (the byline's date); periods without articles are drawn "
        "at zero.",
        "The share is the series' articles over all the selection's articles in the period.",
        "Open circles are periods the date range cuts: fewer days, not fewer articles.",
        "Articles without a trusted date are not charted.",
    ]
    if hidden:
        notes.append(
            f"The {len(series) - 1} largest series are drawn; the other {hidden} are summed "
            "in “other”."
        )
st.caption(" ".join([*notes, t("drill")]))
st.download_button(
    t("download"), coverage.write_csv(), "coverage.csv", "text/csv", key="coverage_csv"
)

points = event.selection.points if event and event.selection else []
if points:
    point = points[0]
    period, chosen = point["x"], point["customdata"][0]
    shown = tuple(s for s in series if s != queries.OTHER)
    rows = queries.coverage_articles(selection, split, granularity, period, chosen, shown)
    st.subheader(f"{labels.get(chosen, chosen)} · {day(period)}: {rows.height}")
    frame, config = article_columns(rows)
    st.dataframe(
        frame, width="stretch", hide_index=True, column_config=config, key="coverage_drill"
    )
    st.download_button(
        t("download"), rows.write_csv(), "coverage_articles.csv", "text/csv", key="drill_csv"
    )
