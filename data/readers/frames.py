"""Raw frames: the records of a file's tables as RAW_COLUMNS, each field taken from the columns
recognised for it, with the input column each row's date came from; at most ReadLimits.max_rows
records, and identical records past REPEATS_KEPT counted, not handed on."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from data.readers.columns import (
    check_mapping,
    column_map,
    columns_found,
    has_text_or_title,
    is_date,
)
from data.readers.files import file_tables
from data.readers.tables import LIBRARY_ERRORS, Chunk, ReaderError, ReadLimits, ReadNotes, Table
from data.schema import RAW_COLUMNS

#: Columns of a raw frame read from a file: RAW_COLUMNS and the input column of each row's date.
READ_COLUMNS: tuple[str, ...] = (*RAW_COLUMNS, "date_column")
REPEATS_KEPT = 1000  # copies of one identical record handed on; the rest are only counted
REPEATS_TRACKED = 100_000  # distinct records of a file whose copies are counted
NUL_ERROR = "NUL byte in the record (binary data inside a text file)"
_FIELDS = tuple(name for name in RAW_COLUMNS if name not in ("file", "row", "error"))


def read_path(
    path: Path,
    mapping: dict[str, str] | None = None,
    chunk_rows: int = 5000,
    limits: ReadLimits | None = None,
    notes: ReadNotes | None = None,
) -> Iterator[pd.DataFrame]:
    """Raw frames (READ_COLUMNS, object dtype) of one file, chunk_rows records at a time; notes
    (if given) fill with what reading noticed besides the records."""
    path, mapping = Path(path), mapping or {}
    limits, notes = limits or ReadLimits(), ReadNotes() if notes is None else notes
    tables = file_tables(path, max(1, chunk_rows), limits, notes)
    if not tables:
        raise ReaderError(f"{path}: no records in the file")
    usable = [has_text_or_title(column_map(t.columns, mapping, t.roles)) for t in tables]
    check_mapping(path, tables, mapping)
    if not any(usable):
        raise ReaderError(
            f"{path}: no text or title column ({columns_found(tables)}); "
            "name them with --map, e.g. --map text=COLUMN,title=COLUMN"
        )
    frames = raw_frames(path, tables, usable, mapping, limits, notes)
    first = next(frames, None)
    if first is None:
        raise ReaderError(f"{path}: no records in the file")
    return itertools.chain([first], frames)


def _blank_none(values: list[str | None]) -> list[str | None]:
    """Values with empty and whitespace-only strings as None."""
    return [v if v and not v.isspace() else None for v in values]


def _date_with_time(day: str | None, clock: str | None) -> str | None:
    """A date string with a separate time joined on; a lone time counts only if it holds a date."""
    if not clock or (day and clock in day):
        return day
    if day:
        return f"{day} {clock}"
    return clock if is_date(clock) else None


def _coalesced(chunk: Chunk, columns: tuple[str, ...]) -> tuple[list[str | None], list[str | None]]:
    """Per record, the first non-blank value among columns, and the column it came from."""
    values: list[str | None] = [None] * len(chunk.errors)
    origins: list[str | None] = [None] * len(chunk.errors)
    for column in columns:
        for i, value in enumerate(_blank_none(chunk.columns[column])):
            if values[i] is None and value is not None:
                values[i], origins[i] = value, column
    return values, origins


def _nul_records(chunk: Chunk) -> list[bool]:
    """Per record, whether a cell holds a NUL character."""
    flags = [False] * len(chunk.errors)
    for cells in chunk.columns.values():
        if any(cell and "\x00" in cell for cell in cells):
            flags = [
                flag or bool(cell and "\x00" in cell)
                for flag, cell in zip(flags, cells, strict=True)
            ]
    return flags


def _raw_frame(
    chunk: Chunk,
    columns: dict[str, tuple[str, ...]],
    path: Path,
    first_row: int,
    problem: str | None,
) -> pd.DataFrame:
    """The raw frame of one chunk."""
    size = len(chunk.errors)
    found = {field: _coalesced(chunk, columns.get(field, ())) for field in (*_FIELDS, "time")}
    values = {field: found[field][0] for field in _FIELDS}
    (days, day_columns), (times, time_columns) = found["date"], found["time"]
    dates = list(map(_date_with_time, days, times))
    errors = [
        error or problem or (NUL_ERROR if nul else None)
        for error, nul in zip(chunk.errors, _nul_records(chunk), strict=True)
    ]
    return pd.DataFrame(
        {
            **values,
            "date": dates,
            "file": [str(path)] * size,
            "row": list(range(first_row, first_row + size)),
            "error": errors,
            "date_column": [
                day_column if day else time_column if joined else None
                for day, joined, day_column, time_column in zip(
                    days, dates, day_columns, time_columns, strict=True
                )
            ],
        },
        columns=list(READ_COLUMNS),
        dtype=object,
    )


def _limit_frame(path: Path, row: int, limits: ReadLimits) -> pd.DataFrame:
    """The one error record that stands for the records past the row limit."""
    error = (
        f"more than {limits.max_rows:,} records in the file (the --max-rows limit); "
        "the rest was not read"
    )
    record = dict.fromkeys(READ_COLUMNS) | {"file": str(path), "row": row, "error": error}
    return pd.DataFrame([record], columns=list(READ_COLUMNS), dtype=object)


def _without_repeats(frame: pd.DataFrame, seen: dict[int, int], notes: ReadNotes) -> pd.DataFrame:
    """The frame without the copies of an identical record past REPEATS_KEPT (counted in notes);
    seen counts the copies of the first REPEATS_TRACKED distinct records."""
    records = zip(*(frame[field].tolist() for field in _FIELDS), strict=True)
    digests = map(hash, records)  # 64 bits a record
    keep = []
    for digest, error in zip(digests, frame["error"].tolist(), strict=True):
        if error is not None:  # quarantined one by one, with its reason
            keep.append(True)
            continue
        copies = seen.get(digest)
        if copies is not None or len(seen) < REPEATS_TRACKED:
            seen[digest] = (copies or 0) + 1
        keep.append((copies or 0) < REPEATS_KEPT)
    notes.repeated_rows += keep.count(False)
    return frame[keep]


def raw_frames(
    path: Path,
    tables: list[Table],
    usable: list[bool],
    mapping: dict[str, str],
    limits: ReadLimits,
    notes: ReadNotes,
) -> Iterator[pd.DataFrame]:
    """Raw frames of every table in turn; a table without text or title has an error on each row;
    past limits.max_rows records, one error record stands for the rest."""
    done = 0
    seen: dict[int, int] = {}
    try:
        for table, ok in zip(tables, usable, strict=True):
            problem = None if ok else f"{table.label} has no text or title column"
            for chunk in table.chunks:
                if not chunk.errors:
                    continue
                room = limits.max_rows - done
                if room <= 0:
                    yield _limit_frame(path, done + 1, limits)
                    return
                columns = column_map(tuple(chunk.columns), mapping, table.roles)
                frame = _raw_frame(chunk, columns, path, done + 1, problem)
                done += min(len(frame), room)
                kept = _without_repeats(frame.iloc[:room], seen, notes)
                if len(kept):
                    yield kept
                if len(frame) > room:
                    yield _limit_frame(path, done + 1, limits)
                    return
    except LIBRARY_ERRORS as exc:
        raise ReaderError(f"{path}: reading stopped after record {done} ({exc})") from exc
