"""Builds and updates of a tiny invented store: tables, reproducibility, stable ids, edits, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from analysis.topics.build import BuildError, build_store, closeness_to_theme, theme_fallbacks
from analysis.topics.build_folder import TABLES, read_build, save_topic_edits, topic_edits
from analysis.topics.embeddings import document_texts, load_embedder
from analysis.topics.ids import TopicEdits
from analysis.topics.naming import load_model, load_settings, topic_label
from analysis.topics.phrases import phrase_counts, phrases_of
from analysis.topics.tables import (
    changed_of,
    class_values,
    group_moves,
    months,
    reworded,
    with_group_sizes,
)
from analysis.topics.update import update_store
from data.store import Store
from tests.topic_fixtures import theme_articles, theme_of

ROOT = Path(__file__).resolve().parents[1]
#: Fast settings for tests: HDBSCAN on PCA instead of UMAP (no numba compilation), one topic per
#: theme (average linkage, the default for so few articles, splits the invented themes finer).
SETTINGS = {"reducer": "pca", "clusterer": "hdbscan"}


def make_store(path: Path, articles: pd.DataFrame, settings: dict | None = None) -> Store:
    """A store at path holding articles and topic settings."""
    store = Store(path)
    with store.writer():
        store.commit({"articles": articles})
    store.write_meta("topic_settings", settings or SETTINGS)
    return store


def add_articles(store: Store, articles: pd.DataFrame) -> None:
    """Commit more articles to a store."""
    with store.writer():
        store.commit({"articles": articles})


def topic_per_theme(store: Store) -> dict[str, int]:
    """The most common topic id of each invented theme in the current build."""
    assignments = store.assignments()
    themes = theme_of(assignments["article_id"])
    return assignments.groupby(themes)["topic_id"].agg(lambda s: s.mode().iloc[0]).to_dict()


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """Run `python -m analysis ...` in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "PYTHONHASHSEED": "0"},
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Store:
    """A store of 200 invented articles over 5 themes, built once with the tfidf backend."""
    store = make_store(tmp_path_factory.mktemp("built") / "store", theme_articles(40))
    build_store(store, embedding="tfidf", seed=0)
    return store


def test_build_finds_the_themes_with_few_outliers(built):
    assignments = built.assignments()
    assert len(assignments) == 200
    truth = theme_of(assignments["article_id"])
    assert adjusted_rand_score(truth, assignments["topic_id"]) > 0.9
    assert (assignments["topic_id"] == -1).mean() <= 0.05
    assert assignments["topic_confidence"].between(0, 1).all()
    assert set(assignments.columns) >= {
        "article_id", "topic_id", "topic_label", "topic_confidence", "theme", "theme_label",
    }  # fmt: skip


def test_build_writes_every_table_and_readable_labels(built):
    folder = built.current_build()
    build = read_build(folder)
    assert {f"{name}.parquet" for name in TABLES} <= {p.name for p in folder.iterdir()}
    assert not list(folder.rglob("*.pkl")) and not list(folder.rglob("*.pickle"))
    assert list((folder / "model").glob("*.safetensors"))
    topics = build.topics
    assert sorted(topics["topic_id"]) == [0, 1, 2, 3, 4]
    titles = " | ".join(built.articles()["title"]).lower()
    assert all(2 <= len(name.split()) <= 6 for name in topics["label"])  # names, not triplets
    assert all(name.lower() in titles for name in topics["label"])  # phrases of their titles
    assert topics["size"].sum() == 200
    flood = topics.set_index("topic_id").loc[topic_per_theme(built)["banjir"], "keywords"]
    assert {"banjir", "bpbd", "pengungsi"} & set(flood)
    assert build.themes["theme"].tolist() == sorted(build.themes["theme"])
    periods = build.topic_words_by_period
    assert set(periods["period"]) == {"2024-01", "2024-02", "2024-03", "2024-04"}
    classes = build.topic_words_by_class
    assert set(classes["class_name"]) == {"province", "source"}
    assert build.doc_map[["x", "y"]].notna().all().all() and len(build.doc_map) == 200
    info = build.info
    assert info["n_articles"] == 200 and info["embedding"] == "tfidf" and info["seed"] == 0
    assert info["clusterer"] == "hdbscan"
    assert info["quality"]["outlier_share"] <= 0.05
    assert {"embed", "cluster", "describe", "total"} <= set(info["timings"])


