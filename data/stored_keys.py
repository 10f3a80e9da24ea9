"""The store's keys index: what de-duplication needs of every kept article, saved beside the parts,
so that an ingest opens it (memory-mapped, read only where a lookup lands) instead of reading every
stored article's keys back.

    keys/<segment>/exact.arrow       the exact keys the articles registered, sorted (SortedKeys)
    keys/<segment>/ids.arrow         the ids of the articles with a MinHash signature, in order
    keys/<segment>/signatures.npy    their signatures, (n, 64) uint32
    keys/<segment>/bands.npy         their band keys, sorted, and the row of each (rows.npy)

A segment holds the keys of a run of consecutive article parts. The manifest's "keys" entry is the
index's commit point, as it is the parts': the segments, oldest first, each with its files'
fingerprints, and the article parts they cover. A segment is written into a temporary folder,
flushed, renamed, and only then listed in a new manifest; a crash leaves the old entry and the
segments it lists intact, and the next writer sweeps the unlisted folder away. At the end of a run
the run's new parts become a segment, and segments of similar size are merged (as the index's runs
in memory are), so an ingest writes what its own rows hold, plus merges whose cost is spread over
the runs as the store doubles.

The index is trusted only as far as it matches the manifest: covering a leading run of its article
parts (a crash after some batches were committed leaves the rest uncovered, and they are added),
with every segment's files of the size recorded. An index covering anything else, of another
format or threshold, or with a missing or changed file, is rebuilt from the parts. Compaction
keeps the parts in order and the index follows it (Store.compact).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data.dedupe import EXACT_KEYS, IndexedRows, SortedKeys
from data.integrity import fingerprint
from data.store import KEYS, Store, StoreError

FORMAT = 1
NUM_PERM = 64
DEDUPE_KEY_COLUMNS = ("article_id", "url_key", "content_hash", "minhash")
NO_SIGNATURES = np.empty((0, NUM_PERM), dtype=np.uint32)
_FILES = ("exact.arrow", "ids.arrow", "signatures.npy", "bands.npy", "rows.npy")


def stored_signatures(column: pa.ChunkedArray) -> np.ndarray:
    """The MinHash signatures of a stored minhash column without nulls (bytes of 64 uint32 each)
    as a matrix, viewed in Arrow's buffer without a Python object per row."""
    if not len(column):
        return NO_SIGNATURES
    array = column.combine_chunks()
    wide = pa.types.is_large_binary(array.type)
    offsets = np.frombuffer(array.buffers()[1], np.int64 if wide else np.int32)
    offsets = offsets[array.offset : array.offset + len(array) + 1]
    width = NO_SIGNATURES.shape[1] * NO_SIGNATURES.itemsize
    if not (np.diff(offsets) == width).all():
        raise StoreError(f"stored MinHash signatures are not all {width} bytes long")
    data = np.frombuffer(array.buffers()[2], np.uint8)[offsets[0] : offsets[-1]]
    return data.view(np.uint32).reshape(-1, NO_SIGNATURES.shape[1])


@dataclass(frozen=True)
class Segment:
    """The keys of a run of article parts: exact keys, and the rows with a signature."""

    exact: SortedKeys
    near: IndexedRows


@dataclass(frozen=True)
class StoredKeys:
    """The keys index of a store as it is committed: its segments, oldest first."""

    segments: list[Segment]

    @property
    def exact(self) -> list[SortedKeys]:
        return [s.exact for s in self.segments]

    @property
    def near(self) -> list[IndexedRows]:
        return [s.near for s in self.segments]


