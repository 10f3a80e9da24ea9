"""The store: atomic commits, snapshot reads, one writer, versioned builds."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from data.schema import ARTICLE_COLUMNS
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
