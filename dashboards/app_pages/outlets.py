"""Volume per outlet over time, with empty weeks and sudden changes flagged."""

import polars as pl
import streamlit as st

from dashboards import charts, queries
from dashboards.i18n import t

selection: queries.Selection = st.session_state["selection"]
st.header(t("outlets"))
weekly = queries.coverage(selection, "outlet", "week", top=20)
if weekly.is_empty():
    st.info(t("no_articles"))
    st.stop()
st.plotly_chart(charts.coverage_over_time(weekly, "articles", {}), key="outlets_chart")
# A week is flagged when an outlet published nothing, or less than half / more than twice
# its median week.
flags = (
    weekly.with_columns(pl.col("articles").median().over("series").alias("median_week"))
    .with_columns(
        pl.when(pl.col("articles") == 0)
        .then(pl.lit("gap"))
        .when(pl.col("articles") < 0.5 * pl.col("median_week"))
        .then(pl.lit("drop"))
        .when(pl.col("articles") > 2 * pl.col("median_week"))
        .then(pl.lit("surge"))
        .alias("flag")
    )
    .filter(pl.col("flag").is_not_null())
    .select("series", "period", "articles", "median_week", "flag")
    .rename({"series": "outlet"})
)
st.subheader("Flagged weeks")
st.dataframe(flags, hide_index=True, width="stretch", key="outlet_flags")
st.download_button(t("download"), weekly.write_csv(), "outlets.csv", "text/csv", key="outlets_csv")
