"""`python -m analysis.topics.layout_process JOB`: UMAP layouts laid out in a process of their own.

JOB is a pickled clustering.LayoutJob; its layouts, pickled, go beside it (clustering.layouts_path).
A build shares its layouts out between such processes (clustering.shared_out_layouts). A fresh
interpreter started with the build's own environment, under the build's thread limits, lays out bit
for bit what the build would: thread counts set in the environment at start (OMP_NUM_THREADS,
OPENBLAS_NUM_THREADS, which process pools set for their workers) change a layout even under the
same runtime limits. And it runs none of the caller's script, as multiprocessing's spawn would.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from analysis.topics.clustering import laid_out, layouts_path


def main(argv: list[str]) -> int:
    job_path = Path(argv[0])
    job = pickle.loads(job_path.read_bytes())
    layouts = pickle.dumps(laid_out(job), protocol=pickle.HIGHEST_PROTOCOL)
    layouts_path(job_path).write_bytes(layouts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
