"""The analysis layer finds what the synthetic sample planted, given the sample's true themes."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from analysis.trends.angles import region_angles
from analysis.trends.cube import coverage_cube
from analysis.trends.emerging import emerging_topics
from data.sample import PLANTED, labelled_frames

THEMES = sorted(PLANTED.themes)
ID = {theme: i for i, theme in enumerate(THEMES)}


@pytest.fixture(scope="module")
def cube() -> pd.DataFrame:
    rows = pd.concat(labelled_frames(n_articles=12_000, seed=3))
    rows = rows[rows["truth_kind"].eq("original") & rows["truth_theme"].isin(ID)]
    return coverage_cube(
        pd.DataFrame(
            {
                "published_at": pd.to_datetime(rows["truth_published_at"], utc=True),
                "title": rows["title"].fillna(""),
                "topic_id": rows["truth_theme"].map(ID),
                "province_code": rows["truth_province_code"],
                "regency_code": rows["truth_regency_code"],
                "source": rows["source"],
                "language": rows["truth_language"],
            }
        )
    )


def _top(cube: pd.DataFrame, as_of, window: str, baseline: str) -> pd.Series:
    return emerging_topics(cube, pd.Timestamp(as_of), window, baseline).iloc[0]


def test_the_planted_burst_is_the_top_rising_topic_in_its_window(cube):
    top = _top(cube, PLANTED.burst.end, "21D", "56D")
    assert (top["topic_id"], top["status"]) == (ID[PLANTED.burst.theme], "rising")


def test_the_new_theme_is_new(cube):
    ranked = emerging_topics(
        cube, pd.Timestamp(PLANTED.new_theme_first + timedelta(days=27)), "28D", "84D"
    )
    row = ranked.set_index("topic_id").loc[ID[PLANTED.new_theme]]
    assert row["status"] == "new"


def test_floods_rise_in_the_rainy_months_and_fade_after(cube):
    year = PLANTED.end.year - 1
    rising = emerging_topics(cube, pd.Timestamp(f"{year}-12-15"), "45D", "90D").set_index(
        "topic_id"
    )
    fading = emerging_topics(cube, pd.Timestamp(f"{year + 1}-06-15"), "45D", "90D").set_index(
        "topic_id"
    )
    flood = ID[PLANTED.seasonal_theme]
    assert rising.loc[flood, "status"] == "rising"
    assert fading.loc[flood, "status"] == "fading"


@pytest.mark.parametrize("province, theme", sorted(PLANTED.specialities.items()))
def test_each_regional_speciality_is_its_regions_top_angle(cube, province, theme):
    angles = region_angles(cube, province).sort_values("z", ascending=False)
    assert angles.iloc[0]["topic_id"] == ID[theme]
