"""Stable topic ids across rebuilds, the lineage between two builds, and the user's topic edits.

A rebuild's topics are matched one-to-one to the previous build's (Hungarian assignment on a score
mixing centroid cosine and keyword Jaccard) so that ids, and the edits keyed by them, persist.

Topic edits live in the store's meta as JSON, keyed by stable id::

    {"labels": {"12": "Banjir di Serang"}, "merges": {"7": 3}, "hidden": [5]}

Beside them, the edits each change replaced (the last EDITS_KEPT), newest last, with what the
change was, so that it can be undone::

    [{"edits": {"labels": {}, "merges": {}, "hidden": []}, "change": {"kind": "hide", "topic_id": 5}}]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

EDITS_META = "topic_edits"
EDITS_HISTORY_META = "topic_edits_history"
EDITS_KEPT = 20  # changes that can be undone, one after another
MATCH_THRESHOLD = 0.35  # a score below this is a different topic
SPLIT_SHARE = 0.25  # an old topic is split when >= 2 new topics each took this share of it
MERGE_SHARE = 0.5  # a new topic is a merger when >= 2 old topics each sent it this share


@dataclass(frozen=True)
class TopicEdits:
    """The user's changes to topics: labels, merges (from -> into) and hidden topics."""

    labels: dict[int, str] = field(default_factory=dict)
    merges: dict[int, int] = field(default_factory=dict)
    hidden: frozenset[int] = frozenset()

    @classmethod
    def from_json(cls, raw: dict | None) -> TopicEdits:
        """Edits as stored in the store's meta (string keys)."""
        raw = raw or {}
        return cls(
            labels={int(k): str(v) for k, v in raw.get("labels", {}).items()},
            merges={int(k): int(v) for k, v in raw.get("merges", {}).items()},
            hidden=frozenset(int(t) for t in raw.get("hidden", [])),
        )

    def to_json(self) -> dict:
        """Edits as JSON-ready values."""
        return {
            "labels": {str(k): v for k, v in sorted(self.labels.items())},
            "merges": {str(k): v for k, v in sorted(self.merges.items())},
            "hidden": sorted(self.hidden),
        }

    def target(self, topic: int, existing: set[int]) -> int:
        """Where a topic ends up after following merges (chains resolved, unknown targets ignored)."""
        seen = {topic}
        while topic in self.merges and self.merges[topic] in existing:
            topic = self.merges[topic]
            if topic in seen:
                break
            seen.add(topic)
        return topic


def keyword_jaccard(a: Sequence[Sequence[str]], b: Sequence[Sequence[str]]) -> np.ndarray:
    """Jaccard similarity of every keyword list in a with every one in b."""
    out = np.zeros((len(a), len(b)))
    sets_b = [set(words) for words in b]
    for i, words in enumerate(a):
        first = set(words)
        for j, second in enumerate(sets_b):
            union = len(first | second)
            out[i, j] = len(first & second) / union if union else 0.0
    return out


def centroid_similarity(old: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Cosine of old and new centres, rescaled so that the typical cosine between new topics is 0."""
    cosine = old @ new.T
    if len(new) > 1:
        between = new @ new.T
        baseline = float(np.median(between[~np.eye(len(new), dtype=bool)]))
    else:
        baseline = 0.0
    return np.clip((cosine - baseline) / max(1e-9, 1.0 - baseline), 0.0, 1.0)


def match_scores(
    old_centres: np.ndarray | None,
    old_keywords: Sequence[Sequence[str]],
    new_centres: np.ndarray,
    new_keywords: Sequence[Sequence[str]],
) -> np.ndarray:
    """Old x new similarity: mean of rescaled centroid cosine and keyword Jaccard."""
    words = keyword_jaccard(old_keywords, new_keywords)
    if old_centres is None:
        return words
    return 0.5 * centroid_similarity(old_centres, new_centres) + 0.5 * words


def matched_pairs(scores: np.ndarray, threshold: float = MATCH_THRESHOLD) -> list[tuple[int, int]]:
    """One-to-one (old row, new column) pairs maximising the total score, above a threshold."""
    from scipy.optimize import linear_sum_assignment

    if not scores.size:
        return []
    rows, columns = linear_sum_assignment(-scores)
    return [
        (int(r), int(c)) for r, c in zip(rows, columns, strict=True) if scores[r, c] >= threshold
    ]


def stable_ids(
    pairs: Sequence[tuple[int, int]], old_ids: Sequence[int], n_new: int, next_id: int
) -> tuple[np.ndarray, int]:
    """The stable id of each new topic (inherited if matched, fresh otherwise) and the next free id."""
    ids = np.full(n_new, -1, dtype=np.int64)
    for old, new in pairs:
        ids[new] = old_ids[old]
    fresh = np.flatnonzero(ids < 0)
    ids[fresh] = next_id + np.arange(len(fresh))
    return ids, next_id + len(fresh)


def member_flow(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Articles in each (old topic, new topic) pair, over the articles both builds assigned."""
    joined = old.merge(new, on="article_id", suffixes=("_old", "_new"))
    joined = joined[(joined["topic_id_old"] >= 0) & (joined["topic_id_new"] >= 0)]
    return pd.crosstab(joined["topic_id_old"], joined["topic_id_new"])


def lineage(
    old_ids: Sequence[int], new_ids: Sequence[int], kept: Sequence[int], flow: pd.DataFrame
) -> dict[str, list]:
    """Which topics are kept, new, gone, merged into one, or split into several."""
    share_of_old = flow.div(flow.sum(axis=1), axis=0) if not flow.empty else flow
    split = [
        {"topic": int(o), "into": [int(n) for n in row.index[row >= SPLIT_SHARE]]}
        for o, row in share_of_old.iterrows()
        if (row >= SPLIT_SHARE).sum() >= 2
    ]
    merged = [
        {"topic": int(n), "from": [int(o) for o in column.index[column >= MERGE_SHARE]]}
        for n, column in share_of_old.items()
        if (column >= MERGE_SHARE).sum() >= 2
    ]
    return {
        "kept": sorted(int(t) for t in kept),
        "new": sorted(int(t) for t in set(new_ids) - set(kept)),
        "gone": sorted(int(t) for t in set(old_ids) - set(kept)),
        "merged": merged,
        "split": split,
    }


def edited_topics(topics: pd.DataFrame, edits: TopicEdits) -> pd.DataFrame:
    """Topics with the user's labels, hidden flags and merge targets applied."""
    existing = set(topics["topic_id"].tolist())
    targets = [edits.target(t, existing) for t in topics["topic_id"]]
    return topics.assign(
        label=[
            edits.labels.get(t, auto)
            for t, auto in zip(topics["topic_id"], topics["auto_label"], strict=True)
        ],
        hidden=topics["topic_id"].isin(edits.hidden),
        merged_into=pd.array(
            [
                target if target != t else None
                for t, target in zip(topics["topic_id"], targets, strict=True)
            ],
            dtype="Int64",
        ),
    )


def merged_topic(base: pd.Series, topics: pd.DataFrame) -> pd.Series:
    """Each article's topic after merges (-1 stays -1), given topics from edited_topics."""
    target = topics.set_index("topic_id")["merged_into"].dropna().astype("int64")
    return base.map(target).fillna(base).astype("int64")
