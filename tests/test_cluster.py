"""Same answers on a Dask cluster: a seeded synthetic corpus ingested, built and updated in one
process and on a real LocalCluster of two worker processes gives the same article ids, duplicate
decisions, counts, topic assignments and coverage cube; a separately started `dask scheduler` with
two `dask worker` processes gives the same `data export`."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import pickle
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import types
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from analysis.topics import build, embeddings, on_cluster, partitions
from analysis.topics.build import build_store
from analysis.topics.build_folder import CUBE_FILE, read_build, save_topic_edits
from analysis.topics.ids import TopicEdits
from analysis.topics.update import update_store
from analysis.trends.search import match_scores
from data import cluster, cluster_ingest
from data.cluster_ingest import ingest_paths
from data.sample import write_sample
from data.search import batches
from data.search import index as search_index
from data.search.index import Where, index_path, sync_index
from data.store import Store

ROOT = Path(__file__).resolve().parents[1]
NOW = pd.Timestamp("2026-01-05 03:00", tz="UTC")


def _runs(folder: Path) -> list[list[Path]]:
    """Three ingest runs: a corpus, a second one with a file of the first again (every row of it
    a duplicate of a stored article), and a small third one for `update`."""
    first = write_sample(folder / "first", n_articles=1_500, seed=3)
    second = write_sample(folder / "second", n_articles=1_000, seed=4)
    third = write_sample(folder / "third", n_articles=1_000, seed=5)
    return [first, [*second, first[0]], third]


def _pipeline(
    store: Store, runs: list[list[Path]], reads: dict[str, ClientReads] | None = None
) -> dict:
    """Ingest the first two runs, build (fast), ingest the third, merge two topics, update and
    build again (from the first build); what each said. The clusters are fitted on 900 articles,
    the keyword vocabulary on 1,200, of the 2,500 of the first build."""

    def recording(stage: str) -> contextlib.AbstractContextManager:
        return reads[stage].recording() if reads else contextlib.nullcontext()

    reports = [ingest_paths(run, store, now=NOW).to_dict() for run in runs[:2]]
    store.write_meta("topic_settings", {"fit_sample": 900})
    with recording("build"):
        build = build_store(store, seed=0, fast=True)
    built = store.assignments()
    tables = read_build(store.current_build())
    cube = pd.read_parquet(store.current_build() / CUBE_FILE)
    reports.append(ingest_paths(runs[2], store, now=NOW).to_dict())
    first, second = tables.topics["topic_id"].head(2)
    save_topic_edits(store, TopicEdits(merges={int(second): int(first)}))
    with recording("update"):
        update = update_store(store)
    updated = store.assignments()
    updated_tables = read_build(store.current_build())
    updated_cube = pd.read_parquet(store.current_build() / CUBE_FILE)
    with recording("build"):
        rebuild = build_store(store, seed=0, fast=True)
    return {
        "reports": reports,
        "n_topics": build["n_topics"],
        "built": built,
        "tables": tables,
        "cube": cube,
        "update": {k: update[k] for k in ("n_new", "low_confidence_share", "unassigned_share")},
        "updated": updated,
        "updated_tables": updated_tables,
        "updated_cube": updated_cube,
        "rebuilt": store.assignments(),
        "lineage": rebuild["lineage"],
    }


class ClientReads:
    """What this process (the client, on a cluster) reads of the articles while recording():
    the columns asked of the store, and how many partitions it read itself."""

    def __init__(self, patch: pytest.MonkeyPatch) -> None:
        self.columns: set[str] = set()
        self.partitions = 0
        self.on = False
        articles, placed, rows_at = Store.articles, Store.placed_articles, Store.rows_at
        part = Store.read_article_part
        frame = partitions.Partition.frame

        def counted_articles(store: Store, columns: list[str] | None = None) -> pd.DataFrame:
            if self.on:
                self.columns |= set(columns or ["text"])
            return articles(store, columns)

        def counted_placed(store: Store, columns: list[str], *args) -> pd.DataFrame:
            if self.on:
                self.columns |= set(columns)
            return placed(store, columns, *args)

        def counted_rows(store: Store, places: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
            if self.on:
                self.columns |= set(columns)
            return rows_at(store, places, columns)

        def counted_part(store: Store, name: str, columns: list[str]) -> pa.Table:
            if self.on:
                self.columns |= set(columns)
            return part(store, name, columns)

        def counted_frame(partition: partitions.Partition, *args) -> pd.DataFrame:
            self.partitions += self.on
            return frame(partition, *args)

        patch.setattr(Store, "articles", counted_articles)
        patch.setattr(Store, "placed_articles", counted_placed)
        patch.setattr(Store, "rows_at", counted_rows)
        patch.setattr(Store, "read_article_part", counted_part)
        patch.setattr(partitions.Partition, "frame", counted_frame)

    @contextlib.contextmanager
    def recording(self) -> Iterator[None]:
        self.on = True
        try:
            yield
        finally:
            self.on = False


@pytest.fixture(scope="module")
def local_client():
    """A client of a LocalCluster of two worker processes (one thread each)."""
    from distributed import Client, LocalCluster

    with pytest.MonkeyPatch.context() as patch:
        # worker processes start by importing __main__ again; after a dashboard test it is app.py
        patch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
        local = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
    with local, Client(local) as client:
        client.wait_for_workers(2)
        assert len(client.scheduler_info()["workers"]) == 2
        yield client


@pytest.fixture(scope="module")
def both(tmp_path_factory, local_client):
    """The pipeline's answers in one process and on a LocalCluster of two worker processes."""
    folder = tmp_path_factory.mktemp("cluster")
    runs = _runs(folder / "files")
    small = dataclasses.replace(embeddings.FAST_TFIDF, vocabulary_sample=1_000)
    with pytest.MonkeyPatch.context() as patch:
        # the embedding's vocabulary fitted on 1,000 articles, the keywords' on 1,200, the rest of
        # the sample embedded 700 at a time, and every article read, embedded, assigned and
        # counted a row group of 1,000 at a time: on the workers, in several partitions
        patch.setattr(embeddings, "FAST_TFIDF", small)
        patch.setattr(on_cluster, "EMBED_PARTITION", 700)
        patch.setattr(build, "KEYWORD_SAMPLE", 1_200)
        patch.setattr(partitions, "PARTITION_ROWS", 1_000)
        single = _pipeline(Store(folder / "single"), runs)
        decided: list[int] = []
        to_decide = cluster_ingest._to_decide

        def counted(*args, **kwargs) -> pd.DataFrame:
            found = to_decide(*args, **kwargs)
            decided.append(len(found))
            return found

        patch.setattr(cluster_ingest, "_to_decide", counted)
        with cluster.using(local_client):
            reads = {stage: ClientReads(patch) for stage in ("build", "update")}
            spread = _pipeline(Store(folder / "spread"), runs, reads)
    spread["client_reads"] = reads
    spread["decided_at_the_client"] = decided
    return single, spread, Store(folder / "single"), Store(folder / "spread")


