"""Build the topics of a store: embed, cluster, describe, match to the previous build, publish.

The stages and what they write are timed into build.json; `build_folder` says what a build folder
holds, `update` assigns later articles to a build without refitting.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy import sparse
from threadpoolctl import threadpool_limits

from analysis.topics.build_folder import (
    Build,
    current_build,
    publish,
    topic_edits,
    write_tables,
)
from analysis.topics.clustering import (
    Clustering,
    centroids,
    clustering,
    theme_of_topics,
)
from analysis.topics.embeddings import (
    DEFAULT_EMBEDDING,
    Centred,
    Embedder,
    EmbeddingError,
    document_texts,
    make_embedder,
)
from analysis.topics.ids import (
    TopicEdits,
    edited_topics,
    lineage,
    match_scores,
    matched_pairs,
    member_flow,
    stable_ids,
)
from analysis.topics.naming import (
    class_idf,
    class_keywords,
    described_model,
    document_terms,
    grouped_counts,
    keywords_of,
    model_order,
    save_model,
    topic_label,
)
from analysis.topics.phrases import group_names, phrases_of
from analysis.topics.settings import FAST_TOPICS, TopicSettings
from analysis.topics.tables import (
    WordCounts,
    assignment_table,
    base_topic_table,
    class_table,
    doc_map_table,
    period_table,
    theme_table,
    with_sizes,
    with_themes,
)
from data.store import Store

BUILD_FORMAT = 1
ARTICLE_FIELDS = ["article_id", "title", "text", "published_at", "source", "province"]
KEYWORD_LEAD_WORDS = 80  # words of the body (after the title) that topic keywords are drawn from
LOW_CONFIDENCE = 0.2
SETTINGS_META = "topic_settings"

#: BLAS threads during a build. The SVD's QR and LU factorisations of tall matrices ran 2-7x slower
#: with two OpenBLAS threads than with one whenever the cores were busy (a 5,000-article embedding:
#: 17-59 s against 11 s on 2 cores at load average 4); the rest of a build barely uses BLAS.
BLAS_THREADS = 1


class BuildError(Exception):
    """A build or update that cannot run as asked (empty store, no build yet, bad backend)."""


class Progress(Protocol):
    """Where a long run reports its stages and the items done in the current one."""

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, n: int) -> None: ...


class Silent:
    """Progress that reports nothing."""

    def stage(self, name: str, total: int | None = None) -> None:
        """Ignore the stage."""

    def advance(self, n: int) -> None:
        """Ignore the step."""


@contextmanager
def _timed(timings: dict[str, float], name: str) -> Iterator[None]:
    """Add the seconds spent in the block to timings[name]."""
    start = time.perf_counter()
    yield
    timings[name] = round(timings.get(name, 0.0) + time.perf_counter() - start, 3)


def corpus(store: Store) -> pd.DataFrame:
    """The store's articles in a stable order (by article_id), one row per id."""
    articles = store.articles(columns=ARTICLE_FIELDS)
    return (
        articles.drop_duplicates("article_id")
        .sort_values("article_id", kind="stable")
        .reset_index(drop=True)
    )


def inherited_ids(
    previous: Build | None,
    articles: pd.DataFrame,
    embeddings: np.ndarray,
    clusters: Clustering,
    keywords: list[list[str]],
) -> tuple[np.ndarray, int, dict[str, list]]:
    """Stable ids for the new topics, the next free id, and the lineage from the previous build."""
    n_new = len(clusters.centres)
    if previous is None:
        order = np.argsort(
            -np.bincount(clusters.topics[clusters.topics >= 0], minlength=n_new), kind="stable"
        )
        ids = np.empty(n_new, dtype=np.int64)
        ids[order] = np.arange(n_new)
        return (
            ids,
            n_new,
            {"kept": [], "new": sorted(ids.tolist()), "gone": [], "merged": [], "split": []},
        )
    old = previous.topics
    old_centres = old_centres_now(previous, articles, embeddings)
    scores = match_scores(old_centres, old["keywords"].tolist(), clusters.centres, keywords)
    pairs = matched_pairs(scores)
    old_ids = old["topic_id"].tolist()
    ids, next_id = stable_ids(pairs, old_ids, n_new, int(previous.info["next_topic_id"]))
    new_members = pd.DataFrame(
        {
            "article_id": articles["article_id"],
            "topic_id": np.where(clusters.topics >= 0, ids[clusters.topics], -1),
        }
    )
    old_members = previous.assignments[["article_id", "base_topic_id"]].rename(
        columns={"base_topic_id": "topic_id"}
    )
    flow = member_flow(old_members, new_members)
    kept = [old_ids[o] for o, _ in pairs]
    return ids, next_id, lineage(old_ids, ids.tolist(), kept, flow)


