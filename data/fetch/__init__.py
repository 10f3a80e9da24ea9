"""Live ingestion: poll RSS/Atom feeds politely, follow new items to their pages, ingest them.

Politeness and robustness (client.py): one clear User-Agent; robots.txt honoured, cached for a day
in the store; a minimum interval between requests to one host (or its Crawl-delay) and at most two
at a time per host; conditional requests, so an unchanged feed costs one 304; timeouts; retries with
exponential backoff on 5xx and connection errors only; at most five redirects, loops detected; a cap
on the size of every response.

State (state.py) lives in the store's meta: ``feeds`` (per feed URL: validators, health, the items
already handled), ``fetch_failures`` (items whose page failed, retried on later runs) and
``robots``. Pages are ingested in small batches as they arrive (run.py), so a run that dies
half-way keeps what it fetched.

Scheduling (schedule.py): ``python -m data fetch --feeds feeds.toml --every 30m`` keeps running;
from cron instead::

    */30 * * * * cd /srv/sorotan && flock -n store/.fetch-cron .venv/bin/python -m data fetch --feeds feeds.toml >> fetch.log 2>&1
"""

from data.fetch.client import FetchError, HttpClient, HttpConfig, Response
from data.fetch.feeds import Feed, FeedsFileError, Item, feed_items, load_feeds, read_url_list
from data.fetch.pages import decoded_text, page_fields
from data.fetch.run import fetch, fetch_articles
from data.fetch.schedule import interval_seconds, run_every
from data.fetch.state import FetchReport, FetchState, feed_health

__all__ = [
    "Feed",
    "FeedsFileError",
    "FetchError",
    "FetchReport",
    "FetchState",
    "HttpClient",
    "HttpConfig",
    "Item",
    "Response",
    "decoded_text",
    "feed_health",
    "feed_items",
    "fetch",
    "fetch_articles",
    "interval_seconds",
    "load_feeds",
    "page_fields",
    "read_url_list",
    "run_every",
]
