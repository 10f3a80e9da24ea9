"""Chart functions on tiny frames, checked through fig.to_dict()."""

from __future__ import annotations

import base64
import io
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from analysis.dashboard import charts, places
from analysis.dashboard.filters import Filters
from analysis.i18n.ui import CHART_LABELS
from analysis.trends.significance import wilson_interval
from data.spreadsheet import csv_bytes

WEEKS = pd.to_datetime(["2026-10-05", "2026-10-12", "2026-10-19"])


def plain(value) -> list:
    """A figure dict's array as a list (Plotly writes numeric arrays as base64 typed arrays)."""
    if isinstance(value, dict) and "bdata" in value:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")
        if shape:
            flat = flat.reshape([int(n) for n in str(shape).split(",")])
        return flat.tolist()
    return [list(v) if isinstance(v, list | tuple) else v for v in value]


def _volume() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": WEEKS,
            "total": [10, 2, 7],
            "low_volume": [False, True, False],
            "partial": [False, False, True],
        }
    )


def _shares() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": list(WEEKS) * 2,
            "series": ["t1"] * 3 + ["q:banjir"] * 3,
            "label": ["Banjir"] * 3 + ["“banjir”"] * 3,
            "count": [100, 200, 300, 400, 500, 600],
            "total": [1000] * 6,
            "share": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
            "ci_low": [0.05, 0.1, 0.2, 0.3, 0.4, 0.5],
            "ci_high": [0.2, 0.3, 0.4, 0.5, 0.6, 0.7],
        }
    )


def test_volume_figure_separates_gaps_and_unfinished_periods():
    fig = charts.volume_figure(_volume(), labels={"articles": "Artikel"}).to_dict()
    names = [trace["name"] for trace in fig["data"]]
    assert names == ["Artikel", "Possible collection gap", "Partial period"]
    assert [plain(trace["y"]) for trace in fig["data"]] == [[10], [2], [7]]
    assert [trace["marker"]["color"] for trace in fig["data"]] == [
        charts.ACCENT,
        charts.MUTED,
        charts.ACCENT_LIGHT,
    ]
    assert [list(map(list, t["customdata"])) for t in fig["data"]] == [
        [["all", "2026-10-05"]],
        [["all", "2026-10-12"]],
        [["all", "2026-10-19"]],
    ]


def test_volume_figure_without_flags_has_one_trace_and_no_legend():
    volume = _volume().assign(low_volume=False, partial=False)
    fig = charts.volume_figure(volume, series="p:36").to_dict()
    assert len(fig["data"]) == 1
    assert fig["layout"]["showlegend"] is False
    assert [row[0] for row in fig["data"][0]["customdata"]] == ["p:36"] * 3


def test_volume_figure_names_dates_in_the_given_language():
    months = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
    fig = charts.volume_figure(_volume(), months=months).to_dict()
    assert list(fig["data"][0]["text"]) == ["5 Okt 2026"]
    assert list(fig["layout"]["xaxis"]["ticktext"]) == ["5 Okt<br>2026", "12 Okt", "19 Okt"]


def _kind(trace: dict) -> str:
    """What a share chart's trace draws: band, line (drawn only) or points."""
    return {charts.BAND: "band", charts.REPEAT: "line"}.get(trace.get("meta"), "points")


def test_share_figure_draws_bands_under_a_line_and_points_per_series():
    fig = charts.share_figure(_shares()).to_dict()
    assert [_kind(t) for t in fig["data"]] == ["band", "band", "line", "points", "line", "points"]
    band, line, points = fig["data"][0], fig["data"][2], fig["data"][3]
    assert plain(band["y"]) == [0.2, 0.3, 0.4, 0.2, 0.1, 0.05]
    assert plain(line["y"]) == plain(points["y"]) == [0.1, 0.2, 0.3]
    assert line["name"] == points["name"] == "Banjir" and line["legendgroup"] == "t1"
    assert list(points["customdata"][0][:2]) == ["t1", "2026-10-05"]
    assert fig["data"][4]["line"]["color"] == charts.PALETTE[1]
    assert fig["layout"]["yaxis"]["tickformat"] == ".0%"
    small = _shares().assign(share=0.01, ci_low=0.005, ci_high=0.02)
    assert charts.share_figure(small).to_dict()["layout"]["yaxis"]["tickformat"] == ".1%"


def test_share_figure_by_count_has_no_band():
    fig = charts.share_figure(_shares(), measure="count").to_dict()
    points = [t for t in fig["data"] if _kind(t) == "points"]
    assert [plain(t["y"]) for t in points] == [[100, 200, 300], [400, 500, 600]]
    assert "band" not in [_kind(t) for t in fig["data"]]
    assert fig["layout"]["yaxis"]["tickformat"] == ","


