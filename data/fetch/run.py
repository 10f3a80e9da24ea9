"""One fetch run: read the feeds, fetch new pages, ingest them batch by batch as they arrive."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, zip_longest
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from data.cluster_ingest import ingest_frames
from data.dedupe import canonical_url
from data.fetch.client import FetchError, HttpClient, HttpConfig, Response
from data.fetch.feeds import Feed, Item, checked_url, feed_document
from data.fetch.guard import ALLOW_META, allow_entries, env_allow_hosts
from data.fetch.pages import decoded_text, page_fields
from data.fetch.state import FetchReport, FetchState
from data.schema import RAW_COLUMNS
from data.store import Store

Progress = Callable[[int], None]
MAX_ITEMS = 100  # new items fetched per feed URL per run (at 1 request/s, under two minutes)


def allowed_hosts(store: Store, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The non-public hosts a fetch may reach: $SOROTAN_ALLOW_HOSTS, the Data page's list (store
    meta) and extra (a feeds file's allow_hosts)."""
    kept = allow_entries(store.read_meta(ALLOW_META, []), "the Data page's allowed hosts")
    return tuple(dict.fromkeys((*env_allow_hosts(), *kept, *extra)))


def raw_row(
    item: Item, page: dict[str, str | None] | None, final_url: str | None, home_region: bool
) -> dict[str, Any]:
    """One raw row (data.schema.RAW_COLUMNS) for an item, from its page or else its feed summary."""
    page = page or {}
    text = page.get("text") or item.summary
    return {
        "article_id": None,
        "title": item.title or page.get("title") or "",
        "text": text,
        "date": item.published,
        "url": final_url or item.link,
        "source": item.source or page.get("sitename") or urlsplit(item.link).hostname,
        "category": item.category,
        "region": item.region if home_region else None,
        "html_date": page.get("date"),
        "file": item.feed_url or item.link,
        "row": item.row,
        "error": None,
    }


@dataclass(frozen=True)
class PageOutcome:
    """What fetching one item's page gave: a page (maybe empty) or an error."""

    item: Item
    page: dict[str, str | None] | None = None
    final_url: str | None = None
    error: FetchError | None = None


def fetch_page(client: HttpClient, item: Item) -> PageOutcome:
    """Fetch and extract one item's article page; errors are returned, never raised."""
    try:
        response = client.get(
            item.link, {"Accept": "text/html,application/xhtml+xml"}, accept=(200,)
        )
    except FetchError as exc:
        return PageOutcome(item, error=exc)
    html = decoded_text(response.body, response.content_type)
    try:
        page = page_fields(html, response.url, item.selector) if html.strip() else None
    except Exception as exc:  # one odd page must not end the run; it is recorded instead
        reason = f"extraction failed: {type(exc).__name__}: {exc}"
        return PageOutcome(item, error=FetchError(reason, permanent=True))
    return PageOutcome(item, page, response.url)


@dataclass(frozen=True)
class FeedOutcome:
    """What reading one feed URL gave: its items, 'unchanged', or an error."""

    feed: Feed
    url: str
    response: Response | None = None
    items: tuple[Item, ...] = ()
    error: FetchError | None = None


def read_feed(client: HttpClient, feed: Feed, url: str, validators: dict[str, str]) -> FeedOutcome:
    """Fetch and parse one feed URL conditionally; errors are returned, never raised (malformed
    XML comes back as the error beside the items the lenient parser found)."""
    headers = {
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8"
    }
    try:
        response = client.get(url, {**headers, **validators})
        if response.status == 304:
            return FeedOutcome(feed, url, response)
        document = feed_document(feed, url, response)
    except FetchError as exc:
        return FeedOutcome(feed, url, error=exc)
    error = FetchError(document.problem) if document.problem else None
    return FeedOutcome(feed, url, response, document.items, error)


def _record_feed(state: FetchState, outcome: FeedOutcome, report: FetchReport) -> dict[str, Any]:
    """Fold one feed's outcome into the state and the report; its new validators, if any.

    The validators (ETag, Last-Modified) are saved only once every item of the feed is committed or
    recorded as failed: saved earlier, a crash would turn the next run into a 304 that hides them.
    """
    if outcome.error is not None:
        report.feeds_failed += 1
        report.errors[outcome.url] = outcome.error.reason
        state.feed_failed(outcome.feed, outcome.url, outcome.error.reason)
        return {}
    report.feeds_ok += 1
    if outcome.response.status == 304:
        report.feeds_unchanged += 1
        state.feed_read(outcome.feed, outcome.url, None)
        return {}
    state.feed_read(outcome.feed, outcome.url, {item.key for item in outcome.items})
    headers = outcome.response.headers
    return {"etag": headers.get("ETag"), "last_modified": headers.get("Last-Modified")}


