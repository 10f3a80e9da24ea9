"""What the dashboard reads: a store's articles and current build, with the user's topic edits.

Loading is split by cost. `load_corpus` reads the light article columns, the build's tables and the
coverage cube once per store version (the app caches it); `with_edits` applies the user's renames,
merges and hidden topics to them in milliseconds, so an edit shows everywhere without a rebuild;
`load_texts` reads article bodies only when a view searches them. Everything here is pandas, so the
app layer only caches, lays out and draws.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.topics.build_folder import (
    UNASSIGNED,
    articles_key,
    base_cube,
    base_topic_articles,
    stored_cube,
)
from analysis.topics.ids import TopicEdits, edited_topics
from data.store import Store

BUILD_TABLES = ("topics", "topic_words_by_period", "topic_words_by_class", "doc_map")


@dataclass(frozen=True)
class Corpus:
    """A store read for the dashboard; topic ids are the build's own (before user edits)."""

    version: str
    articles: pd.DataFrame  # build_folder.ARTICLE_FIELDS + day, base_topic_id, topic_confidence
    cube: pd.DataFrame  # coverage cube by base topic id
    info: dict[str, Any] = field(default_factory=dict)  # build.json, empty before a build
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # BUILD_TABLES

    @property
    def has_build(self) -> bool:
        """Whether the store has a topic build."""
        return "topics" in self.tables


@dataclass(frozen=True)
class View:
    """The corpus with the user's topic edits applied: what every page shows."""

    corpus: Corpus
    edits: TopicEdits
    topics: pd.DataFrame  # topic_id, label, keywords, size, theme_label, hidden, merged_into, ...
    articles: pd.DataFrame  # corpus articles + topic_id, topic_label (categorical; after merges)
    cube: pd.DataFrame  # coverage cube by topic id after merges

    def visible_topics(self) -> pd.DataFrame:
        """Topics that are neither hidden nor merged into another, largest first."""
        keep = ~self.topics["hidden"] & self.topics["merged_into"].isna()
        return self.topics.loc[keep].sort_values(["size", "topic_id"], ascending=[False, True])

    def label_of(self, topic_id: int) -> str:
        """A topic's label after edits (its id when unknown)."""
        labels = self.topics.set_index("topic_id")["label"]
        return str(labels.get(topic_id, f"#{topic_id}"))


def store_version(store: Store) -> str:
    """A short key that changes whenever the store's articles or its current build change."""
    manifest = store.manifest()
    build = store.current_build()
    key = json.dumps([manifest.get("parts", {}), build.name if build else None], sort_keys=True)
    return hashlib.sha1(key.encode()).hexdigest()[:12]


def _build_tables(
    folder: Path | None,
) -> tuple[dict[str, Any], dict[str, pd.DataFrame], pd.DataFrame]:
    """A build folder's info, its tables and its assignments (empty without a build)."""
    if folder is None or not (folder / "build.json").exists():
        return {}, {}, pd.DataFrame(columns=["article_id", "base_topic_id", "topic_confidence"])
    info = json.loads((folder / "build.json").read_text(encoding="utf-8"))
    tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in BUILD_TABLES}
    assignments = pd.read_parquet(
        folder / "assignments.parquet", columns=["article_id", "base_topic_id", "topic_confidence"]
    )
    return info, tables, assignments


def load_corpus(store: Store) -> Corpus:
    """Light article columns, the current build's tables and the coverage cube of a store.

    The cube comes precomputed with the build while the store has no articles added since;
    otherwise (and for builds made before cubes were stored) it is computed here.
    """
    version = store_version(store)
    folder = store.current_build()
    info, tables, assignments = _build_tables(folder)
    articles = base_topic_articles(store, assignments)
    cube = stored_cube(folder, articles_key(store))  # after reading: see write_build_cube
    return Corpus(version, articles, base_cube(articles) if cube is None else cube, info, tables)


def load_texts(store: Store) -> pd.DataFrame:
    """article_id and searchable text (title and body) of every kept article."""
    frame = store.articles(["article_id", "title", "text"]).drop_duplicates("article_id")
    text = frame["title"].fillna("").astype(str) + "\n" + frame["text"].fillna("").astype(str)
    return pd.DataFrame({"article_id": frame["article_id"].to_numpy(), "text": text.to_numpy()})


def edits_key(edits: TopicEdits) -> str:
    """A stable text key of a set of edits (for caching)."""
    return json.dumps(edits.to_json(), sort_keys=True, ensure_ascii=False)