def prior_topics(previous: Build | None, articles: pd.DataFrame) -> np.ndarray | None:
    """Each article's topic row in the previous build's topics table (-1 if none), or None."""
    if previous is None:
        return None
    row_of = pd.Series(np.arange(len(previous.topics)), index=previous.topics["topic_id"])
    base = previous.assignments.set_index("article_id")["base_topic_id"]
    rows = articles["article_id"].map(base).map(row_of)
    return rows.fillna(-1).astype("int64").to_numpy()


def old_centres_now(previous: Build, articles: pd.DataFrame, embeddings: np.ndarray) -> np.ndarray:
    """The previous topics' centres in today's embedding space (their members' mean), or as stored."""
    stored = np.vstack(previous.topics["centroid"].to_numpy()).astype(np.float32)
    members = previous.assignments[["article_id", "base_topic_id"]]
    position = pd.Index(articles["article_id"]).get_indexer(members["article_id"])
    present = (position >= 0) & (members["base_topic_id"].to_numpy() >= 0)
    row_of = {t: i for i, t in enumerate(previous.topics["topic_id"])}
    labels = np.full(len(articles), -1)
    labels[position[present]] = [row_of[t] for t in members["base_topic_id"].to_numpy()[present]]
    now = centroids(embeddings, labels, len(row_of))
    missing = ~np.any(now != 0, axis=1)
    if missing.any() and stored.shape[1] == embeddings.shape[1]:
        now[missing] = stored[missing]
    return now


def stored_settings(store: Store, seed: int, fast: bool = False) -> TopicSettings:
    """Topic settings for a store: defaults, overridden by the store's meta "topic_settings"
    (and by the quick settings when fast)."""
    overrides = store.read_meta(SETTINGS_META, {}) or {}
    known = set(TopicSettings.__dataclass_fields__)
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise BuildError(f"unknown topic settings in {SETTINGS_META}: {', '.join(unknown)}")
    if "themes" in overrides:
        overrides = {**overrides, "themes": tuple(overrides["themes"])}
    return TopicSettings(**{**overrides, **(FAST_TOPICS if fast else {}), "seed": seed})


def fitted_embedder(name: str, store: Store, seed: int, fast: bool = False) -> Embedder:
    """The embedding backend by name, with a user error instead of a traceback."""
    try:
        return Centred(make_embedder(name, store.path, seed=seed, fast=fast))
    except EmbeddingError as exc:
        raise BuildError(str(exc)) from exc


def described_topics(
    keyword_docs: list[str],
    doc_terms: sparse.csr_matrix,
    words: list[str],
    embeddings: np.ndarray,
    clusters: Clustering,
    settings: TopicSettings,
):
    """BERTopic fitted on the clustered articles; the model, its number for each topic, keywords."""
    rows = clusters.fit_rows
    present = np.asarray(doc_terms[rows].sum(axis=0)).ravel() > 0
    vocabulary = [w for w, keep in zip(words, present, strict=True) if keep]
    sample = [keyword_docs[i] for i in rows]
    model = described_model(sample, embeddings[rows], clusters.topics[rows], vocabulary, settings)
    order = model_order(clusters.topics[rows], model.topics_)
    every = keywords_of(model, int(order.max()) + 1)
    return model, order, [every[m] for m in order]


def fitted_title_phrases(articles: pd.DataFrame, clusters: Clustering) -> list[dict[str, str]]:
    """The candidate name phrases of the titles of the articles the clusterer was fitted on."""
    titles = articles["title"].fillna("").astype(str).to_numpy()[clusters.fit_rows]
    return phrases_of(titles.tolist())


def named(
    phrases: list[dict[str, str]], clusters: Clustering, groups: np.ndarray, keywords
) -> list[str]:
    """A name for each group of topics 0..k-1 (groups: the group of each topic; keywords: each
    group's), from the phrases of the fitted articles' titles (fitted_title_phrases)."""
    topics = clusters.topics[clusters.fit_rows]
    of_rows = np.where(topics >= 0, groups[np.maximum(topics, 0)], -1)
    fallbacks = [topic_label(words) for words in keywords]
    weights = clusters.confidence[clusters.fit_rows]
    return group_names(phrases, of_rows, weights, keywords, fallbacks)


def themed_topics(
    phrases: list[dict[str, str]],
    topics: pd.DataFrame,
    topic_counts,
    words: list[str],
    clusters: Clustering,
    settings: TopicSettings,
) -> tuple[pd.DataFrame, list[list[str]]]:
    """Topics with a broad theme each, and each theme's keywords."""
    theme = theme_of_topics(clusters.centres, settings)
    theme_counts, _ = grouped_counts(topic_counts, theme)
    theme_words = class_keywords(theme_counts, class_idf(theme_counts), words, settings.top_words)
    names = named(phrases, clusters, theme, theme_words)
    return with_themes(topics, theme, names), theme_words