def test_ingest_keeps_the_same_articles_and_duplicates(both):
    single, spread, one, many = both
    assert single["reports"] == spread["reports"]
    first, second, _ = single["reports"]
    assert first["duplicate"] > 0 and second["duplicates_by_kind"].get("content", 0) > 0
    assert first["duplicates_by_kind"].get("near", 0) > 0  # near duplicates were decided too
    for table in ("articles", "duplicates", "quarantine"):
        a, b = one._read_table(table, None), many._read_table(table, None)
        assert len(a) > 0
        pd.testing.assert_frame_equal(a, b)
    signatures = ["article_id", "minhash"]
    pd.testing.assert_frame_equal(one.articles(signatures), many.articles(signatures))
    assert one.read_meta("boilerplate") == many.read_meta("boilerplate")


def test_the_client_decides_every_duplicate_and_few_other_rows(both):
    _, spread, _, _ = both
    counts = []
    for report, decided in zip(spread["reports"], spread["decided_at_the_client"], strict=True):
        duplicates = report["duplicate"] - report["duplicates_by_kind"].get("repeated row", 0)
        counts.append((duplicates, decided, report["added"]))
    # nearly every synthetic row shares a band key with another (template-like text); of the rows
    # kept, only those that can change whether another is a duplicate are decided at the client
    assert all(dups <= decided < dups + kept / 4 for dups, decided, kept in counts), counts


