"""Topic engine pieces: vocabulary, clustering, confidence, labels, ids, embeddings (no network)."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.metrics import adjusted_rand_score

from analysis.topics import embeddings
from analysis.topics import ids as topic_ids
from analysis.topics.clustering import (
    COMMON_DIMENSIONS,
    DIFFUSE_NOISE_SHARE,
    LINKAGE_POINTS,
    MAP_ASIDE_POINTS,
    MAX_LAYOUTS,
    LayoutProcess,
    WordSpace,
    average_linkage_labels,
    chosen_clusterer,
    clustering,
    condensed_distances,
    confidences,
    cosine_neighbours,
    default_min_topic_size,
    density_labels,
    distinct_labels,
    graph_labels,
    hdbscan_labels,
    layout_processes,
    layout_seeds,
    layouts_of_seeds,
    linkage_labels,
    map_process,
    maps_aside,
    n_layouts,
    neighbour_links,
    reduced,
    shared_neighbours,
    shared_out_layouts,
    spectral_starts_shared,
    theme_of_topics,
    umap_layout,
    unassigned,
    warm_centres,
)
from analysis.topics.embeddings import (
    Centred,
    EmbeddingError,
    PretrainedEmbedder,
    TfidfEmbedder,
    TfidfSettings,
    VectorCache,
    document_texts,
    has_word_rows,
    lead_of,
    load_embedder,
    make_embedder,
    sample_rows,
    word_rows,
    word_texts,
)
from analysis.topics.naming import (
    class_idf,
    class_keywords,
    described_model,
    document_terms,
    stop_words,
    topic_label,
)
from analysis.topics.settings import TopicSettings
from analysis.topics.words import NEWS_FURNITURE
from tests.conftest import NetworkBlocked
from tests.topic_fixtures import theme_articles, theme_of


def blobs(
    n_per: int = 30, k: int = 4, dim: int = 16, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors in k tight, well separated groups, and the group of each."""
    rng = np.random.default_rng(seed)
    centres = np.eye(dim)[:k] * 3
    points = np.vstack([c + rng.normal(scale=0.3, size=(n_per, dim)) for c in centres])
    return points / np.linalg.norm(points, axis=1, keepdims=True), np.repeat(np.arange(k), n_per)


FAST = TopicSettings(reducer="pca", clusterer="kmeans", n_topics=4)


def test_network_is_blocked_in_tests():
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("203.0.113.7", 80), timeout=1)


def test_stop_words_cover_indonesian_english_and_news_furniture():
    words = set(stop_words())
    assert {
        "yang",
        "dan",
        "baca",
        "juga",
        "wib",
        "kompas",
        "ujar",
        "jelasnya",
        "senin",
        "maret",
        "the",
        "of",
    } <= words
    assert set(NEWS_FURNITURE) <= words
    assert not {"banjir", "flood"} & words


def test_vocabulary_drops_numbers_furniture_stop_words_and_places():
    docs = ["Banjir 2024 di Serang, kata BPBD, Senin", "Banjir Serang: BPBD catat 120 rumah"] * 3
    _, words = document_terms(docs, TopicSettings(min_df=1, max_df=1.0))
    assert words == ["banjir", "banjir bpbd", "bpbd", "bpbd catat", "catat", "catat rumah", "rumah"]


def test_place_names_are_stop_words_unless_they_are_ordinary_words():
    words = set(stop_words())
    assert {"jawa", "timur", "barat", "surabaya", "kabupaten", "kab", "kota", "provinsi",
            "jakarta", "jatim", "sulsel", "kepulauan", "riau", "mandailing"} <= words  # fmt: skip
    assert not {"batu", "bara", "sabu", "bawang", "sungai", "natal", "raja"} & words
    docs = [
        "Harga bawang naik di Kabupaten Malang, Jawa Timur",
        "Tambang batu bara di Kota Samarinda, Kalimantan Timur",
        "Pabrik sabu di Prov. Sulawesi Selatan",
    ] * 3
    _, vocabulary = document_terms(docs, TopicSettings(min_df=1, max_df=1.0, ngram_max=1))
    assert vocabulary == ["bara", "batu", "bawang", "harga", "pabrik", "sabu", "tambang"]


def test_label_takes_three_words_without_repeating_one():
    keywords = ["banjir", "banjir bandang", "bpbd", "hujan deras", "hujan", "tanggul"]
    assert topic_label(keywords) == "banjir · bpbd · hujan deras"


def test_label_of_keywords_that_all_hold_one_word_is_that_word():
    assert topic_label(["hina jokowi", "kunjungan jokowi", "jokowi jk", "ma ruf"]) == "jokowi"
    assert topic_label(["anak anak", "anak", "anak yatim"]) == "anak"
    assert topic_label(["pria"]) == "pria"
    assert topic_label(["banjir", "banjir bandang", "bpbd"]) == "banjir · bpbd"


def test_confidence_is_twice_the_share_of_farther_core_members():
    quantiles = np.array([np.linspace(0.5, 0.9, 21)], dtype=np.float32)
    similarity = np.array([0.4, 0.5, 0.6, 0.7, 0.95])
    got = confidences(similarity, np.zeros(5, dtype=int), quantiles)
    np.testing.assert_allclose(got, [0.0, 0.0, 0.5, 1.0, 1.0], atol=1e-6)


def test_unassigned_keeps_only_the_farthest_within_the_cap():
    quantiles = np.array([[0.5] * 21])
    similarity = np.array([0.1, 0.2, 0.3, 0.6, 0.7, 0.8, 0.9, 0.9, 0.9, 0.9])
    far = unassigned(similarity, np.zeros(10, dtype=int), quantiles, cap=0.2)
    assert far.tolist() == [True, True] + [False] * 8


