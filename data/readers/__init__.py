"""Readers that turn the files people have (CSV, Excel, JSON, Parquet, HTML, text) into raw frames.

Every reader streams: a file is read in chunks of ``chunk_rows`` records, so memory does not grow
with the size of the file. Columns are recognised by their English or Indonesian names; files
without a header row are recognised by what their columns contain; ``--map`` overrides both.

The package owns reading input files: `files` (which files, which reader), one module per format
family (`text` for CSV, TSV and .txt, `json_files`, `excel`, `parquet`, `pages` for saved HTML
pages), `columns` (recognising columns and header rows), `tables` (what the readers hand on) and
`frames` (raw frames of RAW_COLUMNS). It imports only data.schema.
"""

from __future__ import annotations

from data.readers.columns import COLUMN_NAMES, parse_mapping
from data.readers.files import iter_input_files
from data.readers.frames import read_path
from data.readers.json_files import JSON_RECORD_KEYS
from data.readers.tables import ReaderError

__all__ = [
    "COLUMN_NAMES",
    "JSON_RECORD_KEYS",
    "ReaderError",
    "iter_input_files",
    "parse_mapping",
    "read_path",
]
