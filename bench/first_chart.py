"""Server time of the app's cold first run on a store: until the first chart, in all, and a rerun.

Runs app.py in Streamlit's AppTest in a fresh process (so imports and loading are cold), notes
when the first chart is handed to Streamlit (the browser shows it from then on, while the rest
of the page is still computed), then changes the period as a user would. Not a test: run it by
hand on a store with a topic build, for example one of 100,000 sample articles.

    python -m bench.first_chart --store PATH [--repeat 3]   (repo root)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 600


def first_run_seconds(store: Path) -> dict[str, float]:
    """Seconds to the first chart, of the whole first run and of a period change (this process)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["SOROTAN_STORE"] = str(store.resolve())
    draw = st.plotly_chart
    shown: list[float] = []

    def noted(*args, **kwargs):
        shown.append(time.perf_counter())
        return draw(*args, **kwargs)

    st.plotly_chart = noted  # the views call st.plotly_chart at run time
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S)
    start = time.perf_counter()
    app.run()
    ended = time.perf_counter()
    if app.exception:
        raise RuntimeError(f"the app raised: {app.exception[0].value}")
    if not shown:
        raise RuntimeError("the first page drew no chart")
    app.selectbox(key="ctl_period").set_value("30d").run()
    return {
        "first_chart_s": shown[0] - start,
        "first_run_s": ended - start,
        "period_change_s": time.perf_counter() - ended,
    }


def main() -> None:
    """Time --repeat cold runs, each in its own process, and print them with their medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--once", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.once:
        figures = first_run_seconds(args.store)
        print(" ".join(f"{value:.3f}" for value in figures.values()))
        return
    runs = []
    for _ in range(args.repeat):
        command = [sys.executable, "-m", "bench.first_chart", "--store", str(args.store), "--once"]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
        runs.append([float(x) for x in done.stdout.split()])
        print("first chart {:.2f} s, first run {:.2f} s, period change {:.2f} s".format(*runs[-1]))
    medians = [statistics.median(column) for column in zip(*runs, strict=True)]
    print(
        "median: first chart {:.2f} s, first run {:.2f} s, period change {:.2f} s".format(*medians)
    )


if __name__ == "__main__":
    main()
