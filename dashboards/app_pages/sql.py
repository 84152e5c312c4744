"""Ad-hoc read-only SQL on the warehouse, with the documented schema beside the editor."""

import streamlit as st

from dashboards import published
from dashboards.i18n import language, t
from dashboards.sql_console import ROW_LIMIT, RefusedQuery, run_select, schema

# The example: articles per topic, by the topic's name in the page's language.
EXAMPLE = """SELECT t.label_{language} AS topic, count(*) AS articles
FROM articles a LEFT JOIN topics t USING (topic)
GROUP BY 1 ORDER BY articles DESC"""

st.header(t("sql"))
editor, reference = st.columns([3, 2])
# A form sends the query text and the Run click together: no click is lost to a rerun.
with editor.form("sql_form"):
    sql = st.text_area("SELECT …", EXAMPLE.format(language=language()), height=160, key="sql_text")
    run = st.form_submit_button(t("run"))
if run:
    try:
        with published.connection() as con:
            rows, cut = run_select(con, sql)
    except RefusedQuery as error:
        editor.error(f"{t('refused')}: {error}")
    else:
        if cut:
            editor.warning(t("rows_cut", n=f"{ROW_LIMIT:,}"))
        editor.dataframe(rows, hide_index=True, key="sql_result")
        editor.download_button(
            t("download"), rows.write_csv(), "query.csv", "text/csv", key="sql_csv"
        )
with reference:
    st.caption(t("schema"))
    # One entry per table: its comment once, then its columns.
    with published.connection() as con:
        tables = schema(con)
    for (table, comment), columns in tables.group_by(
        "table_name", "table_comment", maintain_order=True
    ):
        with st.expander(f"`{table}`"):
            if comment:
                st.caption(comment)
            st.dataframe(
                columns.select("column_name", "data_type", "comment"),
                hide_index=True,
                width="stretch",
                column_config={
                    "column_name": t("column"),
                    "data_type": t("data_type"),
                    "comment": st.column_config.TextColumn(t("comment"), width="large"),
                },
                key=f"sql_schema_{table}",
            )
