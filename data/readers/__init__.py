"""Readers that turn the files people have (CSV, Excel, JSON, Parquet, HTML, text) into raw frames.

Every reader streams: a file is read in chunks of ``chunk_rows`` records, so memory does not grow
with the size of the file. A file's format is told by its content, whatever its name; text is
decoded line by line, so a file that mixes UTF-8 and cp1252 lines reads right. Columns are
recognised by their English or Indonesian names; files without a header row are recognised by
what their columns contain; ``--map`` overrides both. ``ReadLimits`` caps the records taken from
one file and what a compressed file may unpack to.

The package owns reading input files: `files` (which files, which format, which reader),
`decoding` (text line by line), one module per format family (`text` for delimited and plain
text, `json_files`, `excel`, `parquet`, `pages` for saved HTML pages), `columns` (recognising
columns and header rows), `tables` (what the readers hand on) and `frames` (raw frames of
RAW_COLUMNS). It imports only data.schema.
"""

from __future__ import annotations

from data.readers.columns import COLUMN_NAMES, parse_mapping
from data.readers.files import iter_input_files
from data.readers.frames import READ_COLUMNS, read_path
from data.readers.json_files import JSON_RECORD_KEYS
from data.readers.tables import MAX_ROWS, MAX_UNPACKED_MB, ReaderError, ReadLimits, ReadNotes

__all__ = [
    "COLUMN_NAMES",
    "JSON_RECORD_KEYS",
    "MAX_ROWS",
    "MAX_UNPACKED_MB",
    "READ_COLUMNS",
    "ReadLimits",
    "ReadNotes",
    "ReaderError",
    "iter_input_files",
    "parse_mapping",
    "read_path",
]
