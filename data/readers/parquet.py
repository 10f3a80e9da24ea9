"""Parquet files: one table, streamed by record batch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from data.readers.tables import Chunk, Table, cell_text


def _parquet_chunks(file: object, chunk_rows: int) -> Iterator[Chunk]:
    """Record batches of a Parquet file as text cells."""
    for batch in file.iter_batches(batch_size=chunk_rows):
        cells = {
            name: [cell_text(v) for v in column.to_pylist()]
            for name, column in zip(batch.schema.names, batch.columns, strict=True)
        }
        yield Chunk(cells, [None] * batch.num_rows)


def parquet_tables(path: Path, chunk_rows: int) -> list[Table]:
    """The table of a Parquet file, streamed by record batch."""
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    return [Table("", tuple(file.schema_arrow.names), None, _parquet_chunks(file, chunk_rows))]