def test_every_row_is_kept_duplicate_or_quarantined(both):
    _, spread, _, many = both
    for report in spread["reports"]:
        assert report["read"] == report["added"] + report["duplicate"] + report["quarantined"]
    assert len(many.articles(["article_id"])) == sum(r["added"] for r in spread["reports"])
    assert many.articles(["article_id"])["article_id"].is_unique


def test_build_and_update_assign_the_same_topics(both):
    single, spread, _, _ = both
    assert single["n_topics"] == spread["n_topics"] > 1
    columns = ["article_id", "topic_id", "base_topic_id", "topic_confidence", "theme"]
    for key in ("built", "updated", "rebuilt"):
        a = single[key][columns].sort_values("article_id").reset_index(drop=True)
        b = spread[key][columns].sort_values("article_id").reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b)
    assert single["update"] == spread["update"] and single["update"]["n_new"] > 0
    assert single["lineage"] == spread["lineage"] and single["lineage"]["kept"]


def test_a_build_has_the_same_tables(both):
    single, spread, _, _ = both
    for name in ("topics", "themes", "topic_words_by_period", "topic_words_by_class", "doc_map"):
        a, b = getattr(single["tables"], name), getattr(spread["tables"], name)
        assert len(a) > 0
        pd.testing.assert_frame_equal(a, b)
    words = single["tables"].topic_words_by_class
    assert set(words["class_name"]) == {"province", "source"}
    assert (single["tables"].topic_words_by_period["n_articles"] >= 3).all()


def test_on_a_cluster_a_build_reads_no_article_body_at_the_client(both):
    # the client reads the ids and the cube's light columns; the sample's bodies, and every
    # partition, are read on the workers
    reads = both[1]["client_reads"]["build"]
    assert reads.partitions == 0
    assert "text" not in reads.columns


def test_an_update_has_the_same_tables(both):
    single, spread, _, _ = both
    for name in (
        "topics",
        "themes",
        "assignments",
        "topic_words_by_period",
        "topic_words_by_class",
    ):
        a, b = getattr(single["updated_tables"], name), getattr(spread["updated_tables"], name)
        assert len(a) > 0
        pd.testing.assert_frame_equal(a, b)
    _same_cubes(single["updated_cube"], spread["updated_cube"])
    # the update gave new articles topics, merged two, and counted words of groups again
    built, updated = single["tables"], single["updated_tables"]
    assert len(updated.assignments) == len(built.assignments) + single["update"]["n_new"]
    assert updated.topics["merged_into"].notna().sum() == 1
    for name in ("topic_words_by_period", "topic_words_by_class"):
        before, after = (getattr(t, name).drop(columns="keywords") for t in (built, updated))
        assert not before.equals(after)
        assert not after.merge(before, how="left", indicator=True)["_merge"].eq("both").all()


def test_on_a_cluster_an_update_reads_only_the_article_ids_at_the_client(both):
    # the new articles are read, embedded and placed, and every article's groups found and the
    # changed groups' words counted, a partition at a time on the workers
    reads = both[1]["client_reads"]["update"]
    assert reads.partitions == 0
    assert reads.columns == {"article_id"}


