"""Story angles of regions and outlets: Fightin' Words log-odds, credibility and sentences."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.trends.angles import outlet_angles, region_angles
from analysis.trends.cube import coverage_cube
from tests.trend_fixtures import articles, repeat

DAY = "2024-03-04 09:00"
TOPICS = pd.DataFrame({"topic_id": [1, 2], "label": ["Banjir", "Pilkada"]})
JAKARTA = {"province_code": "31", "regency_code": "31.71", "source": "Warta Kota"}


def _small() -> pd.DataFrame:
    """Banten 3 x topic 1 and 1 x topic 2; Jakarta the other way round."""
    return coverage_cube(
        articles(
            repeat(3, wib=DAY, topic_id=1)
            + repeat(1, wib=DAY, topic_id=2)
            + repeat(1, wib=DAY, topic_id=1, **JAKARTA)
            + repeat(3, wib=DAY, topic_id=2, **JAKARTA)
        )
    )


def _larger() -> pd.DataFrame:
    """Banten: 30 flood, 10 election, 5 unassigned; elsewhere 20, 200 and 50 of topic 3."""
    return coverage_cube(
        articles(
            repeat(30, wib=DAY, topic_id=1)
            + repeat(10, wib=DAY, topic_id=2)
            + repeat(5, wib=DAY, topic_id=-1)
            + repeat(20, wib=DAY, topic_id=1, **JAKARTA)
            + repeat(200, wib=DAY, topic_id=2, **JAKARTA)
            + repeat(40, wib=DAY, topic_id=3, **JAKARTA)
            + repeat(10, wib=DAY, topic_id=3, province_code="32", regency_code=None)
        )
    )


def test_log_odds_and_z_match_the_hand_computation():
    # prior 2 spread like the pooled counts (4 and 4) gives alpha = 1 per topic:
    # log((3+1)/(4+2-3-1)) - log((1+1)/(4+2-1-1)) = 2 log 2, variance 1/4 + 1/2
    table = region_angles(_small(), province_code="36", prior=2.0, topics=TOPICS)
    assert table["topic_id"].tolist() == [1, 2]
    assert table["count_region"].tolist() == [3, 1]
    assert table["count_rest"].tolist() == [1, 3]
    assert table["share_region"].tolist() == pytest.approx([0.75, 0.25])
    assert table["share_rest"].tolist() == pytest.approx([0.25, 0.75])
    assert table["lift"].tolist() == pytest.approx([3.0, 1 / 3])
    assert table["log_odds"].tolist() == pytest.approx([2 * math.log(2), -2 * math.log(2)])
    z = 2 * math.log(2) / math.sqrt(0.75)
    assert table["z"].tolist() == pytest.approx([z, -z])
    assert table["credible"].tolist() == [False, False]  # |z| = 1.6 < 1.96


def test_sentences_in_both_languages():
    table = region_angles(_small(), province_code="36", prior=2.0, topics=TOPICS)
    assert table["explanation_en"].tolist() == [
        "Banten covers Banjir 3.0x more than the rest of the country (z=1.6)",
        "Banten covers Pilkada only 0.3x as much as the rest of the country (z=-1.6)",
    ]
    assert table["explanation_id"].tolist() == [
        "Banten memberitakan Banjir 3,0x lebih banyak daripada daerah lain (z=1,6)",
        "Banten memberitakan Pilkada hanya 0,3x dibanding daerah lain (z=-1,6)",
    ]


def test_credibility_needs_both_z_and_enough_articles():
    cube = _larger()
    table = region_angles(cube, province_code="36").set_index("topic_id")
    assert table.index.tolist() == [1, 3, 2]  # over-represented first, unassigned left out
    assert table.loc[1, "z"] > 1.96 and table.loc[2, "z"] < -1.96 and table.loc[3, "z"] < -1.96
    assert table["credible"].tolist() == [True, True, True]
    # topic 3 is absent from Banten; 50/270 of 45 articles would be 8.3 expected, under 10
    stricter = region_angles(cube, province_code="36", min_count=10).set_index("topic_id")
    assert stricter["credible"].to_dict() == {1: True, 3: False, 2: True}
    assert stricter.loc[3, "explanation_en"] == (
        f"Banten does not cover topic 3, unlike the rest of the country "
        f"(z={stricter.loc[3, 'z']:.1f})"
    )


def test_a_regency_is_named_and_compared_with_everything_else():
    table = region_angles(_small(), regency_code="36.73", prior=2.0)
    assert table["count_region"].tolist() == [3, 1]
    assert table["explanation_en"].iloc[0].startswith("Kota Serang covers topic 1 3.0x more")


def test_outlet_angles_use_outlet_columns_and_words():
    table = outlet_angles(_small(), "Warta Kota", prior=2.0, topics=TOPICS)
    assert table.columns.tolist()[:5] == [
        "topic_id",
        "count_outlet",
        "count_rest",
        "share_outlet",
        "share_rest",
    ]
    assert table["topic_id"].tolist() == [2, 1]
    assert table["explanation_en"].iloc[0] == (
        "Warta Kota covers Pilkada 3.0x more than other outlets (z=1.6)"
    )
    assert table["explanation_id"].iloc[0] == (
        "Warta Kota memberitakan Pilkada 3,0x lebih banyak daripada media lain (z=1,6)"
    )


def test_a_topic_only_the_group_covers_has_no_finite_lift():
    cube = coverage_cube(
        articles(repeat(5, wib=DAY, topic_id=1) + repeat(5, wib=DAY, topic_id=2, **JAKARTA))
    )
    table = region_angles(cube, province_code="31", topics=TOPICS).set_index("topic_id")
    assert math.isinf(table.loc[2, "lift"])
    assert table.loc[2, "explanation_en"].startswith(
        "only Daerah Khusus Ibukota Jakarta covers Pilkada, unlike the rest of the country"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "exactly one of"),
        ({"province_code": "36", "regency_code": "36.73"}, "exactly one of"),
        ({"province_code": "99"}, "no articles for 99"),
    ],
)
def test_bad_region_arguments_say_what_is_wrong(kwargs, message):
    with pytest.raises(ValueError, match=message):
        region_angles(_small(), **kwargs)


def test_an_unknown_outlet_is_a_clear_error():
    with pytest.raises(ValueError, match="no articles for Nowhere"):
        outlet_angles(_small(), "Nowhere")