def _empty_topics() -> pd.DataFrame:
    """A topic table without rows, in the columns views read."""
    return pd.DataFrame(
        {
            "topic_id": pd.Series(dtype="int64"),
            "label": pd.Series(dtype="object"),
            "auto_label": pd.Series(dtype="object"),
            "keywords": pd.Series(dtype="object"),
            "size": pd.Series(dtype="int64"),
            "theme_label": pd.Series(dtype="object"),
            "hidden": pd.Series(dtype=bool),
            "merged_into": pd.Series(dtype="Int64"),
            "representative_ids": pd.Series(dtype="object"),
        }
    )


def _merged_rows(base: np.ndarray, topics: pd.DataFrame) -> np.ndarray:
    """Each base topic id's row in topics after merges; -1 for ids that are no topic's (like -1)."""
    ids = pd.Index(topics["topic_id"].to_numpy(dtype="int64"))
    final = topics["merged_into"].fillna(topics["topic_id"]).to_numpy(dtype="int64")
    row_after_merges = np.append(ids.get_indexer(final), -1)  # position -1 (no topic) stays -1
    return row_after_merges[ids.get_indexer(base.astype("int64"))]


def _merged_ids(base: np.ndarray, rows: np.ndarray, topics: pd.DataFrame) -> np.ndarray:
    """Topic ids at rows of topics, the base id where the row is -1."""
    ids = topics["topic_id"].to_numpy(dtype="int64")
    return np.where(rows >= 0, ids[rows], base).astype(base.dtype)


def _labels_at(labels: pd.Series, rows: np.ndarray) -> pd.Categorical:
    """The label at each row position of labels (missing where the row is -1), as categories."""
    codes, names = pd.factorize(labels)
    return pd.Categorical.from_codes(np.append(codes, -1)[rows], categories=names)


def with_edits(corpus: Corpus, edits: TopicEdits) -> View:
    """The corpus with labels, merges and hidden flags applied to topics, articles and cube.

    Vectorised over the articles (a hash lookup and a few array gathers; labels as categories),
    since it runs on every edit and for every new session, over up to millions of articles.
    """
    if not corpus.has_build:
        topics = _empty_topics()
        articles = corpus.articles.assign(topic_id=UNASSIGNED, topic_label=None)
        return View(corpus, edits, topics, articles, corpus.cube)
    topics = edited_topics(corpus.tables["topics"], edits)
    base = corpus.articles["base_topic_id"].to_numpy()
    rows = _merged_rows(base, topics)
    sizes = np.bincount(rows[rows >= 0], minlength=len(topics))
    topics = topics.assign(size=sizes.astype("int64"), label=topics["label"].astype("object"))
    articles = corpus.articles.assign(
        topic_id=_merged_ids(base, rows, topics),
        topic_label=_labels_at(topics["label"], rows),
    )
    cube = corpus.cube
    if edits.merges:
        cube_base = cube["topic_id"].to_numpy()
        cube = cube.assign(topic_id=_merged_ids(cube_base, _merged_rows(cube_base, topics), topics))
    return View(corpus, edits, topics, articles, cube)


def renamed(edits: TopicEdits, topic_id: int, label: str) -> TopicEdits:
    """Edits with a topic's label set (an empty label restores the automatic one)."""
    labels = {k: v for k, v in edits.labels.items() if k != topic_id}
    if label.strip():
        labels[topic_id] = label.strip()
    return replace(edits, labels=labels)


def merged(edits: TopicEdits, topic_id: int, into: int) -> TopicEdits:
    """Edits with one topic merged into another; ValueError when the merge would loop."""
    if topic_id == into:
        raise ValueError("a topic cannot be merged into itself")
    merges = {**edits.merges, topic_id: into}
    step, seen = into, {into}
    while step in merges:
        step = merges[step]
        if step == topic_id:
            raise ValueError("that merge would make a loop")
        if step in seen:
            break
        seen.add(step)
    return replace(edits, merges=merges)


def unmerged(edits: TopicEdits, topic_id: int) -> TopicEdits:
    """Edits with a topic's merge undone."""
    return replace(edits, merges={k: v for k, v in edits.merges.items() if k != topic_id})


def with_hidden(edits: TopicEdits, topic_id: int, hidden: bool) -> TopicEdits:
    """Edits with a topic hidden or shown again."""
    chosen = edits.hidden | {topic_id} if hidden else edits.hidden - {topic_id}
    return replace(edits, hidden=frozenset(chosen))
