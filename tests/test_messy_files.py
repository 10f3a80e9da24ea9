"""Ingest of files as people have them: month-first dates, no outlet column, mixed encodings, NUL
bytes, misnamed formats, deep JSON, javascript: links, repeated rows, failing files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data import readers
from data.cli import main
from data.pipeline import IngestReport, ingest_paths
from data.readers import files as reader_files
from data.readers import frames as reader_frames
from data.stats import store_stats
from data.store import Store
from tests.test_readers import workbook

NOW = pd.Timestamp("2025-07-01T00:00:00Z")


def _csv(path: Path, header: str, rows: list[str], encoding: str = "utf-8") -> Path:
    """A CSV fixture of a header and rows."""
    path.write_bytes("".join(f"{line}\n" for line in [header, *rows]).encode(encoding))
    return path


def _story(i: int) -> str:
    """A short invented body, different for every i."""
    return f"Warga kelurahan {i} bergotong royong membersihkan saluran air nomor {i * 7}."


def _balanced(report: IngestReport) -> bool:
    """Whether every row read is accounted for."""
    return report.read == report.added + report.duplicate + report.quarantined_total


# --- 1. day/month order -------------------------------------------------------------------------


def test_a_month_first_column_is_read_month_first_and_reported(tmp_path: Path) -> None:
    rows = [f"Rapat {d},{_story(d)},8/{d}/2024 9:39,https://contoh.co.id/b/{d}" for d in (1, 2)]
    src = _csv(tmp_path / "ekspor.csv", "judul,isi,tanggal,link", [*rows, "Akhir,Isi.,9/30/2024,"])
    store = Store(tmp_path / "store")
    report = ingest_paths([src], store, now=NOW)
    published = store.articles().set_index("title")["published_at"]
    assert published["Rapat 1"] == pd.Timestamp("2024-08-01T02:39Z")  # 1 August, not 8 January
    assert published["Rapat 2"] == pd.Timestamp("2024-08-02T02:39Z")
    assert published["Akhir"] == pd.Timestamp("2024-09-29T17:00Z")
    decided = report.date_order[str(src)]["tanggal"]
    assert (decided["order"], decided["basis"], decided["outlet"]) == (
        "month-first",
        "dates",
        "contoh.co.id",
    )
    assert (decided["month_first"], decided["ambiguous"]) == (1, 2)
    assert store_stats(store)["date_order"] == {str(src): {"tanggal": "month-first (dates)"}}


def test_url_dates_decide_a_column_and_the_outlet_keeps_the_habit(tmp_path: Path) -> None:
    dated = [
        f"Pasar {d},{_story(d)},{d}/3/2024,https://warta.co.id/2024/{d:02d}/03/{d}" for d in (1, 2)
    ]
    first = _csv(tmp_path / "satu.csv", "judul,isi,tanggal,link", dated)
    undated = [f"Jalan {d},{_story(10 + d)},{d}/4/2024,https://warta.co.id/b/{d}" for d in (5, 6)]
    second = _csv(tmp_path / "dua.csv", "judul,isi,tanggal,link", undated)
    store = Store(tmp_path / "store")
    ingest_paths([first], store, now=NOW)
    report = ingest_paths([second], store, now=NOW)
    assert report.date_order[str(second)]["tanggal"]["basis"] == "outlet"
    assert store_stats(store)["date_order"] == {
        str(first): {"tanggal": "month-first (url)"},
        str(second): {"tanggal": "month-first (outlet)"},
    }
    published = store.articles().set_index("title")["published_at"]
    assert published["Pasar 1"] == pd.Timestamp("2024-01-02T17:00Z")  # 1/3 = 3 January
    assert published["Jalan 5"] == pd.Timestamp("2024-05-03T17:00Z")  # 5/4 = 4 May


def test_without_evidence_a_column_reads_day_first(tmp_path: Path) -> None:
    src = _csv(tmp_path / "biasa.csv", "judul,isi,tgl", [f"Banjir,{_story(1)},08/01/2024"])
    store = Store(tmp_path / "store")
    report = ingest_paths([src], store, now=NOW)
    assert report.date_order[str(src)]["tgl"]["basis"] == "default"
    assert store.articles()["published_at"].iloc[0] == pd.Timestamp("2024-01-07T17:00Z")


# --- 2. outlets from URLs -----------------------------------------------------------------------


def test_a_headerless_file_without_source_gets_its_outlet_and_section_from_the_url(
    tmp_path: Path,
) -> None:
    rows = [
        f'{i},"Judul Berita Karangan Nomor {i}",https://asset.kompas.com/foto/{i}.jpg,'
        f"https://{section}.kompas.com/read/2018/03/1{i}/1{i}0/judul-{i},2018-03-1{i}"
        for i, section in enumerate(["nasional", "regional", "regional", "olahraga"])
    ]
    src = tmp_path / "judul_2018.csv"
    src.write_text("".join(f"{row}\n" for row in rows))
    store = Store(tmp_path / "store")
    ingest_paths([src], store, now=NOW)
    articles = store.articles()
    assert articles["source"].tolist() == ["Kompas.com"] * 4
    assert sorted(articles["category"]) == ["nasional", "olahraga", "regional", "regional"]
    stats = store_stats(store)
    assert (stats["outlets"], stats["quality"]["outlet_share"]) == (1, 1.0)


def test_outlet_hosts_in_a_source_column_are_one_outlet(tmp_path: Path) -> None:
    rows = [
        f"Berita {i},{_story(i)},{host},https://{host}/read/{i}"
        for i, host in enumerate(["news.detik.com", "oto.detik.com", "www.detik.com"])
    ]
    src = _csv(tmp_path / "detik.csv", "title,content,source,url", rows)
    store = Store(tmp_path / "store")
    ingest_paths([src], store, now=NOW)
    assert store.articles()["source"].unique().tolist() == ["detikcom"]
    assert sorted(store.articles()["category"].dropna()) == ["news", "oto"]


# --- 3. encodings, NUL bytes, formats by content ------------------------------------------------


def test_mixed_encodings_and_a_nul_byte_cost_no_other_row(tmp_path: Path) -> None:
    src = tmp_path / "campur.csv"
    src.write_bytes(
        b"judul,isi\n"
        + f"Kafé Dibuka,{_story(1)}\n".encode()
        + f"Kafé Tutup,{_story(2)}\n".encode("cp1252")
        + f"Rusak\x00,{_story(3)}\n".encode()
        + f"Kafé Pindah,{_story(4)}\n".encode("cp1252")
    )
    store = Store(tmp_path / "store")
    report = ingest_paths([src], store, now=NOW)
    assert sorted(store.articles()["title"]) == ["Kafé Dibuka", "Kafé Pindah", "Kafé Tutup"]
    assert report.quarantined == {reader_frames.NUL_ERROR: 1}
    assert report.encodings == {str(src): {"utf-8": 1, "cp1252": 2}}
    assert _balanced(report)


def test_a_workbook_named_csv_and_json_named_txt_are_read_by_content(tmp_path: Path) -> None:
    book = workbook(tmp_path / "buku.csv", [["Judul", "Isi"], ["Pasar Baru", _story(1)]])
    data = tmp_path / "data.txt"
    data.write_text(json.dumps([{"judul": "Jalan Baru", "isi": _story(2)}]))
    store = Store(tmp_path / "store")
    report = ingest_paths([book, data], store, now=NOW)
    assert (report.added, report.unreadable_files) == (2, {})


# --- 4. deep JSON, failing files, the JSON report -----------------------------------------------


def test_one_bad_file_never_stops_the_others_and_the_report_always_comes(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "unggah"
    folder.mkdir()
    _csv(folder / "a_baik.csv", "judul,isi", [f"Baik,{_story(1)}"])
    deep = "[" * 100_000 + "]" * 100_000
    (folder / "b_dalam.json").write_text(f'[{{"judul": "Dangkal", "isi": "x"}}, {deep}]')
    whole = workbook(tmp_path / "utuh.xlsx", [["Judul", "Isi"], ["Potong", _story(2)]])
    (folder / "c_potong.xlsx").write_bytes(whole.read_bytes()[:300])
    pd.DataFrame({"judul": ["Gagal"], "isi": [_story(3)]}).to_parquet(folder / "d_aneh.parquet")
    _csv(folder / "e_akhir.csv", "judul,isi", [f"Akhir,{_story(4)}"])

    def failing(*args: object) -> list:
        raise RecursionError("a library failing in its own way")

    monkeypatch.setitem(reader_files.READERS, "parquet", failing)
    missing = tmp_path / "hilang.csv"
    argv = ["ingest", str(folder), str(missing), "--store", str(tmp_path / "s"), "--json"]
    assert main(argv) == 0
    counts = json.loads(capsys.readouterr().out)
    assert (counts["read"], counts["added"], counts["quarantined"]) == (4, 3, 1)
    assert counts["quarantined_by_reason"] == {"JSON record nested too deep to read": 1}
    assert sorted(Path(p).name for p in counts["unreadable_files"]) == [
        "c_potong.xlsx",
        "d_aneh.parquet",
        "hilang.csv",
    ]
    assert "truncated" in counts["unreadable_files"][str(folder / "c_potong.xlsx")]
    assert "RecursionError" in counts["unreadable_files"][str(folder / "d_aneh.parquet")]


def test_one_bad_file_of_an_upload_never_stops_the_others(tmp_path: Path) -> None:
    from views.data_admin import ingest_uploads

    good = f"judul,isi\nBaik,{_story(1)}\n".encode()
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    uploads = [("rusak.xlsx", b"PK\x03\x04" + bytes(60)), ("dalam.json", deep), ("baik.csv", good)]
    report = ingest_uploads(Store(tmp_path / "store"), uploads)
    assert (report["read"], report["added"]) == (1, 1)
    assert sorted(Path(p).name.split("-", 1)[1] for p in report["unreadable_files"]) == [
        "dalam.json",
        "rusak.xlsx",
    ]
    assert any("nested too deep" in why for why in report["unreadable_files"].values())


def test_a_store_error_still_ends_with_one_json_object(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    src = _csv(tmp_path / "a.csv", "judul,isi", [f"Baik,{_story(1)}"])
    store = Store(tmp_path / "s")
    with store.writer():  # another process is writing
        assert main(["ingest", str(src), "--store", str(store.path), "--json"]) == 2
    assert "being written by another process" in json.loads(capsys.readouterr().out)["error"]


# --- 5. only web addresses are article URLs -----------------------------------------------------


def test_javascript_and_data_links_are_not_urls_or_keys(tmp_path: Path) -> None:
    links = ["javascript:void(0)", "data:text/html;base64,QkVSSVRB", "javascript:;"]
    rows = [f'Judul {i},{_story(i)},"{links[i % 3]}"' for i in range(58)]
    src = _csv(tmp_path / "tautan.csv", "judul,isi,link", rows)
    store = Store(tmp_path / "store")
    report = ingest_paths([src], store, now=NOW)
    assert (report.added, report.duplicate, report.urls_not_web) == (58, 0, 58)
    assert store.articles()["url"].isna().all() and store.articles()["url_key"].isna().all()
    assert store_stats(store)["quality"]["urls_not_web"] == 58


# --- 6. caps and repeated rows ------------------------------------------------------------------


def test_rows_past_the_cap_are_one_quarantined_record(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    src = _csv(tmp_path / "banyak.csv", "judul,isi", [f"B{i},{_story(i)}" for i in range(8)])
    argv = ["ingest", str(src), "--store", str(tmp_path / "s"), "--json", "--max-rows", "5"]
    assert main(argv) == 0
    counts = json.loads(capsys.readouterr().out)
    assert (counts["read"], counts["added"], counts["quarantined"]) == (6, 5, 1)
    [reason] = counts["quarantined_by_reason"]
    assert reason.startswith("more than 5 records in the file (the --max-rows limit)")


def test_a_workbook_past_the_unpacked_cap_is_refused_with_the_flag_to_raise_it(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    body = "Isi berita yang sama diulang-ulang. " * 30
    src = workbook(tmp_path / "bom.xlsx", [["Judul", "Isi"]] + [["Sama", body]] * 2000)
    argv = ["ingest", str(src), "--store", str(tmp_path / "s"), "--json"]
    assert main([*argv, "--max-unpacked-mb", "1"]) == 1
    why = json.loads(capsys.readouterr().out)["unreadable_files"][str(src)]
    assert "more than the limit of 1 MB (raise it with --max-unpacked-mb)" in why


def test_identical_rows_past_a_thousand_are_counted_not_stored(tmp_path: Path) -> None:
    src = workbook(
        tmp_path / "sama.xlsx",
        [["Judul", "Isi", "Link"]] + [["Sama", _story(1), "https://contoh.co.id/1"]] * 2500,
    )
    store = Store(tmp_path / "store")
    report = ingest_paths([src], store, now=NOW)
    assert (report.read, report.added, report.duplicate) == (2500, 1, 2499)
    assert report.duplicates_by_kind == {"url": 999, "repeated row": 1500}
    assert report.repeated_rows == {str(src): 1500}
    assert len(store.duplicates()) == 999
    assert store_stats(store)["quality"]["repeated_rows_counted"] == 1500


# --- 7. all of it at once -----------------------------------------------------------------------


def _messy_file(folder: Path, kind: str, n: int, seed: int) -> Path:
    """One small file of a kind of mess, with n rows seeded by seed."""
    stories = [_story(seed * 100 + i) for i in range(n)]
    if kind == "month_first":
        rows = [
            f"Rapat {seed} {i},{s},{1 + i % 12}/{13 + i % 15}/2024" for i, s in enumerate(stories)
        ]
        return _csv(folder / f"{seed}_bulan.csv", "judul,isi,tanggal", rows)
    if kind == "mixed_encodings":
        lines = [
            f"Kafé {seed} {i},{s}\n".encode("utf-8" if i % 2 else "cp1252")
            for i, s in enumerate(stories)
        ]
        (path := folder / f"{seed}_campur.csv").write_bytes(b"judul,isi\n" + b"".join(lines))
        return path
    if kind == "nul":
        rows = [f"Nul {seed} {i},{s}{chr(0) if i == 0 else ''}" for i, s in enumerate(stories)]
        return _csv(folder / f"{seed}_nul.csv", "judul,isi", rows)
    if kind == "javascript":
        rows = [f"Tautan {seed} {i},{s},javascript:void(0)" for i, s in enumerate(stories)]
        return _csv(folder / f"{seed}_js.csv", "judul,isi,link", rows)
    if kind == "repeated":
        rows = [f"Sama {seed},{stories[0]}"] * (n + 4)
        return _csv(folder / f"{seed}_sama.csv", "judul,isi", rows)
    if kind == "deep_json":
        records = [
            json.dumps({"judul": f"Json {seed} {i}", "isi": s}) for i, s in enumerate(stories)
        ]
        deep = "[" * 5_000 + "]" * 5_000
        (path := folder / f"{seed}_dalam.txt").write_text(f"[{', '.join([*records, deep])}]")
        return path
    if kind == "workbook_named_csv":
        return workbook(
            folder / f"{seed}_buku.csv",
            [["Judul", "Isi"]] + [[f"Buku {seed} {i}", s] for i, s in enumerate(stories)],
        )
    if kind == "truncated_workbook":
        whole = workbook(folder / f"{seed}_utuh.tmp", [["Judul", "Isi"], ["Utuh", stories[0]]])
        (path := folder / f"{seed}_potong.xlsx").write_bytes(whole.read_bytes()[:200])
        whole.unlink()
        return path
    rows = [f"Banyak {seed} {i},{_story(seed * 100 + i)}" for i in range(n + 12)]  # past the cap
    return _csv(folder / f"{seed}_banyak.csv", "judul,isi", rows)


KINDS = [
    "month_first",
    "mixed_encodings",
    "nul",
    "javascript",
    "repeated",
    "deep_json",
    "workbook_named_csv",
    "truncated_workbook",
    "over_the_cap",
]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=st.lists(st.tuples(st.sampled_from(KINDS), st.integers(1, 6)), min_size=1, max_size=6))
def test_a_mix_of_messy_files_loses_no_row_and_reports_every_file(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, files: list
) -> None:
    monkeypatch.setattr(reader_frames, "REPEATS_KEPT", 3)
    folder = tmp_path_factory.mktemp("mess")
    paths = [_messy_file(folder, kind, n, seed) for seed, (kind, n) in enumerate(files)]
    store = Store(tmp_path_factory.mktemp("store"))
    report = ingest_paths(paths, store, now=NOW, limits=readers.ReadLimits(max_rows=12))
    assert _balanced(report)
    assert len(store.articles()) == report.added
    assert len(store.duplicates()) == report.duplicate - sum(report.repeated_rows.values())
    assert len(store.quarantine()) == report.quarantined_total
    truncated = {str(p) for p in paths if p.name.endswith("_potong.xlsx")}
    assert set(report.unreadable_files) == truncated
    assert set(report.date_order) == {str(p) for p in paths} - truncated
    assert store.ingests()[-1]["read"] == report.read
    for kind, path in zip((kind for kind, _ in files), paths, strict=True):
        if kind == "month_first":
            assert report.date_order[str(path)]["tanggal"]["order"] == "month-first"
        if kind == "javascript":
            assert not store.articles()["url"].fillna("").str.startswith("javascript").any()
        if kind == "mixed_encodings" and str(path) in report.encodings:
            assert not store.articles()["title"].str.contains("Ã").any()
