"""Who and what is in the news: top people, organisations and places, their coverage over
time and the entities they appear with."""

import streamlit as st

from dashboards import charts, names, queries
from dashboards.i18n import arabic, language, plotly_config, t
from dashboards.tables import article_columns

selection: queries.Selection = st.session_state["selection"]
st.header(t("entities"))
columns = st.columns(3)
top = queries.top_entities(selection)
tops = {}
for column, kind, title in zip(
    columns, ("PER", "ORG", "LOC"), ("people", "organisations", "places"), strict=True
):
    tops[kind] = names.distinct_names(top.filter(top["type"] == kind).drop("type"), language())
    column.subheader(t(title))
    if tops[kind].height:
        column.plotly_chart(
            charts.bars(tops[kind], "articles", "name", t("articles_axis"), rtl=arabic()),
            key=f"top_{kind}",
            config=plotly_config(),
        )
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
        charts.coverage_over_time(
            over_time,
            "articles",
            {queries.ALL: choices[chosen]},
            t("articles_axis"),
            split="none",
            rtl=arabic(),
        ),
        key="entity_time",
        config=plotly_config(),
    )
    st.subheader(t("appears_with"))
    table, config = article_columns(queries.co_occurring(selection, chosen))
    st.dataframe(table, hide_index=True, column_config=config, key="entity_with")
