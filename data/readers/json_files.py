"""JSON documents and JSON Lines, streamed: a list of records, a list of records under any key,
or a single object; a malformed line, a record nested too deep or one too large for memory is
one error record, and a document broken part-way keeps what could be read."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path

from data.readers.decoding import decoded_blocks, sample_text, text_lines
from data.readers.tables import (
    Chunk,
    ReaderError,
    ReadLimits,
    ReadNotes,
    Table,
    batches,
    cell_text,
)

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
MAX_RECORD_CHARS = 64 << 20  # a JSON record larger than this is skipped, with an error
_SALVAGE = re.compile(r'"([^"\\]{1,64})"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?)')
#: The pieces of JSON text a skipped value is passed over by: a string, a bracket, a comma, or a
#: run of anything else (numbers, literals, colons, white space).
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},]|[^"\[\]{},]+', re.S)
_FIRST_ITEM = re.compile(r"\[\s*(\S)")
_DECODER = json.JSONDecoder(strict=False)  # control characters inside strings are kept
_TOO_DEEP = "JSON record nested too deep to read"


class _RecordError(Exception):
    """A JSON record that cannot be read (too deep, too large); reading goes on after it."""


class _JsonStream:
    """JSON values read one at a time from blocks of text, holding only what is being decoded."""

    def __init__(self, blocks: Iterator[str]) -> None:
        self._blocks = blocks
        self._buffer, self._pos, self._eof = "", 0, False

    def _fill(self) -> bool:
        """Read one more block; False at the end of the text."""
        more = next(self._blocks, "")
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

    def opens_records(self) -> bool:
        """Whether a list of objects comes next ("[" and then "{")."""
        if self.peek() != "[":
            return False
        while not (first := _FIRST_ITEM.match(self._buffer, self._pos)) and self._fill():
            pass
        return bool(first) and first[1] == "{"

    def value(self) -> object:
        """The next JSON value; JSONDecodeError when it is malformed, _RecordError (after passing
        over it) when it is nested too deep or larger than MAX_RECORD_CHARS."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError:
                if self._eof:
                    raise
            except RecursionError:
                self._skip()
                raise _RecordError(_TOO_DEEP) from None
            else:
                if end < len(self._buffer) or self._eof:
                    self._pos = end
                    return value
            unread = len(self._buffer) - self._pos
            if unread > MAX_RECORD_CHARS:
                self._skip()
                raise _RecordError(f"JSON record larger than {MAX_RECORD_CHARS >> 20} MB")
            while len(self._buffer) - self._pos < 2 * unread and self._fill():
                pass  # twice as much text each time, so a large value is decoded a few times only

    def _skip(self) -> None:
        """Pass over the next JSON value without decoding it, bracket by bracket."""
        depth = 0
        while True:
            match = _TOKEN.match(self._buffer, self._pos)
            if match is None or (match.end() == len(self._buffer) and not self._eof):
                if self._fill():
                    continue
                if match is None:
                    raise json.JSONDecodeError("unterminated JSON value", "", 0)
            token = match[0]
            self._pos = match.end()
            if token in ("[", "{"):
                depth += 1
            elif token in ("]", "}"):
                depth -= 1
            if depth <= 0 and token != ",":
                return


def _array_values(stream: _JsonStream) -> Iterator[object]:
    """The items of the JSON array that comes next; an item that cannot be read as its error."""
    stream.take("[")
    while not stream.take("]"):
        try:
            yield stream.value()
        except _RecordError as exc:
            yield exc
        if not stream.take(",") and stream.peek() != "]":
            raise json.JSONDecodeError("expected ',' or ']' between records", "", 0)


def _document_values(stream: _JsonStream) -> Iterator[object]:
    """The records of a JSON document: a list, the first list of objects under a key, or else the
    single object."""
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
        if stream.opens_records() or (key.lower() in JSON_RECORD_KEYS and stream.peek() == "["):
            yield from _array_values(stream)
            return
        members[key] = stream.value()
        stream.take(",")
    yield members


def _flat_record(value: object) -> tuple[dict[str, str | None], str | None]:
    """A JSON record as text cells, and an error when it is not an object or cannot be read."""
    if isinstance(value, _RecordError):
        return {}, str(value)
    if not isinstance(value, dict):
        return {}, f"record is a JSON {type(value).__name__}, not an object"
    try:
        return {str(k): cell_text(v) for k, v in value.items()}, None
    except RecursionError:
        return {}, _TOO_DEEP


def _salvaged(line: str) -> dict[str, str | None]:
    """The "key": value pairs that can still be read from a malformed JSON line."""
    return {key: cell_text(_DECODER.decode(raw)) for key, raw in _SALVAGE.findall(line)}


def _line_record(line: str) -> tuple[dict[str, str | None], str | None]:
    """The record of one JSON line; a malformed line keeps what could be read, with an error."""
    if len(line) > MAX_RECORD_CHARS:
        return {}, f"JSON line longer than {MAX_RECORD_CHARS >> 20} MB"
    try:
        return _flat_record(_DECODER.decode(line))
    except json.JSONDecodeError as exc:
        return _salvaged(line), f"malformed JSON line: {exc.msg} (column {exc.colno})"
    except RecursionError:
        return _salvaged(line), _TOO_DEEP


def _line_records(lines: Iterator[str]) -> Iterator[tuple[dict[str, str | None], str | None]]:
    """Records of JSON Lines, one per non-blank line."""
    return (_line_record(line) for line in lines if line.strip())


def _document_records(
    path: Path, blocks: Iterator[str]
) -> Iterator[tuple[dict[str, str | None], str | None]]:
    """Records of a JSON document; a document broken part-way ends with one error record."""
    count = 0
    try:
        for value in _document_values(_JsonStream(blocks)):
            count += 1
            yield _flat_record(value)
    except _RecordError as exc:  # the document is one object, and it cannot be read
        raise ReaderError(f"{path}: {exc}") from exc
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
    """Whether a JSON sample is JSON Lines: a first line that is a whole object, then another."""
    lines = [line.strip() for line in sample.splitlines() if line.strip()][:2]
    if len(lines) < 2 or not lines[1].startswith("{"):
        return False
    try:
        return isinstance(_DECODER.decode(lines[0]), dict)
    except (json.JSONDecodeError, RecursionError):
        return False


def json_tables(path: Path, chunk_rows: int, limits: ReadLimits, notes: ReadNotes) -> list[Table]:
    """The table of a JSON or JSON Lines file, streamed."""
    blocks = decoded_blocks(path, notes.encodings)
    if path.suffix.lower() in (".jsonl", ".ndjson") or _is_json_lines(sample_text(path)):
        records = _line_records(text_lines(blocks))
    else:
        records = _document_records(path, blocks)
    chunks = (_record_chunk(batch) for batch in batches(records, chunk_rows))
    first = next(chunks, None)
    if first is None:
        return []
    problem = next((error for error in first.errors if error), None)
    if not first.columns and problem:
        raise ReaderError(f"{path}: no record could be read ({problem})")
    return [Table("", tuple(first.columns), None, itertools.chain([first], chunks))]
