"""Ticker headlines: by first-seen day and topic, and how long each stayed on the ticker."""

import polars as pl
import streamlit as st

from dashboards import charts, queries
from dashboards.i18n import arabic, day, language, plotly_config, t
from dashboards.tables import article_columns
from marsad.enrich.topics.taxonomy import topic_label

selection: queries.Selection = st.session_state["selection"]
st.header(t("headlines"))
by_day = queries.headline_days(selection).with_columns(pl.col("topic").fill_null("unclassified"))
# The headlines of the first crawl were already on the ticker: when they first appeared is
# unknown, so they are counted apart instead of drawn as a spike on that day.
start = queries.collection_start()
already = by_day.filter(pl.col("first_seen_day") == start)["headlines"].sum() or 0
new = by_day.filter(pl.col("first_seen_day") != start).rename({"first_seen_day": "day"})
if new.height:
    labels = {code: topic_label(code, language()) for code in new["topic"].unique()}
    labels["unclassified"] = topic_label(None, language())
    st.plotly_chart(
        charts.stacked_days(new, labels, t("headlines_axis"), rtl=arabic()),
        key="headlines_chart",
        config=plotly_config(),
    )
    st.download_button(
        t("download"), by_day.write_csv(), "headlines_by_day.csv", "text/csv", key="days_csv"
    )
total = int(by_day["headlines"].sum() or 0)
if arabic():
    caption = f"{total:,} عنوانًا مميزًا ظهر أول مرة في الاختيار (التواريخ والمواضيع والبلدان)."
    if already:
        caption += (
            f" منها {already:,} كانت على الشريط عند أول جمع ({day(start)}) فلا يُعرف متى ظهرت "
            "أول مرة، ولذلك لا تُرسم."
        )
    caption += " يعرض الجدول الأكثر ظهورًا (500 على الأكثر)."
else:
    caption = (
        f"{total:,} distinct headlines first seen in the selection (dates, topics, countries)."
    )
    if already:
        caption += (
            f" {already:,} of them were already on the ticker at the first crawl "
            f"({day(start)}): when they first appeared is unknown, so they are not drawn."
        )
    caption += " The table lists the most-shown 500."
st.caption(caption)
rows = queries.headlines(selection).drop("first_seen_day").rename({"text": "headline"})
table, config = article_columns(rows)
st.dataframe(table, width="stretch", hide_index=True, column_config=config, key="headlines_table")
st.download_button(
    t("download"), rows.write_csv(), "headlines.csv", "text/csv", key="headlines_csv"
)