def build_topics(
    articles: pd.DataFrame,
    embedder: Embedder,
    settings: TopicSettings,
    previous: Build | None = None,
    edits: TopicEdits | None = None,
    progress: Progress | None = None,
):
    """Fit topics on articles (sorted by id); the build's tables and the BERTopic model."""
    progress = progress or Silent()
    timings: dict[str, float] = {}
    with _timed(timings, "embed"):
        texts = document_texts(articles, embedder.lead_words)
        progress.stage(f"embedding ({embedder.name})", total=len(texts))
        embeddings = embedder.fit_embed(texts, progress.advance)
    with _timed(timings, "cluster"):
        progress.stage("clustering")
        clusters = clustering(embeddings, settings, prior_topics(previous, articles))
    with _timed(timings, "describe"):
        progress.stage("describing topics")
        keyword_docs = document_texts(articles, KEYWORD_LEAD_WORDS)
        doc_terms, words = document_terms(keyword_docs, settings)
        model, order, keywords = described_topics(
            keyword_docs, doc_terms, words, embeddings, clusters, settings
        )
    with _timed(timings, "match"):
        progress.stage("matching to the previous build")
        ids, next_id, lineage = inherited_ids(previous, articles, embeddings, clusters, keywords)
    with _timed(timings, "tables"):
        progress.stage("themes, history and map")
        assigned = clusters.topics >= 0
        topic_counts, _ = grouped_counts(doc_terms[assigned], clusters.topics[assigned])
        phrases = fitted_title_phrases(articles, clusters)
        names = named(phrases, clusters, np.arange(len(keywords)), keywords)
        topics, theme_words = themed_topics(
            phrases,
            base_topic_table(articles, clusters, names, keywords, ids, order),
            topic_counts,
            words,
            clusters,
            settings,
        )
        topics = edited_topics(topics, edits or TopicEdits())
        base = np.where(assigned, ids[clusters.topics], -1)
        assignments = assignment_table(articles, base, clusters.confidence, topics)
        topics = with_sizes(topics, assignments)
        idf = class_idf(topic_counts)
        counts = WordCounts(doc_terms, words, idf, settings.top_words)
        history = [table(articles, assignments, counts) for table in (period_table, class_table)]
        doc_map = doc_map_table(articles, clusters, assignments)
    info = {
        "format": BUILD_FORMAT,
        "kind": "build",
        "seed": settings.seed,
        "embedding": embedder.name,
        "settings": settings.to_dict(),
        "n_articles": len(articles),
        "n_fitted": len(articles),
        "n_assigned_since_fit": 0,
        "n_topics": len(topics),
        "n_themes": len(theme_words),
        "next_topic_id": next_id,
        "timings": timings,
        "quality": quality(clusters, keywords),
        "lineage": lineage,
        "splits": clusters.splits,
    }
    themes = theme_table(topics, assignments, theme_words)
    terms = pd.DataFrame({"word": words, "idf": idf})
    return Build(info, topics, themes, assignments, *history, doc_map, terms), model


def quality(clusters: Clustering, keywords: list[list[str]]) -> dict[str, float]:
    """Numbers that tell whether a build is healthy."""
    assigned = clusters.topics >= 0
    flat = [w for words in keywords for w in words]
    return {
        "outlier_share": round(float(1 - assigned.mean()), 4),
        "low_confidence_share": round(
            float((clusters.confidence[assigned] < LOW_CONFIDENCE).mean()), 4
        ),
        "mean_confidence": round(float(clusters.confidence[assigned].mean()), 4),
        "keyword_diversity": round(len(set(flat)) / max(1, len(flat)), 4),
        **{k: round(v, 4) for k, v in clusters.stats.items()},
    }


def write_build(
    folder: Path, build: Build, model, embedder: Embedder, settings: TopicSettings
) -> None:
    """Write tables, model (safetensors) and embedder (JSON/.npy) into an empty build folder."""
    save_model(model, folder / "model", settings)
    embedder.save(folder / "embedder")
    write_tables(folder, build)


def build_store(
    store: Store,
    embedding: str = DEFAULT_EMBEDDING,
    seed: int = 0,
    settings: TopicSettings | None = None,
    progress: Progress | None = None,
    fast: bool = False,
) -> dict[str, Any]:
    """Build topics for every article in the store and make the build current; its build.json.

    fast: quick settings for a first look (a small LSA, PCA instead of UMAP): coarser topics in
    seconds rather than minutes.
    """
    started = time.perf_counter()
    settings = settings or stored_settings(store, seed, fast)
    articles = corpus(store)
    if len(articles) < 3:
        raise BuildError(
            f"{store.path} holds {len(articles)} articles; ingest some before building topics"
        )
    embedder = fitted_embedder(embedding, store, settings.seed, fast)
    with threadpool_limits(BLAS_THREADS):
        build, model = build_topics(
            articles, embedder, settings, current_build(store), topic_edits(store), progress
        )
    (progress or Silent()).stage("saving")
    build.info["fast"] = fast
    build.info["timings"]["total"] = round(time.perf_counter() - started, 3)
    publish(store, build, lambda folder: write_build(folder, build, model, embedder, settings))
    return build.info
