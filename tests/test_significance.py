"""Statistical building blocks against hand-computed and textbook values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.trends.significance import (
    benjamini_hochberg,
    binomial_two_sided,
    inverse_simpson,
    log_odds_dirichlet,
    pooled_prior,
    wilson_interval,
)


def test_wilson_interval_matches_textbook_values():
    low, high = wilson_interval(np.array([3, 0, 3, 10]), np.array([10, 10, 5, 10]))
    # Wilson 95% intervals: 3/10 -> [0.1078, 0.6032], 0/10 -> [0, 0.2775], 3/5 -> [0.2307, 0.8824]
    assert low == pytest.approx([0.10779, 0.0, 0.23072, 0.72247], abs=1e-5)
    assert high == pytest.approx([0.60322, 0.27753, 0.88238, 1.0], abs=1e-5)


def test_wilson_interval_is_missing_without_articles():
    low, high = wilson_interval(np.array([0]), np.array([0]))
    assert np.isnan(low[0]) and np.isnan(high[0])


def test_binomial_two_sided_doubles_the_smaller_tail():
    p = binomial_two_sided(np.array([0, 5, 2]), np.array([3, 5, 4]), 0.5)
    # P(X<=0 | 3, .5) = 1/8 -> 0.25; P(X>=5 | 5, .5) = 1/32 -> 0.0625; the middle caps at 1
    assert p == pytest.approx([0.25, 0.0625, 1.0])


def test_benjamini_hochberg_by_hand_and_missing_values_kept():
    adjusted = benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.005, np.nan]))
    # sorted .005 .01 .03 .04 (m=4): .02, .02, .04, .04 after the step-up minimum
    assert adjusted[:4] == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert np.isnan(adjusted[4])


def test_log_odds_dirichlet_by_hand():
    delta, z = log_odds_dirichlet(np.array([3, 1]), np.array([1, 3]), np.array([1.0, 1.0]))
    # log((3+1)/(4+2-3-1)) - log((1+1)/(4+2-1-1)) = 2 log 2; variance 1/4 + 1/2
    assert delta == pytest.approx([2 * math.log(2), -2 * math.log(2)])
    assert z == pytest.approx(
        [2 * math.log(2) / math.sqrt(0.75), -2 * math.log(2) / math.sqrt(0.75)]
    )


def test_pooled_prior_spreads_its_size_like_the_pooled_counts():
    assert pooled_prior(np.array([3, 1]), np.array([1, 5]), 5.0) == pytest.approx([2.0, 3.0])
    assert pooled_prior(np.array([0, 0]), np.array([0, 0]), 5.0) == pytest.approx([0.0, 0.0])


def test_inverse_simpson_counts_effective_categories():
    assert inverse_simpson(np.array([5, 5, 5, 5])) == pytest.approx(4.0)
    assert inverse_simpson(np.array([9, 1])) == pytest.approx(1 / 0.82)
    assert inverse_simpson(np.array([0])) == 0.0
