"""Exact duplicates: content hashes of an article's words, and the keys (article id, canonical
URL, content hash) of the articles kept so far: those of a run in memory, those of stored articles
in sorted tables (SortedKeys) that are looked up without being read into memory."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa

_WORD = re.compile(r"[^\W_]+")
#: ASCII bytes other than letters and digits, to spaces: the words of ASCII text without a regex.
_ASCII_SPACED = bytes(b if chr(b).isalnum() else 32 for b in range(128)) + b" " * 128


def normalised(text: object) -> str:
    """NFC-normalised, lowercased text ('' for anything that is not a string)."""
    return unicodedata.normalize("NFC", text).lower() if isinstance(text, str) else ""


def content_hash(text: str | None) -> str | None:
    """16 hex digits identifying the text's words, ignoring case, punctuation and spacing."""
    data = _words(normalised(text))
    return hashlib.blake2b(data, digest_size=8).hexdigest() if data else None


def _words(text: str) -> bytes:
    """The text's words (runs of letters and digits) joined by single spaces, as UTF-8."""
    if not text.isascii():
        return " ".join(_WORD.findall(text)).encode("utf-8", "surrogatepass")
    data = text.encode().translate(_ASCII_SPACED)
    while b"  " in data:
        data = data.replace(b"  ", b" ")
    return data.strip(b" ")


EXACT_KEYS: dict[str, str] = {"url": "url_key", "content": "content_hash", "id": "article_id"}


def key_hashes(kind: str, keys: Iterable[object]) -> np.ndarray:
    """A uint64 per key, namespaced by its kind (EXACT_KEYS): what SortedKeys sorts by and a
    shuffle on keys partitions by (two keys with one hash are told apart by the key itself)."""
    return np.array(
        [
            int.from_bytes(
                hashlib.blake2b(f"{kind}\0{k}".encode(), digest_size=8).digest(), "little"
            )
            for k in keys
        ],
        dtype=np.uint64,
    )


SORTED_KEYS_SCHEMA = pa.schema(
    [
        ("hash", pa.uint64()),
        ("kind", pa.int8()),
        ("key", pa.large_string()),
        ("article_id", pa.large_string()),
    ]
)


@dataclass(frozen=True)
class SortedKeys:
    """The keys that some kept articles registered (as SeenKeys.from_frame remembers them), sorted
    by key_hashes: a table that can stay in a memory-mapped file, where a lookup reads only the
    few places it searches (columns hash, kind: the position of the kind in EXACT_KEYS, key,
    article_id)."""

    table: pa.Table

    @classmethod
    def of_frame(cls, frame: pd.DataFrame) -> SortedKeys:
        """The keys of stored articles (columns article_id, url_key, content_hash), in store
        order."""
        registered = SeenKeys.from_frame(frame).keys
        pieces = []
        for code, (kind, found) in enumerate(registered.items()):
            keys = list(found)
            pieces.append(
                pa.table(
                    {
                        "hash": pa.array(key_hashes(kind, keys), pa.uint64()),
                        "kind": pa.array(np.full(len(keys), code, np.int8)),
                        "key": pa.array(keys, pa.large_string()),
                        "article_id": pa.array(list(found.values()), pa.large_string()),
                    },
                    schema=SORTED_KEYS_SCHEMA,
                )
            )
        return cls.sorted(pa.concat_tables(pieces))

    @classmethod
    def sorted(cls, table: pa.Table) -> SortedKeys:
        """The rows of a table of SORTED_KEYS_SCHEMA, sorted by hash (equal hashes in the order
        given), as one chunk."""
        order = np.argsort(table["hash"].to_numpy(), kind="stable")
        return cls(table.take(pa.array(order)).combine_chunks())

    @classmethod
    def merged(cls, parts: Sequence[SortedKeys]) -> SortedKeys:
        """Tables of keys as one (an older table's keys first among equal hashes)."""
        return cls.sorted(pa.concat_tables([p.table for p in parts]))

    def __len__(self) -> int:
        return self.table.num_rows

    @cached_property
    def hashes(self) -> np.ndarray:
        """The sorted hashes, viewed in the table's buffer."""
        if not len(self):
            return np.empty(0, np.uint64)
        return self.table["hash"].chunk(0).to_numpy(zero_copy_only=True)

    def holds(self, hashes: np.ndarray) -> np.ndarray:
        """True for each of key_hashes' hashes that the table holds (a key of any kind)."""
        at = np.searchsorted(self.hashes, hashes, side="left")
        inside = at < len(self)
        held = np.zeros(len(hashes), bool)
        held[inside] = self.hashes[at[inside]] == hashes[inside]
        return held

    def found(self, kind: str, keys: Sequence[str]) -> dict[str, str]:
        """key -> the article id it belongs to, for those keys of a kind that the table holds."""
        if not len(self) or not keys:
            return {}
        hashes = key_hashes(kind, keys)
        at = np.searchsorted(self.hashes, hashes, side="left")
        inside = at < len(self)
        hit = np.flatnonzero(inside)[self.hashes[at[inside]] == hashes[inside]]
        code = list(EXACT_KEYS).index(kind)
        found: dict[str, str] = {}
        for position, start in zip(hit.tolist(), at[hit].tolist(), strict=True):
            while start < len(self) and self.hashes[start] == hashes[position]:
                row = self.table.slice(start, 1).to_pylist()[0]
                if row["kind"] == code and row["key"] == keys[position]:
                    found.setdefault(keys[position], row["article_id"])
                    break
                start += 1
        return found


