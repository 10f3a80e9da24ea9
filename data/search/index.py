"""The search index: one SQLite file of FTS5 over stems, derived from the store's committed parts.

Layout::

    store/search/index.sqlite   the index (rebuilt from the store whenever it cannot be trusted)
    store/search/.lock          held by the one process that writes the index

What it holds: a contentless FTS5 table (``content=''``: only the inverted index, never the text)
of one column of tokens per article, with ``detail=none`` (which articles hold a token, not where
or how often): every stem of the title and body, every pair of adjacent stems (``harga_beras``: a
phrase is its pairs), the title's stems again with a leading ``_`` (``_banjir``: title words
count more) and with ``__t`` where the body lacks them, and labels for the filters (``__m674`` the WIB month, ``__l3`` a province, language or outlet from
``labels``). Word positions would make the index more than twice the size of the store's parts;
pairs answer two-word phrases exactly (longer ones as each pair of neighbours standing together;
function words such as yang, di, dan are never paired, so they need only stand in the article).
``docs``, one row per indexed article with where its row is in the store (part, row), its WIB day
and its length in words; ``parts``, the article parts indexed with their SHA-256 from the
manifest; ``stems``, every word seen and its stem, so that a word is stemmed once and a query's
stems can be shown in the original words; ``info``, the format and the totals ranking needs.

Ranking is BM25 computed here, not by FTS5 (whose bm25() needs positions in a contentless
index): a word or phrase counts once in the body and TITLE_WEIGHT times in the title; how common
it is, among the IDF_SAMPLE articles indexed last.

Building: parts are indexed in manifest order, BATCH_ROWS rows at a time. A batch's CPU work
(reading its rows, stemming, each article's tokens and docs row: data.search.batches) runs on
the workers of the current Dask cluster (data.cluster) when there is one, a task per batch and a
few batches ahead of the writer, and in this process otherwise; this process alone writes the
prepared rows, in order, so both build the same index.

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
import itertools
import math
import os
import sqlite3
import time
import uuid
from collections.abc import Collection, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from data import cluster
from data.search.batches import (
    LABEL,
    LABELLED,
    TITLE,
    TITLE_ONLY,
    PreparedBatch,
    batch_bounds,
    batch_frame,
    month_of,
    month_token,
    pairs,
    prepared_batch,
    prepared_rows,
)
from data.store import Store, StoreError

FOLDER = "search"
FILE = "index.sqlite"
FORMAT = "2"
#: BM25 weight of a word in the title against one only in the body.
TITLE_WEIGHT = 4.0
#: BM25's term frequency saturation and length normalisation (FTS5's values).
BM25_K1 = 1.2
BM25_B = 0.75
#: The most matches of one query that are scored (the most recently indexed ones).
RANK_CAP = 20_000
#: How many of the articles indexed last estimate how common a word is (its BM25 weight).
IDF_SAMPLE = 100_000
#: Bytes of new tokens FTS5 gathers in memory before writing them out as one segment (its own
#: default, 1 MB, writes many small segments that it merges again and again: twice the insert
#: time at 100k articles). Segments are what FTS5 merges; what they hold is the same either way.
PENDING_BYTES = 64 * 1024 * 1024
#: SQLite's limit on the values of one statement, with room to spare.
CHUNK = 900
SCHEMA = (
    "CREATE TABLE info(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID",
    "CREATE TABLE parts(id INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT)",
    "CREATE TABLE docs(id INTEGER PRIMARY KEY, article_id TEXT NOT NULL, part INTEGER NOT NULL, "
    "row INTEGER NOT NULL, day INTEGER, words INTEGER NOT NULL)",
    "CREATE TABLE labels(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, value TEXT NOT NULL, "
    "UNIQUE (kind, value))",
    "CREATE TABLE stems(stem TEXT NOT NULL, word TEXT NOT NULL, PRIMARY KEY (stem, word)) "
    "WITHOUT ROWID",
    "CREATE VIRTUAL TABLE fts USING fts5(tokens, content='', detail=none, columnsize=0, "
    "tokenize=\"unicode61 remove_diacritics 0 tokenchars '_'\")",
)
#: Totals kept in info as articles are added (ranking's collection statistics, the days held).
TOTALS = {"docs": "0", "words": "0", "first_day": "", "last_day": ""}


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


def label_token(label: int) -> str:
    """The token of a province, language or outlet label."""
    return f"{LABEL}l{label}"


@dataclass
class _Writer:
    """Adds articles to an open index: stems and labels known so far, ids indexed, the next
    row id."""

    conn: sqlite3.Connection
    stems: dict[str, str]
    labels: dict[tuple[str, str], int]
    indexed: set[str]
    next_id: int

    @classmethod
    def of(cls, conn: sqlite3.Connection) -> _Writer:
        """A writer of an open index (its FTS5 table set to gather PENDING_BYTES of tokens)."""
        conn.execute("INSERT INTO fts(fts, rank) VALUES ('hashsize', ?)", [PENDING_BYTES])
        stems = dict(conn.execute("SELECT word, stem FROM stems"))
        labels = {(k, v): i for i, k, v in conn.execute("SELECT id, kind, value FROM labels")}
        ids = {row[0] for row in conn.execute("SELECT article_id FROM docs")}
        last = conn.execute("SELECT max(id) FROM docs").fetchone()[0]
        return cls(conn, stems, labels, ids, (last or 0) + 1)

    def add_part(self, name: str, sha256: str | None) -> int:
        """Record a part as indexed; its id in the index."""
        return self.conn.execute(
            "INSERT INTO parts(name, sha256) VALUES (?, ?)", (name, sha256)
        ).lastrowid

    def label(self, kind: str, value: str) -> int:
        """The id of a filter label, recorded when new."""
        if (kind, value) not in self.labels:
            self.labels[kind, value] = self.conn.execute(
                "INSERT INTO labels(kind, value) VALUES (?, ?)", (kind, value)
            ).lastrowid
        return self.labels[kind, value]

    def new_rows(self, article_ids: list[str]) -> list[bool]:
        """Whether each article is new: not indexed yet, nor earlier among article_ids."""
        seen: set[str] = set()
        new = []
        for article_id in article_ids:
            new.append(article_id not in self.indexed and article_id not in seen)
            seen.add(article_id)
        return new

    def add_batch(self, batch: PreparedBatch, part_id: int) -> int:
        """Index prepared articles (every one new) of a part; how many."""
        if not len(batch):
            return 0
        fresh = {word: stem for word, stem in batch.fresh.items() if word not in self.stems}
        self.stems.update(fresh)
        self.conn.executemany("INSERT INTO stems(word, stem) VALUES (?, ?)", fresh.items())
        tokens = [[t] if t else [] for t in batch.tokens]
        for column, kind in LABELLED.items():
            for row_tokens, value in zip(tokens, batch.values[column], strict=True):
                if value is not None:
                    row_tokens.append(label_token(self.label(kind, value)))
        ids = range(self.next_id, self.next_id + len(batch))
        self.conn.executemany(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)",
            zip(
                ids,
                batch.article_ids,
                [part_id] * len(batch),
                batch.rows,
                batch.days,
                batch.lengths,
                strict=True,
            ),
        )
        self.conn.executemany(
            "INSERT INTO fts(rowid, tokens) VALUES (?, ?)",
            zip(ids, map(" ".join, tokens), strict=True),
        )
        self._add_totals(len(batch), sum(batch.lengths), [d for d in batch.days if d is not None])
        self.indexed.update(batch.article_ids)
        self.next_id += len(batch)
        return len(batch)

    def _add_totals(self, docs: int, words: int, days: list[int]) -> None:
        """Count added articles and their words in info, and widen the days held."""
        totals = _totals(self.conn)
        if days:
            first, last = totals["first_day"], totals["last_day"]
            totals["first_day"] = min(days) if first is None else min(first, *days)
            totals["last_day"] = max(days) if last is None else max(last, *days)
        totals["docs"] += docs
        totals["words"] += words
        self.conn.executemany(
            "UPDATE info SET value = ? WHERE key = ?",
            [("" if v is None else str(v), k) for k, v in totals.items()],
        )


def _totals(conn: sqlite3.Connection) -> dict[str, int | None]:
    """The index's totals: docs, words, first_day and last_day (None when no day is held)."""
    found = dict(conn.execute(f"SELECT key, value FROM info WHERE key IN {tuple(TOTALS)}"))
    return {k: int(found[k]) if found[k] else None for k in TOTALS}