def segment_of(table: pa.Table, threshold: float) -> Segment:
    """The segment of kept articles' DEDUPE_KEY_COLUMNS (an Arrow table, in store order; a
    missing column counts as nulls)."""
    present = [c for c in EXACT_KEYS.values() if c in table.column_names]
    keys = table.select(present).to_pandas().reindex(columns=list(EXACT_KEYS.values()))
    if "minhash" in table.column_names and table.num_rows:
        column = table["minhash"]
        has = column.is_valid().to_numpy(zero_copy_only=False)
        signatures = stored_signatures(column.drop_null())
    else:
        has, signatures = np.zeros(len(keys), bool), NO_SIGNATURES
    ids = keys["article_id"].to_numpy(dtype=str)[has]
    return Segment(SortedKeys.of_frame(keys), IndexedRows.of(ids, signatures, threshold))


def merged(segments: Sequence[Segment]) -> Segment:
    """Consecutive segments as one."""
    return Segment(
        SortedKeys.merged([s.exact for s in segments]),
        IndexedRows.merged([s.near for s in segments]),
    )


# -- files ----------------------------------------------------------------------------------------


def _folder(store: Store) -> Path:
    return store.path / KEYS


def _write_arrow(path: Path, table: pa.Table) -> None:
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _written(store: Store, segment: Segment) -> dict[str, Any]:
    """Write a segment's files (into a temporary folder, flushed, then renamed); its manifest
    record: name, articles with a signature, and each file's fingerprint."""
    name = f"{pd.Timestamp.now('UTC'):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    folder = _folder(store)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{name}.tmp"
    try:
        tmp.mkdir()
        near = segment.near
        _write_arrow(tmp / "exact.arrow", segment.exact.table)
        _write_arrow(tmp / "ids.arrow", pa.table({"article_id": near.ids}))
        np.save(tmp / "signatures.npy", np.ascontiguousarray(near.signatures, np.uint32))
        np.save(tmp / "bands.npy", np.ascontiguousarray(near.keys, np.uint64))
        np.save(tmp / "rows.npy", np.ascontiguousarray(near.rows, np.int64))
        for file in _FILES:
            with open(tmp / file, "rb") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, folder / name)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise StoreError(
            f"cannot write the keys index into {folder}: {exc.strerror or exc}; what was "
            "committed before is kept, so free some space and run the command again"
        ) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return {
        "name": name,
        "signatures": len(segment.near),
        "files": {f: fingerprint(folder / name / f) for f in _FILES},
    }


def _opened(store: Store, record: dict[str, Any]) -> Segment | None:
    """A listed segment, memory-mapped; None when a file is missing, of another size than
    recorded, or unreadable."""
    folder = _folder(store) / str(record.get("name"))
    try:
        for file, check in record["files"].items():
            if (folder / file).stat().st_size != check["bytes"]:
                return None
        exact = pa.ipc.open_file(pa.memory_map(str(folder / "exact.arrow"))).read_all()
        ids = pa.ipc.open_file(pa.memory_map(str(folder / "ids.arrow"))).read_all()
        arrays = [np.load(folder / f, mmap_mode="r") for f in _FILES[2:]]
    except (OSError, KeyError, TypeError, ValueError, pa.ArrowException):
        return None
    if exact.num_rows:
        exact = exact.combine_chunks()
    ids = ids["article_id"].combine_chunks() if ids.num_rows else pa.array([], pa.large_string())
    near = IndexedRows(ids, *arrays)
    if near.signatures.shape != (len(ids), NUM_PERM) or len(near.keys) != len(near.rows):
        return None
    return Segment(SortedKeys(exact), near)


def opened(store: Store, records: list[dict[str, Any]]) -> StoredKeys:
    """The segments of a keys entry the client committed, memory-mapped (on a worker, which
    sees the store where the client does); StoreError when one cannot be opened."""
    segments = [_opened(store, record) for record in records]
    if any(s is None for s in segments):
        raise StoreError(f"the keys index of {store.path} changed while it was read")
    return StoredKeys(segments)  # type: ignore[arg-type]


# -- the index of a store ---------------------------------------------------------------------------


def _entry(store: Store) -> dict[str, Any] | None:
    return store.manifest().get(KEYS)


