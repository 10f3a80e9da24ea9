"""Build and update the topics of a store, and write or read a build folder.

A build is a versioned folder (written under a temporary name, then published atomically):

    build.json                     version, seed, embedding, settings, counts, timings, quality, lineage
    topics.parquet                 one row per topic, stable topic_id, labels, keywords, theme, centre
    themes.parquet                 one row per broad theme
    assignments.parquet            one row per article: topic, confidence, theme
    topic_words_by_period.parquet  top words per topic per month
    topic_words_by_class.parquet   top words per topic per province and per outlet
    doc_map.parquet                2-D coordinates per article for a document map
    keyword_terms.parquet          the keyword vocabulary and its class idf (to redo word tables)
    model/                         the BERTopic model (safetensors)
    embedder/                      the fitted embedding backend (JSON and .npy)
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy import sparse

from analysis import topic_ids
from analysis.dashboard import write_build_cube
from analysis.embeddings import (
    DEFAULT_EMBEDDING,
    Centred,
    Embedder,
    EmbeddingError,
    document_texts,
    load_embedder,
    make_embedder,
)
from analysis.topic_tables import (
    CLASS_FIELDS,
    assignment_table,
    base_topic_table,
    changed_groups,
    class_table,
    doc_map_table,
    group_values,
    in_changed_groups,
    period_table,
    reworded,
    theme_table,
    with_group_sizes,
    with_groups_replaced,
    with_sizes,
    with_themes,
)
from analysis.topics import (
    FAST_TOPICS,
    Clustering,
    TopicSettings,
    centroids,
    class_idf,
    class_keywords,
    clustering,
    confidences,
    described_model,
    document_terms,
    grouped_counts,
    keywords_of,
    load_settings,
    model_order,
    nearest,
    news_vectorizer,
    save_model,
    theme_of_topics,
    unassigned,
)
from data.store import Store

BUILD_FORMAT = 1
ARTICLE_FIELDS = ["article_id", "title", "text", "published_at", "source", "province"]
KEYWORD_LEAD_WORDS = 80  # words of the body (after the title) that topic keywords are drawn from
LOW_CONFIDENCE = 0.2
REBUILD_NEW_SHARE = 0.2
REBUILD_LOW_CONFIDENCE = 0.3
SETTINGS_META = "topic_settings"
UPDATE_BATCH = 20_000  # new articles embedded and assigned at a time
TABLES = (
    "topics",
    "themes",
    "assignments",
    "topic_words_by_period",
    "topic_words_by_class",
    "doc_map",
    "keyword_terms",
)


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


@dataclass
class Build:
    """The tables of one build and its build.json."""

    info: dict[str, Any]
    topics: pd.DataFrame
    themes: pd.DataFrame
    assignments: pd.DataFrame
    topic_words_by_period: pd.DataFrame
    topic_words_by_class: pd.DataFrame
    doc_map: pd.DataFrame
    keyword_terms: pd.DataFrame  # word, idf: what the word tables are computed with


@contextmanager
def _timed(timings: dict[str, float], name: str) -> Iterator[None]:
    """Add the seconds spent in the block to timings[name]."""
    start = time.perf_counter()
    yield
    timings[name] = round(timings.get(name, 0.0) + time.perf_counter() - start, 3)


# -- reading ---------------------------------------------------------------------------------------


def corpus(store: Store) -> pd.DataFrame:
    """The store's articles in a stable order (by article_id), one row per id."""
    articles = store.articles(columns=ARTICLE_FIELDS)
    return (
        articles.drop_duplicates("article_id")
        .sort_values("article_id", kind="stable")
        .reset_index(drop=True)
    )


def read_build(folder: Path) -> Build:
    """A build's tables and info, read from its folder (no model is loaded)."""
    info = json.loads((folder / "build.json").read_text(encoding="utf-8"))
    return Build(info=info, **{name: _build_table(folder, name) for name in TABLES})


def _build_table(folder: Path, name: str) -> pd.DataFrame:
    """One table of a build; builds written before keyword_terms existed read as having none."""
    path = folder / f"{name}.parquet"
    if name == "keyword_terms" and not path.exists():
        return pd.DataFrame({"word": pd.Series(dtype=object), "idf": pd.Series(dtype="float64")})
    return pd.read_parquet(path)


def current_build(store: Store) -> Build | None:
    """The store's current build, or None before the first one."""
    folder = store.current_build()
    return read_build(folder) if folder is not None else None


def topic_edits(store: Store) -> topic_ids.TopicEdits:
    """The user's topic edits saved in the store."""
    return topic_ids.TopicEdits.from_json(store.read_meta(topic_ids.EDITS_META))


