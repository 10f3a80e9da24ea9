"""Share of coverage over time: counts, totals under filters, Wilson bounds, gap and partial flags."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.trends.cube import coverage_cube, filter_cube
from analysis.trends.keywords import keyword_cube
from analysis.trends.share import few_articles, keyword_share, period_volume, topic_share
from tests.trend_fixtures import articles, repeat

LATER = "2024-06-01"


def _two_weeks() -> pd.DataFrame:
    """Banten and Jakarta articles over the weeks of 4 and 11 March 2024."""
    return articles(
        repeat(3, wib="2024-03-04 09:00", topic_id=1)
        + repeat(1, wib="2024-03-05 09:00", topic_id=2)
        + repeat(1, wib="2024-03-10 23:30", topic_id=-1)  # Sunday night, still week 1 in WIB
        + repeat(4, wib="2024-03-06 09:00", topic_id=1, province_code="31", source="Warta Kota")
        + repeat(1, wib="2024-03-11 00:30", topic_id=1)  # Sunday 17:30 UTC, Monday in WIB
        + repeat(4, wib="2024-03-12 09:00", topic_id=2)
    )


def _weekly(totals: list[int]) -> pd.DataFrame:
    """One Wednesday batch of topic-1 articles per week from 4 March 2024, given sizes."""
    rows = []
    for week, n in enumerate(totals):
        day = pd.Timestamp("2024-03-06 10:00") + pd.Timedelta(weeks=week)
        rows += repeat(n, wib=str(day))
    return articles(rows)


def test_cube_counts_by_wib_day_and_keeps_story_weights():
    frame = articles(
        repeat(2, wib="2024-03-04 09:00", title="Banjir Rob!")
        + repeat(1, wib="2024-03-05 09:00", title="banjir  rob")
        + repeat(1, wib="2024-03-05 09:00", title="Lain")
    )
    cube = coverage_cube(frame)
    assert cube["day"].astype(str).tolist() == ["2024-03-04", "2024-03-05"]
    assert cube["articles"].tolist() == [2, 2]
    # three copies of one normalised title in one week count as one story
    assert cube["stories"].tolist() == pytest.approx([2 / 3, 1 / 3 + 1])
    assert str(cube["source"].dtype) == "category"


def test_topic_share_counts_totals_and_wilson_bounds_under_a_province_filter():
    table = topic_share(coverage_cube(_two_weeks()), [1, 2], "W", as_of=LATER, province_code="36")
    assert table["period"].astype(str).tolist() == ["2024-03-04"] * 2 + ["2024-03-11"] * 2
    assert table["topic_id"].tolist() == [1, 2, 1, 2]
    assert table["count"].tolist() == [3, 1, 1, 4]
    assert table["total"].tolist() == [5, 5, 5, 5]  # Jakarta left out, unassigned kept
    assert table["share"].tolist() == pytest.approx([0.6, 0.2, 0.2, 0.8])
    assert table.loc[0, "ci_low"] == pytest.approx(0.23072, abs=1e-5)  # Wilson 3/5
    assert table.loc[0, "ci_high"] == pytest.approx(0.88238, abs=1e-5)
    assert not table["low_volume"].any() and not table["partial"].any()


def test_topic_share_without_filters_counts_every_outlet_and_defaults_to_all_topics():
    table = topic_share(coverage_cube(_two_weeks()), freq="W", as_of=LATER)
    first_week = table.loc[table["period"] == pd.Timestamp("2024-03-04")]
    assert first_week["topic_id"].tolist() == [1, 2]
    assert first_week["count"].tolist() == [7, 1]
    assert first_week["total"].tolist() == [9, 9]


def test_topic_share_by_month_and_by_day():
    cube = coverage_cube(_two_weeks())
    monthly = topic_share(cube, [2], "M", as_of=LATER)
    assert monthly[["count", "total"]].to_numpy().tolist() == [[5, 14]]
    assert monthly["period"].astype(str).tolist() == ["2024-03-01"]
    daily = topic_share(cube, [1], "D", start="2024-03-10", end="2024-03-11", as_of=LATER)
    assert daily["count"].tolist() == [0, 1]
    assert daily["total"].tolist() == [1, 1]


def test_a_range_that_cuts_a_week_counts_only_its_days_and_marks_it_partial():
    cube = coverage_cube(_two_weeks())
    table = topic_share(cube, [2], "W", start="2024-03-12", end="2024-03-12", as_of=LATER)
    assert table["period"].astype(str).tolist() == ["2024-03-11"]
    assert table[["count", "total", "partial"]].to_numpy().tolist() == [[4, 4, True]]
    whole = topic_share(cube, [2], "W", start="2024-03-11", end="2024-03-17", as_of=LATER)
    assert whole[["count", "total", "partial"]].to_numpy().tolist() == [[4, 5, False]]
    # the bars add up to the period's articles: 3 days of week 1 and 2 of week 2
    both = period_volume(cube, "W", start="2024-03-08", end="2024-03-12", as_of=LATER)
    assert both[["total", "partial"]].to_numpy().tolist() == [[1, True], [5, True]]


def test_a_week_far_below_its_neighbours_is_flagged_low_volume():
    table = topic_share(coverage_cube(_weekly([10, 10, 10, 2, 10, 10, 10])), [1], "W", as_of=LATER)
    assert table["low_volume"].tolist() == [False, False, False, True, False, False, False]
    assert table["total"].tolist() == [10, 10, 10, 2, 10, 10, 10]


def test_an_empty_week_inside_the_range_is_kept_with_zero_total_and_flagged():
    table = topic_share(coverage_cube(_weekly([10, 10, 0, 10, 10])), [1], "W", as_of=LATER)
    assert table["total"].tolist() == [10, 10, 0, 10, 10]
    assert table["low_volume"].tolist() == [False, False, True, False, False]
    assert pd.isna(table.loc[2, "share"]) and pd.isna(table.loc[2, "ci_low"])


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2024-03-13 12:00", [False, True]),  # the week of 11 March is still open
        ("2024-03-18 00:00", [False, False]),  # it closed at midnight WIB
        (pd.Timestamp("2024-03-17 17:00", tz="UTC"), [False, False]),  # = 18 March 00:00 WIB
        (pd.Timestamp("2024-03-17 16:59", tz="UTC"), [False, True]),  # = 17 March 23:59 WIB
    ],
)
def test_the_period_still_open_at_as_of_is_partial(as_of, expected):
    table = topic_share(coverage_cube(_two_weeks()), [1], "W", as_of=as_of)
    assert table["partial"].tolist() == expected


def test_a_partial_period_is_never_called_low_volume():
    volume = period_volume(coverage_cube(_weekly([10, 10, 10, 1])), "W", as_of="2024-03-27 12:00")
    assert volume["partial"].tolist() == [False, False, False, True]
    assert volume["low_volume"].tolist() == [False, False, False, False]


def test_keyword_share_uses_the_same_totals_as_topics():
    frame = articles(
        repeat(2, wib="2024-03-04 09:00", text="Warga kebanjiran lagi")
        + repeat(1, wib="2024-03-05 09:00", text="Jalan dibanjiri air")
        + repeat(7, wib="2024-03-05 09:00", text="Harga cabai naik")
    )
    cube = coverage_cube(frame)
    table = keyword_share(cube, keyword_cube(frame, "banjir"), "banjir", "W", as_of=LATER)
    assert table.columns.tolist()[:2] == ["period", "query"]
    assert table[["query", "count", "total"]].to_numpy().tolist() == [["banjir", 3, 10]]
    assert table["share"].tolist() == pytest.approx([0.3])
    topics = topic_share(cube, [1], "W", as_of=LATER)
    assert topics["total"].tolist() == table["total"].tolist()


def test_no_matching_rows_give_an_empty_table():
    table = topic_share(coverage_cube(_two_weeks()), [1], "W", as_of=LATER, province_code="99")
    assert table.empty
    assert table.columns.tolist() == [
        "period",
        "topic_id",
        "count",
        "total",
        "share",
        "ci_low",
        "ci_high",
        "low_volume",
        "partial",
    ]


def test_filters_accept_lists_and_the_cube_is_not_changed():
    cube = coverage_cube(_two_weeks())
    before = cube.copy()
    rows = filter_cube(cube, "2024-03-04", "2024-03-10", province_code=["36", "31"])
    assert int(rows["articles"].sum()) == 9
    topic_share(cube, [1], "W", as_of=LATER, source=["Warta Kota"])
    pd.testing.assert_frame_equal(cube, before)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"freq": "Q"}, "freq must be one of D, W, M"),
        ({"city": "Serang"}, "unknown filter"),
    ],
)
def test_bad_arguments_say_what_is_wrong(kwargs, message):
    with pytest.raises(ValueError, match=message):
        topic_share(coverage_cube(_two_weeks()), [1], as_of=LATER, **kwargs)


def test_a_cube_read_back_from_parquet_gives_the_same_shares(tmp_path):
    cube = coverage_cube(_two_weeks())
    cube.to_parquet(tmp_path / "coverage.parquet")
    stored = pd.read_parquet(tmp_path / "coverage.parquet")
    assert str(stored["source"].dtype) == "category"
    pd.testing.assert_frame_equal(
        topic_share(stored, [1, 2], "W", as_of=LATER, province_code="36"),
        topic_share(cube, [1, 2], "W", as_of=LATER, province_code="36"),
    )


def test_the_gap_flag_looks_at_neighbours_outside_the_requested_span():
    cube = coverage_cube(_weekly([10, 10, 10, 2, 10, 10, 10]))
    table = topic_share(cube, [1], "W", start="2024-03-25", end="2024-03-31", as_of=LATER)
    assert table[["total", "low_volume"]].to_numpy().tolist() == [[2, True]]
    # a week the range cuts is partial, and a partial week is never called a gap
    cut = topic_share(cube, [1], "W", start="2024-03-27", end="2024-03-27", as_of=LATER)
    assert cut[["total", "low_volume", "partial"]].to_numpy().tolist() == [[2, False, True]]


def test_weeks_of_fewer_than_a_hundred_articles_have_few_and_empty_weeks_have_none():
    table = topic_share(coverage_cube(_weekly([150, 99, 100, 0, 1])), [1], "W", as_of=LATER)
    assert table["total"].tolist() == [150, 99, 100, 0, 1]
    assert few_articles(table["total"]).tolist() == [False, True, False, False, True]
    assert few_articles(table["total"], least=150).tolist() == [False, True, True, False, True]
