"""Topics for Indonesian news: cluster embeddings, then let BERTopic describe and save the topics.

BERTopic is imported lazily and only here. Clustering is done before BERTopic sees the documents
(dimensionality reduction + a clusterer chosen in TopicSettings, then nearest-centroid outlier
reduction), so BERTopic runs as a "manual" topic model: c-TF-IDF over an Indonesian news vocabulary,
diverse keywords by maximal marginal relevance, topic embeddings, safetensors serialisation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.embeddings import Embedder, TfidfEmbedder, TfidfSettings, sample_rows

#: Words that are furniture of news pages rather than content: outlets, reporting verbs, dates.
NEWS_FURNITURE: tuple[str, ...] = (
    # outlets and web furniture
    "antara", "antaranews", "detik", "detikcom", "detiknews", "kompas", "kompascom", "tribun",
    "tribunnews", "liputan6", "okezone", "sindonews", "republika", "tempo", "tempoco", "kumparan",
    "cnn", "cnnindonesia", "viva", "suara", "merdeka", "jpnn", "inews", "idntimes", "kapanlagi",
    "posmetro", "com", "co", "id", "www", "http", "https", "html", "baca", "juga", "selengkapnya",
    "berita", "terkait", "artikel", "klik", "simak", "video", "foto", "advertisement", "scroll",
    "continue", "content", "reporter", "editor", "penulis", "sumber", "copyright", "dok", "ist",
    "wib", "wita", "wit", "rp",
    # reporting verbs and fillers
    "kata", "ujar", "ujarnya", "jelas", "jelasnya", "katanya", "ungkap", "ungkapnya", "tutur",
    "tuturnya", "ucap", "ucapnya", "imbuh", "imbuhnya", "terang", "terangnya", "sebut", "sebutnya",
    "tambah", "tambahnya", "lanjut", "lanjutnya", "papar", "paparnya", "tegas", "tegasnya",
    "mengatakan", "menjelaskan", "mengungkapkan", "menyampaikan", "menuturkan", "menambahkan",
    "dikatakan", "disampaikan", "dijelaskan", "pun", "tersebut", "yakni", "yaitu",
    # days and months
    "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu", "januari", "februari", "maret",
    "april", "mei", "juni", "juli", "agustus", "september", "oktober", "november", "desember",
    "jan", "feb", "mar", "apr", "jun", "jul", "agu", "agt", "sep", "okt", "nov", "des",
)  # fmt: skip

#: Words that say what kind of place a name is ("Kabupaten Serang", "Kota Batu", "Prov. Banten").
PLACE_KINDS: tuple[str, ...] = (
    "provinsi", "prov", "kabupaten", "kab", "kota", "kotamadya", "kodya", "kepulauan", "kep",
)  # fmt: skip

#: Words of place names that are ordinary words too, so they stay keywords ("batu bara" is coal,
#: "sabu" crystal meth, "bawang" onions, "baru" new): measured on real Indonesian news bodies,
#: each is written in lowercase in about half or more of its occurrences, where names are not.
COMMON_PLACE_WORDS: frozenset[str] = frozenset((
    "administrasi", "alam", "bagian", "bara", "baru", "batu", "bau", "bawang", "bener", "besar",
    "bintang", "bukit", "bumbu", "danau", "datar", "daerah", "daya", "empat", "hari", "hilir",
    "hulu", "ibu", "ibukota", "istimewa", "kanan", "khusus", "kubu", "laut", "lawas", "lima",
    "meriah", "nasional", "natal", "pagar", "pangkal", "panjang", "pegunungan", "pekan", "penuh",
    "pesisir", "pisau", "pulang", "pulau", "puluh", "puncak", "pusat", "raja", "sabu", "sawah",
    "seribu", "sungai", "taman", "tanah", "tinggi", "tulang",
))  # fmt: skip

#: Tokens of two or more letters/digits that are not numbers alone.
TOKEN_PATTERN = r"(?u)\b(?!\d+\b)\w\w+\b"
LABEL_WORDS = 3
KMEANS_RESTARTS = 10  # cheap on reduced points; fewer made topics depend more on the seed
MIN_TOPIC_SIZE = 10
#: HDBSCAN leaving more than this share of the points as noise has met a diffuse layout, whose many
#: small density peaks move from seed to seed. It then smooths density over more neighbours (one per
#: DIFFUSE_POINTS_PER_NEIGHBOUR points) and keeps every topic below MAX_TOPIC_SHARE of the points
#: (smoothed density without that bound sometimes left just two halves).
DIFFUSE_NOISE_SHARE = 0.4
DIFFUSE_POINTS_PER_NEIGHBOUR = 500
MAX_TOPIC_SHARE = 0.2
#: Points laid out by UMAP per build: two layouts of a 20,000-article sample, eight of 5,000 or fewer.
UMAP_POINTS = 40_000
MAX_LAYOUTS = 8
#: UMAP's own choice above 10,000 points. Its 500 below cost a 9,000-article build 26 s more and made
#: topics no steadier (1,000 fact-checks with e5: mean ARI over 15 seed pairs 0.795 with 500, 0.779).
UMAP_EPOCHS = 200
NEIGHBOUR_CHUNK = 512  # rows of similarities at a time: 512 x 20,000 floats, 41 MB
LABEL_SEPARATOR = " · "
WORD_DIMENSIONS = 100


@dataclass(frozen=True)
class TopicSettings:
    """How topics are found; defaults chosen by measurement on labelled Indonesian news."""

    seed: int = 0
    reducer: str = "umap"  # umap | pca | none
    reduced_dimensions: int = 5
    umap_neighbors: int = 30
    layouts: int | None = None  # UMAP layouts side by side (None: 2 to 8, see n_layouts)
    clusterer: str = "hdbscan"  # hdbscan | kmeans | agglomerative
    n_topics: int | None = None  # None: chosen from the corpus size (kmeans, agglomerative)
    min_topic_size: int | None = None  # None: chosen from the corpus size (hdbscan)
    max_outlier_share: float = 0.05
    fit_sample: int = 20_000  # the reducer and clusterer are fitted on at most this many articles
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


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """Tokens of the names of Indonesia's provinces and regencies/cities (official and aliases) and
    of the words for kinds of place, except those that are ordinary words too.

    Keywords and labels should say what a topic is about; where it happens is shown apart, and a
    label such as "jawa · timur · surabaya" says nothing about the theme.
    """
    from data.places import ALIASES
    from data.regions import provinces, regencies

    names = [
        *provinces()["province"],
        *regencies()["regency"],
        *(alias for aliases in ALIASES.values() for alias in aliases),
    ]
    tokens = {token for name in names for token in re.findall(TOKEN_PATTERN, name.lower())}
    return frozenset((tokens | set(PLACE_KINDS)) - COMMON_PLACE_WORDS)


@lru_cache(maxsize=1)
def stop_words() -> tuple[str, ...]:
    """Indonesian stop words (stopwordsiso), English ones (scikit-learn's short list: regional
    outlets run some English articles), news furniture and place names, with their tokens, sorted."""
    import stopwordsiso
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = set(stopwordsiso.stopwords("id")) | set(ENGLISH_STOP_WORDS) | set(NEWS_FURNITURE)
    tokens = {token for word in words for token in re.findall(TOKEN_PATTERN, word)}
    return tuple(sorted(words | tokens | place_words()))


def news_vectorizer(settings: TopicSettings, vocabulary: Sequence[str] | None = None):
    """A CountVectorizer for Indonesian news: stop words, furniture and numbers removed, 1-2 grams."""
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(
        stop_words=list(stop_words()),
        token_pattern=TOKEN_PATTERN,
        ngram_range=(1, settings.ngram_max),
        min_df=settings.min_df,
        max_df=settings.max_df,
        vocabulary=list(vocabulary) if vocabulary is not None else None,
        dtype=np.int32,
    )


def document_terms(
    docs: Sequence[str], settings: TopicSettings
) -> tuple[sparse.csr_matrix, list[str]]:
    """Document-term counts over a vocabulary pruned by document frequency, and its words."""
    vectorizer = news_vectorizer(settings)
    try:
        counts = vectorizer.fit_transform(docs)
    except ValueError:  # a tiny corpus where min_df/max_df prune every word
        vectorizer = news_vectorizer(settings).set_params(min_df=1, max_df=1.0)
        counts = vectorizer.fit_transform(docs)
    return counts.tocsr(), vectorizer.get_feature_names_out().tolist()


# -- clustering ----------------------------------------------------------------------------------


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


def reduced(embeddings: np.ndarray, settings: TopicSettings) -> np.ndarray:
    """Embeddings reduced for clustering, deterministic for a seed: UMAP layouts side by side (each
    standardised), PCA, or unchanged."""
    n_components = min(settings.reduced_dimensions, embeddings.shape[1], len(embeddings) - 2)
    if settings.reducer == "none" or n_components < 2:
        return embeddings
    if settings.reducer == "pca":
        from sklearn.decomposition import PCA

        return PCA(n_components=n_components, random_state=settings.seed).fit_transform(embeddings)
    neighbours = cosine_neighbours(embeddings, min(settings.umap_neighbors, len(embeddings) - 1))
    layouts = [
        umap_layout(embeddings, n_components, neighbours, seed)
        for seed in layout_seeds(settings, n_layouts(len(embeddings), settings))
    ]
    return np.hstack([(layout - layout.mean(axis=0)) / (layout.std() or 1.0) for layout in layouts])


def n_layouts(n_points: int, settings: TopicSettings) -> int:
    """How many UMAP layouts to cluster side by side: as set, or as many as UMAP_POINTS allows.

    Clusters of several layouts follow the shape they share rather than one run's accidents. The
    ARI between two seeds' topics (HDBSCAN) rose from one layout to two from 0.90 to 0.93 on 27,458
    Kompas headlines (tfidf, 2 seed pairs); on 1,000 fact-checks, from two layouts to eight, from
    0.83 to 0.88 with tfidf and 0.67 to 0.78 with e5 (means over 15 seed pairs; 0.91 and 0.82 once
    the layouts shared one exact neighbour search).
    """
    return settings.layouts or int(np.clip(UMAP_POINTS // max(n_points, 1), 2, MAX_LAYOUTS))


def layout_seeds(settings: TopicSettings, count: int) -> list[int]:
    """The UMAP seeds of count layouts: consecutive per seed, so that two seeds share no layout."""
    return [settings.seed * count + i for i in range(count)]


def cosine_neighbours(embeddings: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The exact k nearest rows of each unit-length row by cosine (itself among them) and their
    cosine distances, nearest first: found once and shared by every layout."""
    indices = np.empty((len(embeddings), k), dtype=np.int32)
    distances = np.empty((len(embeddings), k), dtype=np.float32)
    for start in range(0, len(embeddings), NEIGHBOUR_CHUNK):
        similarity = embeddings[start : start + NEIGHBOUR_CHUNK] @ embeddings.T
        top = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        top_similarity = np.take_along_axis(similarity, top, axis=1)
        order = np.argsort(-top_similarity, axis=1, kind="stable")
        indices[start : start + len(top)] = np.take_along_axis(top, order, axis=1)
        distances[start : start + len(top)] = np.maximum(
            0.0, 1.0 - np.take_along_axis(top_similarity, order, axis=1)
        )
    return indices, distances


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


