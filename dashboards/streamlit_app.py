"""Marsad dashboard: entry point. Draws the shared sidebar (its filters kept in the URL, so a
link shares the view), then runs the selected page."""

import datetime as dt

import streamlit as st

from dashboards import published, queries
from dashboards.i18n import arabic, language, t
from dashboards.names import country_name
from dashboards.style import ARABIC_CSS, BASE_CSS
from marsad.enrich.topics.taxonomy import topic_label

st.set_page_config(page_title="Marsad · مرصد", page_icon=":material/travel_explore:", layout="wide")
st.html(BASE_CSS)

# URL parameter → session key, and whether it holds a list.
URL_KEYS = {
    "lang": ("lang", False),
    "from": ("filters_start", False),
    "to": ("filters_end", False),
    "outlet": ("filters_outlets", True),
    "outlet_country": ("filters_outlet_countries", True),
    "topic": ("filters_topics", True),
    "country": ("filters_countries", True),
    "mode": ("filters_mode", False),
    "entity": ("filters_entity", False),
    "q": ("filters_search", False),
}


def _load_url() -> None:
    """The link's language and filters into the session at its first run; on every run,
    the session's values sent to the browser again."""
    if not st.session_state.get("_url_loaded"):
        params = st.query_params
        for name, (key, many) in URL_KEYS.items():
            if name in params:
                st.session_state[key] = params.get_all(name) if many else params[name]
        st.session_state["_url_loaded"] = True
    # A value set here goes to the browser only with the run that sets it. With Run pressed
    # before the sidebar was drawn, the browser missed it: the sidebar showed English and no
    # topic over an Arabic page the topic filtered. So every run sends them again.
    for key, _ in URL_KEYS.values():
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def _save_url() -> None:
    values = {}
    for name, (key, many) in URL_KEYS.items():
        value = st.session_state.get(key)
        if value in (None, "", []):
            continue
        values[name] = [str(v) for v in value] if many else str(value)
    st.query_params.from_dict(values)


_load_url()
st.sidebar.radio(
    "Language · اللغة",
    ["en", "ar"],
    format_func=lambda code: {"en": "English", "ar": "العربية"}[code],
    horizontal=True,
    key="lang",
)
if arabic():
    st.html(ARABIC_CSS)
# Material icons ship with Streamlit: no emoji font needed.
PAGES = [
    st.Page(
        "app_pages/coverage.py", title=t("coverage_nav"), icon=":material/show_chart:", default=True
    ),
    st.Page("app_pages/map.py", title=t("map"), icon=":material/public:"),
    st.Page("app_pages/articles.py", title=t("articles"), icon=":material/article:"),
    st.Page("app_pages/entities.py", title=t("entities"), icon=":material/groups:"),
    st.Page("app_pages/headlines.py", title=t("headlines"), icon=":material/breaking_news:"),
    st.Page("app_pages/outlets.py", title=t("outlets"), icon=":material/apartment:"),
    st.Page("app_pages/sql.py", title=t("sql"), icon=":material/database:"),
]
navigation = st.navigation(PAGES)

st.sidebar.title(t("app"))
if not published.pin():
    st.warning(
        f"No warehouse at `{published.warehouse_path()}` yet. Run `make run` (or `marsad run`), "
        "then reload this page."
    )
    st.stop()

bounds = queries.date_bounds()
if bounds is None:
    st.info("The warehouse holds no dated articles yet.")
    st.stop()
first_day, last_day = bounds


def _day(key: str, default: dt.date) -> dt.date:
    value = st.session_state.get(key)
    try:
        return dt.date.fromisoformat(str(value)) if value else default
    except ValueError:
        return default


start, end = _day("filters_start", first_day), _day("filters_end", last_day)
picked = st.sidebar.date_input(
    t("dates"),
    value=(start, end),
    min_value=min(first_day, start),
    max_value=max(last_day, dt.date.today(), end),
)
if isinstance(picked, tuple) and len(picked) == 2:
    start, end = picked
st.session_state["filters_start"], st.session_state["filters_end"] = str(start), str(end)

outlets = st.sidebar.multiselect(
    t("outlet_filter"), queries.outlets(), key="filters_outlets", placeholder=t("all")
)
outlet_countries = st.sidebar.multiselect(
    t("outlet_country"),
    queries.outlet_countries(),
    format_func=lambda code: country_name(code, language()),
    key="filters_outlet_countries",
    placeholder=t("all"),
)
topic_codes = queries.topic_labels()["topic"].to_list()
topics = st.sidebar.multiselect(
    t("topics"),
    topic_codes,
    format_func=lambda code: topic_label(code, language()),
    key="filters_topics",
    placeholder=t("all"),
)
countries = st.sidebar.multiselect(
    t("countries"),
    queries.country_codes(),
    format_func=lambda code: country_name(code, language()),
    key="filters_countries",
    placeholder=t("all"),
)
mode = st.sidebar.radio(
    t("country_mode"),
    ["about", "mentioned"],
    format_func=t,
    horizontal=True,
    key="filters_mode",
)
entities = queries.entity_names()
entity_ids = ["", *entities["entity_id"].to_list()]
kinds = {kind: t(kind) for kind in ("PER", "ORG", "LOC")}
names = {
    row["entity_id"]: f"{row['name']} ({kinds.get(row['type'], row['type'])})"
    for row in entities.iter_rows(named=True)
}
if st.session_state.get("filters_entity") not in entity_ids:
    st.session_state["filters_entity"] = ""
entity = st.sidebar.selectbox(
    t("entity"), entity_ids, format_func=lambda e: names.get(e, t("all")), key="filters_entity"
)
search = st.sidebar.text_input(t("search"), key="filters_search")
st.session_state["selection"] = queries.Selection(
    start,
    end,
    tuple(outlets),
    tuple(outlet_countries),
    tuple(topics),
    tuple(countries),
    mode != "mentioned",
    entity or None,
    search,
)
_save_url()
st.sidebar.caption(f"{t('warehouse')}: `{published.warehouse_path()}`")

navigation.run()