def _add_frame(writer: _Writer, frame: pd.DataFrame, part_id: int) -> int:
    """Index the articles of a part's rows (INDEXED_COLUMNS and row) that are new to the index,
    prepared in this process; how many."""
    new = writer.new_rows(frame["article_id"].astype(str).tolist())
    if not any(new):
        return 0
    return writer.add_batch(prepared_rows(frame.loc[new], writer.stems), part_id)


def _part_rows(store: Store, name: str, wanted: set[int]) -> Iterator[pd.DataFrame]:
    """The wanted rows of a part (INDEXED_COLUMNS and row), a batch at a time."""
    path = store.path / "articles" / name
    rows = np.sort(np.fromiter(wanted, dtype=np.int64))
    for start, stop in batch_bounds(path):
        if np.searchsorted(rows, start) < np.searchsorted(rows, stop):
            frame = batch_frame(path, start, stop)
            yield frame.loc[frame["row"].isin(wanted)]


def _prepared_on_cluster(
    writer: _Writer, batches: list[tuple[Path, int, int]]
) -> Iterator[PreparedBatch | None]:
    """Each batch (part file, first row, end row) prepared on the workers of the current cluster
    with the stems the index holds so far, in order; None for each when there is no cluster."""
    client = cluster.current()
    if client is None:
        return itertools.repeat(None, len(batches))
    [known] = client.scatter([writer.stems], broadcast=True)
    return cluster.results_in_order(client, prepared_batch, [(*b, known) for b in batches])


