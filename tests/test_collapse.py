"""The build's guard against collapse: no topic swallows a corpus of 300+ articles."""

import numpy as np
from sklearn.metrics import adjusted_rand_score

from analysis.topics.clustering import (
    MAX_TOPIC_SHARE,
    MIN_TOPICS,
    collapsed,
    fitted,
    split_labels,
    split_parts,
)
from analysis.topics.settings import TopicSettings


def planted(groups: int, size: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors around `groups` random directions in 32 dimensions, and their group."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(groups, 32))
    truth = np.repeat(np.arange(groups), size)
    points = centres[truth] + 0.3 * rng.normal(size=(len(truth), 32))
    return points / np.linalg.norm(points, axis=1, keepdims=True), truth


def test_collapse_is_a_giant_topic_or_too_few_topics_in_a_corpus_of_300_or_more():
    assert collapsed(np.array([250, 50, 50, 50, 50]), 450)  # 56% in one
    assert collapsed(np.array([100, 100, 100, 100]), 400)  # four topics
    assert not collapsed(np.array([80] * 6), 480)
    assert not collapsed(np.array([60, 60]), 120)  # small corpora may hold few topics


def test_one_topic_for_everything_is_split_into_its_planted_groups():
    points, truth = planted(groups=8, size=60)
    labels, splits = split_labels(points, np.zeros(len(points), dtype=int))
    sizes = np.bincount(labels[labels >= 0])
    assert splits[0] == {"articles": 480, "into": split_parts(480, 480)}
    assert sizes.max() <= MAX_TOPIC_SHARE * len(points)
    assert len(sizes) >= MIN_TOPICS
    assert adjusted_rand_score(truth, labels) > 0.6


def test_healthy_topics_and_noise_are_left_alone():
    points, truth = planted(groups=8, size=60)
    labels = truth.copy()
    labels[::10] = -1
    same, splits = split_labels(points, labels)
    assert splits == []
    assert np.array_equal(same, labels)


def test_a_split_depends_on_its_members_not_on_the_build_s_seed():
    points, _ = planted(groups=6, size=80)
    one_topic = {"reducer": "none", "clusterer": "kmeans", "n_topics": 1}
    first = fitted(points, np.arange(len(points)), len(points), TopicSettings(seed=0, **one_topic))
    again = fitted(points, np.arange(len(points)), len(points), TopicSettings(seed=5, **one_topic))
    assert first.splits and first.splits == again.splits
    assert np.array_equal(first.labels, again.labels)


def test_a_topic_is_judged_with_the_left_out_rows_that_would_join_it():
    points, truth = planted(groups=8, size=60)
    labels = np.where(truth == 0, 0, -1)  # one clustered topic; everything else left out
    labels[truth == 1] = 1
    split, splits = split_labels(points, labels)
    assert splits  # 2 topics of 60 rows each hold every row once the others join
    assert len(np.unique(split[split >= 0])) >= MIN_TOPICS


def test_the_build_says_what_its_guard_split():
    from analysis.cli import guard_lines

    assert guard_lines([{"articles": 2177, "into": 16}]) == [
        "collapse guard: a topic of 2,177 articles split into 16"
    ]