def _weeks(counts: list[int], totals: list[int], series: str = "t1") -> pd.DataFrame:
    """One series over weeks from 5 October 2026, with its shares and 95% Wilson bounds."""
    low, high = wilson_interval(np.array(counts), np.array(totals))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(np.array(totals) > 0, np.array(counts) / np.array(totals), np.nan)
    return pd.DataFrame(
        {
            "period": pd.date_range("2026-10-05", periods=len(counts), freq="W-MON"),
            "series": series,
            "label": f"Topik {series}",
            "count": counts,
            "total": totals,
            "share": share,
            "ci_low": low,
            "ci_high": high,
        }
    )


def test_periods_of_few_articles_are_shaded_hollow_dotted_and_have_no_band():
    shares = _weeks([5, 2, 60, 70, 1, 0, 9, 8], [500, 30, 600, 700, 40, 0, 150, 160])
    weeks = list(shares["period"])
    fig = charts.share_figure(shares)
    band, dotted, solid, points = fig.data
    colour = charts.PALETTE[0]
    assert list(points.marker.color) == [colour, "white", colour, colour, "white"] + [colour] * 3
    assert list(points.marker.size) == [6, 7, 6, 6, 7, 6, 6, 6]
    assert dotted.line.dash == "dot" and list(dotted.y)[:5] == list(points.y)[:5]
    assert np.isnan(list(solid.y)[1]) and np.isnan(list(solid.y)[4])
    assert list(solid.y)[2:4] == [0.1, 0.1]
    # the band runs over the stretches of many articles only: weeks 3-4 and 7-8, not the
    # empty week 6 nor any week of few articles
    drawn = [pd.Timestamp(x) if x is not None else None for x in band.x]
    assert drawn == [weeks[2], weeks[3], weeks[3], weeks[2], None] + [
        weeks[6], weeks[7], weeks[7], weeks[6]
    ]  # fmt: skip
    shades = [(pd.Timestamp(s.x0), pd.Timestamp(s.x1)) for s in fig.layout.shapes]
    half = pd.Timedelta(days=3.5)
    assert shades == [(weeks[1] - half, weeks[1] + half), (weeks[4] - half, weeks[4] + half)]
    assert [s.showlegend for s in fig.layout.shapes] == [True, False]
    assert fig.layout.shapes[0].name == "Fewer than 100 articles"
    assert fig.layout.shapes[0].layer == "below"
    assert fig.layout.showlegend is True  # one series, but the shade needs its name
    notes = [row[6] for row in points.customdata]
    assert notes[1] == notes[4] == "<br><i>Few articles: the share is uncertain</i>"
    assert notes[0] == notes[2] == ""


def test_a_chart_of_many_articles_has_no_shade_and_no_dotted_line():
    fig = charts.share_figure(_weeks([5, 60, 70], [500, 600, 700]))
    assert fig.layout.shapes == ()
    assert [t.line.dash for t in fig.data if t.meta == charts.REPEAT] == [None]
    assert list(fig.data[-1].marker.color) == [charts.PALETTE[0]] * 3
    counts = charts.share_figure(_weeks([5, 2], [500, 30]), measure="count")
    assert counts.layout.shapes == () and list(counts.data[-1].marker.color) == [
        charts.PALETTE[0]
    ] * 2  # fmt: skip


def _alpha(fill: str) -> float:
    """The opacity of an rgba() colour."""
    return float(fill.rsplit(",", 1)[1].rstrip(")"))


def test_bands_share_out_their_opacity_and_lie_under_every_line():
    one = charts.share_figure(_weeks([50, 60, 70], [500, 600, 700]))
    assert _alpha(one.data[0].fillcolor) == pytest.approx(charts.BAND_OPACITY)
    three = pd.concat(
        [_weeks([50, 60, 70], [500, 600, 700], f"t{i}") for i in range(3)], ignore_index=True
    )
    fig = charts.share_figure(three)
    kinds = [t.meta for t in fig.data]
    assert kinds[:3] == [charts.BAND] * 3 and charts.BAND not in kinds[3:]
    alphas = [_alpha(t.fillcolor) for t in fig.data[:3]]
    assert alphas[0] == alphas[1] == alphas[2] < charts.BAND_OPACITY
    # where all three overlap, the chart is covered as much as under one band alone
    assert 1 - (1 - alphas[0]) ** 3 == pytest.approx(charts.BAND_OPACITY)
    assert [t.fillcolor for t in fig.data[:3]] == [
        charts._rgba(c, alphas[0]) for c in charts.PALETTE[:3]
    ]