def test_saved_model_and_embedder_load_back_and_agree(built):
    folder = built.current_build()
    build = read_build(folder)
    embedder = load_embedder("tfidf", folder / "embedder")
    model = load_model(folder / "model", embedder)
    assert load_settings(folder / "model").clusterer == "hdbscan"  # a setting of the store
    articles = built.articles().sort_values("article_id").head(20)
    vectors = embedder.embed(document_texts(articles, embedder.lead_words))
    centres = np.vstack(build.topics.sort_values("model_topic")["centroid"])
    predicted, _ = model.transform(document_texts(articles, embedder.lead_words), vectors)
    by_model = build.topics.set_index("model_topic")["topic_id"]
    expected = build.assignments.set_index("article_id").loc[articles["article_id"], "topic_id"]
    assert by_model.loc[predicted].tolist() == expected.tolist()
    assert centres.shape[0] == 5


def test_a_fast_build_uses_the_quick_settings_and_still_finds_the_themes(tmp_path):
    store = make_store(tmp_path / "store", theme_articles(40), {"n_topics": 5})
    info = build_store(store, embedding="tfidf", seed=0, fast=True)
    folder = store.current_build()
    assert info["fast"] is True and info["settings"]["reducer"] == "pca"
    embedder = load_embedder("tfidf", folder / "embedder")
    assert embedder.inner.settings.char_chars == 0 and embedder.lead_words == 100
    assignments = store.assignments()
    assert adjusted_rand_score(theme_of(assignments["article_id"]), assignments["topic_id"]) > 0.9


def test_builds_in_two_processes_are_identical(tmp_path):
    articles = theme_articles(40)
    results = []
    for name in ("a", "b"):
        make_store(tmp_path / name, articles)
        done = run_cli("build", "--store", str(tmp_path / name), "--json", "--quiet")
        assert done.returncode == 0, done.stderr
        info = json.loads(done.stdout)
        assignments = pd.read_parquet(
            tmp_path / name / "builds" / info["version"] / "assignments.parquet"
        )
        results.append(assignments)
    pd.testing.assert_frame_equal(results[0], results[1])


#: A build in a fresh process, then what it imported, then UMAP asked for afterwards.
BUILD_THEN_UMAP = """
import sys
from analysis.topics.build import build_store
from data.store import Store
build_store(Store(sys.argv[1]))
print("umap" in sys.modules, "bertopic" in sys.modules)
from umap import UMAP
print(UMAP.__name__)
"""


