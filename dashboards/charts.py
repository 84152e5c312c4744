"""Plotly figures of the dashboard. Labels come in already translated; every series gets a
colour of its own (a topic keeps its colour on every page), and hovers say what they show."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import polars as pl

ARABIC_FONT = "Noto Naskh Arabic, Noto Sans Arabic, Amiri, Tahoma, sans-serif"
# Kelly's colours of maximum contrast (without white, black and grey), then Plotly's Dark24:
# neighbours in the list stay apart. Greys are kept for "other" and unknown.
PALETTE = [
    "#0067A5", "#BE0032", "#F38400", "#008856", "#875692", "#F3C300", "#A1CAF1",
    "#882D17", "#8DB600", "#E68FAC", "#604E97", "#2B3D26", "#F99379", "#C2B280",
    "#B3446C", "#654522", "#E25822", "#DCD300", "#F6A600",
    *px.colors.qualitative.Dark24,
]  # fmt: skip
GREY, LIGHT_GREY = "#7f7f7f", "#c7c7c7"
# A topic keeps its colour everywhere; the most covered topics get the most distinct ones.
TOPIC_ORDER = [
    "11000000", "16000000", "04000000", "15000000", "14000000", "01000000", "13000000",
    "02000000", "07000000", "05000000", "12000000", "06000000", "03000000", "09000000",
    "10000000", "08000000", "17000000",
]  # fmt: skip
TOPIC_COLOURS = dict(
    zip(TOPIC_ORDER, [*PALETTE[:14], "#B3446C", "#FE00FA", "#17BECF"], strict=True)
)


def colours(series: list[str], split: str, other: str) -> dict[str, str]:
    """A distinct colour per series: topics by code, anything else by rank."""
    mapping: dict[str, str] = {}
    ranked = iter(PALETTE)
    for name in series:
        if name == other:
            mapping[name] = GREY
        elif split == "topic":
            mapping[name] = TOPIC_COLOURS.get(name, LIGHT_GREY)
        else:
            mapping[name] = next(ranked, LIGHT_GREY)
    return mapping


def day_format(rtl: bool) -> str:
    """d3 format of a day. In Arabic a right-to-left mark leads, so that 21 يوليو 2015 reads
    right to left inside Plotly's left-to-right SVG text instead of as 21 2015 يوليو."""
    return "\u200f%-d %b %Y" if rtl else "%-d %b %Y"


def _layout(figure: go.Figure, rtl: bool = False) -> go.Figure:
    figure.update_layout(
        font_family=ARABIC_FONT,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        hoverlabel={"font_family": ARABIC_FONT, "align": "right" if rtl else "left"},
        legend={"title_text": ""},
    )
    return figure


def _trace(
    points: pl.DataFrame, measure: str, series: str, label: str, hover: str, **style
) -> go.Scatter:
    """Points of one coverage series; a click gives back the series (customdata)."""
    return go.Scatter(
        x=points["period"].to_list(),
        y=points[measure].to_list(),
        name=label,
        legendgroup=series,
        customdata=[[series]] * points.height,
        hovertemplate=hover,
        **style,
    )


