"""Distinctive words between two sets of texts, and a topic's words gained or lost."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.trends.words import distinctive_words, words_gained_lost

NOW = pd.Series(["Banjir banjir rob di 2024", "banjir yang jalan", None])
BEFORE = pd.Series(["jalan macet", "jalan rusak macet"])


def test_counts_unigrams_and_bigrams_without_stop_words_or_numbers():
    table = distinctive_words(NOW, BEFORE, top=20).set_index("term")
    assert table.loc["banjir", ["count_now", "count_before"]].tolist() == [3, 0]
    assert table.loc["jalan", ["count_now", "count_before"]].tolist() == [1, 2]
    assert table.loc["banjir banjir", "count_now"] == 1
    assert table.loc["jalan macet", "count_before"] == 1
    # stop words and numbers are dropped, and no bigram spans the gap they leave
    assert not {"di", "yang", "2024", "rob 2024", "banjir jalan"} & set(table.index)
    assert len(table) == 10


def test_log_odds_and_z_match_the_hand_computation():
    # 7 terms counted now, 8 before; a prior of 15 makes alpha the pooled count (banjir: 3):
    # log((3+3)/(7+15-3-3)) - log((0+3)/(8+15-0-3)) = log(2.5), variance 1/6 + 1/3
    table = distinctive_words(NOW, BEFORE, top=20, prior=15.0).set_index("term")
    assert table.loc["banjir", "log_odds"] == pytest.approx(math.log(2.5))
    assert table.loc["banjir", "z"] == pytest.approx(math.log(2.5) / math.sqrt(0.5))


def test_top_keeps_the_extremes_on_both_sides_ordered_by_z():
    table = distinctive_words(NOW, BEFORE, top=1)
    assert table["term"].tolist() == ["banjir", "macet"]  # macet: 0 now, 2 before
    assert table["z"].iloc[0] > 0 > table["z"].iloc[1]


def test_no_words_give_an_empty_table():
    table = distinctive_words(pd.Series(["yang di"]), pd.Series([], dtype=object))
    assert table.empty
    assert table.columns.tolist() == ["term", "count_now", "count_before", "log_odds", "z"]


def test_words_gained_lost_and_kept():
    words = pd.DataFrame(
        {
            "topic_id": [1, 1, 1, 1, 1, 2],
            "period": ["2024-W10"] * 2 + ["2024-W11"] * 3 + ["2024-W11"],
            "word": ["banjir", "pompa", "banjir", "tanggul", "rob", "pompa"],
            "weight": [0.5, 0.2, 0.3, 0.4, 0.1, 0.9],
        }
    )
    table = words_gained_lost(words, 1, "2024-W11", "2024-W10")
    assert table["word"].tolist() == ["tanggul", "rob", "banjir", "pompa"]
    assert table["status"].tolist() == ["gained", "gained", "kept", "lost"]
    assert table["change"].tolist() == pytest.approx([0.4, 0.1, -0.2, -0.2])


def test_words_gained_lost_needs_its_columns():
    with pytest.raises(ValueError, match="lack column"):
        words_gained_lost(pd.DataFrame({"word": ["x"]}), 1, "a", "b")
