"""Parquet files: one table, streamed by record batch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from data.readers.tables import Chunk, ReaderError, ReadLimits, ReadNotes, Table, cell_text


def _parquet_chunks(file: object, chunk_rows: int) -> Iterator[Chunk]:
    """Record batches of a Parquet file as text cells."""
    for batch in file.iter_batches(batch_size=chunk_rows):
        cells = {
            name: [cell_text(v) for v in column.to_pylist()]
            for name, column in zip(batch.schema.names, batch.columns, strict=True)
        }
        yield Chunk(cells, [None] * batch.num_rows)


def parquet_tables(
    path: Path, chunk_rows: int, limits: ReadLimits, notes: ReadNotes
) -> list[Table]:
    """The table of a Parquet file, streamed by record batch; ReaderError when its data unpack to
    more than the limit."""
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    metadata = file.metadata
    unpacked = sum(
        metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups)
    ) / (1 << 20)
    if unpacked > limits.max_unpacked_mb:
        raise ReaderError(
            f"{path}: the Parquet data unpack to {unpacked:,.1f} MB, more than the limit of "
            f"{limits.max_unpacked_mb:,} MB (raise it with --max-unpacked-mb)"
        )
    return [Table("", tuple(file.schema_arrow.names), None, _parquet_chunks(file, chunk_rows))]