def save_topic_edits(store: Store, edits: topic_ids.TopicEdits) -> None:
    """Save topic edits; they apply to the next build or update and survive rebuilds."""
    store.write_meta(topic_ids.EDITS_META, edits.to_json())


# -- matching to the previous build ----------------------------------------------------------------


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
    scores = topic_ids.match_scores(
        old_centres, old["keywords"].tolist(), clusters.centres, keywords
    )
    pairs = topic_ids.matched_pairs(scores)
    old_ids = old["topic_id"].tolist()
    ids, next_id = topic_ids.stable_ids(pairs, old_ids, n_new, int(previous.info["next_topic_id"]))
    new_members = pd.DataFrame(
        {
            "article_id": articles["article_id"],
            "topic_id": np.where(clusters.topics >= 0, ids[clusters.topics], -1),
        }
    )
    old_members = previous.assignments[["article_id", "base_topic_id"]].rename(
        columns={"base_topic_id": "topic_id"}
    )
    flow = topic_ids.member_flow(old_members, new_members)
    kept = [old_ids[o] for o, _ in pairs]
    return ids, next_id, topic_ids.lineage(old_ids, ids.tolist(), kept, flow)


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


# -- build -----------------------------------------------------------------------------------------


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


def themed_topics(
    topics: pd.DataFrame,
    topic_counts,
    words: list[str],
    centres: np.ndarray,
    settings: TopicSettings,
) -> tuple[pd.DataFrame, list[list[str]]]:
    """Topics with a broad theme each, and each theme's keywords."""
    theme = theme_of_topics(centres, settings)
    theme_counts, _ = grouped_counts(topic_counts, theme)
    theme_words = class_keywords(theme_counts, class_idf(theme_counts), words, settings.top_words)
    return with_themes(topics, theme, theme_words), theme_words


