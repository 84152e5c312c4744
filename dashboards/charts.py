"""Plotly figures of the dashboard."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import polars as pl

ARABIC_FONT = "Noto Naskh Arabic, Noto Sans Arabic, Amiri, Tahoma, sans-serif"


def _layout(figure: go.Figure) -> go.Figure:
    figure.update_layout(
        font_family=ARABIC_FONT,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        hoverlabel={"font_family": ARABIC_FONT},
    )
    return figure


def coverage_over_time(coverage: pl.DataFrame, measure: str, labels: dict[str, str]) -> go.Figure:
    """One line per series; periods without articles are drawn at zero."""
    frame = coverage.with_columns(
        pl.col("series").replace_strict(labels, default=pl.col("series")).alias("label")
    )
    figure = px.line(
        frame.to_pandas(),
        x="period",
        y=measure,
        color="label",
        markers=True,
        custom_data=["series"],
        labels={"period": "", "articles": "Articles", "share": "Share", "label": ""},
    )
    if measure == "share":
        figure.update_yaxes(tickformat=".0%")
    figure.update_layout(hovermode="closest", legend_title_text="")
    return _layout(figure)


def world_map(countries: pl.DataFrame) -> go.Figure:
    figure = px.choropleth(
        countries.to_pandas(),
        locations="iso3",
        color="articles",
        hover_name="name",
        color_continuous_scale="Blues",
    )
    figure.update_geos(showframe=False, projection_type="natural earth")
    return _layout(figure)


def bars(frame: pl.DataFrame, x: str, y: str) -> go.Figure:
    figure = px.bar(frame.to_pandas(), x=x, y=y, orientation="h")
    figure.update_yaxes(autorange="reversed", title="")
    return _layout(figure)
