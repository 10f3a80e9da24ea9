"""What the dashboard reads: a store's articles and current build, with the user's topic edits.

Loading is split by cost. `load_corpus` reads, once per store version (the app caches it), a narrow
typed frame of every article (id, time, outlet, language and place codes as categories, base topic,
and the article's part and row in the store), the build's tables and the coverage cube;
`with_edits` applies the user's renames, merges and hidden topics to them in milliseconds, so an
edit shows everywhere without a rebuild. Titles, URLs, place names and bodies are read from the
store only for the rows a view shows (`with_wide`: the row groups that hold them), and
`load_texts` reads every body only when a view compares words. Everything here is pandas, so the
app layer only caches, lays out and draws.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.topics.build_folder import UNASSIGNED, articles_key, base_cube, stored_cube
from analysis.topics.ids import TopicEdits, edited_topics
from analysis.trends.cube import wib_days
from data.store import Store

BUILD_TABLES = ("topics", "topic_words_by_period", "topic_words_by_class", "doc_map")
#: The labels the dashboard filters and counts by, held as categories.
LABEL_FIELDS = ["source", "language", "province_code", "regency_code"]
#: The article columns the dashboard holds for every article; the wide ones (title, url, text,
#: place names) are read from the store for the rows a view shows (read_wide).
NARROW_FIELDS = ["article_id", "published_at", *LABEL_FIELDS]
#: The wide columns an article listing shows.
SHOWN_FIELDS = ("title", "url", "province", "regency")


@dataclass(frozen=True)
class Corpus:
    """A store read for the dashboard; topic ids are the build's own (before user edits)."""

    version: str
    articles: pd.DataFrame  # narrow_articles: NARROW_FIELDS, part, row, base topic, confidence, day
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


def _positions(ids: pd.Series, among: pd.Series) -> np.ndarray:
    """Each id's first position in among (-1 where it is not there), hashed by Arrow without
    making a Python string of each id."""
    found = pc.index_in(
        pa.array(ids.astype("str").array), value_set=pa.array(among.astype("str").array)
    )
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype("int64")


def _assigned(ids: pd.Series, assignments: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each article's base topic (int32, -1 where it has none) and confidence (float32, NaN)."""
    at = _positions(ids, assignments["article_id"])
    topics = np.append(assignments["base_topic_id"].to_numpy(dtype="float64"), UNASSIGNED)
    confidence = np.append(assignments["topic_confidence"].to_numpy(dtype="float64"), np.nan)
    return topics[at].astype("int32"), confidence[at].astype("float32")


def narrow_articles(store: Store, assignments: pd.DataFrame) -> pd.DataFrame:
    """Every kept article once (its first place in the store) in NARROW_FIELDS (LABEL_FIELDS as
    categories) with its base topic (-1 where none), confidence, WIB day, and its part and row in
    the store (for read_wide)."""
    placed = store.placed_articles(NARROW_FIELDS, categories=LABEL_FIELDS)
    again = _positions(placed["article_id"], placed["article_id"]) != np.arange(len(placed))
    if again.any():  # an article kept twice (a store from before de-duplication): its first place
        placed = placed.loc[~again].reset_index(drop=True)
    base, confidence = _assigned(placed["article_id"], assignments)
    return placed.assign(
        base_topic_id=base,
        topic_confidence=confidence,
        day=wib_days(placed["published_at"]),
        **{c: _sorted_categories(placed[c]) for c in LABEL_FIELDS},
    )


def _sorted_categories(column: pd.Series) -> pd.Series:
    """A column as categories in sorted order (a part's dictionary lists them as they came), as
    pandas makes them from text."""
    coded = column.astype("category")
    return coded.cat.reorder_categories(sorted(coded.cat.categories))


def read_wide(store: Store, articles: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The wide columns (title, url, text, ...) of some rows of the narrow frame, read from the
    store's row groups that hold them, with the rows' index. Articles whose part was compacted
    away since the frame was read are found again by their ids."""
    places = articles[["part", "row"]].reset_index(drop=True)
    try:
        found = store.rows_at(places, list(columns))
    except FileNotFoundError:
        found = store.rows_at(store.places_of(articles["article_id"]), list(columns))
    return found.reindex(places.index).set_axis(articles.index)


def with_wide(
    store: Store, articles: pd.DataFrame, columns: Sequence[str] = SHOWN_FIELDS
) -> pd.DataFrame:
    """Rows of the narrow frame with wide columns read for them (title, url, places by default)."""
    return articles.assign(**read_wide(store, articles, columns))


def searchable_texts(frame: pd.DataFrame) -> pd.Series:
    """Title and body as one searchable text, as the keyword search reads them."""
    return frame["title"].fillna("").astype(str) + "\n" + frame["text"].fillna("").astype(str)


def _base_cube(store: Store, articles: pd.DataFrame) -> pd.DataFrame:
    """The coverage cube of the narrow frame by base topic (titles read for its story counts)."""
    titles = store.articles(["article_id", "title"]).drop_duplicates("article_id")
    return base_cube(articles.assign(title=titles["title"].to_numpy()))


def load_corpus(store: Store) -> Corpus:
    """The narrow article frame, the current build's tables and the coverage cube of a store.

    The cube comes precomputed with the build while the store has no articles added since;
    otherwise (and for builds made before cubes were stored) it is computed here.
    """
    version = store_version(store)
    folder = store.current_build()
    info, tables, assignments = _build_tables(folder)
    articles = narrow_articles(store, assignments)
    cube = stored_cube(folder, articles_key(store))  # after reading: see write_build_cube
    return Corpus(
        version, articles, _base_cube(store, articles) if cube is None else cube, info, tables
    )


def load_texts(store: Store) -> pd.DataFrame:
    """article_id and searchable text (title and body) of every kept article."""
    frame = store.articles(["article_id", "title", "text"]).drop_duplicates("article_id")
    return pd.DataFrame(
        {"article_id": frame["article_id"].to_numpy(), "text": searchable_texts(frame).to_numpy()}
    )


def texts_of(store: Store, articles: pd.DataFrame) -> pd.DataFrame:
    """article_id and searchable text of some rows of the narrow frame, read for them only."""
    return pd.DataFrame(
        {
            "article_id": articles["article_id"].to_numpy(),
            "text": searchable_texts(read_wide(store, articles, ["title", "text"])).to_numpy(),
        }
    )


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
