"""The benchmark's jobs by name; `python -m bench.jobs SPEC.json OUT.json` runs one (bench.measure).

A job times its own work, without imports and setup, and returns items (what it processed), wall
and CPU seconds, and optional parts (sub-steps with their own figures), notes and other figures.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from bench import dashboard_jobs, ingest_jobs, topic_jobs
from bench.spec import JobSpec, Result

JOBS: dict[str, Callable[[JobSpec], Result]] = {
    "corpus": ingest_jobs.corpus_job,
    "ingest": ingest_jobs.ingest_job,
    "ingest_parts": ingest_jobs.ingest_parts_job,
    "ingest_files": ingest_jobs.ingest_files_job,
    "cleaning": ingest_jobs.cleaning_job,
    "embed": topic_jobs.embed_job,
    "fit": topic_jobs.fit_job,
    "vanilla": topic_jobs.vanilla_job,
    "update": topic_jobs.update_job,
    "aggregate": dashboard_jobs.aggregate_job,
    "views": dashboard_jobs.views_job,
    "dashboard": dashboard_jobs.dashboard_job,
    "keywords": dashboard_jobs.keywords_job,
    "app": dashboard_jobs.app_job,
}


def main(argv: list[str]) -> int:
    """Run the job a spec file names and write its result as JSON."""
    spec = JobSpec.read(Path(argv[0]))
    result = JOBS[spec.job](spec)
    Path(argv[1]).write_text(json.dumps(result, default=str, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