def build_topics(
    articles: pd.DataFrame,
    embedder: Embedder,
    settings: TopicSettings,
    previous: Build | None = None,
    edits: topic_ids.TopicEdits | None = None,
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
        topics, theme_words = themed_topics(
            base_topic_table(articles, clusters, keywords, ids, order),
            topic_counts,
            words,
            clusters.centres,
            settings,
        )
        topics = topic_ids.edited_topics(topics, edits or topic_ids.TopicEdits())
        base = np.where(assigned, ids[clusters.topics], -1)
        assignments = assignment_table(articles, base, clusters.confidence, topics)
        topics = with_sizes(topics, assignments)
        idf = class_idf(topic_counts)
        history = [
            table(articles, assignments, doc_terms, words, idf, settings.top_words)
            for table in (period_table, class_table)
        ]
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


def write_tables(folder: Path, build: Build) -> None:
    """Write a build's tables as Parquet, the dashboard's coverage cube, and build.json."""
    for name in TABLES:
        getattr(build, name).to_parquet(folder / f"{name}.parquet", index=False)
    write_build_cube(folder, build.assignments)
    (folder / "build.json").write_text(
        json.dumps(build.info, indent=1, ensure_ascii=False), encoding="utf-8"
    )


def write_build(
    folder: Path, build: Build, model, embedder: Embedder, settings: TopicSettings
) -> None:
    """Write tables, model (safetensors) and embedder (JSON/.npy) into an empty build folder."""
    save_model(model, folder / "model", settings)
    embedder.save(folder / "embedder")
    write_tables(folder, build)


def publish(store: Store, build: Build, write) -> Path:
    """Write a build with write(folder) into a fresh folder, stamp its version, make it current."""
    folder = store.new_build_dir()
    try:
        build.info["version"] = folder.name.removesuffix(".tmp")
        write(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return store.publish_build(folder)


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
    build, model = build_topics(
        articles, embedder, settings, current_build(store), topic_edits(store), progress
    )
    (progress or Silent()).stage("saving")
    build.info["fast"] = fast
    build.info["timings"]["total"] = round(time.perf_counter() - started, 3)
    publish(store, build, lambda folder: write_build(folder, build, model, embedder, settings))
    return build.info


# -- update ----------------------------------------------------------------------------------------


def assign_new(
    embeddings: np.ndarray, topics: pd.DataFrame, max_outlier_share: float
) -> tuple[np.ndarray, np.ndarray]:
    """Nearest-centre base topic (stable id, -1 if far off) and confidence of new articles."""
    centres = np.vstack(topics["centroid"].to_numpy()).astype(np.float32)
    quantiles = np.vstack(topics["similarity_quantiles"].to_numpy()).astype(np.float32)
    row, similarity = nearest(embeddings, centres)
    far = unassigned(similarity, row, quantiles, max_outlier_share)
    confidence = np.where(far, 0.0, confidences(similarity, row, quantiles))
    return np.where(far, -1, topics["topic_id"].to_numpy()[row]), confidence


def text_batches(articles: pd.DataFrame, rows: np.ndarray, lead_words: int) -> Iterator[list[str]]:
    """document_texts of the articles at positions rows, UPDATE_BATCH at a time (no copy of the rest)."""
    for start in range(0, len(rows), UPDATE_BATCH):
        yield document_texts(articles.iloc[rows[start : start + UPDATE_BATCH]], lead_words)


def assigned_in_batches(
    articles: pd.DataFrame,
    rows: np.ndarray,
    embedder: Embedder,
    topics: pd.DataFrame,
    max_outlier_share: float,
    progress: Progress,
) -> tuple[np.ndarray, np.ndarray]:
    """assign_new for the articles at positions rows, a batch at a time: memory stays flat."""
    parts = [
        assign_new(embedder.embed(texts, progress.advance), topics, max_outlier_share)
        for texts in text_batches(articles, rows, embedder.lead_words)
    ]
    base, confidence = zip(*parts, strict=True)
    return np.concatenate(base), np.concatenate(confidence)


def rebuild_reasons(info: dict[str, Any], low_share: float) -> list[str]:
    """Why a rebuild is due (empty when it is not)."""
    reasons = []
    new_share = info["n_assigned_since_fit"] / max(1, info["n_fitted"])
    if new_share > REBUILD_NEW_SHARE:
        reasons.append(f"{new_share:.0%} of the articles arrived after the last build")
    limit = max(REBUILD_LOW_CONFIDENCE, 2 * info["quality"]["low_confidence_share"])
    if low_share > limit:
        reasons.append(f"{low_share:.0%} of the new articles fit their topic poorly")
    return reasons


def is_known(ids: pd.Series, known: pd.Series) -> np.ndarray:
    """Whether each id is among known, by pyarrow's hash lookup (15x faster than pandas' isin on
    a million arrow strings, which walks Python objects)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    found = pc.is_in(
        pa.array(ids, type=pa.large_string()), value_set=pa.array(known, type=pa.large_string())
    )
    return found.to_numpy(zero_copy_only=False)


def has_fresh_articles(store: Store, known: pd.Series) -> bool:
    """Whether the store holds articles that a build has not assigned yet (reads only the ids)."""
    return not is_known(store.articles(columns=["article_id"])["article_id"], known).all()


def store_articles(store: Store) -> pd.DataFrame:
    """The store's articles, one row per id, in the store's order (copied only if ids repeat)."""
    articles = store.articles(columns=ARTICLE_FIELDS)
    repeated = articles["article_id"].duplicated()
    return articles[~repeated].reset_index(drop=True) if repeated.any() else articles


def fresh_rows(articles: pd.DataFrame, known: pd.Series) -> np.ndarray:
    """Positions of the articles a build has not assigned yet, in article_id order."""
    ids = articles["article_id"].to_numpy()
    new = np.flatnonzero(~is_known(articles["article_id"], known))
    return new[np.argsort(ids[new], kind="stable")]


def keyword_counts(
    articles: pd.DataFrame, rows: np.ndarray, words: list[str], settings: TopicSettings
) -> sparse.csr_matrix:
    """Keyword document-term counts of the articles at positions rows over a build's vocabulary."""
    vectorizer = news_vectorizer(settings, words)
    return sparse.vstack(
        [vectorizer.transform(t) for t in text_batches(articles, rows, KEYWORD_LEAD_WORDS)],
        format="csr",
    )


PERIOD_KEYS = ["topic_id", "period"]
CLASS_KEYS = ["class_name", "topic_id", "value"]


def period_and_class_groups(changed: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Changed groups split into those of the period table and of the class table, keyed as each."""
    is_period = changed["grouping"] == "period"
    return (
        changed[is_period].rename(columns={"value": "period"}),
        changed[~is_period].rename(columns={"grouping": "class_name"}),
    )


def refreshed_word_tables(
    build: Build, articles: pd.DataFrame, assignments: pd.DataFrame, settings: TopicSettings
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The build's per-period and per-class word tables, brought up to date.

    A group (topic and month, province or outlet) changes when an article joins it (a new article,
    or one moved by a merge) or leaves it. Every changed group gets its new size; where enough of
    it changed (REWORD_SHARE, and always for new groups), the words of its articles are counted
    again over the build's vocabulary and idf. Untouched groups keep their rows.
    """
    if build.keyword_terms.empty:  # a build from before they were kept: nothing to count with
        return build.topic_words_by_period, build.topic_words_by_class
    ids = articles["article_id"]
    before = ids.map(build.assignments.set_index("article_id")["topic_id"]).fillna(-1)
    after = ids.map(assignments.set_index("article_id")["topic_id"]).to_numpy()
    values = group_values(articles)
    changed = changed_groups(values, before.astype("int64").to_numpy(), after)
    period_changes, class_changes = period_and_class_groups(changed)
    by_period = with_group_sizes(build.topic_words_by_period, period_changes, PERIOD_KEYS)
    by_class = with_group_sizes(build.topic_words_by_class, class_changes, CLASS_KEYS)
    changed = reworded(changed)
    rows = np.flatnonzero(in_changed_groups(values, after, changed))
    if not len(rows):
        return by_period, by_class
    members = articles[["published_at", *CLASS_FIELDS]].iloc[rows].reset_index(drop=True)
    now = pd.DataFrame({"topic_id": after[rows]})
    words = build.keyword_terms["word"].tolist()
    idf = build.keyword_terms["idf"].to_numpy()
    counts = keyword_counts(articles, rows, words, settings)
    periods, classes = (
        table(members, now, counts, words, idf, settings.top_words)
        for table in (period_table, class_table)
    )
    period_changes, class_changes = period_and_class_groups(changed)
    return (
        with_groups_replaced(by_period, periods, period_changes, PERIOD_KEYS),
        with_groups_replaced(by_class, classes, class_changes, CLASS_KEYS),
    )


def update_store(store: Store, progress: Progress | None = None) -> dict[str, Any]:
    """Assign articles added since the current build to its topics, without refitting."""
    started = time.perf_counter()
    progress = progress or Silent()
    folder = store.current_build()
    if folder is None:
        raise BuildError(
            f"{store.path} has no topic build yet; run `python -m analysis build` first"
        )
    build = read_build(folder)
    info = {**build.info, "kind": "update", "based_on": build.info["version"]}
    if not has_fresh_articles(store, build.assignments["article_id"]):
        low_share = info.get("last_update", {}).get("low_confidence_share", 0.0)
        reasons = rebuild_reasons(info, low_share)
        return {
            **info,
            "n_new": 0,
            "low_confidence_share": low_share,
            "rebuild_due": bool(reasons),
            "rebuild_reasons": reasons,
            "seconds": round(time.perf_counter() - started, 3),
        }
    articles = store_articles(store)
    rows = fresh_rows(articles, build.assignments["article_id"])
    fresh = articles[["article_id"]].iloc[rows]
    embedder = load_embedder(info["embedding"], folder / "embedder", store.path)
    topics = topic_ids.edited_topics(build.topics, topic_edits(store))
    progress.stage(f"embedding ({embedder.name}) and assigning", total=len(fresh))
    base, confidence = assigned_in_batches(
        articles, rows, embedder, topics, info["settings"]["max_outlier_share"], progress
    )
    added = assignment_table(fresh, base, confidence, topics)
    low_share = float((added["topic_confidence"] < LOW_CONFIDENCE).mean())
    info["n_assigned_since_fit"] = info["n_assigned_since_fit"] + len(fresh)
    info["n_articles"] = info["n_articles"] + len(fresh)
    reasons = rebuild_reasons(info, low_share)
    report = {
        "n_new": len(fresh),
        "low_confidence_share": round(low_share, 4),
        "unassigned_share": round(float((added["topic_id"] < 0).mean()), 4),
        "rebuild_due": bool(reasons),
        "rebuild_reasons": reasons,
    }
    info["last_update"] = report
    assignments = pd.concat(
        [topic_ids_reapplied(build.assignments, topics), added], ignore_index=True
    )
    topics = with_sizes(topics, assignments)
    progress.stage("words per period and class")
    updated = Build(
        info,
        topics,
        theme_table(topics, assignments, build.themes.set_index("theme")["keywords"].to_dict()),
        assignments,
        *refreshed_word_tables(build, articles, assignments, load_settings(folder / "model")),
        build.doc_map,
        build.keyword_terms,
    )
    progress.stage("saving")
    publish(store, updated, lambda new: write_update(folder, new, updated))
    return {**info, **report, "seconds": round(time.perf_counter() - started, 3)}


def topic_ids_reapplied(assignments: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    """Existing assignments with the current edits (labels, merges) applied again."""
    confidence = assignments["topic_confidence"].to_numpy()
    return assignment_table(
        assignments, assignments["base_topic_id"].to_numpy(), confidence, topics
    )


def write_update(source: Path, folder: Path, build: Build) -> None:
    """An updated build: the previous build's model and embedder, with new tables and info."""
    for part in ("model", "embedder"):
        shutil.copytree(source / part, folder / part, copy_function=_link_or_copy)
    write_tables(folder, build)


def _link_or_copy(src: str, dst: str) -> None:
    """Hard-link a file (builds never change once written), copying where links are impossible."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
