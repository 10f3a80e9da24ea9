"""One function per chart: data in, a Plotly figure out; cosmetics as keywords last.

Charts take their words (axis titles, legend names, hover labels) as a `labels` mapping so that the
app can pass them in the reader's language; missing keys fall back to the English in LABELS.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from analysis.i18n.phrasing import format_ratio
from analysis.i18n.ui import CHART_LABELS
from analysis.trends.share import FEW_ARTICLES, few_articles

ACCENT = "#c2410c"
ACCENT_LIGHT = "#fdba74"
MUTED = "#a8a29e"
INK = "#1c1917"
GRID = "#e7e5e4"
FONT = "Inter, Segoe UI, Helvetica, Arial, sans-serif"
#: Series colours, accent first; calm and distinguishable, also in greyscale print.
PALETTE = ("#c2410c", "#0f766e", "#4338ca", "#a16207", "#be185d", "#475569", "#15803d", "#7c3aed")
MAP_SCALE = ("#fff7ed", "#fdba74", "#ea580c", "#9a3412")
MAP_CENTER = {"lat": -2.5, "lon": 118.0}
MAP_ZOOM = 3.6  # the whole country across about 900 pixels
#: Diameter in pixels of the largest bubble on a province map.
BUBBLE_MAX = 46
IMAGE_FORMATS = ("png", "svg")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MAX_TICKS = 8
#: Most ticks on a value axis (shares, counts), zero included.
VALUE_TICKS = 6
#: Tick steps are one of these times a power of ten (not 2.5: 0.25% needs two decimals).
NICE_STEPS = (1.0, 2.0, 5.0, 10.0)
#: Room above the highest value drawn, as a fraction of it.
HEADROOM = 0.08
#: Share of its period a bar on a time axis covers.
BAR_FILL = 0.85
#: An earlier share beyond this many times the longest bar is drawn at the axis' edge.
OUTLIER_FACTOR = 1.5
#: Trace meta of a trace that redraws data another trace holds (left out of the chart's table).
REPEAT = "repeat"
#: Trace meta of a band drawn around the line of its legend group (its edges are the ranges its
#: points carry, see INTERVAL).
BAND = "band"
#: Fill opacity of a series' 95% band when it is drawn alone (see band_opacity).
BAND_OPACITY = 0.15
#: Background of the periods of few articles on a share chart.
FEW_SHADE = "#f0eeeb"
#: Trace meta of points whose customdata holds the low and high end of their 95% range at 4 and 5.
INTERVAL = "interval"
SHORT_LABEL = 34
#: Topic names on the top-topics bars are cut here (full in the hover), so the bars keep room.
TOPIC_LABEL = 44
#: Ratios beyond this factor (including "only here" and "never here") are drawn at the limit.
LIFT_LIMIT = 8
#: Above this many days on a time axis, ticks name months instead of days.
DAY_TICKS_SPAN = 200
#: English defaults of every word a chart writes.
LABELS = CHART_LABELS["en"]


def plain(values: pd.Series) -> pd.Series:
    """Untrusted text (titles, names) with angle brackets replaced, so Plotly draws no markup."""
    return values.astype(str).str.replace("<", "‹", regex=False).str.replace(">", "›", regex=False)


def short(values: pd.Series, limit: int = SHORT_LABEL) -> pd.Series:
    """Labels cut to limit characters (with an ellipsis) so that axes keep room for data."""
    return values.where(values.str.len() <= limit, values.str.slice(0, limit - 1) + "…")


def _label(labels: Mapping[str, str] | None, key: str) -> str:
    """A chart word in the caller's language, English when not given."""
    return (labels or {}).get(key, LABELS[key])


def styled(
    fig: go.Figure,
    *,
    title: str | None = None,
    height: int = 360,
    font_size: int = 13,
    legend: bool = True,
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """The house style: white, quiet grid, one accent colour, room for the title; numbers with
    the decimal and thousands separators of the labels' language (0,5% and 1.500 in Indonesian)."""
    return (
        fig.update_layout(
            title={"text": title, "x": 0, "xanchor": "left"} if title else None,
            separators=_label(labels, "separators"),
            height=height,
            template="plotly_white",
            font={"family": FONT, "size": font_size, "color": INK},
            margin={"l": 10, "r": 10, "t": 56 if title else 16, "b": 10},
            hovermode="closest",
            showlegend=legend,
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "title": None},
            hoverlabel={"font": {"family": FONT}},
            paper_bgcolor="white",
            plot_bgcolor="white",
        )
        .update_xaxes(showgrid=False, linecolor=GRID, tickfont={"color": INK})
        .update_yaxes(gridcolor=GRID, zeroline=False, tickfont={"color": INK})
    )


