"""Embedding and assignment on a Dask cluster, when a command has one (data.cluster.connected),
with the same answers as in one process:

- a topic build fits its embedding on a sample at the client, as always; the other articles are
  embedded on the workers, a partition at a time (`embedded`: an article's vector depends only on
  its own text and the fitted embedding);
- `analysis update` embeds and assigns its new articles on the workers, one batch of UPDATE_BATCH
  per task, the batches the one-process update uses (`assigned`).

Without a cluster each function does exactly what the stage did before, in this process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from data import cluster

EMBED_PARTITION = 20_000  # texts embedded per task

Advance = Callable[[int], None]


def blas_threads() -> int | None:
    """The BLAS threads of this process (None without a BLAS library threadpoolctl knows)."""
    from threadpoolctl import threadpool_info

    counts = [i["num_threads"] for i in threadpool_info() if i.get("user_api") == "blas"]
    return max(counts) if counts else None


def _with_blas_threads(threads: int | None, func: Callable[..., Any], *args: Any) -> Any:
    """func(*args) with the client's BLAS threads: a matrix product sums in an order that
    depends on how BLAS splits it between threads, so workers (which Dask starts with one BLAS
    thread) use as many as the client, and give it bit-identical results on the same hardware."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=threads, user_api="blas"):
        return func(*args)


def _in_order(futures: list[Any], sizes: list[int], progress: Advance | None) -> list[Any]:
    """The results of futures, in order, reporting each one's size as it arrives."""
    results = []
    for future, size in zip(futures, sizes, strict=True):
        results.append(future.result())
        future.release()
        if progress:
            progress(size)
    return results


def embedded(embedder: Any, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
    """embedder.embed(texts), on the cluster's workers a partition at a time when there is one."""
    client = cluster.current()
    if client is None or len(texts) <= EMBED_PARTITION:
        return embedder.embed(texts, progress)
    shared = client.scatter(embedder, broadcast=True, hash=False)
    chunks = [texts[i : i + EMBED_PARTITION] for i in range(0, len(texts), EMBED_PARTITION)]
    threads = blas_threads()
    futures = [client.submit(_embed, shared, list(chunk), threads, pure=False) for chunk in chunks]
    return np.concatenate(_in_order(futures, [len(c) for c in chunks], progress))


def _embed(embedder: Any, texts: list[str], threads: int | None) -> np.ndarray:
    """One partition embedded on a worker."""
    return _with_blas_threads(threads, embedder.embed, texts)


def assigned(
    batches: Iterable[list[str]],
    embedder: Any,
    assign: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
    progress: Advance,
) -> tuple[np.ndarray, np.ndarray]:
    """(topic, confidence) of every text, batch by batch: assign(embedder.embed(batch)) for each
    batch, on the workers when there is a cluster (one task per batch), else here."""
    client = cluster.current()
    if client is None:
        parts = [assign(embedder.embed(texts, progress)) for texts in batches]
    else:
        shared = client.scatter((embedder, assign), broadcast=True, hash=False)
        batches = list(batches)
        threads = blas_threads()
        futures = [client.submit(_assign, shared, texts, threads, pure=False) for texts in batches]
        parts = _in_order(futures, [len(b) for b in batches], progress)
    if not parts:
        return np.empty(0, dtype=np.int64), np.empty(0)
    base, confidence = zip(*parts, strict=True)
    return np.concatenate(base), np.concatenate(confidence)


def _assign(
    shared: tuple[Any, Callable], texts: list[str], threads: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """One batch embedded and assigned on a worker."""
    embedder, assign = shared
    return _with_blas_threads(threads, lambda: assign(embedder.embed(texts)))
