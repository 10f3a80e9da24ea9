"""How fresh the store is: when it was last updated, when the next round is due, feeds failing.

"updated 4 min ago; next round 10:30; 2 feeds failing" (or in Indonesian), for the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.i18n.strings import said
from analysis.watch.clock import DEFAULT_TIMEZONE, local_time
from analysis.watch.log import last_rounds
from data.fetch import feed_health
from data.store import Store

OVERDUE_AFTER = pd.Timedelta(minutes=10)  # a round this late means the watcher is not running


@dataclass(frozen=True)
class Freshness:
    """When the store was last updated (a finished round, else an ingest), when the next round is
    due (None when no watcher said), and how many feeds failed on their last try."""

    updated_at: pd.Timestamp | None
    next_round_at: pd.Timestamp | None
    feeds_failing: int


def _moment(value: object) -> pd.Timestamp | None:
    return pd.Timestamp(value) if isinstance(value, str) and value else None


def failing_feeds(store: Store) -> int:
    """Feed URLs whose last try failed (an error after their last success, or never a success)."""
    health = feed_health(store)
    errored = health["last_error_at"].notna()
    return int((errored & ~(health["last_success"] > health["last_error_at"])).sum())


def store_freshness(store: Store) -> Freshness:
    """The store's freshness from the round log, the ingest log and the feeds' health."""
    rounds = last_rounds(store, 20)
    finished = [r for r in rounds if r.get("status") == "done"]
    updated = _moment(finished[-1].get("finished_at")) if finished else None
    if updated is None:
        ingests = store.manifest().get("ingests", [])
        updated = _moment(ingests[-1].get("at")) if ingests else None
    next_round = _moment(rounds[-1].get("next_round_at")) if rounds else None
    return Freshness(updated, next_round, failing_feeds(store))


def _ago(delta: pd.Timedelta, lang: str) -> str:
    """'4 min', '2 h', '3 days' (or in Indonesian) for a time past."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 120:
        return said("watch", "ago_minutes", lang, n=minutes)
    if minutes < 48 * 60:
        return said("watch", "ago_hours", lang, n=minutes // 60)
    return said("watch", "ago_days", lang, n=minutes // (24 * 60))


def freshness_text(
    freshness: Freshness, now: pd.Timestamp, lang: str, timezone: str = DEFAULT_TIMEZONE
) -> str:
    """'updated 4 min ago; next round 10:30; 2 feeds failing' in lang."""
    parts = [
        said("watch", "fresh_updated", lang, ago=_ago(now - freshness.updated_at, lang))
        if freshness.updated_at is not None
        else said("watch", "fresh_never", lang)
    ]
    if freshness.next_round_at is not None:
        due = f"{local_time(freshness.next_round_at, timezone):%H:%M}"
        late = now > freshness.next_round_at + OVERDUE_AFTER
        parts.append(said("watch", "fresh_overdue" if late else "fresh_next", lang, time=due))
    if freshness.feeds_failing:
        n = freshness.feeds_failing
        feeds = said("watch", "feed_one" if n == 1 else "feed_many", lang, n=n)
        parts.append(said("watch", "fresh_failing", lang, feeds=feeds))
    return "; ".join(parts)