def test_clustering_recovers_separated_groups_with_confidences():
    points, truth = blobs()
    result = clustering(points, FAST)
    assert adjusted_rand_score(truth, result.topics) == 1.0
    assert (result.topics >= 0).all()
    assert ((result.confidence >= 0) & (result.confidence <= 1)).all()
    assert result.centres.shape == (4, 16)
    np.testing.assert_allclose(np.linalg.norm(result.centres, axis=1), 1.0, atol=1e-5)


def test_hdbscan_finds_the_groups_in_umap_layouts_side_by_side():
    points, truth = blobs(n_per=40)
    settings = TopicSettings(clusterer="hdbscan")
    result = clustering(points, settings)
    assert result.reduced().shape == (len(points), MAX_LAYOUTS * settings.reduced_dimensions)
    np.testing.assert_allclose(result.reduced().mean(axis=0), 0.0, atol=1e-5)
    assert adjusted_rand_score(truth, result.topics) == 1.0


def test_small_corpora_are_clustered_by_linkage_and_larger_ones_as_a_graph():
    default = TopicSettings()
    assert chosen_clusterer(LINKAGE_POINTS, default) == "linkage"
    assert chosen_clusterer(LINKAGE_POINTS + 1, default) == "graph"
    assert chosen_clusterer(300, TopicSettings(clusterer="hdbscan")) == "hdbscan"
    assert chosen_clusterer(30_000, TopicSettings(clusterer="linkage")) == "linkage"


def overlapping(n: int = 400, k: int = 12, dim: int = 24, seed: int = 5) -> np.ndarray:
    """Unit vectors around k centres that overlap, as the embeddings of real news do."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, dim))
    points = centres[rng.integers(k, size=n)] + rng.normal(scale=1.2, size=(n, dim))
    return points / np.linalg.norm(points, axis=1, keepdims=True)


def test_a_small_corpus_gets_the_same_topics_from_every_seed():
    points = overlapping()
    first, second = (clustering(points, TopicSettings(seed=seed)) for seed in (0, 1))
    assert first.clusterer == second.clusterer == "linkage"
    np.testing.assert_array_equal(first.topics, second.topics)
    assert len(first.centres) >= 5 and (first.topics < 0).mean() <= 0.05


def test_linkage_puts_the_pieces_of_a_few_distinct_subjects_together():
    points, truth = blobs(n_per=200, k=5)
    labels = linkage_labels(points, min_size=10)
    grouped = labels >= 0  # rows of pieces under min_size join a topic later
    assert len(np.unique(labels[grouped])) == 5 and grouped.mean() > 0.8
    assert adjusted_rand_score(truth[grouped], labels[grouped]) == 1.0
    result = clustering(points, TopicSettings())
    assert result.centres.shape == (5, 16) and adjusted_rand_score(truth, result.topics) > 0.95


def test_average_linkage_on_condensed_distances_is_scikit_learns():
    from scipy.spatial.distance import pdist
    from sklearn.cluster import AgglomerativeClustering

    points = overlapping(n=1_100)  # more rows than one chunk of distances
    np.testing.assert_allclose(condensed_distances(points), pdist(points, "cosine"), atol=1e-9)
    theirs = AgglomerativeClustering(n_clusters=40, linkage="average", metric="cosine")
    ours = average_linkage_labels(points, 40)
    assert len(np.unique(ours)) == 40
    assert adjusted_rand_score(theirs.fit(points).labels_, ours) == 1.0


def stories(
    n_stories: int, size: int, dim: int = 64, seed: int = 3
) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors in n_stories tight, separated stories of size each, and their story."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(n_stories, dim))
    truth = np.repeat(np.arange(n_stories), size)
    points = centres / np.linalg.norm(centres, axis=1, keepdims=True)
    points = points[truth] + rng.normal(scale=0.05, size=(len(truth), dim))
    return points / np.linalg.norm(points, axis=1, keepdims=True), truth


def test_linkage_keeps_the_many_small_stories_of_a_mid_sized_corpus_apart():
    points, truth = stories(200, 20)  # 4,000 articles, 200 stories of 20 (headlines)
    labels = linkage_labels(points, min_size=10)
    assert len(np.unique(labels)) == 200 and adjusted_rand_score(truth, labels) == 1.0
    result = clustering(points, TopicSettings())
    assert result.clusterer == "linkage" and adjusted_rand_score(truth, result.topics) == 1.0


def test_a_large_corpus_is_clustered_as_a_graph_into_its_many_stories_whatever_the_seed():
    points, truth = stories(525, 20)  # 10,500 articles: more than linkage takes
    settings = [TopicSettings(seed=seed, reducer="pca", reduced_dimensions=2) for seed in (0, 1)]
    first, second = (clustering(points, s) for s in settings)
    assert first.clusterer == "graph" and len(first.centres) == 525
    assert adjusted_rand_score(truth, first.topics) == 1.0
    np.testing.assert_array_equal(first.topics, second.topics)


def test_the_graph_leaves_out_communities_under_the_smallest_topic_size():
    points, truth = stories(30, 20)
    kept = graph_labels(points, min_size=20)
    assert adjusted_rand_score(truth, kept) == 1.0
    assert (graph_labels(points, min_size=21) == -1).all()


def told_in_words(
    noise: float = 0.2, seed: int = 4
) -> tuple[np.ndarray, sparse.csr_matrix, np.ndarray]:
    """2,000 articles in 100 stories of 20 whose embeddings are blurred by noise, and their word
    rows: each article holds its story's word and one word that ten stories share ("pria")."""
    points, truth = stories(100, 20, seed=seed)
    rng = np.random.default_rng(seed)
    points = points + rng.normal(scale=noise, size=points.shape)
    points = (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)
    n = len(truth)
    columns = np.column_stack([truth, 100 + truth % 10]).ravel()
    values = np.full(2 * n, 2**-0.5, dtype=np.float32)
    words = sparse.csr_matrix((values, (np.repeat(np.arange(n), 2), columns)), shape=(n, 110))
    return points, words, truth


