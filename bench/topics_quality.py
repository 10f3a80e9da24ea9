"""Build topics on a labelled news file and write an export that a topic scorer can read.

    python -m bench.topics_quality --data PATH/misleading.csv --embedding e5 --seed 0 --out OUT.csv
    python -m bench.topics_quality --data PATH/kompas_titles_2018 --sample 5000 --vanilla --out OUT.csv

--data: a CSV with columns judul, isi, url (and a label column), or a folder / CSV of headerless
headline files (index, title, image URL, article URL, date). The export has url, title, text,
topic_id (-1 unassigned), topic_label (the topic's top keywords joined by " · "), theme and
theme_label; with --themes the theme is written as the topic, to score the broad level.
--vanilla builds BERTopic with its default clustering (UMAP + HDBSCAN) on the same embeddings.
--cache shares a folder of cached embeddings between runs.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.topics.build import build_store
from analysis.topics.build_folder import read_build
from analysis.topics.embeddings import document_texts, make_embedder
from analysis.topics.naming import LABEL_SEPARATOR
from data.schema import ARTICLE_COLUMNS
from data.spreadsheet import formula_safe
from data.store import Store


def fact_checks(path: Path) -> pd.DataFrame:
    """Articles of a CSV with judul / isi / url columns, dated from the URL."""
    raw = pd.read_csv(path)
    return pd.DataFrame(
        {
            "article_id": raw["url"],
            "url": raw["url"],
            "title": raw["judul"],
            "text": raw["isi"],
            "published_at": pd.to_datetime(
                raw["url"].str.extract(r"/(\d{4}/\d{2}/\d{2})/")[0],
                format="%Y/%m/%d",
                errors="coerce",
            ).dt.tz_localize("UTC"),
            "source": raw["url"].str.extract(r"//([^/]+)/")[0],
        }
    )


def headlines(path: Path) -> pd.DataFrame:
    """Articles (title only) of headerless headline CSVs: index, title, image, url, date."""
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    raw = pd.concat([pd.read_csv(f, header=None) for f in files], ignore_index=True)
    return pd.DataFrame(
        {
            "article_id": raw[3],
            "url": raw[3],
            "title": raw[1],
            "text": "",
            "published_at": pd.to_datetime(raw[4], errors="coerce").dt.tz_localize("UTC"),
            "source": raw[3].str.extract(r"//(\w+)\.")[0],
        }
    )


def labelled_articles(path: Path, sample: int | None, seed: int) -> pd.DataFrame:
    """The file's articles, one per URL, optionally a seeded sample, in article_id order."""
    is_fact_checks = path.is_file() and "judul" in pd.read_csv(path, nrows=1).columns
    articles = (fact_checks(path) if is_fact_checks else headlines(path)).dropna(
        subset=["url", "title"]
    )
    articles = articles.drop_duplicates("url").sort_values("article_id").reset_index(drop=True)
    if sample and sample < len(articles):
        articles = articles.sample(sample, random_state=seed).sort_values("article_id")
    return articles.reset_index(drop=True)


def store_of(articles: pd.DataFrame, folder: Path, cache: Path | None) -> Store:
    """A fresh store holding the articles, sharing an embedding cache folder if given."""
    store = Store(folder)
    frame = articles.assign(**{c: None for c in ARTICLE_COLUMNS if c not in articles.columns})
    with store.writer():
        store.commit({"articles": frame[list(ARTICLE_COLUMNS)]})
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        (folder / "embeddings").symlink_to(cache.resolve(), target_is_directory=True)
    return store


def product_export(
    articles: pd.DataFrame, store: Store, embedding: str, seed: int, themes: bool
) -> tuple[pd.DataFrame, dict]:
    """Build with the product and export its topics (or themes) per article."""
    info = build_store(store, embedding=embedding, seed=seed)
    build = read_build(store.current_build())
    words = build.themes if themes else build.topics
    key = "theme" if themes else "topic_id"
    labels = words.set_index(key)["keywords"].map(lambda w: LABEL_SEPARATOR.join(w))
    topic = build.assignments.set_index("article_id")[key]
    topic = topic.where(build.assignments.set_index("article_id")["topic_id"] >= 0, -1)
    export = articles.assign(topic_id=articles["article_id"].map(topic).astype(int))
    return export.assign(topic_label=export["topic_id"].map(labels)), info


def vanilla_export(
    articles: pd.DataFrame, store: Store, embedding: str, seed: int
) -> tuple[pd.DataFrame, dict]:
    """BERTopic with its default UMAP + HDBSCAN and vectorizer on the same embeddings."""
    from bertopic import BERTopic
    from umap import UMAP

    embedder = make_embedder(embedding, store.path, seed=seed)
    texts = document_texts(articles, embedder.lead_words)
    start = time.perf_counter()
    embeddings = embedder.fit_embed(texts)
    embedded = time.perf_counter()
    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    model = BERTopic(umap_model=umap)
    topics, _ = model.fit_transform(texts, embeddings)
    labels = {
        t: LABEL_SEPARATOR.join(w for w, _ in model.get_topic(t)) for t in set(topics) if t >= 0
    }
    export = articles.assign(topic_id=topics)
    timings = {"embed": embedded - start, "total": time.perf_counter() - start}
    return export.assign(topic_label=export["topic_id"].map(labels)), {"timings": timings}


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--embedding", default="tfidf")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sample", type=int, help="a seeded sample of this many articles (seed 0)")
    ap.add_argument("--cache", type=Path, help="folder of cached embeddings shared between runs")
    ap.add_argument(
        "--vanilla", action="store_true", help="BERTopic defaults instead of the product"
    )
    ap.add_argument(
        "--themes", action="store_true", help="export the broad themes instead of topics"
    )
    a = ap.parse_args()
    articles = labelled_articles(a.data, a.sample, 0)
    with tempfile.TemporaryDirectory() as tmp:
        store = store_of(articles, Path(tmp) / "store", a.cache)
        if a.vanilla:
            export, info = vanilla_export(articles, store, a.embedding, a.seed)
        else:
            export, info = product_export(articles, store, a.embedding, a.seed, a.themes)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    formula_safe(export[["url", "title", "text", "topic_id", "topic_label"]]).to_csv(
        a.out, index=False
    )
    summary = {
        "articles": len(export),
        "topics": int(export.loc[export["topic_id"] >= 0, "topic_id"].nunique()),
        "outlier_share": round(float(np.mean(export["topic_id"] < 0)), 4),
        "timings": info["timings"],
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
