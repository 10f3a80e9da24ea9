"""UMAP's numba code compiled once per install, not once per process.

UMAP and pynndescent mark few of their numba functions `cache=True`, so every fresh process spent
about 12 s compiling them before its first layout (a third of a 1,000-article build).
`cached_numba()` switches numba's on-disk cache on for every compiled function of those packages
before anything is compiled; `python -m analysis.topics.compiled` (run by `make install`) lays out a
few hundred random points, so that builds load the machine code instead of compiling it.
"""

from __future__ import annotations

import sys
import time
import warnings
from functools import cache

PACKAGES = ("umap", "pynndescent")
WARM_POINTS = 300


@cache
def cached_numba() -> int:
    """Turn numba's disk cache on for UMAP's and pynndescent's compiled functions; how many."""
    import umap  # noqa: F401  (imports pynndescent and every module it compiles)
    from numba.core.dispatcher import Dispatcher

    switched = 0
    for name, module in list(sys.modules.items()):
        if name.partition(".")[0] not in PACKAGES or module is None:
            continue
        for value in vars(module).values():
            if isinstance(value, Dispatcher):
                try:
                    value.enable_caching()
                except RuntimeError:  # numba cannot locate a cache for it: compiled per process
                    continue
                switched += 1
    return switched


def warm() -> float:
    """Compile (or load) every function a build's layouts use; the seconds it took."""
    import numpy as np

    from analysis.topics.clustering import cosine_neighbours, umap_layout

    start = time.perf_counter()
    points = np.random.default_rng(0).normal(size=(WARM_POINTS, 16)).astype(np.float32)
    umap_layout(points, 5, cosine_neighbours(points, 10), seed=0)
    return time.perf_counter() - start


def main() -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        switched = cached_numba()
        seconds = warm()
    print(f"UMAP compiled and cached ({switched} functions) in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
