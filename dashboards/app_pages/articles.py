"""Articles of the selection, newest first, and a reader with entities highlighted."""

import streamlit as st

from dashboards import queries
from dashboards.i18n import arabic, day, language, t
from dashboards.safe_text import escape, highlighted
from dashboards.tables import article_columns
from marsad.enrich.topics.taxonomy import topic_label
from marsad.ingest.source_credits import UNNAMED_AGENCIES

selection: queries.Selection = st.session_state["selection"]
st.header(t("articles"))
rows = queries.articles(selection)
st.caption(
    f"{rows.height:,} مقالة معروضة (الأحدث أولًا، 500 على الأكثر)."
    if arabic()
    else f"{rows.height:,} articles shown (newest first, at most 500)."
)
frame, config = article_columns(rows)
st.dataframe(frame, width="stretch", hide_index=True, column_config=config, key="articles_table")
st.download_button(t("download"), rows.write_csv(), "articles.csv", "text/csv", key="articles_csv")

if rows.height:
    titles = dict(zip(rows["article_id"], rows["title"], strict=True))
    chosen = st.selectbox(t("reader"), list(titles), format_func=titles.get, key="reader_pick")
    article = queries.article(chosen)
    if article:
        mentions = queries.article_mentions(chosen)
        spans = {
            field: list(zip(part["start"], part["end"], strict=True))
            for (field,), part in mentions.partition_by("field", as_dict=True).items()
        }
        with st.container(border=True, key="reader"):
            # Page text is untrusted: escaped, shown as text, never as HTML.
            st.markdown(f"### {highlighted(article['title'] or '', spans.get('title', []))}")
            # Names isolated, so that the date's digits do not join an Arabic run.
            outlet = f"\u2068{escape(article['outlet'] or '')}\u2069"
            credit = article["source_credit"]
            if credit:  # wire or syndicated copy: whose it is
                source = t("unnamed_agencies") if credit == UNNAMED_AGENCIES else credit
                outlet += " · " + t("copy_of", source=f"\u2068{escape(source)}\u2069")
            st.caption(
                f"{outlet} · {day(article['published_date'])} · "
                f"{topic_label(article['topic'], language())}"
            )
            st.markdown(highlighted(article["body"] or "", spans.get("body", [])))
            if article["url"]:
                st.link_button(t("source"), article["url"])
        left, right = st.columns(2)
        countries, config = article_columns(queries.article_country_list(chosen))
        left.dataframe(countries, hide_index=True, column_config=config, key="reader_countries")
        entities, config = article_columns(
            mentions.select("text", "type", "name", "country_code").unique(maintain_order=True)
        )
        right.dataframe(entities, hide_index=True, column_config=config, key="reader_entities")
