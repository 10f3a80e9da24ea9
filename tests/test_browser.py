"""The dashboard in a real Chromium: every page, a click-through on a time chart, the presenter view.

Starts `streamlit run app.py` on a free loopback port over the fixture store and drives Debian's
chromium through Playwright. Screenshots of each page go to a temporary folder, and also to
$SOROTAN_SCREENSHOTS when it is set.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from bench.load import CHROMIUM, CHROMIUM_ARGS, protocol_session, streamlit_server
from tests.dashboard_fixture import dashboard_store

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
PAGES = {
    "overview": "",
    "topics": "topics",
    "trends": "trends",
    "regions": "regions?region=36",
    "articles": "articles",
    "data": "data_admin",
}
SETTLED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
PAGE_MS = 60_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run app.py` on the fixture store; its base URL."""
    with streamlit_server(dashboard_store(tmp_path_factory)) as base:
        yield base


@pytest.fixture(scope="module")
def browser_page(server: str):
    """A Chromium page of 1400 x 900 pixels."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        yield page
        browser.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Folders the screenshots go to."""
    folders = [tmp_path_factory.mktemp("screenshots")]
    if os.environ.get("SOROTAN_SCREENSHOTS"):
        folders.append(Path(os.environ["SOROTAN_SCREENSHOTS"]))
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    return folders


def settle(page) -> None:
    """Wait until the script has finished running and the page stays still."""
    for _ in range(2):
        page.wait_for_timeout(400)
        page.wait_for_selector(SETTLED, timeout=PAGE_MS)


def snapshot(page, shots: list[Path], name: str) -> None:
    """A screenshot of the whole page (the main area scrolls inside the app)."""
    height = page.evaluate(
        "() => (document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight"
    )
    page.set_viewport_size({"width": 1400, "height": min(max(900, height + 40), 8000)})
    page.wait_for_timeout(500)
    for folder in shots:
        page.screenshot(path=str(folder / f"{name}.png"))
    page.set_viewport_size({"width": 1400, "height": 900})


def exceptions(page) -> list[str]:
    """Text of the Streamlit exception boxes on the page."""
    return [element.inner_text()[:500] for element in page.query_selector_all(EXCEPTION)]


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_opens_without_exceptions(browser_page, server, shots, name):
    browser_page.goto(f"{server}/{PAGES[name]}")
    settle(browser_page)
    assert browser_page.locator("h1").first.is_visible()
    snapshot(browser_page, shots, name)
    assert exceptions(browser_page) == []


def test_clicking_a_point_on_a_time_chart_opens_that_period(browser_page, server, shots):
    browser_page.goto(f"{server}/trends")
    settle(browser_page)
    points = browser_page.locator(".js-plotly-plot .scatterlayer .points path").all()
    highest = min(points, key=lambda p: p.bounding_box()["y"])  # a period with articles in it
    highest.click(force=True)
    settle(browser_page)
    drill = browser_page.get_by_text("Kata khas")
    drill.wait_for(timeout=PAGE_MS)
    assert browser_page.locator("h4").first.inner_text().count("·") >= 1
    snapshot(browser_page, shots, "trends-drilldown")
    assert exceptions(browser_page) == []


def test_a_chart_downloads_the_data_it_draws_as_csv(browser_page, server):
    browser_page.goto(f"{server}/")
    settle(browser_page)
    with browser_page.expect_download(timeout=PAGE_MS) as info:
        browser_page.get_by_role("button", name="CSV").first.click()
    download = info.value
    assert download.suggested_filename == "sorotan-volume.csv"
    table = pd.read_csv(download.path())
    assert list(table.columns) == ["series", "x", "y"]
    assert len(table) > 0 and table["y"].sum() > 0
    assert pd.to_datetime(table["x"], format="%Y-%m-%d").notna().all()
    assert exceptions(browser_page) == []


def test_clicking_jakartas_bubble_on_the_map_picks_jakarta(browser_page, server, shots):
    browser_page.goto(f"{server}/regions")
    settle(browser_page)
    browser_page.wait_for_timeout(2000)  # the map's first frame
    x, y = browser_page.evaluate(
        """() => {
          const plot = document.querySelector('.js-plotly-plot');
          const point = plot._fullLayout.map._subplot.map.project([106.85, -6.21]);
          const canvas = plot.querySelector('canvas').getBoundingClientRect();
          return [canvas.left + point.x, canvas.top + point.y];
        }"""
    )
    browser_page.mouse.click(x, y)
    settle(browser_page)
    assert "region=31" in browser_page.url
    assert browser_page.get_by_text("Kabupaten/kota di Daerah Khusus Ibukota Jakarta").is_visible()
    snapshot(browser_page, shots, "regions-jakarta")
    assert exceptions(browser_page) == []


def test_picking_an_article_opens_its_text(browser_page, server, shots):
    browser_page.goto(f"{server}/articles")
    settle(browser_page)
    grid = browser_page.locator('[data-testid="stDataFrame"]').first
    box = grid.bounding_box()
    browser_page.mouse.click(box["x"] + 14, box["y"] + 52)  # the first row's selection box
    settle(browser_page)
    browser_page.get_by_text("Buka artikel asli").wait_for(timeout=PAGE_MS)
    snapshot(browser_page, shots, "article")
    assert exceptions(browser_page) == []


def test_presenter_view_hides_the_sidebar_and_steps_through_slides(browser_page, server, shots):
    browser_page.goto(f"{server}/?present=1")
    settle(browser_page)
    assert not browser_page.locator('[data-testid="stSidebar"]').is_visible()
    headline = browser_page.locator("h1").first.inner_text()
    snapshot(browser_page, shots, "presenter")
    browser_page.get_by_role("button", name="Berikutnya").click()
    settle(browser_page)
    assert "slide=2" in browser_page.url
    assert browser_page.locator("h1").first.inner_text() != headline
    assert exceptions(browser_page) == []


def test_eight_sessions_opened_at_once_each_get_the_whole_overview(server):
    async def together() -> list[dict[str, float]]:
        return await asyncio.gather(*(protocol_session(server) for _ in range(8)))

    with ThreadPoolExecutor(1) as thread:  # the browser's sync API holds this thread's loop
        timings = thread.submit(asyncio.run, together()).result()
    assert len(timings) == 8
    assert all(0 < timing["first_chart"] <= timing["page"] for timing in timings)


def test_a_search_ranks_marks_its_words_and_shows_top_words(browser_page, server, shots):
    browser_page.goto(f"{server}/articles?search=banjir")
    settle(browser_page)
    browser_page.get_by_text("Media teratas").wait_for(timeout=PAGE_MS)
    marked = browser_page.locator("span", has_text=re.compile(r"^\s*banjir\s*$", re.IGNORECASE))
    assert marked.count() >= 2  # in the best matches' titles and snippets
    assert "paling relevan" in browser_page.get_by_text("artikel cocok").first.inner_text()
    snapshot(browser_page, shots, "search")
    assert exceptions(browser_page) == []