def _same_cubes(one: pd.DataFrame, other: pd.DataFrame) -> None:
    """Fail unless two coverage cubes have the same cells and counts (stories to 1e-12)."""
    dims = ["day", "topic_id", "province_code", "regency_code", "source", "language"]

    def canonical(cube: pd.DataFrame) -> pd.DataFrame:
        return cube.astype({c: object for c in dims[2:]}).sort_values(dims).reset_index(drop=True)

    a, b = canonical(one), canonical(other)
    assert len(a) > 100
    pd.testing.assert_frame_equal(a.drop(columns="stories"), b.drop(columns="stories"))
    # a cell's stories add 1/k terms; the cluster adds them in another order
    np.testing.assert_allclose(a["stories"], b["stories"], rtol=1e-12)


def test_the_cube_has_the_same_cells_and_counts(both):
    single, spread, _, _ = both
    _same_cubes(single["cube"], spread["cube"])
    assert (spread["cube"]["day"].diff().dropna() >= pd.Timedelta(0)).all()  # sorted by day


def _index_contents(store: Store) -> dict[str, Any]:
    """What a store's search index answers from and with: its tables, every (token, article)
    it holds, and the ranked ids, scores and counts of queries with and without filters."""
    with closing(sqlite3.connect(index_path(store))) as conn:
        conn.execute("CREATE VIRTUAL TABLE temp.held USING fts5vocab(main, fts, 'instance')")
        found = {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in ("info", "parts", "docs", "labels", "stems")
        }
        found["postings"] = conn.execute("SELECT term, doc FROM held").fetchall()
    days = [row[4] for row in found["docs"] if row[4] is not None]
    queries = [
        ("banjir", Where()),
        ("harga beras", Where()),
        ('"pemerintah daerah"', Where()),
        ("banjir NOT jakarta", Where()),
        ("warga", Where(province="32")),
        ("pemerintah", Where(language="id", first_day=min(days) + 20, last_day=max(days) - 20)),
    ]
    for query, where in queries:
        ranked, count = match_scores(store, query, where)
        found[f"{query} {where}"] = (ranked.to_dict("list"), count)
    return found


def test_ingest_on_a_cluster_indexes_the_same_for_search(both):
    _, _, one, many = both
    alone, spread = _index_contents(one), _index_contents(many)
    # the same parts, named apart by each run's stamp
    assert [row[0] for row in alone.pop("parts")] == [row[0] for row in spread.pop("parts")]
    assert alone == spread
    assert len(alone["docs"]) == len(one.articles(["article_id"]))


def test_the_search_index_is_prepared_on_the_workers_and_the_same(
    tmp_path, local_client, monkeypatch
):
    # batches of 250 rows (parts of 1,000-row groups are read across them); a part holding
    # articles indexed already and one twice: that batch alone is prepared again at the client
    monkeypatch.setattr(batches, "BATCH_ROWS", 250)
    one, many = Store(tmp_path / "one"), Store(tmp_path / "many")
    ingest_paths(write_sample(tmp_path / "first", n_articles=1_000, seed=7), one, now=NOW)
    again = one.articles().iloc[:40]
    again = pd.concat([again, again.iloc[25:30].assign(article_id=lambda f: f["article_id"] + "b")])
    with one.writer():
        one.commit({"articles": pd.concat([again.iloc[25:], again])})
    prepared_here = []
    prepared_rows = search_index.prepared_rows

    def counted(frame: pd.DataFrame, known: dict[str, str]) -> batches.PreparedBatch:
        prepared_here.append(len(frame))
        return prepared_rows(frame, known)

    monkeypatch.setattr(search_index, "prepared_rows", counted)
    from dask.utils import key_split
    from distributed import get_task_stream

    indexed = 0  # parts in the cluster's index
    for more in (None, write_sample(tmp_path / "second", n_articles=1_000, seed=8)):
        if more:  # new parts added to a built index
            ingest_paths(more, one, now=NOW)  # in one process, the index included
        else:  # built from nothing
            shutil.rmtree(one.path / "search")
            assert sync_index(one)["rebuilt"]
        shutil.copytree(
            one.path, many.path, ignore=shutil.ignore_patterns("search"), dirs_exist_ok=True
        )
        prepared_here.clear()
        with cluster.using(local_client), get_task_stream(local_client) as stream:
            assert sync_index(many)["rebuilt"] is not bool(more)
        assert _index_contents(one) == _index_contents(many)
        parts = search_index.listed_parts(many)
        tasks = [t for t in stream.data if key_split(t["key"]) == "prepared_batch"]
        assert len(tasks) == sum(
            len(batches.batch_bounds(many.path / "articles" / name)) for name, _ in parts[indexed:]
        )
        assert len(tasks) > 4 and indexed < len(parts)
        # the batch holding articles indexed already: prepared again at the client, without them
        assert prepared_here == ([] if more else [5])
        indexed = len(parts)
    indexed_ids = [row[1] for row in _index_contents(many)["docs"]]
    assert sorted(indexed_ids) == sorted(set(many.articles(["article_id"])["article_id"]))


