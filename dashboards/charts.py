"""Plotly figures of the dashboard."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import polars as pl

ARABIC_FONT = "Noto Naskh Arabic, Noto Sans Arabic, Amiri, Tahoma, sans-serif"


def coverage_over_time(weekly: pl.DataFrame) -> go.Figure:
    # Stacked bars: the height is the week's total, the segments its outlets.
    figure = px.bar(
        weekly.to_pandas(),
        x="week",
        y="articles",
        color="outlet",
        labels={"week": "Week", "articles": "Articles", "outlet": "Outlet"},
    )
    figure.update_layout(
        font_family=ARABIC_FONT,
        hovermode="x unified",
        bargap=0.1,
        legend_title_text="Outlet",
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
    )
    return figure