@dataclass
class SeenKeys:
    """Keys of kept articles (article id, canonical URL, content hash), each -> the kept article_id.

    stored: sorted tables of the keys of articles kept before (oldest first); a batch's keys are
    looked up in them when it is marked, and those found are remembered with the rest.
    """

    keys: dict[str, dict[str, str]] = field(default_factory=lambda: {k: {} for k in EXACT_KEYS})
    stored: list[SortedKeys] = field(default_factory=list)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> SeenKeys:
        """The keys of already stored articles (columns article_id, url_key, content_hash), as
        mark() would remember them: when no key repeats (a store's kept articles), every row's
        keys at once, else row by row."""
        seen = cls()
        columns = dict(zip(EXACT_KEYS, SeenKeys._columns(frame), strict=True))
        if None in columns["id"] or not all(map(_distinct, columns.values())):
            seen.mark(frame)
            return seen
        seen.keys = {
            kind: {
                key: row for key, row in zip(keys, columns["id"], strict=True) if key is not None
            }
            for kind, keys in columns.items()
        }
        return seen

    def mark(self, batch: pd.DataFrame) -> pd.DataFrame:
        """duplicate_of and kind (id|url|content, None if kept) per row; remembers the kept rows.

        Rows are taken in order, so within the batch the first occurrence is kept.
        """
        self._recall(batch)
        marks = [self._mark_row(row) for row in self._rows(batch)]
        return pd.DataFrame(
            {
                "duplicate_of": pd.Series([m[0] for m in marks], index=batch.index, dtype=object),
                "kind": pd.Series([m[1] for m in marks], index=batch.index, dtype=object),
            }
        )

    def _recall(self, batch: pd.DataFrame) -> None:
        """Remember what the stored tables hold of the batch's keys (the first table holding a
        key wins; kept articles never share one)."""
        if not self.stored:
            return
        for kind, column in zip(EXACT_KEYS, self._columns(batch), strict=True):
            known = self.keys[kind]
            wanted = sorted({k for k in column if k is not None and k not in known})
            for table in self.stored:
                if not wanted:
                    break
                found = table.found(kind, wanted)
                known.update(found)
                wanted = [k for k in wanted if k not in found]

    def forget(self, rows: pd.DataFrame) -> None:
        """Drop the keys these kept rows registered (they turned out to be near duplicates)."""
        for row in self._rows(rows):
            for kind, key in self._present(row):
                if self.keys[kind].get(key) == row["id"]:
                    del self.keys[kind][key]

    def _mark_row(self, row: dict[str, str | None]) -> tuple[str | None, str | None]:
        """(kept article_id, kind) if a key was seen, else (None, None) after remembering the row."""
        for kind, key in self._present(row):
            if key in self.keys[kind]:
                return self.keys[kind][key], kind
        if row["id"] is not None:
            for kind, key in self._present(row):
                self.keys[kind][key] = row["id"]
        return None, None

    @staticmethod
    def _columns(frame: pd.DataFrame) -> list[list[str | None]]:
        """The usable keys of each kind (EXACT_KEYS order), or a clear error if a key column is
        missing."""
        missing = [c for c in EXACT_KEYS.values() if c not in frame.columns]
        if missing:
            raise ValueError(f"articles lack the column(s) {', '.join(missing)}")
        return [
            [v if type(v) is str and v else _key(v) for v in frame[c].tolist()]
            for c in EXACT_KEYS.values()
        ]

    @staticmethod
    def _rows(frame: pd.DataFrame) -> Iterator[dict[str, str | None]]:
        """Each row's keys by kind, or a clear error if a key column is missing."""
        columns = SeenKeys._columns(frame)
        return (dict(zip(EXACT_KEYS, row, strict=True)) for row in zip(*columns, strict=True))

    @staticmethod
    def _present(row: dict[str, str | None]) -> Iterator[tuple[str, str]]:
        """(kind, key) for every key the row has."""
        return ((kind, key) for kind, key in row.items() if key is not None)


def _distinct(keys: list[str | None]) -> bool:
    """Whether no key but None occurs twice."""
    present = [k for k in keys if k is not None]
    return len(set(present)) == len(present)


def _key(value: object) -> str | None:
    """A usable key: a non-empty string, else None."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    text = str(value)
    return text or None
