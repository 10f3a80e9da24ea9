"""Benchmark jobs of the dashboard: the coverage cube, the view functions, search and the app."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from bench.spec import JobSpec, Parts, Result, clock, repeated, result_of

VIEW_REPEATS = 5
KEYWORD_QUERIES = ("banjir", 'banjir OR "tanah longsor"', "(warga DAN jalan) BUKAN sekolah")
CUBE_FIELDS = ["article_id", "published_at", "title", "province_code", "regency_code", "source"]
PERIOD = "90d"
LANG = "id"
TOP_SERIES = 5


def _with_topics(articles: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    """Articles with their topic_id from the assignments, -1 where none."""
    merged = articles.merge(topics[["article_id", "topic_id"]], on="article_id", how="left")
    return merged.assign(topic_id=merged["topic_id"].fillna(-1).astype("int32"))


def aggregate_job(spec: JobSpec) -> Result:
    """The coverage cube of the store's articles and topics, written to the run's folder."""
    from analysis.trends.cube import coverage_cube

    parts: Parts = {}
    with clock(parts, "read articles and topics") as part:
        articles = spec.store.articles([*CUBE_FIELDS, "language"])
        topics = spec.store.assignments()
        part["items"] = len(articles)
    with clock(parts, "coverage_cube", len(articles)):
        cube = coverage_cube(_with_topics(articles, topics))
    cube.to_parquet(spec.folder / "cube.parquet", index=False)
    notes = [] if len(topics) else ["no topic build: every article counted as topic -1"]
    return result_of(
        parts,
        "coverage_cube",
        cube_rows=len(cube),
        cube_mb=round(cube.memory_usage(deep=True).sum() / 2**20, 1),
        notes=notes,
    )


def _as_of(cube: pd.DataFrame) -> pd.Timestamp:
    """Evening (WIB) of the cube's last day: the moment a dashboard user looks."""
    last = pd.Timestamp(cube["day"].max()) + pd.Timedelta(hours=18)
    return last.tz_localize("Asia/Jakarta")


def _timed_calls(calls: dict[str, Callable[[], object]], items: int) -> Parts:
    """Median figures of each call; a call that raises is recorded with its error and skipped."""
    parts: Parts = {}
    for name, call in calls.items():
        try:
            parts[name] = repeated(call, items, VIEW_REPEATS)
        except Exception as exc:  # one failing view must not stop the others
            parts[name] = {"items": items, "seconds": 0.0, "error": f"{type(exc).__name__}: {exc}"}
    return parts


def _timed_result(load: Parts, calls: Parts, **figures) -> Result:
    """The job's result: the slowest call that worked; failed calls named in the notes."""
    worked = [name for name, part in calls.items() if "error" not in part]
    slowest = max(worked, key=lambda name: calls[name]["seconds"])
    failed = [f"{name} failed: {part['error']}" for name, part in calls.items() if "error" in part]
    note = f"median of {VIEW_REPEATS} runs per call; the stage's seconds are the slowest call's"
    return result_of(load | calls, slowest, notes=[note, *failed], failed=len(failed), **figures)


def views_job(spec: JobSpec) -> Result:
    """Median time of each typical trend query on the stored coverage cube."""
    from bench.analysis_speed import typical_views

    parts: Parts = {}
    with clock(parts, "load the cube") as part:
        cube = pd.read_parquet(spec.folder / "cube.parquet")
        part["items"] = articles = int(cube["articles"].sum())
    matches = cube.sample(frac=0.05, random_state=spec.seed).sort_values("day", kind="stable")
    calls = _timed_calls(typical_views(cube, matches, _as_of(cube)), articles)
    return _timed_result(parts, calls, cube_rows=len(cube))


def dashboard_calls(corpus, edits, store) -> dict[str, Callable[[], object]]:
    """The dashboard pages' computations for the last 90 days, in the busiest province and overall
    (the newest articles with their titles and links read from the store)."""
    from analysis.dashboard import panels
    from analysis.dashboard.corpus import with_edits, with_wide
    from analysis.dashboard.filters import Filters, data_span, period_window

    view = with_edits(corpus, edits)
    start, end = period_window(PERIOD, *data_span(view.cube))
    province = view.cube["province_code"].value_counts().index[0]
    region = Filters(start=start, end=end, freq="W", province_code=province)
    country = Filters(start=start, end=end, freq="W")
    visible = view.visible_topics()
    statuses = panels.emerging(view.cube, visible, region, LANG).set_index("topic_id")["status"]
    top = visible.head(TOP_SERIES).set_index("topic_id")["label"].to_dict()
    return {
        "with_edits": lambda: with_edits(corpus, edits),
        "headline_figures (province)": lambda: panels.headline_figures(view.cube, region),
        "top_topics (country)": lambda: panels.top_topics(view.cube, visible, country),
        "emerging (province)": lambda: panels.emerging(view.cube, visible, region, LANG),
        "emerging (country)": lambda: panels.emerging(view.cube, visible, country, LANG),
        "place_volume (country)": lambda: panels.place_volume(view.cube, country),
        "topic_table (province)": lambda: panels.topic_table(view.cube, visible, region, statuses),
        "series_shares (5 topics)": lambda: panels.series_shares(view.cube, region, top, {}),
        "latest_articles (province)": lambda: with_wide(
            store, panels.latest_articles(view.articles, region)
        ),
    }


def dashboard_job(spec: JobSpec) -> Result:
    """The dashboard's load (articles, build tables, cube) and its pages' computations."""
    from analysis.dashboard.corpus import load_corpus
    from analysis.topics.build_folder import topic_edits

    parts: Parts = {}
    with clock(parts, "load_corpus") as part:
        corpus = load_corpus(spec.store)
        part["items"] = articles = len(corpus.articles)
    calls = dashboard_calls(corpus, topic_edits(spec.store), spec.store)
    return _timed_result(parts, _timed_calls(calls, articles))


def keywords_job(spec: JobSpec) -> Result:
    """Keyword queries over every article's title and text, and one keyword cube."""
    from analysis.trends.keywords import article_texts, keyword_cube, keyword_mask

    parts: Parts = {}
    with clock(parts, "read texts") as part:
        articles = _with_topics(
            spec.store.articles([*CUBE_FIELDS, "language", "text"]), spec.store.assignments()
        )
        texts = article_texts(articles)
        part["items"] = n = len(articles)
    for query in KEYWORD_QUERIES:
        with clock(parts, f"keyword_mask {query}", n):
            keyword_mask(texts, query)
    with clock(parts, f"keyword_cube {KEYWORD_QUERIES[0]}", n):
        keyword_cube(articles, KEYWORD_QUERIES[0])
    return result_of(parts, f"keyword_mask {KEYWORD_QUERIES[0]}")


def app_job(spec: JobSpec) -> Result:
    """The Streamlit app rendered on the store (first run, then a cached rerun)."""
    from streamlit.testing.v1 import AppTest

    os.environ["SOROTAN_STORE"] = str(spec.store.path.resolve())
    app = AppTest.from_file(
        str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=900
    )
    n = len(spec.store.articles(["article_id"]))
    parts: Parts = {}
    with clock(parts, "first render", n):
        app.run()
    with clock(parts, "rerun", n):
        app.run()
    errors = [str(e.value) for e in app.exception]
    result = result_of(parts, "first render")
    return result | ({"error": f"the app raised: {errors[0]}"} if errors else {})
