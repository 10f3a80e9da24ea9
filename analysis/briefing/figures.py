"""The briefing's figures in Plotly: top topics, shares over time, and the coverage map, live or as
a picture drawn by Chromium.
"""

from __future__ import annotations

import html
import math
import shutil

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from analysis.briefing.content import Briefing
from analysis.briefing.text import capitalised, day_text, say
from analysis.dashboard.charts import ACCENT, FONT
from data.regions import province_shapes

BEFORE = "#9ca3af"  # the earlier period, in grey beside the accent
LINE_COLOURS = (ACCENT, "#1f2937", "#6b7280", "#9ca3af", "#d6d3d1")
MAP_SCALE = ("#fff7ed", "#fdba74", ACCENT)
MAP_CENTRE = {"lat": -3.6, "lon": 118.0}  # south of the middle: room for the colour bar
MAP_DEGREES = 48.0  # longitudes the map shows across its width (Indonesia spans about 46)
MAP_PAGE_WIDTH = 1050  # pixels the live map is laid out for on the page
MAP_PICTURE = {"width": 1400, "height": 640, "scale": 2}
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


class BrowserMissing(RuntimeError):
    """No Chromium to draw the map picture or print the PDF with."""


def plotly_text(text: object) -> str:
    """Text for a Plotly label: its pseudo-HTML escaped, so that it is shown as written."""
    return html.escape(str(text), quote=False)


def house_layout(fig: go.Figure, height: int) -> go.Figure:
    """White, quiet, large type, legend on top."""
    return fig.update_layout(
        template="plotly_white",
        height=height,
        font={"family": FONT, "size": 15, "color": "#1f2937"},
        margin={"l": 10, "r": 20, "t": 40, "b": 10},
        legend={"orientation": "h", "y": 1.08, "x": 0},
    )


def period_bars(labels: list[str], counts: pd.Series, name: str, colour: str, **text) -> go.Bar:
    """One period's counts as horizontal bars, one per label (with text, written on them)."""
    return go.Bar(y=labels, x=counts, name=name, orientation="h", marker_color=colour, **text)


def topics_figure(b: Briefing) -> go.Figure:
    """Articles per top topic, this period against the one before, as horizontal bars."""
    labels = [plotly_text(capitalised(label)) for label in b.topics["label"]]
    now, before = b.topics["count_now"], b.topics["count_before"]
    fig = go.Figure(
        [
            period_bars(labels, now, b.now_label, ACCENT, text=now, textposition="outside"),
            period_bars(labels, before, b.before_label, BEFORE),
        ]
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    return house_layout(fig, 90 + 52 * max(1, len(labels))).update_layout(bargap=0.25)


def shares_figure(b: Briefing) -> go.Figure:
    """Share of coverage of the leading topics per day, week or month of both periods."""
    fig = go.Figure()
    lines = b.shares.groupby("topic_id", sort=False)
    for (_, rows), colour in zip(lines, LINE_COLOURS, strict=False):
        fig.add_trace(
            go.Scatter(
                x=period_names(rows["period"], b.lang),
                y=rows["share"],
                name=plotly_text(capitalised(rows["label"].iloc[0])),
                mode="lines+markers",
                line={"color": colour, "width": 4 if colour == ACCENT else 2.5},
            )
        )
    periods = pd.Series(sorted(b.shares["period"].unique()))
    boundary = int((periods < b.start).sum()) - 0.5  # between the two periods, on a category axis
    fig.add_vline(x=boundary, line_dash="dot", line_color="#9ca3af")
    fig.update_xaxes(type="category")
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return house_layout(fig, 420)


def period_names(periods: pd.Series, lang: str) -> list[str]:
    """'16 Okt' for each period start."""
    return [day_text(pd.Timestamp(p), lang, year=False) for p in periods]


def map_zoom(width: int) -> float:
    """The map zoom at which MAP_DEGREES of longitude fill width pixels (512-pixel world tiles)."""
    return math.log2(width * 360 / (512 * MAP_DEGREES))


def map_figure(
    b: Briefing, width: int = MAP_PAGE_WIDTH, height: int = 460, font_size: int = 15
) -> go.Figure:
    """Articles of the period per province on the committed province shapes (no tiles needed)."""
    frame = b.map.assign(name=b.map["name"].map(plotly_text))
    fig = px.choropleth_map(
        frame,
        geojson=province_shapes(),
        locations="map_feature",
        featureidkey="properties.iso_3166_2",
        color="articles",
        hover_name="name",
        color_continuous_scale=list(MAP_SCALE),
        map_style="white-bg",
        labels={"articles": say("articles", b.lang)},
        center=MAP_CENTRE,
        zoom=map_zoom(width),
    )
    fig.update_traces(marker_line_color="#9ca3af", marker_line_width=0.5)
    return fig.update_layout(
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=height,
        font={"family": FONT, "size": font_size, "color": "#1f2937"},
        coloraxis_colorbar={
            "orientation": "h",
            "x": 0.02,
            "xanchor": "left",
            "y": 0.02,
            "yanchor": "bottom",
            "len": 0.35,
            "thickness": 14,
            "title": {"side": "top"},
        },
    )


def map_picture(b: Briefing) -> bytes:
    """The coverage map as a PNG, drawn by Kaleido in Chromium; BrowserMissing without one."""
    if browser() is None:
        raise BrowserMissing("Chromium is not installed (Debian: apt-get install chromium)")
    try:
        figure = map_figure(b, MAP_PICTURE["width"], MAP_PICTURE["height"], font_size=26)
        return figure.to_image(format="png", **MAP_PICTURE)
    except Exception as exc:  # kaleido raises several kinds; all mean no picture
        raise BrowserMissing(f"Chromium could not draw the map ({exc})") from exc


def browser() -> str | None:
    """The path of a Chromium or Chrome executable on PATH, if any."""
    return next((path for path in map(shutil.which, BROWSERS) if path), None)
