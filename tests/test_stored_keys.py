"""The store's keys index: the same decisions as reading every stored key, a run reads only its own
parts, and an index that a crash or a change leaves out of step is never trusted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data import pipeline, stored_keys
from data.dedupe import NearDuplicateIndex, SeenKeys
from data.pipeline import DedupeState, ingest_frames
from data.sample import sample_frames
from data.store import KEYS, Store
from data.stored_keys import DEDUPE_KEY_COLUMNS, NO_SIGNATURES, synced

NOW = pd.Timestamp("2025-07-01T00:00:00Z")
RUNS = 5  # runs of two batches of 200 rows each


def _runs() -> list[list[pd.DataFrame]]:
    frames = list(sample_frames(n_articles=2_000, seed=3, chunk_rows=200))
    return [frames[2 * i : 2 * i + 2] for i in range(RUNS)]


def every_key_read(store: Store, threshold: float = pipeline.NEAR_THRESHOLD) -> DedupeState:
    """The state as ingest made it before the keys index: every stored article's keys read."""
    keys = store.articles(list(DEDUPE_KEY_COLUMNS))
    has = keys["minhash"].notna().to_numpy()
    signatures = (
        np.stack([np.frombuffer(b, dtype=np.uint32) for b in keys["minhash"][has]])
        if has.any()
        else NO_SIGNATURES
    )
    ids = keys["article_id"].to_numpy(dtype=str)[has]
    near = NearDuplicateIndex.from_arrays(ids, signatures, threshold=threshold)
    return DedupeState(SeenKeys.from_frame(keys), near)


def _decisions(store: Store) -> tuple[list[str], pd.DataFrame]:
    kept = sorted(store.articles(["article_id"])["article_id"])
    columns = ["article_id", "duplicate_of", "kind", "similarity", "file", "row"]
    dups = store.duplicates()[columns].sort_values(["file", "row"]).reset_index(drop=True)
    return kept, dups


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> dict[str, Store]:
    """The same runs into a store with the keys index and one that reads every stored key."""
    folder = tmp_path_factory.mktemp("keys")
    indexed, read = Store(folder / "indexed"), Store(folder / "read")
    runs = _runs()
    for run in runs:
        ingest_frames(run, indexed, now=NOW)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DedupeState, "from_store", classmethod(lambda cls, s: every_key_read(s)))
        for run in runs:
            ingest_frames(run, read, now=NOW)
    return {"indexed": indexed, "read": read}


def test_the_index_makes_the_decisions_reading_every_stored_key_makes(stores):
    kept, dups = _decisions(stores["indexed"])
    want_kept, want_dups = _decisions(stores["read"])
    assert kept == want_kept and dups.equals(want_dups)
    assert {"near", "url"} <= set(dups["kind"])


def test_the_index_covers_every_part_in_few_segments_and_holds_every_key(stores, tmp_path):
    store = stores["indexed"]
    entry = store.manifest()[KEYS]
    assert entry["covers"] == store.manifest()["parts"]["articles"]
    assert 1 <= len(entry["segments"]) <= 3  # runs of similar size were merged
    listed = {s["name"] for s in entry["segments"]}
    assert {p.name for p in (store.path / KEYS).iterdir()} == listed
    copy = Store(tmp_path / "copy")
    shutil.copytree(store.path, copy.path)
    with copy.writer():
        opened = DedupeState.from_store(copy)
    want = every_key_read(copy)
    for got, expected in zip(opened.near.to_arrays(), want.near.to_arrays(), strict=True):
        assert len(got) == len(expected) and (got == expected).all()
    stored = {kind: {} for kind in want.seen.keys}
    for table in opened.seen.stored:
        for row in table.table.to_pylist():
            stored[list(stored)[row["kind"]]][row["key"]] = row["article_id"]
    assert stored == want.seen.keys


def _copy(store: Store, folder: Path) -> Store:
    shutil.copytree(store.path, folder)
    return Store(folder)


def _segments(store: Store) -> list[str]:
    return [s["name"] for s in store.manifest()[KEYS]["segments"]]


def test_a_run_reads_only_the_parts_it_added(stores, tmp_path, monkeypatch):
    store = _copy(stores["indexed"], tmp_path / "s")
    old = set(store.manifest()["parts"]["articles"])
    read: list[str] = []
    original = Store.read_article_part

    def counted(self: Store, name: str, columns: list[str]):
        read.append(name)
        return original(self, name, columns)

    monkeypatch.setattr(Store, "read_article_part", counted)
    monkeypatch.setattr(Store, "article_table", None)  # reading every article would fail
    ingest_frames(list(sample_frames(n_articles=1_000, seed=9, chunk_rows=500)), store, now=NOW)
    assert read and not old & set(read)
    assert store.manifest()[KEYS]["covers"] == store.manifest()["parts"]["articles"]


