"""The topic suite bench: label sets read from ingested files, scores and targets."""

import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from bench.topic_suite import SUBSET, labelled, part_of, scores, subset_ari, suites, verdict


def articles() -> pd.DataFrame:
    """Ingested rows of the three kinds of labelled file, indexed by article id."""
    rows = [
        ("a1", "in/misleading.csv", "politik", "https://cek.example.id/1"),
        ("a2", "in/misleading.csv", "bisnis", "https://cek.example.id/2"),
        ("k1", "in/kompas_titles_2018/q1.csv", None, "https://regional.kompas.com/read/1"),
        ("k2", "in/kompas_titles_2018/q1.csv", None, "https://bola.kompas.com/read/2"),
        ("d1", "in/berita_detik.csv", "Sepakbola", "https://sport.detik.com/1"),
        ("o1", "in/berita_okezone.xlsx", "Ekonomi", "https://economy.okezone.com/1"),
        ("x1", "in/lain.csv", "Umum", "https://lain.example.id/1"),
    ]
    frame = pd.DataFrame(rows, columns=["article_id", "file", "category", "url"])
    return frame.set_index(frame["article_id"].rename(None))


def test_label_sets_come_from_the_file_and_its_desk_or_url_section():
    labels = labelled(articles())
    assert labels["misleading"].dropna().to_dict() == {"a1": "politik", "a2": "bisnis"}
    assert labels["kompas"].dropna().to_dict() == {"k1": "regional", "k2": "bola"}
    assert labels["bodies"].dropna().to_dict() == {"d1": "detik:Sepakbola", "o1": "okezone:Ekonomi"}
    assert labels["okezone"].dropna().to_dict() == {"o1": "okezone:Ekonomi"}


def test_the_mixed_build_scores_every_label_set_inside_everything():
    chosen = suites(articles())
    corpus, label_sets = chosen["all"]
    assert len(corpus) == 7
    assert set(label_sets) == {"all: misleading", "all: kompas", "all: bodies"}
    assert list(label_sets["all: kompas"].index) == ["k1", "k2"]  # only the labelled articles
    assert f"bodies-{SUBSET}" in chosen


def test_scores_count_unassigned_as_a_group_and_compare_the_seeds():
    label = pd.Series(["a", "a", "b", "b"], index=["w", "x", "y", "z"])
    first = pd.Series([0, 0, 1, -1], index=["z", "w", "x", "y"])
    second = pd.Series([0, 0, 1, 1], index=["z", "w", "x", "y"])
    result = scores(label, [first, second])
    assert result["topics"] == 2
    assert result["unassigned"] == pytest.approx(0.25)
    assert result["largest"] == pytest.approx(0.5)
    assert 0 < result["nmi"] < 1
    assert result["seed_ari"] < 1


def test_verdict_names_each_missed_target():
    base = {"nmi": 0.40, "unassigned": 0.02, "seed_ari": 0.9, "largest": 0.1}
    base |= {"largest_label": 0.1, "articles": 900, "topics": 12}
    vanilla = {"nmi": 0.30}
    assert verdict(base, vanilla) == "met"
    worse = base | {"nmi": 0.32, "seed_ari": 0.5, "topics": 3, "largest": 0.4}
    assert verdict(worse, vanilla) == "missed: NMI, seed ARI, largest, topics"


def test_three_seeds_give_the_mean_nmi_and_the_mean_ari_of_their_three_pairs():
    label = pd.Series(["a", "a", "b", "b"], index=["w", "x", "y", "z"])
    runs = [
        pd.Series([0, 0, 1, 1], index=["w", "x", "y", "z"]),  # the labels
        pd.Series([0, 0, 1, 1], index=["w", "x", "y", "z"]),  # the labels again
        pd.Series([0, 1, 0, 1], index=["w", "x", "y", "z"]),  # nothing in common with them
    ]
    result = scores(label, runs)
    assert result["nmi"] == pytest.approx(2 / 3)
    assert result["seed_ari"] == pytest.approx(
        (1.0 + 2 * adjusted_rand_score([0, 0, 1, 1], [0, 1, 0, 1])) / 3
    )


def test_builds_of_different_parts_agree_on_the_labelled_articles_they_share():
    label = pd.Series(["a", "a", "b", "b", "c"], index=["v", "w", "x", "y", "z"])
    first = pd.Series([0, 0, 1, 1, 5], index=["v", "w", "x", "y", "q"])  # q is unlabelled
    same = pd.Series([3, 3, 2, 2], index=["w", "v", "y", "x"])
    other = pd.Series([0, 1, 0, 2, 2], index=["v", "w", "x", "y", "z"])
    assert subset_ari(label, [first, same]) == 1.0
    shared = ["v", "w", "x", "y"]
    expected = (1.0 + 2 * adjusted_rand_score(first[shared], other[shared])) / 3
    assert subset_ari(label, [first, same, other]) == pytest.approx(expected)


def test_each_seed_builds_its_own_nine_tenths_of_a_corpus():
    corpus = pd.DataFrame({"n": range(100)}, index=[f"a{i:03d}" for i in range(100)])
    parts = [part_of(corpus, seed, 0.9) for seed in (0, 1)]
    assert [len(p) for p in parts] == [90, 90]
    assert parts[0].index.is_monotonic_increasing
    assert set(parts[0].index) != set(parts[1].index)
    assert part_of(corpus, 0, 1.0) is corpus
