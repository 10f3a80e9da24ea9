"""What a set of articles is about, against the rest: its top words and top outlets.

A set is a keyword query's matches or a topic's articles, read within the dashboard's filters.
Top words are the words (and pairs of words) that more of the set's articles use than of the other
articles within the same filters: counted once an article, on a seeded sample of each side (so a
common word over a million articles costs the same as over a thousand, and one long listicle
cannot fill the list), kept when the difference is significant (Fightin' Words z of
analysis.trends.significance at least 1.96, in at least 2 articles) and ranked by log-odds, so the
words only the set uses come first; top outlets are the outlets with the most
articles in the set, with the share of each outlet's own articles that the set holds (Media Cloud's
"top sources"). Also: the dashboard's filters as the search index reads them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis.dashboard.filters import Filters
from analysis.dashboard.panels import english_stop_words
from analysis.trends.search import day_number
from analysis.trends.significance import log_odds_dirichlet, pooled_prior
from analysis.trends.terms import term_counts
from analysis.trends.words import WORD_PRIOR_SIZE
from data.search.index import Where

#: Articles read on each side when comparing words.
WORDS_SAMPLE = 1_500
TOP_WORDS = 12
TOP_OUTLETS = 8
#: The z a word's difference must reach (two-sided 5%), and the fewest articles it must be in.
MIN_Z = 1.96
MIN_ARTICLES = 2
WORD_COLUMNS = ["term", "count_now", "count_before", "log_odds", "z"]


def search_where(filters: Filters) -> Where:
    """The dashboard's period, province, language and outlets as search index filters (the
    regency, which the index does not hold, is left to the article mask)."""
    return Where(
        first_day=day_number(filters.start),
        last_day=day_number(filters.end),
        province=filters.province_code,
        language=filters.language,
        sources=tuple(filters.sources),
    )


def _sample(articles: pd.DataFrame, mask: np.ndarray, size: int, seed: int) -> pd.DataFrame:
    """At most size of the masked articles, drawn with a seed (all of them when fewer)."""
    chosen = articles.loc[mask]
    return chosen if len(chosen) <= size else chosen.sample(size, random_state=seed)


def word_samples(
    articles: pd.DataFrame, members: np.ndarray, within: np.ndarray, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The articles whose words top_words compares: seeded samples of the members within the
    filters and of the others within them (WORDS_SAMPLE each)."""
    return (
        _sample(articles, members & within, WORDS_SAMPLE, seed),
        _sample(articles, ~members & within, WORDS_SAMPLE, seed),
    )


def article_counts(texts: Iterable[str]) -> Counter[str]:
    """In how many of the texts each word and pair of adjacent words stands (stop words left out)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(term_counts([text]).keys())
    return counts


def distinctive_terms(now: Counter[str], before: Counter[str], top: int) -> pd.DataFrame:
    """Terms in significantly more articles now than before, highest log-odds first (WORD_COLUMNS;
    count_now and count_before are articles)."""
    english = english_stop_words()
    terms = np.array(
        [t for t in now if now[t] >= MIN_ARTICLES and not english & set(t.split())], dtype=object
    )
    everything = np.array(list(now.keys() | before.keys()), dtype=object)
    count_now = np.array([now.get(t, 0) for t in everything], dtype="int64")
    count_before = np.array([before.get(t, 0) for t in everything], dtype="int64")
    log_odds, z = log_odds_dirichlet(
        count_now, count_before, pooled_prior(count_now, count_before, WORD_PRIOR_SIZE)
    )
    table = pd.DataFrame(
        {
            "term": everything.astype(str),
            "count_now": count_now,
            "count_before": count_before,
            "log_odds": log_odds,
            "z": z,
        }
    )
    kept = table.loc[table["term"].isin(terms) & (table["z"] >= MIN_Z)]
    return (
        kept.sort_values(["log_odds", "count_now", "term"], ascending=[False, False, True])
        .head(top)
        .reset_index(drop=True)
    )


def top_words(
    texts: pd.DataFrame, now: pd.DataFrame, rest: pd.DataFrame, top: int = TOP_WORDS
) -> pd.DataFrame:
    """Words more of the articles now use than of the articles rest (word_samples; texts holds
    article_id and text of at least those): term, count_now and count_before (articles of each
    sample using it), log_odds, z."""
    if now.empty or rest.empty:
        return pd.DataFrame({c: [] for c in WORD_COLUMNS})
    by_id = texts.set_index("article_id")["text"]
    return distinctive_terms(
        article_counts(by_id.reindex(now["article_id"]).dropna()),
        article_counts(by_id.reindex(rest["article_id"]).dropna()),
        top,
    )


def top_outlets(
    articles: pd.DataFrame, members: np.ndarray, within: np.ndarray, top: int = TOP_OUTLETS
) -> pd.DataFrame:
    """Outlets with the most member articles within the filters: source, articles, share (of the
    outlet's articles within the filters that are members); most articles first."""
    outlets = articles["source"]  # text or categories; articles without an outlet are left out
    found = outlets[members & within].value_counts()
    found = found.loc[found > 0]
    if found.empty:
        return pd.DataFrame({"source": [], "articles": [], "share": []})
    everything = outlets[within].value_counts()
    table = pd.DataFrame(
        {
            "source": found.index.astype(str).to_numpy(),
            "articles": found.to_numpy(),
            "share": (found / everything.reindex(found.index)).to_numpy(),
        }
    )
    return (
        table.loc[table["source"] != ""]
        .sort_values(["articles", "source"], ascending=[False, True])
        .head(top)
        .reset_index(drop=True)
    )
