"""A build folder in a store: its tables written and read, published atomically, and the coverage
cube and the articles read beside it.

A build is a versioned folder (written under a temporary name, then published atomically):

    build.json                     version, seed, embedding, settings, counts, timings, quality, lineage
    topics.parquet                 one row per topic, stable topic_id, labels, keywords, theme, centre
    themes.parquet                 one row per broad theme
    assignments.parquet            one row per article: topic, confidence, theme
    topic_words_by_period.parquet  top words per topic per month
    topic_words_by_class.parquet   top words per topic per province and per outlet
    doc_map.parquet                2-D coordinates per article for a document map
    keyword_terms.parquet          the keyword vocabulary and its class idf (to redo word tables)
    cube.parquet                   the coverage cube of the store's articles by base topic
    model/                         the BERTopic model (safetensors)
    embedder/                      the fitted embedding backend (JSON and .npy)
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis.topics.ids import EDITS_HISTORY_META, EDITS_KEPT, EDITS_META, TopicEdits
from analysis.trends.cube import coverage_cube
from analysis.trends.on_cluster import CELL_FIELDS, cluster_cube
from data import cluster
from data.store import Store

#: The light article columns read beside a build's assignments (no bodies).
ARTICLE_FIELDS = [
    "article_id",
    "url",
    "source",
    "title",
    "published_at",
    "language",
    "province_code",
    "province",
    "regency_code",
    "regency",
]
#: A build's coverage cube by base topic, and the key (in its Parquet metadata) of the articles
CUBE_FILE = "cube.parquet"
CUBE_KEY = b"sorotan.articles_key"
UNASSIGNED = -1


TABLES = (
    "topics",
    "themes",
    "assignments",
    "topic_words_by_period",
    "topic_words_by_class",
    "doc_map",
    "keyword_terms",
)


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


def topic_edits(store: Store) -> TopicEdits:
    """The user's topic edits saved in the store."""
    return TopicEdits.from_json(store.read_meta(EDITS_META))


def save_topic_edits(store: Store, edits: TopicEdits, change: dict | None = None) -> None:
    """Save topic edits; they apply to the next build or update and survive rebuilds. The edits
    they replace are kept, with change (what was done: kind, topic ids), for undo_topic_edit."""
    history = store.read_meta(EDITS_HISTORY_META, [])
    before = {"edits": topic_edits(store).to_json(), "change": change or {}}
    store.write_meta(EDITS_HISTORY_META, [*history, before][-EDITS_KEPT:])
    store.write_meta(EDITS_META, edits.to_json())


def last_topic_change(store: Store) -> dict | None:
    """What the newest undoable topic edit did (kind and topic ids), None when none is left."""
    history = store.read_meta(EDITS_HISTORY_META, [])
    return history[-1]["change"] if history else None


def undo_topic_edit(store: Store) -> TopicEdits | None:
    """Put back the edits as they were before the newest change; those edits (None when there
    is nothing to undo)."""
    history = store.read_meta(EDITS_HISTORY_META, [])
    if not history:
        return None
    restored = TopicEdits.from_json(history[-1]["edits"])
    store.write_meta(EDITS_META, restored.to_json())
    store.write_meta(EDITS_HISTORY_META, history[:-1])
    return restored


def write_tables(folder: Path, build: Build) -> None:
    """Write a build's tables as Parquet, the dashboard's coverage cube, and build.json."""
    for name in TABLES:
        getattr(build, name).to_parquet(folder / f"{name}.parquet", index=False)
    write_build_cube(folder, build.assignments)
    (folder / "build.json").write_text(
        json.dumps(build.info, indent=1, ensure_ascii=False), encoding="utf-8"
    )


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


# -- the articles and the coverage cube beside a build ---------------------------------------------


def articles_key(store: Store) -> str:
    """A short key of the store's article parts: it changes with every ingest that adds articles."""
    parts = store.manifest().get("parts", {}).get("articles", [])
    return hashlib.sha1(json.dumps(parts).encode()).hexdigest()[:12]


def assigned_articles(store: Store, assignments: pd.DataFrame) -> pd.DataFrame:
    """The store's articles (ARTICLE_FIELDS, once each) with their assignments' columns (NaN where
    an article has none)."""
    articles = store.articles(ARTICLE_FIELDS).drop_duplicates("article_id")
    return articles.merge(assignments, on="article_id", how="left")


def base_topic_articles(store: Store, assignments: pd.DataFrame) -> pd.DataFrame:
    """What the coverage cube counts of the store's articles (CELL_FIELDS, once each: no URL,
    place name or body) with their base topic (UNASSIGNED where an article has none)."""
    articles = store.articles(CELL_FIELDS).drop_duplicates("article_id")
    base = topics_of(articles["article_id"], assignments)
    return articles.assign(base_topic_id=base).reset_index(drop=True)


def topics_of(
    ids: pd.Series, assignments: pd.DataFrame, column: str = "base_topic_id"
) -> np.ndarray:
    """The base topic (or the column's topic) of each id in assignments (UNASSIGNED where it has
    none), found by Arrow's hash lookup (pandas' map took 4 s over a million ids)."""
    if not len(assignments):
        return np.full(len(ids), UNASSIGNED, np.int64)
    known = pa.array(assignments["article_id"], type=pa.large_string())
    at = pc.index_in(pa.array(ids, type=pa.large_string()), value_set=known)
    topics = assignments[column].to_numpy()[at.fill_null(0).to_numpy()]
    return np.where(at.is_valid().to_numpy(zero_copy_only=False), topics, UNASSIGNED).astype(
        "int64"
    )


def base_cube(articles: pd.DataFrame) -> pd.DataFrame:
    """The coverage cube of articles by their base topic."""
    return coverage_cube(articles.assign(topic_id=articles["base_topic_id"]))


def store_cube(store: Store, assignments: pd.DataFrame) -> pd.DataFrame:
    """The coverage cube of the store's articles by base topic: on the cluster of the current
    data.cluster block when there is one, else in this process."""
    client = cluster.current()
    if client is None:
        return base_cube(base_topic_articles(store, assignments))
    topics = assignments.set_index("article_id")["base_topic_id"]
    return cluster_cube(client, store, topics)


def write_build_cube(folder: Path, assignments: pd.DataFrame) -> None:
    """Write a new build's coverage cube (CUBE_FILE) of its store's articles by base topic.

    folder is a build folder inside its store's builds/ folder (Store.new_build_dir). The cube
    carries the key of the article parts it was computed on, so that the dashboard reads it
    instead of computing it while no ingest has added articles since.
    """
    store = Store(folder.parent.parent)
    key = articles_key(store)  # read first: a racing ingest leaves the key stale, never the cube
    cube = store_cube(store, assignments)
    table = pa.Table.from_pandas(cube, preserve_index=False)
    metadata = {**(table.schema.metadata or {}), CUBE_KEY: key.encode()}
    pq.write_table(table.replace_schema_metadata(metadata), folder / CUBE_FILE)


def stored_cube(folder: Path | None, key: str) -> pd.DataFrame | None:
    """The build's precomputed cube if it was computed on the article parts with this key."""
    path = None if folder is None else folder / CUBE_FILE
    if path is None or not path.exists():
        return None
    if (pq.read_schema(path).metadata or {}).get(CUBE_KEY) != key.encode():
        return None
    return pd.read_parquet(path).astype({"day": "datetime64[s]"})  # Parquet stores [ms]
