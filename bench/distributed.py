"""`python -m bench.distributed`: one process against a Dask LocalCluster, stage by stage.

For each size, a synthetic corpus (data.sample) is ingested, built and cubed twice, each stage in a
fresh process: once in that process alone, once with a LocalCluster of --workers worker processes
(one thread each) started inside it. Both cubes are computed from the one-process store and build:
a full build's UMAP layouts are not bit-identical from one process to the next, so two builds are
compared by their figures, not cell by cell. Printed per stage and mode: wall seconds, peak memory of the
process (the client) and of each worker, and for the cluster the mean seconds of a task of each
kind (per batch of 5,000 rows, per partition of 20,000 texts, per store part): the figures the
cost model in the README is drawn from. The two stores must hold the same articles and duplicates,
and the two cubes the same cells and counts, or the run fails.

    .venv/bin/python -m bench.distributed --sizes 100000 --json bench/out/distributed.json
    .venv/bin/python -m bench.distributed --sizes 1000000 --stages ingest
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

STAGES = ("ingest", "build", "cube")
MODES = ("single", "cluster")
NO_INDEX = "SOROTAN_BENCH_NO_INDEX"  # set by --no-index for the stage processes
MIB = 1024.0  # ru_maxrss is in KiB on Linux
ROOT = Path(__file__).resolve().parents[1]


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / MIB, 1)


def _task_means(stream: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Count, mean and total compute seconds of the tasks of each kind in a task stream."""
    from dask.utils import key_split

    seconds: dict[str, list[float]] = defaultdict(list)
    for task in stream:
        compute = [s for s in task.get("startstops", ()) if s["action"] == "compute"]
        seconds[key_split(task["key"])].append(sum(s["stop"] - s["start"] for s in compute))
    return {
        name: {"tasks": len(v), "mean_s": round(sum(v) / len(v), 4), "total_s": round(sum(v), 2)}
        for name, v in sorted(seconds.items(), key=lambda kv: -sum(kv[1]))
        if sum(v) > 0.05
    }


def _stage(stage: str, store_path: Path, files: list[Path]) -> dict[str, Any]:
    """Run one stage on the store (on the current cluster, if any); its own figures."""
    import pandas as pd

    from data.store import Store

    store = Store(store_path)
    if stage == "ingest":
        from data.cluster_ingest import ingest_paths

        phases: dict[str, float] = {}
        _time_phases(phases)
        _time_index(phases, skip=os.environ.get(NO_INDEX) == "1")
        report = ingest_paths(
            files, store, now=pd.Timestamp("2026-11-01", tz="UTC"), progress=lambda n: None
        )
        counts = {"added": report.added, "duplicate": report.duplicate, "read": report.read}
        return {**counts, "phases": phases}
    if stage == "build":
        from analysis.topics.build import build_store

        info = build_store(store, seed=0)
        return {"n_topics": info["n_topics"], "timings": info["timings"]}
    from analysis.topics.build_folder import store_cube
    from data import cluster

    client = cluster.current()
    cube = store_cube(store, store.assignments())
    cube.to_parquet(store_path / f"bench-cube-{'cluster' if client else 'single'}.parquet")
    return {"cells": len(cube), "articles": int(cube["articles"].sum())}


def _time_index(phases: dict[str, float], skip: bool) -> None:
    """Time the search index's update at the end of an ingest (into phases), or skip it (on a
    cluster the workers prepare the articles and the client writes them)."""
    from data import pipeline

    original = pipeline.index_new_articles

    def timed(store: Any) -> None:
        started = time.perf_counter()
        if not skip:
            original(store)
        phases["search_index"] = round(time.perf_counter() - started, 2)

    pipeline.index_new_articles = timed


def _time_phases(phases: dict[str, float]) -> None:
    """Time the phases of a cluster ingest (into phases): preparing every batch (_progress_of
    waits for them), the shuffles on keys (_to_decide, with the rows it finds need deciding at
    the client), and the whole de-duplication (_duplicate_marks, which holds the shuffles)."""
    from data import cluster_ingest

    for name in ("_progress_of", "_to_decide", "_duplicate_marks"):
        original = getattr(cluster_ingest, name)

        def timed(*args: Any, _original: Any = original, _name: str = name, **kwargs: Any) -> Any:
            started = time.perf_counter()
            out = _original(*args, **kwargs)
            phases[_name.strip("_")] = round(time.perf_counter() - started, 2)
            if _name == "_to_decide":
                phases["rows_decided_at_the_client"] = len(out)
            return out

        setattr(cluster_ingest, name, timed)


def _job(stage: str, store_path: Path, files: list[Path], workers: int) -> dict[str, Any]:
    """One stage in this process, alone (workers 0) or on a fresh LocalCluster."""
    from data import cluster

    if not workers:
        started = time.perf_counter()
        result = _stage(stage, store_path, files)
        return {**result, "seconds": round(time.perf_counter() - started, 2), "peak_mb": _peak_mb()}
    from distributed import get_task_stream

    with cluster.connected(workers=workers) as client:
        started = time.perf_counter()
        with get_task_stream(client) as stream:
            result = _stage(stage, store_path, files)
        seconds = time.perf_counter() - started
        workers_mb = client.run(_peak_mb)
    return {
        **result,
        "seconds": round(seconds, 2),
        "peak_mb": _peak_mb(),
        "worker_peak_mb": sorted(workers_mb.values()),
        "tasks": _task_means(stream.data),
    }


