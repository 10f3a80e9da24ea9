"""Topics as clusters of article embeddings, and broad themes as clusters of topics.

A corpus of up to 10,000 articles is clustered by average linkage on its embeddings, each averaged
with its nearest neighbours; a fixed sample of a larger one as a graph of nearest neighbours, whose
communities Leiden finds. With the TF-IDF embedding, neighbours are found in the articles' words
before the SVD, which keeps the rare words that tell stories apart. Both cluster the embeddings
themselves and run no random draw that a seed moves; HDBSCAN on UMAP layouts side by side, and
k-means on PCA (`build --fast`), can be asked for. Every other article joins its nearest topic
centre unless it is farther than any member. This happens before BERTopic sees the documents, so
that BERTopic (`naming`) runs as a "manual" topic model that only describes the topics found here.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import numpy as np
from scipy import sparse

from analysis.topics.embeddings import l2_normalised, sample_rows
from analysis.topics.settings import TopicSettings

KMEANS_RESTARTS = 10  # cheap on reduced points; fewer made topics depend more on the seed
MIN_TOPIC_SIZE = 10
#: HDBSCAN leaving more than this share of the points as noise has met a diffuse layout, whose many
#: small density peaks move from seed to seed. It then smooths density over more neighbours (one per
#: DIFFUSE_POINTS_PER_NEIGHBOUR points) and keeps every topic below MAX_TOPIC_SHARE of the points
#: (smoothed density without that bound sometimes left just two halves).
DIFFUSE_NOISE_SHARE = 0.4
DIFFUSE_POINTS_PER_NEIGHBOUR = 500
MAX_TOPIC_SHARE = 0.2
#: A corpus of up to LINKAGE_POINTS articles is clustered by average linkage (clusterer "auto"):
#: each embedding averaged with its SMOOTHING_NEIGHBOURS nearest, the tree cut into
#: linkage_clusters() clusters, those under the smallest topic size left out. It has no random
#: draw, and it kept more of its topics than UMAP + HDBSCAN when a tenth of the articles was left
#: out (mean ARI of three pairs of 90% subsets on the topic suite's real corpora: 300 random full
#: bodies 0.19 -> 0.56, 669 Okezone bodies 0.55 -> 0.79, 707 Detik 0.72 -> 0.78, 892 Liputan6 0.76
#: -> 0.81, 998 fact-checks 0.71 -> 0.73, 2,268 full bodies 0.82 -> 0.83, 2,500 Kompas headlines
#: 0.54 -> 0.63) at about the same NMI against their desks (mean of six fits: 0.353 -> 0.446,
#: 0.461 -> 0.475, 0.519 -> 0.510, 0.593 -> 0.595, 0.345 -> 0.332, 0.541 -> 0.548, 0.259 ->
#: 0.263), in a second instead of 4-17. The worst NMI lost with 10 or 30 neighbours was 0.015
#: and 0.029 (0.013 with 20), with none 0.019, cutting at 2 or 4 times the count 0.017 and 0.019.
#: Up to 10,000 articles, cut as linkage_clusters() says, it matched the layouts in a half to a
#: seventh of the time (mean NMI of three seeds, layouts -> linkage, headlines · fact-checks · full
#: bodies where scored: 10,000 Kompas headlines 0.255 -> 0.252, 10,000 of all of corpora/raw
#: 0.261 · 0.399 · 0.591 -> 0.262 · 0.407 · 0.587, 7,500 of it 0.269 · 0.413 · 0.612 -> 0.267 ·
#: 0.414 · 0.617) and kept more of its topics on 90% subsets (0.79 -> 0.83 on the 10,000
#: headlines). Its distances grow with the square of the corpus: 800 MB at 10,000.
LINKAGE_POINTS = 10_000
SMOOTHING_NEIGHBOURS = 20
LINKAGE_CUT = 3
LINKAGE_MEAN_SIZE = 20
#: A fit sample of more than LINKAGE_POINTS articles is clustered as a graph (clusterer "auto"):
#: each article linked to its GRAPH_NEIGHBOURS nearest (see shared_neighbours), each link weighted
#: by the pair's cosine, and Leiden's communities under the constant Potts model, whose resolution
#: is the weight of links a community must hold per pair of its members, whatever the corpus's size
#: (a fixed seed: the same topics from every build seed). Unweighted links (resolution 0.036) had
#: done as well on the SVD embeddings; on the words, where a link may rest on one shared word,
#: weights lifted the 27,451 Kompas headlines from 0.277 to 0.287 NMI and, fitted with everything
#: else, the headlines and full bodies from 0.283 and 0.582 to 0.292 and 0.589 (fact-checks 0.337
#: -> 0.322). Resolution 0.007 traded the fact-checks (0.348) against the headlines (0.282 alone,
#: 0.290 with everything), 0.012 and 0.015 did worse on all three; 0.01 leaves the most over
#: vanilla BERTopic on the row with the least. Before the words, against HDBSCAN on two UMAP
#: layouts of the 20,000-article sample (mean of three seeds: NMI; seed ARI; ARI of three pairs
#: of builds on different 90% subsets): Kompas headlines 0.251 -> 0.250; 0.84 -> 1.00; 0.54 ->
#: 0.61; everything, headlines · fact-checks · full bodies: 0.266 · 0.342 · 0.547 -> 0.263 ·
#: 0.332 · 0.552; 0.85 · 0.92 · 0.94 -> 1.00; 0.54 · 0.77 · 0.76 -> 0.61 · 0.74 · 0.80. Up to
#: 10,000 articles linkage did better (fact-checks 0.330 against 0.321, full bodies 0.545 against
#: 0.535).
GRAPH_NEIGHBOURS = 15
GRAPH_RESOLUTION = 0.01
GRAPH_SEED = 0
#: Clusterers that cluster the embeddings themselves: UMAP only draws the map of the articles.
EMBEDDING_CLUSTERERS = ("linkage", "graph")
#: Points laid out by UMAP per build (HDBSCAN): two layouts of 20,000 articles, sixteen of 2,500 or fewer.
UMAP_POINTS = 40_000
#: The packages whose numba code cached_numba() keeps on disk.
NUMBA_PACKAGES = ("umap", "pynndescent")
#: Sixteen rather than eight layouts steadied the small corpora of the topic suite: 669 Okezone
#: bodies' seeds agreed at ARI 0.86 instead of 0.75 (six seeds; NMI 0.470 -> 0.459), 300 random
#: bodies' at 0.69 instead of 0.64 (NMI 0.407 -> 0.412), the fact-checks' at 0.90 instead of 0.84
#: (three seeds; NMI 0.333 -> 0.335); 32 did no better (Okezone 0.77).
MAX_LAYOUTS = 16
#: Layouts are shared out between processes (the build's own and fresh ones, one a core) where each
#: process lays out at least this many points: about 5 CPU s of UMAP's epochs, against about 3 s
#: for a fresh process to import UMAP and load its compiled code.
PROCESS_POINTS = 10_000
#: The map of a build that clusters the embeddings themselves is laid out by a fresh process while
#: the build clusters, assigns and describes, where it has this many points or more and a core to
#: spare: 4,500 points took 4.7 s of the build's own time to lay out, against about 3 s of the
#: other core for a fresh process to import UMAP and load its compiled code.
MAP_ASIDE_POINTS = 2_000
#: UMAP's own choice above 10,000 points. Its 500 below cost a 9,000-article build 26 s more and made
#: topics no steadier (1,000 fact-checks with e5: mean ARI over 15 seed pairs 0.795 with 500, 0.779).
UMAP_EPOCHS = 200
NEIGHBOUR_CHUNK = 512  # rows of similarities at a time: 512 x 20,000 floats, 41 MB
#: A build guards itself against a collapse: a topic of more than MAX_TOPIC_SHARE of the clustered
#: articles is split by k-means on its members' embeddings into half as many parts as its share of
#: the corpus's expected topic count (finer splits cost 669 Okezone articles NMI 0.512 -> 0.448 and
#: seed ARI 0.77 -> 0.65), and so is the largest topic while a corpus of MIN_TOPICS_CORPUS or
#: more articles has fewer than MIN_TOPICS topics. Long bodies embedded diffusely left HDBSCAN one
#: topic of 96% of 2,268 articles (NMI against their desks 0.06); split, 16 topics at 0.38.
MIN_TOPICS = 5
SPLIT_SHARE = 0.5
MIN_TOPICS_CORPUS = 300
MAX_SPLITS = 16
#: A split's k-means starts from this seed, not the build's: the parts of a collapsed topic depend
#: on its members alone. Seeded by the build, two seeds' splits of the same 669 Okezone bodies agreed
#: at ARI 0.69 (three seeds), 0.77 with one start; 600 random full bodies, 0.59 -> 0.83 (three
#: subsets, NMI within 0.004 everywhere).
SPLIT_SEED = 0


def default_n_topics(n_docs: int) -> int:
    """Topic count for a corpus: grows with the square root of its size (2 to 300)."""
    return int(np.clip(round(np.sqrt(n_docs) / 1.5), 2, 300))


def default_min_topic_size(n_docs: int) -> int:
    """Smallest HDBSCAN cluster for n_docs clustered articles: 10 (BERTopic's min_topic_size), less
    below 200 articles (5% of them, at least 2)."""
    return int(np.clip(n_docs // 20, 2, MIN_TOPIC_SIZE))


def fit_rows(n_docs: int, settings: TopicSettings) -> np.ndarray:
    """Which rows the reducer and clusterer are fitted on: all, or a fixed sample, in order."""
    return sample_rows(n_docs, settings.fit_sample)


def chosen_clusterer(n_points: int, settings: TopicSettings) -> str:
    """The clusterer of a fit of n_points: as set, or for "auto" average linkage up to
    LINKAGE_POINTS and the graph of nearest neighbours above."""
    if settings.clusterer != "auto":
        return settings.clusterer
    return "linkage" if n_points <= LINKAGE_POINTS else "graph"


def neighbour_means(embeddings: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """Each unit-length row averaged with its nearest rows (indices: each row's, itself among
    them), unit length: an article's few shared words count for less than those of its
    neighbourhood."""
    return l2_normalised(embeddings[indices].mean(axis=1))


#: A row's nearest rows and their cosine distances (cosine_neighbours), nearest first.
Neighbours = tuple[np.ndarray, np.ndarray]


def nearest_few(neighbours: Neighbours, k: int) -> Neighbours:
    """The k nearest of each row's neighbours."""
    indices, distances = neighbours
    return indices[:, :k], distances[:, :k]


def shared_neighbours(
    sample: np.ndarray, settings: TopicSettings, words: sparse.csr_matrix | None = None
) -> Neighbours | None:
    """The one neighbour search that UMAP, linkage's neighbour means and the graph read (None
    where none needs one): as many as the largest of them asks for.

    words: the sample's TF-IDF rows of words (embeddings.word_rows), searched instead of its
    embeddings; a row without a word of the vocabulary keeps its neighbours by embedding. An SVD
    of a few hundred dimensions keeps the words many articles share and loses the rarer ones that
    tell their stories apart, so headlines that shared one common word ("pria", "persen", "2018")
    were each other's nearest and became topics; the words themselves keep every word. Mean NMI of
    three seeds in the topic suite, embedding -> words (with the graph's weighted links):
    fact-checks 0.328 -> 0.356, 27,451 Kompas headlines 0.250 -> 0.284, full bodies 0.540 ->
    0.547, everything fitted together (headlines · fact-checks · full bodies) 0.263 · 0.332 · 0.552
    -> 0.291 · 0.328 · 0.578; Liputan6 0.601 -> 0.594. The char n-grams of the embedding did worse
    (on cached embeddings, fact-checks 0.345 and Okezone 0.478 against 0.358 and 0.509).
    """
    wanted = [settings.umap_neighbors] if settings.reducer == "umap" else []
    if settings.clusterer == "graph":
        wanted.append(GRAPH_NEIGHBOURS + 1)
    if settings.clusterer == "linkage":
        wanted.append(SMOOTHING_NEIGHBOURS)
    if not wanted or len(sample) < 3:
        return None
    k = min(max(wanted), len(sample) - 1)
    if words is None:
        return cosine_neighbours(sample, k)
    space = WordSpace.of(words, sample, narrow=len(sample) > EXACT_SEARCH_POINTS)
    indices, distances = cosine_neighbours(space, k)
    wordless = np.flatnonzero(words.getnnz(axis=1) == 0)
    if len(wordless):
        indices[wordless], distances[wordless] = cosine_neighbours(sample, k, wordless)
    return indices, distances


def reduced(
    embeddings: np.ndarray,
    settings: TopicSettings,
    neighbours: Neighbours | None = None,
    aside: LayoutProcess | None = None,
) -> Callable[[], np.ndarray]:
    """Embeddings reduced for clustering, deterministic for a seed, on asking: UMAP layouts side by
    side (each standardised), PCA, or unchanged. Linkage and the graph cluster the embeddings
    themselves: for them, one 2-D reduction, the map of the articles, which the process `aside`
    lays out while the build goes on, where one was started (see map_process)."""
    if settings.clusterer in EMBEDDING_CLUSTERERS:
        settings = replace(settings, reduced_dimensions=2, layouts=1)
    n_components = min(settings.reduced_dimensions, embeddings.shape[1], len(embeddings) - 2)
    if settings.reducer == "none" or n_components < 2:
        return ready(embeddings)
    if settings.reducer == "pca":
        from sklearn.decomposition import PCA

        points = PCA(n_components=n_components, random_state=settings.seed)
        return ready(points.fit_transform(embeddings))
    k = min(settings.umap_neighbors, len(embeddings) - 1)
    neighbours = nearest_few(neighbours, k) if neighbours else cosine_neighbours(embeddings, k)
    seeds = layout_seeds(settings, n_layouts(len(embeddings), settings))
    if aside is not None:
        aside.send(LayoutJob.of(embeddings, n_components, neighbours, seeds))
        return cache(lambda: side_by_side(aside.layouts()))
    return ready(side_by_side(shared_out_layouts(embeddings, n_components, neighbours, seeds)))


def ready(points: np.ndarray) -> Callable[[], np.ndarray]:
    """Points already reduced, on asking."""
    return lambda: points


def side_by_side(layouts: list[np.ndarray]) -> np.ndarray:
    """Layouts side by side, each standardised."""
    return np.hstack([(layout - layout.mean(axis=0)) / (layout.std() or 1.0) for layout in layouts])


def maps_aside(n_points: int) -> bool:
    """Whether the map of n_points is laid out by a fresh process while the build goes on."""
    return usable_cores() > 1 and n_points >= MAP_ASIDE_POINTS


def map_process(n_points: int, settings: TopicSettings) -> LayoutProcess | None:
    """A fresh process started now to lay out the map of n_points (see reduced), where the
    clusterer needs no other reduction and it is laid out aside: it loads UMAP's compiled code
    while this one finds the neighbours the map is laid out on."""
    aside = settings.clusterer in EMBEDDING_CLUSTERERS and settings.reducer == "umap"
    return LayoutProcess.started() if aside and maps_aside(n_points) else None


def n_layouts(n_points: int, settings: TopicSettings) -> int:
    """How many UMAP layouts to cluster side by side: as set, or as many as UMAP_POINTS allows.

    Clusters of several layouts follow the shape they share rather than one run's accidents. The
    ARI between two seeds' topics (HDBSCAN) rose from one layout to two from 0.90 to 0.93 on 27,458
    Kompas headlines (tfidf, 2 seed pairs); on 1,000 fact-checks, from two layouts to eight, from
    0.83 to 0.88 with tfidf and 0.67 to 0.78 with e5 (means over 15 seed pairs; 0.91 and 0.82 once
    the layouts shared one exact neighbour search); on 669 Okezone bodies, from eight to sixteen,
    from 0.75 to 0.86 (six seeds).
    """
    return settings.layouts or int(np.clip(UMAP_POINTS // max(n_points, 1), 2, MAX_LAYOUTS))


def layout_seeds(settings: TopicSettings, count: int) -> list[int]:
    """The UMAP seeds of count layouts: consecutive per seed, so that two seeds share no layout."""
    return [settings.seed * count + i for i in range(count)]


def usable_cores() -> int:
    """How many cores this process may run on."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return cores or 1


def layout_processes(n_points: int, n_layouts: int) -> int:
    """How many processes lay out n_layouts of n_points: one a core, each with PROCESS_POINTS or
    more to lay out."""
    return max(1, min(usable_cores(), n_layouts, n_points * n_layouts // PROCESS_POINTS))


def shared_out_layouts(
    embeddings: np.ndarray,
    n_components: int,
    neighbours: tuple[np.ndarray, np.ndarray],
    seeds: list[int],
) -> list[np.ndarray]:
    """The UMAP layout of each seed, in order, shared out between this process and fresh ones (see
    layout_processes and analysis.topics.layout_process): each is bit for bit the layout this
    process alone makes (a test checks it; the epochs are single-threaded because UMAP's parallel
    epochs depend on timing)."""
    count = layout_processes(len(embeddings), len(seeds))
    if count == 1:
        return layouts_of_seeds(embeddings, n_components, neighbours, seeds)
    shares = [[int(seed) for seed in share] for share in np.array_split(seeds, count)]
    others = [LayoutProcess.started() for _ in shares[1:]]
    for other, share in zip(others, shares[1:], strict=True):
        other.send(LayoutJob.of(embeddings, n_components, neighbours, share))
    own = layouts_of_seeds(embeddings, n_components, neighbours, shares[0])
    return own + [layout for other in others for layout in other.layouts()]


@dataclass(frozen=True)
class LayoutJob:
    """The layouts of some seeds of one sample, and the thread limits of the process that asks."""

    embeddings: np.ndarray
    n_components: int
    neighbours: tuple[np.ndarray, np.ndarray]
    seeds: list[int]
    thread_limits: dict[str, int]

    @classmethod
    def of(
        cls,
        embeddings: np.ndarray,
        n_components: int,
        neighbours: tuple[np.ndarray, np.ndarray],
        seeds: list[int],
    ) -> LayoutJob:
        """The job, under this process's thread limits."""
        from threadpoolctl import threadpool_info

        limits = {library["prefix"]: library["num_threads"] for library in threadpool_info()}
        return cls(embeddings, n_components, neighbours, seeds, limits)


class LayoutProcess:
    """A fresh interpreter laying out UMAP layouts (analysis.topics.layout_process) with this
    process's environment: started at once, sent its job when there is one, read when it ends."""

    def __init__(self, process: subprocess.Popen, folder: tempfile.TemporaryDirectory) -> None:
        self.process = process
        self.folder = folder

    @classmethod
    def started(cls) -> LayoutProcess:
        """A process that loads UMAP's compiled code now, then waits for its job."""
        folder = tempfile.TemporaryDirectory(prefix="sorotan-layouts-")
        root = str(Path(__file__).resolve().parents[2])  # where `analysis` is imported from
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
        }
        command = [sys.executable, "-m", "analysis.topics.layout_process", folder.name]
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        return cls(process, folder)

    def send(self, job: LayoutJob) -> None:
        """Hand the process its job: written beside it, then its input closed."""
        written = job_path(Path(self.folder.name))
        partial = written.with_suffix(".partial")
        partial.write_bytes(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(written)
        self.process.stdin.close()  # nothing was written to it: closing it is the signal

    def layouts(self) -> list[np.ndarray]:
        """The job's layouts, in the order of its seeds, once the process ends (read once): bit
        for bit those this process would make."""
        with self.folder:
            err = self.process.stderr.read()
            if self.process.wait() != 0:
                message = err.decode(errors="replace")[-2000:]
                raise RuntimeError(f"a layout process failed: {message}")
            return pickle.loads(layouts_path(Path(self.folder.name)).read_bytes())


def job_path(folder: Path) -> Path:
    """Where a layout process finds its job (see LayoutProcess)."""
    return folder / "job.pickle"


def layouts_path(folder: Path) -> Path:
    """Where a layout process writes its layouts."""
    return folder / "layouts.pickle"


def laid_out(job: LayoutJob) -> list[np.ndarray]:
    """The job's layouts, in the order of its seeds, under its thread limits."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=job.thread_limits):
        return layouts_of_seeds(job.embeddings, job.n_components, job.neighbours, job.seeds)


def layouts_of_seeds(
    embeddings: np.ndarray,
    n_components: int,
    neighbours: tuple[np.ndarray, np.ndarray],
    seeds: list[int],
) -> list[np.ndarray]:
    """The UMAP layout of each seed, in this process, solving the graph's spectral start once."""
    with spectral_starts_shared():
        return [umap_layout(embeddings, n_components, neighbours, seed) for seed in seeds]


#: Sparse word rows tie often (titles sharing one word and nothing else): TIE_BREAK times the
#: cosine of the same articles' embeddings is added to the words' cosine, so that of two articles as
#: near by their words the nearer by embedding comes first, whatever the order of a sum's last bits.
#: Without it, NMI moved by up to 0.02 with the order the rows' words were summed in. Above
#: EXACT_SEARCH_POINTS articles only the embeddings' first TIE_DIMENSIONS coordinates (the SVD's
#: strongest) break ties: all 512 made the search of all of corpora/raw (31,585 articles) take 32 s
#: instead of 12.5 s, with 99.8% of each article's 16 nearest the same.
TIE_BREAK = 0.001
TIE_DIMENSIONS = 64
#: Words in more than this share of the rows are multiplied as dense columns: a sparse product
#: costs the square of each word's rows, a dense one the square of all rows once, so common words
#: are cheaper dense. On 20,000 synthetic articles written from templates (300 words each) the
#: search took 98 s all sparse, 33 s with the words in over 5% of them dense (without the ties'
#: embeddings) and 12 s on the embeddings alone, one session at load average 2-5.
DENSE_WORD_SHARE = 0.05
#: Above EXACT_SEARCH_POINTS articles the common words are multiplied on their first
#: COMMON_DIMENSIONS principal axes: exactly where there are no more of them (real news: 5 words in
#: over 5% of all of corpora/raw), nearly where there are (40,000 synthetic articles written from
#: templates: 1,340 words, whose search took 120 s in 1,852 dense columns and 72 s in 192, 45 s
#: with its chunks on both cores).
COMMON_DIMENSIONS = 128
#: Up to this many articles the search is exact, every common word and every coordinate of the
#: embeddings (the search is cheap there): narrowed, the ties of the topic suite's small corpora
#: fell otherwise and their NMI moved by up to 0.023 either way (fact-checks 0.362 -> 0.350,
#: Liputan6 0.624 -> 0.613, Okezone 0.491 -> 0.514).
EXACT_SEARCH_POINTS = 10_000


def principal_axes(columns: sparse.csr_matrix, count: int) -> np.ndarray:
    """The first count principal axes (unit columns, strongest first) of the rows of columns."""
    gram = (columns.T @ columns).toarray().astype(np.float64)
    values, vectors = np.linalg.eigh(gram)
    return vectors[:, np.argsort(values)[::-1][:count]]


def narrowed_columns(columns: sparse.csr_matrix) -> np.ndarray:
    """Dense columns whose rows have nearly the same cosines as those of columns: on their first
    COMMON_DIMENSIONS principal axes (exactly where there are no more columns)."""
    if columns.shape[1] <= COMMON_DIMENSIONS:
        return columns.toarray()
    return np.asarray(columns @ principal_axes(columns, COMMON_DIMENSIONS))


@dataclass(frozen=True)
class WordSpace:
    """Articles' word rows (unit length) and embeddings, for the cosine of their words plus
    TIE_BREAK times that of their embeddings: the rare words as sparse rows, the common ones (see
    DENSE_WORD_SHARE) and the embeddings scaled by the square root of TIE_BREAK side by side as
    dense rows."""

    rare: sparse.csr_matrix
    rare_columns: sparse.csr_matrix  # rare, transposed
    dense: np.ndarray

    @classmethod
    def of(
        cls, words: sparse.csr_matrix, embeddings: np.ndarray, narrow: bool = False
    ) -> WordSpace:
        """The word space of word rows and the same articles' embeddings; narrow: the common
        words on COMMON_DIMENSIONS axes and the embeddings' first TIE_DIMENSIONS coordinates."""
        rows = np.bincount(words.indices, minlength=words.shape[1])
        common = rows > DENSE_WORD_SHARE * words.shape[0]
        rare = words[:, np.flatnonzero(~common)].tocsr()
        common_words = words[:, np.flatnonzero(common)]
        if narrow:
            common_words, embeddings = (
                narrowed_columns(common_words),
                embeddings[:, :TIE_DIMENSIONS],
            )
        else:
            common_words = common_words.toarray()
        dense = np.hstack([common_words, np.sqrt(TIE_BREAK) * embeddings])
        return cls(rare, rare.T.tocsr(), dense.astype(np.float32))

    def __len__(self) -> int:
        return self.rare.shape[0]

    def similarity(self, rows: np.ndarray) -> np.ndarray:
        """The similarities of the articles at rows to every article, one row each."""
        return (self.rare[rows] @ self.rare_columns).toarray() + self.dense[rows] @ self.dense.T


def nearest_in_chunk(
    rows: np.ndarray | WordSpace, k: int, chunk: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The k nearest rows of each row at chunk by cosine and their cosine distances, nearest
    first."""
    similarity = rows.similarity(chunk) if isinstance(rows, WordSpace) else rows[chunk] @ rows.T
    top = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
    top_similarity = np.take_along_axis(similarity, top, axis=1)
    order = np.argsort(-top_similarity, axis=1, kind="stable")
    distances = np.maximum(0.0, 1.0 - np.take_along_axis(top_similarity, order, axis=1))
    return np.take_along_axis(top, order, axis=1), distances


def cosine_neighbours(
    rows: np.ndarray | WordSpace, k: int, queries: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The exact k nearest rows of each unit-length row (of the rows at queries only, if given)
    by cosine, itself among them, and their cosine distances, nearest first.

    The chunks run on every usable core (their products and selections release the interpreter):
    20 chunks of 40,000 synthetic articles took 8.3 s instead of 15.2 s on two cores.
    """
    queries = np.arange(len(rows)) if queries is None else queries
    chunks = [
        queries[start : start + NEIGHBOUR_CHUNK]
        for start in range(0, len(queries), NEIGHBOUR_CHUNK)
    ]
    with ThreadPoolExecutor(min(usable_cores(), len(chunks) or 1)) as pool:
        nearest = list(pool.map(lambda chunk: nearest_in_chunk(rows, k, chunk), chunks))
    if not nearest:
        return np.empty((0, k), dtype=np.int32), np.empty((0, k), dtype=np.float32)
    indices, distances = zip(*nearest, strict=True)
    return np.vstack(indices).astype(np.int32), np.vstack(distances).astype(np.float32)


#: Graphs UMAP may start with the ARPACK solver (umap.spectral chooses LOBPCG from this size on,
#: which starts from the random draw).
ARPACK_VERTICES = 2_000_000


def graph_key(graph, dim: int, options: dict) -> str:
    """A digest of a sparse graph, the layout's dimensions and the solver's options."""
    coo = graph.tocoo()
    digest = hashlib.blake2b(repr((coo.shape, dim, sorted(options.items()))).encode())
    for array in (coo.row, coo.col, coo.data):
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def shared_spectral(original: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """umap.spectral._spectral_layout, each result reused for the same graph, dimensions and options
    as long as the only randomness it spent was its start draw (see spectral_starts_shared)."""
    found: dict[str, np.ndarray] = {}

    def layout(data, graph, dim, random_state, **options) -> np.ndarray:
        deterministic = (
            isinstance(random_state, np.random.RandomState)
            and options.get("init", "random") == "random"
            and not options.get("method")
            and graph.shape[0] < ARPACK_VERTICES
        )
        if not deterministic:
            return original(data, graph, dim, random_state, **options)
        key = graph_key(graph, dim, options)
        draw = (graph.shape[0], dim + 1)  # the solver's start, drawn before ARPACK ignores it
        if key in found:
            random_state.normal(size=draw)
            return found[key].copy()
        expected = np.random.RandomState()
        expected.set_state(random_state.get_state())
        expected.normal(size=draw)
        result = original(data, graph, dim, random_state, **options)
        if same_state(expected, random_state):  # no fallback start, no random component layout
            found[key] = result.copy()
        return result

    return layout


def same_state(first: np.random.RandomState, second: np.random.RandomState) -> bool:
    """Whether two random states will draw the same numbers."""
    a, b = first.get_state(legacy=False), second.get_state(legacy=False)
    return (
        a["state"]["pos"] == b["state"]["pos"]
        and np.array_equal(a["state"]["key"], b["state"]["key"])
        and a["has_gauss"] == b["has_gauss"]
        and a["gauss"] == b["gauss"]
    )


@contextmanager
def spectral_starts_shared() -> Iterator[None]:
    """While the block runs, UMAP computes the spectral start of each graph (or connected component)
    once, however many layouts start from it.

    Layouts of one sample share their neighbour graph, and UMAP's spectral start of a graph is
    ARPACK's eigenvectors from a fixed start vector (v0 of ones): the same whatever the layout's
    seed, which moves only the random draw UMAP makes before the solver (and then ignores) and the
    noise added after it. A result is reused only where that draw was all the randomness the call
    spent (not where a component was laid out at random, nor after a failed solve), and a reuse
    makes the same draw, so every layout is bit for bit what UMAP alone gives (a test checks it).
    On 20,000 articles of a 100,000-article corpus, the components' eigenvectors took 67 s of each
    of its two layouts on 2 busy cores.
    """
    import umap.spectral

    original = umap.spectral._spectral_layout
    umap.spectral._spectral_layout = shared_spectral(original)
    try:
        yield
    finally:
        umap.spectral._spectral_layout = original


@cache
def cached_numba() -> int:
    """Turn numba's disk cache on for UMAP's and pynndescent's compiled functions; how many.

    They mark few of their functions `cache=True`, so every fresh process spent about 12 s
    compiling them before its first layout; `python -m analysis.topics.compiled` (run at install)
    compiles them once for every later process.
    """
    import umap  # noqa: F401  (imports pynndescent and every module it compiles)
    from numba.core.dispatcher import Dispatcher

    switched = 0
    for name, module in list(sys.modules.items()):
        if name.partition(".")[0] not in NUMBA_PACKAGES or module is None:
            continue
        for value in vars(module).values():
            if isinstance(value, Dispatcher):
                try:
                    value.enable_caching()
                except RuntimeError:  # numba cannot locate a cache for it: compiled per process
                    continue
                switched += 1
    return switched


def umap_layout(
    embeddings: np.ndarray,
    n_components: int,
    neighbours: tuple[np.ndarray, np.ndarray],
    seed: int,
) -> np.ndarray:
    """One UMAP layout of the embeddings for clustering (cosine, clumped: min_dist 0) on given
    nearest neighbours."""
    import warnings

    from umap import UMAP

    cached_numba()
    indices, distances = neighbours
    model = UMAP(
        n_neighbors=indices.shape[1],
        precomputed_knn=(indices, distances, None),
        n_components=n_components,
        min_dist=0.0,
        metric="cosine",
        n_epochs=UMAP_EPOCHS,
        random_state=seed,
        n_jobs=1,
    )
    with warnings.catch_warnings():  # no search index: layouts never transform new articles
        warnings.filterwarnings("ignore", message="precomputed_knn", category=UserWarning)
        return model.fit_transform(embeddings)


def warm_centres(points: np.ndarray, prior: np.ndarray, k: int, seed: int) -> np.ndarray | None:
    """K-means starting centres: the previous topics' centres, topped up by k-means++ sampling.

    prior holds each point's previous topic (-1 for articles the previous build did not have).
    None when no previous topic has members here.
    """
    known, counts = np.unique(prior[prior >= 0], return_counts=True)
    if not len(known):
        return None
    largest = np.sort(known[np.argsort(-counts, kind="stable")][:k])
    centres = [points[prior == t].mean(axis=0) for t in largest]
    rng = np.random.default_rng(seed)
    nearest_sq = np.min(((points[:, None, :] - np.array(centres)[None]) ** 2).sum(-1), axis=1)
    while len(centres) < k:
        pick = (
            rng.choice(len(points), p=nearest_sq / nearest_sq.sum()) if nearest_sq.sum() > 0 else 0
        )
        centres.append(points[pick])
        nearest_sq = np.minimum(nearest_sq, ((points - points[pick]) ** 2).sum(-1))
    return np.vstack(centres)


def hdbscan_labels(
    points: np.ndarray, min_size: int, min_samples: int | None = None, max_size: int = 0
) -> np.ndarray:
    """HDBSCAN's cluster of each row, -1 for noise (max_size 0: no largest cluster)."""
    from hdbscan import HDBSCAN

    model = HDBSCAN(min_cluster_size=min_size, min_samples=min_samples, max_cluster_size=max_size)
    return model.fit(points).labels_


def density_labels(points: np.ndarray, min_size: int) -> np.ndarray:
    """HDBSCAN clusters of the points; coarser ones where the layout is diffuse.

    27,458 Kompas headlines embedded by e5 leave half their layout as noise: 138 topics whose
    members two seeds mostly share (ARI 0.92) but whose other articles join different ones (mean
    ARI of all articles over 15 seed pairs 0.67). Density smoothed over 40 neighbours gives 50-55
    topics at 0.85 (lowest pair 0.80), NMI 0.242 -> 0.245. The same would cost clumpier layouts
    their fine topics (TF-IDF headlines, 15% noise: NMI 0.208 -> 0.188, below vanilla BERTopic's
    0.203), so it happens only where the fine peaks leave most of the layout as noise.
    """
    labels = hdbscan_labels(points, min_size)
    samples = len(points) // DIFFUSE_POINTS_PER_NEIGHBOUR
    if (labels < 0).mean() <= DIFFUSE_NOISE_SHARE or samples <= min_size:
        return labels
    return hdbscan_labels(points, min_size, samples, max_size=int(MAX_TOPIC_SHARE * len(points)))


def linkage_clusters(n_points: int) -> int:
    """Into how many clusters linkage cuts the tree of n_points: LINKAGE_CUT times
    default_n_topics, and from 1,580 points one per LINKAGE_MEAN_SIZE of them.

    Headlines hold many small stories, which 2√n clusters merged: on 5,000 Kompas headlines the cut
    into 141 gave NMI 0.252 against the layouts' 0.266, into 250 0.269 (mean of three seeds). The
    same three ways, headlines · fact-checks · full bodies where scored: 5,000 of all of
    corpora/raw 0.272 · 0.438 · 0.642 -> 0.254 · 0.449 · 0.622 -> 0.269 · 0.438 · 0.651, 3,500 of
    it 0.274 · 0.501 · 0.668 -> 0.265 · 0.492 · 0.649 -> 0.274 · 0.503 · 0.652, 2,500 headlines
    0.259 -> 0.264 -> 0.270, the 2,268 full bodies 0.541 -> 0.547 -> 0.545.
    """
    return min(
        n_points, max(LINKAGE_CUT * default_n_topics(n_points), n_points // LINKAGE_MEAN_SIZE)
    )


def condensed_distances(points: np.ndarray) -> np.ndarray:
    """The cosine distances of every pair of unit-length rows (i < j, row by row, as scipy's
    condensed matrices hold them), in float64, computed NEIGHBOUR_CHUNK rows at a time."""
    n = len(points)
    distances = np.empty(n * (n - 1) // 2)
    at = 0
    for start in range(0, n, NEIGHBOUR_CHUNK):
        block = 1.0 - points[start : start + NEIGHBOUR_CHUNK] @ points[start:].T
        for offset, row in enumerate(block):
            pairs = row[offset + 1 :]
            distances[at : at + len(pairs)] = pairs
            at += len(pairs)
    return np.maximum(distances, 0.0, out=distances)


def average_linkage_labels(points: np.ndarray, count: int) -> np.ndarray:
    """The cluster (0..count-1) of each unit-length row: average linkage on cosine distance, the
    tree cut into count. The same clusters as scikit-learn's AgglomerativeClustering in less than
    half the time and memory (9,000 articles: 3.2 s against 7.9 s), from one matrix of distances."""
    from scipy.cluster.hierarchy import fcluster, linkage

    return fcluster(linkage(condensed_distances(points), "average"), count, "maxclust") - 1


def linkage_labels(
    embeddings: np.ndarray, min_size: int, neighbours: Neighbours | None = None
) -> np.ndarray:
    """Topics by average linkage (see LINKAGE_POINTS): clusters of the neighbour means by cosine,
    the tree cut into linkage_clusters(), those under min_size -1, and the pieces of one subject
    put together again (distinct_labels). neighbours: the rows' nearest, if found already
    (SMOOTHING_NEIGHBOURS or more)."""
    k = min(SMOOTHING_NEIGHBOURS, len(embeddings))
    indices = (nearest_few(neighbours, k) if neighbours else cosine_neighbours(embeddings, k))[0]
    means = neighbour_means(embeddings, indices)
    raw = average_linkage_labels(means, linkage_clusters(len(embeddings)))
    return distinct_labels(embeddings, np.where(np.bincount(raw)[raw] >= min_size, raw, -1))


def neighbour_links(neighbours: Neighbours, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each pair of rows (i < j, once) where one is among the other's k nearest, from each row's
    nearest rows (cosine_neighbours, itself among them), and the pair's cosine similarity."""
    indices, distances = neighbours
    n = len(indices)
    others = indices != np.arange(n)[:, None]
    others &= np.cumsum(others, axis=1) <= k  # the k nearest other rows, wherever itself stands
    first = np.broadcast_to(np.arange(n)[:, None], indices.shape)[others]
    second = indices[others]
    pairs = np.column_stack([np.minimum(first, second), np.maximum(first, second)])
    pairs, at = np.unique(pairs, axis=0, return_index=True)
    return pairs, np.maximum(0.0, 1.0 - distances[others][at])


def graph_labels(
    embeddings: np.ndarray, min_size: int, neighbours: Neighbours | None = None
) -> np.ndarray:
    """Topics as communities of the nearest-neighbour graph (see GRAPH_RESOLUTION): Leiden under
    the constant Potts model, communities under min_size -1. neighbours: the rows' nearest, if
    found already (GRAPH_NEIGHBOURS + 1 or more)."""
    import igraph
    import leidenalg

    k = min(GRAPH_NEIGHBOURS + 1, len(embeddings))
    nearest_k = nearest_few(neighbours, k) if neighbours else cosine_neighbours(embeddings, k)
    links, similarity = neighbour_links(nearest_k, GRAPH_NEIGHBOURS)
    graph = igraph.Graph(n=len(embeddings), edges=links, edge_attrs={"weight": similarity})
    communities = leidenalg.find_partition(
        graph,
        leidenalg.CPMVertexPartition,
        weights="weight",
        resolution_parameter=GRAPH_RESOLUTION,
        seed=GRAPH_SEED,
    )
    raw = np.asarray(communities.membership)
    return np.where(np.bincount(raw)[raw] >= min_size, raw, -1)


def numbered(labels: np.ndarray) -> np.ndarray:
    """Labels renumbered 0..k-1 in their order, -1 kept."""
    kept = np.unique(labels[labels >= 0])
    return np.where(labels >= 0, np.searchsorted(kept, labels), -1)


def distinct_labels(embeddings: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Labels (numbered) with every two clusters whose centres are closer to each other than
    half the members of either are to its own centre put together, the closest pair first.

    A cut of a fixed count splits a corpus of a few distinct subjects into pieces of each: five
    well-separated groups of 200 invented points became 37 clusters (ARI 0.23), 5 once put
    together (0.99). On the topic suite's seven real corpora no two clusters were that close.
    """
    labels = numbered(labels)
    while labels.max() >= 1:
        centres = centroids(embeddings, labels, labels.max() + 1)
        members = labels >= 0
        own = np.einsum("ij,ij->i", embeddings[members], centres[labels[members]])
        median = similarity_quantiles(own, labels[members], len(centres))[:, MEDIAN]
        closer = centres @ centres.T - np.minimum.outer(median, median)
        np.fill_diagonal(closer, -np.inf)
        first, second = np.unravel_index(np.argmax(closer), closer.shape)
        if closer[first, second] < 0:
            break
        labels = numbered(np.where(labels == second, first, labels))
    return labels


def cluster_labels(
    points: np.ndarray,
    settings: TopicSettings,
    n_docs: int,
    prior: np.ndarray | None = None,
    neighbours: Neighbours | None = None,
) -> np.ndarray:
    """One cluster per row (-1 for HDBSCAN's noise and the small clusters of linkage or the
    graph), as many as suit a corpus of n_docs.

    With k-means, prior (each row's topic in the previous build, -1 if none) warm-starts the
    centres so that a rebuild finds the same topics where the data still supports them.
    """
    n = len(points)
    n_topics = min(settings.n_topics or default_n_topics(n_docs), n)
    min_size = max(2, settings.min_topic_size or default_min_topic_size(n))
    if settings.clusterer == "hdbscan":
        return density_labels(points, min_size)
    if settings.clusterer == "linkage":
        return linkage_labels(points, min_size, neighbours)
    if settings.clusterer == "graph":
        return graph_labels(points, min_size, neighbours)
    if settings.clusterer == "agglomerative":
        from sklearn.cluster import AgglomerativeClustering

        return AgglomerativeClustering(n_clusters=n_topics, linkage="ward").fit(points).labels_
    from sklearn.cluster import KMeans

    init = warm_centres(points, prior, n_topics, settings.seed) if prior is not None else None
    if init is None:
        model = KMeans(n_clusters=n_topics, n_init=KMEANS_RESTARTS, random_state=settings.seed)
    else:
        model = KMeans(n_clusters=n_topics, init=init, n_init=1, random_state=settings.seed)
    return model.fit(points).labels_


def label_sums(embeddings: np.ndarray, labels: np.ndarray, n_labels: int) -> np.ndarray:
    """The sum of the embeddings of each label 0..n_labels-1 (rows labelled -1 left out)."""
    members = labels >= 0
    indicator = sparse.csr_matrix(
        (np.ones(members.sum()), (labels[members], np.flatnonzero(members))),
        shape=(n_labels, len(labels)),
    )
    return np.asarray(indicator @ embeddings)


def unit_rows(sums: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return (sums / np.where(norms > 0, norms, 1.0)).astype(np.float32)


def centroids(embeddings: np.ndarray, labels: np.ndarray, n_topics: int) -> np.ndarray:
    """The unit-length mean embedding of each label 0..n_topics-1."""
    return unit_rows(label_sums(embeddings, labels, n_topics))


def nearest(embeddings: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The nearest centre of each row by cosine, and that similarity."""
    similarity = embeddings @ centres.T
    best = similarity.argmax(axis=1)
    return best, similarity[np.arange(len(best)), best]


QUANTILE_LEVELS = np.linspace(0.0, 1.0, 21)
MEDIAN = 10  # QUANTILE_LEVELS[MEDIAN] == 0.5


def similarity_quantiles(similarity: np.ndarray, labels: np.ndarray, n_topics: int) -> np.ndarray:
    """Per topic, the quantiles of its core members' similarity to its centre (n_topics x 21)."""
    out = np.zeros((n_topics, len(QUANTILE_LEVELS)), dtype=np.float32)
    for topic in range(n_topics):
        values = similarity[labels == topic]
        out[topic] = np.quantile(values, QUANTILE_LEVELS) if len(values) else 1.0
    return out


def confidences(similarity: np.ndarray, topics: np.ndarray, quantiles: np.ndarray) -> np.ndarray:
    """How typical each article is of its topic, in [0, 1].

    1 means at least as close to the topic centre as the median core member; 0 means farther than
    every core member; in between, twice the share of core members that are farther away.
    """
    out = np.zeros(len(similarity), dtype=np.float32)
    for topic in np.unique(topics[topics >= 0]):
        rows = topics == topic
        q = quantiles[topic]
        share = np.interp(similarity[rows], q, QUANTILE_LEVELS, left=0.0, right=1.0)
        out[rows] = np.minimum(1.0, 2.0 * share)
    return out


@dataclass
class Clustering:
    """Topics of a corpus before they are described: assignments, centres and spreads."""

    topics: np.ndarray  # topic per article (0..k-1), -1 unassigned
    confidence: np.ndarray
    centres: np.ndarray  # k x dim, unit length
    quantiles: np.ndarray  # k x 21 core-member similarity quantiles
    reduced: Callable[[], np.ndarray]  # reduced coordinates of the fitted rows, on asking
    fit_rows: np.ndarray
    clusterer: str  # the one chosen_clusterer chose
    stats: dict[str, float] = field(default_factory=dict)
    splits: list[dict[str, int]] = field(default_factory=list)  # topics the collapse guard split


def collapsed(sizes: np.ndarray, n_points: int) -> bool:
    """Whether topics of these sizes in a corpus of n_points (MIN_TOPICS_CORPUS or more) have
    collapsed: one holds more than MAX_TOPIC_SHARE of the articles, or there are under MIN_TOPICS."""
    if n_points < MIN_TOPICS_CORPUS:
        return False
    return sizes.max() > MAX_TOPIC_SHARE * n_points or (sizes > 0).sum() < MIN_TOPICS


def split_parts(size: int, n_points: int) -> int:
    """Into how many topics to split one of size articles: half its share of the expected count."""
    expected = default_n_topics(n_points) * size / n_points
    return int(np.clip(round(SPLIT_SHARE * expected), 2, size // 2))


def joined_sizes(embeddings: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The size of each topic once the rows the clusterer left out join their nearest topic."""
    count = int(labels.max()) + 1
    if count < 1:
        return np.array([len(labels)])
    centres = centroids(embeddings, labels, count)
    joined = np.where(labels >= 0, labels, nearest(embeddings, centres)[0])
    return np.bincount(joined, minlength=count)


def split_labels(
    embeddings: np.ndarray, labels: np.ndarray
) -> tuple[np.ndarray, list[dict[str, int]]]:
    """Labels with every topic that swallows the corpus split (see MAX_TOPIC_SHARE; its size counts
    the left-out rows that would join it), and what was split: {"articles": members, "into": parts}."""
    from sklearn.cluster import KMeans

    labels, splits = labels.copy(), []
    for _ in range(MAX_SPLITS):
        sizes = joined_sizes(embeddings, labels)
        if not collapsed(sizes, len(labels)):
            break
        largest = int(sizes.argmax())
        members = np.flatnonzero(labels == largest)
        parts = split_parts(len(members), len(labels))
        if parts < 2:
            break
        model = KMeans(n_clusters=parts, n_init=KMEANS_RESTARTS, random_state=SPLIT_SEED)
        inner = model.fit(embeddings[members]).labels_
        labels[members] = np.where(inner == 0, largest, labels.max() + inner)
        splits.append({"articles": len(members), "into": parts})
    return labels, splits


def unassigned(
    similarity: np.ndarray, topics: np.ndarray, quantiles: np.ndarray, cap: float
) -> np.ndarray:
    """Articles farther from their topic than every core member, at most a cap share of all."""
    far = similarity < quantiles[topics, 0]
    budget = int(np.floor(cap * len(topics)))
    if far.sum() <= budget:
        return far
    order = np.argsort(similarity, kind="stable")
    keep = np.zeros(len(topics), dtype=bool)
    keep[order[:budget]] = True
    return far & keep


@dataclass
class Fit:
    """Topics found on the fit sample: centres, spreads, and the sample's own core members."""

    centres: np.ndarray  # k x dim, unit length
    quantiles: np.ndarray  # k x 21 core-member similarity quantiles
    reduced: Callable[[], np.ndarray]  # reduced coordinates of the fitted rows, on asking
    fit_rows: np.ndarray
    labels: np.ndarray  # topic of each fitted row, -1 outside every cluster
    clusterer: str  # the one chosen_clusterer chose
    stats: dict[str, float] = field(default_factory=dict)
    splits: list[dict[str, int]] = field(default_factory=list)

    def kept_topics(self, n_docs: int) -> np.ndarray:
        """Per article of the corpus, the topic it keeps whatever centre is nearest (a fitted
        core member's own cluster), else -1."""
        kept = np.full(n_docs, -1)
        core = self.labels >= 0
        kept[self.fit_rows[core]] = self.labels[core]
        return kept


def fitted(
    sample: np.ndarray,
    rows: np.ndarray,
    n_docs: int,
    settings: TopicSettings,
    prior: np.ndarray | None = None,
    words: sparse.csr_matrix | None = None,
) -> Fit:
    """Cluster the embeddings of the fit sample (the corpus's rows `rows` of n_docs).

    prior: each sampled article's topic number in the previous build (-1 for none), to warm-start
    k-means. words: the sample's TF-IDF rows of words, where neighbours are found (see
    shared_neighbours).
    """
    settings = replace(settings, clusterer=chosen_clusterer(len(sample), settings))
    aside = map_process(len(sample), settings)
    neighbours = shared_neighbours(sample, settings, words)
    points = reduced(sample, settings, neighbours, aside)
    clustered_points = sample if settings.clusterer in EMBEDDING_CLUSTERERS else points()
    raw = cluster_labels(clustered_points, settings, n_docs, prior, neighbours)
    if not (raw >= 0).any():  # everything was noise: one topic for all, split by the guard
        raw = np.zeros(len(rows), dtype=int)
    raw, splits = split_labels(sample, raw)
    labels = numbered(raw)
    centres = centroids(sample, labels, labels.max() + 1)
    core = labels >= 0
    own_similarity = np.einsum("ij,ij->i", sample[core], centres[labels[core]])
    return Fit(
        centres=centres,
        quantiles=similarity_quantiles(own_similarity, labels[core], len(centres)),
        reduced=points,
        fit_rows=rows,
        labels=labels,
        clusterer=settings.clusterer,
        stats={"clusterer_noise_share": float((raw < 0).mean())},
        splits=splits,
    )


def nearest_topics(
    embeddings: np.ndarray, centres: np.ndarray, kept: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's topic (its kept topic, see Fit.kept_topics, else the nearest centre) and its
    cosine similarity to that topic's centre."""
    topics = np.where(kept >= 0, kept, nearest(embeddings, centres)[0])
    return topics, np.einsum("ij,ij->i", embeddings, centres[topics])


def clustered(
    fit: Fit, topics: np.ndarray, similarity: np.ndarray, settings: TopicSettings
) -> Clustering:
    """The clustering of a corpus whose every article has its topic and similarity from
    nearest_topics: far-off articles (not fitted core members) are left out, the others get their
    confidence."""
    core = fit.kept_topics(len(topics)) >= 0
    far = unassigned(similarity, topics, fit.quantiles, settings.max_outlier_share) & ~core
    topics = np.where(far, -1, topics)
    return Clustering(
        topics=topics,
        confidence=np.where(topics >= 0, confidences(similarity, topics, fit.quantiles), 0.0),
        centres=fit.centres,
        quantiles=fit.quantiles,
        reduced=fit.reduced,
        fit_rows=fit.fit_rows,
        clusterer=fit.clusterer,
        stats=fit.stats,
        splits=fit.splits,
    )


def clustering(
    embeddings: np.ndarray,
    settings: TopicSettings,
    prior: np.ndarray | None = None,
    words: sparse.csr_matrix | None = None,
) -> Clustering:
    """Cluster (a sample of) the corpus; the other articles join their nearest topic unless far off.

    prior: each article's topic number in the previous build (-1 for none), to warm-start k-means.
    words: every article's TF-IDF rows of words (see shared_neighbours).
    """
    rows = fit_rows(len(embeddings), settings)
    sampled_prior = prior[rows] if prior is not None else None
    sampled_words = words[rows] if words is not None else None
    fit = fitted(embeddings[rows], rows, len(embeddings), settings, sampled_prior, sampled_words)
    kept = fit.kept_topics(len(embeddings))
    return clustered(fit, *nearest_topics(embeddings, fit.centres, kept), settings)


def n_themes(n_topics: int, settings: TopicSettings) -> int:
    """How many broad themes to group n topics into: about a third of them, within bounds."""
    low, high = settings.themes
    return int(np.clip(round(n_topics / 3), min(low, max(1, n_topics // 2)), high))


def theme_of_topics(centres: np.ndarray, settings: TopicSettings) -> np.ndarray:
    """A theme per topic: average-linkage clustering of the topic centres by cosine, themes
    numbered by first topic.

    Ward on the centres put 38% of all of corpora/raw's articles (155 of 413 topics) in one theme;
    by cosine the largest holds 9%, and the themes follow the Kompas sections (NMI 0.176 -> 0.200)
    and the outlets' desks (0.298 -> 0.344) more closely.
    """
    count = n_themes(len(centres), settings)
    if count <= 1 or len(centres) < 2:
        return np.zeros(len(centres), dtype=int)
    from sklearn.cluster import AgglomerativeClustering

    grouping = AgglomerativeClustering(n_clusters=count, linkage="average", metric="cosine")
    raw = grouping.fit(centres).labels_
    _, first = np.unique(raw, return_index=True)
    rank = np.argsort(np.argsort(first))
    return rank[raw]
