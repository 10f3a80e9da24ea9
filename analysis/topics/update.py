"""Update a build: assign the articles ingested since to its topics without refitting, bring its
word tables up to date, and say when a rebuild is due.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.topics.build import (
    KEYWORD_LEAD_WORDS,
    LOW_CONFIDENCE,
    BuildError,
    Progress,
    Silent,
    while_parts_stay,
)
from analysis.topics.build_folder import Build, publish, read_build, topic_edits, write_tables
from analysis.topics.clustering import confidences, nearest, unassigned
from analysis.topics.embeddings import Centred, document_texts, load_embedder
from analysis.topics.ids import edited_topics
from analysis.topics.naming import load_settings, news_vectorizer
from analysis.topics.on_cluster import assigned
from analysis.topics.settings import TopicSettings
from analysis.topics.tables import (
    CLASS_FIELDS,
    TopWords,
    WordCounts,
    assignment_table,
    changed_groups,
    class_table,
    group_values,
    in_changed_groups,
    period_table,
    reworded,
    theme_table,
    topic_ids_reapplied,
    with_group_sizes,
    with_groups_replaced,
    with_sizes,
)
from data.store import Store

REBUILD_NEW_SHARE = 0.2
REBUILD_LOW_CONFIDENCE = 0.3
UPDATE_BATCH = 20_000  # new articles embedded and assigned at a time
PERIOD_KEYS = ["topic_id", "period"]
#: What an update reads of every article: its id and what the word tables group it by.
GROUP_FIELDS = ["article_id", "published_at", *CLASS_FIELDS]
CLASS_KEYS = ["class_name", "topic_id", "value"]


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


def text_batches(
    store: Store, articles: pd.DataFrame, rows: np.ndarray, lead_words: int
) -> Iterator[list[str]]:
    """document_texts of the articles at positions rows, UPDATE_BATCH at a time: their titles and
    bodies read from the store's row groups that hold them, no other article's."""
    for start in range(0, len(rows), UPDATE_BATCH):
        places = articles[["part", "row"]].iloc[rows[start : start + UPDATE_BATCH]]
        yield document_texts(store.rows_at(places, ["title", "text"]), lead_words)


def embedding_batches(
    store: Store, articles: pd.DataFrame, rows: np.ndarray, lead_words: int
) -> Iterator[tuple[list[str], list[str]]]:
    """text_batches with each text's outlet, which the embedding centres on."""
    starts = range(0, len(rows), UPDATE_BATCH)
    outlets = articles["source"].astype("object")
    for start, texts in zip(starts, text_batches(store, articles, rows, lead_words), strict=True):
        yield texts, outlets.iloc[rows[start : start + UPDATE_BATCH]].tolist()


def assigned_in_batches(
    store: Store,
    articles: pd.DataFrame,
    rows: np.ndarray,
    embedder: Centred,
    topics: pd.DataFrame,
    max_outlier_share: float,
    progress: Progress,
) -> tuple[np.ndarray, np.ndarray]:
    """assign_new for the articles at positions rows, a batch at a time: memory stays flat (on
    the workers, a task per batch, when the command runs on a cluster)."""
    return assigned(
        embedding_batches(store, articles, rows, embedder.lead_words),
        embedder,
        partial(assign_new, topics=topics, max_outlier_share=max_outlier_share),
        progress.advance,
    )


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
    """The store's articles, one row per id, in the store's order (copied only if ids repeat):
    the fields an update groups them by, and the part and row where each is kept (text_batches
    reads titles and bodies there for the few it needs)."""
    articles = store.placed_articles(GROUP_FIELDS)
    repeated = articles["article_id"].duplicated()
    return articles[~repeated].reset_index(drop=True) if repeated.any() else articles


def placements(store: Store, articles: pd.DataFrame) -> Iterator[pd.DataFrame]:
    """The articles as store_articles listed them, then, each time they are asked for again (an
    ingest merged the parts they were listed in: while_parts_stay), with the part and row where
    the store keeps them now."""
    yield articles
    while True:
        yield articles.assign(**store.places_of(articles["article_id"]))


def fresh_rows(articles: pd.DataFrame, known: pd.Series) -> np.ndarray:
    """Positions of the articles a build has not assigned yet, in article_id order."""
    ids = articles["article_id"].to_numpy()
    new = np.flatnonzero(~is_known(articles["article_id"], known))
    return new[np.argsort(ids[new], kind="stable")]


def keyword_counts(
    store: Store,
    articles: pd.DataFrame,
    rows: np.ndarray,
    words: list[str],
    settings: TopicSettings,
) -> sparse.csr_matrix:
    """Keyword document-term counts of the articles at positions rows over a build's vocabulary."""
    vectorizer = news_vectorizer(settings, words)
    batches = text_batches(store, articles, rows, KEYWORD_LEAD_WORDS)
    return sparse.vstack([vectorizer.transform(t) for t in batches], format="csr")


def period_and_class_groups(changed: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Changed groups split into those of the period table and of the class table, keyed as each."""
    is_period = changed["grouping"] == "period"
    return (
        changed[is_period].rename(columns={"value": "period"}),
        changed[~is_period].rename(columns={"grouping": "class_name"}),
    )


def refreshed_word_tables(
    store: Store,
    build: Build,
    articles: pd.DataFrame,
    assignments: pd.DataFrame,
    settings: TopicSettings,
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
    counts = WordCounts(
        keyword_counts(store, articles, rows, words, settings),
        TopWords(words, idf, settings.top_words),
    )
    periods, classes = (table(members, now, counts) for table in (period_table, class_table))
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
    embedder = load_embedder(info["embedding"], folder / "embedder", store.path)
    topics = edited_topics(build.topics, topic_edits(store))

    def new_assignments() -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
        articles = store_articles(store)
        rows = fresh_rows(articles, build.assignments["article_id"])
        progress.stage(f"embedding ({embedder.name}) and assigning", total=len(rows))
        outlier_cap = info["settings"]["max_outlier_share"]
        return (
            articles,
            rows,
            *assigned_in_batches(store, articles, rows, embedder, topics, outlier_cap, progress),
        )

    articles, rows, base, confidence = while_parts_stay(new_assignments, "update")
    fresh = articles[["article_id"]].iloc[rows]
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
    settings, placed = load_settings(folder / "model"), placements(store, articles)
    word_tables = while_parts_stay(
        lambda: refreshed_word_tables(store, build, next(placed), assignments, settings), "update"
    )
    updated = Build(
        info,
        topics,
        theme_table(topics, assignments, build.themes.set_index("theme")["keywords"].to_dict()),
        assignments,
        *word_tables,
        build.doc_map,
        build.keyword_terms,
    )
    progress.stage("saving")
    publish(store, updated, lambda new: write_update(folder, new, updated))
    return {**info, **report, "seconds": round(time.perf_counter() - started, 3)}


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
