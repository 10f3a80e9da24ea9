"""How well topic ids survive new data: build on part of a labelled file, add the rest, rebuild.

    python -m bench.topics_stability --data PATH/misleading.csv --embedding tfidf --held-out 0.1

Prints one JSON object: topics kept / new / gone / merged / split, the share of the first build's
articles whose topic id is unchanged after the rebuild, and the update path's numbers for the
held-out articles (assigned without refitting) against where the rebuild put them.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from analysis.topics.build import build_store
from analysis.topics.update import update_store
from bench.topics_quality import labelled_articles, store_of
from data.schema import ARTICLE_COLUMNS


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--embedding", default="tfidf")
    ap.add_argument("--held-out", type=float, default=0.1)
    ap.add_argument("--sample", type=int)
    ap.add_argument("--cache", type=Path)
    a = ap.parse_args()
    articles = labelled_articles(a.data, a.sample, 0)
    late = np.random.default_rng(0).random(len(articles)) < a.held_out
    with tempfile.TemporaryDirectory() as tmp:
        store = store_of(articles[~late], Path(tmp) / "store", a.cache)
        build_store(store, embedding=a.embedding)
        first = store.assignments().set_index("article_id")["topic_id"]
        frame = articles[late].assign(
            **{c: None for c in ARTICLE_COLUMNS if c not in articles.columns}
        )
        with store.writer():
            store.commit({"articles": frame[list(ARTICLE_COLUMNS)]})
        update = update_store(store)
        updated = store.assignments().set_index("article_id")["topic_id"]
        info = build_store(store, embedding=a.embedding)
        second = store.assignments().set_index("article_id")["topic_id"]
    lineage = info["lineage"]
    common = first.index
    held = articles.loc[late, "article_id"]
    result = {
        "articles_first": int((~late).sum()),
        "articles_added": int(late.sum()),
        "topics_first": int(first[first >= 0].nunique()),
        **{k: len(v) for k, v in lineage.items()},
        "same_topic_share": round(float((first.loc[common] == second.loc[common]).mean()), 4),
        "update_seconds": update["seconds"],
        "update_low_confidence_share": update["low_confidence_share"],
        "update_agrees_with_rebuild": round(
            float((updated.loc[held] == second.loc[held]).mean()), 4
        ),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
