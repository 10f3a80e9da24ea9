"""What a round checks watches against: the topics rising now, everywhere and in each watched
region, and the articles behind them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.briefing.content import region_filter, topic_articles, visible_topics_and_assignments
from analysis.trends.cube import coverage_cube, wib_day
from analysis.trends.emerging import emerging_topics
from data.store import Store

#: Statuses alerted on; a rise carried by outlets not collected throughout the comparison has
#: status new_source (and new_source True) and is never alerted.
RISING = ("new", "rising")


@dataclass(frozen=True)
class Rising:
    """The emerging rankings a round reads: by region code (None: everywhere), and the articles."""

    as_of: pd.Timestamp  # the WIB day the window ends on
    window: str  # "7D"
    baseline: str  # "28D"
    articles: pd.DataFrame  # the store's articles with topic_id (-1 unassigned) and day
    ranked: dict[str | None, pd.DataFrame]

    def window_start(self) -> pd.Timestamp:
        """The first WIB day of the window."""
        return self.as_of - pd.Timedelta(self.window) + pd.Timedelta(days=1)


def rising_rows(ranked: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of an emerging ranking that are new or rising topics, without new-source rises."""
    kept = ranked["status"].isin(RISING) & (ranked["topic_id"] >= 0) & ~ranked["new_source"]
    return ranked[kept].to_dict("records")


def rising_topics(
    store: Store, regions: Iterable[str | None], now: pd.Timestamp, window: str, baseline: str
) -> Rising:
    """The emerging rankings of the window ending on now's WIB day, everywhere and per region."""
    topics, assignments, _ = visible_topics_and_assignments(store)
    articles = topic_articles(store, assignments)
    articles = articles.assign(topic_id=articles["topic_id"].fillna(-1).astype(int))
    cube = coverage_cube(articles)
    as_of = wib_day(now)
    ranked = {
        region: emerging_topics(
            cube, as_of, window.upper(), baseline.upper(), topics=topics, **region_filter(region)
        )
        for region in dict.fromkeys([None, *regions])
    }
    return Rising(as_of, window.upper(), baseline.upper(), articles, ranked)
