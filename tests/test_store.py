"""The store: atomic commits, snapshot reads, one writer, versioned builds."""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.cli import main as analysis_main
from data.cli import main as data_main
from data.pipeline import ingest_frames
from data.sample import labelled_frames
from data.schema import ARTICLE_COLUMNS, RAW_COLUMNS
from data.store import Store, StoreError


def _articles(ids: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({c: [None] * len(ids) for c in ARTICLE_COLUMNS})
    return frame.assign(article_id=ids, title=[f"judul {i}" for i in ids])


def test_empty_store_reads_as_empty_frames(tmp_path):
    store = Store(tmp_path / "s")
    assert not store.exists()
    assert store.articles().empty
    assert list(store.articles().columns) == list(ARTICLE_COLUMNS)
    assert store.current_build() is None
    assert store.assignments().empty


def test_commits_append_parts_and_log_ingests(tmp_path):
    store = Store(tmp_path)
    with store.writer():
        store.commit({"articles": _articles(["a", "b"])}, ingest={"read": 2})
        store.commit({"articles": _articles(["c"])}, ingest={"read": 1})
    assert store.articles(["article_id"])["article_id"].tolist() == ["a", "b", "c"]
    assert [i["read"] for i in store.ingests()] == [2, 1]


def test_unlisted_parts_are_invisible_and_swept(tmp_path):
    store = Store(tmp_path)
    with store.writer():
        store.commit({"articles": _articles(["a"])})
    orphan = tmp_path / "articles" / "orphan.parquet"
    _articles(["ghost"]).to_parquet(orphan)
    assert store.articles(["article_id"])["article_id"].tolist() == ["a"]
    with store.writer():
        pass
    assert not orphan.exists()


def test_second_writer_is_refused_with_a_clear_message(tmp_path):
    store = Store(tmp_path)
    with (
        store.writer(),
        pytest.raises(StoreError, match="another process"),
        Store(tmp_path).writer(),
    ):
        pass


def test_compaction_keeps_every_row(tmp_path):
    store = Store(tmp_path)
    with store.writer():
        for i in range(5):
            store.commit({"articles": _articles([f"id{i}"])})
        assert store.compact("articles", max_parts=2)
    assert len(store.manifest()["parts"]["articles"]) == 1
    assert sorted(store.articles(["article_id"])["article_id"]) == [f"id{i}" for i in range(5)]


def test_compaction_merges_parts_of_different_columns_and_string_types(tmp_path):
    store = Store(tmp_path)
    wide = pa.Table.from_pandas(_articles(["a"]).assign(minhash=[b"x"]), preserve_index=False)
    large = wide.cast(
        pa.schema([f.with_type(pa.large_string()) if f.name == "title" else f for f in wide.schema])
    )
    with store.writer():
        store.commit({"articles": _articles(["b"])})  # no minhash column
        for name, table in (("wide", wide), ("large", large)):
            pq.write_table(table, tmp_path / "articles" / f"{name}.parquet")
        manifest = store.manifest()
        manifest["parts"]["articles"] += ["wide.parquet", "large.parquet"]
        (tmp_path / "manifest.json").write_text(json.dumps(manifest))
        assert store.compact("articles", max_parts=1)
    merged = store.articles(["article_id", "title", "minhash"])
    assert merged["article_id"].tolist() == ["b", "a", "a"]
    assert merged["title"].tolist() == ["judul b", "judul a", "judul a"]
    assert merged["minhash"].tolist() == [None, b"x", b"x"]


def test_builds_switch_atomically_and_keep_the_previous(tmp_path):
    store = Store(tmp_path)
    first = store.new_build_dir()
    pd.DataFrame({"article_id": ["a"], "topic_id": [3]}).to_parquet(first / "assignments.parquet")
    first = store.publish_build(first)
    assert store.current_build() == first
    second = store.publish_build(store.new_build_dir())
    third = store.publish_build(store.new_build_dir())
    assert store.current_build() == third
    assert second.exists() and not first.exists()


def test_meta_round_trip(tmp_path):
    store = Store(tmp_path)
    store.write_meta("topic_edits", {"3": {"label": "Banjir"}})
    assert store.read_meta("topic_edits") == {"3": {"label": "Banjir"}}
    assert store.read_meta("missing", default=[]) == []


# -- damage: a store that refuses to lose what it cannot account for ---------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A store of 400 synthetic articles in four parts, with a fast topic build."""
    store = Store(tmp_path_factory.mktemp("built") / "store")
    raw = pd.concat(list(labelled_frames(1_000, seed=7)), ignore_index=True)
    raw = raw.sample(400, random_state=0)[list(RAW_COLUMNS)]
    ingest_frames([raw.iloc[i : i + 100] for i in range(0, 400, 100)], store)
    assert analysis_main(["build", "--fast", "--quiet", "--store", str(store.path)]) == 0
    return store.path


@pytest.fixture
def copy(built, tmp_path) -> Store:
    """A fresh copy of the built store, free to damage."""
    return Store(shutil.copytree(built, tmp_path / "store"))


def _new_file(tmp_path: Path) -> Path:
    """A small CSV of two articles to ingest."""
    path = tmp_path / "baru.csv"
    pd.DataFrame(
        {
            "judul": ["Jembatan baru diresmikan", "Pasar malam kembali dibuka"],
            "isi": ["Warga menyambut jembatan baru di tepi sungai.", "Pedagang kembali berjualan."],
            "tanggal": ["2025-11-03", "2025-11-04"],
        }
    ).to_csv(path, index=False)
    return path


def _parts(store: Store) -> list[Path]:
    return sorted((store.path / "articles").glob("*.parquet"))


def _column_start(part: Path, name: str) -> int:
    """Where a column's first chunk starts in a Parquet file."""
    group = pq.read_metadata(part).row_group(0)
    (chunk,) = [
        group.column(i) for i in range(group.num_columns) if group.column(i).path_in_schema == name
    ]
    return chunk.dictionary_page_offset or chunk.data_page_offset


def test_a_missing_manifest_makes_writers_refuse_until_repair_adopts_every_part(
    copy, tmp_path, capsys
):
    before = len(copy.articles(["article_id"]))
    parts = _parts(copy)
    (copy.path / "manifest.json").unlink()
    assert copy.exists()
    out = str(tmp_path / "x.csv")
    for argv in (["ingest", str(_new_file(tmp_path))], ["stats"], ["export", "--out", out]):
        assert data_main([*argv, "--store", str(copy.path)]) == 2
        err = capsys.readouterr().err
        assert "holds parts but no manifest.json" in err
        assert f"python -m data repair --store {copy.path}" in err
    assert _parts(copy) == parts  # nothing deleted
    assert data_main(["repair", "--store", str(copy.path)]) == 0
    out = capsys.readouterr().out
    assert "rebuilt from the parts on disk" in out and f"4 parts, {before:,} rows" in out
    assert len(copy.articles(["article_id"])) == before
    assert data_main(["ingest", str(_new_file(tmp_path)), "--store", str(copy.path)]) == 0
    assert len(copy.articles(["article_id"])) == before + 2


@pytest.mark.parametrize("damage", ["zeroed", "truncated"])
def test_a_damaged_part_is_refused_by_every_command_and_set_aside_by_repair(
    copy, tmp_path, capsys, damage
):
    part = _parts(copy)[1]
    lost = pq.read_metadata(part).num_rows
    before = len(copy.articles(["article_id"]))
    payload = part.read_bytes()
    if damage == "zeroed":  # 4 KB from the dates on, a column every command reads
        start = _column_start(part, "published_at")
        part.write_bytes(payload[:start] + bytes(4096) + payload[start + 4096 :])
    else:
        part.write_bytes(payload[: len(payload) // 2])
    store = str(copy.path)
    commands = [
        (data_main, ["stats", "--store", store]),
        (data_main, ["export", "--store", store, "--out", str(tmp_path / "x.csv")]),
        (data_main, ["ingest", str(_new_file(tmp_path)), "--store", store, "--json"]),
        (analysis_main, ["emerging", "--store", store]),
        (analysis_main, ["report", "--store", store, "--out", str(tmp_path / "x.html")]),
    ]
    for main, argv in commands:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert str(part) in err and "python -m data repair" in err, (argv, err)
    assert data_main(["repair", "--store", store, "--json"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert [moved["part"] for moved in done["set_aside"]] == [str(part)]
    assert (copy.path / "damaged" / "articles" / part.name).read_bytes() != payload
    assert done["rows"]["articles"] == before - lost
    assert data_main(["stats", "--store", store, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["articles"] == before - lost


def test_repair_of_a_readable_manifest_reports_missing_parts(copy, capsys):
    gone = _parts(copy)[0]
    gone.unlink()
    with pytest.raises(StoreError, match="missing"), copy.writer():
        pass
    done = copy.repair()
    assert done["manifest"] == "checked" and done["ingest_log"] == "kept"
    assert done["missing"] == [str(gone)] and done["parts"]["articles"] == 3
    with copy.writer():
        pass


def test_a_garbled_manifest_is_kept_aside_by_repair(copy):
    (copy.path / "manifest.json").write_text('{"parts": {"articles": [', encoding="utf-8")
    with pytest.raises(StoreError, match="is damaged"):
        copy.articles()
    assert copy.repair()["manifest"] == "rebuilt from the parts on disk"
    assert (copy.path / "damaged" / "manifest.json").read_text().startswith('{"parts"')
    assert len(copy.articles(["article_id"])) == 400 - len(copy.duplicates())


@pytest.mark.parametrize("where", ["articles", "meta"])
def test_a_full_disk_ends_with_an_error_object_and_no_leftovers(
    copy, tmp_path, capsys, monkeypatch, where
):
    manifest = (copy.path / "manifest.json").read_bytes()
    real_fsync = os.fsync

    def full_disk(fd: int) -> None:
        if f"/{where}/" in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_disk)
    argv = ["ingest", str(_new_file(tmp_path)), "--store", str(copy.path), "--json"]
    assert data_main(argv) == 2
    captured = capsys.readouterr()
    stopped = json.loads(captured.out)
    assert "No space left on device" in stopped["error"] and "free some space" in stopped["error"]
    assert stopped["files"] == 1  # the ingest report of what came before the failed write
    assert not [p for p in copy.path.rglob("*") if p.name.endswith(".tmp")]
    if where == "articles":
        assert (copy.path / "manifest.json").read_bytes() == manifest
    monkeypatch.setattr(os, "fsync", real_fsync)
    with copy.writer():  # every listed part is intact
        pass


def _build(store: Store, files: dict[str, bytes]) -> Path:
    folder = store.new_build_dir()
    for name, payload in files.items():
        (folder / name).write_bytes(payload)
    return store.publish_build(folder)


def test_current_falls_back_to_the_newest_intact_build(tmp_path):
    store = Store(tmp_path)
    table = io.BytesIO()
    pd.DataFrame({"article_id": ["a"], "topic_id": [3]}).to_parquet(table)
    older = _build(store, {"assignments.parquet": table.getvalue(), "build.json": b"{}"})
    newer = _build(store, {"assignments.parquet": table.getvalue(), "build.json": b"{}"})
    current = store.path / "builds" / "CURRENT"
    for garbled in ("\x00\x00garbage", "no-such-build", "..", ""):
        current.write_text(garbled)
        assert store.current_build() == newer, garbled
    (newer / "assignments.parquet").write_bytes(table.getvalue()[:100])
    assert store.current_build() == older
    current.write_text(newer.name)
    assert store.current_build() == older
    (older / "build.json").write_text("{not json")
    assert store.current_build() is None


def test_compaction_merges_runs_of_small_parts_and_leaves_large_parts_in_place(
    tmp_path, monkeypatch
):
    store = Store(tmp_path)
    sizes = [1, 1, 400, 1, 1, 1]
    ids = [[f"p{p}-{i}" for i in range(n)] for p, n in enumerate(sizes)]
    with store.writer():
        for part in ids:
            store.commit({"articles": _articles(part)})
        names = store.manifest()["parts"]["articles"]
        large = names[2]
        monkeypatch.setattr("data.store.PART_BYTES", (tmp_path / "articles" / large).stat().st_size)
        assert store.compact("articles", max_parts=2)
        after = store.manifest()["parts"]["articles"]
        assert len(after) == 3 and after[1] == large  # two merged runs around the large part
        assert not store.compact("articles", max_parts=2)  # nothing small is left to merge
    assert store.articles(["article_id"])["article_id"].tolist() == [i for p in ids for i in p]
    assert not {n for n in names if n != large} & {
        p.name for p in (tmp_path / "articles").iterdir()
    }
    with store.writer():  # every listed part still matches its fingerprint
        pass


def test_a_staged_frame_reads_back_as_written_and_the_next_writer_sweeps_it(tmp_path):
    store = Store(tmp_path / "store")
    frame = pd.DataFrame(
        {
            "article_id": pd.Series(["a", "b", "c"], dtype="str"),
            "source": pd.Series(["Warta", None, "Kabar"], dtype=object),
            "published_at": pd.to_datetime(["2026-01-01", None, "2026-01-03"], utc=True),
            "near": [True, False, True],
            "signature": [b"\x01\x02", None, b"\x03"],
        }
    ).set_axis([7, 3, 5])
    with store.writer():
        store.stage("batch", frame)
        pd.testing.assert_frame_equal(store.staged("batch"), frame.reset_index(drop=True))
        assert store.staged("batch", ["source"])["source"].tolist() == ["Warta", None, "Kabar"]
        # text of Python objects is written as in one process, not as Arrow's large strings
        assert pa.Table.from_pandas(store.staged("batch"), preserve_index=False).equals(
            pa.Table.from_pandas(frame, preserve_index=False)
        )
        store.stage("left by a crash", frame)
        store.unstage("batch")
        assert [p.name for p in (store.path / "staging").iterdir()] == ["left by a crash.parquet"]
    assert store.manifest()["parts"] == {"articles": [], "duplicates": [], "quarantine": []}
    with store.writer():
        assert not any((store.path / "staging").glob("*"))