@pytest.mark.parametrize("clusterer", ["auto", "graph"])
def test_neighbours_found_in_the_words_keep_stories_the_embedding_blurs(clusterer):
    points, words, truth = told_in_words()
    settings = TopicSettings(clusterer=clusterer, reducer="pca", reduced_dimensions=2)
    assert adjusted_rand_score(truth, clustering(points, settings).topics) < 0.7
    assert adjusted_rand_score(truth, clustering(points, settings, words=words).topics) == 1.0


def test_the_word_space_gives_the_neighbours_of_the_same_rows_dense():
    """Common words multiplied densely, rare ones sparsely: the same cosines."""
    _, words, _ = told_in_words()  # its ten shared words stand in 10% of the rows: dense
    words = words + sparse.random(2000, 110, density=0.02, random_state=1, dtype=np.float32)
    words = sparse.csr_matrix(words / np.linalg.norm(words.toarray(), axis=1, keepdims=True))
    space = WordSpace.of(words, np.zeros((2000, 4), dtype=np.float32))
    assert 0 < space.rare.shape[1] < 110 and space.dense.shape == (
        2000,
        110 - space.rare.shape[1] + 4,
    )
    dense_indices, dense_distances = cosine_neighbours(words.toarray(), 8)
    indices, distances = cosine_neighbours(space, 8)
    np.testing.assert_allclose(distances, dense_distances, atol=1e-6)
    assert (indices == dense_indices).mean() > 0.99  # ties may fall either way
    some = np.array([5, 700, 1999])
    np.testing.assert_array_equal(cosine_neighbours(space, 8, some)[0], indices[some])


def test_many_common_words_are_multiplied_on_their_principal_axes_with_the_same_cosines():
    """More common words than COMMON_DIMENSIONS, all mixes of 20 patterns: narrowed, as many dense
    columns as COMMON_DIMENSIONS (unless exact), and the neighbours of the rows multiplied whole."""
    rng = np.random.default_rng(3)
    patterns = rng.random((20, COMMON_DIMENSIONS + 40))  # every common word in every pattern
    mixes = rng.random((1500, 20)) * (rng.random((1500, 20)) < 0.3)
    rare = sparse.random(1500, 600, density=0.005, random_state=4, dtype=np.float32)
    words = sparse.hstack([sparse.csr_matrix(mixes @ patterns), rare]).toarray()
    words = sparse.csr_matrix(
        words / np.linalg.norm(words, axis=1, keepdims=True), dtype=np.float32
    )
    space = WordSpace.of(words, np.zeros((1500, 4), dtype=np.float32), narrow=True)
    assert space.dense.shape == (1500, COMMON_DIMENSIONS + 4)
    assert WordSpace.of(words, np.zeros((1500, 4), dtype=np.float32)).dense.shape[1] == 172
    dense_indices, dense_distances = cosine_neighbours(words.toarray(), 8)
    indices, distances = cosine_neighbours(space, 8)
    np.testing.assert_allclose(distances, dense_distances, atol=1e-5)
    assert (indices == dense_indices).mean() > 0.99


def test_an_article_without_a_known_word_keeps_its_neighbours_by_embedding():
    points, words, _ = told_in_words()
    words = words.tolil()
    words[7] = 0
    settings = TopicSettings(clusterer="graph")
    indices, distances = shared_neighbours(points, settings, words.tocsr())
    by_embedding = shared_neighbours(points, settings)
    np.testing.assert_array_equal(indices[7], by_embedding[0][7])
    np.testing.assert_allclose(distances[7], by_embedding[1][7], atol=1e-6)
    assert set(indices[8, :19]) == set(range(20)) - {7}  # the others by their words: their story


def test_neighbour_links_hold_each_pair_once_and_no_row_with_itself_with_its_similarity():
    indices = np.array([[0, 1, 2], [1, 0, 2], [1, 2, 0], [2, 3, 0]])  # row 2 ties with row 1
    distances = np.array([[0, 0.1, 0.3], [0, 0.1, 0.2], [0, 0, 0.3], [0.2, 0, 0.5]])
    links, similarity = neighbour_links((indices, distances), k=2)
    assert links.tolist() == [[0, 1], [0, 2], [0, 3], [1, 2], [2, 3]]
    np.testing.assert_allclose(similarity, [0.9, 0.7, 0.5, 0.8, 0.8])


def test_articles_as_near_by_their_words_are_ordered_by_their_embeddings():
    words = sparse.csr_matrix(np.array([[1, 0], [1, 0], [1, 0], [0, 1]], dtype=np.float32))
    embedded = np.array([[1, 0], [0.6, 0.8], [0.8, 0.6], [1, 0]], dtype=np.float32)
    indices, distances = cosine_neighbours(WordSpace.of(words, embedded), 3)
    assert indices.tolist() == [[0, 2, 1], [1, 2, 0], [2, 1, 0], [3, 0, 2]]
    assert distances[0, 1] < 0.001 and distances[3, 1] > 0.99


