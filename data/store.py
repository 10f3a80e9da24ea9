"""The embedded store: one folder of Parquet parts, a manifest switched in atomically, and builds.

Layout::

    store/
      manifest.json            which parts are committed (readers only ever read what it lists)
      articles/*.parquet       kept articles, one part per committed ingest batch
      duplicates/*.parquet     duplicate records, each naming the article it duplicates
      quarantine/*.parquet     rows that could not be kept, with the original row and a reason
      meta/*.json              small state: learned boilerplate, feed state, topic edits, ...
      builds/<version>/        topic builds; builds/CURRENT names the current one
      search/index.sqlite      the full-text index, derived from the parts (data.search.index)
      keys/<segment>/          the keys de-duplication looks up, derived from the articles'
                               parts and committed in the manifest with them (data.stored_keys)
      staging/*.parquet        batches prepared on a Dask cluster's workers, waiting for their
                               duplicate decisions (stage, staged); never committed or read by
                               readers, removed once written as parts, swept by the next writer
      .lock                    held by the one writer at a time

The committed parts of a table (Store.part_paths, `python -m data parts`) are a Parquet dataset
that Dask, DuckDB or Spark read in parallel, a part (and a row group) at a time; files in a table's
folder that the manifest does not list are not committed and are never read. On a Dask cluster the
workers write parts and the client lists them (write_part, adopt).

A part is written under a temporary name, flushed, renamed, and only then listed in a new manifest
that replaces the old one with os.replace. A crash at any point leaves the previous manifest, and
every part it lists, intact; orphaned parts are swept by the next writer. A write that fails (a full
disk) removes its temporary file and commits nothing.

The manifest records every part's size and SHA-256. A writer first checks every listed part against
them and refuses to touch a store whose parts changed, went missing, or that has parts but no
readable manifest: it never deletes what it cannot account for. ``python -m data repair`` (repair())
rebuilds the manifest from the parts on disk and moves unreadable parts aside to ``damaged/``.
Readers refuse an unreadable part with the same advice; builds/CURRENT falls back to the newest
intact build when it names a missing or damaged one.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from data.integrity import changed, fingerprint, row_count, unreadable
from data.schema import ARTICLE_COLUMNS, DUPLICATE_COLUMNS, QUARANTINE_COLUMNS

DEFAULT_STORE = "store"
STORE_ENV = "SOROTAN_STORE"
DAMAGED = "damaged"  # where repair() moves what it cannot read
KEYS = "keys"  # the keys index's folder and manifest entry (data.stored_keys)
STAGING = "staging"  # batches waiting to be written as parts (Store.stage); never committed
#: Rows per Parquet row group: a search reads the row groups of its best 10 articles for their
#: snippets; at 1,000 rows that took 21 ms instead of 89 ms at 5,000, for 3% more disk.
ROW_GROUP_ROWS = 1_000
#: Row groups read at once when reading some rows back (Store.rows_at): bounds its memory.
GROUPS_READ = 32
PART_BYTES = 128 * 2**20  # compaction merges parts smaller than this, and leaves larger ones
TABLES: dict[str, tuple[str, ...]] = {
    "articles": ARTICLE_COLUMNS,
    "duplicates": DUPLICATE_COLUMNS,
    "quarantine": QUARANTINE_COLUMNS,
}
ASSIGNMENT_COLUMNS = (
    "article_id",
    "topic_id",
    "topic_label",
    "topic_confidence",
    "theme",
    "theme_label",
)


class StoreError(Exception):
    """A store that cannot be used as asked (locked, unreadable, missing, damaged, disk full)."""


def default_store_path() -> Path:
    """The store folder: $SOROTAN_STORE if set, else ./store."""
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


def repair_advice(path: Path) -> str:
    """What to run when a store's manifest or parts are damaged."""
    return (
        f"run `python -m data repair --store {path}`: it rebuilds the manifest from the parts on "
        f"disk and moves unreadable parts to {path / DAMAGED}"
    )


