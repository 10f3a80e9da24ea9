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
from analysis.dashboard.charts import ACCENT, BUBBLE_MAX, FONT, bubble_sizes, value_axis
from analysis.dashboard.places import map_centres, placed_sentence
from analysis.i18n.ui import chart_labels
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


def separators(lang: str) -> str:
    """Plotly's decimal mark and thousands separator for lang (0,5% and 1.500 in Indonesian)."""
    return chart_labels(lang)["separators"]


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
    fig.update_xaxes(**value_axis(max(now.max(), before.max(), 0) * 1.1, percent=False))
    return house_layout(fig, 90 + 52 * max(1, len(labels))).update_layout(
        bargap=0.25, separators=separators(b.lang)
    )


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
    fig.update_yaxes(**value_axis(b.shares["share"].max(), percent=True))
    return house_layout(fig, 420).update_layout(separators=separators(b.lang))


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
    fig.add_trace(province_bubbles(frame, BUBBLE_MAX * width / MAP_PAGE_WIDTH))
    return fig.update_layout(
        separators=separators(b.lang),
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


def province_bubbles(frame: pd.DataFrame, largest: float) -> go.Scattermap:
    """A bubble at each province's centre with an area in proportion to its articles (frame:
    map_feature, name, articles), so that a small province with much coverage is seen."""
    placed = frame.merge(map_centres(), left_on="map_feature", right_on="feature")
    placed = placed.loc[placed["articles"] > 0]
    return go.Scattermap(
        lat=placed["lat"],
        lon=placed["lon"],
        mode="markers",
        showlegend=False,
        marker={
            "size": bubble_sizes(placed["articles"], largest),
            "sizemin": 3,
            "color": ACCENT,
            "opacity": 0.55,
        },
        text=placed["name"],
        customdata=placed[["articles"]].to_numpy(),
        hovertemplate="<b>%{text}</b><br>%{customdata[0]:,}<extra></extra>",
    )


def placed_note(b: Briefing) -> str:
    """How many of the period's articles the map can show: those with a place."""
    return placed_sentence(int(b.map["articles"].sum()), int(b.totals["articles_now"]), b.lang)


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
