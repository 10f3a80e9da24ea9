"""Ingest on a Dask cluster: the same stages as data.pipeline, spread over the workers, with the
same answers (the same kept articles, ids, duplicate decisions and counts) as one process.

`ingest_paths` and `ingest_frames` are pipeline's, run on the cluster of the current
data.cluster block when there is one, and in this process (pipeline's own) when there is none.

What runs where:

- workers, one task per file: the first reading of a file (its date columns' evidence), then the
  second, screened into batches of 5,000 rows; the client decides each file's day/month order in
  file order, as one process does, because an outlet's habit carries from file to file;
- client: boilerplate learning, folded batch by batch from the even samples the workers send back
  (a batch is cleaned with what the batches before it taught);
- workers, one task per batch: dating, cleaning, language, places, keys and MinHash signatures;
  the prepared batch is staged in the store (Store.stage: a file under staging/ that no manifest
  lists) and its quarantined rows written as a part, so that a worker holds no prepared batch
  once it is staged: only a summary (its name, counts and quarantine part) goes to the client;
- a shuffle of the new batches' keys (article id, canonical URL, content hash), read from the
  staged batches and looked up in the store's keys index (data.stored_keys, which the workers
  open where it lies), finds every row that shares one with another row, new or stored; a
  shuffle of their MinHash band keys, with their signatures, finds every row that
  NearDuplicateIndex.deciding_rows says needs deciding: a row with a similar row under a band key
  they share (a new one, or one of the newest stored ones the index would compare it with), and
  the rows between two such when the bucket cap makes them count;
- client: those rows, and only those (their keys and signatures read from the staged batches on
  the workers, READ_AHEAD batches ahead), are de-duplicated in order, by the same code as in one
  process (first published wins, across batches in batch order) against the store's keys index,
  opened as one process opens it; every other row is kept, as one process keeps it;
- workers: each staged batch is read back, its kept and duplicate rows written as parts into the
  store (which the workers must see) and its staging file removed; the client lists them in the
  manifest with the batch's quarantine part, batch by batch, so the manifest stays the single
  commit point and a crash leaves only unlisted parts and staged batches, which the next writer
  sweeps away.

So a worker no longer holds every prepared batch of a run until the run's duplicate decisions
are made. What it still holds while a file's batches are being staged is that file's screened
raw batches (the result of its task per file): a worker's peak grows with the largest files it
reads, not with the number of files (README, "On a Dask cluster").
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data import cluster, pipeline, readers
from data.boilerplate import LearnedBoilerplate
from data.dedupe import EXACT_KEYS, NearDuplicateIndex, key_hashes, minhash_signatures
from data.pipeline import (
    NEAR_THRESHOLD,
    DedupeState,
    FileReading,
    IngestReport,
    Progress,
    RawBatch,
    batch_articles,
    date_evidence,
    date_habits,
    decided_orders,
    dedupe_order,
    dedupe_report,
    duplicate_marks,
    finish_run,
    learning_rows,
    month_first_columns,
    near_candidates,
    quarantine_records,
    screened,
    screening_report,
    split_by_marks,
)
from data.places import resolve_region
from data.store import KEYS, Store
from data.stored_keys import opened

KEY_COLUMNS = list(EXACT_KEYS.values())
SHUFFLE_ROWS = 2_000_000  # exact key rows per partition after the shuffle
BAND_SHUFFLE_ROWS = 250_000  # band key rows (each with its signature) per partition
SIGNATURE_COLUMNS = [f"s{i}" for i in range(64)]
NEAR, SIGNATURE = "near", "signature"  # a staged batch's columns besides its articles'
READ_AHEAD = 4  # batches whose rows to decide are read on the workers ahead of the client


# -- worker tasks --------------------------------------------------------------------------------


@dataclass
class FileBatches:
    """A file read on a worker: its screened batches, what reading noticed, and why it stopped."""

    batches: list[RawBatch] = field(default_factory=list)
    notes: readers.ReadNotes = field(default_factory=readers.ReadNotes)
    error: str | None = None


def _as_given(text: str, path: Path, given: str) -> str:
    """A path or message about the file at path (absolute, for a worker with its own working
    folder) as the client named it, so that stored rows and reports read as in one process."""
    return text.replace(str(path), given)


def file_evidence(path: Path, given: str, reading: FileReading) -> tuple[dict, dict] | str:
    """The date evidence of one file (pipeline.date_evidence), or why it cannot be read."""
    try:
        return date_evidence(path, reading.mapping, reading.limits)
    except readers.ReaderError as exc:
        return _as_given(str(exc), path, given)
    except Exception as exc:  # a reading library failing in its own way
        return f"{given}: cannot be read ({type(exc).__name__}: {_as_given(str(exc), path, given)})"


def file_batches(
    path: Path, given: str, reading: FileReading, month_first: list[str], source: str | None
) -> FileBatches:
    """One file read into screened batches, as pipeline._file_frames reads it."""
    read = FileBatches()
    try:
        for frame in readers.read_path(
            path, reading.mapping, limits=reading.limits, notes=read.notes
        ):
            named = frame.assign(
                file=[_as_given(f, path, given) for f in frame["file"].astype(str)],
                month_first=frame["date_column"].isin(month_first),
            )
            read.batches.append(screened(named, source))
    except readers.ReaderError as exc:
        read.error = _as_given(str(exc), path, given)
    except Exception as exc:  # a reading library failing in its own way
        read.error = (
            f"{given}: cannot be read ({type(exc).__name__}: {_as_given(str(exc), path, given)})"
        )
    return read


def frame_batch(raw: pd.DataFrame, source: str | None) -> FileBatches:
    """A raw frame handed over by the client (fetched items), screened as one batch."""
    return FileBatches([screened(raw, source)])


def batches_summary(read: FileBatches) -> dict[str, Any]:
    """What the client needs of a read file first: the rows of each batch, what reading noticed,
    and why it stopped."""
    return {"rows": [len(b.raw) for b in read.batches], "notes": read.notes, "error": read.error}


def batch_sample(read: FileBatches, index: int, per_batch: int) -> dict[str, list[str]]:
    """The bodies of one batch that boilerplate learning counts (LearnedBoilerplate.sampled)."""
    return LearnedBoilerplate(per_batch=per_batch).sampled(learning_rows(read.batches[index]))


@dataclass
class StagedBatch:
    """What the client keeps of a batch prepared on a worker and staged in the store: its name
    (the stem of its staging file and of its parts), its quarantine part (written, not yet
    committed), its counts known before de-duplication, and how many rows its exact and band
    key shuffles take."""

    stem: str
    quarantine: tuple[str, dict] | None
    report: IngestReport
    exact_rows: int
    band_rows: int


def staged_batch(
    read: FileBatches,
    index: int,
    learned: LearnedBoilerplate,
    region: str | None,
    now: pd.Timestamp,
    store_path: Path,
    stem: str,
) -> StagedBatch:
    """One batch dated, cleaned, placed and keyed, in dedupe order, with a "near" flag (long
    enough for near-duplicate detection) and a "signature" (bytes of its MinHash uint32[64], None
    where not near) per row, staged in the store (Store.stage) until its duplicate decisions are
    made; its quarantined rows written as a part. Only the summary stays in memory."""
    batch = read.batches[index]
    ordered = dedupe_order(batch_articles(batch, learned, region=region, now=now))
    near = (near_candidates(ordered["text"]) if len(ordered) else pd.Series(dtype=bool)).astype(
        bool
    )
    signatures = pd.Series(None, index=ordered.index, dtype="object")
    rows = ordered.index[near.to_numpy()]
    if len(rows):
        matrix = minhash_signatures(ordered.loc[rows, "text"].tolist())
        signatures[rows] = [s.astype(np.uint32).tobytes() for s in matrix]
    store = Store(store_path)
    store.stage(stem, ordered.assign(**{NEAR: near, SIGNATURE: signatures}))
    quarantined = quarantine_records(batch.raw, batch.reasons, now)
    return StagedBatch(
        stem,
        store.write_part("quarantine", quarantined, stem),
        screening_report(batch, ordered, quarantined),
        len(exact_key_rows(ordered, index)),
        len(rows) * NearDuplicateIndex(NEAR_THRESHOLD).bands,
    )


def exact_key_rows(keys: pd.DataFrame, batch: int) -> pd.DataFrame:
    """(key, batch, row) for every exact key of rows (key_hashes); row is the position."""
    positions = np.arange(len(keys))
    parts = []
    for kind, column in EXACT_KEYS.items():
        values = keys[column]
        present = values.notna().to_numpy() & values.astype("string").ne("").fillna(False)
        present = np.asarray(present, dtype=bool)
        parts.append((key_hashes(kind, values[present].astype(str)), positions[present]))
    key = np.concatenate([k for k, _ in parts]) if parts else np.empty(0, np.uint64)
    row = np.concatenate([r for _, r in parts]) if parts else np.empty(0, np.int64)
    return pd.DataFrame(
        {"key": key, "batch": np.full(len(key), batch, np.int32), "row": row.astype(np.int64)}
    )


def band_key_rows(signatures: pd.Series, batch: int) -> pd.DataFrame:
    """(key, batch, row, s0..s63) for every MinHash band key of the rows with a signature: the
    signature rides along, so that a partition of the shuffle compares the rows under a key."""
    has = signatures.notna().to_numpy()
    rows = np.flatnonzero(has)
    matrix = (
        np.stack([np.frombuffer(b, np.uint32) for b in signatures[has]])
        if rows.size
        else np.empty((0, len(SIGNATURE_COLUMNS)), np.uint32)
    )
    bands = NearDuplicateIndex(NEAR_THRESHOLD).band_keys(matrix)
    frame = pd.DataFrame(np.repeat(matrix, bands.shape[1], axis=0), columns=SIGNATURE_COLUMNS)
    return frame.assign(
        key=bands.ravel(),
        batch=np.full(bands.size, batch, np.int32),
        row=np.repeat(rows, bands.shape[1]).astype(np.int64),
    )[["key", "batch", "row", *SIGNATURE_COLUMNS]]


def staged_exact_key_rows(store: Path, stem: str, batch: int) -> pd.DataFrame:
    """exact_key_rows of a staged batch."""
    return exact_key_rows(Store(store).staged(stem, KEY_COLUMNS), batch)


def staged_band_key_rows(store: Path, stem: str, batch: int) -> pd.DataFrame:
    """band_key_rows of a staged batch."""
    return band_key_rows(Store(store).staged(stem, [SIGNATURE])[SIGNATURE], batch)


def exact_rows_to_decide(frame: pd.DataFrame, store: Path, segments: list) -> pd.DataFrame:
    """The (batch, row) of the rows of a shuffle partition (every exact key row of its keys) that
    share a key with another new row or with a stored article (its key in the store's keys
    index; a hash they share by chance only makes a row be decided at the client, which gives
    the same answer)."""
    hashes = frame["key"].to_numpy(np.uint64)
    shared = frame["key"].duplicated(keep=False).to_numpy()
    for segment in opened(Store(store), segments).exact:
        shared = shared | segment.holds(hashes)
    return frame.loc[shared, ["batch", "row"]].drop_duplicates()


def band_rows_to_decide(frame: pd.DataFrame, store: Path, segments: list) -> pd.DataFrame:
    """The (batch, row) of the rows of a shuffle partition (every band key row of its keys, with
    its signature) that NearDuplicateIndex.deciding_rows says need deciding, against the store's
    keys index."""
    index = NearDuplicateIndex.on_saved(opened(Store(store), segments).near, NEAR_THRESHOLD)
    needed = index.deciding_rows(
        frame["key"].to_numpy(np.uint64),
        frame["batch"].to_numpy(np.int64),
        frame["row"].to_numpy(np.int64),
        frame[SIGNATURE_COLUMNS].to_numpy(np.uint32),
    )
    return frame.loc[needed, ["batch", "row"]].drop_duplicates()


def staged_rows(store: Path, stem: str, rows: np.ndarray) -> pd.DataFrame:
    """The key columns, near flag and signature of some rows (positions) of a staged batch."""
    return Store(store).staged(stem, [*KEY_COLUMNS, NEAR, SIGNATURE]).iloc[rows]


def written_batch(
    store_path: Path, stem: str, marks: pd.DataFrame
) -> tuple[dict[str, tuple[str, dict]], IngestReport]:
    """A staged batch's kept and duplicate rows written as parts (not yet committed), its
    staging file removed; the parts and the batch's de-duplication counts. marks: the client's
    decisions for the rows that shared a key (by position); every other row is kept, with its
    signature."""
    store = Store(store_path)
    staged = store.staged(stem)
    ordered = staged.drop(columns=[NEAR, SIGNATURE])
    full = pd.DataFrame(
        {
            "duplicate_of": pd.Series(None, index=ordered.index, dtype=object),
            "kind": pd.Series(None, index=ordered.index, dtype=object),
            "similarity": np.nan,
            "minhash": staged[SIGNATURE],
        }
    )
    if len(marks):
        labels = ordered.index[marks["row"].to_numpy()]
        for column in ("duplicate_of", "kind", "similarity", "minhash"):
            values = marks[column]
            full.loc[labels, column] = (
                values.astype(float) if column == "similarity" else values
            ).to_numpy()
    kept, dups = split_by_marks(ordered, full) if len(ordered) else (ordered, ordered)
    tables = {"articles": kept, "duplicates": dups}
    written = {t: store.write_part(t, frame, stem) for t, frame in tables.items()}
    store.unstage(stem)
    return {t: w for t, w in written.items() if w is not None}, dedupe_report(kept, dups)


# -- the client ----------------------------------------------------------------------------------


def ingest_paths(
    paths: Iterable[Path | str],
    store: Store,
    *,
    mapping: dict[str, str] | None = None,
    source: str | None = None,
    region: str | None = None,
    now: pd.Timestamp | None = None,
    progress: Progress | None = None,
    limits: readers.ReadLimits | None = None,
    report: IngestReport | None = None,
) -> IngestReport:
    """pipeline.ingest_paths, on the cluster of the current data.cluster block when there is one
    (the same answers), else in this process."""
    client = cluster.current()
    if client is None:
        return pipeline.ingest_paths(
            paths,
            store,
            mapping=mapping,
            source=source,
            region=region,
            now=now,
            progress=progress,
            limits=limits,
            report=report,
        )
    if region is not None:
        resolve_region(region)  # fail early on an unknown --region
    reading = FileReading(
        mapping,
        limits or readers.ReadLimits(),
        date_habits(store.ingests() if store.exists() else []),
    )
    return ingest_files(
        client,
        [Path(p) for p in paths],
        store,
        reading,
        source=source,
        region=region,
        now=now or pd.Timestamp.now("UTC"),
        progress=progress,
        report=report,
    )


def ingest_frames(
    frames: Iterable[pd.DataFrame],
    store: Store,
    *,
    source: str | None = None,
    region: str | None = None,
    now: pd.Timestamp | None = None,
    progress: Progress | None = None,
    report: IngestReport | None = None,
) -> IngestReport:
    """pipeline.ingest_frames (raw frames the client holds, such as fetched items), on the cluster
    of the current data.cluster block when there is one, else in this process."""
    client = cluster.current()
    if client is None:
        return pipeline.ingest_frames(
            frames, store, source=source, region=region, now=now, progress=progress, report=report
        )
    if region is not None:
        resolve_region(region)
    with store.writer():
        return ingest_batches(
            client,
            frame_batches(client, frames, source),
            store,
            region=region,
            now=now or pd.Timestamp.now("UTC"),
            progress=progress,
            report=IngestReport() if report is None else report,
        )


def frame_batches(client: Any, frames: Iterable[pd.DataFrame], source: str | None) -> list[Any]:
    """Raw frames the client holds (fetched items), handed to the workers as read batches."""
    return [client.submit(frame_batch, raw, source, pure=False) for raw in frames]


def ingest_files(
    client: Any,
    paths: list[Path],
    store: Store,
    reading: FileReading,
    *,
    source: str | None,
    region: str | None,
    now: pd.Timestamp,
    progress: Progress | None,
    report: IngestReport | None,
) -> IngestReport:
    """pipeline.ingest_paths on a cluster: every file read on the workers, one task per file."""
    report = IngestReport() if report is None else report
    with store.writer():  # refused at once when another process writes
        files: list[Path] = []
        for given in paths:
            try:
                files.extend(readers.iter_input_files([given]))
            except readers.ReaderError as exc:
                report.unreadable_files[str(given)] = str(exc)
        report.files += len(files)
        evidence = client.gather(
            [client.submit(file_evidence, f.absolute(), str(f), reading, pure=False) for f in files]
        )
        names, reads = [], []
        for path, found in zip(files, evidence, strict=True):
            if isinstance(found, str):
                report.unreadable_files[str(path)] = found
                continue
            orders = report.date_order[str(path)] = decided_orders(*found, reading.habits)
            month_first = month_first_columns(orders)
            names.append(str(path))
            reads.append(
                client.submit(
                    file_batches, path.absolute(), str(path), reading, month_first, source
                )
            )
        return ingest_batches(
            client,
            reads,
            store,
            region=region,
            now=now,
            progress=progress,
            report=report,
            names=names,
        )


def ingest_batches(
    client: Any,
    reads: list[Any],
    store: Store,
    *,
    region: str | None,
    now: pd.Timestamp,
    progress: Progress | None,
    report: IngestReport,
    names: list[str] | None = None,
) -> IngestReport:
    """Ingest read batches (futures of FileBatches, in order; the list is emptied, so that each
    file's raw batches are let go once prepared) into the store (inside writer())."""
    learned = LearnedBoilerplate.from_dict(store.read_meta("boilerplate", {}))
    summaries = client.gather([client.submit(batches_summary, r, pure=False) for r in reads])
    for name, summary in zip(names or [], summaries, strict=False):
        report.note_reading(name, summary["notes"])
        if summary["error"]:
            report.unreadable_files[name] = summary["error"]
    samples = [
        client.submit(batch_sample, read, index, learned.per_batch, pure=False)
        for read, summary in zip(reads, summaries, strict=True)
        for index in range(len(summary["rows"]))
    ]
    batches = [
        (read, index)
        for read, s in zip(reads, summaries, strict=True)
        for index in range(len(s["rows"]))
    ]
    sizes = [rows for summary in summaries for rows in summary["rows"]]
    reads.clear()
    path = store.path.absolute()  # workers have their own working folder
    stems = _stems(len(batches))
    futures = []
    for (read, index), sample, stem in zip(batches, samples, stems, strict=True):
        # each batch is cleaned with what it and every batch before it taught, as in one process
        learned = learned.update_sampled(sample.result())
        sample.release()
        futures.append(
            client.submit(staged_batch, read, index, learned, region, now, path, stem, pure=False)
        )
    del batches, samples  # the raw batches go once staged
    _progress_of(client, futures, sizes, progress)
    staged = client.gather(futures)
    futures.clear()
    marks = _duplicate_marks(client, staged, store)
    written = [
        client.submit(written_batch, path, done.stem, mark, pure=False)
        for done, mark in zip(staged, marks, strict=True)
    ]
    for done, future in zip(staged, written, strict=True):  # committed in batch order
        parts, counts = future.result()
        store.adopt({**parts, **({"quarantine": done.quarantine} if done.quarantine else {})})
        report.add(done.report)
        report.add(counts)
        future.release()
    if written:
        store.write_meta("boilerplate", learned.to_dict())
    finish_run(store, now, report)
    return report


def _progress_of(
    client: Any, futures: list[Any], sizes: list[int], progress: Progress | None
) -> None:
    """Report the rows of each batch as its preparation finishes (the long part of a run)."""
    if not progress or not futures:
        return
    from distributed import as_completed

    size_of = {f.key: n for f, n in zip(futures, sizes, strict=True)}
    for future in as_completed(futures):
        progress(size_of[future.key])


def _stems(count: int) -> list[str]:
    """Part names for count batches, in commit order (named as Store.commit names them, with a
    sequence number in front of the random part, so that they also sort in commit order)."""
    stamp = f"{pd.Timestamp.now('UTC'):%Y%m%dT%H%M%S}"
    return [f"{stamp}-{i:04x}{uuid.uuid4().hex[:4]}" for i in range(count)]


def _to_decide(client: Any, batches: list[StagedBatch], store: Store) -> pd.DataFrame:
    """(batch, row) of every new row that needs deciding at the client: a shuffle of the staged
    rows' exact keys and one of their band keys (with signatures), each partition looked up in
    the store's committed keys index where it lies. The shuffles read the staged batches
    themselves, so that no batch's key rows are held before the shuffle takes them."""
    import dask
    import dask.dataframe as dd

    meta = pd.DataFrame(
        {
            "key": pd.Series(dtype=np.uint64),
            "batch": pd.Series(dtype=np.int32),
            "row": pd.Series(dtype=np.int64),
        }
    )
    found_meta = meta[["batch", "row"]]
    if not batches:  # nothing new: nothing to decide
        return found_meta
    entry = store.manifest().get(KEYS)
    segments = entry["segments"] if entry else []
    path = store.path.absolute()  # workers have their own working folder
    found = []
    for rows_of, total, decide, per_partition, columns in (
        (
            staged_exact_key_rows,
            sum(b.exact_rows for b in batches),
            exact_rows_to_decide,
            SHUFFLE_ROWS,
            [],
        ),
        (
            staged_band_key_rows,
            sum(b.band_rows for b in batches),
            band_rows_to_decide,
            BAND_SHUFFLE_ROWS,
            SIGNATURE_COLUMNS,
        ),
    ):
        pieces = [dask.delayed(rows_of, pure=False)(path, b.stem, i) for i, b in enumerate(batches)]
        partitions = max(1, min(len(pieces), -(-total // per_partition)))
        keys = dd.from_delayed(
            pieces,
            meta=meta.assign(**{c: pd.Series(dtype=np.uint32) for c in columns}),
            verify_meta=False,
        )
        found.append(
            keys.shuffle("key", npartitions=partitions).map_partitions(
                decide, path, segments, meta=found_meta
            )
        )
    both = pd.concat(client.compute(found, sync=True), ignore_index=True)
    return both.drop_duplicates().sort_values(["batch", "row"])


def _duplicate_marks(client: Any, batches: list[StagedBatch], store: Store) -> list[pd.DataFrame]:
    """Per staged batch, the client's decisions (duplicate_of, kind, similarity, minhash by row
    position) for its rows that need deciding; decided in batch order, against the store's keys
    index (inside writer())."""
    state = DedupeState.from_store(store)  # brings the keys index up to date first
    decide = _to_decide(client, batches, store)
    rows_of = {int(b): rows["row"].to_numpy() for b, rows in decide.groupby("batch")}
    marks = []
    for i, rows in enumerate(_rows_to_decide(client, batches, rows_of, store)):
        if rows is None:
            marks.append(_no_marks())
            continue
        rows = rows.reset_index(drop=True)
        decided = duplicate_marks(rows, rows[NEAR].astype(bool), _signatures_in(rows), state)
        marks.append(decided.assign(row=rows_of[i]))
    return marks


def _rows_to_decide(
    client: Any, batches: list[StagedBatch], rows_of: dict[int, np.ndarray], store: Store
) -> Iterator[pd.DataFrame | None]:
    """Per staged batch, in order, its rows that need deciding (staged_rows; None where none
    do), read on the workers at most READ_AHEAD batches ahead of the one the client decides."""
    path = store.path.absolute()
    reading: deque[Any] = deque()
    ahead = iter(range(len(batches)))
    for _ in range(len(batches)):
        while len(reading) < READ_AHEAD and (i := next(ahead, None)) is not None:
            reading.append(
                client.submit(staged_rows, path, batches[i].stem, rows_of[i], pure=False)
                if i in rows_of
                else None
            )
        future = reading.popleft()
        if future is None:
            yield None
            continue
        yield future.result()
        future.release()


def _signatures_in(rows: pd.DataFrame) -> Any:
    """signatures_of for duplicate_marks: the signatures the workers computed, by row label."""

    def signatures_of(labels: pd.Index) -> np.ndarray:
        if not len(labels):
            return np.empty((0, 64), np.uint32)
        return np.stack([np.frombuffer(b, np.uint32) for b in rows.loc[labels, SIGNATURE]])

    return signatures_of


def _no_marks() -> pd.DataFrame:
    """No decisions: every row of the batch is kept."""
    return pd.DataFrame(
        {c: pd.Series(dtype=object) for c in ("duplicate_of", "kind", "similarity", "minhash")}
    ).assign(row=pd.Series(dtype=np.int64))
