"""The Data page's monitoring tab in a real Chromium: a watch added by hand is saved and listed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.watch.rounds import WatchSettings, run_round
from analysis.watch.watches import load_watches
from bench.load import CHROMIUM, CHROMIUM_ARGS, streamlit_server
from data.store import Store
from tests.dashboard_fixture import dashboard_store

pytestmark = pytest.mark.browser

SETTLED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
PAGE_MS = 60_000


def settle(page) -> None:
    for _ in range(2):
        page.wait_for_timeout(400)
        page.wait_for_selector(SETTLED, timeout=PAGE_MS)


def test_a_watch_is_added_on_the_data_page_and_listed(tmp_path_factory):
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed")
    store = Store(tmp_path_factory.mktemp("watch-browser") / "store")
    shutil.copytree(dashboard_store(tmp_path_factory), store.path)
    run_round(store, WatchSettings(), [])
    with (
        streamlit_server(store.path) as base,
        playwright.sync_playwright() as driver,
    ):
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/data_admin")
        settle(page)
        page.get_by_role("tab", name="Pemantauan").click()
        settle(page)
        assert page.get_by_text("Putaran terakhir").is_visible()
        assert page.get_by_text("diperbarui 0 menit lalu").first.is_visible()
        page.get_by_role("textbox", name="Kueri kata kunci").fill("banjir ATAU longsor")
        page.get_by_role("textbox", name="Nama (opsional)").fill("Bencana")
        page.get_by_role("button", name="Simpan pantauan").click()
        settle(page)
        page.get_by_role("tab", name="Pemantauan").click()
        settle(page)
        assert [(w.kind, w.value, w.name) for w in load_watches(store)] == [
            ("query", "banjir ATAU longsor", "Bencana")
        ]
        assert page.locator('[data-testid="stException"]').count() == 0
        browser.close()