def nice_step(top: float, ticks: int = VALUE_TICKS, *, whole: bool = False) -> float:
    """The smallest of 1, 2 or 5 times a power of ten that reaches top in ticks - 1 steps
    (whole: at least 1 and a whole number, for counts)."""
    raw = max(float(top), 1e-12) / max(ticks - 1, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in NICE_STEPS:
        step = factor * power
        if step >= raw * (1 - 1e-9) and not (whole and step != round(step)):
            break
    return max(1.0, float(round(step))) if whole else step


def percent_decimals(step: float) -> int:
    """Decimals a percentage tick label needs for steps of this size to read apart (0.2%: one)."""
    value = step * 100
    return next((d for d in range(7) if abs(round(value, d) - value) < 1e-9 * max(value, 1)), 6)


def value_axis(top: float, *, percent: bool, ticks: int = VALUE_TICKS) -> dict:
    """Axis settings for values from zero to top: a nice tick step; a range up to the first tick
    at or above top, or a little above top when that tick is too close to it, so that the
    highest value drawn sits under or just over a labelled line; and a tick format with exactly
    the decimals that step needs, so that no two ticks read alike ("0% 1% 1% 2%"). All zeros get
    an axis of one step."""
    top = float(top) if top and math.isfinite(top) and top > 0 else 0.0
    reach = top * (1 + HEADROOM) if top else (0.01 if percent else 1.0)
    step = nice_step(reach, ticks, whole=not percent) if top else reach
    return {
        "range": [0, max(step * math.ceil(top / step - 1e-9), reach)],
        "tick0": 0,
        "dtick": step,
        "tickformat": f".{percent_decimals(step)}%" if percent else ",",
    }


def colorbar_ticks(top: float, *, percent: bool) -> dict:
    """Colour-bar tick settings for values from zero to top (as value_axis, without a range)."""
    axis = value_axis(top, percent=percent, ticks=VALUE_TICKS - 1)
    return {"tick0": 0, "dtick": axis["dtick"], "tickformat": axis["tickformat"]}


def time_ends(
    periods: pd.Series, span: tuple[pd.Timestamp, pd.Timestamp] | None = None
) -> list[pd.Timestamp]:
    """The first and last day a time chart covers: its periods and the chosen span (if given)."""
    days = pd.to_datetime(pd.Series(periods)).dropna()
    ends = [*days.agg(["min", "max"])] if len(days) else []
    if span is not None:
        ends += [pd.Timestamp(span[0]), pd.Timestamp(span[1])]
    return [min(ends), max(ends)] if ends else []


def period_length(
    periods: pd.Series, span: tuple[pd.Timestamp, pd.Timestamp] | None = None
) -> pd.Timedelta:
    """How long one period of a time chart is: the usual step between its periods; for a single
    period, the chosen span (at most a month), else a day."""
    days = np.sort(pd.to_datetime(pd.Series(periods)).dropna().unique())
    steps = np.diff(days.astype("datetime64[ns]"))
    if len(steps):
        return pd.Timedelta(np.median(steps))
    if span is not None:
        return min(pd.Timestamp(span[1]) - pd.Timestamp(span[0]), pd.Timedelta(days=30)) + (
            pd.Timedelta(days=1)
        )
    return pd.Timedelta(days=1)


def time_range(
    periods: pd.Series, span: tuple[pd.Timestamp, pd.Timestamp] | None = None
) -> list[pd.Timestamp]:
    """The x range of a time chart: time_ends with half a period's room at each end, so that a
    bar or a single point sits inside."""
    ends = time_ends(periods, span)
    half = period_length(periods, span) / 2
    return [ends[0] - half, ends[1] + half] if ends else []


def download_config(filename: str, image_format: str = "png") -> dict:
    """Plotly config: the modebar's camera saves PNG (2x) or SVG under a readable file name."""
    if image_format not in IMAGE_FORMATS:
        raise ValueError(f"image_format must be one of {', '.join(IMAGE_FORMATS)}")
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
        "toImageButtonOptions": {
            "format": image_format,
            "filename": filename,
            "scale": 2 if image_format == "png" else 1,
        },
    }


