"""One monitoring round, and rounds on a schedule.

A round: fetch the feeds (politely, committing batch by batch), give the new articles topics
(`update`; the first build when there is none), rebuild when the update says a rebuild is due and
the day's rebuild window is open (at most once a day), check the watches against the new articles
and the rising topics, queue their alerts in the outbox and deliver it. Rounds never overlap: a
round holds STORE/.watch.lock, and a second watcher's round is skipped while it is held. Every
stage leaves the store committed, so a round killed at any point loses nothing: the next round
fetches what was not committed, assigns what has no topic, and delivers what is in the outbox.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.topics.build import build_store
from analysis.topics.embeddings import DEFAULT_EMBEDDING
from analysis.topics.update import update_store
from analysis.watch.alerts import emerging_alerts, query_alerts
from analysis.watch.clock import DEFAULT_TIMEZONE, QuietHours, local_time, rebuild_allowed
from analysis.watch.deliver import Channel, Delivery, deliver, queued
from analysis.watch.log import RoundLog
from analysis.watch.rising import rising_rows, rising_topics
from analysis.watch.watches import load_watches
from data.fetch import MAX_ITEMS, Feed, FetchReport, HttpClient, fetch, interval_seconds, run_every
from data.store import Store

STATE_META = "watch_state"
LOCK_FILE = ".watch.lock"


class RoundBusy(Exception):
    """Another round holds the store's round lock."""


@dataclass(frozen=True)
class WatchSettings:
    """How rounds run: the feeds, the schedule, the windows, the quiet hours, the language."""

    feeds: tuple[Feed, ...] = ()
    allow_hosts: tuple[str, ...] = ()
    every: str = "30m"
    lang: str = "id"
    window: str = "7d"
    baseline: str = "28d"
    rebuild_hour: int = 3
    quiet_hours: QuietHours | None = None
    timezone: str = DEFAULT_TIMEZONE
    fast: bool = False  # the first build and rebuilds use `build --fast`
    embedding: str = DEFAULT_EMBEDDING
    max_items: int = MAX_ITEMS
    client: HttpClient | None = None  # None: a fresh polite client per round


