"""Update a build: assign the articles ingested since to its topics without refitting, bring its
word tables up to date, and say when a rebuild is due.

An update works on the store's corpus a partition at a time (analysis.topics.partitions), on the
workers when there is a cluster, in this process otherwise: it reads, embeds and places the new
articles, then finds the groups of the word tables that articles joined or left and counts the
words of those it rewords. The client holds the build's tables, the article ids, and what the
partitions send back: the new articles' nearest topics and the groups' counts.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.topics.build import (
    KEYWORD_LEAD_WORDS,
    LOW_CONFIDENCE,
    BuildError,
    Picking,
    Progress,
    Silent,
    first_then,
    keyword_terms,
    picked_articles,
    pickings,
    while_parts_stay,
)
from analysis.topics.build_folder import (
    Build,
    publish,
    read_build,
    topic_edits,
    topics_of,
    write_tables,
)
from analysis.topics.clustering import confidences, nearest, unassigned
from analysis.topics.embeddings import Centred, document_texts, load_embedder
from analysis.topics.ids import edited_topics
from analysis.topics.naming import load_settings, news_vectorizer
from analysis.topics.on_cluster import mapped
from analysis.topics.partitions import Corpus, Partition, store_corpus
from analysis.topics.settings import TopicSettings
from analysis.topics.tables import (
    CLASS_FIELDS,
    GroupCounts,
    TopWords,
    assignment_table,
    changed_of,
    class_words,
    group_moves,
    group_values,
    holds_members,
    in_changed_groups,
    in_groups,
    period_words,
    reworded,
    summed,
    theme_table,
    topic_ids_reapplied,
    value_groups,
    with_group_sizes,
    with_groups_replaced,
    with_sizes,
)
from data.store import Store

REBUILD_NEW_SHARE = 0.2
REBUILD_LOW_CONFIDENCE = 0.3
UPDATE_BATCH = 20_000  # new articles placed at a time (the share left unassigned is per batch)
PERIOD_KEYS = ["topic_id", "period"]
CLASS_KEYS = ["class_name", "topic_id", "value"]
#: What an update reads of every article, besides its id: what the word tables group it by.
GROUP_FIELDS = ["published_at", *CLASS_FIELDS]


def nearest_of_picked(
    embedder: Centred, centres: np.ndarray, job: Picking
) -> tuple[np.ndarray, np.ndarray]:
    """The row of the nearest centre of each article picked, and the similarity to it (the
    article read, and embedded with its outlet)."""
    frame = picked_articles(embedder.lead_words, job)
    texts = document_texts(frame, embedder.lead_words)
    return nearest(embedder.embed(texts, outlets=frame["source"].tolist()), centres)


def placed(
    row: np.ndarray, similarity: np.ndarray, topics: pd.DataFrame, max_outlier_share: float
) -> tuple[np.ndarray, np.ndarray]:
    """The base topic (stable id, -1 if far off) and confidence of articles from their nearest
    centre's row in topics and their similarity to it."""
    quantiles = np.vstack(topics["similarity_quantiles"].to_numpy()).astype(np.float32)
    far = unassigned(similarity, row, quantiles, max_outlier_share)
    confidence = np.where(far, 0.0, confidences(similarity, row, quantiles))
    return np.where(far, -1, topics["topic_id"].to_numpy()[row]), confidence


def assigned_fresh(
    corpus: Corpus,
    fresh: np.ndarray,
    embedder: Centred,
    topics: pd.DataFrame,
    max_outlier_share: float,
    progress: Progress,
) -> tuple[np.ndarray, np.ndarray]:
    """The base topic and confidence of the articles at the corpus positions fresh (sorted: in
    article_id order): read, embedded and given their nearest centre a partition at a time (a
    task per partition on the workers when there is a cluster), then placed UPDATE_BATCH at a
    time in article_id order."""
    jobs, order = pickings(corpus, fresh)
    centres = np.vstack(topics["centroid"].to_numpy()).astype(np.float32)
    parts = list(mapped(nearest_of_picked, jobs, embedder, centres, progress=progress.advance))
    row, similarity = (
        np.concatenate([p[i] for p in parts] or [np.empty(0, dtype)])[order]
        for i, dtype in ((0, np.int64), (1, np.float32))
    )
    batches = [
        placed(row[at], similarity[at], topics, max_outlier_share)
        for at in (slice(s, s + UPDATE_BATCH) for s in range(0, len(fresh), UPDATE_BATCH))
    ]
    if not batches:
        return np.empty(0, dtype=np.int64), np.empty(0)
    base, confidence = zip(*batches, strict=True)
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


def fresh_corpus(store: Store, known: pd.Series) -> tuple[Corpus, np.ndarray]:
    """The store's corpus (its ids read once) and the positions in it, sorted, of the articles
    not among known (those a build has not assigned yet)."""
    corpus = store_corpus(store)
    return corpus, np.flatnonzero(~is_known(corpus.ids, known))


@dataclass(frozen=True)
class Regrouping:
    """A partition whose groups to find, with each row's topic in the build (-1 for none) and now."""

    partition: Partition
    before: np.ndarray
    after: np.ndarray

    def __len__(self) -> int:
        return len(self.after)


