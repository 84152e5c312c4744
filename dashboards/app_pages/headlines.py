"""Ticker headlines: by first-seen day and topic, and how long each stayed on the ticker."""

import polars as pl
import streamlit as st

from dashboards import queries
from dashboards.i18n import language, t
from marsad.topics import topic_label

selection: queries.Selection = st.session_state["selection"]
st.header(t("headlines"))
label = pl.col("topic").map_elements(lambda c: topic_label(c, language()), return_dtype=pl.String)
by_day = queries.headline_days(selection).with_columns(label)
if by_day.height:
    import plotly.express as px

    st.plotly_chart(
        px.bar(by_day.to_pandas(), x="first_seen_day", y="headlines", color="topic"),
        key="headlines_chart",
    )
    st.download_button(
        t("download"), by_day.write_csv(), "headlines_by_day.csv", "text/csv", key="days_csv"
    )
rows = queries.headlines(selection).with_columns(label)
st.caption(
    f"{int(by_day['headlines'].sum() or 0):,} distinct headlines first seen in the selection "
    "(dates, topics, countries); the table lists the most-shown 500."
)
st.dataframe(rows, width="stretch", hide_index=True, key="headlines_table")
st.download_button(
    t("download"), rows.write_csv(), "headlines.csv", "text/csv", key="headlines_csv"
)
