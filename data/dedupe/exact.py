"""Exact duplicates: content hashes of an article's words, and the keys (article id, canonical
URL, content hash) of the articles kept so far."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

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


@dataclass
class SeenKeys:
    """Keys of kept articles (article id, canonical URL, content hash), each -> the kept article_id."""

    keys: dict[str, dict[str, str]] = field(default_factory=lambda: {k: {} for k in EXACT_KEYS})

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
        marks = [self._mark_row(row) for row in self._rows(batch)]
        return pd.DataFrame(
            {
                "duplicate_of": pd.Series([m[0] for m in marks], index=batch.index, dtype=object),
                "kind": pd.Series([m[1] for m in marks], index=batch.index, dtype=object),
            }
        )

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
