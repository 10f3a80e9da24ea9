"""The embedded store: one folder of Parquet parts, a manifest switched in atomically, and builds.

Layout::

    store/
      manifest.json            which parts are committed (readers only ever read what it lists)
      articles/*.parquet       kept articles, one part per committed ingest batch
      duplicates/*.parquet     duplicate records, each naming the article it duplicates
      quarantine/*.parquet     rows that could not be kept, with the original row and a reason
      meta/*.json              small state: learned boilerplate, feed state, topic edits, ...
      builds/<version>/        topic builds; builds/CURRENT names the current one
      .lock                    held by the one writer at a time

A part is written under a temporary name, flushed, renamed, and only then listed in a new manifest
that replaces the old one with os.replace. A crash at any point leaves the previous manifest, and
every part it lists, intact; orphaned parts are swept by the next writer.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from data.schema import ARTICLE_COLUMNS, DUPLICATE_COLUMNS, QUARANTINE_COLUMNS

DEFAULT_STORE = "store"
STORE_ENV = "SOROTAN_STORE"
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
    """A store that cannot be used as asked (locked, unreadable, missing)."""


def default_store_path() -> Path:
    """The store folder: $SOROTAN_STORE if set, else ./store."""
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


def _renamed_durably(tmp: Path, path: Path) -> None:
    """Flush a written temporary file to disk, then give it its final name."""
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _write_atomic(path: Path, payload: bytes) -> None:
    """Write bytes to path so that readers see either the old or the new file, never a torn one."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


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

    def manifest(self) -> dict[str, Any]:
        """The committed state: parts per table and the log of ingests."""
        try:
            return json.loads(self._manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"format": 1, "parts": {name: [] for name in TABLES}, "ingests": []}
        except (OSError, json.JSONDecodeError) as exc:
            raise StoreError(f"cannot read {self._manifest_path}: {exc}") from exc

    def exists(self) -> bool:
        """True when the folder holds a committed store."""
        return self._manifest_path.exists()

    # -- reading --------------------------------------------------------------------------------

    def _read_table(self, table: str, columns: list[str] | None) -> pd.DataFrame:
        """Every committed part of one table, concatenated; retries once if a part was compacted away."""
        wanted = list(columns) if columns is not None else list(TABLES[table])
        for attempt in range(2):
            parts = [self.path / table / name for name in self.manifest()["parts"][table]]
            try:
                frames = [pq.read_table(p, columns=self._present(p, wanted)) for p in parts]
                break
            except FileNotFoundError:
                if attempt:
                    raise
        if not frames:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in wanted})
        table_ = pa.concat_tables(frames, promote_options="permissive")
        frame = table_.to_pandas()
        missing = [c for c in wanted if c not in frame.columns]
        return frame.assign(**{c: None for c in missing})[wanted]

    @staticmethod
    def _present(part: Path, wanted: list[str]) -> list[str]:
        """The wanted columns that this part has."""
        names = set(pq.read_schema(part).names)
        return [c for c in wanted if c in names]

    def articles(self, columns: list[str] | None = None) -> pd.DataFrame:
        """Kept articles with the canonical columns (or the ones asked for)."""
        return self._read_table("articles", columns)

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
    def writer(self) -> Iterator[Store]:
        """Hold the single-writer lock; fail fast with a clear message if another writer has it."""
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / ".lock", "a+") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise StoreError(
                    f"{self.path} is being written by another process; try again when it finishes"
                ) from exc
            self._sweep_orphans()
            try:
                yield self
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _sweep_orphans(self) -> None:
        """Remove parts and temporary files that no manifest lists (left by a crash)."""
        parts = self.manifest()["parts"]
        for table in TABLES:
            folder = self.path / table
            if not folder.exists():
                continue
            listed = set(parts[table])
            for file in folder.iterdir():
                if file.name not in listed:
                    file.unlink(missing_ok=True)

    def _write_part(self, table: str, frame: pd.DataFrame, stem: str) -> str | None:
        """Write one part file (temporary name, fsync, rename); its name, or None if empty."""
        if frame.empty:
            return None
        folder = self.path / table
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{stem}.parquet"
        tmp = folder / f".{name}.tmp"
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp, compression="zstd")
        _renamed_durably(tmp, folder / name)
        return name

    def _merge_parts(self, table: str, parts: list[Path], stem: str) -> str:
        """Write parts as one part file, one part in memory at a time; the new part's name."""
        schema = pa.unify_schemas([pq.read_schema(p) for p in parts], promote_options="permissive")
        empty = schema.empty_table()
        folder = self.path / table
        name = f"{stem}.parquet"
        tmp = folder / f".{name}.tmp"
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            for part in parts:  # missing columns come back null, narrower types widened
                merged = pa.concat_tables(
                    [empty, pq.read_table(part)], promote_options="permissive"
                )
                writer.write_table(merged.select(schema.names).cast(schema))
        _renamed_durably(tmp, folder / name)
        return name

    def commit(self, tables: dict[str, pd.DataFrame], ingest: dict[str, Any] | None = None) -> None:
        """Append frames to tables and log an ingest, as one atomic step (call inside writer())."""
        stem = f"{pd.Timestamp.now('UTC'):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        manifest = self.manifest()
        for table, frame in tables.items():
            name = self._write_part(table, frame, stem)
            if name:
                manifest["parts"][table].append(name)
        if ingest is not None:
            manifest["ingests"].append(ingest)
        _write_atomic(self._manifest_path, json.dumps(manifest, indent=1).encode())

    def compact(self, table: str = "articles", max_parts: int = 32) -> bool:
        """Merge a table's parts into one when there are more than max_parts (inside writer())."""
        manifest = self.manifest()
        names = manifest["parts"][table]
        if len(names) <= max_parts:
            return False
        stem = f"{pd.Timestamp.now('UTC'):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}-compact"
        name = self._merge_parts(table, [self.path / table / n for n in names], stem)
        manifest["parts"][table] = [name]
        _write_atomic(self._manifest_path, json.dumps(manifest, indent=1).encode())
        for old in names:
            (self.path / table / old).unlink(missing_ok=True)
        return True

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
        final = build_dir.with_name(build_dir.name.removesuffix(".tmp"))
        os.replace(build_dir, final)
        previous = self.current_build()
        _write_atomic(self._builds / "CURRENT", final.name.encode())
        keep = {final.name} | ({previous.name} if previous else set())
        for old in self._builds.iterdir():
            if old.is_dir() and old.name not in keep and not old.name.endswith(".tmp"):
                shutil.rmtree(old, ignore_errors=True)
        return final

    def current_build(self) -> Path | None:
        """The folder of the current build, or None before the first build."""
        try:
            name = (self._builds / "CURRENT").read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        path = self._builds / name
        return path if path.is_dir() else None

    def assignments(self) -> pd.DataFrame:
        """The current build's topic of every article (empty frame before the first build)."""
        build = self.current_build()
        if build is None or not (build / "assignments.parquet").exists():
            return pd.DataFrame({c: pd.Series(dtype="object") for c in ASSIGNMENT_COLUMNS})
        return pd.read_parquet(build / "assignments.parquet")
