"""The weekly briefing: a period against the equal-length period before it."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.trends.cube import coverage_cube
from analysis.trends.summary import period_summary
from data.regions import regencies
from tests.trend_fixtures import articles, repeat

JAKARTA = {"province_code": "31", "regency_code": "31.71", "source": "Warta Kota"}
BANDUNG = {"province_code": "32", "regency_code": "32.73", "source": "Kabar Priangan"}


def _cube() -> pd.DataFrame:
    """Week of 1 March: Banten 4 x topic 1, Jakarta 2 x topic 2; week of 8 March: more."""
    return coverage_cube(
        articles(
            repeat(4, wib="2024-03-01 09:00", topic_id=1)
            + repeat(2, wib="2024-03-01 09:00", topic_id=2, **JAKARTA)
            + repeat(6, wib="2024-03-08 09:00", topic_id=1)
            + repeat(3, wib="2024-03-09 09:00", topic_id=3, **BANDUNG)
            + repeat(1, wib="2024-03-09 09:00", topic_id=-1)
            + repeat(1, wib="2024-03-10 09:00", topic_id=1, regency_code="36.04")
        )
    )


FIGURES = ["articles_now", "articles_before", "outlets_now", "provinces_now", "topics_now"]


def test_totals_topics_new_and_regions_against_the_week_before():
    summary = period_summary(_cube(), "2024-03-08", "2024-03-14")
    assert summary["totals"].iloc[0][FIGURES].tolist() == [11, 6, 2, 2, 2]
    # two articles a week are no evidence of a collection change: every outlet is comparable
    assert not summary["totals"].iloc[0]["collection_changed"]
    assert summary["totals"].iloc[0][["comparable_now", "comparable_before"]].tolist() == [11, 6]
    topics = summary["topics"]
    assert topics["topic_id"].tolist() == [1, 3, 2]
    assert topics["count_now"].tolist() == [7, 3, 0]
    assert topics["count_before"].tolist() == [4, 0, 2]
    assert topics["share_now"].tolist() == pytest.approx([7 / 11, 3 / 11, 0])
    assert topics["change"].tolist() == pytest.approx([7 / 11 - 4 / 6, 3 / 11, -2 / 6])
    assert topics["ratio"].iloc[0] == pytest.approx((7.5 / 11.5) / (4.5 / 6.5))
    assert summary["new"][["topic_id", "count_now"]].to_numpy().tolist() == [[3, 3]]
    regions = summary["regions"]
    assert regions["code"].tolist() == ["36", "32", "31"]  # largest change first: +4, +3, -2
    assert regions["name"].tolist()[:2] == ["Banten", "Jawa Barat"]
    assert regions["change"].tolist() == [4, 3, -2]
    assert regions["ratio"].tolist() == pytest.approx([8.5 / 4.5, 3.5 / 0.5, 0.5 / 2.5])


def test_regions_become_regencies_under_a_province_filter():
    summary = period_summary(_cube(), "2024-03-08", "2024-03-14", province_code="36")
    assert summary["totals"].iloc[0][FIGURES].tolist() == [8, 4, 1, 1, 1]
    regions = summary["regions"]
    assert regions["code"].tolist() == ["36.73", "36.04"]
    assert regions["name"].tolist() == ["Kota Serang", "Kabupaten Serang"]
    assert regions[["count_now", "count_before", "change"]].to_numpy().tolist() == [
        [7, 4, 3],
        [1, 0, 1],
    ]
    assert summary["new"].empty


def test_a_period_that_ends_before_it_starts_is_an_error():
    with pytest.raises(ValueError, match="ends before it starts"):
        period_summary(_cube(), "2024-03-08", "2024-03-01")


def test_a_province_briefing_on_a_stored_cube_with_hundreds_of_regencies(tmp_path):
    places = regencies()  # over 127 regencies: the categorical codes are int16
    rows = [
        {"wib": "2024-03-08 09:00", "province_code": p, "regency_code": r}
        for p, r in zip(places["province_code"], places["regency_code"], strict=True)
    ]
    coverage_cube(articles(rows)).to_parquet(tmp_path / "cube.parquet")
    cube = pd.read_parquet(tmp_path / "cube.parquet")
    summary = period_summary(cube, "2024-03-08", "2024-03-14", province_code="36")
    banten = sorted(places.loc[places["province_code"] == "36", "regency_code"])
    regions = summary["regions"]
    assert regions["code"].tolist() == banten
    assert regions[["count_now", "count_before", "change"]].to_numpy().tolist() == [[1, 0, 1]] * 8
    assert summary["totals"].iloc[0][FIGURES].tolist() == [8, 0, 1, 1, 1]
