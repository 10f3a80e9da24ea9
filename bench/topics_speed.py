"""Time a topic build on a large store and an update of new articles.

    python -m bench.topics_speed --data PATH/corpora/raw --n 100000 --update 1000 [--embedding tfidf]

Articles are assembled from real text so that vocabulary and lengths are realistic: a headline from
the headline files and a body of sentences drawn (seeded) from the article bodies found under --data.
Prints one JSON object: build seconds per stage, update seconds, the seconds of a rebuild after
the update (warm-started from the first build) and how many topics it kept, and peak memory.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.topics.build import build_store
from analysis.topics.build_folder import read_build
from analysis.topics.update import update_store
from data.schema import ARTICLE_COLUMNS
from data.store import Store


def sentences(folder: Path) -> list[str]:
    """Sentences of the article bodies in the CSV files under folder."""
    bodies = []
    for path in sorted(folder.glob("*.csv")):
        frame = pd.read_csv(path)
        column = next((c for c in ("isi", "content", "isiberita") if c in frame.columns), None)
        if column:
            bodies.extend(frame[column].dropna().astype(str))
    return [s.strip() for b in bodies for s in re.split(r"(?<=[.!?])\s+", b) if len(s.split()) >= 5]


def headline_pool(folder: Path) -> list[str]:
    """Headlines of the headerless headline files under folder."""
    files = sorted(folder.glob("kompas_titles_2018/*.csv"))
    return pd.concat([pd.read_csv(f, header=None)[1] for f in files]).dropna().unique().tolist()


def assembled_articles(folder: Path, n: int, seed: int, prefix: str) -> pd.DataFrame:
    """n articles, each a real headline and 6 to 12 real sentences, seeded."""
    rng = np.random.default_rng(seed)
    pool, titles = sentences(folder), headline_pool(folder)
    lengths = rng.integers(6, 13, n)
    picks = rng.integers(0, len(pool), lengths.sum())
    bodies = np.split(np.asarray(pool, dtype=object)[picks], np.cumsum(lengths)[:-1])
    frame = pd.DataFrame(
        {
            "article_id": [f"{prefix}{i:07d}" for i in range(n)],
            "title": np.asarray(titles, dtype=object)[rng.integers(0, len(titles), n)],
            "text": [" ".join(b) for b in bodies],
            "published_at": pd.Timestamp("2023-01-01", tz="UTC")
            + pd.to_timedelta(rng.integers(0, 730 * 24, n), unit="h"),
            "source": [f"outlet-{k}" for k in rng.integers(0, 40, n)],
            "province": [f"province-{k}" for k in rng.integers(0, 38, n)],
        }
    )
    return frame.assign(**{c: None for c in ARTICLE_COLUMNS if c not in frame.columns})[
        list(ARTICLE_COLUMNS)
    ]


def commit(store: Store, articles: pd.DataFrame) -> None:
    """Commit articles in batches of 20,000."""
    with store.writer():
        for start in range(0, len(articles), 20_000):
            store.commit({"articles": articles.iloc[start : start + 20_000]})


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--update", type=int, default=1_000)
    ap.add_argument("--embedding", default="tfidf")
    ap.add_argument("--store", type=Path, help="keep the store here instead of a temporary folder")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(a.store or Path(tmp) / "store")
        commit(store, assembled_articles(a.data, a.n, 0, "a"))
        start = time.perf_counter()
        info = build_store(store, embedding=a.embedding)
        build_seconds = time.perf_counter() - start
        start = time.perf_counter()
        read_build(store.current_build())
        load_seconds = time.perf_counter() - start
        commit(store, assembled_articles(a.data, a.update, 1, "u"))
        start = time.perf_counter()
        report = update_store(store)
        update_seconds = time.perf_counter() - start
        start = time.perf_counter()
        rebuild = build_store(store, embedding=a.embedding)
        rebuild_seconds = time.perf_counter() - start
    result = {
        "articles": a.n,
        "embedding": a.embedding,
        "build_seconds": round(build_seconds, 1),
        "build_stages": info["timings"],
        "topics": info["n_topics"],
        "themes": info["n_themes"],
        "load_build_seconds": round(load_seconds, 2),
        "update_articles": report["n_new"],
        "update_seconds": round(update_seconds, 2),
        "rebuild_seconds": round(rebuild_seconds, 1),
        "rebuild_topics_kept": len(rebuild["lineage"]["kept"]),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