def _iso(periods: pd.Series) -> list[str]:
    """Period starts as ISO dates, for click-through customdata."""
    return [f"{p:%Y-%m-%d}" for p in pd.to_datetime(periods)]


def day_names(periods: pd.Series, months: Sequence[str] = MONTHS_EN) -> list[str]:
    """'6 Oct 2026' for each date, in the given month names (for hover text)."""
    return [f"{p.day} {months[p.month - 1]} {p.year}" for p in pd.to_datetime(periods)]


def time_ticks(
    periods: pd.Series, months: Sequence[str] = MONTHS_EN, max_ticks: int = MAX_TICKS
) -> tuple[list[pd.Timestamp], list[str]]:
    """At most max_ticks evenly spaced tick dates and their labels (year shown when it changes)."""
    unique = sorted(pd.to_datetime(pd.Series(periods)).dropna().unique())
    if not unique:
        return [], []
    values = unique[:: max(1, math.ceil(len(unique) / max_ticks))]
    by_month = (unique[-1] - unique[0]).days > DAY_TICKS_SPAN
    texts, year = [], None
    for stamp in map(pd.Timestamp, values):
        text = months[stamp.month - 1] if by_month else f"{stamp.day} {months[stamp.month - 1]}"
        texts.append(f"{text}<br>{stamp.year}" if stamp.year != year else text)
        year = stamp.year
    return [pd.Timestamp(v) for v in values], texts


def _time_axis(
    fig: go.Figure,
    periods: pd.Series,
    months: Sequence[str],
    span: tuple[pd.Timestamp, pd.Timestamp] | None = None,
) -> go.Figure:
    """Label a figure's time axis in the given month names, over the periods and span shown."""
    values, texts = time_ticks(periods, months)
    return fig.update_xaxes(
        tickvals=values, ticktext=texts, range=time_range(periods, span) or None
    )


def volume_figure(
    volume: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    series: str = "all",
    title: str | None = None,
    height: int = 320,
    font_size: int = 13,
    months: Sequence[str] = MONTHS_EN,
    span: tuple[pd.Timestamp, pd.Timestamp] | None = None,
) -> go.Figure:
    """Articles per period as bars; collection gaps grey, periods not over yet light.

    volume has columns period, total, low_volume, partial (trends.period_volume); span, the
    chosen first and last day, bounds the time axis.
    """
    kind = np.select(
        [volume["low_volume"].to_numpy(bool), volume["partial"].to_numpy(bool)],
        ["gap", "partial"],
        "articles",
    )
    colours = {"articles": ACCENT, "gap": MUTED, "partial": ACCENT_LIGHT}
    width = BAR_FILL * period_length(volume["period"], span) / pd.Timedelta(milliseconds=1)
    fig = go.Figure()
    for name in ("articles", "gap", "partial"):
        rows = volume.loc[kind == name]
        if rows.empty and name != "articles":
            continue
        fig.add_trace(
            go.Bar(
                x=rows["period"],
                y=rows["total"],
                name=_label(labels, name),
                marker_color=colours[name],
                width=width,
                customdata=[[series, d] for d in _iso(rows["period"])],
                text=day_names(rows["period"], months),
                textposition="none",
                hovertemplate="%{text}: %{y:,}<extra>" + _label(labels, name) + "</extra>",
            )
        )
    fig.update_layout(barmode="overlay", bargap=0.15)
    _time_axis(fig, volume["period"], months, span)
    fig.update_yaxes(
        title=_label(labels, "articles"), **value_axis(volume["total"].max(), percent=False)
    )
    return styled(
        fig,
        title=title,
        height=height,
        font_size=font_size,
        legend=len(fig.data) > 1,
        labels=labels,
    )


def with_collection_marks(fig: go.Figure, marks: pd.DataFrame, name: str) -> go.Figure:
    """Triangles above the bars of the periods whose collection changed (marks: period, text);
    hovering one lists the changes."""
    if marks.empty:
        return fig
    top = max((max(trace.y, default=0) for trace in fig.data if trace.type == "bar"), default=0)
    fig.add_trace(
        go.Scatter(
            x=marks["period"],
            y=[top] * len(marks),
            mode="markers",
            name=name,
            marker={"symbol": "triangle-down", "size": 12, "color": INK},
            text=marks["text"],
            hovertemplate="%{text}<extra></extra>",
            cliponaxis=False,
        )
    )
    fig.update_layout(showlegend=True)
    return fig