def test_share_hover_says_the_articles_and_the_range_in_the_readers_language():
    labels = CHART_LABELS["id"]
    shares = _weeks([5, 2], [1500, 30])
    points = charts.share_figure(shares, labels=labels).data[-1]
    assert "%{customdata[2]:,} dari %{customdata[3]:,} artikel" in points.hovertemplate
    assert "Rentang 95%: %{customdata[4]:.1%}–%{customdata[5]:.1%}" in points.hovertemplate
    assert [row[2:4] for row in points.customdata] == [[5, 1500], [2, 30]]
    assert points.customdata[1][6] == "<br><i>" + labels["few"] + "</i>"
    count = charts.share_figure(shares, measure="count").data[-1]
    assert count.hovertemplate.startswith("%{text}: %{customdata[2]:,} of %{customdata[3]:,}")


def test_share_figure_rejects_an_unknown_measure():
    with pytest.raises(ValueError, match="measure"):
        charts.share_figure(_shares(), measure="ratio")


def test_topic_bars_put_the_biggest_topic_on_top():
    top = pd.DataFrame(
        {
            "topic_label": ["Banjir", "Pilkada <b>"],
            "share_now": [0.3, 0.1],
            "share_before": [0.1, 0.2],
            "count_now": [30, 10],
        }
    )
    fig = charts.topic_bars_figure(top).to_dict()
    bars, dots = fig["data"]
    assert plain(bars["y"]) == ["Pilkada ‹b›", "Banjir"]
    assert plain(bars["x"]) == [0.1, 0.3]
    assert plain(dots["x"]) == [0.2, 0.1]
    assert fig["layout"]["height"] == 90 + 32 * 2


def test_province_map_uses_the_blank_style_and_iso_keys():
    values = pd.DataFrame(
        {"feature": ["ID-BT", "ID-JB"], "name": ["Banten", "Jawa Barat"], "articles": [5, 3],
         "share": [0.5, 0.3]}
    )  # fmt: skip
    shapes = {"type": "FeatureCollection", "features": []}
    fig = charts.province_map_figure(values, shapes, measure="share").to_dict()
    trace = fig["data"][0]
    assert trace["type"] == "choroplethmap"
    assert plain(trace["locations"]) == ["ID-BT", "ID-JB"]
    assert trace["featureidkey"] == "properties.iso_3166_2"
    assert plain(trace["z"]) == [0.5, 0.3]
    assert fig["layout"]["map"]["style"] == "white-bg"


def test_angles_figure_colours_more_and_less_and_labels_ratios():
    angles = pd.DataFrame({"topic_label": ["Banjir", "Pilkada"], "lift": [4.0, 0.5]})
    fig = charts.angles_figure(angles).to_dict()
    bar = fig["data"][0]
    assert plain(bar["x"]) == [-1.0, 2.0]
    assert list(bar["marker"]["color"]) == [charts.MUTED, charts.ACCENT]
    assert list(fig["layout"]["xaxis"]["ticktext"]) == ["1/2", "1x", "2x", "4x"]
    assert list(bar["text"]) == ["1/2", "4.0x"]


def test_bar_figure_in_percent():
    fig = charts.bar_figure(pd.Series(["a", "b"]), pd.Series([0.2, 0.1]), percent=True).to_dict()
    assert list(fig["data"][0]["y"]) == ["b", "a"]
    assert fig["layout"]["xaxis"]["tickformat"] == ".0%"


def test_doc_map_draws_other_topics_underneath_in_grey():
    points = pd.DataFrame(
        {
            "x": [0.0, 1.0, 2.0],
            "y": [0.0, 1.0, 2.0],
            "group": ["Lain", "Banjir", "Banjir"],
            "title": ["a", "b", "c"],
            "topic": ["t", "u", "v"],
        }
    )
    fig = charts.doc_map_figure(points, labels={"other": "Lain"}).to_dict()
    assert [t["name"] for t in fig["data"]] == ["Lain", "Banjir"]
    assert [t["legendrank"] for t in fig["data"]] == [2000, 1000]
    assert fig["data"][0]["marker"]["color"] == "#d6d3d1"
    assert fig["data"][1]["marker"]["color"] == charts.PALETTE[0]
    assert list(fig["data"][1]["text"]) == ["b<br><i>u</i>", "c<br><i>v</i>"]


