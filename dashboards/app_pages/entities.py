"""Who and what is in the news: top people, organisations and places, their coverage over
time and the entities they appear with."""

import streamlit as st

from dashboards import charts, queries
from dashboards.i18n import t

selection: queries.Selection = st.session_state["selection"]
st.header(t("entities"))
columns = st.columns(3)
top = queries.top_entities(selection)
tops = {}
for column, kind, title in zip(
    columns,
    ("PER", "ORG", "LOC"),
    ("People · أشخاص", "Organisations · منظمات", "Places · أماكن"),
    strict=True,
):
    tops[kind] = top.filter(top["type"] == kind).drop("type")
    column.subheader(title)
    if tops[kind].height:
        column.plotly_chart(charts.bars(tops[kind], "articles", "name"), key=f"top_{kind}")
        column.download_button(
            t("download"),
            tops[kind].write_csv(),
            f"entities_{kind}.csv",
            "text/csv",
            key=f"top_{kind}_csv",
        )
choices = {
    row["entity_id"]: row["name"] for kind in tops for row in tops[kind].iter_rows(named=True)
}
if choices:
    chosen = st.selectbox(t("entity"), list(choices), format_func=choices.get, key="entity_pick")
    focused = queries.Selection(**{**selection.__dict__, "entity": chosen})
    over_time = queries.coverage(focused, "none", "week")
    st.plotly_chart(
        charts.coverage_over_time(over_time, "articles", {"all articles": choices[chosen]}),
        key="entity_time",
    )
    st.subheader("Appears with · يظهر مع")
    st.dataframe(queries.co_occurring(selection, chosen), hide_index=True, key="entity_with")
