"""Whether a store file is still the one that was written: fingerprints, and a full read check."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq


def fingerprint(path: Path) -> dict[str, Any]:
    """The size and SHA-256 of a file, as the manifest records them for every part."""
    with open(path, "rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    return {"bytes": path.stat().st_size, "sha256": digest}


def changed(path: Path, recorded: dict[str, Any]) -> str | None:
    """Why a file no longer matches its recorded fingerprint, or None when it does."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return "missing"
    if size != recorded.get("bytes"):
        return f"{size:,} bytes where {recorded.get('bytes'):,} were written"
    if fingerprint(path)["sha256"] != recorded.get("sha256"):
        return "its bytes changed since it was written"
    return None


def unreadable(path: Path) -> str | None:
    """Why a Parquet file cannot be read in full, or None when it can (every column of every row
    group is decoded, one at a time, so memory stays at one column chunk)."""
    try:
        parquet = pq.ParquetFile(path)
        for group in range(parquet.num_row_groups):
            for column in parquet.schema_arrow.names:
                parquet.read_row_group(group, columns=[column])
    except (OSError, pa.ArrowException) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def row_count(path: Path) -> int:
    """Rows in a readable Parquet file, from its footer."""
    return pq.read_metadata(path).num_rows
