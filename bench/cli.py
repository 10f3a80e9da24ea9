"""`python -m bench`: time, throughput and peak memory of every stage, against vanilla BERTopic.

For each size, a synthetic corpus (data.sample) is written as raw files and pushed through the
stages, each job in its own process: ingest (end to end, then each stage function alone), embed,
topic fit (with vanilla BERTopic on the same articles and embeddings), update with new articles,
the dashboard aggregates, the dashboard's views, keyword search and the app's first render.
With --data the user's files are used instead, and topic quality is scored against their labels
(a category column, or the section in Kompas URLs), next to a cleaning-quality section.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure import run_job
from bench.report import summary
from bench.spec import JobSpec
from bench.stages import STAGE_NAMES
from bench.tables import rendered

STAGES = ("ingest", "embed", "fit", "vanilla", "update", "aggregate", "views")
DEFAULT_STAGES = ("ingest", "embed", "fit", "update", "aggregate", "views")  # fit runs vanilla
DEFAULT_SIZES = (10_000, 100_000)
QUICK = {
    "sizes": [5_000],
    "stages": ["ingest", "fit", "update", "aggregate", "views"],
    "files_check": False,
    "e5_docs": 0,
    "vanilla_max": 2_000,
    "vanilla_fits": 1,
    "part_rows": 5_000,
}
FILES_CHECK_SIZES = (2_000, 20_000)  # sizes at which the many-files ingest is also measured

Result = dict[str, Any]


class UserError(Exception):
    """A mistake in the command line, reported without a traceback."""


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(s.replace("_", "")) for s in text.split(",") if s.strip()})
    except ValueError as exc:
        raise UserError(f"--sizes takes whole numbers separated by commas, not {text!r}") from exc
    if not sizes or sizes[0] < 100:
        raise UserError("--sizes must name at least one size of 100 articles or more")
    return sizes


def _stages(text: str) -> list[str]:
    stages = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [s for s in stages if s not in STAGES]
    if unknown or not stages:
        raise UserError(f"unknown stage(s) {', '.join(unknown)}; choose from {', '.join(STAGES)}")
    return [s for s in STAGES if s in stages]


def parser() -> argparse.ArgumentParser:
    """The command line of `python -m bench`."""
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="corpus sizes")
    p.add_argument("--data", type=Path, action="append", help="real input file or folder instead")
    p.add_argument(
        "--stages",
        help=f"among {', '.join(STAGES)} (default: all; vanilla runs with fit unless "
        "--no-vanilla; --quick leaves out embed)",
    )
    p.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    p.add_argument("--quick", action="store_true", help="size 5,000, tfidf only, small vanilla")
    p.add_argument("--work", type=Path, default=Path("bench/out"), help="corpora and stores")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--e5-docs", type=int, default=64, help="articles e5 is timed on (0: skip)")
    p.add_argument("--vanilla-max", type=int, default=20_000, help="largest vanilla fit")
    p.add_argument("--no-vanilla", action="store_true", help="skip vanilla BERTopic")
    p.add_argument("--fit-max", type=int, help="above this many articles, build on a sample")
    p.add_argument("--part-rows", type=int, default=20_000, help="rows each stage function sees")
    p.add_argument("--new-articles", type=int, default=1_000, help="articles the update assigns")
    p.add_argument("--job-timeout", type=float, help="seconds before a job is stopped")
    return p


def _options(args: argparse.Namespace) -> Result:
    quick = QUICK if args.quick else {}
    return {
        "e5_docs": quick.get("e5_docs", args.e5_docs),
        "vanilla_max": quick.get("vanilla_max", args.vanilla_max),
        "vanilla_fits": quick.get("vanilla_fits", 2),
        "files_check": quick.get("files_check", True),
        "part_rows": quick.get("part_rows", args.part_rows),
        "fit_max": args.fit_max,
        "new_articles": args.new_articles,
        "labels": bool(args.data),
    }


class Run:
    """One corpus (a size, or the user's data) and the results of its jobs."""

    def __init__(self, args: argparse.Namespace, size: int | None, smallest: bool) -> None:
        self.size = size
        self.smallest = smallest
        self.data = tuple(str(p.resolve()) for p in args.data) if args.data else None
        name = f"n{size}" if size else "data-" + "-".join(Path(p).name for p in self.data)
        self.folder = args.work.resolve() / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.seed = args.seed
        self.options = _options(args)
        self.timeout = args.job_timeout
        self.jobs: Result = {}

    def job(self, name: str, **options: Any) -> Result:
        """Run one job in its own process and keep its result."""
        spec = JobSpec(name, self.folder, self.size, self.seed, self.data, self.options | options)
        label = f"{self.size:,}" if self.size else "data"
        print(f"[bench] {label}: {STAGE_NAMES[name]} ...", file=sys.stderr, flush=True)
        result = run_job(spec, self.timeout)
        if result.get("error"):
            print(f"[bench] {label}: {name} failed: {result['error']}", file=sys.stderr)
        if name == "vanilla":
            self.jobs.setdefault(name, []).append(result)
        else:
            self.jobs[name] = result
        return result

    def ok(self, name: str) -> bool:
        """Whether the job ran (its last run, for vanilla) without an error."""
        result = self.jobs.get(name)
        last = result[-1] if isinstance(result, list) and result else result
        return isinstance(last, dict) and not last.get("error")

    def store_articles(self) -> int:
        """How many articles the run's store holds (0 without a store)."""
        from data.store import Store

        store = Store(self.folder / "store")
        return len(store.articles(["article_id"])) if store.exists() else 0

    def has_build(self) -> bool:
        """Whether the run's store has a topic build."""
        from data.store import Store

        return Store(self.folder / "store").current_build() is not None

    def to_dict(self) -> Result:
        """The run as JSON-ready data."""
        return {"size": self.size, "data": self.data, "folder": str(self.folder), "jobs": self.jobs}


def _ingest(run: Run) -> bool:
    """The ingest jobs; False when there is nothing to go on with."""
    if run.size and run.job("corpus").get("error"):
        return False
    if run.job("ingest").get("error"):
        return False
    if run.options["part_rows"]:
        run.job("ingest_parts")
    low, high = FILES_CHECK_SIZES
    if run.options["files_check"] and run.smallest and low <= (run.size or 0) <= high:
        run.job("ingest_files")
    if run.data:
        run.job("cleaning")
    return True


def _vanilla(run: Run, n: int) -> None:
    """Vanilla BERTopic on all articles, or on one or two samples to extrapolate from."""
    most = run.options["vanilla_max"]
    run.job("vanilla", rows=min(n, most))
    if n > most and run.options["vanilla_fits"] > 1 and run.ok("vanilla"):
        run.job("vanilla", rows=most // 2)


def _stages_of(run: Run, stages: list[str], vanilla: bool) -> None:
    """Run the asked stages in order, skipping those whose input is missing."""
    if "ingest" in stages and not _ingest(run):
        return
    n = run.store_articles()
    if n == 0:
        print(f"[bench] {run.folder}: no store; run the ingest stage first", file=sys.stderr)
        return
    if "embed" in stages:
        run.job("embed")
    if "fit" in stages:
        run.job("fit")
    if ("vanilla" in stages or ("fit" in stages and vanilla)) and run.has_build():
        _vanilla(run, n)
    if "update" in stages and run.has_build() and not run.data:  # it adds synthetic articles
        run.job("update")
    if "aggregate" in stages or ("views" in stages and not (run.folder / "cube.parquet").exists()):
        run.job("aggregate")
    if "views" in stages:
        run.job("views")
        if run.has_build():
            run.job("dashboard")
        run.job("keywords")
        run.job("app")


def machine() -> Result:
    """What the figures were measured on."""
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its tables; exit 2 on a bad command line."""
    args = parser().parse_args(argv)
    try:
        sizes = [None] if args.data else (QUICK["sizes"] if args.quick else _sizes(args.sizes))
        stages = (
            _stages(args.stages)
            if args.stages
            else QUICK["stages"]
            if args.quick
            else list(DEFAULT_STAGES)
        )
        missing = [str(p) for p in args.data or [] if not p.exists()]
        if missing:
            raise UserError(f"no such file or folder: {', '.join(missing)}")
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    meta = machine()
    runs = []
    for size in sizes:
        run = Run(args, size, smallest=size == sizes[0])
        _stages_of(run, stages, vanilla=not args.no_vanilla)
        runs.append(run.to_dict())
    meta["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    derived = summary(runs)
    print(rendered(runs, derived))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"meta": meta, "options": _options(args), "runs": runs, **derived}
        args.json.write_text(json.dumps(payload, indent=1, default=str), encoding="utf-8")
    return 0