def test_embedding_on_workers_equals_one_process(local_client):
    texts = [f"banjir di kota {i % 17} warga mengungsi {i % 5} hari ke {i}" for i in range(1_500)]
    settings = dataclasses.replace(embeddings.FAST_TFIDF, vocabulary_sample=400)
    here = embeddings.TfidfEmbedder(settings)
    fitted_here = here.fit_embed(texts)  # 400 from the fit, 1,100 by embed, in this process
    there = embeddings.TfidfEmbedder(settings)
    with cluster.using(local_client), pytest.MonkeyPatch.context() as patch:
        patch.setattr(on_cluster, "EMBED_PARTITION", 300)
        fitted_there = there.fit_embed(texts)  # the 1,100 in four tasks on the workers
        embedded_there = on_cluster.embedded(here, texts)
    np.testing.assert_array_equal(fitted_here, fitted_there)
    np.testing.assert_array_equal(embedded_there, here.embed(texts))
    assert np.abs(fitted_here).sum() > 0


def test_fetch_on_a_cluster_ingests_the_same_articles(tmp_path, local_client):
    from data.fetch import Feed, HttpClient, fetch
    from tests.feedserver import STORIES, FeedServer, Reply, article_html, atom, story
    from tests.test_fetch import FAST, HTML, XML

    with FeedServer().running() as server:
        entries = []
        for slug, _, _ in STORIES[:4]:
            title, paragraphs = story(slug)
            server.add(f"/b/{slug}", Reply(article_html(title, paragraphs).encode(), headers=HTML))
            entries.append(
                {
                    "link": server.url(f"/b/{slug}"),
                    "title": title,
                    "updated": "2025-11-03T09:00:00Z",
                }
            )
        server.add("/feed.xml", Reply(atom("Warta Kota", entries), headers=XML))
        feeds = [Feed("Warta Kota", (server.url("/feed.xml"),))]
        one, many = Store(tmp_path / "one"), Store(tmp_path / "many")
        alone = fetch(one, feeds, client=HttpClient(FAST))
        with cluster.using(local_client):
            spread = fetch(many, feeds, client=HttpClient(FAST))
    assert alone.ingest.to_dict() == spread.ingest.to_dict()
    assert alone.ingest.added == 4
    columns = [c for c in one.articles().columns if c != "ingested_at"]
    pd.testing.assert_frame_equal(one.articles()[columns], many.articles()[columns])


