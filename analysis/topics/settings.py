"""How topics are found: the settings of a build, and the quick ones of `build --fast`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class TopicSettings:
    """How topics are found; defaults chosen by measurement on labelled Indonesian news."""

    seed: int = 0
    reducer: str = "umap"  # umap | pca | none
    reduced_dimensions: int = 5
    umap_neighbors: int = 30
    layouts: int | None = None  # UMAP layouts side by side (None: 2 to 8, see n_layouts)
    #: auto (linkage up to 10,000 articles, else graph) | graph | linkage | hdbscan | kmeans |
    #: agglomerative
    clusterer: str = "auto"
    n_topics: int | None = None  # None: chosen from the corpus size (kmeans, agglomerative)
    min_topic_size: int | None = None  # None: chosen from the corpus size (hdbscan, linkage, graph)
    max_outlier_share: float = 0.05
    #: The reducer and clusterer are fitted on at most this many articles; the others join the
    #: nearest topic. Fitted whole (40,000 rather than 20,000), all of corpora/raw (31,585
    #: articles) gave NMI 0.317 against the Kompas sections instead of 0.291; the neighbour search
    #: that grows with the square of the sample is cheap enough since its tie-breaking embeddings
    #: and common words were narrowed above 10,000 articles (clustering.EXACT_SEARCH_POINTS).
    fit_sample: int = 40_000
    top_words: int = 10
    diversity: float = 0.3
    ngram_max: int = 2
    min_df: int = 3
    max_df: float = 0.3
    themes: tuple[int, int] = (8, 20)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready settings."""
        return asdict(self)


#: `build --fast`: PCA and k-means instead of UMAP and HDBSCAN (no numba compilation, a second to
#: cluster; PCA leaves no dense clumps for HDBSCAN to find).
FAST_TOPICS: dict[str, Any] = {"reducer": "pca", "reduced_dimensions": 10, "clusterer": "kmeans"}
