"""Volume per outlet over time, with silent weeks and sudden changes flagged."""

import polars as pl
import streamlit as st

from dashboards import charts, queries
from dashboards.i18n import arabic, plotly_config, t
from dashboards.names import series_labels
from dashboards.tables import article_columns

selection: queries.Selection = st.session_state["selection"]
st.header(t("outlets"))
weekly = queries.coverage(selection, "outlet", "week", top=20)
if weekly.is_empty():
    st.info(t("no_articles"))
    st.stop()
labels = series_labels(weekly, "outlet")
st.plotly_chart(
    charts.coverage_over_time(
        weekly, "articles", labels, t("articles_axis"), "outlet", queries.OTHER, rtl=arabic()
    ),
    key="outlets_chart",
    config=plotly_config(),
)
flags, gaps = queries.outlet_flags(weekly)
st.subheader(t("flagged_weeks"))
st.caption(
    "يُنبَّه على أسبوع كامل حين يصمت منبر ينشر في معظم الأسابيع بينما تنشر منابر أخرى، "
    "أو ينشر أقل من نصف أسبوعه الوسيط أو أكثر من ضعفه. "
    "الأسابيع التي يقطعها نطاق التاريخ لا يُنبَّه عليها، والأسابيع "
    "التي لا مقالات فيها من أي منبر فجوات في الجمع، تُعرض وحدها."
    if arabic()
    else "A whole week is flagged when an outlet that publishes most weeks is silent while "
    "others publish, or publishes "
    "under half or over twice its median week. Weeks the date range cuts are never flagged; "
    "weeks with no articles from any outlet are gaps in the collection, listed on their own."
)
if flags.height:
    flags = flags.with_columns(
        pl.col("flag").replace({f: t(f"flag_{f}") for f in ("gap", "drop", "surge")}),
        pl.col("outlet").replace(labels),
    )
    table, config = article_columns(flags)
    st.dataframe(table, hide_index=True, width="stretch", column_config=config, key="outlet_flags")
else:
    st.info(t("no_flags"))
if gaps:
    st.subheader(t("collection_gaps"))
    st.dataframe(
        pl.DataFrame({"period": gaps}),
        hide_index=True,
        column_config=article_columns(pl.DataFrame({"period": gaps}))[1],
        key="collection_gaps",
    )
st.download_button(t("download"), weekly.write_csv(), "outlets.csv", "text/csv", key="outlets_csv")

st.subheader(t("whose_copy"))
st.caption(
    "مقالات كل منبر التي ينسبها نصها إلى وكالة أنباء (في سطر المكان أوله أو في آخره، مثل «واس» "
    "و«أ ف ب») أو إلى خدمة صحيفة (مثل «نيويورك تايمز»). هذا حد أدنى: كثير من المنابر ينشر نص "
    "الوكالة دون ذكرها."
    if arabic()
    else "Each outlet's articles whose text credits a news agency (in the dateline or a closing "
    "credit) or a paper's syndication service as their source. A floor: many outlets run wire "
    "copy without a credit."
)
sources = queries.outlet_sources(selection)
if sources.height:
    table, config = article_columns(sources.with_columns(pl.col("outlet").replace(labels)))
    st.dataframe(table, hide_index=True, width="stretch", column_config=config, key="whose_copy")
else:
    st.info(t("no_credits"))
