"""Chart functions on tiny frames, checked through fig.to_dict()."""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import pytest

from analysis.dashboard import charts

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
            "count": [1, 2, 3, 4, 5, 6],
            "share": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
            "ci_low": [0.05, 0.1, 0.2, 0.3, 0.4, 0.5],
            "ci_high": [0.2, 0.3, 0.4, 0.5, 0.6, 0.7],
        }
    )


def test_volume_figure_separates_gaps_and_unfinished_periods():
    fig = charts.volume_figure(_volume(), labels={"articles": "Artikel"}).to_dict()
    names = [trace["name"] for trace in fig["data"]]
    assert names == ["Artikel", "Possible collection gap", "Period not over yet"]
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


def test_share_figure_draws_a_band_and_a_line_per_series():
    fig = charts.share_figure(_shares()).to_dict()
    kinds = [(t.get("fill"), t.get("mode")) for t in fig["data"]]
    assert kinds == [("toself", None), (None, "lines+markers")] * 2
    band, line = fig["data"][0], fig["data"][1]
    assert plain(band["y"]) == [0.2, 0.3, 0.4, 0.2, 0.1, 0.05]
    assert plain(line["y"]) == [0.1, 0.2, 0.3]
    assert line["name"] == "Banjir"
    assert list(line["customdata"][0]) == ["t1", "2026-10-05"]
    assert fig["data"][3]["line"]["color"] == charts.PALETTE[1]
    assert fig["layout"]["yaxis"]["tickformat"] == ".0%"
    small = _shares().assign(share=0.01, ci_low=0.005, ci_high=0.02)
    assert charts.share_figure(small).to_dict()["layout"]["yaxis"]["tickformat"] == ".1%"


def test_share_figure_by_count_has_no_band():
    fig = charts.share_figure(_shares(), measure="count").to_dict()
    assert [plain(t["y"]) for t in fig["data"]] == [[1, 2, 3], [4, 5, 6]]
    assert fig["layout"]["yaxis"]["tickformat"] == ","


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