def printed_on_a_store(script: str, folder: Path) -> str:
    """What a script prints in a fresh process, given a store of 200 invented articles (PCA: no
    UMAP layout anywhere)."""
    make_store(folder / "store", theme_articles(40))
    done = subprocess.run(
        [sys.executable, "-c", script, str(folder / "store")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_build_that_lays_out_no_umap_itself_never_imports_it(tmp_path):
    printed = printed_on_a_store(BUILD_THEN_UMAP, tmp_path)
    assert printed.split("\n")[:2] == ["False True", "UMAP"]  # BERTopic came without it


#: The thread pools threadpoolctl knows, as a build starts and as it ends, from inside the build.
BUILD_THREAD_POOLS = """
import json, sys
from threadpoolctl import threadpool_info
import analysis.topics.build as build
from data.store import Store
seen = []
original = build.build_topics
def spied(*args, **kwargs):
    seen.append({pool["filepath"]: pool["num_threads"] for pool in threadpool_info()})
    result = original(*args, **kwargs)
    seen.append({pool["filepath"]: pool["num_threads"] for pool in threadpool_info()})
    return result
build.build_topics = spied
build.build_store(Store(sys.argv[1]))
print(json.dumps([build.BLAS_THREADS, seen]))
"""


def test_every_thread_pool_a_build_loads_keeps_to_the_build_s_threads(tmp_path):
    threads, (at_start, at_end) = json.loads(printed_on_a_store(BUILD_THREAD_POOLS, tmp_path))
    assert set(at_end) == set(
        at_start
    )  # scipy's LAPACK and scikit-learn's OpenMP were loaded first
    assert len(at_end) >= 2
    assert set(at_end.values()) == {threads}


def test_a_small_store_gets_the_same_topics_from_every_seed(tmp_path):
    articles, topics = theme_articles(40), []
    for seed in (0, 1):
        store = make_store(tmp_path / str(seed), articles, {"reducer": "pca"})
        build_store(store, embedding="tfidf", seed=seed)
        assert read_build(store.current_build()).info["clusterer"] == "linkage"
        topics.append(store.assignments().set_index("article_id")["topic_id"].sort_index())
    pd.testing.assert_series_equal(topics[0], topics[1])
    assert adjusted_rand_score(theme_of(topics[0].index), topics[0]) > 0.6


def test_ids_and_edits_survive_a_rebuild_with_more_articles(tmp_path):
    store = make_store(tmp_path / "s", theme_articles(40))
    build_store(store, seed=0)
    before = topic_per_theme(store)
    flood, food, ball = before["banjir"], before["pangan"], before["bola"]
    save_topic_edits(
        store,
        TopicEdits(labels={flood: "Banjir di kota"}, merges={ball: food}, hidden=frozenset({food})),
    )
    add_articles(store, theme_articles(8, seed=11, first=100))
    info = build_store(store, seed=0)
    after = topic_per_theme(store)
    assert after["banjir"] == flood and after["pilkada"] == before["pilkada"]
    assert after["pangan"] == food and after["bola"] == food  # merged into the food topic
    assert info["lineage"]["kept"] == sorted(before.values()) and info["lineage"]["new"] == []
    topics = read_build(store.current_build()).topics.set_index("topic_id")
    assert topics.loc[flood, "label"] == "Banjir di kota"
    assert topics.loc[food, "hidden"] and topics.loc[ball, "merged_into"] == food
    assert topics.loc[ball, "size"] == 0 and topics["size"].sum() == 240
    assert topics.loc[food, "size"] == (store.assignments()["topic_id"] == food).sum()
    themes = read_build(store.current_build()).themes
    assert (
        ball not in [t for ids in themes["topic_ids"] for t in ids] and themes["size"].sum() == 240
    )
    labels = store.assignments().set_index("article_id")["topic_label"]
    assert labels[store.assignments()["topic_id"].eq(flood).to_numpy()].eq("Banjir di kota").all()
    assert topic_edits(store).labels == {flood: "Banjir di kota"}


def test_a_new_theme_gets_a_fresh_id_and_old_ids_stay(tmp_path):
    store = make_store(
        tmp_path / "s", theme_articles(40).query("~article_id.str.startswith('bola')")
    )
    store.write_meta("topic_settings", {"reducer": "pca", "n_topics": 4})
    first = build_store(store, seed=0)
    before = topic_per_theme(store)
    add_articles(store, theme_articles(40).query("article_id.str.startswith('bola')"))
    store.write_meta("topic_settings", SETTINGS)
    info = build_store(store, seed=0)
    after = topic_per_theme(store)
    assert {k: after[k] for k in before} == before
    assert after["bola"] == first["next_topic_id"] and info["lineage"]["new"] == [after["bola"]]


def test_update_assigns_new_articles_and_says_when_to_rebuild(tmp_path, monkeypatch):
    monkeypatch.setattr("analysis.topics.update.UPDATE_BATCH", 7)  # 20 new articles: three batches
    store = make_store(tmp_path / "s", theme_articles(40))
    build_store(store, seed=0)
    topics = topic_per_theme(store)
    add_articles(store, theme_articles(4, seed=5, first=500))
    report = update_store(store)
    assert report["n_new"] == 20 and not report["rebuild_due"]
    assignments = store.assignments().set_index("article_id")
    fresh = assignments.loc[
        assignments.index.str.endswith(tuple(f"-{n:04d}" for n in range(500, 504)))
    ]
    assert (fresh["topic_id"] == theme_of(fresh.index.to_series()).map(topics)).all()
    assert len(assignments) == 220
    assert read_build(store.current_build()).topics["size"].sum() == 220
    add_articles(store, theme_articles(6, seed=6, first=600))
    report = update_store(store)
    assert report["n_new"] == 30 and report["rebuild_due"]
    assert "arrived after the last build" in report["rebuild_reasons"][0]
    assert update_store(store)["n_new"] == 0


def group_sizes(store: Store) -> pd.DataFrame:
    """(class_name, topic_id, value) -> articles, counted from the store and its current build."""
    articles = store.articles().merge(store.assignments(), on="article_id")
    period = months(articles["published_at"])
    return (
        pd.concat(
            [
                articles.assign(class_name="period", value=period),
                articles.assign(class_name="province", value=articles["province"]),
                articles.assign(class_name="source", value=articles["source"]),
            ]
        )
        .query("topic_id >= 0")
        .groupby(["class_name", "topic_id", "value"])
        .size()
        .loc[lambda sizes: sizes >= 3]
    )


def test_update_recomputes_the_word_tables_of_the_groups_it_changes(tmp_path):
    store = make_store(tmp_path / "s", theme_articles(40))
    build_store(store, seed=0)
    topics = topic_per_theme(store)
    before = read_build(store.current_build())
    save_topic_edits(store, TopicEdits(merges={topics["bola"]: topics["pangan"]}))
    june = theme_articles(4, seed=5, first=500).assign(
        published_at=pd.Timestamp("2024-06-10", tz="UTC"), source="kabar-baru"
    )
    add_articles(store, june)
    update_store(store)
    after = read_build(store.current_build())
    periods, classes = after.topic_words_by_period, after.topic_words_by_class
    counted = pd.concat(
        [periods.assign(class_name="period").rename(columns={"period": "value"}), classes]
    ).set_index(["class_name", "topic_id", "value"])["n_articles"]
    pd.testing.assert_series_equal(
        counted.sort_index(), group_sizes(store).rename("n_articles"), check_dtype=False
    )
    june_words = periods.query("period == '2024-06'").set_index("topic_id")["keywords"]
    assert sorted(june_words.index) == sorted(set(topics.values()) - {topics["bola"]})
    assert {"banjir", "bpbd", "pengungsi"} & set(june_words[topics["banjir"]])
    assert "kabar-baru" in set(classes.query("class_name == 'source'")["value"])
    merged = [topics["bola"], topics["pangan"]]

    def untouched(table: pd.DataFrame) -> pd.DataFrame:
        keep = table["period"].ne("2024-06") & ~table["topic_id"].isin(merged)
        return table[keep].reset_index(drop=True)

    pd.testing.assert_frame_equal(untouched(periods), untouched(before.topic_words_by_period))


def test_update_rewords_groups_that_changed_much_and_resizes_the_others():
    values = pd.DataFrame({"period": ["2024-01"] * 21 + ["2024-02"] * 2})
    before = np.array([0] * 20 + [-1] * 3)  # 20 built articles, then 3 new ones
    changed = changed_of([group_moves(values, before, np.zeros(23, dtype=int))])
    assert changed[["value", "moved", "size"]].values.tolist() == [
        ["2024-01", 1, 21],
        ["2024-02", 2, 2],
    ]
    assert reworded(changed)["value"].tolist() == ["2024-02"]  # 1 of 21 joined January: words stay
    table = pd.DataFrame(
        {"topic_id": [0], "period": ["2024-01"], "n_articles": [20], "keywords": [["a"]]}
    )
    resized = with_group_sizes(
        table, changed.rename(columns={"value": "period"}), ["topic_id", "period"]
    )
    assert resized["n_articles"].tolist() == [21] and resized["keywords"].tolist() == [["a"]]


def test_the_word_tables_group_by_wib_month_and_stripped_class_names():
    published = pd.Series(
        [pd.Timestamp("2024-01-31 17:30", tz="UTC"), None, "2024-03-05T01:00:00+07:00", pd.NaT]
    )
    assert months(published).tolist()[::2] == ["2024-02", "2024-03"]  # 00:30 WIB on 1 February
    assert months(published).isna().tolist() == [False, True, False, True]
    names = class_values(pd.Series([" Banten", "", None, "Banten ", "Bali"]))
    assert names.tolist()[::3] == ["Banten", "Banten"] and names.isna().sum() == 2


def test_cli_update_prints_one_json_object(built, tmp_path):
    done = run_cli("update", "--store", str(built.path), "--json", "--quiet")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["n_new"] == 0


def test_cli_reports_user_errors_without_a_traceback(tmp_path):
    done = run_cli("update", "--store", str(tmp_path / "empty"))
    assert done.returncode == 2
    assert "no topic build yet" in done.stderr and "Traceback" not in done.stderr
    make_store(tmp_path / "s", theme_articles(2))
    done = run_cli("build", "--store", str(tmp_path / "s"), "--embedding", "nonsense")
    assert done.returncode == 2 and "unknown embedding" in done.stderr


def test_build_refuses_an_empty_store(tmp_path):
    with pytest.raises(BuildError, match="ingest some"):
        build_store(Store(tmp_path / "nothing"))


def test_the_corpus_is_every_id_once_in_order_in_partitions_of_row_groups(tmp_path, monkeypatch):
    from analysis.topics import partitions

    articles = theme_articles(600).sample(frac=1.0, random_state=1).reset_index(drop=True)
    store = make_store(tmp_path / "s", articles.iloc[:2_500])
    again = articles.iloc[2_000:].copy()  # 500 ids stored a second time, 500 new ones
    again.loc[again.index[:500], "title"] = "a later copy"
    add_articles(store, again)
    monkeypatch.setattr(partitions, "PARTITION_ROWS", 1_500)
    corpus = partitions.store_corpus(store)
    assert corpus.ids.tolist() == sorted(articles["article_id"].unique())
    assert all(len(p.row_groups) <= 2 for p in corpus.partitions) and len(corpus.partitions) > 2
    read = pd.concat([p.frame(["article_id", "title"]) for p in corpus.partitions])
    order = np.concatenate(corpus.positions)
    assert read["article_id"].tolist() == corpus.ids.to_numpy()[order].tolist()
    assert not read["title"].eq("a later copy").any()  # the first copy of an id is the corpus's
    values = np.arange(len(corpus)) * 2
    np.testing.assert_array_equal(corpus.in_order(corpus.split(values)), values)


def _compacting(store: Store, times: int):
    """store_corpus, then an ingest's compaction of the parts it listed (the first `times` calls)."""
    import analysis.topics.build as build

    original, calls = build.store_corpus, []

    def corpus_then_compaction(target: Store):
        corpus = original(target)
        calls.append(len(corpus))
        if len(calls) <= times:
            with store.writer():
                assert store.compact("articles", max_parts=1)
            add_articles(store, theme_articles(2, seed=9, first=5000 + 100 * len(calls)))
        return corpus

    return corpus_then_compaction, calls


def test_a_build_starts_again_when_an_ingest_merges_the_parts_it_reads(tmp_path, monkeypatch):
    import analysis.topics.build as build

    store = make_store(tmp_path / "s", theme_articles(20, seed=0))
    add_articles(store, theme_articles(20, seed=1, first=1000))
    reader, calls = _compacting(store, times=1)
    monkeypatch.setattr(build, "store_corpus", reader)
    info = build_store(store, seed=0)
    assert len(calls) == 2 and info["n_articles"] == calls[-1]


def test_a_build_says_so_when_ingests_keep_merging_its_parts(tmp_path, monkeypatch):
    import analysis.topics.build as build

    store = make_store(tmp_path / "s", theme_articles(20, seed=0))
    add_articles(store, theme_articles(20, seed=1, first=1000))
    reader, calls = _compacting(store, times=build.BUILD_ATTEMPTS)
    monkeypatch.setattr(build, "store_corpus", reader)
    with pytest.raises(BuildError, match="merged by ingests while the build read them, 3 times"):
        build_store(store, seed=0)
    assert store.current_build() is None


def test_update_reads_the_bodies_of_the_articles_it_assigns_or_recounts_only(tmp_path, monkeypatch):
    from analysis.topics.partitions import Partition

    store = make_store(tmp_path / "s", theme_articles(20, seed=0))
    build_store(store, seed=0)
    add_articles(store, theme_articles(2, seed=5, first=1000))
    read_articles, read_partition, asked = Store.articles, Partition.frame, []

    def no_bodies(self, columns=None, **kwargs):  # the cube reads every title, never a body
        assert columns is not None and "text" not in columns, columns
        return read_articles(self, columns, **kwargs)

    def bodies(self, columns, picked=None):
        frame = read_partition(self, columns, picked)
        if "text" in columns:
            asked.append(len(frame))
        return frame

    monkeypatch.setattr(Store, "articles", no_bodies)
    monkeypatch.setattr(Partition, "frame", bodies)
    report = update_store(store)
    assert report["n_new"] == len(theme_articles(2, seed=5)) == asked[0]
    assert 0 < sum(asked[1:]) < len(read_articles(store, ["article_id"]))  # recounts are partial


def test_update_lists_the_stored_article_ids_once(tmp_path, monkeypatch):
    # every read of the article_id column alone in this process, whatever makes it: the ids an
    # update finds its new articles among are the ones it places in their partitions
    import pyarrow.parquet as pq

    store = make_store(tmp_path / "s", theme_articles(20, seed=0))
    add_articles(store, theme_articles(20, seed=1, first=1000))
    build_store(store, seed=0)
    add_articles(store, theme_articles(4, seed=5, first=2000))
    stored = len(store.articles(["article_id"]))
    listed: list[int] = []
    read_table, read_file = pq.read_table, pq.ParquetFile.read

    def counted(table):
        if table.column_names == ["article_id"]:
            listed.append(table.num_rows)
        return table

    monkeypatch.setattr(pq, "read_table", lambda *a, **k: counted(read_table(*a, **k)))
    monkeypatch.setattr(pq.ParquetFile, "read", lambda *a, **k: counted(read_file(*a, **k)))
    assert update_store(store)["n_new"] == 5 * 4
    assert sum(listed) == stored
    listed.clear()
    assert update_store(store)["n_new"] == 0  # nothing new: the ids listed once too
    assert sum(listed) == stored


def _updated_twins(tmp_path: Path) -> tuple[Store, Store]:
    """Two identical stores in three parts, each built, with the same new articles to update."""
    twins = []
    for name in ("raced", "calm"):
        store = make_store(tmp_path / name, theme_articles(20, seed=0))
        add_articles(store, theme_articles(20, seed=1, first=1000))
        build_store(store, seed=0)
        add_articles(store, theme_articles(4, seed=5, first=2000))
        twins.append(store)
    return twins[0], twins[1]


def test_update_recounts_its_word_tables_again_when_an_ingest_merges_the_parts(
    tmp_path, monkeypatch
):
    import analysis.topics.update as update

    raced, calm = _updated_twins(tmp_path)
    original, merged = update.refreshed_word_tables, []

    def merged_first(*args):  # an ingest compacts after the update listed the parts
        if not merged:
            with raced.writer():
                merged.append(raced.compact("articles", max_parts=1))
            add_articles(raced, theme_articles(1, seed=9, first=3000))
        return original(*args)

    monkeypatch.setattr(update, "refreshed_word_tables", merged_first)
    report = update_store(raced)
    assert merged == [True] and report["n_new"] == 5 * 4
    monkeypatch.setattr(update, "refreshed_word_tables", original)
    update_store(calm)
    got, want = (read_build(s.current_build()) for s in (raced, calm))
    for table in ("assignments", "topic_words_by_period", "topic_words_by_class"):
        pd.testing.assert_frame_equal(getattr(got, table), getattr(want, table))


def test_the_cube_of_an_update_reads_what_it_counts_only(tmp_path, monkeypatch):
    from analysis.topics.build_folder import CUBE_FILE
    from analysis.trends.cube import coverage_cube

    def placed(articles: pd.DataFrame) -> pd.DataFrame:
        banten = articles.index % 2 == 0
        return articles.assign(
            province_code=np.where(banten, "36", "31"),
            province=np.where(banten, "Banten", "DKI Jakarta"),
            regency_code=np.where(banten, "3673", None),
            regency=np.where(banten, "Kota Serang", None),
            language="id",
        )

    store = make_store(tmp_path / "s", placed(theme_articles(20, seed=0)))
    build_store(store, seed=0)
    add_articles(store, placed(theme_articles(2, seed=5, first=1000)))
    read_articles, asked = Store.articles, set()

    def recorded(self, columns=None, **kwargs):
        asked.update(columns or ["every column"])
        return read_articles(self, columns, **kwargs)

    monkeypatch.setattr(Store, "articles", recorded)
    update_store(store)
    assert asked.isdisjoint({"url", "province", "regency", "text", "every column"}), asked
    assignments = store.assignments()[["article_id", "base_topic_id"]]
    articles = read_articles(store).merge(assignments, on="article_id", how="left")
    topics = articles["base_topic_id"].fillna(-1).astype("int64")
    pd.testing.assert_frame_equal(
        pd.read_parquet(store.current_build() / CUBE_FILE).astype({"day": "datetime64[s]"}),
        coverage_cube(articles.assign(topic_id=topics)),
    )


def test_assigning_reuses_the_fitted_sample_vectors_and_gets_what_embedding_again_gives(
    tmp_path,
):
    from analysis.topics.build import every_assigned, sample_articles
    from analysis.topics.clustering import fitted
    from analysis.topics.embeddings import Centred, TfidfEmbedder, TfidfSettings
    from analysis.topics.partitions import store_corpus
    from analysis.topics.settings import TopicSettings

    articles = theme_articles(30)
    store = make_store(tmp_path / "store", articles.iloc[::2])
    add_articles(store, articles.iloc[1::2])  # two parts: two partitions
    corpus = store_corpus(store)
    assert len(corpus.partitions) > 1
    sample = np.arange(0, len(corpus), 2)  # half the articles, the other half embedded again
    embedder = Centred(TfidfEmbedder(TfidfSettings(dimensions=16, char_chars=200)))
    articles = sample_articles(corpus, sample, embedder.lead_words)
    _, vectors = embedder.fit_and_embed(
        document_texts(articles, embedder.lead_words), None, articles["source"].tolist()
    )
    settings = TopicSettings(**SETTINGS)
    fit = fitted(vectors, sample, len(corpus), settings)
    prior = np.arange(len(corpus)) % 3
    reused = every_assigned(corpus, embedder, fit, prior, 3, None, (sample, vectors))
    nothing = (np.empty(0, dtype=int), np.empty((0, vectors.shape[1]), dtype=np.float32))
    again = every_assigned(corpus, embedder, fit, prior, 3, None, nothing)
    assert np.array_equal(reused.topics, again.topics)
    assert np.array_equal(reused.similarity, again.similarity)
    assert np.array_equal(reused.old_sums, again.old_sums)


def test_counting_reuses_the_sample_keyword_counts_and_gets_what_counting_again_gives(tmp_path):
    from analysis.topics.build import KEYWORD_LEAD_WORDS, every_word_group, keyword_terms
    from analysis.topics.naming import document_terms, news_vectorizer
    from analysis.topics.partitions import store_corpus
    from analysis.topics.settings import TopicSettings

    articles = theme_articles(30)
    store = make_store(tmp_path / "store", articles.iloc[::2])
    add_articles(store, articles.iloc[1::2])  # two parts: two partitions
    corpus = store_corpus(store)
    sample = np.arange(0, len(corpus), 3)
    docs = document_texts(
        store.articles(["article_id", "title", "text"])
        .set_index("article_id")
        .loc[corpus.ids.to_numpy()[sample]],
        KEYWORD_LEAD_WORDS,
    )
    settings = TopicSettings(**SETTINGS)
    counts, words = document_terms(docs, settings)
    counts.sort_indices()
    vectorizer = news_vectorizer(settings, words)
    assert (counts != keyword_terms(vectorizer, docs)).nnz == 0
    topics = np.arange(len(corpus)) % 4 - 1
    reused = every_word_group(corpus, vectorizer, topics, (sample, counts))
    nothing = (np.empty(0, dtype=int), counts[:0])
    again = every_word_group(corpus, vectorizer, topics, nothing)
    assert reused.keys() == again.keys()
    for name, counted in reused.items():
        pd.testing.assert_frame_equal(counted.groups, again[name].groups)
        for attribute in ("data", "indices", "indptr"):
            assert np.array_equal(
                getattr(counted.counts, attribute), getattr(again[name].counts, attribute)
            )


def test_closeness_to_theme_is_each_topic_s_cosine_to_its_theme_s_weighted_centre():
    centres = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 0.0], [0.0, 3.0]])
    closeness = closeness_to_theme(centres, np.array([3.0, 1.0, 5.0, 5.0]), np.array([0, 0, 1, 1]))
    assert closeness[0] == pytest.approx(3 / np.sqrt(10), abs=1e-6)  # centre (3, 1)
    assert closeness[1] == pytest.approx(1 / np.sqrt(10), abs=1e-6)
    assert closeness[2] == pytest.approx(closeness[3]) == pytest.approx(np.sqrt(0.5), abs=1e-6)


