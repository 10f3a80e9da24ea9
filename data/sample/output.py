"""The sample as frames (with or without what each row really is) or as raw input files."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import TextIO

import pandas as pd

from data.sample.corpus import Corpus
from data.sample.outlets import OutputFile, outlet_tables
from data.sample.plan import DEFAULT_END, DEFAULT_MONTHS
from data.sample.publishing import Row
from data.sample.rows import blocks
from data.schema import RAW_COLUMNS

#: Extra columns of `labelled_frames`: what each raw row really is.
TRUTH_COLUMNS: tuple[str, ...] = (
    "truth_theme",
    "truth_province_code",
    "truth_regency_code",
    "truth_published_at",  # UTC
    "truth_kind",  # original | syndicated | syndicated_burst | tracked_repeat | updated_repeat | no_text
    "truth_story",  # copies share the story number of what they copy; the syndicated burst is -1
    "truth_language",
)


def _numbered(corpus: Corpus) -> Iterator[tuple[Row, int]]:
    """Every row with its 1-based record number inside its file."""
    numbers = dict.fromkeys(outlet_tables().files, 0)
    for rows in blocks(corpus):
        for row in rows:
            numbers[row.file] += 1
            yield row, numbers[row.file]


def _frame(numbered: list[tuple[Row, int]]) -> pd.DataFrame:
    """Raw and truth columns of numbered rows."""
    rows = [row for row, _ in numbered]
    files = outlet_tables().files
    count = len(rows)
    columns = {
        "article_id": [None] * count,
        "title": [r.title for r in rows],
        "text": [r.text for r in rows],
        "date": [r.date for r in rows],
        "url": [r.url for r in rows],
        "source": [r.source for r in rows],
        "category": [r.category for r in rows],
        "region": [None] * count,
        "html_date": [None] * count,
        "file": [files[r.file].name for r in rows],
        "row": [number for _, number in numbered],
        "error": [None] * count,
        "truth_theme": [r.theme for r in rows],
        "truth_province_code": [r.province_code for r in rows],
        "truth_regency_code": [r.regency_code for r in rows],
        "truth_published_at": pd.to_datetime([r.epoch for r in rows], unit="s", utc=True),
        "truth_kind": [r.kind for r in rows],
        "truth_story": [r.story for r in rows],
        "truth_language": [r.language for r in rows],
    }
    object_columns = ("article_id", "category", "region", "html_date", "error")
    return pd.DataFrame(columns).astype(dict.fromkeys(object_columns, object))


def labelled_frames(
    n_articles: int = 20_000,
    seed: int = 42,
    end: date = DEFAULT_END,
    months: int = DEFAULT_MONTHS,
    chunk_rows: int = 5_000,
) -> Iterator[pd.DataFrame]:
    """The sample's raw rows (RAW_COLUMNS) with what each really is (TRUTH_COLUMNS), in chunks."""
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be at least 1 (got {chunk_rows})")
    corpus = Corpus(n_articles, seed, end, months)
    chunk: list[tuple[Row, int]] = []
    for numbered in _numbered(corpus):
        chunk.append(numbered)
        if len(chunk) == chunk_rows:
            yield _frame(chunk)
            chunk = []
    if chunk:
        yield _frame(chunk)


def sample_frames(
    n_articles: int = 20_000,
    seed: int = 42,
    end: date = DEFAULT_END,
    months: int = DEFAULT_MONTHS,
    chunk_rows: int = 5_000,
) -> Iterator[pd.DataFrame]:
    """The sample's raw rows as raw frames (RAW_COLUMNS), chunk_rows at a time, without files."""
    raw = list(RAW_COLUMNS)
    for frame in labelled_frames(n_articles, seed, end, months, chunk_rows):
        yield frame[raw]


def _record(row: Row, spec: OutputFile) -> list[str]:
    """The cells of a row in a file's column order."""
    return [getattr(row, column) for column in spec.header]


def _writers(stack: ExitStack, out_dir: Path) -> dict[str, Callable[[Row], object]]:
    """An open writer per output file, its header written."""
    writers: dict[str, Callable[[Row], object]] = {}
    for key, spec in outlet_tables().files.items():
        handle: TextIO = stack.enter_context(
            (out_dir / spec.name).open("w", encoding=spec.encoding, newline="")
        )
        if spec.delimiter:
            table = csv.writer(handle, delimiter=spec.delimiter, lineterminator="\n")
            table.writerow(spec.header.values())
            writers[key] = lambda row, table=table, spec=spec: table.writerow(_record(row, spec))
        else:
            writers[key] = lambda row, handle=handle, spec=spec: handle.write(
                json.dumps(
                    dict(zip(spec.header.values(), _record(row, spec), strict=True)),
                    ensure_ascii=False,
                )
                + "\n"
            )
    return writers


def write_sample(
    out_dir: Path,
    n_articles: int = 20_000,
    seed: int = 42,
    end: date = DEFAULT_END,
    months: int = DEFAULT_MONTHS,
) -> list[Path]:
    """Write the sample corpus as messy raw input files (CSV, TSV, JSON Lines) into out_dir."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(n_articles, seed, end, months)
    with ExitStack() as stack:
        writers = _writers(stack, out_dir)
        for rows in blocks(corpus):
            for row in rows:
                writers[row.file](row)
    return [out_dir / spec.name for spec in outlet_tables().files.values()]
