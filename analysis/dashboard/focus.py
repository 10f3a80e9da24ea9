"""What a set of articles is about, against the rest: its top words and top outlets.

A set is a keyword query's matches or a topic's articles, read within the dashboard's filters.
Top words are the words the set uses more than the other articles within the same filters
(Fightin' Words z of analysis.trends.words, on a seeded sample of each side, so a common word over
a million articles costs the same as over a thousand); top outlets are the outlets with the most
articles in the set, with the share of each outlet's own articles that the set holds (Media Cloud's
"top sources"). Also: the dashboard's filters as the search index reads them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.dashboard.filters import Filters
from analysis.dashboard.panels import period_words
from analysis.trends.search import day_number
from data.search.index import Where

#: Articles read on each side when comparing words.
WORDS_SAMPLE = 1_500
TOP_WORDS = 12
TOP_OUTLETS = 8


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
    chosen = articles.loc[mask, ["article_id"]]
    return chosen if len(chosen) <= size else chosen.sample(size, random_state=seed)


def top_words(
    texts: pd.DataFrame,
    articles: pd.DataFrame,
    members: np.ndarray,
    within: np.ndarray,
    top: int = TOP_WORDS,
    seed: int = 0,
) -> pd.DataFrame:
    """Words the member articles use more than the other articles within the filters: term,
    count_now (in the members read), count_before (in the others read), z; best first."""
    now = _sample(articles, members & within, WORDS_SAMPLE, seed)
    rest = _sample(articles, ~members & within, WORDS_SAMPLE, seed)
    if now.empty or rest.empty:
        return pd.DataFrame({"term": [], "count_now": [], "count_before": [], "z": []})
    return period_words(texts, now, rest, top=top)


def top_outlets(
    articles: pd.DataFrame, members: np.ndarray, within: np.ndarray, top: int = TOP_OUTLETS
) -> pd.DataFrame:
    """Outlets with the most member articles within the filters: source, articles, share (of the
    outlet's articles within the filters that are members); most articles first."""
    outlets = articles["source"].fillna("").astype(str).to_numpy()
    found = pd.Series(outlets[members & within]).value_counts()
    if found.empty:
        return pd.DataFrame({"source": [], "articles": [], "share": []})
    everything = pd.Series(outlets[within]).value_counts()
    table = pd.DataFrame(
        {
            "source": found.index.to_numpy(),
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