def cluster_labels(
    points: np.ndarray, settings: TopicSettings, n_docs: int, prior: np.ndarray | None = None
) -> np.ndarray:
    """One cluster per row (-1 for HDBSCAN noise), as many as suit a corpus of n_docs.

    With k-means, prior (each row's topic in the previous build, -1 if none) warm-starts the
    centres so that a rebuild finds the same topics where the data still supports them.
    """
    n = len(points)
    n_topics = min(settings.n_topics or default_n_topics(n_docs), n)
    if settings.clusterer == "hdbscan":
        return density_labels(points, max(2, settings.min_topic_size or default_min_topic_size(n)))
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


def centroids(embeddings: np.ndarray, labels: np.ndarray, n_topics: int) -> np.ndarray:
    """The unit-length mean embedding of each label 0..n_topics-1."""
    members = labels >= 0
    indicator = sparse.csr_matrix(
        (np.ones(members.sum()), (labels[members], np.flatnonzero(members))),
        shape=(n_topics, len(labels)),
    )
    sums = np.asarray(indicator @ embeddings)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return (sums / np.where(norms > 0, norms, 1.0)).astype(np.float32)


def nearest(embeddings: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The nearest centre of each row by cosine, and that similarity."""
    similarity = embeddings @ centres.T
    best = similarity.argmax(axis=1)
    return best, similarity[np.arange(len(best)), best]


QUANTILE_LEVELS = np.linspace(0.0, 1.0, 21)


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
    reduced: np.ndarray  # reduced coordinates of the fitted rows
    fit_rows: np.ndarray
    stats: dict[str, float] = field(default_factory=dict)


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


def clustering(
    embeddings: np.ndarray, settings: TopicSettings, prior: np.ndarray | None = None
) -> Clustering:
    """Cluster (a sample of) the corpus; the other articles join their nearest topic unless far off.

    prior: each article's topic number in the previous build (-1 for none), to warm-start k-means.
    """
    rows = fit_rows(len(embeddings), settings)
    points = reduced(embeddings[rows], settings)
    raw = cluster_labels(
        points, settings, len(embeddings), prior[rows] if prior is not None else None
    )
    kept = np.unique(raw[raw >= 0])
    if not len(kept):  # everything was noise: one topic for all
        raw, kept = np.zeros(len(rows), dtype=int), np.array([0])
    labels = np.full(len(raw), -1)
    labels[raw >= 0] = np.searchsorted(kept, raw[raw >= 0])
    centres = centroids(embeddings[rows], labels, len(kept))
    core = labels >= 0
    own_similarity = np.einsum("ij,ij->i", embeddings[rows][core], centres[labels[core]])
    quantiles = similarity_quantiles(own_similarity, labels[core], len(kept))
    topics, _ = nearest(embeddings, centres)
    topics[rows[core]] = labels[core]
    similarity = np.einsum("ij,ij->i", embeddings, centres[topics])
    clustered = np.zeros(len(topics), dtype=bool)
    clustered[rows[core]] = True
    far = unassigned(similarity, topics, quantiles, settings.max_outlier_share) & ~clustered
    topics = np.where(far, -1, topics)
    return Clustering(
        topics=topics,
        confidence=np.where(topics >= 0, confidences(similarity, topics, quantiles), 0.0),
        centres=centres,
        quantiles=quantiles,
        reduced=points,
        fit_rows=rows,
        stats={"clusterer_noise_share": float((raw < 0).mean())},
    )


# -- describing topics ---------------------------------------------------------------------------


def _quiet_bertopic() -> None:
    """Keep BERTopic's informational logging off the user's terminal."""
    import logging

    logging.getLogger("BERTopic").setLevel(logging.ERROR)


def _bertopic_embedder(embedder: Embedder):
    """An embedding backend wrapped as a BERTopic embedder."""
    from bertopic.backend import BaseEmbedder

    class Wrapped(BaseEmbedder):
        def embed(self, documents, verbose=False):
            return embedder.embed(list(documents))

    return Wrapped()


def word_vectors(docs: Sequence[str], settings: TopicSettings) -> Embedder:
    """An LSA model (TF-IDF + SVD) of the documents, to embed candidate keywords with."""
    model = TfidfEmbedder(
        TfidfSettings(dimensions=WORD_DIMENSIONS, char_chars=0, seed=settings.seed)
    )
    model.fit_embed(docs)
    return model


def described_model(
    docs: Sequence[str],
    embeddings: np.ndarray,
    topics: np.ndarray,
    vocabulary: Sequence[str],
    settings: TopicSettings,
):
    """A BERTopic model of given assignments: c-TF-IDF keywords made diverse by MMR.

    Keyword diversity is judged with word vectors from a small LSA model of the same documents
    (whatever embeds the documents): cheap, and it separates words that co-occur from words that
    do not, where a sentence model rates almost any two words as similar.
    """
    from bertopic import BERTopic
    from bertopic.cluster import BaseCluster
    from bertopic.dimensionality import BaseDimensionalityReduction
    from bertopic.representation import MaximalMarginalRelevance
    from bertopic.vectorizers import ClassTfidfTransformer

    _quiet_bertopic()
    model = BERTopic(
        embedding_model=_bertopic_embedder(word_vectors(docs, settings)),
        umap_model=BaseDimensionalityReduction(),
        hdbscan_model=BaseCluster(),
        vectorizer_model=news_vectorizer(settings, vocabulary),
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        representation_model=MaximalMarginalRelevance(
            diversity=settings.diversity, top_n_words=settings.top_words
        ),
        top_n_words=settings.top_words,
    )
    return model.fit(list(docs), embeddings=embeddings, y=np.asarray(topics))


def model_order(topics: np.ndarray, model_topics: Sequence[int]) -> np.ndarray:
    """For each of our topic numbers 0..k-1, the number BERTopic gave it."""
    pairs = pd.DataFrame({"ours": topics, "model": np.asarray(model_topics)}).query("ours >= 0")
    return pairs.drop_duplicates("ours").sort_values("ours")["model"].to_numpy()


def keywords_of(model, n_topics_model: int) -> list[list[str]]:
    """The keywords of the model's topics 0..n-1, best first."""
    return [[word for word, _ in model.get_topic(t) or [] if word] for t in range(n_topics_model)]


def topic_label(keywords: Sequence[str], n_words: int = LABEL_WORDS) -> str:
    """A short human label from keywords, skipping words already said ("banjir · bpbd · hujan deras")."""
    chosen: list[str] = []
    for word in keywords:
        tokens = set(word.split())
        if any(tokens & set(c.split()) for c in chosen):
            continue
        chosen.append(word)
        if len(chosen) == n_words:
            break
    return LABEL_SEPARATOR.join(chosen)


def grouped_counts(
    doc_terms: sparse.csr_matrix, keys: np.ndarray
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Term counts summed per group key, and the sorted keys."""
    unique, inverse = np.unique(keys, return_inverse=True)
    indicator = sparse.csr_matrix(
        (np.ones(len(keys)), (inverse.ravel(), np.arange(len(keys)))),
        shape=(len(unique), len(keys)),
    )
    return (indicator @ doc_terms).tocsr(), unique


def class_idf(class_counts: sparse.csr_matrix) -> np.ndarray:
    """c-TF-IDF's idf: log(1 + mean words per class / frequency of the word over all classes)."""
    frequency = np.asarray(class_counts.sum(axis=0)).ravel()
    average = class_counts.sum() / max(1, class_counts.shape[0])
    return np.log(1.0 + average / np.maximum(frequency, 1))


def class_keywords(
    class_counts: sparse.csr_matrix, idf: np.ndarray, words: Sequence[str], n_words: int
) -> list[list[str]]:
    """Top c-TF-IDF words of each row of class counts (square-rooted term frequency x idf)."""
    from sklearn.preprocessing import normalize

    tf = normalize(class_counts.astype(np.float64), norm="l1")
    tf.data = np.sqrt(tf.data)
    scores = tf.multiply(idf[None, :]).tocsr()
    out = []
    for row in range(scores.shape[0]):
        start, end = scores.indptr[row], scores.indptr[row + 1]
        values, columns = scores.data[start:end], scores.indices[start:end]
        order = np.lexsort((columns, -values))[:n_words]
        out.append([words[columns[i]] for i in order])
    return out


def n_themes(n_topics: int, settings: TopicSettings) -> int:
    """How many broad themes to group n topics into: about a third of them, within bounds."""
    low, high = settings.themes
    return int(np.clip(round(n_topics / 3), min(low, max(1, n_topics // 2)), high))


def theme_of_topics(centres: np.ndarray, settings: TopicSettings) -> np.ndarray:
    """A theme per topic: Ward clustering of the topic centres, themes numbered by first topic."""
    count = n_themes(len(centres), settings)
    if count <= 1 or len(centres) < 2:
        return np.zeros(len(centres), dtype=int)
    from sklearn.cluster import AgglomerativeClustering

    raw = AgglomerativeClustering(n_clusters=count, linkage="ward").fit(centres).labels_
    _, first = np.unique(raw, return_index=True)
    rank = np.argsort(np.argsort(first))
    return rank[raw]


# -- persistence ---------------------------------------------------------------------------------


def save_model(model, folder: Path, settings: TopicSettings) -> None:
    """The BERTopic model as safetensors (never pickle) plus the settings as JSON."""
    _quiet_bertopic()
    model.save(folder, serialization="safetensors", save_ctfidf=True, save_embedding_model=False)
    (folder / "settings.json").write_text(json.dumps(settings.to_dict()))


def load_model(folder: Path, embedder: Embedder | None = None):
    """A saved BERTopic model, with the embedding backend attached if given (never downloads)."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from bertopic import BERTopic

    _quiet_bertopic()
    wrapped = _bertopic_embedder(embedder) if embedder is not None else None
    return BERTopic.load(str(folder), embedding_model=wrapped)


def load_settings(folder: Path) -> TopicSettings:
    """The settings a model was built with."""
    raw = json.loads((folder / "settings.json").read_text())
    return TopicSettings(**{**raw, "themes": tuple(raw["themes"])})
