"""Ingest end to end: every row accounted for, idempotent, crash-safe, clear errors."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.cli import main
from data.pipeline import ingest_frames, ingest_paths
from data.schema import RAW_COLUMNS
from data.store import Store

ROOT = Path(__file__).resolve().parents[1]
NOW = pd.Timestamp("2025-07-01T00:00:00Z")

WORDS = (
    "warga pemerintah kota jalan banjir hujan harga beras pasar sekolah guru siswa rumah sakit dokter "
    "petani panen sawah nelayan laut pelabuhan kapal bupati camat lurah desa dana anggaran proyek "
    "jembatan sungai listrik air bersih sampah pasar modern pedagang kaki lima polisi lalu lintas "
    "kecelakaan motor mobil bus terminal stasiun kereta bandara wisata pantai gunung hutan kebakaran "
    "lahan tambang pabrik buruh upah investasi koperasi bantuan sosial posyandu balita vaksin"
).split()
LEAD = "SERANG, Kabar Pesisir - Pemerintah Kota Serang membahas {topic}. "


def body(i: int, topic: str = "banjir") -> str:
    """A distinct invented body: a dateline, then seeded random words."""
    rng = random.Random(i)
    sentences = [" ".join(rng.choices(WORDS, k=12)).capitalize() + "." for _ in range(6)]
    return LEAD.format(topic=topic) + " ".join(sentences)


def raw_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows).reindex(columns=list(RAW_COLUMNS))
    return frame.assign(file=frame["file"].fillna("mem"), row=range(1, len(frame) + 1))


def article(i: int, topic: str = "banjir", **extra) -> dict:
    return {
        "title": f"Pemkot Serang bahas {topic} nomor {i}",
        "text": body(i, topic),
        "date": f"{1 + i % 28:02d} Jun 2025",
        "url": f"https://kabarpesisir.example.id/read/{i}",
        "source": "Kabar Pesisir",
        **extra,
    }


def test_counts_add_up_and_rows_land_where_they_belong(tmp_path):
    rows = [article(i, topic=f"tema{i}") for i in range(6)]
    rows += [{**rows[0], "url": rows[0]["url"] + "?utm_source=wa"}]  # same URL, tracking param
    rows += [{"title": "", "text": "  ", "url": "https://x.example.id/kosong"}]  # nothing to keep
    rows += [{**article(99), "error": "malformed JSON: Expecting value"}]
    store = Store(tmp_path)
    report = ingest_frames([raw_frame(rows)], store, now=NOW)
    assert (report.read, report.added, report.duplicate, report.quarantined_total) == (9, 6, 1, 2)
    assert report.read == report.added + report.duplicate + report.quarantined_total
    assert len(store.articles()) == 6
    assert store.duplicates()["kind"].tolist() == ["url"]
    assert sorted(store.quarantine()["reason"]) == [
        "malformed JSON: Expecting value",
        "no text or title",
    ]
    kept = store.articles()
    assert kept["province_code"].eq("36").all()
    assert kept["published_at"].notna().all()
    assert kept["raw_text"].str.contains("SERANG, Kabar Pesisir").all()


def test_ingesting_the_same_file_twice_adds_nothing(tmp_path):
    src = tmp_path / "berita.csv"
    pd.DataFrame([article(i, topic=f"tema{i}") for i in range(20)]).to_csv(src, index=False)
    store = Store(tmp_path / "store")
    first = ingest_paths([src], store, now=NOW)
    second = ingest_paths([src], store, now=NOW)
    assert (first.added, second.added, second.duplicate) == (20, 0, 20)
    assert len(store.articles()) == 20


def test_syndicated_copy_is_a_near_duplicate_of_the_first_published(tmp_path):
    original = article(1, date="01 Jun 2025")
    copy = {
        **original,
        "url": "https://wartalain.example.id/berita/1",
        "source": "Warta Lain",
        "date": "02 Jun 2025",
        "text": original["text"].replace("Kabar Pesisir", "Warta Lain")
        + "\nBaca juga: Harga cabai naik",
    }
    store = Store(tmp_path)
    report = ingest_frames([raw_frame([copy, original])], store, now=NOW)
    assert (report.added, report.duplicate) == (1, 1)
    assert store.articles()["source"].tolist() == ["Kabar Pesisir"]
    dup = store.duplicates().iloc[0]
    assert dup["kind"] in ("near", "content")
    assert dup["duplicate_of"] == store.articles()["article_id"].iloc[0]


text_values = st.one_of(
    st.none(), st.just(""), st.text(max_size=40), st.sampled_from([body(1), body(2)])
)
row_strategy = st.fixed_dictionaries(
    {
        "title": text_values,
        "text": text_values,
        "date": st.one_of(
            st.none(), st.sampled_from(["06 Jun 2025", "Tidak Ditemukan", "kemarin"])
        ),
        "url": st.one_of(
            st.none(), st.sampled_from([f"https://a.example.id/{i}" for i in range(4)])
        ),
        "source": st.one_of(st.none(), st.sampled_from(["A", "B"])),
        "error": st.one_of(st.none(), st.just("unreadable row")),
    }
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batches=st.lists(st.lists(row_strategy, max_size=12), min_size=1, max_size=3))
def test_ingest_never_loses_a_row(tmp_path_factory, batches):
    store = Store(tmp_path_factory.mktemp("store"))
    report = ingest_frames([raw_frame(rows) for rows in batches if rows], store, now=NOW)
    assert report.read == sum(len(rows) for rows in batches)
    assert report.read == report.added + report.duplicate + report.quarantined_total
    assert len(store.articles()) == report.added
    assert len(store.duplicates()) == report.duplicate
    assert len(store.quarantine()) == report.quarantined_total


def test_cli_json_prints_exactly_one_object_and_errors_are_one_line(tmp_path, capsys):
    src = tmp_path / "a.jsonl"
    src.write_text("\n".join(json.dumps(article(i, topic=f"t{i}")) for i in range(3)) + "\n{oops\n")
    assert main(["ingest", str(src), "--store", str(tmp_path / "s"), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert (counts["read"], counts["added"], counts["quarantined"]) == (4, 3, 1)
    missing = tmp_path / "missing.csv"
    assert main(["ingest", str(missing), str(src), "--store", str(tmp_path / "s"), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["unreadable_files"] == {str(missing): f"{missing}: no such file or folder"}
    assert (counts["read"], counts["duplicate"]) == (4, 3)  # the other file is still ingested
    assert main(["ingest", str(missing), "--store", str(tmp_path / "s")]) == 1
    assert "no such file" in capsys.readouterr().err
    argv = ["ingest", str(src), "--store", str(tmp_path / "s"), "--region", "Atlantis"]
    assert main([*argv, "--json"]) == 2
    out, err = capsys.readouterr()
    assert json.loads(out)["error"] in err
    assert len(err.strip().splitlines()) == 1


def test_nothing_readable_exits_non_zero(tmp_path, capsys):
    junk = tmp_path / "junk.csv"
    junk.write_bytes(os.urandom(2048))
    assert main(["ingest", str(junk), "--store", str(tmp_path / "s"), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["unreadable_files"]


@pytest.mark.slow
def test_kill_9_mid_ingest_keeps_the_store_readable_and_the_next_run_completes_it(tmp_path):
    src = tmp_path / "besar.csv"
    n = 24_000
    rows = [
        {
            "judul": f"Berita {i}",
            "isi": f"Warga desa {i} gotong royong membersihkan saluran air {i}.",
            "tanggal": "05 Jun 2025",
            "link": f"https://besar.example.id/{i}",
        }
        for i in range(n)
    ]
    pd.DataFrame(rows).to_csv(src, index=False)
    store = Store(tmp_path / "store")
    cmd = [sys.executable, "-m", "data", "ingest", str(src), "--store", str(store.path), "--json"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and not (store.exists() and store.manifest()["parts"]["articles"]):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = len(store.articles(["article_id"]))
    assert 0 < partial < n
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    counts = json.loads(done.stdout)
    assert counts["added"] == n - partial
    assert len(store.articles(["article_id"])) == n


def test_a_seed_like_scraped_page_is_ingested_without_its_ad_block_and_repeated_headline(tmp_path):
    from tests.test_boilerplate import AD_BLOCK, STORY_PARAGRAPHS, TITLE

    page = tmp_path / "000_halaman.txt"
    page.write_text("\n\n".join([TITLE, AD_BLOCK, TITLE, *STORY_PARAGRAPHS]), encoding="utf-8")
    store = Store(tmp_path / "store")
    report = ingest_paths([page], store, now=NOW)
    assert (report.read, report.added) == (1, 1)
    kept = store.articles().iloc[0]
    assert kept["title"] == TITLE
    assert kept["text"] == "\n".join(STORY_PARAGRAPHS)
    assert AD_BLOCK.splitlines()[0] in kept["raw_text"]
    assert kept["boilerplate_removed"] >= len(AD_BLOCK.splitlines())


def test_the_dedupe_state_read_from_a_store_is_the_one_its_keys_give(tmp_path):
    from data.pipeline import DedupeState
    from data.stored_keys import DEDUPE_KEY_COLUMNS
    from tests.test_stored_keys import every_key_read

    store = Store(tmp_path / "s")
    short = {"title": "Singkat", "text": "Banjir lagi.", "url": "https://k.example.id/pendek"}
    ingest_frames([raw_frame([article(i) for i in range(6)] + [short])], store, now=NOW)
    ingest_frames([raw_frame([article(i) for i in range(6, 9)])], store, now=NOW)
    keys = store.articles(list(DEDUPE_KEY_COLUMNS))
    assert keys["minhash"].isna().sum() == 1 and store.manifest()["parts"]["articles"][1]
    with store.writer():
        read, given = DedupeState.from_store(store), every_key_read(store)
    assert _remembered(read.seen) == given.seen.keys and len(given.seen.keys["id"]) == 10
    for got, want in zip(read.near.to_arrays(), given.near.to_arrays(), strict=True):
        assert len(got) == 9 and (got == want).all()
    with Store(tmp_path / "none").writer() as none:
        empty = DedupeState.from_store(none)
    assert len(empty.near) == 0 and _remembered(empty.seen) == {"url": {}, "content": {}, "id": {}}


def _remembered(seen) -> dict[str, dict[str, str]]:
    """Every key a SeenKeys knows, by kind: those in memory and those in its stored tables."""
    known = {kind: dict(keys) for kind, keys in seen.keys.items()}
    for table in seen.stored:
        for row in table.table.to_pylist():
            known[list(known)[row["kind"]]].setdefault(row["key"], row["article_id"])
    return known
