"""The tables of a build, from clustered and described topics: topics, assignments, history, map."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.topics.clustering import Clustering
from analysis.topics.ids import merged_topic
from analysis.topics.naming import class_keywords, grouped_counts, topic_label

CLASS_FIELDS = ("province", "source")
TIMEZONE = "Asia/Jakarta"
MIN_CLASS_ARTICLES = 3
#: An update recounts the words of a group when at least this share of its articles joined or left
#: it (new groups always); the other groups it touched keep their words and get their new size.
REWORD_SHARE = 0.1
REPRESENTATIVES = 3


def representatives(
    articles: pd.DataFrame, topics: np.ndarray, confidence: np.ndarray
) -> dict[int, list[str]]:
    """The most typical articles' ids per topic, most typical first."""
    ranked = (
        pd.DataFrame(
            {"article_id": articles["article_id"], "topic": topics, "confidence": confidence}
        )
        .query("topic >= 0")
        .sort_values(["topic", "confidence", "article_id"], ascending=[True, False, True])
        .groupby("topic")
        .head(REPRESENTATIVES)
    )
    return ranked.groupby("topic")["article_id"].agg(list).to_dict()


def base_topic_table(
    articles: pd.DataFrame,
    clusters: Clustering,
    names: list[str],
    keywords: list[list[str]],
    ids: np.ndarray,
    model_topics: np.ndarray,
) -> pd.DataFrame:
    """One row per topic with its stable id, automatic label (its name), keywords and centre."""
    reps = representatives(articles, clusters.topics, clusters.confidence)
    return pd.DataFrame(
        {
            "topic_id": ids,
            "auto_label": names,
            "keywords": keywords,
            "model_topic": model_topics,
            "representative_ids": [reps.get(k, []) for k in range(len(ids))],
            "centroid": list(clusters.centres),
            "similarity_quantiles": list(clusters.quantiles),
        }
    )


def with_themes(topics: pd.DataFrame, theme: np.ndarray, theme_names: list[str]) -> pd.DataFrame:
    """Topics with their theme number and theme label (its name)."""
    return topics.assign(theme=theme, theme_label=[theme_names[t] for t in theme])


def with_sizes(topics: pd.DataFrame, assignments: pd.DataFrame) -> pd.DataFrame:
    """Topics with their article count and share after merges (a merged-away topic has 0)."""
    counts = assignments["topic_id"].value_counts()
    size = topics["topic_id"].map(counts).fillna(0).astype("int64")
    return topics.assign(size=size, share=size / max(1, len(assignments)))


def theme_table(
    topics: pd.DataFrame, assignments: pd.DataFrame, theme_words: Sequence | Mapping
) -> pd.DataFrame:
    """One row per theme: label, keywords, its topics (not merged away) and article count."""
    kept = topics[topics["merged_into"].isna()]
    grouped = kept.groupby("theme").agg(
        topic_ids=("topic_id", list), theme_label=("theme_label", "first")
    )
    size = assignments.loc[assignments["theme"] >= 0, "theme"].value_counts()
    return grouped.reset_index().assign(
        size=lambda d: d["theme"].map(size).fillna(0).astype("int64"),
        keywords=lambda d: [theme_words[t] for t in d["theme"]],
    )


def assignment_table(
    articles: pd.DataFrame, base: np.ndarray, confidence: np.ndarray, topics: pd.DataFrame
) -> pd.DataFrame:
    """One row per article: its topic after the user's merges, label, confidence and theme."""
    base_topic = pd.Series(base, dtype="int64")
    topic = merged_topic(base_topic, topics)
    by_id = topics.set_index("topic_id")
    known = topic >= 0
    return pd.DataFrame(
        {
            "article_id": articles["article_id"].to_numpy(),
            "topic_id": topic.to_numpy(),
            "topic_label": topic.map(by_id["label"]).where(known, None).to_numpy(),
            "topic_confidence": np.round(confidence, 4).astype("float64"),
            "theme": topic.map(by_id["theme"]).where(known, -1).astype("int64").to_numpy(),
            "theme_label": topic.map(by_id["theme_label"]).where(known, None).to_numpy(),
            "base_topic_id": base_topic.to_numpy(),
        }
    )


