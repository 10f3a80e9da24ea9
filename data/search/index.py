"""The search index: one SQLite file of FTS5 over stems, derived from the store's committed parts.

Layout::

    store/search/index.sqlite   the index (rebuilt from the store whenever it cannot be trusted)
    store/search/.lock          held by the one process that writes the index

What it holds: a contentless FTS5 table (``content=''``: only the inverted index, never the text)
with two columns, title and body, each the stems of its words (``detail=full``, so phrases match
words in a row); ``docs``, one row per indexed article with where its row is in the store (part,
row) and what the filters need (WIB day, province, language, outlet); ``parts``, the article parts
indexed with their SHA-256 from the manifest; ``stems``, every word seen and its stem, so that a
word is stemmed once and a query's stems can be shown in the original words.

Safety: the index only reads the store, and writes only under ``store/search/``. It follows the
manifest: when the manifest lists the parts the index records, the index is current; when it lists
more, the new parts are indexed (incremental, one transaction); when parts were merged
(compaction) the articles are found at their new places; when an indexed article left the store
(repair set a part aside), when the file is missing, damaged or of another format, the index is
rebuilt into a temporary file that replaces it in one step. Every search checks this first, so a
stale index never answers.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from data.search.stems import new_stems, stemmed
from data.store import Store, StoreError

FOLDER = "search"
FILE = "index.sqlite"
FORMAT = "1"
#: Rows read from a part at a time while indexing.
BATCH_ROWS = 5_000
#: BM25 weight of a title word against a body word.
TITLE_WEIGHT = 4.0
#: The most matches of one query that are scored (the most recently indexed ones).
RANK_CAP = 20_000
WIB = "Asia/Jakarta"
INDEXED_COLUMNS = [
    "article_id",
    "title",
    "text",
    "published_at",
    "province_code",
    "language",
    "source",
]
SCHEMA = (
    "CREATE TABLE info(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID",
    "CREATE TABLE parts(id INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT)",
    "CREATE TABLE docs(id INTEGER PRIMARY KEY, article_id TEXT NOT NULL, part INTEGER NOT NULL, "
    "row INTEGER NOT NULL, day INTEGER, province TEXT, language TEXT, source TEXT)",
    "CREATE TABLE stems(stem TEXT NOT NULL, word TEXT NOT NULL, PRIMARY KEY (stem, word)) "
    "WITHOUT ROWID",
    "CREATE VIRTUAL TABLE fts USING fts5(title, body, content='', detail=full, "
    "tokenize='unicode61 remove_diacritics 0')",
)


class SearchIndexError(StoreError):
    """The index cannot be used (its folder cannot be written)."""


def index_path(store: Store) -> Path:
    """Where a store's search index lives."""
    return store.path / FOLDER / FILE


def listed_parts(store: Store) -> list[tuple[str, str | None]]:
    """The article parts the manifest commits, oldest first, each with its SHA-256 (or None)."""
    manifest = store.manifest()
    checks = manifest["checks"]
    return [
        (name, (checks.get(f"articles/{name}") or {}).get("sha256"))
        for name in manifest["parts"]["articles"]
    ]


def _connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """A connection to an index file (read-only ones never create it)."""
    if read_only:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    return sqlite3.connect(path, timeout=30)


def _indexed_parts(conn: sqlite3.Connection) -> list[tuple[str, str | None]]:
    """The parts an index records, oldest first; DatabaseError when it is not a current index."""
    found = dict(conn.execute("SELECT key, value FROM info").fetchall())
    if found.get("format") != FORMAT:
        raise sqlite3.DatabaseError(f"index format {found.get('format')!r}, not {FORMAT}")
    return [tuple(row) for row in conn.execute("SELECT name, sha256 FROM parts ORDER BY id")]


def is_current(store: Store) -> bool:
    """Whether the store's index exists, reads, and records exactly the parts the manifest lists."""
    path = index_path(store)
    if not path.exists():
        return False
    try:
        with closing(_connect(path, read_only=True)) as conn:
            return _indexed_parts(conn) == listed_parts(store)
    except sqlite3.Error:
        return False