@dataclass(frozen=True)
class Recounting:
    """A partition whose articles in the groups to reword have their words counted, with each
    row's topic now."""

    partition: Partition
    topics: np.ndarray

    def __len__(self) -> int:
        return len(self.topics)


def partition_moves(job: Regrouping) -> pd.DataFrame:
    """The group_moves of a partition's articles (their dates and classes read, no body)."""
    return group_moves(group_values(job.partition.frame(GROUP_FIELDS)), job.before, job.after)


def recounted_partition(
    vectorizer, groups: pd.DataFrame, job: Recounting
) -> dict[str, GroupCounts]:
    """The keyword counts of the groups (grouping, topic_id, value) to reword, per grouping, from
    a partition's articles in them, whose titles and bodies alone are read."""
    values = group_values(job.partition.frame(GROUP_FIELDS))
    inside = np.flatnonzero(in_changed_groups(values, job.topics, groups))
    texts = document_texts(job.partition.frame(["title", "text"], inside), KEYWORD_LEAD_WORDS)
    counted = value_groups(
        keyword_terms(vectorizer, texts), values.iloc[inside], job.topics[inside]
    )
    return {g: in_groups(c, groups[groups["grouping"] == g]) for g, c in counted.items()}


def period_and_class_groups(changed: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Changed groups split into those of the period table and of the class table, keyed as each."""
    is_period = changed["grouping"] == "period"
    return (
        changed[is_period].rename(columns={"value": "period"}),
        changed[~is_period].rename(columns={"grouping": "class_name"}),
    )


def refreshed_word_tables(
    corpus: Corpus, build: Build, assignments: pd.DataFrame, settings: TopicSettings
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The build's per-period and per-class word tables, brought up to date.

    A group (topic and month, province or outlet) changes when an article joins it (a new article,
    or one moved by a merge) or leaves it. Every changed group gets its new size; where enough of
    it changed (REWORD_SHARE, and always for new groups), the words of its articles are counted
    again over the build's vocabulary and idf. Untouched groups keep their rows. Each partition's
    groups are found, and then its articles in the groups to reword counted, by a task of its
    own on the workers when there is a cluster (here otherwise), and added up here.
    """
    if build.keyword_terms.empty:  # a build from before they were kept: nothing to count with
        return build.topic_words_by_period, build.topic_words_by_class
    topics = (
        corpus.split(topics_of(corpus.ids, a, "topic_id")) for a in (build.assignments, assignments)
    )
    jobs = [Regrouping(*job) for job in zip(corpus.partitions, *topics, strict=True)]
    moves = list(mapped(partition_moves, jobs))
    changed = changed_of(moves)
    period_changes, class_changes = period_and_class_groups(changed)
    by_period = with_group_sizes(build.topic_words_by_period, period_changes, PERIOD_KEYS)
    by_class = with_group_sizes(build.topic_words_by_class, class_changes, CLASS_KEYS)
    changed = reworded(changed)
    recounts = [
        Recounting(job.partition, job.after)
        for job, found in zip(jobs, moves, strict=True)
        if holds_members(found, changed)
    ]
    if not recounts:
        return by_period, by_class
    words = build.keyword_terms["word"].tolist()
    parts = list(mapped(recounted_partition, recounts, news_vectorizer(settings, words), changed))
    counts = {g: summed([part[g] for part in parts]) for g in parts[0]}
    top = TopWords(words, build.keyword_terms["idf"].to_numpy(), settings.top_words)
    period_changes, class_changes = period_and_class_groups(changed)
    return (
        with_groups_replaced(
            by_period, period_words(counts["period"], top), period_changes, PERIOD_KEYS
        ),
        with_groups_replaced(by_class, class_words(counts, top), class_changes, CLASS_KEYS),
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
    known = build.assignments["article_id"]
    first = while_parts_stay(lambda: fresh_corpus(store, known), "update")
    if not len(first[1]):
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
    read = first_then(first, lambda: fresh_corpus(store, known))

    def new_assignments() -> tuple[Corpus, np.ndarray, np.ndarray, np.ndarray]:
        corpus, fresh = read()
        progress.stage(f"embedding ({embedder.name}) and assigning", total=len(fresh))
        outlier_cap = info["settings"]["max_outlier_share"]
        found = assigned_fresh(corpus, fresh, embedder, topics, outlier_cap, progress)
        return corpus, fresh, *found

    corpus, fresh, base, confidence = while_parts_stay(new_assignments, "update")
    ids = pd.DataFrame({"article_id": corpus.ids.iloc[fresh].to_numpy()})
    added = assignment_table(ids, base, confidence, topics)
    low_share = float((added["topic_confidence"] < LOW_CONFIDENCE).mean())
    info["n_assigned_since_fit"] = info["n_assigned_since_fit"] + len(ids)
    info["n_articles"] = info["n_articles"] + len(ids)
    reasons = rebuild_reasons(info, low_share)
    report = {
        "n_new": len(ids),
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
    settings = load_settings(folder / "model")
    corpus_now = first_then(corpus, lambda: store_corpus(store))
    word_tables = while_parts_stay(
        lambda: refreshed_word_tables(corpus_now(), build, assignments, settings), "update"
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