def _run_job(stage: str, store: Path, files: Path, workers: int) -> dict[str, Any]:
    """_job in a child process (so that each peak is that stage's own)."""
    command = [sys.executable, "-m", "bench.distributed", "--job", stage, "--store", str(store)]
    command += ["--files", str(files), "--workers", str(workers)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{stage} ({workers} workers) failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _same_answers(single: Path, spread: Path, stages: list[str]) -> None:
    """Fail unless both stores hold the same articles and duplicates (and cube cells)."""
    import pandas as pd

    from data.store import Store

    a, b = Store(single), Store(spread)
    ids = [s.articles(["article_id"])["article_id"].sort_values().tolist() for s in (a, b)]
    dups = [len(s.duplicates()) for s in (a, b)]
    if ids[0] != ids[1] or dups[0] != dups[1]:
        raise SystemExit("the cluster kept other articles or duplicates than one process")
    if "cube" in stages:
        cubes = [pd.read_parquet(single / f"bench-cube-{mode}.parquet") for mode in MODES]
        keys = ["day", "topic_id", "province_code", "regency_code", "source", "language"]
        counts = [
            c.astype({k: object for k in keys[2:]}).groupby(keys, dropna=False)["articles"].sum()
            for c in cubes
        ]
        if not counts[0].sort_index().equals(counts[1].sort_index()):
            raise SystemExit("the cluster's cube counts differ from one process's")


def run(sizes: list[int], stages: list[str], workers: int, folder: Path) -> list[dict[str, Any]]:
    """Every stage at every size, alone and on the cluster; one row per (size, stage, mode)."""
    from data.sample import write_sample

    rows = []
    for size in sizes:
        files = folder / f"files-{size}"
        if not files.exists():
            write_sample(files, n_articles=size, seed=42)
        for stage in stages:
            for mode, n in (("single", 0), (f"cluster({workers})", workers)):
                # the cube of both modes from the same store and build (a full build's UMAP
                # layouts are not bit-identical from one process to the next)
                own = "cluster" if n and stage != "cube" else "single"
                store = folder / f"store-{size}-{own}"
                load = os.getloadavg()[0]
                result = _run_job(stage, store, files, n)
                rows.append(
                    {"size": size, "stage": stage, "mode": mode, "load": round(load, 1), **result}
                )
                print(_line(rows[-1]), file=sys.stderr, flush=True)
        _same_answers(folder / f"store-{size}-single", folder / f"store-{size}-cluster", stages)
    return rows


def _line(row: dict[str, Any]) -> str:
    workers = "/".join(f"{mb:,.0f}" for mb in row.get("worker_peak_mb", []))
    return (
        f"| {row['size']:,} | {row['stage']} | {row['mode']} | {row['seconds']:,.1f} | "
        f"{row['peak_mb']:,.0f} | {workers or '–'} | {row['load']} |"
    )


def table(rows: list[dict[str, Any]]) -> str:
    """The rows as a Markdown table, then the mean task times of the cluster runs."""
    lines = [
        "| articles | stage | mode | s | client MB | worker MB | load |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *map(_line, rows),
        "",
        "| articles | stage | task | tasks | mean s | total s |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        for name, t in row.get("tasks", {}).items():
            lines.append(
                f"| {row['size']:,} | {row['stage']} | {name} | {t['tasks']} | "
                f"{t['mean_s']} | {t['total_s']} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.distributed",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--sizes", default="100000", help="corpus sizes (default 100000)")
    p.add_argument("--stages", default=",".join(STAGES), help=f"among {', '.join(STAGES)}")
    p.add_argument("--workers", type=int, default=2, help="LocalCluster workers (default 2)")
    p.add_argument("--folder", type=Path, help="keep corpora and stores here (default: temporary)")
    p.add_argument("--json", type=Path, help="write the rows as JSON")
    p.add_argument(
        "--no-index",
        action="store_true",
        help="leave out the search index's update at the end of an ingest (written by the client "
        "in both modes)",
    )
    p.add_argument("--job", choices=STAGES, help=argparse.SUPPRESS)
    p.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--files", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.job:
        files = sorted(f for f in args.files.rglob("*") if f.is_file())
        print(json.dumps(_job(args.job, args.store, files, args.workers)))
        return 0
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    stages = [s for s in STAGES if s in args.stages.split(",")]
    if not sizes or min(sizes) < 1_000 or not stages or args.workers < 1:
        p.error("--sizes of 1000 or more, --stages among ingest,build,cube, --workers 1 or more")
    if args.no_index:
        os.environ[NO_INDEX] = "1"
    with tempfile.TemporaryDirectory(prefix="sorotan-distributed-") as tmp:
        rows = run(sizes, stages, args.workers, args.folder or Path(tmp))
    print(table(rows))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