def test_outlet_heatmap_has_a_row_per_outlet_and_a_column_per_month():
    counts = pd.DataFrame(
        {
            "source": ["A", "A", "B"],
            "month": pd.to_datetime(["2026-09-01", "2026-10-01", "2026-10-01"]),
            "articles": [3, 4, 5],
        }
    )
    fig = charts.outlet_heatmap_figure(counts).to_dict()
    heat = fig["data"][0]
    assert plain(heat["x"]) == ["Sep 2026", "Oct 2026"]
    assert plain(heat["y"]) == ["B", "A"]
    assert plain(heat["z"]) == [[0, 5], [3, 4]]


def test_download_config_offers_png_and_svg():
    png = charts.download_config("sorotan-x", "png")["toImageButtonOptions"]
    svg = charts.download_config("sorotan-x", "svg")["toImageButtonOptions"]
    assert (png["format"], png["scale"], svg["format"]) == ("png", 2, "svg")
    with pytest.raises(ValueError):
        charts.download_config("x", "gif")


def test_time_ticks_thin_out_and_switch_to_months_on_long_spans():
    days = pd.Series(pd.date_range("2025-01-06", periods=60, freq="W-MON"))
    values, texts = charts.time_ticks(days)
    assert [f"{v:%Y-%m-%d}" for v in values[:2]] == ["2025-01-06", "2025-03-03"]
    assert texts == ["Jan<br>2025", "Mar", "Apr", "Jun", "Aug", "Oct", "Dec", "Feb<br>2026"]


# -- scales and ticks on awkward data -----------------------------------------------------------


def value_ticks(axis: dict) -> list[str]:
    """The labels Plotly writes on a linear axis set by range, tick0, dtick and a d3 tickformat
    ('.1%' or ',': the only ones the charts use), as Python formats them alike."""
    (low, high), start, step = axis["range"], axis.get("tick0", 0), axis["dtick"]
    count = math.floor((high - start) / step + 1e-9) + 1
    values = [start + i * step for i in range(count) if start + i * step >= low - 1e-12]
    fmt = axis["tickformat"]
    if fmt.endswith("%"):
        return [f"{v:{fmt}}" for v in values]
    assert fmt == ",", fmt
    assert step == round(step), "a count axis has whole steps"
    return [f"{v:,.0f}" for v in values]


def assert_reads_right(axis: dict, highest: float) -> list[str]:
    """The axis starts at zero, reaches the highest value drawn, which fills at least two thirds
    of it and lies at most HEADROOM above the top tick, and writes at least two ticks, no two
    alike; its tick labels."""
    ticks = value_ticks(axis)
    top_tick = axis["dtick"] * (len(ticks) - 1)
    assert axis["range"][0] == 0
    assert highest <= axis["range"][1] <= max(1.5 * highest, axis["dtick"])
    assert highest <= top_tick * (1 + charts.HEADROOM) + 1e-12
    assert len(ticks) >= 2 and len(set(ticks)) == len(ticks), ticks
    return ticks


def test_value_axis_gives_tiny_shares_enough_decimals():
    assert value_ticks(charts.value_axis(0.02, percent=True)) == [
        "0.0%", "0.5%", "1.0%", "1.5%", "2.0%"
    ]  # fmt: skip
    assert value_ticks(charts.value_axis(0.003, percent=True)) == ["0.0%", "0.1%", "0.2%", "0.3%"]
    assert value_ticks(charts.value_axis(0.0004, percent=True))[:2] == ["0.00%", "0.01%"]
    assert value_ticks(charts.value_axis(0.65, percent=True)) == ["0%", "20%", "40%", "60%", "80%"]
    assert value_ticks(charts.value_axis(2, percent=False)) == ["0", "1", "2"]
    assert value_ticks(charts.value_axis(0, percent=False)) == ["0", "1"]
    assert value_ticks(charts.value_axis(float("nan"), percent=True)) == ["0%", "1%"]


def test_volume_figure_all_zeros_counts_in_whole_articles():
    volume = _volume().assign(total=0, low_volume=False, partial=False)
    layout = charts.volume_figure(volume).to_dict()["layout"]
    assert assert_reads_right(layout["yaxis"], 0) == ["0", "1"]


def test_volume_figure_small_counts_do_not_repeat_ticks():
    volume = _volume().assign(total=[2, 1, 2])
    ticks = assert_reads_right(charts.volume_figure(volume).to_dict()["layout"]["yaxis"], 2)
    assert ticks == ["0", "1", "2"]


def test_volume_figure_time_axis_spans_the_chosen_days():
    span = (pd.Timestamp("2026-09-01"), pd.Timestamp("2026-11-29"))
    layout = charts.volume_figure(_volume(), span=span).to_dict()["layout"]
    low, high = pd.to_datetime(layout["xaxis"]["range"])
    assert low <= span[0] and high >= span[1]
    assert (span[0] - low) <= pd.Timedelta(days=4) and (high - span[1]) <= pd.Timedelta(days=4)


