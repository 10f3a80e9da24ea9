"""Monitoring in the dashboard (AppTest): the freshness line, watch buttons, the Data page's tab."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.watch.rounds import WatchSettings, run_round
from analysis.watch.watches import load_watches
from data.store import Store
from tests.dashboard_fixture import dashboard_store

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 120


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dashboard_store(tmp_path_factory)


@pytest.fixture
def store(fixture_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    copy = tmp_path / "store"
    shutil.copytree(fixture_store, copy)
    monkeypatch.setenv("SOROTAN_STORE", str(copy))
    return Store(copy)


def _problems(at: AppTest) -> list:
    return [e.value for e in at.exception] + [e.value for e in at.error]


def test_the_sidebar_says_how_fresh_the_store_is(store):
    next_round = pd.Timestamp.now("UTC") + pd.Timedelta(minutes=30)
    run_round(store, WatchSettings(), [], next_round_at=next_round)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    wib = next_round.tz_convert("Asia/Jakarta")
    captions = [c.value for c in at.sidebar.caption]
    assert (
        f":material/schedule: diperbarui 0 menit lalu; putaran berikutnya {wib:%H:%M}" in captions
    )


def test_a_province_in_the_filters_offers_a_watch_on_what_rises_there(store):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params = {"prov": "36"}
    at.run()
    at.button(key="watch_region").click().run()
    assert _problems(at) == []
    assert [(w.kind, w.value, w.name) for w in load_watches(store)] == [("region", "36", "Banten")]
    assert at.button(key="watch_region").disabled
    assert at.button(key="watch_region").label == "Topik yang naik di Banten dipantau"


def test_the_data_page_lists_rounds_and_adds_and_removes_watches(store):
    run_round(store, WatchSettings(), [])
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at = at.switch_page("views/data_admin.py").run()
    rounds = next(d.value for d in at.dataframe if "alerts" in d.value.columns)
    assert rounds["status"].tolist() == ["selesai"] and rounds["alerts"].tolist() == [0]
    at.text_input(key="watch_query").set_value('banjir ATAU "tanah longsor"')
    at.text_input(key="watch_name").set_value("Bencana")
    at.button(key="watch_add").click().run()
    assert _problems(at) == []
    assert [(w.id, w.kind, w.name) for w in load_watches(store)] == [("w1", "query", "Bencana")]
    listed = next(d.value for d in at.dataframe if "target" in d.value.columns)
    assert listed["target"].tolist() == ['banjir ATAU "tanah longsor"']

    at.text_input(key="watch_query").set_value('"tanah')
    at.button(key="watch_add").click().run()
    assert "unclosed quote" in at.error[0].value and len(load_watches(store)) == 1

    at.selectbox(key="watch_remove_choice").set_value("w1")
    at.button(key="watch_remove").click().run()
    assert _problems(at) == [] and load_watches(store) == []