def _add_parts(writer: _Writer, store: Store, parts: list[tuple[str, str | None]]) -> int:
    """Record parts and index their new articles, in order, a batch at a time (prepared on the
    workers of the current cluster when there is one); how many."""
    folder = store.path.absolute() / "articles"
    bounds = [batch_bounds(folder / name) for name, _ in parts]
    batches = [
        (folder / name, start, stop)
        for (name, _), part in zip(parts, bounds, strict=True)
        for start, stop in part
    ]
    prepared = _prepared_on_cluster(writer, batches)
    added = 0
    for (name, sha256), part in zip(parts, bounds, strict=True):
        part_id = writer.add_part(name, sha256)
        for start, stop in part:
            batch = next(prepared)
            if batch is not None and all(writer.new_rows(batch.article_ids)):
                added += writer.add_batch(batch, part_id)
            else:  # no cluster, or an article the index holds: prepared here, without it
                added += _add_frame(writer, batch_frame(folder / name, start, stop), part_id)
    return added


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
    conn.executemany("INSERT INTO info VALUES (?, ?)", [("format", FORMAT), *TOTALS.items()])
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
            added = _add_parts(writer, store, parts)
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
        return _add_parts(writer, store, parts[len(indexed) :])
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
        _add_frame(writer, frame, part_ids[int(position)])
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

    def day_sql(self) -> tuple[str, list[int]]:
        """The days as SQL conditions on docs d (each starting with AND) and their values (the
        labels only narrow matches to whole months)."""
        bounds = [(" AND d.day >= ?", self.first_day), (" AND d.day <= ?", self.last_day)]
        kept = [(clause, day) for clause, day in bounds if day is not None]
        return "".join(c for c, _ in kept), [d for _, d in kept]


#: An FTS5 expression no article matches (a filter value the index never saw).
NOTHING = f'"{LABEL}none"'


def _any_of(tokens: list[str]) -> str:
    """An FTS5 expression matching an article holding any of the tokens (none: NOTHING)."""
    return "(" + " OR ".join(f'"{t}"' for t in tokens) + ")" if tokens else NOTHING


def _all_of(tokens: list[str]) -> str:
    """An FTS5 expression matching an article holding every one of the tokens."""
    return "(" + " AND ".join(f'"{t}"' for t in tokens) + ")"


def _tokens(stems: tuple[str, ...]) -> list[str]:
    """The tokens an article must hold to contain a word or phrase: its pairs, and each stem
    that stands in none of them."""
    paired = pairs(stems)
    inside = {s for pair in paired for s in pair.split("_")}
    return paired + [s for s in dict.fromkeys(stems) if s not in inside]


def term_expression(stems: tuple[str, ...]) -> str:
    """The FTS5 expression of a word or phrase (its stems, in order), in the title or the body."""
    return _all_of(_tokens(stems))


def _labels(conn: sqlite3.Connection, kind: str, values: list[str]) -> list[str]:
    """The tokens of the labels of one kind with one of the values (those the index saw)."""
    marks = ", ".join("?" * len(values))
    found = conn.execute(
        f"SELECT id FROM labels WHERE kind = ? AND value IN ({marks})", [kind, *values]
    )
    return [label_token(row[0]) for row in found]


