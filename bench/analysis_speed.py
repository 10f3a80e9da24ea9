"""Speed of the trend analytics on a generated corpus of 1,000,000 article-topic rows.

Builds the coverage cube once (time, size), then times each view function for a typical dashboard
query (one province, the last 90 days, weekly), applying topic edits (renames, merges, a hidden
topic) to every row, keyword matching on 100,000 texts and distinctive words, and reports peak RSS.
Not a test: run it by hand.

    python -m bench.analysis_speed [--rows 1000000] [--texts 100000] [--data CSV]   (repo root)

--data points at a CSV of real articles (a `content`, `text` or `isi` column); its texts are
repeated up to --texts for the keyword benchmark instead of generated ones.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.dashboard.corpus import Corpus, with_edits
from analysis.topics.ids import TopicEdits
from analysis.trends.angles import outlet_angles, region_angles
from analysis.trends.cube import coverage_cube, wib_days
from analysis.trends.emerging import emerging_topics
from analysis.trends.keywords import keyword_mask
from analysis.trends.share import keyword_share, topic_share
from analysis.trends.summary import period_summary
from analysis.trends.words import distinctive_words
from data.regions import provinces, regencies

SEED = 42
OUTLETS = 40
TOPICS = 60
DAYS = 730
FIRST_DAY = pd.Timestamp("2023-01-01")
SYLLABLES = ["ba", "da", "ka", "la", "ma", "na", "pa", "ra", "sa", "ta", "ri", "lu", "ngo", "wi"]
PREFIXES = ["", "", "", "me", "di", "ke", "ber", "pe", "ter", "mem", "pen"]
SUFFIXES = ["", "", "", "an", "kan", "i", "nya"]
QUERY_ROOTS = ["banjir", "longsor", "tanah", "warga", "jalan", "sekolah"]
EDITS = TopicEdits(labels={1: "Banjir di Serang"}, merges={2: 1, 3: 1}, hidden=frozenset({4}))


def generated_articles(rows: int, rng: np.random.Generator) -> pd.DataFrame:
    """Articles with outlets tied to home provinces, Zipf-like topics and some syndicated titles."""
    province_codes = provinces()["province_code"].to_numpy()
    regency_table = regencies()
    home = rng.choice(province_codes, OUTLETS)
    outlet_weight = rng.lognormal(0, 1, OUTLETS)
    outlet = rng.choice(OUTLETS, rows, p=outlet_weight / outlet_weight.sum())
    away = rng.random(rows) < 0.15
    province = np.where(away, rng.choice(province_codes, rows), home[outlet])
    regency_of = regency_table.groupby("province_code")["regency_code"].apply(list).to_dict()
    picks = rng.integers(0, 1_000, rows)
    regency = np.array(
        [
            None if p % 4 == 0 else regency_of[c][p % len(regency_of[c])]
            for c, p in zip(province, picks, strict=True)
        ],
        dtype=object,
    )
    topic_weight = 1 / np.arange(1, TOPICS + 1)
    topic = rng.choice(TOPICS, rows, p=topic_weight / topic_weight.sum())
    topic = np.where(rng.random(rows) < 0.15, -1, topic)
    day_weight = np.where(np.arange(DAYS) % 7 >= 5, 0.6, 1.0)
    day_weight[400:405] = 0.05  # a collection gap
    day = rng.choice(DAYS, rows, p=day_weight / day_weight.sum())
    seconds = rng.integers(0, 86_400, rows)
    published = (
        (FIRST_DAY + pd.to_timedelta(day, unit="D") + pd.to_timedelta(seconds, unit="s"))
        .tz_localize("Asia/Jakarta")
        .tz_convert("UTC")
    )
    title_id = np.arange(rows)
    copies = rng.random(rows) < 0.03
    title_id[copies] = np.maximum(title_id[copies] - rng.integers(1, 50, copies.sum()), 0)
    return pd.DataFrame(
        {
            "article_id": pd.Series(np.arange(rows)).astype(str),
            "published_at": published,
            "source": pd.Series([f"outlet-{i:02d}" for i in outlet]),
            "province_code": province,
            "regency_code": regency,
            "language": rng.choice(["id", "en", "jv"], rows, p=[0.95, 0.03, 0.02]),
            "topic_id": topic,
            "title": pd.Series(title_id).astype(str).radd("judul "),
        }
    )


def generated_corpus(articles: pd.DataFrame, cube: pd.DataFrame) -> Corpus:
    """Generated articles as the dashboard loads them, with a table of their TOPICS topics."""
    topics = pd.DataFrame(
        {
            "topic_id": np.arange(TOPICS),
            "auto_label": [f"kata{i} · kata{i + 1} · kata{i + 2}" for i in range(TOPICS)],
            "keywords": [[f"kata{i}", f"kata{i + 1}"] for i in range(TOPICS)],
            "size": 0,
            "theme_label": "tema",
            "representative_ids": [[] for _ in range(TOPICS)],
        }
    )
    loaded = articles.rename(columns={"topic_id": "base_topic_id"}).assign(
        url="https://kabar.example.id/" + articles["article_id"],
        topic_confidence=0.5,
        day=wib_days(articles["published_at"]),
    )
    return Corpus("bench", loaded, cube, {}, {"topics": topics})


def edits_ms(articles: pd.DataFrame, cube: pd.DataFrame) -> float:
    """Median ms of applying EDITS to the generated articles and their cube."""
    corpus = generated_corpus(articles, cube)
    ms, _ = timed(lambda: with_edits(corpus, EDITS))
    return ms


def generated_texts(count: int, rng: np.random.Generator) -> pd.Series:
    """Texts of 200 affixed pseudo-words (Zipf-distributed), a few real query roots among them."""
    roots = ["".join(rng.choice(SYLLABLES, rng.integers(2, 4))) for _ in range(3_000)]
    roots[100:100] = QUERY_ROOTS  # common enough to match about one text in ten
    forms = np.array(
        [p + r + s for r in roots for p, s in zip(PREFIXES, SUFFIXES * 2, strict=False)]
    )
    weight = 1 / np.arange(1, len(forms) + 1) ** 0.9
    picks = rng.choice(len(forms), (count, 200), p=weight / weight.sum())
    return pd.Series([" ".join(forms[row]) for row in picks])


def real_texts(path: Path, count: int) -> pd.Series:
    """Texts of a CSV of articles, repeated up to count."""
    frame = pd.read_csv(path)
    column = next(c for c in ("content", "text", "isi") if c in frame.columns)
    texts = frame[column].dropna().astype(str)
    return pd.Series(np.resize(texts.to_numpy(), count))


def timed(fn: Callable[[], object], repeat: int = 5) -> tuple[float, object]:
    """Median wall time in ms over repeat runs after one warm-up, and the last result."""
    result = fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def typical_views(
    cube: pd.DataFrame, matches: pd.DataFrame, as_of: pd.Timestamp
) -> dict[str, Callable[[], object]]:
    """Typical dashboard queries: the busiest province and outlet (if any), last 90 days, weekly."""
    start = as_of - pd.Timedelta(days=89)
    province = next(iter(cube["province_code"].value_counts().index), None)
    outlet = next(iter(cube["source"].value_counts().index), None)
    span = {"start": start, "end": as_of, "as_of": as_of}
    views = {
        "topic_share (all topics)": lambda: topic_share(
            cube, None, "W", **span, province_code=province
        ),
        "topic_share (5 topics)": lambda: topic_share(
            cube, [0, 1, 2, 3, 4], "W", **span, province_code=province
        ),
        "keyword_share": lambda: keyword_share(
            cube, matches, "q", "W", **span, province_code=province
        ),
        "emerging_topics (province)": lambda: emerging_topics(cube, as_of, province_code=province),
        "emerging_topics (country)": lambda: emerging_topics(cube, as_of),
        "region_angles": lambda: region_angles(
            cube, province_code=province, start=start, end=as_of
        ),
        "outlet_angles": lambda: outlet_angles(cube, outlet, start=start, end=as_of),
        "period_summary (province)": lambda: period_summary(
            cube, as_of - pd.Timedelta(days=6), as_of, province_code=province
        ),
        "period_summary (country)": lambda: period_summary(
            cube, as_of - pd.Timedelta(days=6), as_of
        ),
    }
    return {name: view for name, view in views.items() if outlet or name != "outlet_angles"}


def main() -> None:
    """Generate, build, time and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--texts", type=int, default=100_000)
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args()
    rng = np.random.default_rng(SEED)

    t0 = time.perf_counter()
    articles = generated_articles(args.rows, rng)
    print(f"generated {len(articles):,} rows in {time.perf_counter() - t0:.1f} s")
    print(f"peak RSS after generation: {peak_rss_mb():.0f} MiB")
    t0 = time.perf_counter()
    cube = coverage_cube(articles)
    build_s = time.perf_counter() - t0
    cube_mb = cube.memory_usage(deep=True).sum() / 2**20
    print(f"cube: {len(cube):,} cells, {cube_mb:.1f} MiB, built in {build_s:.2f} s")
    print(f"peak RSS after the cube: {peak_rss_mb():.0f} MiB")

    as_of = pd.Timestamp("2024-12-30 18:00", tz="Asia/Jakarta")
    matches = coverage_cube(articles.sample(frac=0.05, random_state=SEED))
    views = typical_views(cube, matches, as_of)
    for name, view in views.items():
        ms, _ = timed(view)
        print(f"{name:28s} {ms:8.1f} ms")
    print(f"{'with_edits':28s} {edits_ms(articles, cube):8.1f} ms  ({len(articles):,} articles)")
    del articles

    texts = real_texts(args.data, args.texts) if args.data else generated_texts(args.texts, rng)
    words = int(texts.str.count(" ").sum() + len(texts))
    print(f"texts: {len(texts):,} ({words:,} words)")
    for query in ("banjir", 'banjir OR "tanah longsor"', "(warga DAN jalan) BUKAN sekolah"):
        ms, mask = timed(lambda q=query: keyword_mask(texts, q), repeat=2)
        print(f"keyword_mask {query!r:36s} {ms:8.0f} ms, {int(mask.sum()):,} matches")
    ms, _ = timed(lambda: distinctive_words(texts.iloc[:2_000], texts.iloc[2_000:4_000]), 2)
    print(f"distinctive_words (2,000 vs 2,000 texts) {ms:8.0f} ms")
    print(f"peak RSS: {peak_rss_mb():.0f} MiB")


if __name__ == "__main__":
    main()