def _sparse_shares(periods: list[str], shares: list[float], high: list[float]) -> pd.DataFrame:
    """One series on sparse periods, with wide bands (few articles per period)."""
    return pd.DataFrame(
        {
            "period": pd.to_datetime(periods),
            "series": "t1",
            "label": "Banjir",
            "count": 1,
            "total": [round(1 / s) for s in shares],
            "share": shares,
            "ci_low": [s / 3 for s in shares],
            "ci_high": high,
        }
    )


def test_share_figure_scales_to_the_line_not_to_a_wide_band():
    shares = _sparse_shares(["2026-01-01", "2026-06-01"], [0.003, 0.002], [0.8, 0.7])
    layout = charts.share_figure(shares).to_dict()["layout"]
    ticks = assert_reads_right(layout["yaxis"], 0.003)
    assert ticks == ["0.0%", "0.1%", "0.2%", "0.3%"]


def test_share_figure_tiny_shares_get_distinct_ticks():
    shares = _shares().assign(share=[0.004, 0.011, 0.016] * 2, ci_high=0.02, ci_low=0.001)
    ticks = assert_reads_right(charts.share_figure(shares).to_dict()["layout"]["yaxis"], 0.016)
    assert ticks == ["0.0%", "0.5%", "1.0%", "1.5%", "2.0%"]


def test_share_figure_of_a_single_point_keeps_it_inside_the_axes():
    shares = _sparse_shares(["2026-10-05"], [0.25], [0.5])
    layout = charts.share_figure(shares).to_dict()["layout"]
    assert_reads_right(layout["yaxis"], 0.25)
    low, high = pd.to_datetime(layout["xaxis"]["range"])
    assert low < pd.Timestamp("2026-10-05") < high
    assert list(layout["xaxis"]["ticktext"]) == ["5 Oct<br>2026"]


def test_share_figure_over_a_chosen_period_with_the_level_before():
    span = (pd.Timestamp("2026-07-08"), pd.Timestamp("2026-10-05"))
    weeks = [f"{d:%Y-%m-%d}" for d in pd.date_range("2026-07-06", "2026-10-05", freq="W-MON")]
    shares = _sparse_shares(weeks, [0.01] * (len(weeks) - 1) + [0.04], [0.8] * len(weeks))
    fig = charts.share_figure(shares, span=span, reference=0.005, labels={"before": "Sebelumnya"})
    layout = fig.to_dict()["layout"]
    low, high = pd.to_datetime(layout["xaxis"]["range"])
    assert pd.Timestamp("2026-07-01") <= low <= span[0] and span[1] <= high
    assert high <= pd.Timestamp("2026-10-09")
    assert assert_reads_right(layout["yaxis"], 0.04)[-1] == "4%"
    level = fig.data[-1]
    assert level.name == "Sebelumnya" and list(level.y) == [0.005, 0.005]
    assert [pd.Timestamp(x) for x in level.x] == [pd.Timestamp("2026-07-06"), span[1]]
    assert layout["showlegend"] is True


def _top(now: list[float], before: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "topic_label": [f"Topik {i}" for i in range(len(now))],
            "share_now": now,
            "share_before": before,
            "count_now": [int(1000 * s) for s in now],
        }
    )


def test_topic_bars_one_outlier_before_does_not_squeeze_the_bars():
    fig = charts.topic_bars_figure(_top([0.05, 0.04, 0.03], [0.03, 0.65, 0.02]))
    axis = fig.to_dict()["layout"]["xaxis"]
    ticks = assert_reads_right(axis, 0.05)
    assert axis["range"][1] < 0.1 and ticks == ["0%", "2%", "4%", "6%"]
    arrow = fig.data[2]
    assert arrow.meta == charts.REPEAT and list(arrow.y) == ["Topik 1"]
    assert list(arrow.x) == [axis["range"][1]] and list(arrow.text) == ["65%"]
    assert arrow.customdata[0][0] == 0.65  # the hover tells the true value


def test_topic_bars_keep_earlier_shares_near_the_bars_on_the_axis():
    fig = charts.topic_bars_figure(_top([0.05, 0.04], [0.07, 0.01]))
    assert len(fig.data) == 2
    assert_reads_right(fig.to_dict()["layout"]["xaxis"], 0.07)