@contextmanager
def _temporary(path: Path) -> Iterator[Path]:
    """A temporary name beside path to write to; flushed and renamed to path when the block ends,
    removed when it fails, so that a full disk leaves neither a torn file nor a leftover."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        yield tmp
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(
            f"cannot write {path}: {exc.strerror or exc}; what was committed before is kept, "
            "so free some space and run the command again"
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_atomic(path: Path, payload: bytes) -> None:
    """Write bytes to path so that readers see either the old or the new file, never a torn one."""
    with _temporary(path) as tmp:
        tmp.write_bytes(payload)


def _empty_manifest() -> dict[str, Any]:
    """The manifest of a store with nothing committed yet."""
    return {"format": 1, "parts": {name: [] for name in TABLES}, "ingests": [], "checks": {}}


def _checked_manifest(value: Any) -> dict[str, Any]:
    """A parsed manifest, with ValueError when its shape is not a manifest's."""
    parts = value.get("parts") if isinstance(value, dict) else None
    if not isinstance(parts, dict) or not all(
        isinstance(parts.get(table), list) and all(isinstance(n, str) for n in parts[table])
        for table in TABLES
    ):
        raise ValueError("it does not list the parts of every table")
    if not isinstance(value.get("ingests", []), list):
        raise ValueError("its ingest log is not a list")
    return {**value, "ingests": value.get("ingests", []), "checks": value.get("checks", {})}


@lru_cache(maxsize=64)
def _readable_build(folder: Path, files: tuple[tuple[str, int, int], ...]) -> bool:
    """Whether a build folder, as its files (name, size, mtime) are now, can be read: its
    build.json parses, its Parquet footers read (kept per state: every page run asks)."""
    try:
        info = folder / "build.json"
        if info.exists() and not isinstance(json.loads(info.read_text(encoding="utf-8")), dict):
            return False
        for table in folder.glob("*.parquet"):
            pq.read_metadata(table)
    except (OSError, ValueError, pa.ArrowException):
        return False
    return True


def _intact_build(folder: Path) -> bool:
    """Whether a build folder exists and can be read."""
    try:
        stats = [(p.name, p.stat()) for p in folder.iterdir() if p.is_file()]
    except OSError:
        return False
    return _readable_build(folder, tuple(sorted((n, s.st_size, s.st_mtime_ns) for n, s in stats)))


def _rows_in_part(
    path: Path, places: pd.DataFrame, columns: list[str]
) -> Iterator[tuple[pa.Table, np.ndarray]]:
    """The columns of one part's rows at places["row"], GROUPS_READ row groups at a time: each
    table of rows with which of places it holds (a boolean mask)."""
    file = pq.ParquetFile(path)
    present = [c for c in columns if c in file.schema_arrow.names]
    sizes = np.array([file.metadata.row_group(i).num_rows for i in range(file.num_row_groups)])
    starts = np.cumsum(sizes) - sizes
    rows = places["row"].to_numpy(dtype="int64")
    where = np.searchsorted(starts + sizes, rows, side="right")  # each row's row group
    needed = np.unique(where)
    for first in range(0, len(needed), GROUPS_READ):
        chunk = needed[first : first + GROUPS_READ]
        inside = np.isin(where, chunk)
        offsets = np.cumsum(sizes[chunk]) - sizes[chunk]  # each group's start in the read table
        at = offsets[np.searchsorted(chunk, where[inside])] + rows[inside] - starts[where[inside]]
        table = file.read_row_groups(chunk.tolist(), columns=present)
        yield table.take(pa.array(at)), inside


def part_rows(path: Path, rows: np.ndarray, columns: list[str]) -> pd.DataFrame:
    """The columns of one part's rows (row numbers in ascending order), in that order, reading
    only the row groups that hold them (a column the part lacks: all None)."""
    places = pd.DataFrame({"row": np.asarray(rows, dtype="int64")})
    tables = [table for table, _ in _rows_in_part(path, places, columns)]
    if not tables:  # no rows: the columns' types still
        schema = pq.ParquetFile(path).schema_arrow
        tables = [schema.empty_table().select([c for c in columns if c in schema.names])]
    frame = pa.concat_tables(tables).to_pandas()
    return frame.assign(**{c: None for c in columns if c not in frame.columns})[columns]


