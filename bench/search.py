"""`python -m bench.search`: the search index on a synthetic store: build, size, query latency.

Writes a store of the synthetic sample's articles (reused when the folder already holds one of
the same size and seed), builds its index from nothing, adds a further 1,000 articles
incrementally (both on a LocalCluster of --workers worker processes when given: then the
workers prepare the articles and this process, the client, writes the index), and times a fixed list of one-word, two-word, phrase and filtered queries, each a
complete search (index check, BM25 ranking, the best 10 read from the store with snippets).

The store is written straight from the generator's rows (title, body as written and as raw text,
outlet, true date, province and language) in parts of 5,000 rows, as ingest commits them, then
compacted as ingest compacts; cleaning and de-duplication are ingest's benchmark, not this one's.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.trends.search import day_number, match_scores, search
from data import cluster
from data.sample import labelled_frames
from data.schema import ARTICLE_COLUMNS
from data.search.index import FOLDER, Where, index_path, sync_index
from data.store import Store

PART_ROWS = 5_000  # ingest's batch size
ADDED = 1_000
ROUNDS = 5
LIMIT = 10
MARKER = "bench-search.json"


def _queries(last_day: pd.Timestamp) -> list[tuple[str, str, Where]]:
    """(kind, query, filters) of every timed query; filters relative to the last day of data."""
    since = day_number(last_day - pd.Timedelta(days=89))
    return [
        ("one word", "banjir", Where()),
        ("one word", "tambang", Where()),
        ("one word", "kebanjiran", Where()),
        ("one word", "pemerintah", Where()),
        ("two words", "harga beras", Where()),
        ("two words", "banjir jakarta", Where()),
        ("two words", "jalan rusak", Where()),
        ("phrase", '"tambang emas"', Where()),
        ("phrase", '"harga beras"', Where()),
        ("phrase", '"pemerintah daerah"', Where()),
        ("filtered", "banjir", Where(province="32")),
        ("filtered", "tambang", Where(first_day=since)),
        ("filtered", '"harga beras"', Where(language="id", first_day=since)),
        ("filtered", "pemerintah", Where(province="35", first_day=since)),
    ]


def _articles(frame: pd.DataFrame, now: pd.Timestamp, prefix: str) -> pd.DataFrame:
    """Generated rows as store articles (the columns the sample's truth gives), ids from prefix."""
    count = len(frame)
    ids = [f"{prefix}-{i:08x}" for i in range(count)]
    values: dict[str, Any] = dict.fromkeys(ARTICLE_COLUMNS)
    values |= {
        "article_id": ids,
        "url": frame["url"].to_numpy(),
        "source": frame["source"].to_numpy(),
        "title": frame["title"].to_numpy(),
        "text": frame["text"].to_numpy(),
        "raw_text": frame["text"].to_numpy(),
        "published_at": frame["truth_published_at"].to_numpy(),
        "date_source": "field",
        "language": frame["truth_language"].to_numpy(),
        "province_code": frame["truth_province_code"].to_numpy(),
        "regency_code": frame["truth_regency_code"].to_numpy(),
        "category": frame["category"].to_numpy(),
        "file": frame["file"].to_numpy(),
        "row": frame["row"].to_numpy(),
        "ingested_at": now,
    }
    table = pd.DataFrame(
        {c: values[c] if values[c] is not None else [None] * count for c in values}
    )
    return table.assign(published_at=pd.to_datetime(table["published_at"], utc=True))


def _commit(store: Store, frames: Iterable[pd.DataFrame], name: str) -> None:
    """Commit generated frames as parts of the store, article ids named name-part-row."""
    now = pd.Timestamp.now("UTC")
    with store.writer():
        for number, frame in enumerate(frames):
            store.commit({"articles": _articles(frame, now, f"{name}-{number:05d}")})
        store.compact("articles")


def _bench_store(folder: Path, size: int, seed: int) -> tuple[Store, float]:
    """A store of size generated articles in folder (reused when already written); seconds spent."""
    store = Store(folder / "store")
    marker = folder / MARKER
    if marker.exists() and json.loads(marker.read_text()) == {"size": size, "seed": seed}:
        return store, 0.0
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    _commit(store, labelled_frames(size, seed, chunk_rows=PART_ROWS), "bench")
    marker.write_text(json.dumps({"size": size, "seed": seed}))
    return store, time.perf_counter() - started


def _bytes(path: Path, skip: str | None = None) -> int:
    """Bytes of the files under path (leaving out the folder named skip)."""
    return sum(
        p.stat().st_size
        for p in path.rglob("*")
        if p.is_file() and (skip is None or skip not in p.relative_to(path).parts)
    )


def _timed(store: Store, queries: list[tuple[str, str, Where]]) -> pd.DataFrame:
    """Seconds of every query, ROUNDS times over: kind, query, ranked (the best LIMIT found and
    ranked), complete (the same with their titles and snippets read from the store), matches."""
    rows = []
    for _ in range(ROUNDS):
        for kind, query, where in queries:
            started = time.perf_counter()
            match_scores(store, query, where, LIMIT)  # the best LIMIT and the count
            ranked = time.perf_counter() - started
            started = time.perf_counter()
            _, total = search(store, query, where=where, limit=LIMIT)
            rows.append((kind, query, ranked, time.perf_counter() - started, total))
    return pd.DataFrame(rows, columns=["kind", "query", "ranked", "complete", "matches"])


def _latency(seconds: pd.Series) -> dict[str, float]:
    """Median and 95th percentile in milliseconds."""
    return {
        "median_ms": round(1000 * statistics.median(seconds), 1),
        "p95_ms": round(1000 * float(np.percentile(seconds, 95)), 1),
    }


def _peak_mb() -> float:
    """This process's peak resident memory so far, MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run(
    size: int, seed: int, folder: Path, reuse_index: bool = False, workers: int = 0
) -> dict[str, Any]:
    """Build (or, with reuse_index, bring up to date), extend and query the index of a synthetic
    store, building on a LocalCluster of `workers` worker processes when not 0; the figures."""
    store, written = _bench_store(folder, size, seed)
    if not reuse_index:
        shutil.rmtree(store.path / FOLDER, ignore_errors=True)
    with cluster.connected(workers=workers or None):
        cpu = time.process_time()
        built = sync_index(store)
        build_cpu, build_peak = time.process_time() - cpu, _peak_mb()
        extra = labelled_frames(max(ADDED, 1_000), seed + 1, chunk_rows=ADDED)
        _commit(store, [next(extra)], f"added-{time.time_ns():x}")  # new ids on every run
        added = sync_index(store)
    store_bytes = _bytes(store.path, skip=FOLDER)
    index_bytes = index_path(store).stat().st_size
    last = store.articles(["published_at"])["published_at"].max().tz_convert("Asia/Jakarta")
    times = _timed(store, _queries(last.tz_localize(None).floor("D")))
    per_kind = {
        kind: {"ranked": _latency(group["ranked"]), "complete": _latency(group["complete"])}
        for kind, group in times.groupby("kind", sort=False)
    }
    return {
        "articles": built["articles"],
        "store_written_s": round(written, 1),
        "build_s": built["seconds"],
        "build_articles_per_s": round(built["added"] / built["seconds"])
        if built["added"]
        else None,
        "build_cpu_s": round(build_cpu, 1),
        "peak_mb_after_build": build_peak,
        "workers": workers,
        "index_reused": reuse_index,
        "incremental_articles": added["added"],
        "incremental_s": added["seconds"],
        "index_bytes": index_bytes,
        "store_bytes": store_bytes,
        "articles_bytes": _bytes(store.path / "articles"),
        "index_share_of_store": round(index_bytes / store_bytes, 3),
        "queries": len(times) // ROUNDS,
        "rounds": ROUNDS,
        "ranked": _latency(times["ranked"]),
        "complete": _latency(times["complete"]),
        "by_kind": per_kind,
        "matches": times.groupby("query", sort=False)["matches"].first().to_dict(),
    }


def _pair(latency: dict[str, float]) -> str:
    """'median / p95' of a latency."""
    return f"{latency['median_ms']} / {latency['p95_ms']}"


def _printed(figures: dict[str, Any]) -> str:
    """The figures as a few lines of text."""
    mb = 1024 * 1024
    lines = [
        f"{figures['articles']:,} articles; store written in {figures['store_written_s']} s "
        "(0 when reused)",
        (
            f"index built in {figures['build_s']:.1f} s ({figures['build_articles_per_s']:,} "
            f"articles/s, {figures['build_cpu_s']} CPU s in this process"
            + (f" with {figures['workers']} workers" if figures["workers"] else "")
            + f", peak {figures['peak_mb_after_build']:,.0f} MB); "
            if figures["build_articles_per_s"]
            else "index reused (its build not timed); "
        )
        + f"{figures['incremental_articles']:,} more added in {figures['incremental_s']:.1f} s",
        f"index {figures['index_bytes'] / mb:,.1f} MB, store {figures['store_bytes'] / mb:,.1f} MB "
        f"(articles {figures['articles_bytes'] / mb:,.1f} MB): index = "
        f"{figures['index_share_of_store']:.0%} of the store",
        f"{figures['queries']} queries x {figures['rounds']} rounds, median / p95 ms: "
        f"ranked {_pair(figures['ranked'])}; with titles and snippets {_pair(figures['complete'])}",
    ]
    lines += [
        f"  {kind:<10} ranked {_pair(v['ranked'])}; with snippets {_pair(v['complete'])}"
        for kind, v in figures["by_kind"].items()
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the search benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--articles", type=int, default=1_000_000, help="corpus size")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--folder", default="bench/out/search", help="work folder (store kept)")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    parser.add_argument(
        "--reuse-index",
        action="store_true",
        help="keep an index left by an earlier run (time queries)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="build on a LocalCluster of this many worker processes (default: this process)",
    )
    args = parser.parse_args(argv)
    folder = Path(args.folder) / f"n{args.articles}-s{args.seed}"
    figures = run(args.articles, args.seed, folder, args.reuse_index, args.workers)
    print(_printed(figures))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
