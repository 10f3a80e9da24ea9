"""Run a fetch job every interval, one log line per run."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pandas as pd

from data.fetch.state import FetchReport

INTERVAL_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def interval_seconds(interval: str) -> float:
    """Seconds in an interval like "90s", "30m", "1h", "1h30m" or "1d"."""
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([smhd])", interval.strip().lower())
    rebuilt = "".join(f"{n}{u}" for n, u in parts)
    if not parts or rebuilt != re.sub(r"\s+", "", interval.strip().lower()):
        raise ValueError(f"interval must look like 90s, 30m, 1h or 1h30m, got {interval!r}")
    seconds = sum(float(n) * INTERVAL_UNITS[u] for n, u in parts)
    if seconds < 1:
        raise ValueError(f"interval must be at least 1 s, got {interval!r}")
    return seconds


def run_every(
    interval: str,
    job: Callable[[], FetchReport],
    log: Callable[[str], None],
    *,
    runs: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Run job now and then every interval (forever, or `runs` times), one log line per run.

    A failing run is logged and the schedule goes on. Runs never overlap: when one takes longer
    than the interval, the next starts as soon as it ends. From cron instead of --every::

        */30 * * * * cd /srv/sorotan && flock -n store/.fetch-cron .venv/bin/python -m data fetch --feeds feeds.toml >> fetch.log 2>&1
    """
    period = interval_seconds(interval)
    done = 0
    while runs is None or done < runs:
        started = clock()
        stamp = pd.Timestamp.now("UTC").strftime("%Y-%m-%d %H:%M:%S UTC")
        try:
            log(f"{stamp} {job().summary()}")
        except Exception as exc:  # a failed run must not stop the schedule
            log(f"{stamp} run failed: {type(exc).__name__}: {exc}")
        done += 1
        if runs is None or done < runs:
            sleep(max(0.0, started + period - clock()))
