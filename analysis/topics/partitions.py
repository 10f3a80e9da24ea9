"""A store's articles as a build sees them, a partition at a time.

The corpus of a build is every article id once (its first copy in the store's parts), in article_id
order. `store_corpus` reads only the ids; each `Partition` is a run of row groups of one part, about
PARTITION_ROWS rows, that a worker (or this process, one after the other) reads by itself. The
partitions depend only on the store, never on the cluster, so the sums a build adds over them come
out the same in one process and on any cluster.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from data.store import Store, part_rows

PARTITION_ROWS = 20_000  # rows of a part read per task (whole row groups: a few more)


@dataclass(frozen=True)
class Partition:
    """Row groups of one store part, and which of their rows are corpus articles."""

    path: Path  # absolute: workers have their own working folder
    row_groups: tuple[int, ...]
    rows: np.ndarray  # positions, within those row groups, of the rows in the corpus

    def frame(self, columns: list[str], picked: np.ndarray | None = None) -> pd.DataFrame:
        """The columns of the partition's corpus rows (None for a column the part lacks), or of
        those at the positions picked (sorted) among them, read from the row groups that hold
        them only."""
        file = pq.ParquetFile(self.path)
        first = sum(file.metadata.row_group(g).num_rows for g in range(self.row_groups[0]))
        rows = self.rows if picked is None else self.rows[picked]
        return part_rows(self.path, first + rows, columns)


@dataclass(frozen=True)
class Corpus:
    """Every article id of a store once, in order, and the partitions that hold them."""

    ids: pd.Series  # article ids in corpus order (sorted)
    partitions: list[Partition]
    positions: list[np.ndarray]  # the corpus position of each partition's rows, in their order

    def __len__(self) -> int:
        return len(self.ids)

    def in_order(self, per_partition: list[np.ndarray]) -> np.ndarray:
        """One value per article in corpus order, from one array per partition (in its row order)."""
        if not per_partition:
            return np.empty(0)
        values = np.concatenate(per_partition)
        out = np.empty(len(self), dtype=values.dtype)
        out[np.concatenate(self.positions)] = values
        return out

    def split(self, values: np.ndarray) -> list[np.ndarray]:
        """Per partition, the values (one per article in corpus order) of its rows."""
        return [values[p] for p in self.positions]


def store_corpus(store: Store) -> Corpus:
    """The corpus of a store's committed article parts, read from their article ids alone (through
    the store's reader, which says what to do about a part it cannot read)."""
    parts = [p.absolute() for p in store.part_paths("articles")]
    files = [pq.ParquetFile(p) for p in parts]
    ids = pd.concat(
        [
            pd.Series(store.read_article_part(p.name, ["article_id"]).column(0).to_pandas())
            for p in parts
        ]
        or [pd.Series(dtype=object)],
        ignore_index=True,
    )
    first = ~ids.duplicated(keep="first").to_numpy()
    kept = ids[first]
    order = kept.sort_values(kind="stable").index.to_numpy()  # row numbers in corpus order
    position = np.full(len(ids), -1)
    position[order] = np.arange(len(order))
    partitions, positions, start = [], [], 0
    for path, file in zip(parts, files, strict=True):
        for groups in _runs(file, PARTITION_ROWS):
            n = sum(file.metadata.row_group(g).num_rows for g in groups)
            rows = np.flatnonzero(first[start : start + n])
            if len(rows):
                partitions.append(Partition(path, groups, rows))
                positions.append(position[start + rows])
            start += n
    return Corpus(kept.sort_values(kind="stable").reset_index(drop=True), partitions, positions)


def _runs(file: pq.ParquetFile, rows: int) -> list[tuple[int, ...]]:
    """The file's row groups in consecutive runs of about rows rows (at least one group each)."""
    runs: list[tuple[int, ...]] = []
    current: list[int] = []
    count = 0
    for group in range(file.num_row_groups):
        current.append(group)
        count += file.metadata.row_group(group).num_rows
        if count >= rows:
            runs.append(tuple(current))
            current, count = [], 0
    return [*runs, tuple(current)] if current else runs
