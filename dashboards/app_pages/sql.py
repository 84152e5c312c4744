"""Ad-hoc read-only SQL on the warehouse, with the documented schema beside the editor."""

import streamlit as st

from dashboards import queries
from dashboards.i18n import t
from dashboards.sql_console import ROW_LIMIT, RefusedQuery, run_select, schema

st.header(t("sql"))
editor, reference = st.columns([3, 2])
# A form sends the query text and the Run click together: no click is lost to a rerun.
with editor.form("sql_form"):
    sql = st.text_area(
        "SELECT …",
        "SELECT topic, count(*) AS articles FROM articles GROUP BY topic ORDER BY articles DESC",
        height=160,
        key="sql_text",
    )
    run = st.form_submit_button("Run · تشغيل")
if run:
    try:
        rows, cut = run_select(queries.warehouse_path(), sql)
    except RefusedQuery as error:
        editor.error(f"Refused: {error}")
    else:
        if cut:
            editor.warning(f"Showing the first {ROW_LIMIT:,} rows.")
        editor.dataframe(rows, hide_index=True, key="sql_result")
        editor.download_button(
            t("download"), rows.write_csv(), "query.csv", "text/csv", key="sql_csv"
        )
with reference:
    st.caption("Tables and columns (read-only; one SELECT at a time)")
    st.dataframe(schema(queries.warehouse_path()), hide_index=True, height=480, key="sql_schema")