def months(published: pd.Series) -> pd.Series:
    """The month ("2024-02") of each timestamp in Indonesian western time, missing when unknown
    (each distinct month written once: strftime on every timestamp took 10x longer)."""
    stamps = pd.to_datetime(published, utc=True, errors="coerce").dt.tz_convert(TIMEZONE)
    key = (stamps.dt.year * 100 + stamps.dt.month).to_numpy(dtype=float)
    known = ~np.isnan(key)
    found, at = np.unique(key[known].astype(np.int64), return_inverse=True)
    names = np.array([f"{k // 100:04d}-{k % 100:02d}" for k in found], dtype=object)
    written = np.full(len(key), np.nan, dtype=object)
    written[known] = names[at]
    return pd.Series(written, index=published.index, dtype="str")


def class_values(values: pd.Series) -> pd.Series:
    """Province or outlet names as the class tables group them (None when blank), each distinct
    name cleaned once (a partition of 20,000 articles has a few dozen)."""
    codes, names = pd.factorize(values)
    distinct = pd.Series([*names, None], dtype=object)  # codes of missing values (-1): the last
    cleaned = distinct.astype("string").str.strip().replace("", None).astype(object)
    return pd.Series(cleaned.to_numpy()[codes], index=values.index, name=values.name)


def group_values(articles: pd.DataFrame) -> pd.DataFrame:
    """Per article, the month and each class (province, outlet) the word tables group it under."""
    return pd.DataFrame(
        {
            "period": months(articles["published_at"]).to_numpy(),
            **{name: class_values(articles[name]).to_numpy() for name in CLASS_FIELDS},
        }
    )


GROUP_KEYS = ["grouping", "topic_id", "value"]


def group_moves(values: pd.DataFrame, before: np.ndarray, after: np.ndarray) -> pd.DataFrame:
    """Every (grouping, topic_id, value) group of a topic that the articles are in now, joined or
    left (topic before != after), with moved (how many joined or left it) and size (how many of
    them it holds now): the moves of disjoint sets of articles add up (changed_of).

    values comes from group_values; before is -1 for articles that had no topic (or were not there).
    """
    moved = before != after
    return pd.concat(
        [_grouping_moves(grouping, values[grouping], before, after, moved) for grouping in values],
        ignore_index=True,
    )


