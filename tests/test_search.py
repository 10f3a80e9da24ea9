"""Search that ranks: the full-text index beside a real store, its ranking, stems, phrases,
snippets, filters, how it follows ingests, compaction and repair, hostile queries and the CLI."""

from __future__ import annotations

import csv
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import data.search.index as search_index
from analysis.cli import main
from analysis.trends.search import SearchError, parsed_query, search
from data.pipeline import ingest_paths
from data.search.batches import article_tokens
from data.search.index import (
    Where,
    current_index,
    index_path,
    is_current,
    match_count,
    matching_ids,
    ranked_matches,
    sync_index,
    term_expression,
)
from data.store import Store

NOW = pd.Timestamp("2026-11-01T00:00:00Z")
FILLER = (
    "Pemerintah daerah menggelar rapat koordinasi bersama dinas terkait untuk membahas rencana "
    "kerja tahun depan dan anggaran yang dibutuhkan oleh setiap kecamatan di wilayah itu."
)
FIRST = [
    # (title, body, date, url, outlet)
    (
        "Banjir rendam ratusan rumah di Bekasi",
        "Banjir setinggi satu meter merendam permukiman warga sejak subuh. Petugas mengungsikan "
        "warga karena banjir terus naik, dan banjir diperkirakan surut besok. " + FILLER,
        "2026-01-05 08:00",
        "https://kabar-a.test/banjir-bekasi",
        "Kabar A",
    ),
    (
        "Konser idola Korea di Jakarta meriah",
        "Ribuan penggemar memadati stadion. Para penggemar banjir emosi saat lagu terakhir "
        "dinyanyikan, lalu konser ditutup dengan kembang api. " + FILLER + " " + FILLER,
        "2026-03-01 20:00",
        "https://kabar-b.test/konser",
        "Kabar B",
    ),
    (
        "Warga Kampung Melayu kebanjiran lagi",
        "Air sungai meluap dan rumah warga tergenang setinggi lutut. " + FILLER,
        "2026-02-10 06:00",
        "https://kabar-a.test/kampung-melayu",
        "Kabar A",
    ),
    (
        "Timnas siap tampil di SEA Games tahun depan",
        "Pelatih timnas memanggil dua puluh pemain untuk pemusatan latihan. " + FILLER,
        "2026-02-20 09:00",
        "https://kabar-b.test/sea-games",
        "Kabar B",
    ),
    (
        "Games daring digemari pelajar",
        "Pelajar di kota pesisir dekat sea port memainkan games daring setiap sore. " + FILLER,
        "2026-02-21 09:00",
        "https://kabar-a.test/games",
        "Kabar A",
    ),
    (
        "Pemerintah kota menggelar pasar murah menjelang hari raya Idulfitri",
        "Beras dan minyak goreng dijual dengan harga lebih rendah. " + FILLER,
        "2026-02-25 09:00",
        "https://kabar-a.test/pasar-murah",
        "Kabar A",
    ),
    (
        "Rapat dewan kota berlangsung alot",
        "Anggota dewan menyoroti pasar tradisional dan pasar induk kota.",
        "2026-02-26 09:00",
        "https://kabar-b.test/rapat-dewan",
        "Kabar B",
    ),
]
SECOND = [
    (
        "Banjir bandang terjang desa di Garut",
        "Banjir bandang menghanyutkan jembatan dan merusak puluhan rumah. " + FILLER,
        "2026-04-02 07:00",
        "https://kabar-b.test/banjir-garut",
        "Kabar B",
    ),
    FIRST[0],  # the same story again: a duplicate, never a second result
]


def _write(path: Path, rows: list[tuple[str, ...]]) -> Path:
    """A CSV of articles with Indonesian column names."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["judul", "isi", "tanggal", "url", "sumber"])
        writer.writerows(rows)
    return path


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A store of FIRST, ingested for real (which builds the index)."""
    store = Store(tmp_path / "store")
    ingest_paths([_write(tmp_path / "first.csv", FIRST)], store, now=NOW)
    return store


def _titles(store: Store, query: str, **options) -> list[str]:
    found, _ = search(store, query, limit=20, **options)
    return found["title"].tolist()


def test_ingest_builds_the_index_beside_the_store(store: Store):
    assert index_path(store).exists()
    assert is_current(store)
    with sqlite3.connect(index_path(store)) as conn:
        assert conn.execute("SELECT count(*) FROM docs").fetchone()[0] == len(FIRST)


def test_a_story_about_floods_beats_one_that_mentions_banjir_in_passing(store: Store):
    titles = _titles(store, "banjir")
    assert titles[0] == FIRST[0][0]
    assert titles.index(FIRST[1][0]) > titles.index(FIRST[0][0])
    by_date = store.articles().sort_values("published_at", ascending=False)["title"]
    assert [t for t in by_date if t in titles][0] == FIRST[1][0]  # newest first would mislead