def _months(conn: sqlite3.Connection, where: Where) -> list[str]:
    """The tokens of the months that hold the days asked for (within the days indexed)."""
    totals = _totals(conn)
    if totals["first_day"] is None:
        return []
    first = max(totals["first_day"], where.first_day if where.first_day is not None else -(10**6))
    last = min(totals["last_day"], where.last_day if where.last_day is not None else 10**6)
    return (
        [month_token(m) for m in range(month_of(first), month_of(last) + 1)]
        if first <= last
        else []
    )


def filtered(conn: sqlite3.Connection, expression: str, where: Where) -> str:
    """An FTS5 expression narrowed to the filters' labels: the index itself skips the articles
    outside them (the days only to whole months: Where.day_sql keeps the exact days)."""
    clauses = [
        _any_of(_labels(conn, kind, values))
        for kind, values in (
            ("province", [where.province] if where.province is not None else []),
            ("language", [where.language] if where.language is not None else []),
            ("source", list(where.sources)),
        )
        if values
    ]
    if where.first_day is not None or where.last_day is not None:
        clauses.append(_any_of(_months(conn, where)))
    return " AND ".join([f"({expression})", *clauses])


def _integers(text: str | None) -> np.ndarray:
    """The integers of a group_concat (SQLite joins thousands of rows far quicker than Python
    reads them one by one)."""
    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, dtype=np.int64)


def _rowids(conn: sqlite3.Connection, expression: str, low: int, high: int) -> np.ndarray:
    """The row ids from low to high of the articles matching an FTS5 expression."""
    found = conn.execute(
        "SELECT group_concat(rowid) FROM fts WHERE fts MATCH ? AND rowid >= ? AND rowid <= ?",
        [expression, low, high],
    )
    return _integers(found.fetchone()[0])


def _bm25(
    conn: sqlite3.Connection,
    ids: np.ndarray,
    lengths: np.ndarray,
    terms: list[tuple[str, ...]],
    held: Collection[tuple[str, ...]],
) -> np.ndarray:
    """BM25 of each article (ids, their lengths in words) for the words and phrases of a query
    (their stems; every article holds those in held): a term counts once in the body and
    TITLE_WEIGHT times in the title (a phrase is in the title when all its words are, and
    missing from the body when one of them is)."""
    scores = np.zeros(len(ids))
    if not len(ids):
        return scores
    totals = _totals(conn)
    docs = max(totals["docs"] or 0, 1)
    norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / max((totals["words"] or 0) / docs, 1.0))
    low, high = int(ids.min()), int(ids.max())
    newest = conn.execute("SELECT max(id) FROM docs").fetchone()[0] or 0
    for stems in terms:
        holding = _holding(conn, term_expression(stems), docs, newest)
        idf = max(math.log((docs - holding + 0.5) / (holding + 0.5)), 1e-6)
        words = list(dict.fromkeys(stems))
        in_title = np.isin(ids, _rowids(conn, _all_of([TITLE + w for w in words]), low, high))
        title_only = np.isin(
            ids, _rowids(conn, _any_of([TITLE_ONLY + w for w in words]), low, high)
        )
        inside = (
            np.ones(len(ids), dtype=bool)
            if stems in held
            else np.isin(ids, _rowids(conn, term_expression(stems), low, high))
        )
        freq = (inside & ~title_only) + TITLE_WEIGHT * in_title
        scores += idf * freq * (BM25_K1 + 1) / (freq + norm)
    return scores


def _holding(conn: sqlite3.Connection, expression: str, docs: int, newest: int) -> float:
    """How many of the docs articles (the last indexed has id newest) match an FTS5 expression:
    counted among the IDF_SAMPLE indexed last and scaled to all (exact when there are no more;
    ids follow each other)."""
    since = max(newest - IDF_SAMPLE, 0)
    found = conn.execute(
        "SELECT count(*) FROM fts WHERE fts MATCH ? AND rowid > ?", [expression, since]
    ).fetchone()[0]
    return found * docs / max(min(docs, newest - since), 1)


