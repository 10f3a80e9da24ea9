"""UMAP's numba code is compiled once and loaded from disk by every later process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: A fresh process lays out points as a build does and counts what numba compiled meanwhile (a few
#: tiny functions with explicit signatures compile when umap is imported, before any layout).
FRESH_PROCESS = """
import sys, warnings
warnings.simplefilter("ignore")
from numba.core.dispatcher import Dispatcher
from analysis.topics.clustering import NUMBA_PACKAGES as PACKAGES, cached_numba
from analysis.topics.compiled import warm
cached_numba()
def dispatchers():
    return [
        v for name, m in list(sys.modules.items()) if name.partition(".")[0] in PACKAGES and m
        for v in vars(m).values() if isinstance(v, Dispatcher)
    ]
def total(counts):
    return sum(sum(getattr(d, counts).values()) for d in dispatchers())
imported = total("_cache_misses")
warm()
print(total("_cache_misses") - imported, total("_cache_hits"))
"""


def fresh_process_compilations() -> tuple[int, int]:
    """Numba's cache misses and hits in a new process that lays out points."""
    out = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS], cwd=ROOT, capture_output=True, text=True, check=True
    )
    misses, hits = out.stdout.split()
    return int(misses), int(hits)


def test_a_process_after_the_install_step_compiles_nothing():
    subprocess.run([sys.executable, "-m", "analysis.topics.compiled"], cwd=ROOT, check=True)
    misses, hits = fresh_process_compilations()
    assert misses == 0
    assert hits > 10  # the layout's functions came from the disk cache
