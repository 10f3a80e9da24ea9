"""Where the heavy stages run: in this process (the default), or on a Dask cluster.

`connected(address, workers)` opens a `distributed.Client` to a running scheduler (`--scheduler
tcp://host:8786`, or $SOROTAN_SCHEDULER), or starts a `LocalCluster` of worker processes
(`--workers N`), for the length of a command; `current()` is the client of the innermost such
block, and the stages that can run on a cluster ask it. Without either, nothing changes: every stage
runs in this process and Dask is never imported.

Workers read and write the store's folder themselves, so they must see it at the same path as the
client (one machine, or a shared file system).
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from itertools import islice
from typing import Any

SCHEDULER_ENV = "SOROTAN_SCHEDULER"
CONNECT_TIMEOUT_S = 10
WORKER_WAIT_S = 30

_clients: list[Any] = []  # the clients of the open `connected` blocks, innermost last


class ClusterError(Exception):
    """A cluster that cannot be used as asked (unreachable, no workers, bad options)."""


def scheduler_address(given: str | None) -> str | None:
    """The scheduler to use: the one given, else $SOROTAN_SCHEDULER, else None (no cluster)."""
    return given or os.environ.get(SCHEDULER_ENV) or None


def current() -> Any | None:
    """The Dask client of the innermost `connected` block, or None: run in this process."""
    return _clients[-1] if _clients else None


def results_in_order(
    client: Any, function: Callable[..., Any], calls: list[tuple], ahead: int | None = None
) -> Iterator[Any]:
    """function(*call) for each call, run on the workers and yielded in the calls' order; at most
    `ahead` calls (default twice the workers' threads) are submitted beyond the one yielded, so
    that finished results wait on the workers only as long as the client takes to use them."""
    ahead = ahead or 2 * max(sum(client.nthreads().values()), 1)
    waiting = iter(calls)
    pending = deque(client.submit(function, *c, pure=False) for c in islice(waiting, ahead))
    while pending:
        future = pending.popleft()
        pending.extend(client.submit(function, *c, pure=False) for c in islice(waiting, 1))
        result = future.result()
        future.release()
        yield result


def _local_cluster(workers: int) -> Any:
    """A LocalCluster of worker processes, one thread each (the stages hold the GIL)."""
    from distributed import LocalCluster

    if workers < 1:
        raise ClusterError(f"--workers must be 1 or more, not {workers}")
    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    )


def _client_of(address: str) -> Any:
    """A client of the scheduler at address; ClusterError, in one line, when it cannot be
    reached or has no workers."""
    from distributed import Client

    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address} ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else 'no answer'}); start one with "
            f"`dask scheduler`, or run without --scheduler and ${SCHEDULER_ENV}"
        ) from None
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT_S)
    except (OSError, TimeoutError) as exc:
        client.close()
        raise ClusterError(
            f"the Dask scheduler at {address} has no workers after {WORKER_WAIT_S} s "
            f"({type(exc).__name__}); start some with `dask worker {address}`"
        ) from None
    return client


@contextmanager
def connected(address: str | None = None, workers: int | None = None) -> Iterator[Any | None]:
    """A Dask client for the block (None without --scheduler, $SOROTAN_SCHEDULER or --workers)."""
    address = scheduler_address(address)
    if address and workers:
        raise ClusterError("give --scheduler or --workers, not both")
    if not address and not workers:
        yield None
        return
    from distributed import Client

    cluster = _local_cluster(workers) if workers else None
    try:
        client = Client(cluster) if cluster else _client_of(address)
    except BaseException:
        if cluster is not None:
            cluster.close()
        raise
    try:
        with using(client):
            yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@contextmanager
def using(client: Any) -> Iterator[Any]:
    """Run the stages of the block on an already open Dask client."""
    _clients.append(client)
    try:
        yield client
    finally:
        _clients.remove(client)


def for_command(args: Any) -> AbstractContextManager[Any | None]:
    """connected() for a parsed command line that has --scheduler and --workers; a block that
    runs in this process for a command without them (whatever $SOROTAN_SCHEDULER says)."""
    if not hasattr(args, "scheduler"):
        return nullcontext(None)
    return connected(args.scheduler, args.workers)


def add_cluster_options(parser: Any) -> None:
    """--scheduler and --workers on an argparse (sub)parser."""
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help=f"run on the Dask cluster of this scheduler (tcp://host:8786; default ${SCHEDULER_ENV}"
        "; without either, everything runs in this process)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="run on a Dask LocalCluster of N worker processes started for this command",
    )
