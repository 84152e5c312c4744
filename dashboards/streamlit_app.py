"""Marsad dashboard: entry point. Draws the shared sidebar, then runs the selected page."""

import datetime as dt

import streamlit as st

from dashboards import queries
from dashboards.style import RTL_CSS

st.set_page_config(page_title="Marsad · مرصد", page_icon="📰", layout="wide")
st.html(RTL_CSS)

PAGES = [
    st.Page("app_pages/coverage.py", title="Coverage · التغطية", icon="📈", default=True),
    st.Page("app_pages/articles.py", title="Articles · المقالات", icon="📰"),
    st.Page("app_pages/headlines.py", title="Headlines · العناوين", icon="🗞️"),
]
navigation = st.navigation(PAGES)

st.sidebar.title("Marsad · مرصد")
if queries.warehouse_version() is None:
    st.warning(
        f"No warehouse at `{queries.warehouse_path()}` yet. Run `make run` (or `marsad run`), "
        "then reload this page."
    )
    st.stop()

bounds = queries.date_bounds()
if bounds is None:
    st.info("The warehouse holds no dated articles yet.")
    st.stop()
first_day, last_day = bounds
picked = st.sidebar.date_input(
    "Publication dates · تاريخ النشر",
    value=(first_day, last_day),
    min_value=first_day,
    max_value=max(last_day, dt.date.today()),
    key="filters_dates",
)
start, end = picked if isinstance(picked, tuple) and len(picked) == 2 else (first_day, last_day)
chosen_outlets = st.sidebar.multiselect(
    "Outlets · المنابر", queries.outlets(), key="filters_outlets", placeholder="All outlets"
)
st.session_state["selection"] = queries.Selection(start, end, tuple(chosen_outlets))
st.sidebar.caption(f"Warehouse: `{queries.warehouse_path()}`")

navigation.run()