def test_topic_bars_tiny_shares():
    axis = charts.topic_bars_figure(_top([0.003, 0.001], [0.002, 0.0])).to_dict()["layout"]
    assert assert_reads_right(axis["xaxis"], 0.003)[1] == "0.1%"


def test_bar_figure_tiny_shares_and_small_counts():
    shares = charts.bar_figure(pd.Series(["a", "b"]), pd.Series([0.012, 0.003]), percent=True)
    assert assert_reads_right(shares.to_dict()["layout"]["xaxis"], 0.012)[:2] == ["0.0%", "0.5%"]
    counts = charts.bar_figure(pd.Series(["a", "b"]), pd.Series([3, 1]))
    assert assert_reads_right(counts.to_dict()["layout"]["xaxis"], 3) == ["0", "1", "2", "3"]


def test_angles_figure_one_outlier_ratio_is_drawn_at_the_limit():
    angles = pd.DataFrame({"topic_label": ["a", "b", "c"], "lift": [500.0, 1.5, 0.0]})
    fig = charts.angles_figure(angles).to_dict()
    layout = fig["layout"]["xaxis"]
    assert list(layout["ticktext"]) == ["≤1/8", "1/4", "1/2", "1x", "2x", "4x", "≥8x"]
    # the bar cut at the axis's end still says its ratio
    assert list(fig["data"][0]["text"]) == ["", "1.5x", "500x"]


def test_ratio_text_in_both_languages():
    assert charts.ratio_text(33.4, ",") == "33x"
    assert charts.ratio_text(3.24, ",") == "3,2x"
    assert charts.ratio_text(3.24, ".") == "3.2x"
    assert charts.ratio_text(0.25, ",") == "1/4"
    assert charts.ratio_text(float("inf"), ",") == ""


def test_heatmap_colour_bar_counts_whole_articles():
    counts = pd.DataFrame(
        {"source": ["A"], "month": pd.to_datetime(["2026-10-01"]), "articles": [2]}
    )
    bar = charts.outlet_heatmap_figure(counts).to_dict()["data"][0]["colorbar"]
    assert (bar["dtick"], bar["tickformat"]) == (1, ",")


# -- the province map: share or count, bubbles for small provinces ------------------------------


def _map_values() -> pd.DataFrame:
    """Jakarta: most articles on a speck of land; Papua: few on a vast one."""
    return pd.DataFrame(
        {
            "feature": ["ID-JK", "ID-PA", "ID-YO", "ID-JB"],
            "name": ["DKI Jakarta", "Papua", "DI Yogyakarta", "Jawa Barat"],
            "articles": [370, 10, 40, 0],
            "total": [1000, 20, 100, 50],
            "share": [0.37, 0.5, 0.4, 0.0],
        }
    )


def test_province_map_draws_a_bubble_per_province_sized_by_its_figure():
    centres = places.map_centres()
    fig = charts.province_map_figure(_map_values(), places.map_shapes(), centres=centres)
    area, bubbles = fig.data
    assert bubbles.type == "scattermap" and bubbles.meta == charts.REPEAT
    names = [row[0] for row in bubbles.customdata]
    assert [row[3] for row in bubbles.customdata] == ["ID-JK", "ID-PA", "ID-YO"]  # for a click
    assert names == ["DKI Jakarta", "Papua", "DI Yogyakarta"]  # none for no articles
    sizes = dict(zip(names, bubbles.marker.size, strict=True))
    assert sizes["DKI Jakarta"] == charts.BUBBLE_MAX
    assert sizes["DKI Jakarta"] ** 2 / sizes["Papua"] ** 2 == pytest.approx(37)
    jakarta = centres.set_index("feature").loc["ID-JK"]
    assert -6.4 < jakarta["lat"] < -6.0 and 106.6 < jakarta["lon"] < 107.0
    yogya = centres.set_index("feature").loc["ID-YO"]
    assert -8.2 < yogya["lat"] < -7.6 and 110.0 < yogya["lon"] < 110.9
    assert list(area.z) == [370, 10, 40, 0]


def test_province_map_by_share_of_the_province_coverage():
    fig = charts.province_map_figure(
        _map_values(), places.map_shapes(), centres=places.map_centres(), measure="share"
    )
    layout = fig.to_dict()["layout"]
    assert list(fig.data[0].z) == [0.37, 0.5, 0.4, 0.0]
    sizes = dict(zip([r[0] for r in fig.data[1].customdata], fig.data[1].marker.size, strict=True))
    assert sizes["Papua"] == charts.BUBBLE_MAX  # the highest share, not the most articles
    bar = layout["coloraxis"]["colorbar"]
    ticks = value_ticks({"range": [0, 0.5], "tick0": 0, "dtick": bar["dtick"],
                         "tickformat": bar["tickformat"]})  # fmt: skip
    assert len(set(ticks)) == len(ticks) >= 3
    with pytest.raises(ValueError, match="measure"):
        charts.province_map_figure(_map_values(), places.map_shapes(), measure="ratio")