# -- a separately started scheduler and workers -----------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli(*args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=cwd,
        env={**(env or os.environ), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def scheduler():
    """`dask scheduler` and two `dask worker` processes on 127.0.0.1; the scheduler's address."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    worker = [sys.executable, "-m", "distributed.cli.dask_worker"]
    started = [
        subprocess.Popen(
            [*dask, "--host", "127.0.0.1", "--port", str(port), "--dashboard-address", ":0"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    time.sleep(1)
    started += [
        subprocess.Popen(
            [*worker, address, "--nthreads", "1", "--dashboard-address", ":0"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    try:
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            process.wait(timeout=30)


def test_a_separate_scheduler_and_workers_export_the_same(tmp_path, scheduler):
    # relative paths, from a folder other than the workers' own: they must read the same files
    files = write_sample(tmp_path / "files", n_articles=1_500, seed=11)
    paths = [str(f.relative_to(tmp_path)) for f in files]
    done = _cli("data", "ingest", *paths, "--store", "one", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    env = {**os.environ, cluster.SCHEDULER_ENV: scheduler}
    spread = _cli("data", "ingest", *paths, "--store", "many", "--json", env=env, cwd=tmp_path)
    assert spread.returncode == 0, spread.stderr
    reports = [json.loads(run.stdout) for run in (done, spread)]
    assert reports[0] == reports[1] and reports[0]["added"] > 1_000
    for store in ("one", "many"):
        out = _cli("data", "export", "--store", store, "--out", f"{store}.csv", cwd=tmp_path)
        assert out.returncode == 0, out.stderr
    exported = [
        pd.read_csv(tmp_path / f"{s}.csv", dtype={"article_id": str}).drop(columns="ingested_at")
        for s in ("one", "many")
    ]
    pd.testing.assert_frame_equal(*exported)
    assert exported[0]["file"].str.startswith("files/").all()
    quality = [json.loads((tmp_path / f"{s}.quality.json").read_text()) for s in ("one", "many")]
    assert quality[0] == quality[1]
    listed = _cli("data", "parts", "--store", "many", "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    import dask.dataframe as dd

    parts = [str(tmp_path / p) for p in json.loads(listed.stdout)]
    dataset = dd.read_parquet(parts, columns=["article_id"])
    assert dataset.npartitions > 1  # one part per committed batch, read in parallel
    assert sorted(dataset.compute()["article_id"]) == sorted(exported[1]["article_id"])


def test_an_unreachable_scheduler_is_one_clear_line(tmp_path):
    address = f"tcp://127.0.0.1:{_free_port()}"
    news = tmp_path / "berita.csv"
    news.write_text("title,text\nBanjir di Serang,Warga mengungsi.\n", encoding="utf-8")
    done = _cli("data", "ingest", str(news), "--store", str(tmp_path / "s"), "--scheduler", address)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert f"cannot reach the Dask scheduler at {address}" in done.stderr
    assert not (tmp_path / "s").exists()  # nothing was written
    built = _cli("analysis", "build", "--store", str(tmp_path / "s"), "--scheduler", address)
    assert built.returncode == 2 and "Traceback" not in built.stderr
    assert "cannot reach the Dask scheduler" in built.stderr


def test_without_a_cluster_dask_is_never_imported(tmp_path):
    unreachable = f"tcp://127.0.0.1:{_free_port()}"  # only commands that take --scheduler use it
    news = tmp_path / "berita.csv"
    news.write_text("title,text\nBanjir di Serang,Warga mengungsi.\n", encoding="utf-8")
    code = (
        "import sys\n"
        "import analysis.cli\n"
        "from data.cli import main\n"
        "assert main(['ingest', sys.argv[1], '--store', sys.argv[2], '--json']) == 0\n"
        "import os; os.environ['SOROTAN_SCHEDULER'] = sys.argv[3]\n"
        "assert main(['stats', '--store', sys.argv[2], '--json']) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(news), str(tmp_path / "store"), unreachable],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != cluster.SCHEDULER_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_missing_and_broken_files_are_reported_alike(tmp_path, local_client):
    files = write_sample(tmp_path / "files", n_articles=1_000, seed=2)
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"this is no workbook")
    given = [tmp_path / "hilang.csv", broken, files[0]]
    alone = ingest_paths(given, Store(tmp_path / "one"), now=NOW).to_dict()
    with cluster.using(local_client):
        spread = ingest_paths(given, Store(tmp_path / "many"), now=NOW).to_dict()
        nothing = ingest_paths(given[:1], Store(tmp_path / "none"), now=NOW).to_dict()
    assert spread == alone
    assert str(given[0]) in alone["unreadable_files"]
    assert (
        alone["files"] == 2
    )  # the broken workbook is read and said to be broken, as one process does
    assert alone["read"] == alone["added"] + alone["duplicate"] + alone["quarantined"] > 0
    assert nothing["read"] == 0 and list(nothing["unreadable_files"]) == [str(given[0])]


def _held_bytes(dask_worker: Any) -> int:
    """The bytes of the results a worker holds, pickled (Dask's own estimate of an object's size
    is shallow)."""
    return sum(len(pickle.dumps(value)) for value in dask_worker.data.values())


def _deciding(patch: pytest.MonkeyPatch, when: Any) -> None:
    """Call when() as the client decides its first batch (every batch is prepared by then)."""
    decide = cluster_ingest.duplicate_marks
    called: list[bool] = []

    def first_calls_when(*args: Any, **kwargs: Any) -> pd.DataFrame:
        if not called:
            called.append(True)
            when()
        return decide(*args, **kwargs)

    patch.setattr(cluster_ingest, "duplicate_marks", first_calls_when)


def test_the_workers_hold_no_prepared_batch_while_the_client_decides(tmp_path, local_client):
    files = write_sample(tmp_path / "files", n_articles=3_000, seed=7)
    held: list[int] = []
    with pytest.MonkeyPatch.context() as patch, cluster.using(local_client):
        _deciding(patch, lambda: held.extend(local_client.run(_held_bytes).values()))
        report = ingest_paths(files, Store(tmp_path / "store"), now=NOW)
    texts = Store(tmp_path / "store").articles(["text"])["text"].str.len().sum()
    assert report.added > 2_000 and len(held) == 2
    # the prepared batches (their articles, texts among them, and signatures) wait in the store,
    # not in the workers' memory (where they took five times the texts): the workers hold the
    # keys and signatures of the rows to decide of a few batches
    assert sum(held) < texts / 4, (held, texts)


def _unlisted(store: Store) -> list[str]:
    """Files in the store's table and staging folders that its manifest does not list."""
    listed = {f"{t}/{n}" for t, names in store.manifest()["parts"].items() for n in names}
    on_disk = {
        str(f.relative_to(store.path))
        for folder in ("articles", "duplicates", "quarantine", "staging")
        for f in (store.path / folder).glob("*")
    }
    return sorted(on_disk - listed)


def test_a_crash_while_deciding_leaves_the_store_as_it_was_and_is_swept(tmp_path, local_client):
    first = write_sample(tmp_path / "first", n_articles=1_000, seed=8)
    second = write_sample(tmp_path / "second", n_articles=1_000, seed=9)
    alone, store = Store(tmp_path / "alone"), Store(tmp_path / "store")
    for run in (first, second):
        ingest_paths(run, alone, now=NOW)

    def crash() -> None:
        raise RuntimeError("the client stops while deciding")

    with cluster.using(local_client):
        ingest_paths(first, store, now=NOW)
        committed = store.manifest()
        tables = {t: store._read_table(t, None) for t in ("articles", "duplicates", "quarantine")}
        with pytest.MonkeyPatch.context() as patch, pytest.raises(RuntimeError):
            _deciding(patch, crash)
            ingest_paths(second, store, now=NOW)
        # every batch was staged (and its quarantined rows written), none committed: readers see
        # the store as it was
        left = _unlisted(store)
        assert len([f for f in left if f.startswith("staging/")]) == len(second), left
        assert store.manifest() == committed
        for table, frame in tables.items():
            pd.testing.assert_frame_equal(store._read_table(table, None), frame)
        ingest_paths(second, store, now=NOW)
    assert _unlisted(store) == []
    for table in ("articles", "duplicates", "quarantine"):
        pd.testing.assert_frame_equal(
            store._read_table(table, None), alone._read_table(table, None)
        )
    assert [i["added"] for i in store.ingests()] == [i["added"] for i in alone.ingests()]