def _grouping_moves(
    grouping: str, values: pd.Series, before: np.ndarray, after: np.ndarray, moved: np.ndarray
) -> pd.DataFrame:
    """group_moves of one grouping, counted over integer keys (topic and value code)."""
    codes, names = pd.factorize(values)
    now = (codes >= 0) & (after >= 0)
    left = (codes >= 0) & moved & (before >= 0)
    width = max(1, len(names))
    keys = np.concatenate([after[now] * width + codes[now], before[left] * width + codes[left]])
    found, at = np.unique(keys, return_inverse=True)
    joined = np.concatenate([moved[now], np.ones(left.sum(), dtype=bool)])
    counts = len(found)
    return pd.DataFrame(
        {
            "grouping": grouping,
            "topic_id": (found // width).astype("int64"),
            "value": np.asarray(names, dtype=object)[found % width],
            "moved": np.bincount(at, weights=joined, minlength=counts).astype("int64"),
            "size": np.bincount(at[: now.sum()], minlength=counts).astype("int64"),
        }
    )


def changed_of(moves: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The groups that an article joined or left, with moved and size, from the group_moves of
    disjoint sets of articles (the partitions of a corpus) added up."""
    total = pd.concat(moves, ignore_index=True).groupby(GROUP_KEYS, sort=True)[["moved", "size"]]
    changed = total.sum().reset_index()
    return changed[changed["moved"] > 0].reset_index(drop=True)


def among(frame: pd.DataFrame, groups: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """Which rows of frame have the keys of a row of groups."""
    return pd.MultiIndex.from_frame(frame[keys]).isin(pd.MultiIndex.from_frame(groups[keys]))


def holds_members(moves: pd.DataFrame, groups: pd.DataFrame) -> bool:
    """Whether the articles whose group_moves these are hold a member of any of the groups."""
    return bool(among(moves[moves["size"] > 0], groups, GROUP_KEYS).any())


def reworded(changed: pd.DataFrame) -> pd.DataFrame:
    """The changed groups whose words an update counts again (see REWORD_SHARE)."""
    return changed[changed["moved"] >= REWORD_SHARE * changed["size"]]


def with_group_sizes(table: pd.DataFrame, changed: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """table with n_articles set to the size of the groups in changed (the others as they were)."""
    sizes = changed.set_index(keys)["size"].reindex(pd.MultiIndex.from_frame(table[keys]))
    resized = np.where(sizes.isna(), table["n_articles"], sizes)
    return table.assign(n_articles=resized.astype(table["n_articles"].dtype))


def in_changed_groups(
    values: pd.DataFrame, topics: np.ndarray, changed: pd.DataFrame
) -> np.ndarray:
    """Which articles belong (by their topic now) to at least one changed group."""
    inside = np.zeros(len(values), dtype=bool)
    for grouping, groups in changed.groupby("grouping"):
        keys = pd.MultiIndex.from_arrays([groups["topic_id"], groups["value"]])
        inside |= pd.MultiIndex.from_arrays([topics, values[grouping]]).isin(keys)
    return inside


def with_groups_replaced(
    table: pd.DataFrame, recomputed: pd.DataFrame, changed: pd.DataFrame, keys: list[str]
) -> pd.DataFrame:
    """table's rows outside the changed groups plus recomputed's rows inside them, in key order."""
    kept = table[~among(table, changed, keys)]
    replaced = recomputed[among(recomputed, changed, keys)]
    rows = pd.concat([kept, replaced], ignore_index=True) if len(replaced) else kept
    return rows.sort_values(keys, kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class TopWords:
    """What the top words of a group are picked with."""

    words: list[str]
    idf: np.ndarray  # each word's class idf
    n_words: int  # top words per group


@dataclass(frozen=True)
class GroupCounts:
    """Keyword counts summed per (topic_id, value) group: counts of disjoint sets of articles
    (the partitions of a corpus) add up to those of their union (`summed`)."""

    groups: (
        pd.DataFrame
    )  # topic_id, value, n_articles: one row per group, sorted by topic and value
    counts: sparse.csr_matrix  # one row of word counts per group


def group_counts(doc_terms: sparse.csr_matrix, groups: pd.DataFrame) -> GroupCounts:
    """The word counts of the documents per (topic_id, value) group; groups has one row per
    document, and a document with a missing value or a topic below 0 counts in none."""
    rows = groups.notna().all(axis=1).to_numpy() & (groups["topic_id"].to_numpy() >= 0)
    present = groups[rows]
    codes = present.groupby(["topic_id", "value"], sort=True).ngroup().to_numpy()
    counts, _ = grouped_counts(doc_terms[rows], codes)
    _, first = np.unique(codes, return_index=True)  # codes run 0..k-1 in group order
    summary = present.iloc[first].reset_index(drop=True)
    return GroupCounts(summary.assign(n_articles=np.bincount(codes).astype("int64")), counts)


def in_groups(counts: GroupCounts, groups: pd.DataFrame) -> GroupCounts:
    """The counts of the groups among groups (topic_id, value) only."""
    rows = np.flatnonzero(among(counts.groups, groups, ["topic_id", "value"]))
    return GroupCounts(counts.groups.iloc[rows].reset_index(drop=True), counts.counts[rows])


def summed(parts: Sequence[GroupCounts]) -> GroupCounts:
    """Group counts of several sets of articles added up per (topic_id, value) group."""
    groups = pd.concat([p.groups for p in parts], ignore_index=True)
    counts = sparse.vstack([p.counts for p in parts], format="csr")
    total = group_counts(counts, groups[["topic_id", "value"]])
    n_articles = groups.groupby(["topic_id", "value"], sort=True)["n_articles"].sum().to_numpy()
    return GroupCounts(total.groups.assign(n_articles=n_articles), total.counts)


def word_groups(
    doc_terms: sparse.csr_matrix, articles: pd.DataFrame, topics: np.ndarray
) -> dict[str, GroupCounts]:
    """The articles' word counts per topic ("topic", value ""), and per topic and month and per
    topic and class (see group_values); topics: each article's topic, -1 for none."""
    values = group_values(articles)
    return value_groups(doc_terms, values.assign(topic="")[["topic", *values.columns]], topics)


def value_groups(
    doc_terms: sparse.csr_matrix, values: pd.DataFrame, topics: np.ndarray
) -> dict[str, GroupCounts]:
    """The articles' word counts per topic and value of each column of values (a grouping, as
    group_values gives them); topics: each article's topic, -1 for none."""
    return {
        grouping: group_counts(
            doc_terms, pd.DataFrame({"topic_id": topics, "value": values[grouping].to_numpy()})
        )
        for grouping in values.columns
    }


def group_words(counts: GroupCounts, top: TopWords) -> pd.DataFrame:
    """Top words of each group of MIN_CLASS_ARTICLES articles or more."""
    large = counts.groups["n_articles"].to_numpy() >= MIN_CLASS_ARTICLES
    if not large.any():
        return pd.DataFrame(
            {"topic_id": [], "value": [], "n_articles": [], "keywords": [], "label": []}
        )
    lists = class_keywords(counts.counts[np.flatnonzero(large)], top.idf, top.words, top.n_words)
    return (
        counts.groups[large]
        .reset_index(drop=True)
        .assign(
            topic_id=lambda d: d["topic_id"].astype("int64"),
            keywords=lists,
            label=[topic_label(w) for w in lists],
        )
    )


def period_words(counts: GroupCounts, top: TopWords) -> pd.DataFrame:
    """Top words per topic per month, from counts per topic and month."""
    return group_words(counts, top).rename(columns={"value": "period"})


def class_words(by_class: Mapping[str, GroupCounts], top: TopWords) -> pd.DataFrame:
    """Top words per topic per province and per outlet, from counts per topic and each class."""
    table = pd.concat(
        [group_words(by_class[name], top).assign(class_name=name) for name in CLASS_FIELDS],
        ignore_index=True,
    )
    return table[["topic_id", "class_name", "value", "n_articles", "keywords", "label"]]


def doc_map_table(
    articles: pd.DataFrame, clusters: Clustering, assignments: pd.DataFrame
) -> pd.DataFrame:
    """2-D coordinates (PCA of the clustering space) of the articles the clusterer was fitted on."""
    from sklearn.decomposition import PCA

    points = clusters.reduced()
    if points.shape[1] > 2:
        points = PCA(n_components=2, svd_solver="full").fit_transform(points)
    elif points.shape[1] < 2:
        points = np.hstack([points, np.zeros((len(points), 2 - points.shape[1]))])
    rows = clusters.fit_rows
    return pd.DataFrame(
        {
            "article_id": articles["article_id"].to_numpy()[rows],
            "x": points[:, 0].astype("float32"),
            "y": points[:, 1].astype("float32"),
            "topic_id": assignments["topic_id"].to_numpy()[rows],
        }
    )


def topic_ids_reapplied(assignments: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    """Existing assignments with the current edits (labels, merges) applied again."""
    confidence = assignments["topic_confidence"].to_numpy()
    return assignment_table(
        assignments, assignments["base_topic_id"].to_numpy(), confidence, topics
    )
