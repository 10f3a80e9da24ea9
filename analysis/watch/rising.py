"""What a round checks watches against: the topics rising now, everywhere and in each watched
region, and the articles behind them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.briefing.content import region_filter, topic_articles, visible_topics_and_assignments
from analysis.trends.cube import coverage_cube, wib_day
from analysis.trends.emerging import emerging_topics
from data.store import Store

RISING = ("new", "rising")
#: Columns an emerging row may carry to say that its rise comes from newly collected outlets
#: (a feed added lately, not a change in the news); such a rise is never alerted.
NEW_SOURCE_FIELDS = ("new_source", "new_sources", "carried_by_new_source", "source_is_new")
NEW_SOURCE_VALUES = ("new", "new_source", "new source", "new_sources")


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


def _flagged(value: Any) -> bool:
    """Whether a field's value says yes (missing values and NaN say no)."""
    return value is not None and bool(pd.notna(value)) and bool(value)


def carried_by_new_source(row: Mapping[str, Any]) -> bool:
    """Whether an emerging row says its rise is carried by newly collected outlets."""
    if any(_flagged(row.get(field)) for field in NEW_SOURCE_FIELDS):
        return True
    return str(row.get("source", "")).strip().lower() in NEW_SOURCE_VALUES


def rising_rows(ranked: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of an emerging ranking that are new or rising topics, without new-source rises."""
    rows = ranked[ranked["status"].isin(RISING) & (ranked["topic_id"] >= 0)].to_dict("records")
    return [row for row in rows if not carried_by_new_source(row)]


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
