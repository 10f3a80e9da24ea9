"""Excel workbooks (.xlsx, .xlsm): one table per non-empty worksheet, streamed in read-only mode."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from data.readers.columns import rows_table
from data.readers.tables import ReaderError, Table, cell_text


def _sheet_rows(sheet: object) -> Iterator[list[str | None]]:
    """The non-empty rows of a worksheet as text cells, trailing empty cells dropped."""
    for values in sheet.iter_rows(values_only=True):
        cells = [cell_text(v) for v in values]
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            yield cells


def excel_tables(path: Path, chunk_rows: int) -> list[Table]:
    """One table per non-empty worksheet of an .xlsx workbook, streamed in read-only mode."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if not zipfile.is_zipfile(path):
        raise ReaderError(f"{path}: not an .xlsx workbook (an old .xls must be saved as .xlsx)")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError) as exc:
        raise ReaderError(f"{path}: not a readable .xlsx workbook ({exc})") from exc
    tables = [
        rows_table(_sheet_rows(sheet), f"sheet {sheet.title!r}", chunk_rows, strict=False)
        for sheet in book.worksheets
    ]
    return [t for t in tables if t]