def test_distinct_labels_joins_clusters_closer_than_their_members_only():
    points, truth = blobs(n_per=30, k=3)
    odd = np.arange(len(truth)) % 2 == 1
    halves = np.where((truth == 0) & odd, 3, truth)  # group 0 cut in two
    labels = distinct_labels(points, np.where(np.arange(len(truth)) == 5, -1, halves))
    assert labels[5] == -1
    assert adjusted_rand_score(np.delete(truth, 5), np.delete(labels, 5)) == 1.0
    assert distinct_labels(points, truth).tolist() == truth.tolist()


def test_two_seeds_share_no_umap_layout():
    first, second = layout_seeds(TopicSettings(seed=0), 3), layout_seeds(TopicSettings(seed=1), 3)
    assert len(first) == len(second) == 3
    assert not set(first) & set(second)


@pytest.mark.parametrize("groups", [1, 3], ids=["connected", "three components"])
def test_layouts_share_their_spectral_start_and_stay_bit_for_bit_umaps(groups, monkeypatch):
    import scipy.sparse.linalg

    points, _ = blobs(n_per=150 // groups, k=groups, dim=16, seed=3)
    neighbours = cosine_neighbours(points.astype(np.float32), 10)
    alone = [umap_layout(points, 5, neighbours, seed) for seed in (0, 1, 2)]
    solves = []
    eigsh = scipy.sparse.linalg.eigsh
    monkeypatch.setattr(
        scipy.sparse.linalg, "eigsh", lambda *a, **k: solves.append(1) or eigsh(*a, **k)
    )
    with spectral_starts_shared():
        shared = [umap_layout(points, 5, neighbours, seed) for seed in (0, 1, 2)]
    assert len(solves) == groups  # one solve per connected component, not one per layout
    for own, reused in zip(alone, shared, strict=True):
        np.testing.assert_array_equal(own, reused)
    assert not np.array_equal(shared[0], shared[1])


def test_layouts_shared_out_between_processes_are_the_layouts_of_one(monkeypatch):
    import analysis.topics.clustering as clustering_module

    points, _ = blobs(n_per=100, k=3, dim=16, seed=4)
    neighbours = cosine_neighbours(points.astype(np.float32), 10)
    seeds = [7, 8, 9]
    here = layouts_of_seeds(points, 5, neighbours, seeds)
    laid_out_here = []

    def recorded(embeddings, n_components, neighbours, seed):
        laid_out_here.append(seed)
        return umap_layout(embeddings, n_components, neighbours, seed)

    monkeypatch.setattr(clustering_module, "layout_processes", lambda n_points, n_layouts: 2)
    monkeypatch.setattr(clustering_module, "umap_layout", recorded)
    shared = shared_out_layouts(points, 5, neighbours, seeds)
    assert laid_out_here == [7, 8]  # seed 9 was laid out by another process
    assert len(shared) == len(seeds)
    for own, other in zip(here, shared, strict=True):
        np.testing.assert_array_equal(own, other)


def test_the_map_laid_out_aside_while_the_build_goes_on_is_the_map_laid_out_here(monkeypatch):
    import analysis.topics.clustering as clustering_module

    points, _ = blobs(n_per=100, k=3, dim=16, seed=4)
    neighbours = cosine_neighbours(points.astype(np.float32), 20)
    settings = TopicSettings(clusterer="linkage")
    here = reduced(points, settings, neighbours)()
    laid_out_here = []

    def recorded(embeddings, n_components, neighbours, seed):
        laid_out_here.append(seed)
        return umap_layout(embeddings, n_components, neighbours, seed)

    monkeypatch.setattr(clustering_module, "umap_layout", recorded)
    aside = reduced(points, settings, neighbours, LayoutProcess.started())
    assert laid_out_here == []  # another process lays it out
    assert here.shape == (len(points), 2)
    np.testing.assert_array_equal(aside(), here)
    np.testing.assert_array_equal(aside(), here)  # asked again, not laid out again


def test_the_map_process_starts_before_its_job_only_where_the_map_is_laid_out_aside():
    linkage, graph = TopicSettings(clusterer="linkage"), TopicSettings(clusterer="graph")
    assert map_process(MAP_ASIDE_POINTS - 1, linkage) is None
    assert map_process(MAP_ASIDE_POINTS, TopicSettings(clusterer="hdbscan")) is None
    assert map_process(MAP_ASIDE_POINTS, replace(graph, reducer="pca")) is None
    for settings in (linkage, graph):
        started = map_process(MAP_ASIDE_POINTS, settings)
        assert (started is not None) == maps_aside(MAP_ASIDE_POINTS)  # a second core
        if started is not None:
            started.process.kill()
            started.process.wait()


def test_a_layout_process_closed_without_a_job_ends_quietly_and_leaves_nothing():
    started = LayoutProcess.started()
    folder = Path(started.folder.name)
    started.process.stdin.close()  # as when the build fails before the job
    with pytest.raises(RuntimeError, match="a layout process failed: $"):
        started.layouts()
    assert not folder.exists()


def test_layouts_go_to_other_processes_only_where_each_has_enough_to_lay_out():
    assert maps_aside(5_000) == (len(os.sched_getaffinity(0)) > 1)
    assert not maps_aside(300)
    assert layout_processes(300, 8) == 1
    assert layout_processes(5_000, 8) == min(8, len(os.sched_getaffinity(0)))
    assert layout_processes(20_000, 1) == 1


def test_small_corpora_get_more_layouts_for_the_same_umap_work():
    default, two = TopicSettings(), TopicSettings(layouts=2)
    assert [n_layouts(n, default) for n in (1_000, 5_000, 10_000, 20_000)] == [16, 8, 4, 2]
    assert n_layouts(1_000, two) == 2


def test_smallest_topic_is_ten_articles_except_in_small_corpora():
    assert [default_min_topic_size(n) for n in (30, 100, 199, 200, 20_000)] == [2, 5, 9, 10, 10]


def clumps_of_crumbs(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Six broad clumps in 5-d, each half tight crumbs of 12 points and half loose points, as the
    layouts of short headlines look: HDBSCAN's fine peaks are the crumbs. Points and clump ids."""
    rng = np.random.default_rng(seed)
    points, clump = [], []
    for index, centre in enumerate(rng.normal(scale=6.0, size=(6, 5))):
        crumbs = centre + rng.normal(scale=1.0, size=(40, 5))
        points += [crumb + rng.normal(scale=0.05, size=(12, 5)) for crumb in crumbs]
        points.append(centre + rng.normal(scale=1.0, size=(520, 5)))
        clump += [index] * 1_000
    return np.vstack(points), np.array(clump)


def test_a_diffuse_layout_gets_the_coarse_topics_instead_of_its_crumbs():
    points, clump = clumps_of_crumbs(seed=0)
    fine = hdbscan_labels(points, 10)
    assert (fine < 0).mean() > DIFFUSE_NOISE_SHARE and fine.max() > 100
    coarse = density_labels(points, 10)
    assert coarse.max() + 1 == 6
    assert adjusted_rand_score(clump, coarse) > 0.9


def test_a_clumpy_layout_keeps_its_fine_topics():
    rng = np.random.default_rng(0)
    points = np.vstack([c + rng.normal(scale=0.5, size=(1_000, 5)) for c in range(0, 60, 10)])
    assert np.array_equal(density_labels(points, 10), hdbscan_labels(points, 10))


def test_clustering_leaves_at_most_the_configured_share_unassigned():
    points, _ = blobs()
    rng = np.random.default_rng(1)
    noise = rng.normal(size=(40, 16))
    mixed = np.vstack([points, noise / np.linalg.norm(noise, axis=1, keepdims=True)])
    settings = TopicSettings(reducer="pca", clusterer="hdbscan", min_topic_size=10)
    result = clustering(mixed, settings)
    assert (result.topics < 0).mean() <= settings.max_outlier_share


def test_clustering_is_deterministic_for_a_seed():
    points, _ = blobs(k=5, seed=3)
    first, second = clustering(points, FAST), clustering(points, FAST)
    assert first.topics.tolist() == second.topics.tolist()
    assert np.array_equal(first.confidence, second.confidence)


def test_class_keywords_rank_by_class_tf_idf():
    from scipy import sparse

    counts = sparse.csr_matrix(np.array([[4, 0, 1], [0, 3, 1]]))
    words = ["banjir", "gol", "warga"]
    assert class_keywords(counts, class_idf(counts), words, 2) == [
        ["banjir", "warga"],
        ["gol", "warga"],
    ]


def test_themes_group_nearby_topic_centres():
    base = np.eye(4)
    centres = np.vstack([base[0], base[0] + 0.1 * base[1], base[2], base[2] + 0.1 * base[3]])
    themes = theme_of_topics(centres, TopicSettings(themes=(2, 2)))
    assert themes.tolist() == [0, 0, 1, 1]


def test_matching_keeps_ids_of_similar_topics_and_reports_lineage():
    old_centres, new_centres = np.eye(4)[:3], np.eye(4)[[1, 0, 3]]
    keywords_old = [["banjir", "bpbd"], ["gol", "pemain"], ["kpu", "tps"]]
    keywords_new = [["gol", "pelatih"], ["banjir", "tanggul"], ["vaksin", "pasien"]]
    scores = topic_ids.match_scores(old_centres, keywords_old, new_centres, keywords_new)
    pairs = topic_ids.matched_pairs(scores)
    assert sorted(pairs) == [(0, 1), (1, 0)]
    ids, next_id = topic_ids.stable_ids(pairs, [10, 11, 12], 3, next_id=13)
    assert ids.tolist() == [11, 10, 13] and next_id == 14
    old = pd.DataFrame({"article_id": list("abcdef"), "topic_id": [10, 10, 11, 11, 12, 12]})
    new = pd.DataFrame({"article_id": list("abcdef"), "topic_id": [10, 10, 11, 11, 11, 13]})
    flow = topic_ids.member_flow(old, new)
    report = topic_ids.lineage([10, 11, 12], ids.tolist(), [10, 11], flow)
    assert report["kept"] == [10, 11] and report["new"] == [13] and report["gone"] == [12]
    assert report["split"] == [{"topic": 12, "into": [11, 13]}]
    assert report["merged"] == [{"topic": 11, "from": [11, 12]}]


def test_edits_resolve_merge_chains_and_ignore_unknown_targets():
    edits = topic_ids.TopicEdits.from_json({"merges": {"1": 2, "2": 3, "4": 99}, "hidden": [5]})
    assert edits.target(1, {1, 2, 3, 4}) == 3
    assert edits.target(4, {1, 2, 3, 4}) == 4
    assert topic_ids.TopicEdits.from_json(edits.to_json()) == edits


def test_document_texts_join_title_and_lead():
    frame = pd.DataFrame(
        {"title": ["Banjir di Serang", None], "text": ["satu dua tiga empat", "isi"]}
    )
    assert document_texts(frame, 2) == ["Banjir di Serang. satu dua", "isi"]


@pytest.mark.parametrize(
    "body",
    [
        "satu  dua\ntiga " * 40,
        "kata" + " " * 5_000 + "jauh sekali",  # the head holds one word: the whole body is split
        "a" * 3_000 + " ekor",  # one word longer than the head
        "pendek",
        "",
    ],
)
def test_lead_reads_only_the_head_yet_equals_splitting_the_whole_body(body):
    for n in (1, 5, 80):
        assert lead_of(body, n) == " ".join(body.split()[:n])


def test_tfidf_embedder_round_trips_through_its_files(tmp_path):
    texts = document_texts(theme_articles(8), 40)
    embedder = TfidfEmbedder(TfidfSettings(dimensions=16, char_chars=200))
    vectors = embedder.fit_embed(texts)
    np.testing.assert_allclose(embedder.embed(texts), vectors, atol=1e-6)
    embedder.save(tmp_path)
    assert not list(tmp_path.glob("*.pkl"))
    np.testing.assert_allclose(TfidfEmbedder.load(tmp_path).embed(texts), vectors, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_tfidf_embeddings_separate_the_fixture_themes():
    articles = theme_articles(10)
    texts = document_texts(articles, 40)
    vectors = TfidfEmbedder(TfidfSettings(dimensions=32)).fit_embed(texts)
    themes = theme_of(articles["article_id"]).to_numpy()
    similarity = vectors @ vectors.T
    same = themes[:, None] == themes[None, :]
    assert similarity[same].mean() > similarity[~same].mean() + 0.3


def test_tfidf_embeddings_do_not_depend_on_the_seed():
    """The SVD is a deterministic decomposition computed approximately: its start is fixed."""
    texts = document_texts(theme_articles(10), 40)
    a, b = (TfidfEmbedder(TfidfSettings(dimensions=16, seed=s)).fit_embed(texts) for s in (0, 1))
    np.testing.assert_allclose(a, b, atol=1e-6)


def test_tfidf_fits_its_vocabulary_on_a_sample_and_projects_in_chunks(tmp_path, monkeypatch):
    texts = document_texts(theme_articles(10), 40)
    monkeypatch.setattr(embeddings, "PROJECTION_CHUNK", 7)
    sizes: list[int] = []
    sampled = TfidfEmbedder(TfidfSettings(dimensions=8, vocabulary_sample=30))
    vectors = sampled.fit_embed(texts, sizes.append)
    assert len(texts) == 50 and sizes == [30, 7, 7, 6]
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    alone = TfidfEmbedder(TfidfSettings(dimensions=8))
    alone.fit_embed([texts[i] for i in sample_rows(len(texts), 30)])
    sampled.save(tmp_path / "sampled")
    alone.save(tmp_path / "alone")
    vocabulary = (tmp_path / "sampled" / "vocabulary-0.json").read_text()
    assert vocabulary == (tmp_path / "alone" / "vocabulary-0.json").read_text()


def test_e5_embeds_offline_and_caches_by_text(tmp_path, monkeypatch):
    texts = [
        "Banjir merendam rumah warga setelah hujan deras",
        "Genangan air setinggi lutut akibat hujan lebat",
        "Harga cabai di pasar naik dua kali lipat",
        "Banjir merendam rumah warga setelah hujan deras",
    ]
    embedder = make_embedder("e5", tmp_path)
    vectors = embedder.embed(texts)
    assert vectors.shape == (4, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert np.array_equal(vectors[0], vectors[3])

    def refuse(batch):
        raise AssertionError("a cached text was embedded again")

    monkeypatch.setattr(embedder, "_encode", refuse)
    np.testing.assert_array_equal(embedder.embed(texts[:3]), vectors[:3])


def test_vector_cache_merges_shards_and_keeps_every_vector(tmp_path, monkeypatch):
    monkeypatch.setattr("analysis.topics.embeddings.CACHE_SHARDS_MAX", 3)
    cache = VectorCache(tmp_path)
    keys = VectorCache.keys("m", [f"t{i}" for i in range(5)])
    for i in range(5):
        cache.add(keys[i : i + 1], np.full((1, 2), i, dtype=np.float32))
    found, vectors = cache.lookup(keys[::-1])
    assert found.all() and vectors[:, 0].tolist() == [4, 3, 2, 1, 0]
    assert len(list(tmp_path.glob("*.keys.npy"))) <= 3


def test_pretrained_embedder_embeds_each_distinct_text_once(tmp_path):
    calls = []

    def encode(batch):
        calls.extend(batch)
        return np.ones((len(batch), 3))

    embedder = PretrainedEmbedder("fake", encode, VectorCache(tmp_path))
    embedder.embed(["a", "b", "a"])
    embedder.embed(["b", "c"])
    assert calls == ["a", "b", "c"]


@pytest.mark.parametrize("name", ["bogus", "e5:extra", "st:", "st:/nonexistent/model", "m2v:/nope"])
def test_unusable_embedding_names_raise_clear_errors(name, tmp_path):
    with pytest.raises(EmbeddingError):
        make_embedder(name, tmp_path)


def test_tfidf_skips_char_ngrams_on_large_corpora_and_remembers_it(tmp_path):
    texts = document_texts(theme_articles(8), 40)
    embedder = TfidfEmbedder(TfidfSettings(dimensions=8, char_max_articles=10))
    vectors = embedder.fit_embed(texts)
    assert embedder.settings.char_chars == 0
    embedder.save(tmp_path)
    loaded = TfidfEmbedder.load(tmp_path)
    assert loaded.settings.char_chars == 0
    np.testing.assert_allclose(loaded.embed(texts), vectors, atol=1e-6)


def test_tfidf_embeds_large_corpora_in_more_dimensions(tmp_path, monkeypatch):
    import analysis.topics.embeddings as embeddings_module

    texts = document_texts(theme_articles(8), 40)
    monkeypatch.setattr(embeddings_module, "LARGE_CORPUS", len(texts))
    settings = TfidfSettings(dimensions=8, large_dimensions=12)
    large = TfidfEmbedder(settings)
    assert large.fit_embed(texts).shape == (len(texts), 12)
    large.save(tmp_path)
    assert TfidfEmbedder.load(tmp_path).embed(texts[:3]).shape == (3, 12)
    assert TfidfEmbedder(settings).fit_embed(texts[:-1]).shape == (len(texts) - 1, 8)


def test_centred_embeddings_remove_the_shared_direction():
    raw = {"a": [1, 1, 0], "b": [1, -1, 0], "c": [1, 0, 1], "d": [1, 0, -1]}

    def encode(batch):
        return np.array([raw[t] for t in batch], dtype=float)

    embedder = Centred(PretrainedEmbedder("fake", encode, VectorCache(None)))
    vectors = embedder.fit_embed(list("abcd"))
    expected = [[0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]]
    np.testing.assert_allclose(vectors, expected, atol=1e-6)
    np.testing.assert_allclose(embedder.embed(["d", "a"]), vectors[[3, 0]], atol=1e-6)


def test_word_rows_are_the_unit_tfidf_rows_of_words_and_pairs_of_a_tfidf_embedding_only():
    texts = [f"banjir bandang melanda desa {n}" for n in range(10)] + ["pemilu suara"] * 10
    tfidf = Centred(TfidfEmbedder(TfidfSettings(dimensions=4, char_chars=200)))
    tfidf.fit_embed(texts)
    articles = pd.DataFrame(
        {"title": ["Banjir bandang di desa", "kata"], "text": ["", "tak dikenal"]}
    )
    rows = word_rows(tfidf, articles)
    words = tfidf.inner._vectorizers[0].vocabulary_
    assert rows.shape == (2, len(words)) and rows[1].nnz == 0
    assert {"banjir", "banjir bandang"} <= {w for w, i in words.items() if rows[0, i] > 0}
    np.testing.assert_allclose(np.linalg.norm(rows[0].toarray()), 1.0, atol=1e-6)
    pretrained = Centred(PretrainedEmbedder("fake", np.ones, VectorCache(None)))
    assert has_word_rows(tfidf) and not has_word_rows(pretrained)


def test_word_rows_read_the_title_twice_and_the_whole_body():
    texts = ["banjir desa"] * 5 + ["pemilu suara"] * 5 + ["gempa kota"] * 5
    tfidf = Centred(TfidfEmbedder(TfidfSettings(dimensions=4, char_chars=0, lead_words=300)))
    tfidf.fit_embed(texts)
    vocabulary = tfidf.inner._vectorizers[0].vocabulary_
    far_body = " ".join(["kata"] * 500 + ["gempa"])  # its one known word stands past 300 words
    articles = pd.DataFrame({"title": ["Banjir", "Banjir"], "text": ["pemilu", far_body]})
    rows = word_rows(tfidf, articles).toarray()
    title, body, quake = (vocabulary[w] for w in ("banjir", "pemilu", "gempa"))
    assert rows[0, title] > rows[0, body] > 0  # equally rare, the title's word weighs more
    assert rows[1, quake] > 0
    assert word_texts(articles)[0] == "Banjir. Banjir. pemilu"


def test_tfidf_leaves_function_words_out_of_words_and_characters(tmp_path):
    """Headlines sharing "jadi" or "soal" are not alike for it; builds saved before keep theirs."""
    texts = [f"{subject} jadi soal {n}" for n in range(20) for subject in ("banjir", "pemilu")]
    embedder = TfidfEmbedder(TfidfSettings(dimensions=4, min_df=1))
    embedder.fit_embed(texts)
    words, chars = embedder._vectorizers
    assert {"jadi", "soal", "jadi soal"}.isdisjoint(words.vocabulary_)
    assert "banjir" in words.vocabulary_ and " jadi" not in chars.vocabulary_
    assert chars.build_preprocessor()("Banjir JADI Soal") == "banjir"
    embedder.save(tmp_path)
    settings = json.loads((tmp_path / "settings.json").read_text())
    del settings["stop_words"]
    (tmp_path / "settings.json").write_text(json.dumps(settings))
    assert TfidfEmbedder.load(tmp_path).settings.stop_words is False


def outlet_articles() -> tuple[list[str], list[str], np.ndarray]:
    """60 articles per outlet on two subjects; the fact-checker writes every one to a template."""
    rng = np.random.default_rng(0)
    subjects = {0: "banjir hujan sungai tanggul", 1: "pemilu suara partai calon"}
    template = "akun mengunggah arsip narasi unggahan pemeriksaan fakta menelusuri"
    texts, outlets, subject = [], [], []
    for outlet in ("harian", "cekfakta"):
        for n in range(60):
            body = " ".join(rng.choice(subjects[n % 2].split(), 3))
            style = " ".join(rng.choice(template.split(), 12))
            texts.append(f"{style} {body}" if outlet == "cekfakta" else body)
            outlets.append(outlet)
            subject.append(n % 2)
    return texts, outlets, np.array(subject)


def subject_margin(vectors: np.ndarray, subject: np.ndarray, outlets: list[str]) -> float:
    """Mean cosine of articles on one subject from different outlets, less that of articles on
    different subjects from one outlet."""
    same_subject = subject[:, None] == subject[None, :]
    outlet = np.array(outlets)
    same_outlet = outlet[:, None] == outlet[None, :]
    similarity = vectors @ vectors.T
    return (
        similarity[same_subject & ~same_outlet].mean()
        - similarity[~same_subject & same_outlet].mean()
    )


def test_centring_on_each_outlet_groups_by_subject_not_by_house_style(tmp_path):
    texts, outlets, subject = outlet_articles()
    settings = TfidfSettings(dimensions=8, char_chars=0, min_df=1)
    plain = Centred(TfidfEmbedder(settings)).fit_embed(texts)
    embedder = Centred(TfidfEmbedder(settings))
    by_outlet = embedder.fit_embed(texts, outlets=outlets)
    assert subject_margin(plain, subject, outlets) < 0 < subject_margin(by_outlet, subject, outlets)
    embedder.save(tmp_path)
    loaded = load_embedder("tfidf", tmp_path)
    assert sorted(loaded.outlet_means) == ["cekfakta", "harian"]
    np.testing.assert_allclose(loaded.embed(texts, outlets=outlets), by_outlet, atol=1e-5)
    unknown = loaded.embed(texts[:3], outlets=["baru"] * 3)
    np.testing.assert_allclose(unknown, loaded.embed(texts[:3]), atol=1e-6)


def test_small_outlets_and_one_outlet_corpora_are_not_shifted(tmp_path):
    texts, outlets, _ = outlet_articles()
    few = Centred(TfidfEmbedder(TfidfSettings(dimensions=8, char_chars=0, min_df=1)))
    few.fit_embed(texts[: 60 + 20], outlets=outlets[: 60 + 20])  # 20 fact-checks: under 50
    assert list(few.outlet_means) == ["harian"]
    alone = Centred(TfidfEmbedder(TfidfSettings(dimensions=8, char_chars=0, min_df=1)))
    vectors = alone.fit_embed(texts[:60], outlets=outlets[:60])
    assert alone.outlet_means == {}
    alone.save(tmp_path)
    np.testing.assert_allclose(
        load_embedder("tfidf", tmp_path).embed(texts[:60]), vectors, atol=1e-6
    )


def test_warm_start_keeps_previous_topics_and_adds_new_ones():
    points, truth = blobs(k=4)
    prior = np.where(truth < 3, truth, -1)  # the fourth group is new since the previous build
    centres = warm_centres(points, prior, 4, seed=0)
    np.testing.assert_allclose(centres[:3], [points[truth == t].mean(axis=0) for t in range(3)])
    labels = clustering(
        points, TopicSettings(reducer="none", clusterer="kmeans", n_topics=4), prior
    ).topics
    assert labels[truth < 3].tolist() == truth[truth < 3].tolist()
    assert len(set(labels[truth == 3])) == 1 and labels[truth == 3][0] == 3


@pytest.mark.parametrize("stops", [False, True], ids=["all words", "less function words"])
def test_word_pairs_are_the_terms_of_sklearns_word_bigrams(stops):
    from sklearn.feature_extraction.text import TfidfVectorizer

    dropped = embeddings.function_words() if stops else frozenset()

    texts = [
        *document_texts(theme_articles(20), 300),
        "Banjir ROB di Jakarta Utara: 1.200 warga mengungsi, a b c é-ñ 2024",
        "",
        "x",
        "Satu-satunya jalan... ke   Makassar\tdan\nPalu",
    ]
    common = {"sublinear_tf": True, "dtype": np.float32}
    theirs = TfidfVectorizer(ngram_range=(1, 2), stop_words=sorted(dropped) or None, **common)
    ours = TfidfVectorizer(analyzer=embeddings.WordPairs(dropped), **common)
    assert [ours.build_analyzer()(t) for t in texts] == [theirs.build_analyzer()(t) for t in texts]
    expected, got = theirs.fit_transform(texts), ours.fit_transform(texts)
    assert ours.vocabulary_ == theirs.vocabulary_
    for name in ("indptr", "indices", "data"):
        np.testing.assert_array_equal(getattr(got, name), getattr(expected, name))


def test_tfidf_fit_also_gives_the_vectors_embed_gives_bit_for_bit():
    """A build clusters the fit's vectors and assigns its sample with embed()'s, tokenized once."""
    articles = theme_articles(12)
    texts, outlets = document_texts(articles, 40), articles["source"].tolist()
    for settings in (
        TfidfSettings(dimensions=16, char_chars=200),
        TfidfSettings(dimensions=16, vocabulary_sample=40),
    ):
        embedder = Centred(TfidfEmbedder(settings))
        fitted, as_embedded = embedder.fit_and_embed(texts, outlets=outlets)
        assert np.array_equal(
            fitted, Centred(TfidfEmbedder(settings)).fit_embed(texts, outlets=outlets)
        )
        assert np.array_equal(as_embedded, embedder.embed(texts, outlets=outlets))


def test_the_described_model_keeps_no_representative_documents():
    """A build picks its own representative articles; BERTopic's were computed and never read."""
    articles = theme_articles(20)
    docs = document_texts(articles, 100)
    topics = theme_of(articles["article_id"]).factorize()[0]
    vectors = TfidfEmbedder().fit_embed(docs)
    counts, words = document_terms(docs, TopicSettings())
    model = described_model(docs, vectors, topics, words, TopicSettings())
    assert model.representative_docs_ == {}
    assert len(model.get_topic(0)) == TopicSettings().top_words