def _lengths(conn: sqlite3.Connection, ids: np.ndarray) -> np.ndarray:
    """The length in words of each article by its index id: read as one run of docs when the ids
    are most of their range (a common word's newest matches), else looked up one by one."""
    if not len(ids):
        return np.zeros(0, dtype=np.int64)
    low, high = int(ids.min()), int(ids.max())
    sql = "SELECT group_concat(id), group_concat(words) FROM docs WHERE "
    if high - low < 4 * len(ids):
        runs = [conn.execute(sql + "id BETWEEN ? AND ?", [low, high]).fetchone()]
    else:
        runs = [
            conn.execute(sql + f"id IN ({', '.join('?' * len(chunk))})", chunk).fetchone()
            for start in range(0, len(ids), CHUNK)
            for chunk in [ids[start : start + CHUNK].tolist()]
        ]
    known = np.concatenate([_integers(run[0]) for run in runs])
    lengths = np.concatenate([_integers(run[1]) for run in runs])
    order = np.argsort(known)
    return lengths[order][np.searchsorted(known[order], ids)]


def _placed(conn: sqlite3.Connection, ids: np.ndarray, scores: np.ndarray) -> pd.DataFrame:
    """article_id, score, part (name) and row of articles by their index ids, in that order."""
    places: dict[int, tuple[str, str, int]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK].tolist()
        marks = ", ".join("?" * len(chunk))
        found = conn.execute(
            "SELECT d.id, d.article_id, p.name, d.row FROM docs d JOIN parts p ON p.id = d.part "
            f"WHERE d.id IN ({marks})",
            chunk,
        )
        places.update((row[0], row[1:]) for row in found)
    rows = [places[i] for i in ids.tolist()]
    return pd.DataFrame(
        {
            "article_id": [r[0] for r in rows],
            "score": scores,
            "part": [r[1] for r in rows],
            "row": [r[2] for r in rows],
        }
    )


def ranked_matches(
    conn: sqlite3.Connection,
    expression: str,
    terms: list[tuple[str, ...]],
    where: Where | None = None,
    limit: int | None = None,
    cap: int | None = RANK_CAP,
    held: Collection[tuple[str, ...]] = (),
) -> pd.DataFrame:
    """Articles matching an FTS5 expression within the filters, best first by BM25 of its terms
    (the stems of each word and phrase not under a NOT; every match holds those in held, so
    they need not be looked up): article_id, score (higher is better), part (name) and row.

    Only the `cap` most recently indexed matches within the filters are scored (None: every
    match): scoring costs time per article, so a word in most of a million articles would take
    seconds.
    """
    where = where or Where()
    days, values = where.day_sql()
    joined = " JOIN docs d ON d.id = fts.rowid" if days else ""  # docs only for the days
    sql = (
        f"SELECT group_concat(id) FROM (SELECT fts.rowid AS id FROM fts{joined} "
        f"WHERE fts MATCH ?{days} ORDER BY fts.rowid DESC"
        + (" LIMIT ?)" if cap is not None else ")")
    )
    params = [filtered(conn, expression, where), *values, *([int(cap)] if cap is not None else [])]
    ids = _integers(conn.execute(sql, params).fetchone()[0])
    scores = _bm25(conn, ids, _lengths(conn, ids), terms, held)
    best = np.lexsort((-ids, -scores))[:limit]
    return _placed(conn, ids[best], scores[best])


def matching_ids(conn: sqlite3.Connection, expression: str) -> list[str]:
    """Every article id matching an FTS5 expression, in index order (nothing ranked)."""
    sql = "SELECT d.article_id FROM fts JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ?"
    return [row[0] for row in conn.execute(sql, [expression])]


def match_count(conn: sqlite3.Connection, expression: str, where: Where | None = None) -> int:
    """How many articles match an FTS5 expression within the filters (every one, no cap)."""
    where = where or Where()
    days, values = where.day_sql()
    narrowed = filtered(conn, expression, where)
    if not days:  # the index alone: no article row to look up
        sql = "SELECT count(*) FROM fts WHERE fts MATCH ?"
    else:
        sql = f"SELECT count(*) FROM fts JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ?{days}"
    return int(conn.execute(sql, [narrowed, *values]).fetchone()[0])


def words_with_stems(conn: sqlite3.Connection, stems: set[str]) -> frozenset[str]:
    """Every indexed word (lower case) whose stem is one of stems."""
    if not stems:
        return frozenset()
    marks = ", ".join("?" * len(stems))
    found = conn.execute(f"SELECT word FROM stems WHERE stem IN ({marks})", sorted(stems))
    return frozenset(row[0] for row in found) | frozenset(stems)