def _handled(item: Item, state: FetchState, queued: set[str]) -> bool:
    """Whether an item needs no fetch: queued in this run, done before, or already in the store."""
    done = state.feeds.get(item.feed_url or "", {}).get("done", ())
    return item.key in queued or item.key in done or state.known(item.key)


def _fresh(item: Item, since: pd.Timestamp | None) -> bool:
    """Whether an item passes the --since filter (undated items do)."""
    return since is None or item.published_at is None or pd.Timestamp(item.published_at) >= since


def _interleaved(items: list[Item]) -> list[Item]:
    """Items in round-robin order of their hosts, so that the workers spread over the outlets."""
    by_host: dict[str, list[Item]] = {}
    for item in items:
        by_host.setdefault(urlsplit(item.link).netloc.lower(), []).append(item)
    return [item for turn in zip_longest(*by_host.values()) for item in turn if item is not None]


@contextmanager
def _pool(workers: int) -> Iterator[ThreadPoolExecutor]:
    """A thread pool that drops its queued work when the run stops early (error, Ctrl-C)."""
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class FetchRun:
    """One run's context: the store, the client, the state, the report and the settings."""

    store: Store
    client: HttpClient
    state: FetchState
    progress: Progress | None = None
    batch_size: int = 20
    max_attempts: int = 3
    home_region: bool = False
    report: FetchReport = field(default_factory=FetchReport)
    started: float = field(default_factory=time.monotonic)

    @classmethod
    def begin(
        cls,
        store: Store,
        client: HttpClient | None,
        allow_hosts: Iterable[str] = (),
        **settings: Any,
    ) -> FetchRun:
        """A run over store with a client and its saved state. Without a client, a fresh polite
        one that may also reach the non-public hosts allowed by $SOROTAN_ALLOW_HOSTS, the Data
        page (store meta) and allow_hosts."""
        if client is None:
            allowed = allowed_hosts(store, allow_hosts)
            client = HttpClient(HttpConfig(allow_hosts=allowed))
        client.load_robots(store.read_meta("robots", {}))
        run = cls(store, client, FetchState.load(store), **settings)
        run.report.requests, run.report.not_modified = -client.requests, -client.not_modified
        return run

    def _outcome_rows(self, outcome: PageOutcome) -> list[dict[str, Any]]:
        """The raw rows an item's page outcome gives (none while its page is worth retrying)."""
        item, error, report = outcome.item, outcome.error, self.report
        if error is None:
            if not (outcome.page or {}).get("text") and item.summary:
                report.items_from_summary += 1
            return [raw_row(item, outcome.page, outcome.final_url, self.home_region)]
        report.items_failed += 1
        report.errors[item.link] = error.reason
        attempts = self.state.record_failure(item, error)
        if (error.permanent or attempts >= self.max_attempts) and item.summary:
            report.items_from_summary += 1
            return [raw_row(item, None, None, self.home_region)]
        if attempts >= self.max_attempts:
            self.state.give_up(item)
        return []

    def _row_frames(self, pool: ThreadPoolExecutor, items: list[Item]) -> Iterator[pd.DataFrame]:
        """Raw frames of fetched pages, batch by batch as they arrive; state saved after each."""
        futures: list[Future[PageOutcome]] = [
            pool.submit(fetch_page, self.client, item) for item in _interleaved(items)
        ]
        rows: list[dict[str, Any]] = []
        batch: list[Item] = []
        for number, future in enumerate(as_completed(futures), start=1):
            outcome = future.result()
            new_rows = self._outcome_rows(outcome)
            rows += new_rows
            batch += [outcome.item] * len(new_rows)
            last = number == len(futures)
            if rows and (len(rows) >= self.batch_size or last):
                yield pd.DataFrame(rows, columns=list(RAW_COLUMNS))
                self.state.mark_done(batch)  # reached only once the frame above is committed
                self.state.save(self.client)
                rows, batch = [], []

    def ingest_pages(self, pool: ThreadPoolExecutor, items: list[Item]) -> None:
        """Fetch the items' pages and ingest them as they arrive (no ingest if nothing came)."""
        frames = self._row_frames(pool, items)
        first = next(frames, None)
        if first is not None:
            self.report.ingest = ingest_frames(
                chain([first], frames), self.store, progress=self.progress
            )

    def finish(self) -> FetchReport:
        """Save the state; the report with the run's request counts and duration."""
        self.state.save(self.client)
        self.report.requests += self.client.requests
        self.report.not_modified += self.client.not_modified
        self.report.seconds = time.monotonic() - self.started
        return self.report