def _keys_after_compaction(
    keys: dict[str, Any], names: list[str], runs: list[tuple[int, int]], merged: dict[int, str]
) -> dict[str, Any]:
    """The keys index's manifest entry once runs of article parts were merged: it covers the
    merged part of a run it covered in full, and stops before a run it covered only in part."""
    covers = keys.get("covers")
    if not isinstance(covers, list) or covers != names[: len(covers)]:
        return keys  # not trusted anyway: the next writer rebuilds it
    ends = dict(runs)
    after, position = [], 0
    while position < len(covers):
        if position in ends:
            if ends[position] > len(covers):
                break
            after.append(merged[position])
            position = ends[position]
        else:
            after.append(names[position])
            position += 1
    return {**keys, "covers": after}


class Store:
    """A store folder on disk; cheap to create, reads are snapshot-consistent."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_path()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- manifest -------------------------------------------------------------------------------

    @property
    def _manifest_path(self) -> Path:
        return self.path / "manifest.json"

    def _parts_on_disk(self) -> dict[str, list[str]]:
        """The part files in each table's folder, oldest first (their names start with the time)."""
        return {
            table: sorted(
                p.name for p in (self.path / table).glob("*.parquet") if not p.name.startswith(".")
            )
            for table in TABLES
        }

    def manifest(self) -> dict[str, Any]:
        """The committed state: parts per table, their fingerprints and the log of ingests.

        StoreError when the manifest is missing although parts are on disk, or cannot be read.
        """
        try:
            text = self._manifest_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            if any(self._parts_on_disk().values()):
                raise StoreError(
                    f"{self.path} holds parts but no manifest.json, which says which of them are "
                    f"committed; nothing was changed. {repair_advice(self.path)}"
                ) from None
            return _empty_manifest()
        except (OSError, UnicodeDecodeError) as exc:
            raise StoreError(f"cannot read {self._manifest_path}: {exc}") from exc
        try:
            return _checked_manifest(json.loads(text))
        except ValueError as exc:
            raise StoreError(
                f"{self._manifest_path} is damaged ({exc}); nothing was changed. "
                + repair_advice(self.path)
            ) from exc

    def _write_manifest(self, manifest: dict[str, Any]) -> None:
        _write_atomic(self._manifest_path, json.dumps(manifest, indent=1).encode())

    def exists(self) -> bool:
        """True when the folder holds a store: a manifest, or parts waiting for one (see repair)."""
        return self._manifest_path.exists() or any(self._parts_on_disk().values())

    # -- reading --------------------------------------------------------------------------------

    def _read_part(self, part: Path, wanted: list[str], categories: Sequence[str] = ()) -> pa.Table:
        """The wanted columns of one part (those in categories as dictionaries); StoreError, with
        what to do, when it cannot be read."""
        try:
            present = self._present(part, wanted)
            coded = [c for c in categories if c in present]
            return pq.read_table(part, columns=present, read_dictionary=coded or None)
        except FileNotFoundError:
            raise
        except (OSError, pa.ArrowException) as exc:
            raise StoreError(
                f"{part} cannot be read ({type(exc).__name__}: {exc}). {repair_advice(self.path)}"
            ) from exc

    def _read_parts(
        self, table: str, wanted: list[str], categories: Sequence[str] = ()
    ) -> tuple[list[str], list[pa.Table]]:
        """The names of a table's committed parts and the wanted columns of each (those in
        categories as dictionaries); retries once if a part was compacted away."""
        for attempt in range(2):
            names = self.manifest()["parts"][table]
            parts = [self.path / table / name for name in names]
            try:
                return names, [self._read_part(p, wanted, categories) for p in parts]
            except FileNotFoundError as exc:
                if attempt:
                    gone = ", ".join(str(p) for p in parts if not p.exists())
                    raise StoreError(
                        f"listed in the manifest but missing: {gone}. {repair_advice(self.path)}"
                    ) from exc
        raise AssertionError("unreachable")

    @staticmethod
    def _frame_of(tables: list[pa.Table], wanted: list[str]) -> pd.DataFrame:
        """Tables read from parts as one frame with the wanted columns (None where a part lacks one)."""
        if not tables:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in wanted})
        frame = pa.concat_tables(tables, promote_options="permissive").to_pandas()
        missing = [c for c in wanted if c not in frame.columns]
        return frame.assign(**{c: None for c in missing})[wanted]

    def _read_table(self, table: str, columns: list[str] | None) -> pd.DataFrame:
        """Every committed part of one table, concatenated."""
        wanted = list(columns) if columns is not None else list(TABLES[table])
        return self._frame_of(self._read_parts(table, wanted)[1], wanted)

    @staticmethod
    def _present(part: Path, wanted: list[str]) -> list[str]:
        """The wanted columns that this part has."""
        names = set(pq.read_schema(part).names)
        return [c for c in wanted if c in names]

    def articles(self, columns: list[str] | None = None) -> pd.DataFrame:
        """Kept articles with the canonical columns (or the ones asked for)."""
        return self._read_table("articles", columns)

    def read_article_part(self, name: str, columns: list[str]) -> pa.Table:
        """The columns of one committed article part (those it has)."""
        return self._read_part(self.path / "articles" / name, list(columns))

    def article_table(self, columns: list[str]) -> pa.Table:
        """Kept articles' columns as one Arrow table, in store order, text and bytes left in
        Arrow's buffers (a column that no part has is left out; a part without it gives nulls)."""
        tables = self._read_parts("articles", list(columns))[1]
        return pa.concat_tables(tables, promote_options="permissive") if tables else pa.table({})

    def placed_articles(self, columns: list[str], categories: Sequence[str] = ()) -> pd.DataFrame:
        """Kept articles' columns (those in categories read as categories) with where each row is
        in the store: part (the part's name, as a category) and row (its number in the part), the
        places rows_at reads them back from."""
        names, tables = self._read_parts("articles", list(columns), categories)
        sizes = [t.num_rows for t in tables]
        where = np.repeat(np.arange(len(names), dtype="int32"), sizes)
        rows = np.concatenate(
            [np.arange(n, dtype="int32") for n in sizes] or [np.zeros(0, "int32")]
        )
        return self._frame_of(tables, list(columns)).assign(
            part=pd.Categorical.from_codes(where, categories=names), row=rows
        )

    def rows_at(self, places: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        """The columns of the articles at places (part name, row), in the order and with the index
        of places; reads only the row groups that hold them, GROUPS_READ at a time, and converts
        them to pandas once (FileNotFoundError when a part is no longer there: compacted since
        the places were read)."""
        tables, labels = [], []
        for name, group in places.groupby(places["part"].astype(str), sort=False):
            for table, inside in _rows_in_part(self.path / "articles" / name, group, columns):
                tables.append(table)
                labels.append(group.index[inside])
        if not tables:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in columns}, index=places.index)
        found = pa.concat_tables(tables, promote_options="permissive").to_pandas()
        found = found.set_axis(np.concatenate(labels)).reindex(places.index)
        return found.assign(**{c: None for c in columns if c not in found.columns})[columns]

    def places_of(self, ids: pd.Series) -> pd.DataFrame:
        """part and row where the store keeps the articles with these ids now (their first copy),
        with the ids' positions as index; ids no longer kept are left out. What rows_at reads
        after a compaction moved the articles of places read before it."""
        current = self.placed_articles(["article_id"]).drop_duplicates("article_id")
        places = current.set_index("article_id")[["part", "row"]].reindex(ids.to_numpy())
        return places.reset_index(drop=True).dropna().astype({"row": "int64"})

    def duplicates(self) -> pd.DataFrame:
        """Duplicate records, each with the id of the article it duplicates."""
        return self._read_table("duplicates", None)

    def quarantine(self) -> pd.DataFrame:
        """Quarantined rows with their reason and original content."""
        return self._read_table("quarantine", None)

    def ingests(self) -> list[dict[str, Any]]:
        """The log of ingest runs, oldest first."""
        return list(self.manifest().get("ingests", []))

    # -- writing --------------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the single-writer lock; fail fast with a clear message if another writer has it."""
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / ".lock", "a+") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise StoreError(
                    f"{self.path} is being written by another process; try again when it finishes"
                ) from exc
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @contextmanager
    def writer(self) -> Iterator[Store]:
        """Hold the writer lock over a store whose parts are all intact (StoreError otherwise)."""
        with self._locked():
            self._verify_parts()
            self.ensure_manifest()  # a part is never on disk before a manifest is
            self._sweep_orphans()
            yield self

    def _part_problem(self, key: str, checks: dict[str, Any]) -> str | None:
        """Why the part table/name is not the one committed, or None; unfingerprinted parts (from
        before fingerprints) are read in full instead."""
        path = self.path / key
        if key in checks:
            return changed(path, checks[key])
        return "missing" if not path.exists() else unreadable(path)

    def _verify_parts(self) -> None:
        """Check every listed part against its fingerprint; fingerprint parts that have none."""
        manifest = self.manifest()
        checks = manifest["checks"]
        keys = [f"{table}/{name}" for table, names in manifest["parts"].items() for name in names]
        for key in keys:
            problem = self._part_problem(key, checks)
            if problem:
                raise StoreError(
                    f"{self.path / key} is damaged ({problem}); nothing was changed. "
                    + repair_advice(self.path)
                )
        new = [key for key in keys if key not in checks]
        if new:
            self._write_manifest({**manifest, "checks": {**checks, **self._fingerprints(new)}})

    def _fingerprints(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        """The fingerprint of each part table/name."""
        return {key: fingerprint(self.path / key) for key in keys}

    def _sweep_orphans(self) -> None:
        """Remove parts, temporary files and keys segments that no manifest lists, and every staged
        frame (left by a crash)."""
        parts = self.manifest()["parts"]
        for table in TABLES:
            folder = self.path / table
            if not folder.exists():
                continue
            listed = set(parts[table])
            for file in folder.iterdir():
                if file.name not in listed:
                    file.unlink(missing_ok=True)
        keys = self.manifest().get(KEYS)
        segments = keys.get("segments", []) if isinstance(keys, dict) else []
        listed = {s.get("name") for s in segments if isinstance(s, dict)}
        if (self.path / KEYS).is_dir():
            for folder in (self.path / KEYS).iterdir():
                if folder.name not in listed:
                    shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(self.path / STAGING, ignore_errors=True)  # nothing staged is committed

    def _write_part(self, table: str, frame: pd.DataFrame, stem: str) -> str | None:
        """Write one part file (temporary name, fsync, rename); its name, or None if empty."""
        if frame.empty:
            return None
        folder = self.path / table
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{stem}.parquet"
        with _temporary(folder / name) as tmp:
            pq.write_table(
                pa.Table.from_pandas(frame, preserve_index=False),
                tmp,
                compression="zstd",
                row_group_size=ROW_GROUP_ROWS,
            )
        return name

    def _merge_parts(self, table: str, parts: list[Path], stem: str) -> str:
        """Write parts as one part file, one part in memory at a time; the new part's name."""
        schema = pa.unify_schemas([pq.read_schema(p) for p in parts], promote_options="permissive")
        empty = schema.empty_table()
        name = f"{stem}.parquet"
        with (
            _temporary(self.path / table / name) as tmp,
            pq.ParquetWriter(tmp, schema, compression="zstd") as writer,
        ):
            for part in parts:  # missing columns come back null, narrower types widened
                merged = pa.concat_tables(
                    [empty, pq.read_table(part)], promote_options="permissive"
                )
                writer.write_table(
                    merged.select(schema.names).cast(schema), row_group_size=ROW_GROUP_ROWS
                )
        return name

    def commit(self, tables: dict[str, pd.DataFrame], ingest: dict[str, Any] | None = None) -> None:
        """Append frames to tables and log an ingest, as one atomic step (call inside writer()).

        When a write fails (StoreError: a full disk), the parts written so far are removed again.
        """
        stem = f"{pd.Timestamp.now('UTC'):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        manifest = self.manifest()
        written: list[str] = []
        try:
            for table, frame in tables.items():
                name = self._write_part(table, frame, stem)
                if name:
                    manifest["parts"][table].append(name)
                    written.append(f"{table}/{name}")
            if ingest is not None:
                manifest["ingests"].append(ingest)
            manifest["checks"] = {**manifest["checks"], **self._fingerprints(written)}
            self._write_manifest(manifest)
        except BaseException:
            for key in written:
                (self.path / key).unlink(missing_ok=True)
            raise

    def adopt(self, written: dict[str, tuple[str, dict[str, Any]]]) -> None:
        """List parts that were already written into the tables' folders (by write_part, on
        workers) in the manifest, as one atomic step (call inside writer()): per table, the part's
        name and fingerprint. Parts never adopted are swept by the next writer."""
        manifest = self.manifest()
        for table, (name, _) in written.items():
            manifest["parts"][table].append(name)
        manifest["checks"] = {
            **manifest["checks"],
            **{f"{table}/{name}": check for table, (name, check) in written.items()},
        }
        self._write_manifest(manifest)

    def record(self, name: str, value: Any) -> None:
        """Set one entry of the manifest besides the tables' parts (the keys index's), as one
        atomic step (call inside writer())."""
        self._write_manifest({**self.manifest(), name: value})

    def ensure_manifest(self) -> None:
        """Write the empty manifest of a new store (writer() does, before anything else), so that
        a part written before the first commit, and left by a crash, is recognised as
        uncommitted and swept, not taken for a lost manifest."""
        if not self._manifest_path.exists():
            self._write_manifest(self.manifest())

    def write_part(self, table: str, frame: pd.DataFrame, stem: str) -> tuple[str, dict] | None:
        """Write one part file of a table without committing it: its name and fingerprint (None
        for an empty frame), for adopt()."""
        name = self._write_part(table, frame, stem)
        return (name, fingerprint(self.path / table / name)) if name else None

    def stage(self, name: str, frame: pd.DataFrame) -> None:
        """Write a frame under staging/ (temporary name, fsync, rename) to be read back by
        staged() in the same writer() block: never committed, swept by the next writer."""
        folder = self.path / STAGING
        folder.mkdir(parents=True, exist_ok=True)
        with _temporary(folder / f"{name}.parquet") as tmp:
            pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp)

    def staged(self, name: str, columns: list[str] | None = None) -> pd.DataFrame:
        """The columns (all when None) of a frame stage() wrote, its rows in their order, each
        column of the dtype it was written with: Arrow reads text back as pandas strings, so a
        column of Python objects is made one again (None where missing), to be written as parts
        of the same Arrow types as in one process."""
        table = pq.read_table(self.path / STAGING / f"{name}.parquet", columns=columns)
        frame = table.to_pandas()
        written = (table.schema.pandas_metadata or {}).get("columns", [])
        objects = [c["name"] for c in written if c["numpy_type"] == "object" and c["name"] in frame]
        return frame.assign(
            **{c: frame[c].astype(object).where(frame[c].notna(), None) for c in objects}
        )

    def unstage(self, name: str) -> None:
        """Remove a frame stage() wrote, once it is no longer needed."""
        (self.path / STAGING / f"{name}.parquet").unlink(missing_ok=True)

    def part_paths(self, table: str = "articles") -> list[Path]:
        """The committed part files of a table, oldest first: the Parquet dataset a parallel
        reader (Dask, DuckDB, Spark) should read. Files in the folder that the manifest does not
        list are not committed and must not be read."""
        return [self.path / table / name for name in self.manifest()["parts"][table]]

    def compact(self, table: str = "articles", max_parts: int = 32) -> bool:
        """When a table has more than max_parts parts, merge each run of consecutive parts smaller
        than PART_BYTES into one part (inside writer()); whether anything was merged.

        Parts stay in their order (the order de-duplication and updates read the store in), and a
        part of PART_BYTES or more is never rewritten: compaction costs what the recent small
        parts hold, not the whole store, and the table stays a dataset of parts of a useful size
        for parallel readers.
        """
        manifest = self.manifest()
        names = manifest["parts"][table]
        if len(names) <= max_parts:
            return False
        runs = self._small_runs(table, names)
        if not runs:
            return False
        stamp = f"{pd.Timestamp.now('UTC'):%Y%m%dT%H%M%S}"
        merged: dict[int, str] = {}  # first position of a run -> its merged part
        try:
            for start, stop in runs:
                stem = f"{stamp}-{uuid.uuid4().hex[:8]}-compact"
                merged[start] = self._merge_parts(
                    table, [self.path / table / n for n in names[start:stop]], stem
                )
        except BaseException:
            for name in merged.values():
                (self.path / table / name).unlink(missing_ok=True)
            raise
        gone = {n for start, stop in runs for n in names[start:stop]}
        ends = {start: stop for start, stop in runs}
        kept, position = [], 0
        while position < len(names):
            if position in ends:
                kept.append(merged[position])
                position = ends[position]
            else:
                kept.append(names[position])
                position += 1
        checks = {
            k: v for k, v in manifest["checks"].items() if k not in {f"{table}/{n}" for n in gone}
        }
        manifest["parts"][table] = kept
        if table == "articles" and isinstance(manifest.get(KEYS), dict):
            manifest[KEYS] = _keys_after_compaction(manifest[KEYS], names, runs, merged)
        manifest["checks"] = {
            **checks,
            **self._fingerprints([f"{table}/{n}" for n in merged.values()]),
        }
        try:
            self._write_manifest(manifest)
        except StoreError:
            for name in merged.values():
                (self.path / table / name).unlink(missing_ok=True)
            raise
        for old in gone:
            (self.path / table / old).unlink(missing_ok=True)
        return True

    def _small_runs(self, table: str, names: list[str]) -> list[tuple[int, int]]:
        """(start, stop) of every run of two or more consecutive parts under PART_BYTES."""
        small = [(self.path / table / n).stat().st_size < PART_BYTES for n in names]
        runs, start = [], None
        for position, is_small in enumerate([*small, False]):
            if is_small and start is None:
                start = position
            elif not is_small and start is not None:
                if position - start > 1:
                    runs.append((start, position))
                start = None
        return runs

    # -- repair ---------------------------------------------------------------------------------

    def _readable_manifest(self) -> dict[str, Any] | None:
        """The manifest when it exists and reads as one, else None."""
        try:
            return _checked_manifest(json.loads(self._manifest_path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, ValueError):
            return None

    def _set_aside(self, path: Path) -> Path:
        """Move a damaged file to damaged/, beside where it was; its new place."""
        target = self.path / DAMAGED / path.relative_to(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        return target

    def _triage(self, listed: dict[str, list[str]], checks: dict[str, Any]) -> dict[str, Any]:
        """Each listed part kept (intact), moved to damaged/ (unreadable or changed), or missing."""
        kept: dict[str, list[str]] = {table: [] for table in TABLES}
        rows = dict.fromkeys(TABLES, 0)
        set_aside: list[dict[str, str]] = []
        missing: list[str] = []
        for table in TABLES:
            for name in listed[table]:
                key, path = f"{table}/{name}", self.path / table / name
                if not path.exists():
                    missing.append(str(path))
                    continue
                problem = (changed(path, checks[key]) if key in checks else None) or unreadable(
                    path
                )
                if problem:
                    moved = self._set_aside(path)
                    set_aside.append({"part": str(path), "moved_to": str(moved), "why": problem})
                    continue
                kept[table].append(name)
                rows[table] += row_count(path)
        return {"kept": kept, "rows": rows, "set_aside": set_aside, "missing": missing}

    def repair(self) -> dict[str, Any]:
        """Make the store writable again, losing nothing: what it did.

        With a readable manifest, its parts are checked (fingerprint, then every row group read);
        without one, every part on disk is adopted, oldest first, and a damaged manifest is moved
        to damaged/. Parts that cannot be read are moved to damaged/ and left out of the new
        manifest; parts the manifest lists but the disk lacks are reported.
        """
        with self._locked():
            old = self._readable_manifest()
            if old is None and self._manifest_path.exists():
                self._set_aside(self._manifest_path)
            checks = old["checks"] if old else {}
            found = self._triage(old["parts"] if old else self._parts_on_disk(), checks)
            keys = [f"{table}/{name}" for table, names in found["kept"].items() for name in names]
            fresh = self._fingerprints([k for k in keys if k not in checks])
            self._write_manifest(
                {
                    "format": 1,
                    "parts": found["kept"],
                    "ingests": old["ingests"] if old else [],
                    "checks": {**{k: checks[k] for k in keys if k in checks}, **fresh},
                }
            )
        kept = found.pop("kept")
        return {
            "store": str(self.path),
            "manifest": "checked" if old else "rebuilt from the parts on disk",
            "ingest_log": "kept" if old else "lost with the manifest (stats show no ingest runs)",
            "parts": {table: len(names) for table, names in kept.items()},
            **found,
        }

    # -- small JSON state ------------------------------------------------------------------------

    def read_meta(self, name: str, default: Any = None) -> Any:
        """A JSON value saved under meta/<name>.json, or default."""
        try:
            return json.loads((self.path / "meta" / f"{name}.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return default

    def write_meta(self, name: str, value: Any) -> None:
        """Save a JSON value under meta/<name>.json atomically."""
        folder = self.path / "meta"
        folder.mkdir(parents=True, exist_ok=True)
        _write_atomic(folder / f"{name}.json", json.dumps(value, ensure_ascii=False).encode())

    # -- builds ---------------------------------------------------------------------------------

    @property
    def _builds(self) -> Path:
        return self.path / "builds"

    def new_build_dir(self) -> Path:
        """An empty folder to write a build into; publish_build makes it current."""
        path = self._builds / f"{pd.Timestamp.now('UTC'):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}.tmp"
        path.mkdir(parents=True)
        return path

    def publish_build(self, build_dir: Path) -> Path:
        """Make a finished build current in one atomic step; keep the previous one, drop older."""
        previous = self.current_build()
        final = build_dir.with_name(build_dir.name.removesuffix(".tmp"))
        os.replace(build_dir, final)
        _write_atomic(self._builds / "CURRENT", final.name.encode())
        keep = {final.name} | ({previous.name} if previous else set())
        for old in self._builds.iterdir():
            if old.is_dir() and old.name not in keep and not old.name.endswith(".tmp"):
                shutil.rmtree(old, ignore_errors=True)
        return final

    def _named_build(self) -> Path | None:
        """The folder builds/CURRENT names, if it names one."""
        try:
            name = (self._builds / "CURRENT").read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        path = self._builds / name
        plain = bool(name) and Path(name).name == name and not name.startswith(".")
        return path if plain and path.is_dir() else None

    def current_build(self) -> Path | None:
        """The folder of the current build: the one builds/CURRENT names, or the newest intact
        build when that one is missing or damaged; None before the first build."""
        named = self._named_build()
        if named is not None and _intact_build(named):
            return named
        finished = sorted(
            (p for p in self._builds.glob("*") if p.is_dir() and not p.name.endswith(".tmp")),
            key=lambda p: (p.name.split("-")[0], p.stat().st_mtime_ns),  # made that second
            reverse=True,
        )
        return next((p for p in finished if _intact_build(p)), None)

    def assignments(self) -> pd.DataFrame:
        """The current build's topic of every article (empty frame before the first build)."""
        build = self.current_build()
        if build is None or not (build / "assignments.parquet").exists():
            return pd.DataFrame({c: pd.Series(dtype="object") for c in ASSIGNMENT_COLUMNS})
        try:
            return pd.read_parquet(build / "assignments.parquet")
        except (OSError, pa.ArrowException) as exc:
            raise StoreError(
                f"{build / 'assignments.parquet'} cannot be read ({exc}); "
                "run `python -m analysis build` to build the topics again"
            ) from exc
