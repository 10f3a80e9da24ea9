"""Topic quality on every corpus shape, against vanilla BERTopic on the same embeddings, in one run.

    python -m bench.topic_suite --data PATH/corpora/raw --json bench/out/suite.json
    python -m bench.topic_suite --data PATH/corpora/raw --suites bodies,okezone --seeds 0,1,2,3

--data: a folder of labelled Indonesian news, ingested by the product first: fact-checks with a
`kategori_berita` column (misleading.csv), headerless Kompas headline files whose URL host is the
section (kompas_titles_2018/), and outlet exports with a desk column (berita_detik.csv,
berita_Liputan6.xlsx, berita_okezone.xlsx). Each suite is built on its own (three seeds), with vanilla
BERTopic (default UMAP + HDBSCAN) beside it; "all" builds everything in the folder together and
scores each labelled subset inside that one build.

Columns: topics, unassigned share, NMI against the labels (unassigned articles as a group of their
own; the mean over the seeds), seed ARI (the mean over every pair of seeds: one pair's ARI moves by
0.1 with the last bits of the embedding), 90% ARI (each seed also builds a different 90% of the
articles; the mean ARI of every pair on the articles both hold: how steady topics are when the
corpus changes, which a build without a random draw does not show in seed ARI), the largest
topic's share, seconds per build; vanilla in brackets; topics, unassigned and largest are the first
seed's. The verdict column checks the targets: NMI >= vanilla + 0.03, unassigned <= 5%, seed ARI
>= 0.8, largest topic <= 20% (or no larger than the largest label), 5+ topics from 300 articles.
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from bench.topics_quality import product_export, store_of, vanilla_export
from data.pipeline import ingest_paths
from data.store import Store

BODIES = {
    "berita_detik.csv": "detik",
    "berita_Liputan6.xlsx": "liputan6",
    "berita_okezone.xlsx": "okezone",
}
SUBSET = 300
SUBSET_SHARE = 0.9  # of a corpus, built once per seed for the 90% ARI
SUBSET_SEED = 100  # plus the seed: which articles each 90% holds


def file_names(articles: pd.DataFrame) -> pd.Series:
    """The name of the file each article was read from."""
    return articles["file"].fillna("").astype(str).str.split("/").str[-1]


def kompas_sections(articles: pd.DataFrame) -> pd.Series:
    """The section of a Kompas headline, from its URL host (regional.kompas.com: regional)."""
    in_folder = articles["file"].fillna("").str.contains("kompas_titles")
    sections = articles["url"].fillna("").str.extract(r"//(\w+)\.kompas")[0]
    return sections.where(in_folder)


def labelled(articles: pd.DataFrame) -> dict[str, pd.Series]:
    """Each label set: a label per article (NaN outside it), indexed as the articles."""
    names = file_names(articles)
    desks = names.map(BODIES) + ":" + articles["category"].astype("string")
    return {
        "misleading": articles["category"].where(names == "misleading.csv"),
        "kompas": kompas_sections(articles),
        "bodies": desks,
        **{outlet: desks.where(names == file) for file, outlet in BODIES.items()},
    }


def suites(articles: pd.DataFrame) -> dict[str, tuple[pd.DataFrame, dict[str, pd.Series]]]:
    """Every suite: the articles built together and the label sets scored inside that build."""
    labels = labelled(articles)
    out = {}
    for name, label in labels.items():
        rows = label.notna()
        out[name] = (articles[rows], {name: label[rows]})
    bodies = articles[labels["bodies"].notna()]
    subset = bodies.sample(min(SUBSET, len(bodies)), random_state=0).sort_values("article_id")
    out[f"bodies-{SUBSET}"] = (subset, {f"bodies-{SUBSET}": labels["bodies"][subset.index]})
    everything = {name: labels[name].dropna() for name in ("misleading", "kompas", "bodies")}
    out["all"] = (articles, {f"all: {k}": v for k, v in everything.items()})
    return out


def topics_of(export: pd.DataFrame) -> pd.Series:
    """Each article's topic (-1 unassigned), by article id."""
    return export.set_index("article_id")["topic_id"].astype(int)


def scores(label: pd.Series, runs: list[pd.Series]) -> dict[str, float]:
    """Topic quality of the seeds' runs against the labels of the articles in label: NMI is the
    mean over the seeds, seed ARI the mean over every pair of seeds, the rest the first seed's."""
    ids = label.index
    topics = [run.reindex(ids).to_numpy() for run in runs]
    first = topics[0]
    assigned = first[first >= 0]
    sizes = np.bincount(assigned) if len(assigned) else np.array([0])
    pairs = itertools.combinations(topics, 2)
    return {
        "articles": len(ids),
        "topics": int(len(np.unique(assigned))),
        "unassigned": float(np.mean(first < 0)),
        "nmi": float(np.mean([normalized_mutual_info_score(label.to_numpy(), t) for t in topics])),
        "seed_ari": float(np.mean([adjusted_rand_score(a, b) for a, b in pairs])),
        "largest": float(sizes.max() / len(ids)),
        "largest_label": float(label.value_counts(normalize=True).iloc[0]),
    }


