"""`python -m bench.update_growth`: an update of a few new articles in a large store.

Copies a store whose current build lacks its newest articles (so that the one given stays as it
was), runs `analysis update` on the copy in one process (or on a LocalCluster of --workers worker
processes started first; search index left out), and prints one JSON object: wall and CPU seconds
of this process, its peak memory (and each worker's), load average before and after, and the
update's counts.

    .venv/bin/python -m data sample --articles 250000 --store big
    .venv/bin/python -m analysis build --fast --store big
    .venv/bin/python -m data ingest new/ --store big
    .venv/bin/python -m bench.update_growth --store big --copy-to big-copy [--workers 2]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import time
from pathlib import Path
from typing import Any

from analysis.topics.update import update_store
from bench.measure import fresh_copy, peak_mb
from data.store import Store


def measured(store: Path, workers: int = 0) -> dict[str, Any]:
    """Update the store in this process or on a LocalCluster of workers started first; the run's
    figures."""
    from data import cluster

    load = os.getloadavg()[0]
    figures: dict[str, Any] = {}
    with cluster.connected(workers=workers) if workers else contextlib.nullcontext() as client:
        cpu = time.process_time()
        started = time.perf_counter()
        report = update_store(Store(store))
        figures["wall_s"] = round(time.perf_counter() - started, 2)
        figures["cpu_s"] = round(time.process_time() - cpu, 2)
        if client is not None:
            figures["worker_peak_mb"] = sorted(client.run(peak_mb).values())
    return {
        **figures,
        "peak_mb": peak_mb(),
        "load": round(load, 1),
        "load_after": round(os.getloadavg()[0], 1),
        "n_articles": report["n_articles"],
        "n_new": report["n_new"],
        "low_confidence_share": report["low_confidence_share"],
        "unassigned_share": report["unassigned_share"],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.update_growth",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--store", type=Path, required=True, help="the large store (left as it is)")
    p.add_argument("--copy-to", type=Path, required=True, help="where the store is copied to")
    p.add_argument(
        "--workers", type=int, default=0, help="update on a LocalCluster of N worker processes"
    )
    args = p.parse_args(argv)
    print(json.dumps(measured(fresh_copy(args.store, args.copy_to), args.workers)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