def test_placed_counts_and_sentence_say_how_many_articles_have_a_place():
    cube = pd.DataFrame(
        {
            "day": pd.to_datetime(["2026-09-01", "2026-10-01", "2026-10-02", "2026-10-03"]),
            "province_code": ["31", "31", None, "34"],
            "regency_code": [None, None, None, None],
            "source": ["a", "a", "b", "a"],
            "language": ["id"] * 4,
            "topic_id": [1, 1, 2, 1],
            "articles": [500, 37, 60, 3],
            "stories": [500.0, 37.0, 60.0, 3.0],
        }
    )
    filters = Filters(pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-31"), province_code="31")
    assert places.placed_counts(cube, filters) == (40, 100)
    assert places.placed_sentence(40, 100, "id").startswith(
        "40% artikel punya lokasi (40 dari 100)"
    )
    assert places.placed_sentence(3, 1000, "en").startswith("0.3% of articles have a place")
    assert places.placed_sentence(3, 1000, "id").startswith("0,3% artikel")
    assert places.placed_sentence(2393, 2400, "id").startswith("99,7% artikel")  # not 100%
    assert places.placed_sentence(5, 5, "en").startswith("100% of articles")


# -- every chart's data as a table ---------------------------------------------------------------


def _points(trace) -> list[tuple]:
    """(x, y) of each point a trace draws, dates as ISO days."""
    return list(zip(charts._cells(trace.x), list(trace.y), strict=True))


def csv_of(fig) -> pd.DataFrame:
    """The chart's CSV as the dashboard offers it, read back."""
    return pd.read_csv(io.BytesIO(csv_bytes(charts.chart_table(fig))), keep_default_na=False)


def test_volume_csv_equals_its_bars():
    fig = charts.volume_figure(_volume(), labels={"articles": "Artikel"})
    table = csv_of(fig)
    assert list(table.columns) == ["series", "x", "y"]
    expected = [(t.name, x, y) for t in fig.data for x, y in _points(t)]
    assert list(table.itertuples(index=False, name=None)) == expected


def test_share_csv_equals_its_lines_and_bands():
    fig = charts.share_figure(_shares(), reference=0.3)
    table = csv_of(fig)
    lines = [t for t in fig.data if t.meta not in (charts.BAND, charts.REPEAT)]
    assert [(r.series, r.x, r.y) for r in table.itertuples()] == [
        (t.name, x, y) for t in lines for x, y in _points(t)
    ]
    banjir = table.loc[table["series"] == "Banjir"]
    assert pd.to_numeric(banjir["low"]).tolist() == [0.05, 0.1, 0.2]
    assert pd.to_numeric(banjir["high"]).tolist() == [0.2, 0.3, 0.4]
    assert table.loc[table["series"] == "Period before", "low"].tolist() == ["", ""]


def test_share_csv_keeps_the_range_of_periods_drawn_without_a_band():
    shares = _weeks([5, 2, 60], [500, 30, 600])
    table = csv_of(charts.share_figure(shares))
    assert table["low"].tolist() == shares["ci_low"].tolist()
    assert table["high"].tolist() == shares["ci_high"].tolist()
    hidden = csv_of(charts.share_figure(shares, band=False))
    assert hidden[["low", "high"]].equals(table[["low", "high"]])


def test_topic_bars_csv_holds_true_values_not_the_outlier_arrow():
    fig = charts.topic_bars_figure(_top([0.05, 0.04], [0.65, 0.03]))
    table = csv_of(fig)
    assert len(table) == 4 and sorted(table["series"].unique()) == ["Period before", "This period"]
    before = table.loc[table["series"] == "Period before"].set_index("y")["x"]
    assert before["Topik 0"] == 0.65


def test_map_csv_holds_each_province_once_and_no_bubbles():
    fig = charts.province_map_figure(
        _map_values(), places.map_shapes(), centres=places.map_centres()
    )
    table = csv_of(fig)
    assert list(table.columns) == ["series", "location", "name", "z"]
    assert set(table["series"]) == {"Articles"}
    assert table[["location", "name", "z"]].values.tolist() == [
        list(row) for row in _map_values()[["feature", "name", "articles"]].values.tolist()
    ]


def test_heatmap_and_doc_map_csv_equal_their_traces():
    counts = pd.DataFrame(
        {
            "source": ["A", "A", "=B"],
            "month": pd.to_datetime(["2026-09-01", "2026-10-01", "2026-10-01"]),
            "articles": [3, 4, 5],
        }
    )
    table = csv_of(charts.outlet_heatmap_figure(counts))
    assert table[["x", "y", "z"]].values.tolist() == [
        ["Sep 2026", "A", 3], ["Oct 2026", "A", 4], ["Sep 2026", "'=B", 0], ["Oct 2026", "'=B", 5]
    ]  # fmt: skip
    points = pd.DataFrame(
        {"x": [0.5, 1.0], "y": [2.0, 3.0], "group": ["Lain", "Banjir"], "title": ["a", "b"],
         "topic": ["t", "u"]}
    )  # fmt: skip
    fig = charts.doc_map_figure(points, labels={"other": "Lain"})
    assert csv_of(fig).values.tolist() == [["Lain", 0.5, 2.0], ["Banjir", 1.0, 3.0]]


def test_csv_defuses_formula_names():
    fig = charts.bar_figure(pd.Series(["=HYPERLINK(1)", "b"]), pd.Series([2, 1]), axis_title="-1")
    assert csv_of(fig).values.tolist() == [["'-1", 1, "b"], ["'-1", 2, "'=HYPERLINK(1)"]]


def test_empty_figure_has_an_empty_table():
    assert list(charts.chart_table(go.Figure()).columns) == ["series", "x", "y"]


def test_charts_write_numbers_as_the_language_does():
    ids = charts.volume_figure(_volume(), labels={"separators": ",."}).to_dict()["layout"]
    assert ids["separators"] == ",."
    assert charts.share_figure(_shares()).to_dict()["layout"]["separators"] == ".,"


def test_share_figure_without_band_for_slides():
    fig = charts.share_figure(_shares(), band=False, reference=0.1)
    assert [t.meta for t in fig.data] == [charts.REPEAT, charts.INTERVAL] * 2 + [None]


def test_volume_figure_of_a_single_period_draws_a_visible_bar():
    one = _volume().head(1).assign(low_volume=False, partial=False)
    span = (pd.Timestamp("2026-10-05"), pd.Timestamp("2026-10-11"))
    fig = charts.volume_figure(one, span=span)
    low, high = pd.to_datetime(fig.to_dict()["layout"]["xaxis"]["range"])
    width = pd.Timedelta(milliseconds=fig.data[0].width)
    assert width == charts.BAR_FILL * pd.Timedelta(days=7)
    assert width / (high - low) > 0.4  # a bar, not a hairline
    weekly = charts.volume_figure(_volume())
    assert pd.Timedelta(milliseconds=weekly.data[0].width) == charts.BAR_FILL * pd.Timedelta(days=7)


def test_map_shapes_are_simplified_within_their_tolerance_and_keep_every_province():
    raw, lean = province_shapes_of(places.province_shapes()), places.map_shapes()
    assert [f["id"] for f in lean["features"]] == [f["properties"]["iso_3166_2"] for f in raw]
    points = sum(len(ring) for f in lean["features"] for ring in rings_of(f["geometry"]))
    assert points < 0.3 * sum(len(ring) for f in raw for ring in rings_of(f["geometry"]))
    for feature in lean["features"]:
        for ring in rings_of(feature["geometry"]):
            assert len(ring) >= 4 and ring[0] == ring[-1]


def test_douglas_peucker_drops_only_points_nearer_than_the_tolerance():
    straight = np.array([[0.0, 0.0], [1.0, 0.01], [2.0, -0.01], [3.0, 0.0], [4.0, 0.0]])
    assert places.kept_points(straight, 0.05).tolist() == [True, False, False, False, True]
    walk = np.cumsum(np.random.default_rng(0).normal(size=(500, 2)), axis=0)
    keep = places.kept_points(walk, 0.5)
    assert 2 < keep.sum() < len(walk)
    kept = np.flatnonzero(keep)
    for left, right in zip(kept[:-1], kept[1:], strict=True):
        start, direction = walk[left], walk[right] - walk[left]
        inner = walk[left + 1 : right] - start
        cross = np.abs(direction[0] * inner[:, 1] - direction[1] * inner[:, 0])
        assert (cross / np.hypot(*direction) <= 0.5 + 1e-9).all()


def province_shapes_of(shapes: dict) -> list[dict]:
    """The features of a GeoJSON collection."""
    return shapes["features"]


def rings_of(geometry: dict) -> list[list]:
    """Every ring of a Polygon or MultiPolygon."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return [ring for polygon in polygons for ring in polygon]
