"""Right-to-left, Arabic-capable styling. A constant: no page text is ever rendered as HTML."""

RTL_CSS = """
<style>
.marsad-rtl, [data-testid="stMarkdownContainer"] p, [data-testid="stCaptionContainer"] {
  unicode-bidi: plaintext;
  text-align: start;
  font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Tahoma", sans-serif;
}
[data-testid="stDataFrame"] { direction: ltr; }
</style>
"""