def _rgba(hex_colour: str, alpha: float) -> str:
    """A #rrggbb colour as rgba() with the given opacity."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def band_opacity(bands: int) -> float:
    """The fill opacity of each of several bands drawn together: where all of them overlap, the
    chart is covered as much as by one band of BAND_OPACITY, never washed grey."""
    return 1 - (1 - BAND_OPACITY) ** (1 / max(bands, 1))


def true_runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """The first and last index of each run of consecutive True values."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], np.asarray(mask, np.int8), [0]])))
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def firm_runs(drawn: np.ndarray, few: np.ndarray) -> list[tuple[int, int]]:
    """The first and last point of each run of consecutive drawn points of many articles (not
    few), two points at least: the stretches a band is drawn over."""
    firm = np.asarray(drawn, bool) & ~np.asarray(few, bool)
    return [(first, last) for first, last in true_runs(firm) if last > first]


def band_outline(rows: pd.DataFrame, runs: list[tuple[int, int]]) -> tuple[list, list]:
    """x and y of a band's shapes over the runs of points: along the upper edge and back along
    the lower, one shape a run, shapes apart by None."""
    periods, low, high = list(rows["period"]), list(rows["ci_low"]), list(rows["ci_high"])
    x: list = []
    y: list = []
    for first, last in runs:
        if x:
            x.append(None)
            y.append(None)
        x += periods[first : last + 1] + periods[first : last + 1][::-1]
        y += high[first : last + 1] + low[first : last + 1][::-1]
    return x, y


def few_shades(periods: pd.Series, few: np.ndarray, length: pd.Timedelta) -> list[tuple]:
    """The stretches of time (from, to) of each run of periods of few articles, a period running
    from half a period before its start to half a period after."""
    stamps = list(pd.to_datetime(periods))
    return [(stamps[a] - length / 2, stamps[b] + length / 2) for a, b in true_runs(few)]


def _share_hover(measure: str, labels: Mapping[str, str] | None) -> str:
    """The hover of a point of a share chart: its period and value, count of total articles, 95%
    range (shares), and a warning where the period has few articles."""
    counts = _label(labels, "count_of_total").format(
        count="%{customdata[2]:,}", total="%{customdata[3]:,}"
    )
    if measure == "count":
        return "%{text}: " + counts + "<extra>%{fullData.name}</extra>"
    interval = _label(labels, "range95").format(
        low="%{customdata[4]:.1%}", high="%{customdata[5]:.1%}"
    )
    return (
        "%{text}: <b>%{y:.1%}</b><br>" + counts + "<br>" + interval
        + "%{customdata[6]}<extra>%{fullData.name}</extra>"
    )  # fmt: skip


def _series_lines(
    rows: pd.DataFrame,
    measure: str,
    few: np.ndarray,
    colour: str,
    hover: str,
    note: str,
    months: Sequence[str],
) -> list[go.Scatter]:
    """A series' line, solid between periods of many articles and dotted to a period of few
    (both only drawn), and its points, hollow in periods of few articles; the points carry
    [series, period, count, total, ci_low, ci_high, note] as customdata."""
    key = str(rows["series"].iloc[0])
    name = plain(rows["label"]).iloc[0]
    values = rows[measure].astype("float64")
    common = {"x": rows["period"], "name": name, "legendgroup": key}
    drawn = {"mode": "lines", "hoverinfo": "skip", "meta": REPEAT, **common}
    dotted = go.Scatter(
        y=values, showlegend=False, line={"color": colour, "width": 2, "dash": "dot"}, **drawn
    )
    solid = go.Scatter(y=values.where(~few), line={"color": colour, "width": 2.5}, **drawn)
    points = go.Scatter(
        y=values,
        mode="markers",
        showlegend=False,
        meta=INTERVAL if measure == "share" else None,
        marker={
            "size": np.where(few, 7, 6),
            "color": np.where(few, "white", colour),
            "line": {"color": colour, "width": np.where(few, 1.5, 0)},
        },
        customdata=[
            [key, day, count, total, low, high, note if uncertain else ""]
            for day, count, total, low, high, uncertain in zip(
                _iso(rows["period"]),
                rows["count"],
                rows["total"],
                rows["ci_low"],
                rows["ci_high"],
                few,
                strict=True,
            )
        ],
        text=day_names(rows["period"], months),
        hovertemplate=hover,
        hoverlabel={"bgcolor": colour},
        **common,
    )
    return [dotted, solid, points] if few.any() else [solid, points]


