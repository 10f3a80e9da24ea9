"""Run one benchmark job in a child process and measure it: wall time, CPU time, peak memory.

Each job runs as `python -m bench.jobs SPEC OUT` in its own process, so that its peak resident set
size (read from os.wait4 for that child alone) is not inflated by earlier jobs. The job times its own
stage (without imports and setup) and writes its figures as JSON to OUT.
"""

from __future__ import annotations

import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.spec import JobSpec

MIB = 1024.0  # ru_maxrss is in KiB on Linux


def run_job(spec: JobSpec, timeout_s: float | None = None) -> dict[str, Any]:
    """The job's own figures plus process_seconds, process_cpu_seconds and peak_rss_mb."""
    with tempfile.TemporaryDirectory(prefix="sorotan-bench-") as tmp:
        spec_path, out_path = Path(tmp) / "spec.json", Path(tmp) / "out.json"
        spec.write(spec_path)
        command = [sys.executable, "-m", "bench.jobs", str(spec_path), str(out_path)]
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONHASHSEED": "0"}
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, cwd=Path(__file__).resolve().parents[1])
        status, usage = _waited(child, timeout_s)
        wall = time.perf_counter() - started
        result = (
            json.loads(out_path.read_text(encoding="utf-8"))
            if out_path.exists()
            else {"error": _failure(status, timeout_s)}
        )
    return {
        **result,
        "process_seconds": round(wall, 3),
        "process_cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_rss_mb": round(usage.ru_maxrss / MIB, 1),
    }


def _waited(child: subprocess.Popen, timeout_s: float | None):
    """Wait for the child (killing it after timeout_s) and return its exit status and rusage."""
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid == child.pid:
            child.returncode = os.waitstatus_to_exitcode(status)
            return child.returncode, usage
        if deadline is not None and time.monotonic() > deadline:
            child.kill()
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
            return "timeout", usage
        time.sleep(0.05)


def _failure(status: int | str, timeout_s: float | None) -> str:
    """Why a job left no result."""
    if status == "timeout":
        return f"stopped after {timeout_s:.0f} s"
    return f"the job process exited with status {status}"


def growth_exponent(sizes: list[float], values: list[float]) -> float | None:
    """Slope of log(value) against log(size): 1 is linear; None with fewer than two usable points."""
    points = [(s, v) for s, v in zip(sizes, values, strict=True) if s and v and s > 0 and v > 0]
    if len({s for s, _ in points}) < 2:
        return None
    x, y = np.log([s for s, _ in points]), np.log([v for _, v in points])
    slope = float(np.polyfit(x, y, 1)[0])
    return round(slope, 2) if math.isfinite(slope) else None


def peak_mb() -> int:
    """This process's peak resident memory, MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / MIB)


def fresh_copy(store: Path, to: Path) -> Path:
    """A copy of store at `to` (replacing what was there), for a run that changes it."""
    if to.exists():
        shutil.rmtree(to)
    shutil.copytree(store, to)
    return to
