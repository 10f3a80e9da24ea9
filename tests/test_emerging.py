"""Emerging and fading topics: effect, tests, status, ranking by diversity, explanations."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.trends.cube import coverage_cube
from analysis.trends.emerging import emerging_topics
from tests.trend_fixtures import articles, repeat

OUTLETS = [f"Media {i}" for i in range(10)]
PROVINCES = ["11", "12", "13", "14", "15", "16", "17", "18", "19", "21"]
AS_OF = "2024-03-31 20:00"  # window 25-31 March, baseline 26 February - 24 March


def _published(topic: int, days: list[str], outlets: list[int], title: str | None = None) -> list:
    """One article per day and outlet index, placed in that outlet's province."""
    extra = {"title": title} if title else {}
    return [
        {
            "wib": f"{day} 10:00",
            "topic_id": topic,
            "source": OUTLETS[o],
            "province_code": PROVINCES[o],
            "regency_code": None,
            **extra,
        }
        for day in days
        for o in outlets
    ]


def _corpus() -> pd.DataFrame:
    """A steady topic 1 in ten outlets, and bursts of topics 2-6 in the last week."""
    every_day = [str(d.date()) for d in pd.date_range("2024-02-26", "2024-03-31")]
    before = ["2024-03-01", "2024-03-08"]
    burst = ["2024-03-26", "2024-03-28"]
    return articles(
        _published(1, every_day, list(range(10)))
        # topic 2: 20 different stories from 10 outlets
        + _published(2, before, [0, 1])
        + _published(2, burst, list(range(10)))
        # topic 3: 12 stories, all from one outlet (a larger rise than topic 2)
        + _published(3, before[:1], [2])
        + _published(3, [f"2024-03-{d}" for d in range(25, 31)], [0, 0])
        # topic 4: 20 articles from 10 outlets, but copies of two stories
        + _published(4, before, [4, 5])
        + _published(4, burst[:1], list(range(10)), title="Salinan pertama")
        + _published(4, burst[1:], list(range(10)), title="Salinan kedua")
        # topic 5: first seen in the window, 6 articles; topic 6: first seen too, only 2
        + _published(5, ["2024-03-29", "2024-03-30"], [1, 2, 3])
        + _published(6, ["2024-03-29"], [1, 2])
    )


def test_ranking_puts_diverse_bursts_above_one_outlet_and_syndicated_ones():
    table = emerging_topics(_corpus(), AS_OF)
    assert table["topic_id"].tolist() == [2, 5, 4, 3, 6, 1]
    assert table["status"].tolist() == ["rising", "new", "rising", "rising", "steady", "fading"]
    by_topic = table.set_index("topic_id")
    # same counts and effect for 2 and 4: the copies are what ranks 4 lower
    assert by_topic.loc[2, "effect"] == pytest.approx(by_topic.loc[4, "effect"])
    assert by_topic.loc[4, "stories"] == pytest.approx(2.0)
    # topic 3 rose more, from a single outlet
    assert by_topic.loc[3, "effect"] > by_topic.loc[2, "effect"]
    assert by_topic.loc[3, "effective_outlets"] == pytest.approx(1.0)
    assert by_topic.loc[2, "score"] > by_topic.loc[4, "score"] > by_topic.loc[3, "score"] > 0


def test_counts_effect_and_explanations():
    table = emerging_topics(_corpus(), AS_OF).set_index("topic_id")
    window_total, baseline_total = 70 + 20 + 12 + 20 + 6 + 2, 280 + 9
    assert table.loc[2, "effect"] == pytest.approx(
        (20.5 / (window_total + 0.5)) / (4.5 / (baseline_total + 0.5))
    )
    assert table.loc[2, ["articles", "baseline_articles", "outlets", "provinces"]].tolist() == [
        20,
        4,
        10,
        10,
    ]
    assert table.loc[2, "explanation_en"] == (
        "10x its usual share, 20 articles from 10 outlets in 10 provinces"
    )
    assert table.loc[2, "explanation_id"] == (
        "10x dari porsi biasanya, 20 artikel dari 10 media di 10 provinsi"
    )
    assert table.loc[3, "explanation_en"] == (
        "18x its usual share, 12 articles from 1 outlet in 1 province"
    )
    assert table.loc[4, "explanation_en"].endswith("; mostly copies of about 2 stories")
    assert table.loc[4, "explanation_id"].endswith("; sebagian besar salinan dari sekitar 2 berita")
    assert table.loc[5, "explanation_en"] == "new, 6 articles from 3 outlets in 3 provinces"
    assert table.loc[5, "explanation_id"] == "baru, 6 artikel dari 3 media di 3 provinsi"
    assert pd.isna(table.loc[6, "p_value"])  # 2 articles: below the minimum support
    # steady at 11x: the explanation must not read as a rise
    assert table.loc[6, "explanation_en"] == (
        "11x its usual share, 2 articles from 2 outlets in 2 provinces; not statistically significant"
    )
    assert table.loc[6, "explanation_id"].endswith("2 provinsi; belum bermakna secara statistik")
    assert "significant" not in table.loc[1, "explanation_en"]  # fading: it is significant