def share_figure(
    shares: pd.DataFrame,
    *,
    measure: str = "share",
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    height: int = 400,
    font_size: int = 13,
    months: Sequence[str] = MONTHS_EN,
    span: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    reference: float | None = None,
    band: bool = True,
) -> go.Figure:
    """One line per series of its share (with a 95% Wilson band) or count over time.

    shares has columns period, series, label, count, total, share, ci_low, ci_high (trends tables
    with a series key and a display label); each point's hover says its count of the period's
    articles and its 95% range. A share of a period of fewer than FEW_ARTICLES articles is
    uncertain: the period is shaded, its point hollow, the line to it dotted and no band drawn
    there (a band from 0% to 11% says less than the shade, and several of them wash the chart
    grey). Bands are drawn under every line, each lighter the more series there are
    (band_opacity). The value axis runs from zero to the highest point drawn (a band reaching
    higher is cut at the top; band=False leaves bands out); span bounds the time axis;
    reference, a share in the period before, is drawn as a dashed level across it.
    """
    if measure not in ("share", "count"):
        raise ValueError("measure must be 'share' or 'count'")
    fig = go.Figure()
    groups = [rows for _, rows in shares.groupby("series", sort=False)]
    few = [
        few_articles(rows["total"]) if measure == "share" else np.zeros(len(rows), bool)
        for rows in groups
    ]
    opacity = band_opacity(len(groups))
    for i, rows in enumerate(groups if measure == "share" and band else []):
        x, y = band_outline(rows, firm_runs(rows["share"].notna().to_numpy(), few[i]))
        fig.add_trace(
            go.Scatter(
                x=x, y=y, mode="lines", fill="toself", meta=BAND, line={"width": 0},
                fillcolor=_rgba(PALETTE[i % len(PALETTE)], opacity), hoverinfo="skip",
                showlegend=False, legendgroup=str(rows["series"].iloc[0]),
                name=plain(rows["label"]).iloc[0],
            )
        )  # fmt: skip
    hover, note = _share_hover(measure, labels), "<br><i>" + _label(labels, "few") + "</i>"
    for i, rows in enumerate(groups):
        colour = PALETTE[i % len(PALETTE)]
        fig.add_traces(_series_lines(rows, measure, few[i], colour, hover, note, months))
    if reference is not None and measure == "share":
        ends = time_ends(shares["period"], span)
        before = _label(labels, "before")
        fig.add_trace(
            go.Scatter(
                x=ends,
                y=[reference, reference],
                mode="lines",
                name=before,
                line={"color": MUTED, "width": 2, "dash": "dash"},
                hovertemplate="%{y:.1%}<extra>" + before + "</extra>",
            )
        )
    periods = shares.drop_duplicates("period").sort_values("period")
    shades = (
        few_shades(
            periods["period"],
            few_articles(periods["total"]),
            period_length(periods["period"], span),
        )
        if measure == "share"
        else []
    )
    for j, (start, end) in enumerate(shades):
        fig.add_vrect(
            x0=start, x1=end, fillcolor=FEW_SHADE, line_width=0, layer="below",
            name=_label(labels, "few_periods").format(n=FEW_ARTICLES),
            legendgroup="few", showlegend=j == 0,
        )  # fmt: skip
    _time_axis(fig, shares["period"], months, span)
    top = max(float(shares[measure].max(skipna=True) or 0), reference or 0.0)
    fig.update_yaxes(
        title=_label(labels, "share" if measure == "share" else "articles"),
        **value_axis(top, percent=measure == "share"),
    )
    several = shares["series"].nunique() > 1 or reference is not None or bool(shades)
    return styled(
        fig, title=title, height=height, font_size=font_size, legend=several, labels=labels
    )