@dataclass
class RoundReport:
    """What one round did, in figures."""

    number: int = 0
    fetched: FetchReport | None = None
    assigned: int = 0
    built: str = ""  # "", "first build" or "rebuild"
    rebuild_due: bool = False
    rising: int = 0
    alerts: int = 0
    delivery: Delivery = field(default_factory=Delivery)
    seconds: float = 0.0

    def figures(self) -> dict[str, Any]:
        """The round's figures as plain values."""
        fetched = self.fetched or FetchReport()
        return {
            "feeds_ok": fetched.feeds_ok,
            "feeds_failed": fetched.feeds_failed,
            "items_new": fetched.items_new,
            "added": fetched.ingest.added,
            "assigned": self.assigned,
            "built": self.built,
            "rebuild_due": self.rebuild_due,
            "rising": self.rising,
            "alerts": self.alerts,
            "delivered": self.delivery.delivered,
            "held": self.delivery.held,
            "failed_deliveries": self.delivery.failed,
            "seconds": round(self.seconds, 2),
        }

    def summary(self) -> str:
        """One log line."""
        f = self.figures()
        topics = f"assigned {f['assigned']}" + (f", {self.built}" if self.built else "")
        if self.rebuild_due and not self.built:
            topics += " (rebuild due, waiting for the rebuild hour)"
        return (
            f"round {self.number}: feeds {f['feeds_ok']} ok, {f['feeds_failed']} failed; "
            f"added {f['added']}; {topics}; rising {f['rising']}; alerts {f['alerts']} new, "
            f"{f['delivered']} delivered, {f['held']} held, {f['failed_deliveries']} failed; "
            f"{self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class Skipped:
    """A round that did not run because another one was running."""

    reason: str

    def summary(self) -> str:
        return f"round skipped: {self.reason}"


@contextmanager
def round_lock(store: Store) -> Iterator[None]:
    """Hold the store's round lock (released by the kernel when the process dies); RoundBusy when
    another round holds it."""
    store.path.mkdir(parents=True, exist_ok=True)
    with open(store.path / LOCK_FILE, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise RoundBusy(f"another round holds {store.path / LOCK_FILE}") from exc
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def watch_state(store: Store) -> dict[str, Any]:
    """The watcher's state: rises alerted, the outbox, query watches' marks, the last rebuild."""
    saved = store.read_meta(STATE_META, {})
    return {"rises": {}, "outbox": [], "query_marks": {}, "last_rebuild": None, **saved}


def topics_step(
    store: Store, settings: WatchSettings, state: dict[str, Any], now: pd.Timestamp
) -> tuple[int, str, bool]:
    """Give new articles topics, building when there is no build and rebuilding when due and
    allowed: (articles assigned, what was built, whether a rebuild is due)."""
    build = {"embedding": settings.embedding, "fast": settings.fast}
    if store.current_build() is None:
        info = build_store(store, **build)
        return info["n_articles"], "first build", False
    update = update_store(store)
    last = state["last_rebuild"]
    allowed = rebuild_allowed(
        now,
        pd.Timestamp(last) if last else None,
        settings.rebuild_hour,
        interval_seconds(settings.every),
        settings.timezone,
    )
    if not (update["rebuild_due"] and allowed):
        return update["n_new"], "", update["rebuild_due"]
    build_store(store, **build)
    state["last_rebuild"] = now.isoformat()
    store.write_meta(STATE_META, state)
    return update["n_new"], "rebuild", True


def watches_step(
    store: Store, settings: WatchSettings, state: dict[str, Any], now: pd.Timestamp
) -> tuple[int, list]:
    """Check every watch: how many topics are rising everywhere, and the new alerts (the state's
    rises and query marks are brought up to date, not saved)."""
    watches = load_watches(store)
    regions = [w.value for w in watches if w.kind == "region"]
    rising = rising_topics(store, regions, now, settings.window, settings.baseline)
    emerging, state["rises"] = emerging_alerts(watches, rising, state["rises"], now, settings.lang)
    matched, state["query_marks"] = query_alerts(
        store, watches, state["query_marks"], now, settings.lang
    )
    return len(rising_rows(rising.ranked[None])), emerging + matched


def _round(
    store: Store,
    settings: WatchSettings,
    channels: list[Channel],
    now: pd.Timestamp,
    log: RoundLog,
    report: RoundReport,
) -> None:
    """The stages of one round, filling in report."""
    if settings.feeds:
        log.stage("fetch")
        report.fetched = fetch(
            store,
            list(settings.feeds),
            client=settings.client,
            allow_hosts=settings.allow_hosts,
            max_items=settings.max_items,
        )
    if not store.exists() or not store.manifest()["parts"]["articles"]:
        return
    state = watch_state(store)
    log.stage("topics")
    report.assigned, report.built, report.rebuild_due = topics_step(store, settings, state, now)
    log.stage("watches")
    report.rising, alerts = watches_step(store, settings, state, now)
    report.alerts = len(alerts)
    state["outbox"] = state["outbox"] + queued(alerts, channels)
    store.write_meta(STATE_META, state)  # rises, marks and outbox in one atomic write
    log.stage("deliver")
    quiet = settings.quiet_hours is not None and settings.quiet_hours.holds(
        local_time(now, settings.timezone)
    )
    report.delivery = deliver(
        state["outbox"],
        channels,
        quiet,
        lambda outbox: store.write_meta(STATE_META, {**state, "outbox": outbox}),
    )


def run_round(
    store: Store,
    settings: WatchSettings,
    channels: list[Channel],
    *,
    now: pd.Timestamp | None = None,
    next_round_at: pd.Timestamp | None = None,
) -> RoundReport:
    """Run one round under the round lock and log it; RoundBusy when another round is running.

    A round that fails is logged as failed and its exception raised again.
    """
    now = pd.Timestamp.now("UTC") if now is None else pd.Timestamp(now)
    started = time.monotonic()
    with round_lock(store):
        log = RoundLog(store)
        report = RoundReport(number=log.begin(now, next_round_at))
        try:
            _round(store, settings, channels, now, log, report)
        except BaseException as exc:
            report.seconds = time.monotonic() - started
            finished = now + pd.Timedelta(seconds=report.seconds)
            status = "failed" if isinstance(exc, Exception) else "interrupted"
            reason = f"round {report.number} {status} at {log.entry['stage']}: {type(exc).__name__}: {exc}"
            log.end(status, finished, reason, report.figures())
            raise
        report.seconds = time.monotonic() - started
        log.end(
            "done", now + pd.Timedelta(seconds=report.seconds), report.summary(), report.figures()
        )
    return report


def watch(
    store: Store,
    settings: WatchSettings,
    channels: list[Channel],
    log: Callable[[str], None],
    *,
    runs: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Run rounds every settings.every (forever, or `runs` rounds), one log line per round; a
    failed round is logged and the next one runs. How many rounds failed."""
    done = failed = 0
    period = pd.Timedelta(seconds=interval_seconds(settings.every))

    def job() -> RoundReport | Skipped:
        nonlocal done, failed
        done += 1
        now = pd.Timestamp.now("UTC")
        following = now + period if runs is None or done < runs else None
        try:
            return run_round(store, settings, channels, now=now, next_round_at=following)
        except RoundBusy as exc:
            return Skipped(str(exc))
        except Exception:
            failed += 1
            raise  # run_every logs it and goes on

    run_every(settings.every, job, log, runs=runs, sleep=sleep)
    return failed