def test_a_theme_whose_titles_share_no_phrase_is_named_after_two_of_its_central_topics():
    """Theme 0: two named topics and a keyword-labelled one larger than both; theme 1: no named
    topic, so its keyword label."""
    titles = ["Harga Emas Naik", "Harga Emas Turun", "Siswa SD Libur", "Siswa SD Belajar"]
    titles += [f"Kabar {i}" for i in range(6)] + ["Berita Lain", "Berita Baru"]
    topics_of_titles = np.array([0, 0, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3])
    counted = phrase_counts(phrases_of(titles), topics_of_titles, np.ones(len(titles)))
    keywords = [["harga", "emas"], ["siswa", "sd"], ["kabar", "terbaru"], ["berita", "lain"]]
    names = ["Harga Emas", "Siswa SD", topic_label(keywords[2]), topic_label(keywords[3])]
    topics = pd.DataFrame({"auto_label": names, "keywords": keywords})
    centres = np.array([[1.0, 0.1], [1.0, -0.1], [0.5, 1.0], [0.0, 1.0]])
    theme_words = [["emas", "siswa"], ["berita", "baru"]]
    fallbacks = theme_fallbacks(counted, topics, centres, np.array([0, 0, 0, 1]), theme_words)
    assert fallbacks == ["Harga Emas & Siswa SD", topic_label(theme_words[1])]