def _new_items(
    outcome: FeedOutcome,
    run: FetchRun,
    queued: set[str],
    since: pd.Timestamp | None,
    max_items: int,
) -> list[Item]:
    """A feed's items to fetch this round: new, fresh, at most max_items (the rest wait for the
    next round, counted as deferred); what is skipped is counted in the run's report."""
    report, state = run.report, run.state
    chosen: list[Item] = []
    for item in outcome.items:
        if item.key in state.failures:
            continue  # retried below, or given up on and listed there
        if _handled(item, state, queued):
            report.items_seen += 1
        elif not _fresh(item, since):
            report.items_too_old += 1
        elif len(chosen) >= max_items:
            report.items_deferred += 1
        else:
            chosen.append(item)
            queued.add(item.key)
    return chosen


def fetch(
    store: Store,
    feeds: list[Feed],
    *,
    since: pd.Timestamp | None = None,
    progress: Progress | None = None,
    client: HttpClient | None = None,
    batch_size: int = 20,
    max_attempts: int = 3,
    home_region: bool = False,
    max_items: int = MAX_ITEMS,
    allow_hosts: Iterable[str] = (),
) -> FetchReport:
    """Read every feed, fetch the pages of new items (and of earlier failures), ingest them.

    A page that fails is retried on later runs, up to max_attempts runs; the feed's summary stands
    in when the failure is permanent (4xx, robots.txt, too large, a refused address) or the
    attempts run out, and when a page holds no text. home_region tags every article with its
    feed's home region. At most max_items new items of one feed URL are fetched per run.
    """
    run = FetchRun.begin(
        store,
        client,
        allow_hosts,
        progress=progress,
        batch_size=batch_size,
        max_attempts=max_attempts,
        home_region=home_region,
    )
    state, report = run.state, run.report
    if since is not None and since.tzinfo is None:
        since = since.tz_localize("Asia/Jakarta")
    with _pool(run.client.config.workers) as pool:
        jobs = [
            pool.submit(read_feed, run.client, feed, url, state.validators(url))
            for feed in feeds
            for url in feed.urls
        ]
        items: list[Item] = []
        queued: set[str] = set()
        validators: dict[str, dict[str, Any]] = {}
        for future in as_completed(jobs):
            outcome = future.result()
            validators[outcome.url] = _record_feed(state, outcome, report)
            items += _new_items(outcome, run, queued, since, max_items)
        retries = state.due({f.name for f in feeds})
        report.items_new, report.items_retried = len(items), len(retries)
        run.ingest_pages(pool, items + retries)
    for url, new in validators.items():
        if new:
            state.set_validators(url, new)
    return run.finish()


def fetch_articles(
    store: Store,
    urls: list[str],
    *,
    progress: Progress | None = None,
    client: HttpClient | None = None,
    batch_size: int = 20,
    max_attempts: int = 3,
    allow_hosts: Iterable[str] = (),
) -> FetchReport:
    """Fetch article pages by URL and ingest them (pages already in the store are skipped)."""
    run = FetchRun.begin(
        store,
        client,
        allow_hosts,
        progress=progress,
        batch_size=batch_size,
        max_attempts=max_attempts,
    )
    items: dict[str, Item] = {}
    for row, url in enumerate(urls, start=1):
        key = canonical_url(checked_url(url, "article URL")) or url
        if key in items or run.state.known(key):
            run.report.items_seen += 1
        else:
            items[key] = Item(link=url, key=key, source=None, feed_url=None, row=row)
    run.report.items_new = len(items)
    with _pool(run.client.config.workers) as pool:
        run.ingest_pages(pool, list(items.values()))
    return run.finish()
