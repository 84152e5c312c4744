"""Ticker headlines: by first-seen day and topic, and how long each stayed on the ticker."""

import polars as pl
import streamlit as st

from dashboards import queries
from dashboards.i18n import language, t
from marsad.topics import topic_label

st.header(t("headlines"))
rows = queries.headlines()
rows = rows.with_columns(
    pl.col("topic").map_elements(lambda c: topic_label(c, language()), return_dtype=pl.String)
)
by_day = rows.group_by("first_seen_day", "topic").len().sort("first_seen_day")
if by_day.height:
    import plotly.express as px

    st.plotly_chart(
        px.bar(by_day.to_pandas(), x="first_seen_day", y="len", color="topic"),
        key="headlines_chart",
    )
st.caption(f"{rows.height:,} distinct headlines (most-shown first, at most 500).")
st.dataframe(rows, width="stretch", hide_index=True, key="headlines_table")
st.download_button(
    t("download"), rows.write_csv(), "headlines.csv", "text/csv", key="headlines_csv"
)
