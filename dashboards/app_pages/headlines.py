"""Ticker headlines: when each was first and last seen, and on how many pages."""

import streamlit as st

from dashboards import queries

st.header("Ticker headlines · عناوين الشريط")
rows = queries.headlines()
st.caption(f"{rows.height:,} distinct headlines (most seen first, at most 500).")
st.dataframe(
    rows,
    width="stretch",
    hide_index=True,
    column_config={
        "text": st.column_config.TextColumn("Headline · العنوان", width="large"),
        "first_seen": st.column_config.DatetimeColumn("First seen"),
        "last_seen": st.column_config.DatetimeColumn("Last seen"),
        "page_count": st.column_config.NumberColumn("Pages"),
        "days_on_ticker": st.column_config.NumberColumn("Days on ticker", format="%.1f"),
    },
    key="headlines_table",
)
