"""JSON documents and JSON Lines, streamed: a list of records, a list under a known key, or a
single object; a malformed line or a document broken part-way keeps what could be read."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from data.readers.tables import Chunk, ReaderError, Table, batches, cell_text, closing
from data.readers.text import SAMPLE_BYTES, sample_text

#: Keys of a JSON object whose list holds the records.
JSON_RECORD_KEYS: tuple[str, ...] = (
    "articles",
    "data",
    "items",
    "records",
    "results",
    "rows",
    "news",
    "berita",
    "posts",
    "entries",
)
_SALVAGE = re.compile(r'"([^"\\]{1,64})"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?)')


class _JsonStream:
    """JSON values read one at a time from a text stream, holding only what is being decoded."""

    def __init__(self, handle: TextIO) -> None:
        self._handle = handle
        self._buffer, self._pos, self._eof = "", 0, False
        self._decoder = json.JSONDecoder()

    def _fill(self) -> bool:
        """Read one more block; False at the end of the stream."""
        more = self._handle.read(SAMPLE_BYTES)
        self._buffer, self._pos = self._buffer[self._pos :] + more, 0
        self._eof = not more
        return bool(more)

    def peek(self) -> str:
        """The next non-blank character, "" at the end."""
        while True:
            while self._pos < len(self._buffer) and self._buffer[self._pos].isspace():
                self._pos += 1
            if self._pos < len(self._buffer) or not self._fill():
                return self._buffer[self._pos : self._pos + 1]

    def take(self, char: str) -> bool:
        """Consume char if it comes next."""
        if self.peek() == char:
            self._pos += 1
            return True
        return False

    def value(self) -> object:
        """The next JSON value; JSONDecodeError when it is malformed."""
        self.peek()
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError:
                if self._eof:
                    raise
            else:
                if end < len(self._buffer) or self._eof:
                    self._pos = end
                    return value
            self._fill()


def _array_values(stream: _JsonStream) -> Iterator[object]:
    """The items of the JSON array that comes next."""
    stream.take("[")
    while not stream.take("]"):
        yield stream.value()
        if not stream.take(",") and stream.peek() != "]":
            raise json.JSONDecodeError("expected ',' or ']' between records", "", 0)


def _document_values(stream: _JsonStream) -> Iterator[object]:
    """The records of a JSON document: a list, a list under a known key, or a single object."""
    if stream.peek() == "[":
        yield from _array_values(stream)
        return
    if not stream.take("{"):
        raise json.JSONDecodeError("expected a list or an object", "", 0)
    members: dict[str, object] = {}
    while not stream.take("}"):
        key = stream.value()
        if not (isinstance(key, str) and stream.take(":")):
            raise json.JSONDecodeError('expected "key": value', "", 0)
        if key.lower() in JSON_RECORD_KEYS and stream.peek() == "[":
            yield from _array_values(stream)
            return
        members[key] = stream.value()
        stream.take(",")
    lists = [v for v in members.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
    yield from lists[0] if lists else [members]


def _flat_record(value: object) -> tuple[dict[str, str | None], str | None]:
    """A JSON record as text cells, and an error when it is not an object."""
    if isinstance(value, dict):
        return {str(k): cell_text(v) for k, v in value.items()}, None
    return {}, f"record is a JSON {type(value).__name__}, not an object"


def _salvaged(line: str) -> dict[str, str | None]:
    """The "key": value pairs that can still be read from a malformed JSON line."""
    return {key: cell_text(json.loads(raw)) for key, raw in _SALVAGE.findall(line)}


def _line_records(handle: TextIO) -> Iterator[tuple[dict[str, str | None], str | None]]:
    """Records of a JSON Lines stream; a malformed line keeps what could be read, with an error."""
    for line in handle:
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _salvaged(line), f"malformed JSON line: {exc.msg} (column {exc.colno})"
            continue
        yield _flat_record(value)


def _document_records(
    path: Path, handle: TextIO
) -> Iterator[tuple[dict[str, str | None], str | None]]:
    """Records of a JSON document; a document broken part-way ends with one error record."""
    count = 0
    try:
        for value in _document_values(_JsonStream(handle)):
            count += 1
            yield _flat_record(value)
    except json.JSONDecodeError as exc:
        if not count:
            raise ReaderError(f"{path}: not valid JSON ({exc.msg})") from exc
        yield {}, f"malformed JSON after record {count} ({exc.msg}); the rest was not read"


def _record_chunk(batch: list[tuple[dict[str, str | None], str | None]]) -> Chunk:
    """A chunk from JSON records whose keys may differ."""
    columns = tuple(dict.fromkeys(key for record, _ in batch for key in record))
    cells = {c: [record.get(c) for record, _ in batch] for c in columns}
    return Chunk(cells, [error for _, error in batch])


def _is_json_lines(sample: str) -> bool:
    """Whether a .json sample is really JSON Lines: two lines that are each a complete object."""
    lines = [line for line in sample.splitlines() if line.strip()][:2]
    try:
        return len(lines) == 2 and all(isinstance(json.loads(line), dict) for line in lines)
    except json.JSONDecodeError:
        return False


def json_tables(path: Path, chunk_rows: int) -> list[Table]:
    """The table of a .json, .jsonl or .ndjson file, streamed."""
    encoding, sample = sample_text(path)
    handle = path.open(encoding=encoding, errors="replace")
    lines = path.suffix.lower() != ".json" or _is_json_lines(sample)
    records = _line_records(handle) if lines else _document_records(path, handle)
    chunks = (_record_chunk(batch) for batch in batches(closing(records, handle), chunk_rows))
    first = next(chunks, None)
    if first is None:
        return []
    return [Table("", tuple(first.columns), None, itertools.chain([first], chunks))]
