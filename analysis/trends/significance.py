"""Small statistical building blocks: intervals, tests, corrections, log-odds and diversity."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

# scipy.stats is imported inside the tests that need it: it costs about a second at start-up, before
# the dashboard's first chart, which only needs the Wilson interval.


def wilson_interval(
    count: np.ndarray, total: np.ndarray, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval (low, high) of count/total; NaN where total is 0."""
    k = np.asarray(count, dtype="float64")
    n = np.asarray(total, dtype="float64")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denominator = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denominator
        half = z / denominator * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def binomial_two_sided(count: np.ndarray, trials: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Two-sided binomial p-value (doubled smaller tail, capped at 1) of count successes in trials."""
    from scipy import stats

    k = np.asarray(count, dtype="float64")
    n = np.asarray(trials, dtype="float64")
    lower = stats.binom.cdf(k, n, p)
    upper = stats.binom.sf(k - 1, n, p)
    return np.minimum(1.0, 2 * np.minimum(lower, upper))


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values over the non-missing entries; NaN stays NaN."""
    from scipy import stats

    p = np.asarray(p_values, dtype="float64")
    adjusted = np.full_like(p, np.nan)
    tested = ~np.isnan(p)
    if tested.any():
        adjusted[tested] = stats.false_discovery_control(p[tested], method="bh")
    return adjusted


def log_odds_dirichlet(
    count_a: np.ndarray, count_b: np.ndarray, prior: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Log-odds ratio of a vs b with an informative Dirichlet prior, and its z-score.

    Monroe, Colaresi & Quinn (2008), "Fightin' Words", equations 16 and 19-22: prior holds the
    pseudo-count alpha_w of each term; alpha_0 is its sum.
    """
    y_a = np.asarray(count_a, dtype="float64")
    y_b = np.asarray(count_b, dtype="float64")
    alpha = np.asarray(prior, dtype="float64")
    alpha_0 = alpha.sum()
    n_a, n_b = y_a.sum(), y_b.sum()
    delta = np.log((y_a + alpha) / (n_a + alpha_0 - y_a - alpha)) - np.log(
        (y_b + alpha) / (n_b + alpha_0 - y_b - alpha)
    )
    variance = 1 / (y_a + alpha) + 1 / (y_b + alpha)
    return delta, delta / np.sqrt(variance)


def pooled_prior(count_a: np.ndarray, count_b: np.ndarray, size: float) -> np.ndarray:
    """Dirichlet pseudo-counts summing to size, spread like the pooled counts of a and b."""
    pooled = np.asarray(count_a, dtype="float64") + np.asarray(count_b, dtype="float64")
    total = pooled.sum()
    return size * pooled / total if total > 0 else np.zeros_like(pooled)


def inverse_simpson(counts: np.ndarray) -> float:
    """Effective number of categories, 1 / sum of squared shares; 0 for no counts."""
    c = np.asarray(counts, dtype="float64")
    total = c.sum()
    return float(1.0 / np.square(c / total).sum()) if total > 0 else 0.0