def test_a_title_match_beats_a_body_mention(store: Store, monkeypatch: pytest.MonkeyPatch):
    assert _titles(store, "pasar")[:2] == [FIRST[5][0], FIRST[6][0]]
    monkeypatch.setattr(search_index, "TITLE_WEIGHT", 1.0)  # the fixture needs the title boost
    assert _titles(store, "pasar")[:2] == [FIRST[6][0], FIRST[5][0]]


def test_stems_find_affixed_forms_and_snippets_mark_the_words_as_written(store: Store):
    found, total = search(store, "banjir")
    assert FIRST[2][0] in found["title"].tolist()  # only "kebanjiran" in it
    row = found.loc[found["title"] == FIRST[2][0]].iloc[0]
    assert row.title_snippet.marked("[", "]") == "Warga Kampung Melayu [kebanjiran] lagi"
    best = found.iloc[0]
    assert best.snippet.marked("<", ">").startswith("<Banjir> setinggi satu meter")
    assert [best.snippet.text[a:b] for a, b in best.snippet.marks] == ["Banjir", "banjir", "banjir"]
    assert total == 3


def test_a_phrase_needs_its_words_in_a_row(store: Store):
    assert _titles(store, '"sea games"') == [FIRST[3][0]]
    assert set(_titles(store, "sea games")) == {FIRST[3][0], FIRST[4][0]}
    assert _titles(store, "banjir NOT emosi")[0] == FIRST[0][0]
    assert FIRST[1][0] not in _titles(store, "banjir BUKAN emosi")
    assert set(_titles(store, "pasar ATAU konser")) == {FIRST[1][0], FIRST[5][0], FIRST[6][0]}


def test_filters_keep_only_matching_articles(store: Store):
    articles = store.articles().set_index("title")
    everything = set(_titles(store, "wilayah"))
    only_b = set(_titles(store, "wilayah", where=Where(sources=("Kabar B",))))
    assert only_b and only_b < everything
    assert all(articles.loc[t, "source"] == "Kabar B" for t in only_b)
    day = (pd.Timestamp("2026-02-01") - pd.Timestamp("1970-01-01")).days
    later = set(_titles(store, "wilayah", where=Where(first_day=day)))
    first = pd.Timestamp("2026-02-01", tz="Asia/Jakarta")
    assert later and later < everything
    assert later == {t for t in everything if articles.loc[t, "published_at"] >= first}
    province = articles.loc[FIRST[0][0], "province_code"]
    placed = set(_titles(store, "wilayah", where=Where(province=province)))
    assert FIRST[0][0] in placed
    assert all(articles.loc[t, "province_code"] == province for t in placed)
    among = set(_titles(store, "wilayah", among=[articles.loc[FIRST[2][0], "article_id"]]))
    assert among == {FIRST[2][0]}


def test_a_phrase_in_the_body_matches_its_words_in_a_row_only(store: Store):
    assert _titles(store, '"minyak goreng"') == [FIRST[5][0]]
    assert _titles(store, '"goreng minyak"') == []  # the same words, not in that order
    assert _titles(store, '"beras minyak"') == []  # both in the body, apart
    assert FIRST[5][0] in _titles(store, "beras minyak")
    assert _titles(store, '"permukiman warga sejak"') == [FIRST[0][0]]
    assert _titles(store, '"warga sejak permukiman"') == []
    assert _titles(store, '"mengungsikan warga karena banjir"') == [FIRST[0][0]]
    assert _titles(store, '"mengungsikan karena warga banjir"') == []  # warga_banjir: apart


def test_the_index_holds_stems_pairs_title_words_and_labels_without_positions():
    body = ["harga", "beras", "naik", "di", "pasar", "games"]
    tokens = set(article_tokens(["sea", "games"], body, ["__l1"]).split())
    assert tokens == {
        "harga", "beras", "naik", "di", "pasar", "games", "harga_beras", "beras_naik", "pasar_games",
        "sea", "sea_games", "_sea", "_games", "__tsea", "__l1",
    }  # fmt: skip


def test_days_inside_a_month_and_unknown_filter_values(store: Store):
    articles = store.articles().set_index("title")
    everything = set(_titles(store, "wilayah"))
    first, last = (
        (pd.Timestamp(d) - pd.Timestamp("1970-01-01")).days for d in ("2026-02-21", "2026-02-25")
    )
    inside = set(_titles(store, "wilayah", where=Where(first_day=first, last_day=last)))
    days = articles["published_at"].dt.tz_convert("Asia/Jakarta").dt.strftime("%Y-%m-%d")
    assert inside == {t for t in everything if "2026-02-21" <= days[t] <= "2026-02-25"}
    assert len(inside) == 2  # a month's label narrows, the exact days decide
    assert _titles(store, "wilayah", where=Where(province="99")) == []
    assert _titles(store, "wilayah", where=Where(sources=("Kabar Z",))) == []
    assert _titles(store, "wilayah", where=Where(first_day=last + 400)) == []


