"""What fetching remembers between runs (store meta), what one run did, and feed health."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import pandas as pd

from data.dedupe import canonical_url
from data.fetch.client import FetchError, HttpClient
from data.fetch.feeds import Feed, Item
from data.pipeline import IngestReport
from data.store import Store


def _now_iso() -> str:
    return pd.Timestamp.now("UTC").isoformat()


@dataclass
class FetchState:
    """Feed validators and health, items handled, failures to retry: the store's fetch meta."""

    store: Store
    feeds: dict[str, dict[str, Any]]
    failures: dict[str, dict[str, Any]]
    _known: set[str] | None = None

    @classmethod
    def load(cls, store: Store) -> FetchState:
        return cls(store, store.read_meta("feeds", {}), store.read_meta("fetch_failures", {}))

    def save(self, client: HttpClient) -> None:
        """Write every piece of state back to the store."""
        self.store.write_meta("feeds", self.feeds)
        self.store.write_meta("fetch_failures", self.failures)
        self.store.write_meta("robots", client.robots_cache())

    def feed(self, feed: Feed, url: str) -> dict[str, Any]:
        """The state of one feed URL, created on first use."""
        state = self.feeds.setdefault(url, {"items_total": 0, "done": []})
        state.update(feed=feed.name, region=feed.region, language=feed.language)
        return state

    def feed_failed(self, feed: Feed, url: str, reason: str) -> None:
        """Note that a feed URL could not be read."""
        self.feed(feed, url).update(last_error=reason, last_error_at=_now_iso())

    def feed_read(self, feed: Feed, url: str, current: set[str] | None) -> None:
        """Note a feed URL read (current: its item keys, None when unchanged); forget old items."""
        state = self.feed(feed, url)
        now = _now_iso()
        state.setdefault("first_success", now)
        state["last_success"] = now
        if current is not None:
            state["done"] = [key for key in state["done"] if key in current]

    def set_validators(self, url: str, validators: dict[str, str | None]) -> None:
        """Remember a feed URL's ETag and Last-Modified for the next conditional request."""
        self.feeds[url].update(validators)

    def validators(self, url: str) -> dict[str, str]:
        """Conditional-request headers for a feed URL fetched before."""
        state = self.feeds.get(url, {})
        headers = {
            "If-None-Match": state.get("etag"),
            "If-Modified-Since": state.get("last_modified"),
        }
        return {k: v for k, v in headers.items() if v}

    def known(self, key: str) -> bool:
        """Whether the store already holds (or has set aside) the article at this canonical URL."""
        if self._known is None:
            kept = self.store.articles(["url_key"])["url_key"].dropna()
            dups = self.store.duplicates()["url"].dropna().map(canonical_url)
            self._known = set(kept) | set(dups)
        return key in self._known

    def mark_done(self, items: Iterable[Item]) -> None:
        """Items whose article is now committed: never fetched again, never retried."""
        for item in items:
            self.failures.pop(item.key, None)
            if item.feed_url:
                state = self.feeds.setdefault(item.feed_url, {"items_total": 0, "done": []})
                state["done"] = [*state["done"], item.key]
                state["items_total"] = state.get("items_total", 0) + 1

    def record_failure(self, item: Item, error: FetchError) -> int:
        """Note a failed page; how many runs it has failed in."""
        previous = self.failures.get(item.key, {})
        attempts = previous.get("attempts", 0) + 1
        self.failures[item.key] = {
            **asdict(item),
            "reason": error.reason,
            "status": error.status,
            "permanent": error.permanent,
            "attempts": attempts,
            "first_at": previous.get("first_at", _now_iso()),
            "last_at": _now_iso(),
        }
        return attempts

    def give_up(self, item: Item) -> None:
        """Stop retrying a failed item; it stays listed with its last reason."""
        self.failures[item.key]["gave_up"] = True

    def due(self, sources: set[str | None]) -> list[Item]:
        """Failed items of these sources to try again (those not given up on)."""
        names = {f.name for f in fields(Item)}
        return [
            Item(**{k: v for k, v in entry.items() if k in names})
            for entry in self.failures.values()
            if entry.get("source") in sources and not entry.get("gave_up")
        ]


@dataclass
class FetchReport:
    """What one fetch run did, in counts."""

    feeds_ok: int = 0
    feeds_unchanged: int = 0
    feeds_failed: int = 0
    items_new: int = 0
    items_seen: int = 0
    items_too_old: int = 0  # older than --since
    items_deferred: int = 0  # over the cap of new items per feed: fetched in a later run
    items_retried: int = 0
    items_failed: int = 0
    items_from_summary: int = 0
    requests: int = 0
    not_modified: int = 0
    seconds: float = 0.0
    errors: dict[str, str] = field(default_factory=dict)
    ingest: IngestReport = field(default_factory=IngestReport)

    def to_dict(self) -> dict[str, Any]:
        """The counts as plain JSON-ready values."""
        plain = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "ingest"}
        return {**plain, "seconds": round(self.seconds, 2), "ingest": self.ingest.to_dict()}

    def summary(self) -> str:
        """One log line."""
        return (
            f"feeds {self.feeds_ok} ok ({self.feeds_unchanged} unchanged), {self.feeds_failed} failed; "
            f"items {self.items_new} new, {self.items_seen} seen, {self.items_failed} failed"
            f" ({self.items_from_summary} from feed summary); "
            f"{self.requests} requests, {self.not_modified} not modified; "
            f"added {self.ingest.added}, duplicate {self.ingest.duplicate}, "
            f"quarantined {self.ingest.quarantined_total}; {self.seconds:.1f} s"
        )


HEALTH_COLUMNS = [
    "feed",
    "url",
    "last_success",
    "last_error",
    "last_error_at",
    "items_total",
    "items_per_day",
]


def feed_health(store: Store) -> pd.DataFrame:
    """One row per feed URL: last success, last error and when, items so far and per day."""
    feeds = store.read_meta("feeds", {})
    frame = pd.DataFrame(
        [
            {
                "feed": state.get("feed"),
                "url": url,
                "first_success": state.get("first_success"),
                "last_success": state.get("last_success"),
                "last_error": state.get("last_error"),
                "last_error_at": state.get("last_error_at"),
                "items_total": int(state.get("items_total", 0)),
            }
            for url, state in feeds.items()
        ],
        columns=[*HEALTH_COLUMNS[:2], "first_success", *HEALTH_COLUMNS[2:-1]],
    )
    times = {
        c: pd.to_datetime(frame[c], utc=True)
        for c in ("first_success", "last_success", "last_error_at")
    }
    days = ((times["last_success"] - times["first_success"]).dt.total_seconds() / 86_400).clip(
        lower=1
    )
    return frame.assign(
        **times,
        items_total=frame["items_total"].astype("int64"),
        items_per_day=(frame["items_total"] / days).astype("float64"),
    )[HEALTH_COLUMNS].sort_values(["feed", "url"], ignore_index=True)