@contextmanager
def _maintainer(folder: Path) -> Iterator[None]:
    """Hold the index's writer lock (waiting for another writer to finish)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = open(folder / ".lock", "a+")  # noqa: SIM115 - held for the block
    except OSError as exc:
        raise SearchIndexError(f"cannot write the search index in {folder}: {exc}") from exc
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@dataclass
class _Writer:
    """Adds articles to an open index: stems known so far, ids indexed, the next row id."""

    conn: sqlite3.Connection
    stems: dict[str, str]
    indexed: set[str]
    next_id: int

    @classmethod
    def of(cls, conn: sqlite3.Connection) -> _Writer:
        stems = dict(conn.execute("SELECT word, stem FROM stems"))
        ids = {row[0] for row in conn.execute("SELECT article_id FROM docs")}
        last = conn.execute("SELECT max(id) FROM docs").fetchone()[0]
        return cls(conn, stems, ids, (last or 0) + 1)

    def add_part(self, name: str, sha256: str | None) -> int:
        """Record a part as indexed; its id in the index."""
        return self.conn.execute(
            "INSERT INTO parts(name, sha256) VALUES (?, ?)", (name, sha256)
        ).lastrowid

    def add_frame(self, frame: pd.DataFrame, part_id: int) -> int:
        """Index articles not indexed yet (article_id, title, text, row, filters); how many."""
        frame = frame.loc[~frame["article_id"].isin(self.indexed)].drop_duplicates("article_id")
        if frame.empty:
            return 0
        titles = frame["title"].fillna("").astype(str).tolist()
        bodies = frame["text"].fillna("").astype(str).tolist()
        fresh = new_stems(titles + bodies, self.stems)
        self.stems.update(fresh)
        self.conn.executemany("INSERT INTO stems(word, stem) VALUES (?, ?)", fresh.items())
        ids = np.arange(self.next_id, self.next_id + len(frame))
        self.conn.executemany(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            zip(
                ids.tolist(),
                frame["article_id"].astype(str).tolist(),
                [part_id] * len(frame),
                frame["row"].astype(int).tolist(),
                _wib_days(frame["published_at"]),
                _texts_or_none(frame["province_code"]),
                _texts_or_none(frame["language"]),
                _texts_or_none(frame["source"]),
                strict=True,
            ),
        )
        self.conn.executemany(
            "INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)",
            zip(
                ids.tolist(),
                (stemmed(t, self.stems) for t in titles),
                (stemmed(b, self.stems) for b in bodies),
                strict=True,
            ),
        )
        self.indexed.update(frame["article_id"].astype(str))
        self.next_id += len(frame)
        return len(frame)


def _texts_or_none(values: pd.Series) -> list[str | None]:
    """Cells as strings, None where missing."""
    return [None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in values]


def _wib_days(published: pd.Series) -> list[int | None]:
    """Each timestamp's WIB calendar day as days since 1970-01-01 (None where undated)."""
    moments = pd.to_datetime(published, utc=True)
    days = moments.dt.tz_convert(WIB).dt.tz_localize(None).dt.floor("D")
    numbers = (days - pd.Timestamp("1970-01-01")).dt.days
    return [None if pd.isna(d) else int(d) for d in numbers]


def _part_rows(store: Store, name: str, wanted: set[int] | None) -> Iterator[pd.DataFrame]:
    """A part's indexed columns and each row's number in the part (every row, or the wanted
    ones), BATCH_ROWS rows at a time."""
    file = pq.ParquetFile(store.path / "articles" / name)
    present = [c for c in INDEXED_COLUMNS if c in file.schema_arrow.names]
    offset = 0
    for batch in file.iter_batches(batch_size=BATCH_ROWS, columns=present):
        rows = np.arange(offset, offset + batch.num_rows)
        offset += batch.num_rows
        keep = np.ones(len(rows), dtype=bool) if wanted is None else np.isin(rows, list(wanted))
        if keep.any():
            frame = batch.to_pandas().loc[keep].assign(row=rows[keep])
            yield frame.assign(**{c: None for c in INDEXED_COLUMNS if c not in frame.columns})


def _add_part(writer: _Writer, store: Store, part: tuple[str, str | None]) -> int:
    """Record a part and index its articles; how many were new."""
    part_id = writer.add_part(*part)
    return sum(writer.add_frame(frame, part_id) for frame in _part_rows(store, part[0], None))


def _located(store: Store, parts: list[tuple[str, str | None]]) -> pd.DataFrame:
    """Every article of the parts (first place only): article_id, part (position), row."""
    frames = [
        pd.DataFrame({"article_id": ids, "part": position, "row": np.arange(len(ids))})
        for position, (name, _) in enumerate(parts)
        for ids in [
            pq.read_table(store.path / "articles" / name, columns=["article_id"])
            .column("article_id")
            .to_pylist()
        ]
    ]
    if not frames:
        return pd.DataFrame({"article_id": [], "part": [], "row": []})
    return pd.concat(frames, ignore_index=True).drop_duplicates("article_id")


