"""Live ingestion: poll RSS/Atom feeds politely, follow new items to their pages, ingest them.

Politeness and robustness (client.py): one clear User-Agent; robots.txt honoured, cached for a day
in the store; a minimum interval between requests to one host (or its Crawl-delay) and at most two
at a time per host; conditional requests, so an unchanged feed costs one 304; timeouts; retries with
exponential backoff on 5xx and connection errors only; at most five redirects, loops detected; a cap
on the size of every response and a total deadline on its time; public addresses only, checked
after DNS resolution and on every redirect (guard.py: intranet hosts are allowed explicitly by
$SOROTAN_ALLOW_HOSTS, a feeds file's ``allow_hosts`` or the Data page). At most MAX_ITEMS new
items of one feed are fetched per run; malformed feed XML is the feed's error.

State (state.py) lives in the store's meta: ``feeds`` (per feed URL: validators, health, the items
already handled), ``fetch_failures`` (items whose page failed, retried on later runs) and
``robots``. Pages are ingested in small batches as they arrive (run.py), so a run that dies
half-way keeps what it fetched.

Scheduling (schedule.py): ``python -m data fetch --feeds feeds.toml --every 30m`` keeps running;
from cron instead::

    */30 * * * * cd /srv/sorotan && flock -n store/.fetch-cron .venv/bin/python -m data fetch --feeds feeds.toml >> fetch.log 2>&1
"""

from data.fetch.client import FetchError, HttpClient, HttpConfig, Refused, Response
from data.fetch.feeds import (
    Feed,
    FeedDocument,
    FeedsFileError,
    Item,
    feed_document,
    load_allow_hosts,
    load_feeds,
    read_url_list,
)
from data.fetch.guard import ALLOW_ENV, ALLOW_META, AddressGuard, allow_entries
from data.fetch.pages import decoded_text, page_fields
from data.fetch.run import MAX_ITEMS, allowed_hosts, fetch, fetch_articles
from data.fetch.schedule import interval_seconds, run_every
from data.fetch.state import FetchReport, FetchState, feed_health

__all__ = [
    "ALLOW_ENV",
    "ALLOW_META",
    "MAX_ITEMS",
    "AddressGuard",
    "Feed",
    "FeedDocument",
    "FeedsFileError",
    "FetchError",
    "FetchReport",
    "FetchState",
    "HttpClient",
    "HttpConfig",
    "Item",
    "Refused",
    "Response",
    "allow_entries",
    "allowed_hosts",
    "decoded_text",
    "feed_document",
    "feed_health",
    "fetch",
    "fetch_articles",
    "interval_seconds",
    "load_allow_hosts",
    "load_feeds",
    "page_fields",
    "read_url_list",
    "run_every",
]
