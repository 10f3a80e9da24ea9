"""First chart under load: N sessions open the dashboard at the same moment.

Starts `streamlit run app.py` on a store, opens one session to load the store (not counted), then,
for each N, opens N sessions at once and notes when each receives its first chart and when its
page is complete. A session is what a reader's browser opens: Streamlit's websocket protocol,
spoken here directly, so that on a small machine the figures are the server's alone (a newsroom's
browsers run on their readers' machines); --browsers drives headless Chromium instead, one context
per session, and times the first chart drawn on screen. Prints percentiles per N and the ratio of
medians to one session; --json writes them. Not a test: run it by hand, on the 20,000-article
sample for example.

    python -m bench.load --store PATH [--sessions 1,8] [--rounds 3] [--browsers] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager
from functools import partial
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
FIRST_CHART = '[data-testid="stPlotlyChart"] .main-svg'
START_S = 120
PAGE_MS = 300_000


def free_port() -> int:
    """A TCP port free on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(store: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """`streamlit run app.py` on store at a free loopback port, until the block ends; its URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
            "--server.port", str(port), "--server.address", "127.0.0.1",
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {}), "SOROTAN_STORE": str(store)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_S
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _is_chart(message: ForwardMsg) -> bool:
    """Whether a message from the server adds a Plotly chart to the page."""
    return (
        message.WhichOneof("type") == "delta"
        and message.delta.WhichOneof("type") == "new_element"
        and message.delta.new_element.WhichOneof("type") == "plotly_chart"
    )


async def protocol_session(url: str) -> dict[str, float]:
    """Seconds until a new session at url receives its first chart, and until its page is done."""
    import websockets

    started = time.perf_counter()
    first = None
    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(stream, subprotocols=["streamlit"], max_size=None) as socket_:
        opening = BackMsg()
        opening.rerun_script.query_string = ""
        await socket_.send(opening.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(await socket_.recv())
            if first is None and _is_chart(message):
                first = time.perf_counter() - started
            if message.WhichOneof("type") == "script_finished":
                return {"first_chart": first or float("nan"), "page": time.perf_counter() - started}


async def browser_session(browser, url: str) -> dict[str, float]:
    """Seconds until a new browser session at url shows its first drawn chart."""
    started = time.perf_counter()
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = await context.new_page()
        await page.goto(url)
        await page.wait_for_selector(FIRST_CHART, timeout=PAGE_MS)
        return {"first_chart": time.perf_counter() - started}
    finally:
        await context.close()


async def _rounds(
    url: str, sessions: list[int], rounds: int, browsers: bool
) -> dict[int, list[dict[str, float]]]:
    """Per number of sessions, the seconds of every session of every round."""
    async with AsyncExitStack() as stack:
        if browsers:
            from playwright.async_api import async_playwright

            driver = await stack.enter_async_context(async_playwright())
            browser = await driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            stack.push_async_callback(browser.close)
            session = partial(browser_session, browser)
        else:
            session = protocol_session
        await session(url)  # loads the store
        seconds: dict[int, list[dict[str, float]]] = {n: [] for n in sessions}
        for _ in range(rounds):
            for n in sessions:
                seconds[n] += await asyncio.gather(*(session(url) for _ in range(n)))
    return seconds


def percentiles(values: list[float]) -> dict[str, float]:
    """Median, 90th percentile and maximum, in seconds."""
    cuts = statistics.quantiles(values, n=10, method="inclusive") if len(values) > 1 else values
    return {
        "p50_s": round(statistics.median(values), 2),
        "p90_s": round(cuts[-1], 2),
        "max_s": round(max(values), 2),
    }


def load_figures(
    store: Path, sessions: list[int], rounds: int, browsers: bool = False
) -> dict[str, dict[str, dict[str, float]]]:
    """Per number of simultaneous sessions: percentiles of the first chart and (protocol sessions)
    of the whole page, each with its median's ratio to one session's when sessions includes 1."""
    with streamlit_server(store) as url:
        seconds = asyncio.run(_rounds(url, sessions, rounds, browsers))
    figures = {
        str(n): {stage: percentiles([t[stage] for t in timings]) for stage in timings[0]}
        for n, timings in seconds.items()
    }
    for stage, alone in figures.get("1", {}).items():
        for row in figures.values():
            row[stage]["p50_ratio"] = round(row[stage]["p50_s"] / alone["p50_s"], 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--sessions", default="1,8", help="comma-separated (default 1,8)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per size (default 3)")
    parser.add_argument("--browsers", action="store_true", help="headless Chromium sessions")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    sessions = [int(n) for n in args.sessions.split(",")]
    figures = load_figures(args.store.resolve(), sessions, args.rounds, args.browsers)
    for n, stages in figures.items():
        for stage, row in stages.items():
            ratio = f", {row['p50_ratio']:.1f}x one session" if "p50_ratio" in row else ""
            print(
                f"{n:>3} sessions, {stage.replace('_', ' '):<11}: p50 {row['p50_s']:.2f} s, "
                f"p90 {row['p90_s']:.2f} s, max {row['max_s']:.2f} s{ratio}"
            )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
