"""Work shared out between the cores this process may use."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import sparse

#: Columns of a product each thread makes at least: narrower blocks are not worth a thread.
MIN_THREAD_COLUMNS = 32


def usable_cores() -> int:
    """How many cores this process may run on."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return cores or 1


def sparse_product(matrix: sparse.spmatrix, dense: np.ndarray) -> np.ndarray:
    """matrix @ dense, bit for bit, the columns of dense shared out between threads: scipy's
    sparse products let go of the GIL, and each column of a product is summed in the same order
    whichever thread makes it."""
    threads = min(usable_cores(), dense.shape[1] // MIN_THREAD_COLUMNS)
    if threads < 2:
        return matrix @ dense
    bounds = np.linspace(0, dense.shape[1], threads + 1).astype(int)
    blocks = [dense[:, start:stop] for start, stop in zip(bounds, bounds[1:], strict=False)]
    with ThreadPoolExecutor(threads) as pool:
        return np.hstack(list(pool.map(matrix.__matmul__, blocks)))