def test_the_fit_samples_word_rows_read_each_body_past_the_embeddings_lead(tmp_path):
    from analysis.topics.build import fit_word_rows
    from analysis.topics.embeddings import (
        Centred,
        PretrainedEmbedder,
        TfidfEmbedder,
        TfidfSettings,
        VectorCache,
    )
    from analysis.topics.partitions import store_corpus

    articles = theme_articles(30)
    filler = " ".join(["laporan"] * 400)  # the embedding's 300-word lead holds no story word
    articles = articles.assign(title="Laporan", text=filler + " " + articles["text"])
    store = make_store(tmp_path / "store", articles)
    corpus = store_corpus(store)
    embedder = Centred(TfidfEmbedder(TfidfSettings(dimensions=8, char_chars=0)))
    embedder.fit_embed(document_texts(articles, 400 + 50))  # a vocabulary of the stories' words
    rows = np.arange(0, len(corpus), 2)
    words = fit_word_rows(corpus, rows, embedder).toarray()
    vocabulary = embedder.inner._vectorizers[0].vocabulary_
    story = [w for w in vocabulary if " " not in w and w != "laporan"]
    assert (words[:, [vocabulary[w] for w in story]].sum(axis=1) > 0).all()
    pretrained = Centred(PretrainedEmbedder("fake", np.ones, VectorCache(None)))
    assert fit_word_rows(corpus, rows, pretrained) is None