def topic_bars_figure(
    top: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    height: int | None = None,
    font_size: int = 13,
) -> go.Figure:
    """Share of coverage now (bars) and in the period before (ticks) of the top topics.

    The axis is scaled to the bars (and to earlier shares up to OUTLIER_FACTOR times the longest
    bar): an earlier share beyond it is drawn as an arrow at the edge with its value written
    beside it, so that one outlier cannot squeeze every bar.
    """
    rows = top.iloc[::-1].assign(full=lambda f: plain(f["topic_label"]))
    rows = rows.assign(topic_label=short(rows["full"], TOPIC_LABEL))
    before = _label(labels, "before")
    longest = float(rows["share_now"].max() or 0)
    earlier = rows["share_before"].fillna(0)
    inside = earlier.loc[earlier <= OUTLIER_FACTOR * longest]
    axis = value_axis(max(longest, float(inside.max()) if len(inside) else 0.0), percent=True)
    edge = axis["range"][1]
    beyond = rows.loc[earlier > edge]
    traces = [
        go.Bar(
            y=rows["topic_label"],
            x=rows["share_now"],
            orientation="h",
            name=_label(labels, "now"),
            marker_color=ACCENT,
            customdata=rows[["count_now", "full"]].to_numpy(),
            hovertemplate="%{customdata[1]}: %{x:.1%} (%{customdata[0]:,})<extra></extra>",
        ),
        go.Scatter(
            y=rows["topic_label"],
            x=rows["share_before"],
            mode="markers",
            name=before,
            cliponaxis=True,
            marker={"color": INK, "size": 9, "symbol": "line-ns-open", "line": {"width": 3}},
            hovertemplate="%{y}: %{x:.1%}<extra>" + before + "</extra>",
        ),
    ]
    if len(beyond):
        traces.append(
            go.Scatter(
                y=beyond["topic_label"],
                x=[edge] * len(beyond),
                mode="markers+text",
                meta=REPEAT,
                showlegend=False,
                cliponaxis=False,
                marker={"color": INK, "size": 10, "symbol": "triangle-right"},
                text=[f"{v:.0%}" if v >= 0.1 else f"{v:.1%}" for v in beyond["share_before"]],
                textposition="middle left",
                textfont={"color": INK, "size": max(font_size - 2, 9)},
                customdata=beyond[["share_before"]].to_numpy(),
                hovertemplate="%{y}: %{customdata[0]:.1%}<extra>" + before + "</extra>",
            )
        )
    fig = go.Figure(traces)
    fig.update_xaxes(title=_label(labels, "share"), gridcolor=GRID, **axis)
    fig.update_yaxes(automargin=True)
    return styled(
        fig, title=title, height=height or 90 + 32 * len(top), font_size=font_size, labels=labels
    ).update_layout(bargap=0.35)


def bubble_sizes(values: pd.Series, largest: float = BUBBLE_MAX) -> np.ndarray:
    """Bubble diameters in pixels whose areas are proportional to values (the largest: largest)."""
    numbers = values.fillna(0).clip(lower=0).to_numpy(dtype="float64")
    top = numbers.max() if len(numbers) else 0.0
    return largest * np.sqrt(numbers / top) if top > 0 else np.zeros(len(numbers))


def province_map_figure(
    values: pd.DataFrame,
    shapes: dict,
    *,
    centres: pd.DataFrame | None = None,
    measure: str = "articles",
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    height: int = 380,
    font_size: int = 13,
    zoom: float = MAP_ZOOM,
) -> go.Figure:
    """Provinces coloured by articles or share (values: feature, name, articles, share), with a
    bubble at each province's centre (centres: feature, lat, lon) whose area is the same figure,
    so that a small province with many articles (DKI Jakarta) is seen; on a blank background.
    A selected area carries its feature as location, a selected bubble as its customdata[3]."""
    if measure not in ("articles", "share"):
        raise ValueError("measure must be 'articles' or 'share'")
    frame = values.assign(name=plain(values["name"]))
    hover = "<b>%{customdata[0]}</b><br>%{customdata[1]:,} · %{customdata[2]:.1%}<extra></extra>"
    fig = px.choropleth_map(
        frame,
        geojson=shapes,
        locations="feature",
        featureidkey="properties.iso_3166_2",
        color=measure,
        color_continuous_scale=list(MAP_SCALE),
        range_color=[0, max(float(frame[measure].max() or 0), 1e-9)],
        map_style="white-bg",
        center=MAP_CENTER,
        zoom=zoom,
        opacity=0.9,
        custom_data=["name", "articles", "share"],
    )
    fig.update_traces(
        name=_label(labels, "share" if measure == "share" else "articles"),
        text=frame["name"], marker_line_color="#78716c", marker_line_width=0.6,
        hovertemplate=hover,
    )  # fmt: skip
    if centres is not None:
        placed = frame.merge(centres, on="feature").loc[lambda f: f[measure] > 0]
        fig.add_trace(
            go.Scattermap(
                lat=placed["lat"],
                lon=placed["lon"],
                mode="markers",
                meta=REPEAT,
                showlegend=False,
                marker={
                    "size": bubble_sizes(placed[measure], BUBBLE_MAX * font_size / 13),
                    "sizemin": 3,
                    "color": ACCENT,
                    "opacity": 0.55,
                },
                customdata=placed[["name", "articles", "share", "feature"]].to_numpy(),
                hovertemplate=hover,
            )
        )
    fig.update_layout(
        coloraxis_colorbar={
            "title": _label(labels, "share" if measure == "share" else "articles"),
            **colorbar_ticks(frame[measure].max(), percent=measure == "share"),
            "thickness": 12,
            "len": 0.7,
        }
    )
    return styled(
        fig, title=title, height=height, font_size=font_size, legend=False, labels=labels
    ).update_layout(margin={"l": 0, "r": 0, "t": 56 if title else 0, "b": 0})