def test_binomial_p_values_and_bh_adjustment_by_hand():
    frame = articles(
        repeat(1, wib="2024-03-01 10:00", topic_id=1)  # seen before: not new
        + repeat(6, wib="2024-03-02 10:00", topic_id=2)  # baseline day
        + repeat(5, wib="2024-03-03 10:00", topic_id=1)  # window day
        + repeat(1, wib="2024-03-03 11:00", topic_id=2)
    )
    table = emerging_topics(frame, "2024-03-03 23:00", window="1D", baseline="1D")
    by_topic = table.set_index("topic_id")
    # equal totals (6 and 6): topic 1 is 5 of 5 -> 2 * 0.5**5; topic 2 is 1 of 7 -> 2 * 8/128
    assert by_topic["p_value"].tolist() == pytest.approx([0.0625, 0.125])
    assert by_topic["p_adjusted"].tolist() == pytest.approx([0.125, 0.125])
    assert by_topic["effect"].tolist() == pytest.approx([5.5 / 0.5, (1.5 / 6.5) / (6.5 / 6.5)])
    assert by_topic["status"].tolist() == ["steady", "steady"]
    assert by_topic.loc[1, "explanation_en"] == (
        "11x its usual share, 5 articles from 1 outlet in 1 province; not statistically significant"
    )


def test_one_outlet_supplying_most_of_a_burst_is_named():
    frame = articles(
        repeat(4, wib="2024-03-01 10:00", topic_id=2)
        + repeat(8, wib="2024-03-03 10:00", topic_id=1)
        + repeat(2, wib="2024-03-03 10:00", topic_id=1, source="Warta Kota")
    )
    table = emerging_topics(frame, "2024-03-03 23:00", window="1D", baseline="2D")
    assert table.loc[0, "explanation_en"].endswith("; 80% from Kabar Serang")
    assert table.loc[0, "explanation_id"].endswith("; 80% dari Kabar Serang")
    assert table.loc[0, "effective_outlets"] == pytest.approx(1 / (0.8**2 + 0.2**2))


def test_a_cube_and_its_articles_give_the_same_table_and_filters_apply():
    frame = _corpus()
    from_articles = emerging_topics(frame, AS_OF)
    from_cube = emerging_topics(coverage_cube(frame), AS_OF)
    pd.testing.assert_frame_equal(from_articles, from_cube)
    one_province = emerging_topics(frame, AS_OF, province_code="11").set_index("topic_id")
    assert one_province.loc[3, "articles"] == 12
    assert one_province.loc[3, "provinces"] == 1
    assert 2 in one_province.index and one_province.loc[2, "articles"] == 2


def test_labels_come_from_the_topics_table():
    topics = pd.DataFrame({"topic_id": [2], "label": ["Banjir rob"]})
    table = emerging_topics(_corpus(), AS_OF, topics=topics).set_index("topic_id")
    assert table.loc[2, "topic_label"] == "Banjir rob"
    assert table.loc[3, "topic_label"] == "topic 3"


@pytest.mark.parametrize("window", ["12h", "0D", "1.5D"])
def test_windows_must_be_whole_days(window):
    with pytest.raises(ValueError, match="whole days"):
        emerging_topics(_corpus(), AS_OF, window=window)


def test_without_a_baseline_there_is_no_effect_to_claim():
    # the corpus starts on 26 February: a window ending on 3 March has nothing before it
    table = emerging_topics(_corpus(), "2024-03-03 20:00")
    assert table["effect"].isna().all() and table["p_value"].isna().all()
    assert table.set_index("topic_id").loc[2, "explanation_en"] == (
        "no earlier share to compare, 2 articles from 2 outlets in 2 provinces"
    )
    assert table.set_index("topic_id").loc[2, "explanation_id"] == (
        "tanpa porsi pembanding, 2 artikel dari 2 media di 2 provinsi"
    )


def test_no_articles_under_the_filters_give_an_empty_table():
    table = emerging_topics(_corpus(), AS_OF, province_code="99")
    assert table.empty and "explanation_en" in table.columns