def test_a_common_word_within_a_filter_ranks_the_newest_matches_inside_the_filter(store: Store):
    parsed = parsed_query("pemerintah")  # in every article but one
    expression, terms = parsed.expression, list(parsed.terms)
    articles = store.articles().set_index("article_id")
    with closing(current_index(store)) as conn:
        newest = matching_ids(conn, expression)[::-1]
        other = "Kabar A" if articles.loc[newest[0], "source"] == "Kabar B" else "Kabar B"
        inside = [a for a in newest if articles.loc[a, "source"] == other]
        where = Where(sources=(other,))
        found = ranked_matches(conn, expression, terms, where, cap=1)
        assert found["article_id"].tolist() == inside[:1]  # not the newest match overall
        assert match_count(conn, expression, where) == len(inside) >= 2  # the count: every match
        everything = ranked_matches(conn, expression, terms, cap=None)
        assert sorted(everything["article_id"]) == sorted(newest)
        assert list(everything["score"]) == sorted(everything["score"], reverse=True)
        assert articles.loc[everything["article_id"].iloc[0], "title"] == FIRST[5][0]  # in title


def test_a_second_ingest_is_added_without_a_rebuild_and_duplicates_stay_out(
    store: Store, tmp_path: Path
):
    ingest_paths([_write(tmp_path / "second.csv", SECOND)], store, now=NOW)
    assert is_current(store)
    with sqlite3.connect(index_path(store)) as conn:
        assert conn.execute("SELECT count(*) FROM docs").fetchone()[0] == len(FIRST) + 1
        assert conn.execute("SELECT count(*) FROM parts").fetchone()[0] == 2
    titles = _titles(store, "banjir")
    assert titles.count(FIRST[0][0]) == 1
    assert SECOND[0][0] in titles
    assert sync_index(store)["added"] == 0


def test_compacted_parts_are_followed_without_a_rebuild(store: Store, tmp_path: Path):
    ingest_paths([_write(tmp_path / "second.csv", SECOND)], store, now=NOW)
    with store.writer():
        assert store.compact("articles", max_parts=1)
    report = sync_index(store)
    assert (report["rebuilt"], report["added"], report["articles"]) == (False, 0, len(FIRST) + 1)
    found, _ = search(store, "bandang")
    assert found["title"].tolist() == [SECOND[0][0]]  # read from its new place in the new part
    assert found.iloc[0].snippet.text.startswith("Banjir bandang menghanyutkan")


def test_a_missing_or_damaged_index_rebuilds_itself(store: Store):
    expected = _titles(store, "banjir")
    index_path(store).unlink()
    assert _titles(store, "banjir") == expected
    index_path(store).write_bytes(b"not a database at all" * 100)
    assert not is_current(store)
    assert _titles(store, "banjir") == expected
    assert is_current(store)


def test_an_index_of_an_older_format_is_rebuilt(store: Store):
    expected = _titles(store, '"sea games"')
    with closing(sqlite3.connect(index_path(store))) as conn, conn:
        conn.execute("UPDATE info SET value = '1' WHERE key = 'format'")  # positions, FTS5 bm25
    assert not is_current(store)
    assert _titles(store, '"sea games"') == expected
    assert sync_index(store)["rebuilt"] is False and is_current(store)


def test_articles_that_leave_the_store_leave_the_results(store: Store, tmp_path: Path):
    ingest_paths([_write(tmp_path / "second.csv", SECOND)], store, now=NOW)
    newest = store.manifest()["parts"]["articles"][-1]
    (store.path / "articles" / newest).write_bytes(b"garbled")
    store.repair()  # sets the garbled part aside
    assert SECOND[0][0] not in _titles(store, "banjir")
    assert FIRST[0][0] in _titles(store, "banjir")


@pytest.mark.parametrize(
    "query", ['"', "*", "NEAR(", "OR", 'banjir"', "(banjir", "AND OR NOT", "banjir*", "-", "^b"]
)
def test_hostile_queries_never_reach_fts5_as_syntax(store: Store, query: str):
    try:
        found, _ = search(store, query)
    except SearchError as exc:
        assert str(exc)
        return
    assert list(found.columns)[:2] == ["article_id", "score"]


def test_queries_that_do_not_parse_are_read_as_their_words():
    assert parsed_query('"sea games').expression == term_expression(("sea", "games"))
    assert parsed_query("NEAR(").as_words
    banjir, word_or = term_expression(("banjir",)), term_expression(("or",))
    assert parsed_query("banjir OR").expression == f"({banjir} AND {word_or})"
    assert parsed_query("banjir OR").terms == (("banjir",), ("or",))
    with pytest.raises(SearchError, match="empty"):
        parsed_query("   ")
    with pytest.raises(SearchError, match="NOT"):
        parsed_query("NOT banjir")