def _new_index(path: Path, stems: dict[str, str]) -> sqlite3.Connection:
    """An empty index at path with the schema and the stems already known."""
    conn = _connect(path, read_only=False)
    conn.execute("PRAGMA journal_mode=DELETE")
    for statement in SCHEMA:
        conn.execute(statement)
    conn.execute("INSERT INTO info VALUES ('format', ?)", (FORMAT,))
    conn.executemany("INSERT INTO stems(word, stem) VALUES (?, ?)", stems.items())
    return conn


def _known_stems(path: Path) -> dict[str, str]:
    """The stems an old index holds (none when it cannot be read)."""
    try:
        with closing(_connect(path, read_only=True)) as conn:
            return dict(conn.execute("SELECT word, stem FROM stems"))
    except sqlite3.Error:
        return {}


def _rebuild(store: Store, path: Path, parts: list[tuple[str, str | None]]) -> int:
    """Write a whole new index beside path and move it into place; articles indexed."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with closing(_new_index(tmp, _known_stems(path) if path.exists() else {})) as conn:
            writer = _Writer.of(conn)
            added = sum(_add_part(writer, store, part) for part in parts)
            conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")
            conn.commit()
            conn.execute("VACUUM")
        path.with_name(path.name + "-journal").unlink(missing_ok=True)  # the old file's, if any
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + "-journal").unlink(missing_ok=True)
        raise
    return added


def _extend(store: Store, conn: sqlite3.Connection, parts: list[tuple[str, str | None]]) -> int:
    """Index the parts the index lacks, when its own parts are still listed; -1 when it must be
    rebuilt (an indexed article left the store). Articles indexed."""
    indexed = _indexed_parts(conn)
    if indexed == parts[: len(indexed)]:
        writer = _Writer.of(conn)
        return sum(_add_part(writer, store, part) for part in parts[len(indexed) :])
    # parts were merged or replaced: find every indexed article at its new place
    located = _located(store, parts)
    docs = pd.read_sql_query("SELECT id, article_id FROM docs", conn)
    if not docs["article_id"].isin(located["article_id"]).all():
        return -1
    conn.execute("DELETE FROM parts")
    writer = _Writer.of(conn)
    part_ids = [writer.add_part(*part) for part in parts]
    places = docs.merge(located, on="article_id")
    conn.executemany(
        "UPDATE docs SET part = ?, row = ? WHERE id = ?",
        zip(
            [part_ids[int(p)] for p in places["part"]],
            places["row"].astype(int).tolist(),
            places["id"].astype(int).tolist(),
            strict=True,
        ),
    )
    missing = located.loc[~located["article_id"].isin(writer.indexed)]
    return sum(
        writer.add_frame(frame, part_ids[int(position)])
        for position, rows in missing.groupby("part")
        for frame in _part_rows(store, parts[int(position)][0], set(rows["row"].astype(int)))
    )


def sync_index(store: Store) -> dict[str, Any]:
    """Bring the store's index up to date with its manifest: what was done.

    Keys: articles (indexed in all), added, rebuilt (bool), seconds, index_bytes, path.
    """
    started = time.perf_counter()
    path = index_path(store)
    with _maintainer(path.parent):
        for left in path.parent.glob(f".{path.name}.*.tmp*"):  # a rebuild cut short
            left.unlink(missing_ok=True)
        parts = listed_parts(store)
        added, rebuilt = -1, False
        if path.exists():
            try:
                with closing(_connect(path, read_only=False)) as conn:
                    if _indexed_parts(conn) == parts:
                        added = 0
                    else:
                        added = _extend(store, conn, parts)
                        if added >= 0:
                            conn.commit()
                        else:
                            conn.rollback()
            except sqlite3.Error:
                added = -1
        if added < 0:
            added, rebuilt = _rebuild(store, path, parts), True
        with closing(_connect(path, read_only=True)) as conn:
            total = conn.execute("SELECT count(*) FROM docs").fetchone()[0]
    return {
        "path": str(path),
        "articles": int(total),
        "added": int(added),
        "rebuilt": rebuilt,
        "index_bytes": path.stat().st_size,
        "seconds": round(time.perf_counter() - started, 3),
    }


def current_index(store: Store) -> sqlite3.Connection:
    """A read-only connection to the store's index, brought up to date first when it is not."""
    if not store.exists():
        raise StoreError(
            f"no store at {store.path}; ingest some news first (python -m data ingest)"
        )
    if not is_current(store):
        sync_index(store)
    return _connect(index_path(store), read_only=True)


