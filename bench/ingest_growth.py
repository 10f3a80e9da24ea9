"""`python -m bench.ingest_growth`: a small ingest into a large store, step by step.

Copies a store (so that the one given stays as it was), ingests files into the copy in one process
(or on a LocalCluster of --workers worker processes) with the search index left out, and prints one
JSON object: wall and CPU seconds, peak memory, load
average, the run's counts, and the seconds of each step: opening what de-duplication needs of the
stored articles (DedupeState.from_store), de-duplicating the batches, committing them, the run's
end (its keys added to the store's keys index, compaction, the ingest log), and checking every
part's fingerprint when the writer lock is taken; on a cluster, its de-duplication (the shuffles on
keys and the client's decisions).

    .venv/bin/python -m data sample --articles 900000 --store big   # or any store
    .venv/bin/python -m bench.ingest_growth --store big --data new/ --copy-to big-copy
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd

from bench.measure import fresh_copy, peak_mb
from data import pipeline
from data.store import Store

TIMED = ("DedupeState.from_store", "split_duplicates", "finish_run")


def _timed_steps(seconds: dict[str, float]) -> None:
    """Time pipeline's steps (into seconds, summed over calls) and leave out the search index."""
    pipeline.index_new_articles = lambda store: None
    for name in TIMED:
        owner, attribute = (pipeline.DedupeState, "from_store") if "." in name else (pipeline, name)
        original = getattr(owner, attribute)

        def timed(*args: Any, _original: Any = original, _name: str = name, **kw: Any) -> Any:
            started = time.perf_counter()
            try:
                return _original(*args, **kw)
            finally:
                seconds[_name] += time.perf_counter() - started

        setattr(owner, attribute, staticmethod(timed) if "." in name else timed)
    original_commit = Store.commit

    def commit(self: Store, *args: Any, **kw: Any) -> None:
        started = time.perf_counter()
        try:
            original_commit(self, *args, **kw)
        finally:
            seconds["commit"] += time.perf_counter() - started

    Store.commit = commit  # type: ignore[method-assign]
    original_verify = Store._verify_parts

    def verify(self: Store) -> None:
        started = time.perf_counter()
        try:
            original_verify(self)
        finally:
            seconds["checking_every_part"] += time.perf_counter() - started

    Store._verify_parts = verify  # type: ignore[method-assign]


def _timed_cluster_dedupe(seconds: dict[str, float]) -> None:
    """Time a cluster run's de-duplication (its shuffles and the client's decisions)."""
    from data import cluster_ingest

    original = cluster_ingest._duplicate_marks

    def timed(*args: Any, **kw: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kw)
        finally:
            seconds["cluster_dedupe"] += time.perf_counter() - started

    cluster_ingest._duplicate_marks = timed


def measured(store: Path, data: list[Path], workers: int = 0) -> dict[str, Any]:
    """Ingest data into store (no search index), in this process or on a LocalCluster of
    workers started first; the run's figures."""
    from data import cluster
    from data.cluster_ingest import ingest_paths

    seconds: dict[str, float] = defaultdict(float)
    _timed_steps(seconds)
    _timed_cluster_dedupe(seconds)
    load = os.getloadavg()[0]
    with cluster.connected(workers=workers) if workers else contextlib.nullcontext():
        cpu = time.process_time()
        started = time.perf_counter()
        report = ingest_paths(data, Store(store), now=pd.Timestamp("2026-11-01", tz="UTC"))
        wall = time.perf_counter() - started
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(time.process_time() - cpu, 2),
        "peak_mb": peak_mb(),
        "load": round(load, 1),
        "read": report.read,
        "added": report.added,
        "duplicate": report.duplicate,
        "steps_s": {name: round(value, 2) for name, value in seconds.items()},
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.ingest_growth",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--store", type=Path, required=True, help="the large store (left as it is)")
    p.add_argument("--data", type=Path, required=True, help="a file or folder to ingest")
    p.add_argument("--copy-to", type=Path, required=True, help="where the store is copied to")
    p.add_argument(
        "--workers", type=int, default=0, help="ingest on a LocalCluster of N worker processes"
    )
    args = p.parse_args(argv)
    files = sorted(f for f in args.data.rglob("*") if f.is_file()) if args.data.is_dir() else []
    copy = fresh_copy(args.store, args.copy_to)
    print(json.dumps(measured(copy, files or [args.data], args.workers)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
