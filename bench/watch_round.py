"""Time of one monitoring round on a store: with nothing new, and after N new articles.

Copies the store to a temporary folder, saves three watches (everywhere, Banten, a keyword query),
runs a round with nothing new, ingests N synthetic articles of the sample's last year (a new
seed, so they are new articles), then runs the round that gives them topics, checks the watches
and writes the alerts to a JSON Lines file. Fetching is left out: its time is the outlets' and
the politeness delay's (1 request/s per host). Not a test: run it by hand, e.g. on the sample.

    python -m bench.watch_round --store PATH [--new 1000]   (repo root)
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

from analysis.watch.deliver import JsonLinesFile
from analysis.watch.rounds import RoundReport, WatchSettings, run_round
from analysis.watch.watches import add_watch
from data.pipeline import ingest_paths
from data.sample import write_sample
from data.store import Store


def timed_round(store: Store, alerts: Path, now: pd.Timestamp) -> tuple[float, RoundReport]:
    """Seconds of one round at now (alerts to the file), and its report."""
    started = time.perf_counter()
    report = run_round(store, WatchSettings(), [JsonLinesFile(alerts)], now=now)
    return time.perf_counter() - started, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--new", type=int, default=1000, help="new articles (default 1000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "store")
        shutil.copytree(args.store, store.path)
        latest = store.articles(["published_at"])["published_at"].max()
        add_watch(store, "region", None)
        add_watch(store, "region", "36")
        add_watch(store, "query", "banjir ATAU longsor")
        alerts = Path(folder) / "alerts.jsonl"
        idle, _ = timed_round(store, alerts, latest)
        files = write_sample(Path(folder) / "new", n_articles=args.new, seed=7)
        started = time.perf_counter()
        ingested = ingest_paths(files, store)
        ingest_s = time.perf_counter() - started
        busy, report = timed_round(store, alerts, latest + pd.Timedelta(hours=1))
        total = len(store.articles(["article_id"]))
    print(f"store {total:,} articles; {ingested.added:,} new ({ingest_s:.1f} s to ingest)")
    print(f"round with nothing new: {idle:.2f} s")
    print(
        f"round after {ingested.added:,} new: {busy:.2f} s (assigned {report.assigned:,}, "
        f"rising {report.rising}, alerts {report.alerts})"
    )


if __name__ == "__main__":
    main()