def test_a_crash_while_a_segment_is_written_leaves_the_old_index_valid(stores, tmp_path):
    store = _copy(stores["indexed"], tmp_path / "s")
    before = store.manifest()[KEYS]
    more = list(sample_frames(n_articles=1_000, seed=9, chunk_rows=500))
    with pytest.MonkeyPatch.context() as patch:

        def crash(*args, **kwargs):
            raise KeyboardInterrupt  # the process killed half-way through the segment's files

        patch.setattr(stored_keys.np, "save", crash)
        with pytest.raises(KeyboardInterrupt):
            ingest_frames(more, store, now=NOW)
    assert store.manifest()[KEYS] == before  # the batches were committed, the index was not
    assert store.manifest()["parts"]["articles"][: len(before["covers"])] == before["covers"]
    assert not any(p.name.startswith(".") for p in (store.path / KEYS).iterdir())
    # the next run adds the parts the old index does not cover, and decides as a fresh store
    reference = _copy(stores["read"], tmp_path / "r")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DedupeState, "from_store", classmethod(lambda cls, s: every_key_read(s)))
        ingest_frames(more, reference, now=NOW)
    again = list(sample_frames(n_articles=1_000, seed=10, chunk_rows=500))
    ingest_frames(again, store, now=NOW)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DedupeState, "from_store", classmethod(lambda cls, s: every_key_read(s)))
        ingest_frames(again, reference, now=NOW)
    assert _decisions(store)[0] == _decisions(reference)[0]
    assert _decisions(store)[1].equals(_decisions(reference)[1])
    assert store.manifest()[KEYS]["covers"] == store.manifest()["parts"]["articles"]


def test_an_orphaned_segment_is_swept_by_the_next_writer(stores, tmp_path):
    store = _copy(stores["indexed"], tmp_path / "s")
    orphan = store.path / KEYS / "20990101T000000-deadbeef"
    orphan.mkdir()
    (orphan / "exact.arrow").write_bytes(b"half")
    with store.writer():
        pass
    assert not orphan.exists()


def _rewrite_entry(store: Store, change) -> None:
    manifest = json.loads((store.path / "manifest.json").read_text())
    change(manifest[KEYS])
    (store.path / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    "damage",
    ["truncated segment", "missing segment", "covers other parts", "other threshold", "no entry"],
)
def test_an_index_out_of_step_with_the_manifest_is_rebuilt_not_trusted(stores, tmp_path, damage):
    store = _copy(stores["indexed"], tmp_path / "s")
    first = store.path / KEYS / _segments(store)[0]
    if damage == "truncated segment":
        with open(first / "signatures.npy", "r+b") as fh:
            fh.truncate(1_000)
    elif damage == "missing segment":
        shutil.rmtree(first)
    elif damage == "covers other parts":
        _rewrite_entry(store, lambda e: e["covers"].reverse())
    elif damage == "other threshold":
        _rewrite_entry(store, lambda e: e.update(threshold=0.5))
    else:
        manifest = json.loads((store.path / "manifest.json").read_text())
        del manifest[KEYS]
        (store.path / "manifest.json").write_text(json.dumps(manifest))
    old = set(_segments(store)) if KEYS in store.manifest() else set()
    with store.writer():
        opened = DedupeState.from_store(store)
    assert len(_segments(store)) == 1 and not old & set(_segments(store))
    assert [p.name for p in (store.path / KEYS).iterdir()] == _segments(store)
    want = every_key_read(store)
    assert (opened.near.to_arrays()[0] == want.near.to_arrays()[0]).all()
    assert np.array_equal(opened.near.to_arrays()[1], want.near.to_arrays()[1])


def test_an_index_of_parts_a_store_no_longer_lists_is_dropped(stores, tmp_path):
    store = _copy(stores["indexed"], tmp_path / "s")
    manifest = json.loads((store.path / "manifest.json").read_text())
    manifest["parts"]["articles"] = []
    (store.path / "manifest.json").write_text(json.dumps(manifest))
    with store.writer():
        state = DedupeState.from_store(store)
    assert len(state.near) == 0 and not state.seen.stored
    assert store.manifest()[KEYS]["segments"] == [] and not any((store.path / KEYS).iterdir())


def test_compaction_keeps_the_index_in_step(stores, tmp_path):
    store = _copy(stores["indexed"], tmp_path / "s")
    before = _segments(store)
    with store.writer():
        assert store.compact("articles", max_parts=1)
        assert store.manifest()[KEYS]["covers"] == store.manifest()["parts"]["articles"]
        assert len(store.manifest()["parts"]["articles"]) == 1
        synced(store, pipeline.NEAR_THRESHOLD)
    assert _segments(store) == before  # trusted as it was: nothing read or written again