def test_terms_every_match_holds_are_not_looked_up_and_rank_the_same(store: Store):
    assert parsed_query("banjir NOT emosi").held == {("banjir",)}
    assert parsed_query("pasar ATAU konser").held == frozenset()
    assert parsed_query('warga (air OR rumah) "sea games"').held == {("warga",), ("sea", "games")}
    parsed = parsed_query("warga rumah")
    with closing(current_index(store)) as conn:
        looked_up = ranked_matches(conn, parsed.expression, list(parsed.terms))
        held = ranked_matches(conn, parsed.expression, list(parsed.terms), held=parsed.held)
    pd.testing.assert_frame_equal(looked_up, held)
    assert len(held) >= 2


def test_the_cli_prints_ranked_results_as_json(store: Store, capsys: pytest.CaptureFixture):
    assert main(["search", "kebanjiran", "--store", str(store.path), "--json", "--limit", "2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total"] == 3
    assert [r["rank"] for r in out["results"]] == [1, 2]
    best = out["results"][0]
    assert best["title"] == FIRST[0][0]
    assert best["outlet"] == "Kabar A" and best["url"] == FIRST[0][3]
    assert best["snippet"][slice(*best["highlights"][0])] == "Banjir"
    assert best["date"].startswith("2026-01-05T08:00:00+07:00")
    assert best["topic"] is None  # no build yet
    assert main(["search", "*", "--store", str(store.path), "--json"]) == 2
    assert "letters or digits" in json.loads(capsys.readouterr().out)["error"]


def test_the_cli_says_when_there_is_no_store(tmp_path: Path, capsys: pytest.CaptureFixture):
    assert main(["search", "banjir", "--store", str(tmp_path / "none")]) == 2
    assert "no store" in capsys.readouterr().err


def test_top_words_and_outlets_of_a_set_against_the_rest():
    from analysis.dashboard.focus import top_outlets, top_words, word_samples

    flood = "Banjir merendam rumah warga, banjir setinggi lutut di desa"
    market = "Harga beras naik di pasar kota menjelang lebaran"
    texts = pd.DataFrame(
        {"article_id": [f"a{i}" for i in range(40)], "text": [flood] * 10 + [market] * 30}
    )
    articles = pd.DataFrame(
        {"article_id": texts["article_id"], "source": ["A"] * 6 + ["B"] * 4 + ["A"] * 30}
    )
    members = np.arange(40) < 10
    within = np.ones(40, dtype=bool)
    words = top_words(texts, *word_samples(articles, members, within))
    assert words["term"].iloc[0] == "banjir"
    assert words["count_now"].iloc[0] == 10  # articles using it, not its 20 occurrences
    assert not {"harga", "beras", "pasar"} & set(words["term"])
    outlets = top_outlets(articles, members, within)
    assert outlets.to_dict("list") == {
        "source": ["A", "B"],
        "articles": [6, 4],
        "share": [6 / 36, 1.0],
    }
    only_b = top_outlets(articles, members, articles["source"].eq("B").to_numpy())
    assert only_b["source"].tolist() == ["B"]
    assert top_words(texts, *word_samples(articles, members, ~members)).empty  # none in both


def test_dashboard_filters_become_index_filters():
    from analysis.dashboard.filters import Filters
    from analysis.dashboard.focus import search_where

    filters = Filters(
        pd.Timestamp("2026-02-01"), pd.Timestamp("2026-02-28"), province_code="32",
        sources=("Kabar A",), language="id",
    )  # fmt: skip
    where = search_where(filters)
    assert (where.last_day - where.first_day, where.province, where.sources) == (
        27,
        "32",
        ("Kabar A",),
    )
    assert where.first_day == (pd.Timestamp("2026-02-01") - pd.Timestamp("1970-01-01")).days


@pytest.mark.parametrize(
    "query",
    ["banjir", '"sea games"', "pasar ATAU konser", "banjir BUKAN emosi", "warga (air OR rumah)"],
)
def test_the_index_finds_what_the_keyword_scan_finds(store: Store, query: str):
    from analysis.dashboard.corpus import load_texts
    from analysis.trends.keywords import keyword_mask
    from analysis.trends.search import match_scores, matching_articles

    texts = load_texts(store)
    scanned = set(texts.loc[keyword_mask(texts["text"], query).to_numpy(), "article_id"])
    found, total = match_scores(store, query)
    assert set(found["article_id"]) == scanned and total == len(scanned) > 0
    assert sorted(matching_articles(store, query)) == sorted(scanned)
