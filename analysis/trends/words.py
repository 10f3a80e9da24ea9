"""What changed in the words: distinctive terms of two sets of texts, and topic words gained or lost."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.trends.significance import log_odds_dirichlet, pooled_prior
from analysis.trends.terms import term_counts

#: Total pseudo-count of the Dirichlet prior over terms, spread like the pooled term counts.
WORD_PRIOR_SIZE = 1000.0
WORD_COLUMNS = ("topic_id", "period", "word", "weight")
STATUS_ORDER = {"gained": 0, "kept": 1, "lost": 2}


def _top_rows(z: np.ndarray, terms: np.ndarray, top: int, sign: int) -> np.ndarray:
    """Indices of the top terms by sign * z, ties broken by term, best first."""
    key = sign * z
    if len(key) > top:
        threshold = np.partition(key, len(key) - top)[len(key) - top]
        candidates = np.flatnonzero(key >= threshold)
    else:
        candidates = np.arange(len(key))
    order = np.lexsort((terms[candidates], -key[candidates]))
    return candidates[order][:top]


def distinctive_words(
    texts_now: pd.Series, texts_before: pd.Series, top: int = 20, prior: float = WORD_PRIOR_SIZE
) -> pd.DataFrame:
    """Unigrams and bigrams most over-used now and most over-used before, by Fightin' Words z.

    Columns: term, count_now, count_before, log_odds, z; the `top` terms with the highest z and the
    `top` with the lowest, highest z first. Stop words (stopwordsiso "id" plus news boilerplate),
    numbers and one-letter tokens are left out; bigrams join adjacent kept words.
    """
    now = term_counts(texts_now.dropna().astype(str))
    before = term_counts(texts_before.dropna().astype(str))
    terms = np.array(list(now.keys() | before.keys()), dtype=object)
    count_now = np.array([now.get(t, 0) for t in terms], dtype="int64")
    count_before = np.array([before.get(t, 0) for t in terms], dtype="int64")
    log_odds, z = log_odds_dirichlet(
        count_now, count_before, pooled_prior(count_now, count_before, prior)
    )
    rows = np.unique(np.concatenate([_top_rows(z, terms, top, 1), _top_rows(z, terms, top, -1)]))
    table = pd.DataFrame(
        {
            "term": terms[rows].astype(str),
            "count_now": count_now[rows],
            "count_before": count_before[rows],
            "log_odds": log_odds[rows],
            "z": z[rows],
        }
    )
    return table.sort_values(["z", "term"], ascending=[False, True]).reset_index(drop=True)


def words_gained_lost(
    topic_words_by_period: pd.DataFrame, topic_id: int, period_now, period_before
) -> pd.DataFrame:
    """A topic's words in period_now against period_before: word, change in weight, status.

    status is gained (only now), lost (only before) or kept (both); change is the weight now minus
    the weight before (a missing word weighs 0). Gained first, then kept, then lost, each by change.
    """
    missing = set(WORD_COLUMNS) - set(topic_words_by_period.columns)
    if missing:
        raise ValueError(f"topic words lack column(s): {', '.join(sorted(missing))}")
    rows = topic_words_by_period.loc[topic_words_by_period["topic_id"] == topic_id]
    weights = {
        name: rows.loc[rows["period"] == period].groupby("word")["weight"].sum()
        for name, period in (("now", period_now), ("before", period_before))
    }
    both = pd.concat(weights, axis=1)
    if both.empty:
        return pd.DataFrame(
            {
                "word": pd.Series(dtype="object"),
                "change": pd.Series(dtype="float64"),
                "status": pd.Series(dtype="object"),
            }
        )
    status = np.select(
        [both["before"].isna(), both["now"].isna()], ["gained", "lost"], default="kept"
    )
    table = pd.DataFrame(
        {
            "word": both.index,
            "change": both["now"].fillna(0.0).to_numpy() - both["before"].fillna(0.0).to_numpy(),
            "status": status,
        }
    )
    order = table["status"].map(STATUS_ORDER)
    return (
        table.assign(order=order, key=-table["change"].abs())
        .sort_values(["order", "key", "word"])
        .drop(columns=["order", "key"])
        .reset_index(drop=True)
    )
