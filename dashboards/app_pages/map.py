"""World map of coverage by country for the selection."""

import polars as pl
import pycountry
import streamlit as st

from dashboards import charts, queries
from dashboards.i18n import t

selection: queries.Selection = st.session_state["selection"]
st.header(t("map"))
counts = queries.countries_map(selection)
if counts.is_empty():
    st.info(t("no_articles"))
    st.stop()


def _country(code: str) -> tuple[str | None, str]:
    country = pycountry.countries.get(alpha_2=code)
    return (country.alpha_3, country.name) if country else (None, code)


named = counts.with_columns(
    pl.col("country_code")
    .map_elements(lambda c: _country(c)[0], return_dtype=pl.String)
    .alias("iso3"),
    pl.col("country_code")
    .map_elements(lambda c: _country(c)[1], return_dtype=pl.String)
    .alias("name"),
)
st.plotly_chart(charts.world_map(named.drop_nulls("iso3")), width="stretch", key="map_chart")
st.caption(
    "Articles per country: as their main subject, or mentioned at all (sidebar). "
    "Palestine (PS) is drawn where the map has it."
)
st.dataframe(named, hide_index=True, width="stretch", key="map_table")
st.download_button(t("download"), named.write_csv(), "countries.csv", "text/csv", key="map_csv")
