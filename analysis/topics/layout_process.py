"""`python -m analysis.topics.layout_process FOLDER`: UMAP layouts laid out in a process of their own.

It imports UMAP and turns on numba's cache first, then waits for its input to close: its job (a
pickled clustering.LayoutJob) is then in FOLDER, and its layouts go there, pickled
(clustering.LayoutProcess). A build starts one before it knows the job, so that the start-up (about
2 s) overlaps the build's neighbour search; one closed without a job (the build failed) ends
quietly, and one done leaves without tearing its modules down (0.3-0.4 s the build waited for).

A fresh interpreter started with the build's own environment, under the build's thread limits, lays
out bit for bit what the build would: thread counts set in the environment at start
(OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, which process pools set for their workers) change a layout
even under the same runtime limits. And it runs none of the caller's script, as multiprocessing's
spawn would.
"""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

from analysis.topics.clustering import cached_numba, job_path, laid_out, layouts_path


def main(argv: list[str]) -> int:
    folder = Path(argv[0])
    cached_numba()
    sys.stdin.buffer.read()  # until the build closes it
    if not job_path(folder).exists():
        return 1
    job = pickle.loads(job_path(folder).read_bytes())
    layouts = pickle.dumps(laid_out(job), protocol=pickle.HIGHEST_PROTOCOL)
    layouts_path(folder).write_bytes(layouts)
    return 0


if __name__ == "__main__":
    status = main(sys.argv[1:])
    sys.stderr.flush()
    os._exit(status)