def bar_figure(
    names: pd.Series,
    values: pd.Series,
    *,
    percent: bool = False,
    axis_title: str | None = None,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Horizontal bars, largest on top, one colour (regencies, outlets, ...)."""
    fig = go.Figure(
        go.Bar(
            y=list(plain(pd.Series(list(names))))[::-1],
            x=list(values)[::-1],
            orientation="h",
            name=axis_title,
            marker_color=ACCENT,
            hovertemplate="%{y}: %{x" + (":.1%" if percent else ":,") + "}<extra></extra>",
        )
    )
    axis = value_axis(pd.Series(list(values), dtype="float64").max(), percent=percent)
    fig.update_xaxes(title=axis_title, gridcolor=GRID, **axis)
    fig.update_yaxes(automargin=True)
    return styled(
        fig, title=title, height=height or 80 + 26 * len(names), legend=False, labels=labels
    )


def ratio_text(lift: float, decimal: str) -> str:
    """A ratio of shares as a bar reads it: '33x', '3,2x', '1/4'; '' where it is not finite."""
    if not np.isfinite(lift) or lift <= 0:
        return ""
    if lift < 1:
        return f"1/{1 / lift:.0f}"
    return format_ratio(lift, "en").replace(".", decimal)


def ratio_ticks(logs: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Ticks of a log2 ratio axis at every power of two, the ends marked where bars are cut."""
    ticks = np.arange(min(-1, math.floor(logs.min())), max(1, math.ceil(logs.max())) + 1)
    text = [f"{2.0**t:g}x" if t >= 0 else f"1/{2.0**-t:g}" for t in ticks]
    limit = math.log2(LIFT_LIMIT)
    text = [
        f"≥{t}" if tick >= limit else f"≤{t}" if tick <= -limit else t
        for tick, t in zip(ticks, text, strict=True)
    ]
    return ticks, text


def angles_figure(
    angles: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
) -> go.Figure:
    """Topics a place covers more (accent) or less (grey) than elsewhere, by the ratio of shares;
    each bar says its ratio, since those beyond LIFT_LIMIT are cut at the axis's end."""
    rows = angles.iloc[::-1].assign(topic_label=lambda f: short(plain(f["topic_label"])))
    lift = rows["lift"].clip(lower=1 / LIFT_LIMIT, upper=LIFT_LIMIT)
    decimal = _label(labels, "separators")[0]
    fig = go.Figure(
        go.Bar(
            y=rows["topic_label"],
            x=np.log2(lift.to_numpy(dtype="float64")),
            orientation="h",
            marker_color=np.where(rows["lift"] >= 1, ACCENT, MUTED),
            text=[ratio_text(value, decimal) for value in rows["lift"]],
            textposition="inside",
            insidetextanchor="end",
            customdata=rows[["lift"]].to_numpy(),
            hovertemplate="%{y}: %{customdata[0]:.1f}x<extra></extra>",
        )
    )
    ticks, text = ratio_ticks(np.log2(lift.to_numpy(dtype="float64")))
    fig.update_xaxes(
        tickvals=ticks,
        ticktext=text,
        title=_label(labels, "lift"),
        gridcolor=GRID,
        zeroline=True,
        zerolinecolor=INK,
    )
    fig.update_yaxes(automargin=True)
    return styled(fig, title=title, height=90 + 28 * len(angles), legend=False, labels=labels)


def doc_map_figure(
    points: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    height: int = 560,
) -> go.Figure:
    """Articles as dots on the build's 2-D map, coloured by group (points: x, y, group, title, topic)."""
    fig = go.Figure()
    other = _label(labels, "other")
    groups = [g for g in dict.fromkeys(points["group"]) if g != other]
    for i, group in enumerate([other, *groups], start=-1):
        rows = points.loc[points["group"] == group]
        if rows.empty:
            continue
        is_other = group == other
        fig.add_trace(
            go.Scattergl(
                x=rows["x"],
                y=rows["y"],
                mode="markers",
                name=plain(pd.Series([group])).iloc[0],
                legendrank=2000 if is_other else 1000,
                text=plain(rows["title"]) + "<br><i>" + plain(rows["topic"]) + "</i>",
                marker={
                    "size": 4 if is_other else 6,
                    "color": "#d6d3d1" if is_other else PALETTE[i % len(PALETTE)],
                    "opacity": 0.5 if is_other else 0.8,
                },
                hovertemplate="%{text}<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    return styled(fig, title=title, height=height, labels=labels).update_layout(
        legend={"orientation": "v", "y": 1, "x": 1.01, "yanchor": "top"}
    )


def outlet_heatmap_figure(
    counts: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    months: Sequence[str] = MONTHS_EN,
) -> go.Figure:
    """Articles per outlet per month as a heatmap; empty months stand out as white gaps."""
    grid = counts.pivot_table(
        index="source", columns="month", values="articles", aggfunc="sum", fill_value=0
    ).sort_index(ascending=False)
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=[f"{months[m.month - 1]} {m.year}" for m in pd.to_datetime(grid.columns)],
            y=list(plain(pd.Series(grid.index))),
            colorscale=[[0, "#ffffff"], [0.02, MAP_SCALE[0]], [1, ACCENT]],
            colorbar={
                "title": _label(labels, "articles"),
                "thickness": 12,
                **colorbar_ticks(grid.to_numpy().max() if grid.size else 0, percent=False),
            },
            hovertemplate="%{y}, %{x}: %{z:,}<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    fig.update_yaxes(automargin=True)
    return styled(fig, title=title, height=120 + 18 * len(grid), legend=False, labels=labels)


def _cells(values: Sequence | None) -> list:
    """Trace values as table cells: dates as ISO days (with the time when not midnight)."""
    items = list(values) if values is not None else []
    if items and isinstance(items[0], datetime | np.datetime64):
        stamps = pd.to_datetime(pd.Series(items))
        return [s.isoformat() if s != s.normalize() else f"{s:%Y-%m-%d}" for s in stamps]
    return items


def _trace_rows(trace) -> pd.DataFrame:
    """One trace's points: x and y; x, y and z of a heatmap's cells; location, name and z of a
    map's areas."""
    if trace.type == "heatmap":
        z = np.asarray(trace.z)
        x, y = _cells(trace.x), _cells(trace.y)
        return pd.DataFrame(
            {"x": np.tile(np.asarray(x, dtype=object), len(y)),
             "y": np.repeat(np.asarray(y, dtype=object), len(x)), "z": z.ravel()}
        )  # fmt: skip
    if trace.type in ("choroplethmap", "choropleth"):
        return pd.DataFrame(
            {"location": _cells(trace.locations), "name": _cells(trace.text), "z": _cells(trace.z)}
        )
    return pd.DataFrame({"x": _cells(trace.x), "y": _cells(trace.y)})


def chart_table(fig: go.Figure) -> pd.DataFrame:
    """The data a chart draws, one row per point, trace by trace: series (the trace's name) and
    its x and y (a heatmap's x, y and z; a map's location, name and z); the lower and upper end
    of a point's 95% range as low and high (meta INTERVAL). Traces that only draw data another
    holds (meta REPEAT: a map's bubbles, an outlier's arrow, a line through points; meta BAND)
    are left out."""
    frames = []
    for trace in fig.data:
        if trace.meta in (REPEAT, BAND):
            continue
        rows = _trace_rows(trace)
        rows.insert(0, "series", plain(pd.Series([trace.name or ""])).iloc[0])
        if trace.meta == INTERVAL:
            ends = [list(point[4:6]) for point in trace.customdata]
            rows[["low", "high"]] = pd.DataFrame(ends, columns=["low", "high"], dtype="float64")
        frames.append(rows)
    if not frames:
        return pd.DataFrame(columns=["series", "x", "y"])
    return pd.concat(frames, ignore_index=True)