def _trusted(entry: Any, parts: list[str], threshold: float) -> bool:
    """Whether a manifest's keys entry may be used: this format and threshold, covering a
    leading run of the article parts."""
    if not isinstance(entry, dict):
        return False
    covers = entry.get("covers")
    return (
        entry.get("format") == FORMAT
        and entry.get("threshold") == threshold
        and isinstance(covers, list)
        and isinstance(entry.get("segments"), list)
        and covers == parts[: len(covers)]
    )


def _read_parts(store: Store, names: list[str]) -> pa.Table:
    """DEDUPE_KEY_COLUMNS of some article parts, in order."""
    tables = [store.read_article_part(name, list(DEDUPE_KEY_COLUMNS)) for name in names]
    if not tables:
        return pa.table({})
    return pa.concat_tables(tables, promote_options="permissive")


def synced(store: Store, threshold: float) -> StoredKeys:
    """The store's keys index covering every committed article part (inside writer()): opened as
    committed, after adding the parts it does not cover yet as a segment and merging segments of
    similar size, or rebuilt from every part when it cannot be trusted."""
    parts = store.manifest()["parts"]["articles"]
    entry = _entry(store)
    if not parts:  # nothing to index; an entry listing segments would be out of step
        if isinstance(entry, dict) and entry.get("segments"):
            gone = [str(r.get("name")) for r in entry["segments"] if isinstance(r, dict)]
            _commit(store, threshold, [], [], gone)
        return StoredKeys([])
    opened = None
    if _trusted(entry, parts, threshold):
        opened = [_opened(store, record) for record in entry["segments"]]
    if opened is None or any(s is None for s in opened):
        return _rebuilt(store, parts, threshold)
    records = list(entry["segments"])
    segments: list[Segment] = list(opened)  # type: ignore[arg-type]
    new = parts[len(entry["covers"]) :]
    if not new:
        return StoredKeys(segments)
    segment = segment_of(_read_parts(store, new), threshold)
    if _overlaps(segments, segment):  # kept articles that share a key: only in stores of old
        return _rebuilt(store, parts, threshold)
    records.append(_written(store, segment))
    segments.append(segment)
    gone = []
    while len(segments) > 1 and records[-2]["signatures"] <= 2 * records[-1]["signatures"]:
        both = merged(segments[-2:])
        gone += [records.pop()["name"], records.pop()["name"]]
        segments[-2:] = [both]
        records.append(_written(store, both))
    _commit(store, threshold, parts, records, gone)
    return StoredKeys([_opened(store, r) or s for r, s in zip(records, segments, strict=True)])


def _overlaps(segments: list[Segment], segment: Segment) -> bool:
    """Whether any exact key of a new segment is held by an older one."""
    table = segment.exact.table
    if not table.num_rows:
        return False
    for code, kind in enumerate(EXACT_KEYS):
        keys = table.filter(pc.equal(table["kind"], code))["key"].to_pylist()
        if any(s.exact.found(kind, keys) for s in segments):
            return True
    return False


def _rebuilt(store: Store, parts: list[str], threshold: float) -> StoredKeys:
    """The index built again from every article part, as one segment."""
    segment = segment_of(_read_parts(store, parts), threshold)
    record = _written(store, segment)
    old = _entry(store)
    gone = [r.get("name") for r in old.get("segments", [])] if isinstance(old, dict) else []
    _commit(store, threshold, parts, [record], [str(n) for n in gone if n])
    return StoredKeys([_opened(store, record) or segment])


def _commit(
    store: Store, threshold: float, covers: list[str], records: list[dict], gone: list[str]
) -> None:
    """List the segments in the manifest (the commit), then remove those it no longer lists."""
    entry = {"format": FORMAT, "threshold": threshold, "covers": covers, "segments": records}
    store.record(KEYS, entry)
    for name in gone:
        shutil.rmtree(_folder(store) / name, ignore_errors=True)
