"""Work spread over a Dask cluster, when a command has one (data.cluster.connected), with the same
answers as in one process:

- `mapped` runs a function on each item of a list (a partition of the corpus, a batch of texts):
  one task per item on the workers when there is a cluster, else one item after the other here,
  the results in order either way;
- a topic build fits its embedding and clusters on a sample at the client, as always; the workers
  read, embed and assign every article a partition at a time, and count its keywords per group
  (analysis.topics.build);
- the tfidf embedding embeds the sample articles outside its vocabulary sample on the workers
  (`embedded`: an article's vector depends only on its own text and the fitted embedding);
- `analysis update` reads, embeds and assigns its new articles, and finds and counts the groups
  of the word tables they change, a partition at a time (analysis.topics.update).

Without a cluster each function does exactly the same work in this process, and Dask is never
imported.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import numpy as np

from data import cluster

EMBED_PARTITION = 20_000  # texts embedded per task

Advance = Callable[[int], None]
Result = TypeVar("Result")


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


def mapped(
    func: Callable[..., Result],
    items: Iterable[Any],
    *shared: Any,
    size: Callable[[Any], int] = len,
    progress: Advance | None = None,
) -> Iterator[Result]:
    """func(*shared, item) for each item, in order: a task per item on the cluster's workers (the
    shared arguments sent once to each worker) when there is a cluster, else here, one item after
    the other (items may then be a generator: one is held at a time). Reports size(item) to
    progress as each result arrives."""
    client = cluster.current()
    if client is None:
        for item in items:
            result = func(*shared, item)
            if progress:
                progress(size(item))
            yield result
        return
    items = list(items)
    sent = client.scatter(list(shared), broadcast=True, hash=False) if shared else []
    threads = blas_threads()
    futures = [
        client.submit(
            _with_blas_threads, threads, func, *sent, item, key=_task_key(func), pure=False
        )
        for item in items
    ]
    for item, result in zip(items, _released(futures), strict=True):
        if progress:
            progress(size(item))
        yield result


def _task_key(func: Callable[..., Any]) -> str:
    """A unique task key that names the function (Dask's task stream and dashboard group by it)."""
    return f"{func.__name__.strip('_')}-{uuid.uuid4().hex}"


def _released(futures: list[Any]) -> Iterator[Any]:
    """The results of futures, in order, each released once it is read."""
    for future in futures:
        result = future.result()
        future.release()
        yield result


def embedded(embedder: Any, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
    """embedder.embed(texts), on the cluster's workers a partition at a time when there is one."""
    if cluster.current() is None or len(texts) <= EMBED_PARTITION:
        return embedder.embed(texts, progress)
    chunks = [list(texts[i : i + EMBED_PARTITION]) for i in range(0, len(texts), EMBED_PARTITION)]
    return np.concatenate(list(mapped(_embed, chunks, embedder, progress=progress)))


def _embed(embedder: Any, texts: list[str]) -> np.ndarray:
    """One partition embedded."""
    return embedder.embed(texts)
