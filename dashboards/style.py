"""Styling of the dashboard. Constants: no page text is ever rendered as HTML."""

# Every text block finds its own direction (an Arabic title in the English view reads right
# to left), in a font with Arabic glyphs.
BASE_CSS = """
<style>
.marsad-rtl, [data-testid="stMarkdownContainer"] p, [data-testid="stCaptionContainer"] {
  unicode-bidi: plaintext;
  text-align: start;
  font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Tahoma", sans-serif;
}
[data-testid="stDataFrame"] { direction: ltr; }
</style>
"""

# The Arabic view: the page, the sidebar and the widgets lay out right to left. Charts keep
# their own coordinates (Plotly draws them), and are labelled in Arabic by the locale.
ARABIC_CSS = """
<style>
[data-testid="stMain"], [data-testid="stSidebar"], [data-testid="stSidebarNav"] {
  direction: rtl;
}
[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3,
[data-testid="stMetric"], [data-testid="stWidgetLabel"], [data-testid="stSidebar"] label {
  text-align: right;
}
.js-plotly-plot, [data-testid="stDataFrame"], [data-testid="stCode"], textarea {
  direction: ltr;
}
</style>
"""
