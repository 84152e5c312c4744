"""World map of coverage by country for the selection. The world's shapes are served by the
dashboard itself (static/world_110m.json), so the map draws without any network."""

import polars as pl
import pycountry
import streamlit as st

from dashboards import charts, queries
from dashboards.i18n import arabic, language, plotly_config, t
from dashboards.names import country_iso3, country_name
from dashboards.tables import article_columns

selection: queries.Selection = st.session_state["selection"]
st.header(t("map"))
counts = queries.countries_map(selection)
if counts.is_empty():
    st.info(t("no_articles"))
    st.stop()
lang = language()
# Every country is drawn: those without articles in the lightest shade, so no coverage is
# visible as such instead of as a hole in the map.
world = pl.DataFrame({"country_code": [c.alpha_2 for c in pycountry.countries]})
shaded = world.join(counts, on="country_code", how="left").with_columns(
    pl.col("articles").fill_null(0)
)
named = shaded.with_columns(
    pl.col("country_code").map_elements(country_iso3, return_dtype=pl.String).alias("iso3"),
    pl.col("country_code")
    .map_elements(lambda code: country_name(code, lang), return_dtype=pl.String)
    .alias("name"),
)
# Relative to the page, so the map also draws behind a proxy's path prefix.
config = {**plotly_config(), "topojsonURL": "app/static/"}
st.plotly_chart(
    charts.world_map(named.drop_nulls("iso3"), t("articles_axis"), rtl=arabic()),
    width="stretch",
    key="map_chart",
    config=config,
)
st.caption(
    "المقالات لكل بلد: موضوعًا رئيسيًا أو مذكورًا (حسب الشريط الجانبي). حدود الخريطة من "
    "بيانات الأمم المتحدة الجغرافية."
    if arabic()
    else "Articles per country: as their main subject, or mentioned at all (sidebar). "
    "Borders from the UN Geospatial world map as Plotly publishes it."
)
table, columns = article_columns(counts.select("country_code", "articles"))
st.dataframe(table, hide_index=True, width="stretch", column_config=columns, key="map_table")
st.download_button(t("download"), counts.write_csv(), "countries.csv", "text/csv", key="map_csv")
