"""Coverage over time: articles per week by outlet, and the warehouse's totals."""

import streamlit as st

from dashboards import charts, queries

selection: queries.Selection = st.session_state["selection"]
st.header("Coverage over time · التغطية عبر الزمن")

totals = queries.totals()
columns = st.columns(5)
columns[0].metric("Pages", f"{totals['pages']:,}")
columns[1].metric("Articles", f"{totals['articles']:,}")
columns[2].metric("Without trusted date", f"{totals['undated']:,}")
columns[3].metric("Ticker headlines", f"{totals['headlines']:,}")
columns[4].metric("Quarantined", f"{totals['quarantined']:,}")

weekly = queries.weekly_coverage_by_outlet(selection)
if weekly.is_empty():
    st.info("No articles in this selection.")
else:
    st.plotly_chart(charts.coverage_over_time(weekly), width="stretch", key="coverage_chart")
    st.caption(
        "Articles per week by publication date (the byline's date), one line per outlet; "
        "weeks without articles are shown as zero. Articles without a trusted date are not charted."
    )
    st.download_button(
        "Download CSV",
        weekly.write_csv(),
        "coverage_weekly.csv",
        "text/csv",
        key="coverage_csv",
    )
