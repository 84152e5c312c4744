"""Articles of the selection, newest first, and a reader with entities highlighted."""

import streamlit as st

from dashboards import queries
from dashboards.i18n import t
from dashboards.safe_text import escape, highlighted
from marsad.topics import topic_label

selection: queries.Selection = st.session_state["selection"]
st.header(t("articles"))
rows = queries.articles(selection)
st.caption(f"{rows.height:,} articles shown (newest first, at most 500).")
st.dataframe(
    rows.drop("article_id"),
    width="stretch",
    hide_index=True,
    column_config={
        "published_date": st.column_config.DateColumn(t("date")),
        "outlet": st.column_config.TextColumn(t("outlet")),
        "title": st.column_config.TextColumn(t("title"), width="large"),
        "topic": st.column_config.TextColumn(t("topic")),
        "url": st.column_config.LinkColumn(t("source")),
    },
    key="articles_table",
)
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
            st.caption(
                f"{escape(article['outlet'] or '')} · {article['published_date']} · "
                f"{topic_label(article['topic'], st.session_state.get('lang', 'en'))}"
            )
            st.markdown(highlighted(article["body"] or "", spans.get("body", [])))
            if article["url"]:
                st.link_button(t("source"), article["url"])
        countries = queries.article_country_list(chosen)
        left, right = st.columns(2)
        left.dataframe(countries, hide_index=True, key="reader_countries")
        right.dataframe(
            mentions.select("text", "type", "name", "country_code").unique(maintain_order=True),
            hide_index=True,
            key="reader_entities",
        )