def subset_ari(label: pd.Series, runs: list[pd.Series]) -> float:
    """The mean ARI of every pair of runs (builds of different parts of a corpus) on the labelled
    articles both hold."""
    pairs = []
    for first, second in itertools.combinations(runs, 2):
        shared = label.index.intersection(first.index).intersection(second.index)
        pairs.append(adjusted_rand_score(first[shared], second[shared]))
    return float(np.mean(pairs))


def scored(label: pd.Series, whole: dict, parts: dict) -> dict:
    """The scores of the builds of a whole corpus, the 90% ARI of those of its parts, and the
    seconds."""
    subset = subset_ari(label, parts["runs"])
    return {**scores(label, whole["runs"]), "subset_ari": subset, "seconds": whole["seconds"]}


def part_of(articles: pd.DataFrame, seed: int, share: float) -> pd.DataFrame:
    """The articles, or a seeded share of them."""
    if share >= 1:
        return articles
    return articles.sample(frac=share, random_state=SUBSET_SEED + seed).sort_index()


def built(
    articles: pd.DataFrame, seeds: list[int], embedding: str, export: Callable, share: float = 1.0
) -> dict:
    """Topics of each seed's build of the articles, or of a seeded share of them (export: product
    or vanilla), and the seconds."""
    runs, seconds = [], []
    cache = Path(tempfile.mkdtemp(prefix="sorotan-suite-cache-"))
    for seed in seeds:
        part = part_of(articles, seed, share)
        with tempfile.TemporaryDirectory() as tmp:
            store = store_of(part, Path(tmp) / "store", cache)
            start = time.perf_counter()
            result, _ = export(part, store, embedding, seed)
            seconds.append(time.perf_counter() - start)
        runs.append(topics_of(result))
    return {"runs": runs, "seconds": float(np.mean(seconds))}


def product(articles, store, embedding, seed):
    """The product's build and export of its topics."""
    return product_export(articles, store, embedding, seed, themes=False)


def verdict(ours: dict, vanilla: dict) -> str:
    """Which targets a row misses ("met" when none)."""
    missed = []
    if ours["nmi"] < vanilla["nmi"] + 0.03:
        missed.append("NMI")
    if ours["unassigned"] > 0.05:
        missed.append("unassigned")
    if ours["seed_ari"] < 0.8:
        missed.append("seed ARI")
    if ours["largest"] > max(0.2, ours["largest_label"]):
        missed.append("largest")
    if ours["articles"] >= SUBSET and ours["topics"] < 5:
        missed.append("topics")
    return "met" if not missed else "missed: " + ", ".join(missed)


def row(name: str, ours: dict, vanilla: dict) -> str:
    """One Markdown table row, vanilla in brackets."""

    def both(key: str, fmt: str) -> str:
        return f"{ours[key]:{fmt}} ({vanilla[key]:{fmt}})"

    return " | ".join(
        [
            f"| {name}",
            f"{ours['articles']:,}",
            both("topics", "d"),
            both("unassigned", ".1%"),
            both("nmi", ".3f"),
            both("seed_ari", ".2f"),
            both("subset_ari", ".2f"),
            both("largest", ".0%"),
            f"{ours['seconds']:.0f} ({vanilla['seconds']:.0f})",
            f"{verdict(ours, vanilla)} |",
        ]
    )


HEADER = (
    "| suite | articles | topics | unassigned | NMI | seed ARI | 90% ARI | largest topic | "
    "s per build | targets |\n|" + " --- |" * 10
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", required=True, type=Path, help="folder of labelled news files")
    ap.add_argument("--suites", help="comma-separated suites (default: all of them)")
    ap.add_argument("--seeds", default="0,1,2", help="two seeds or more (default 0,1,2)")
    ap.add_argument("--embedding", default="tfidf")
    ap.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    a = ap.parse_args(argv)
    seeds = [int(s) for s in a.seeds.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "ingested")
        ingest_paths([a.data], store)
        articles = store.articles().sort_values("article_id")
    articles = articles.set_index(articles["article_id"].rename(None))
    chosen = suites(articles)
    if a.suites:
        chosen = {k: v for k, v in chosen.items() if k in a.suites.split(",")}
    print(HEADER, flush=True)
    figures = {}
    for corpus, label_sets in chosen.values():
        ours, vanilla = (
            [built(corpus, seeds, a.embedding, export, share) for share in (1.0, SUBSET_SHARE)]
            for export in (product, vanilla_export)
        )
        for label_name, label in label_sets.items():
            mine, theirs = scored(label, *ours), scored(label, *vanilla)
            figures[label_name] = {"product": mine, "vanilla": theirs}
            print(row(label_name, mine, theirs), flush=True)
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