def coverage_over_time(
    coverage: pl.DataFrame,
    measure: str,
    labels: dict[str, str],
    axis_title: str,
    split: str = "topic",
    other: str = "",
    rtl: bool = False,
) -> go.Figure:
    """One line per series; periods without articles are drawn at zero, and the periods the
    date range cuts (column ``partial``) as open circles."""
    figure = go.Figure()
    order = list(dict.fromkeys(coverage["series"].to_list()))
    palette = colours(order, split, other)
    value = "%{y:.0%}" if measure == "share" else "%{y:,}"
    for name in order:
        rows = coverage.filter(pl.col("series") == name)
        if "partial" not in rows.columns:
            rows = rows.with_columns(partial=pl.lit(False))
        label = labels.get(name, name)
        hover = (
            f"<b>{label}</b><br>%{{x|{day_format(rtl)}}}<br>{axis_title}: {value}<extra></extra>"
        )
        colour = palette[name]
        common = {"measure": measure, "series": name, "label": label, "hover": hover}
        # Cut periods get no dot on the line: the open circle drawn over it marks them.
        sizes = [0 if p else 6 for p in rows["partial"]]
        figure.add_trace(
            _trace(
                rows,
                **common,
                mode="lines+markers",
                line={"color": colour},
                marker={"color": colour, "size": sizes},
            )
        )
        cut = rows.filter(pl.col("partial"))
        if cut.height:
            figure.add_trace(
                _trace(
                    cut,
                    **common,
                    mode="markers",
                    showlegend=False,
                    marker={"color": colour, "symbol": "circle-open", "size": 10},
                )
            )
    figure.update_yaxes(title_text=axis_title, rangemode="tozero")
    if measure == "share":
        figure.update_yaxes(tickformat=".0%")
    figure.update_xaxes(title_text="", tickformat=day_format(rtl) if rtl else None)
    figure.update_layout(hovermode="closest")
    return _layout(figure, rtl)


def world_map(countries: pl.DataFrame, colour_title: str, rtl: bool = False) -> go.Figure:
    """Countries shaded by articles (columns iso3, name, articles). The shapes are the
    project's own copy of Plotly's world_110m (set `topojsonURL` in the chart's config)."""
    figure = go.Figure(
        go.Choropleth(
            locations=countries["iso3"].to_list(),
            z=countries["articles"].to_list(),
            text=countries["name"].to_list(),
            colorscale="Blues",
            marker_line_color="white",
            colorbar={"title": {"text": colour_title}},
            hovertemplate=f"<b>%{{text}}</b><br>{colour_title}: %{{z:,}}<extra></extra>",
        )
    )
    figure.update_geos(
        showframe=False,
        projection_type="natural earth",
        projection_rotation_lon=0,
        center={"lon": 0, "lat": 0},
        lonaxis_range=[-180, 180],
        showcountries=True,
        countrycolor="white",
        landcolor="#eeeeee",
        showland=True,
    )
    figure.update_layout(height=560)
    return _layout(figure, rtl)


def bars(frame: pl.DataFrame, x: str, y: str, axis_title: str, rtl: bool = False) -> go.Figure:
    figure = go.Figure(
        go.Bar(
            x=frame[x].to_list(),
            y=frame[y].to_list(),
            orientation="h",
            hovertemplate=f"<b>%{{y}}</b><br>{axis_title}: %{{x:,}}<extra></extra>",
        )
    )
    # Longest bar first; in Arabic the bars grow from the right, names on the right.
    figure.update_yaxes(autorange="reversed", title_text="", side="right" if rtl else "left")
    figure.update_xaxes(title_text=axis_title, autorange="reversed" if rtl else True)
    return _layout(figure, rtl)


def stacked_days(
    frame: pl.DataFrame, labels: dict[str, str], axis_title: str, rtl: bool = False
) -> go.Figure:
    """Headlines per first-seen day (column ``day``), stacked by topic (column ``topic``)."""
    figure = go.Figure()
    order = list(dict.fromkeys(frame["topic"].to_list()))
    palette = colours(order, "topic", "")
    for code in order:
        rows = frame.filter(pl.col("topic") == code)
        label = labels.get(code, code)
        figure.add_trace(
            go.Bar(
                x=rows["day"].to_list(),
                y=rows["headlines"].to_list(),
                name=label,
                marker_color=palette[code],
                hovertemplate=f"<b>{label}</b><br>%{{x|{day_format(rtl)}}}<br>"
                f"{axis_title}: %{{y:,}}<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack")
    figure.update_yaxes(title_text=axis_title)
    figure.update_xaxes(title_text="", tickformat=day_format(rtl) if rtl else None)
    return _layout(figure, rtl)
