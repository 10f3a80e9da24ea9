"""`python -m analysis.topics.compiled`: compile UMAP's numba code once, at install.

UMAP and pynndescent mark few of their numba functions `cache=True`, so every fresh process spent
about 12 s compiling them before its first layout (a third of a 1,000-article build). The layouts
switch numba's disk cache on for all of them (clustering.cached_numba); this lays out a few hundred
random points as a build does, so that every later build loads the machine code instead.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from analysis.topics.clustering import cached_numba, cosine_neighbours, umap_layout

WARM_POINTS = 300


def warm() -> float:
    """Compile (or load) every function a build's layouts use; the seconds it took."""
    start = time.perf_counter()
    points = np.random.default_rng(0).normal(size=(WARM_POINTS, 16)).astype(np.float32)
    umap_layout(points, 5, cosine_neighbours(points, 10), seed=0)
    return time.perf_counter() - start


def main() -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seconds = warm()
    print(f"UMAP compiled and cached ({cached_numba()} functions) in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