@dataclass(frozen=True)
class Where:
    """Filters on indexed articles: WIB days (inclusive, days since 1970-01-01), province code,
    language and outlets; None or empty means any."""

    first_day: int | None = None
    last_day: int | None = None
    province: str | None = None
    language: str | None = None
    sources: tuple[str, ...] = ()

    def sql(self) -> tuple[str, list[Any]]:
        """The filters as SQL conditions on docs d (each starting with AND) and their values."""
        conditions: list[str] = []
        values: list[Any] = []
        for clause, value in (
            ("d.day >= ?", self.first_day),
            ("d.day <= ?", self.last_day),
            ("d.province = ?", self.province),
            ("d.language = ?", self.language),
        ):
            if value is not None:
                conditions.append(f" AND {clause}")
                values.append(value)
        if self.sources:
            conditions.append(f" AND d.source IN ({', '.join('?' * len(self.sources))})")
            values.extend(self.sources)
        return "".join(conditions), values


def ranked_matches(
    conn: sqlite3.Connection,
    expression: str,
    where: Where | None = None,
    limit: int | None = None,
    cap: int | None = RANK_CAP,
) -> pd.DataFrame:
    """Articles matching an FTS5 expression over stems, best first: article_id, score (BM25 with
    title words weighing TITLE_WEIGHT body words; higher is better), part (name) and row.

    Only the `cap` most recently indexed matches are scored (None: every match): BM25 costs a
    few microseconds an article, so a word in most of a million articles would take seconds.
    """
    conditions, values = (where or Where()).sql()
    newest = " ORDER BY fts.rowid DESC LIMIT ?" if cap is not None else ""
    sql = (
        "SELECT d.article_id, m.score, p.name AS part, d.row FROM ("
        f"SELECT fts.rowid AS id, -bm25(fts, {TITLE_WEIGHT}, 1.0) AS score "
        f"FROM fts JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ?{conditions}{newest}"
        ") AS m JOIN docs d ON d.id = m.id JOIN parts p ON p.id = d.part "
        "ORDER BY m.score DESC, m.id DESC" + (" LIMIT ?" if limit is not None else "")
    )
    params = [expression, *values]
    params += [int(cap)] if cap is not None else []
    params += [int(limit)] if limit is not None else []
    rows = conn.execute(sql, params).fetchall()
    return pd.DataFrame(rows, columns=["article_id", "score", "part", "row"])


def matching_ids(conn: sqlite3.Connection, expression: str) -> list[str]:
    """Every article id matching an FTS5 expression, in index order (nothing ranked)."""
    sql = "SELECT d.article_id FROM fts JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ?"
    return [row[0] for row in conn.execute(sql, [expression])]


def match_count(conn: sqlite3.Connection, expression: str, where: Where | None = None) -> int:
    """How many articles match an FTS5 expression within the filters (every one, no cap)."""
    conditions, values = (where or Where()).sql()
    if not conditions:  # the index alone: no article row to look up
        return int(
            conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", [expression]).fetchone()[0]
        )
    sql = f"SELECT count(*) FROM fts JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ?{conditions}"
    return int(conn.execute(sql, [expression, *values]).fetchone()[0])


def words_with_stems(conn: sqlite3.Connection, stems: set[str]) -> frozenset[str]:
    """Every indexed word (lower case) whose stem is one of stems."""
    if not stems:
        return frozenset()
    marks = ", ".join("?" * len(stems))
    found = conn.execute(f"SELECT word FROM stems WHERE stem IN ({marks})", sorted(stems))
    return frozenset(row[0] for row in found) | frozenset(stems)


def rows_at(store: Store, places: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The columns of the articles at places (part, row), in the order of places; reads only the
    row groups that hold them."""
    pieces = []
    for name, group in places.groupby("part", sort=False):
        file = pq.ParquetFile(store.path / "articles" / name)
        present = [c for c in columns if c in file.schema_arrow.names]
        ends = np.cumsum([file.metadata.row_group(i).num_rows for i in range(file.num_row_groups)])
        rows = group["row"].to_numpy(dtype=int)
        where = np.searchsorted(ends, rows, side="right")
        for row_group in np.unique(where):
            start = ends[row_group - 1] if row_group else 0
            inside = where == row_group
            table = file.read_row_group(int(row_group), columns=present)
            chosen = table.take(pa.array(rows[inside] - start)).to_pandas()
            pieces.append(chosen.set_index(group.index[inside]))
    if not pieces:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    found = pd.concat(pieces).reindex(places.index)
    return found.assign(**{c: None for c in columns if c not in found.columns})[columns]
