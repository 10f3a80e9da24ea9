"""Excel workbooks (.xlsx, .xlsm): one table per non-empty worksheet, streamed in read-only mode."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from data.readers.columns import rows_table
from data.readers.tables import ReaderError, ReadLimits, ReadNotes, Table, cell_text

_WORKBOOK_PART = "xl/workbook.xml"
_OPEN_DOCUMENT = b"application/vnd.oasis.opendocument"


def _sheet_rows(sheet: object) -> Iterator[list[str | None]]:
    """The non-empty rows of a worksheet as text cells, trailing empty cells dropped."""
    for values in sheet.iter_rows(values_only=True):
        cells = [cell_text(v) for v in values]
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            yield cells


def _unpacked_mb(archive: zipfile.ZipFile) -> float:
    """What the members of a zip archive unpack to, in MB (as the archive declares; reading
    stops there)."""
    return sum(member.file_size for member in archive.infolist()) / (1 << 20)


def _check_workbook(path: Path, limits: ReadLimits) -> None:
    """Raise ReaderError unless a zip archive is a whole .xlsx workbook within the unpacked-size
    limit; the message says what the file is instead."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:64] if "mimetype" in names else b""
            unpacked = _unpacked_mb(archive)
    except zipfile.BadZipFile as exc:
        raise ReaderError(
            f"{path}: a truncated or damaged zip archive ({exc}); an .xlsx workbook cut short "
            "by an unfinished download or copy reads like this: copy it again"
        ) from exc
    if mimetype.startswith(_OPEN_DOCUMENT):
        raise ReaderError(f"{path}: an OpenDocument file, not an .xlsx workbook (save it as .xlsx)")
    if _WORKBOOK_PART not in names:
        raise ReaderError(f"{path}: a zip archive, not an .xlsx workbook (unpack it first)")
    if unpacked > limits.max_unpacked_mb:
        raise ReaderError(
            f"{path}: the workbook unpacks to {unpacked:,.1f} MB, more than the limit of "
            f"{limits.max_unpacked_mb:,} MB (raise it with --max-unpacked-mb)"
        )


def excel_tables(path: Path, chunk_rows: int, limits: ReadLimits, notes: ReadNotes) -> list[Table]:
    """One table per non-empty worksheet of an .xlsx workbook, streamed in read-only mode."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _check_workbook(path, limits)
    try:  # opened as a file, so that openpyxl does not judge the workbook by its name
        book = openpyxl.load_workbook(path.open("rb"), read_only=True, data_only=True)
    except (InvalidFileException, KeyError) as exc:
        raise ReaderError(f"{path}: not a readable .xlsx workbook ({exc})") from exc
    tables = [
        rows_table(_sheet_rows(sheet), f"sheet {sheet.title!r}", chunk_rows, strict=False)
        for sheet in book.worksheets
    ]
    return [t for t in tables if t]
