"""Articles of the selection, newest first."""

import streamlit as st

from dashboards import queries

selection: queries.Selection = st.session_state["selection"]
st.header("Articles · المقالات")
rows = queries.articles(selection)
st.caption(f"{rows.height:,} articles shown (newest first, at most 500).")
st.dataframe(
    rows.drop("article_id"),
    width="stretch",
    hide_index=True,
    column_config={
        "published_date": st.column_config.DateColumn("Date · التاريخ"),
        "outlet": st.column_config.TextColumn("Outlet · المنبر"),
        "title": st.column_config.TextColumn("Title · العنوان", width="large"),
        "url": st.column_config.LinkColumn("Source"),
    },
    key="articles_table",
)
