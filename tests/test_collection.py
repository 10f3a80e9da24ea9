"""Collection changes are not news: the collection model, and like-for-like comparisons on
constructed archives (an outlet added with its own mix, a real burst, an outlet that stops)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.trends.collection import collection_note, collection_of, comparison
from analysis.trends.emerging import emerging_topics
from analysis.trends.summary import period_summary
from data.collection import collected_span, collection_changes, dense_span, outlet_days, outliers

START = pd.Timestamp("2025-03-01")
DAYS = 70
AS_OF = START + pd.Timedelta(days=DAYS - 1)  # the window is the last 7 days, the baseline 28
STABLE = [f"Kabar {i}" for i in range(8)]
TOPICS = 6  # topics 0..5 in every stable outlet, in the same proportions


def _cube_rows(rng: np.random.Generator, outlet: str, days, per_day: int, mix) -> list[dict]:
    """Cube rows of one outlet: per_day articles a day, topics drawn from mix."""
    rows = []
    for day in days:
        topics, counts = np.unique(rng.choice(len(mix), size=per_day, p=mix), return_counts=True)
        rows += [
            {"day": day, "topic_id": int(t), "source": outlet, "articles": int(n)}
            for t, n in zip(topics, counts, strict=True)
        ]
    return rows


def _cube(extra: list[dict] = (), drop=None) -> pd.DataFrame:
    """Eight outlets collected every day for 70 days, 12 articles a day each, six topics;
    extra rows added, and drop(row) rows left out."""
    rng = np.random.default_rng(7)
    days = pd.date_range(START, periods=DAYS)
    mix = np.full(TOPICS, 1 / TOPICS)
    rows = [r for o in STABLE for r in _cube_rows(rng, o, days, 12, mix)] + list(extra)
    if drop is not None:
        rows = [r for r in rows if not drop(r)]
    cube = pd.DataFrame(rows).assign(
        province_code=None, regency_code=None, language="id", stories=lambda f: f["articles"]
    )
    cube["day"] = cube["day"].astype("datetime64[s]")
    for column in ("province_code", "regency_code", "source", "language"):
        cube[column] = cube[column].astype("category")
    cube["topic_id"] = cube["topic_id"].astype("int32")
    cube["articles"] = cube["articles"].astype("int32")
    return cube.sort_values(["day", "topic_id"], kind="stable", ignore_index=True)


def _last_week() -> pd.DatetimeIndex:
    return pd.date_range(AS_OF - pd.Timedelta(days=6), AS_OF)


def _emerging(cube: pd.DataFrame) -> pd.DataFrame:
    return emerging_topics(cube, AS_OF, "7D", "28D").set_index("topic_id")


def test_a_stable_archive_has_no_collection_changes_and_nothing_emerges():
    cube = _cube()
    assert collection_of(cube).changes.empty
    assert set(_emerging(cube)["status"]) == {"steady"}


def test_an_outlet_added_mid_stream_with_its_own_mix_makes_no_emerging_topic():
    # a big outlet scraped from the last week on, writing mostly about topics 6 and 2
    rng = np.random.default_rng(1)
    mix = np.array([0.02, 0.02, 0.36, 0.02, 0.02, 0.02, 0.54])
    cube = _cube(_cube_rows(rng, "Portal Baru", _last_week(), 60, mix))
    changes = collection_of(cube).changes
    assert changes[["source", "kind"]].values.tolist() == [["Portal Baru", "added"]]
    table = _emerging(cube)
    # over all outlets, topic 2 would have doubled its share and topic 6 would be new
    assert table.loc[6, "status"] == "new_source" and table.loc[2, "status"] == "new_source"
    assert table.loc[6, "new_source"] and table.loc[6, "outside_share"] == 1.0
    assert not table["status"].isin(["new", "rising", "fading"]).any()
    assert "Portal Baru" in table.loc[6, "explanation_en"]
    # ranked below real rises, above steady topics
    assert list(table["status"]).index("new_source") < list(table["status"]).index("steady")


def test_a_real_burst_inside_stable_outlets_is_still_found():
    burst = [
        {"day": day, "topic_id": 4, "source": outlet, "articles": 6}
        for day in _last_week()
        for outlet in STABLE
    ]
    cube = _cube(burst)
    assert collection_of(cube).changes.empty  # 50% more a day is no collection change
    table = _emerging(cube)
    assert table.loc[4, "status"] == "rising" and not table.loc[4, "new_source"]
    assert table.index[0] == 4


def test_a_burst_that_swells_one_outlet_is_weighed_on_that_topic_alone():
    # one outlet quadruples its volume, all of it on topic 5: a jump for the collection model,
    # but the other topics' shares in that outlet read as before, so topic 5 still rises
    burst = [{"day": d, "topic_id": 5, "source": STABLE[0], "articles": 40} for d in _last_week()]
    cube = _cube(burst)
    kinds = collection_of(cube).changes[["source", "kind"]].values.tolist()
    assert kinds == [[STABLE[0], "jump"]]
    table = _emerging(cube)
    assert table.loc[5, "status"] == "rising"
    assert (table.drop(index=5)["status"] == "steady").all()


def test_a_backfilled_outlet_moves_no_share():
    # an outlet that always wrote mostly about topic 5, back-filled at ten times its volume in
    # the last week: over all outlets topic 5 would surge; like for like it holds its share
    rng = np.random.default_rng(3)
    mix = np.array([0.05, 0.05, 0.05, 0.05, 0.05, 0.75])
    usual = _cube_rows(rng, "Suara Lima", pd.date_range(START, _last_week()[0]), 12, mix)
    backfill = _cube_rows(rng, "Suara Lima", _last_week()[1:], 120, mix)
    cube = _cube(usual + backfill)
    assert collection_of(cube).changes[["source", "kind"]].values.tolist() == [
        ["Suara Lima", "jump"]
    ]
    everything = _emerging(cube.assign(source="one outlet").astype({"source": "category"}))
    assert everything.loc[5, "status"] == "rising"  # what the naive comparison would say
    table = _emerging(cube)
    assert not table["status"].isin(["new", "rising", "fading"]).any()


def test_an_outlet_that_stops_for_a_week_does_not_make_its_topics_fading():
    # Kabar 0 writes mostly about topic 3 and is not collected in the last week
    rng = np.random.default_rng(5)
    mix = np.array([0.04, 0.04, 0.04, 0.8, 0.04, 0.04])
    heavy = _cube_rows(rng, "Suara Tiga", pd.date_range(START, AS_OF), 30, mix)
    cube = _cube(heavy, drop=lambda r: r["source"] == "Suara Tiga" and r["day"] >= _last_week()[0])
    kinds = collection_of(cube).changes[["source", "kind"]].values.tolist()
    assert kinds == [["Suara Tiga", "stopped"]]
    table = _emerging(cube)
    assert table.loc[3, "status"] == "steady"
    assert not (table["status"] == "fading").any()


def _added_inside_the_baseline(days_before_window: int, per_day: int) -> pd.DataFrame:
    """A stable archive and Portal Baru, collected from days_before_window days before the last
    week on: topics evenly until the last week, then half of its articles on topic 5."""
    rng = np.random.default_rng(11)
    first = _last_week()[0] - pd.Timedelta(days=days_before_window)
    earlier = pd.date_range(first, _last_week()[0] - pd.Timedelta(days=1))
    even = np.full(TOPICS, 1 / TOPICS)
    burst = np.array([0.1, 0.1, 0.1, 0.1, 0.1, 0.5])
    return _cube(
        _cube_rows(rng, "Portal Baru", earlier, per_day, even)
        + _cube_rows(rng, "Portal Baru", _last_week(), per_day, burst)
    )


def test_an_outlet_added_inside_the_baseline_is_compared_from_the_day_it_was_added():
    # Portal Baru carries 38% of the last week: against the 14 days it has been collected, its
    # burst on topic 5 is a rise like any other; over 28 days it could not be compared at all
    cube = _added_inside_the_baseline(14, 60)
    assert collection_of(cube).changes[["source", "kind"]].values.tolist() == [
        ["Portal Baru", "added"]
    ]
    table = _emerging(cube)
    assert (table["baseline_days"] == 14).all()
    assert table.loc[5, "status"] == "rising" and not table.loc[5, "new_source"]
    assert table.loc[5, "outside_share"] == 0.0
    assert (table.drop(index=5)["status"].isin(["steady", "fading"])).all()


def test_the_baseline_stays_whole_for_a_small_outlet_or_one_added_too_late():
    # 2 articles a day: under a tenth of the week, not worth a shorter baseline
    small = _emerging(_added_inside_the_baseline(14, 2))
    assert (small["baseline_days"] == 28).all()
    assert not small["status"].isin(["new", "rising"]).any()
    # added 5 days before the week: a baseline of 5 days would be shorter than the window
    late = _emerging(_added_inside_the_baseline(5, 60))
    assert (late["baseline_days"] == 28).all()
    assert late.loc[5, "status"] == "new_source"


def test_the_period_summary_says_the_collection_changed_and_compares_like_for_like():
    rng = np.random.default_rng(1)
    mix = np.array([0.02, 0.02, 0.36, 0.02, 0.02, 0.02, 0.54])
    cube = _cube(_cube_rows(rng, "Portal Baru", _last_week(), 60, mix))
    summary = period_summary(cube, _last_week()[0], AS_OF)
    totals = summary["totals"].iloc[0]
    assert totals["collection_changed"]
    assert totals["articles_now"] == 8 * 12 * 7 + 60 * 7
    assert totals["comparable_now"] == 8 * 12 * 7
    topic_2 = summary["topics"].set_index("topic_id").loc[2]
    assert topic_2["share_now"] > 0.25  # what the week covered, all outlets
    assert abs(topic_2["ratio"] - 1) < 0.3  # but like for like, topic 2 held its share


def test_comparison_keeps_only_outlets_collected_throughout():
    rng = np.random.default_rng(1)
    cube = _cube(_cube_rows(rng, "Portal Baru", _last_week(), 60, np.full(TOPICS, 1 / TOPICS)))
    now = cube.loc[cube["day"] >= _last_week()[0]]
    before = cube.loc[cube["day"] < _last_week()[0]]
    fixed = comparison(now, before, collection_of(cube), (START, AS_OF))
    assert fixed.outside == ("Portal Baru",)
    assert fixed.outside_now == pytest.approx(420 / (420 + 672))
    assert fixed.changed and fixed.total_before == 8 * 12 * 63


def test_collection_note_in_both_languages():
    rng = np.random.default_rng(1)
    cube = _cube(_cube_rows(rng, "Portal Baru", _last_week(), 60, np.full(TOPICS, 1 / TOPICS)))
    changes = collection_of(cube).changes
    day = _last_week()[0]
    assert collection_note(changes, "en") == (
        f"Collection changed: 1 outlet added on {day.day} May 2025 (Portal Baru). Comparisons "
        "between periods use only the outlets collected on both sides, each weighted as in the "
        "earlier period."
    )
    assert collection_note(changes, "id").startswith(
        f"Perubahan koleksi: 1 media mulai dikumpulkan pada {day.day} Mei 2025 (Portal Baru)."
    )
    assert collection_note(changes.iloc[:0], "en") is None


# -- the collection model on its own -------------------------------------------------------------


def _daily(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    """(source, day, articles) rows as outlet days."""
    frame = pd.DataFrame(rows, columns=["source", "day", "articles"])
    return outlet_days(pd.to_datetime(frame["day"]), frame["source"], frame["articles"])


def _every_day(source: str, first: str, last: str, n: int) -> list[tuple[str, str, int]]:
    return [(source, str(d.date()), n) for d in pd.date_range(first, last)]


def test_a_stray_date_does_not_stretch_the_archive():
    daily = _daily(_every_day("A", "2025-01-01", "2025-06-30", 20) + [("A", "2007-12-03", 1)])
    assert dense_span(daily) == (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-06-30"))
    assert outliers(daily)["day"].tolist() == [pd.Timestamp("2007-12-03")]


def test_old_pages_picked_up_by_a_scrape_lie_outside_the_outlets_collection():
    old = [("A", f"2012-0{m}-15", 3) for m in range(1, 7)]
    daily = _daily(old + _every_day("A", "2025-06-01", "2025-06-20", 40))
    assert collected_span(daily) == (pd.Timestamp("2025-06-01"), pd.Timestamp("2025-06-20"))


def test_silences_jumps_and_sparse_outlets():
    busy = _every_day("A", "2025-01-01", "2025-03-31", 10)
    busy = [r for r in busy if not "2025-02-01" <= r[1] <= "2025-02-14"]  # a two-week outage
    busy = [(s, d, 60 if d >= "2025-03-17" else n) for s, d, n in busy]  # back-filled at 6x
    steady = _every_day("B", "2025-01-01", "2025-03-31", 10)
    sparse = [("C", "2025-01-05", 1), ("C", "2025-03-20", 2)]  # rare, but not a change
    changes = collection_changes(_daily(busy + steady + sparse))
    assert changes[["day", "until", "source", "kind"]].values.tolist() == [
        [pd.Timestamp("2025-02-01"), pd.Timestamp("2025-02-14"), "A", "gap"],
        [pd.Timestamp("2025-03-18"), pd.Timestamp("2025-03-18"), "A", "jump"],  # its week
    ]


def test_the_dashboard_headline_and_banner_say_the_collection_changed():
    from analysis.dashboard import panels
    from analysis.dashboard.filters import Filters

    rng = np.random.default_rng(1)
    cube = _cube(_cube_rows(rng, "Portal Baru", _last_week(), 60, np.full(TOPICS, 1 / TOPICS)))
    week = Filters(start=_last_week()[0], end=AS_OF)
    figures = panels.headline_figures(cube, week).set_index("metric")
    assert not figures["comparable"].any()
    assert figures.loc["outlets", ["now", "before"]].tolist() == [9, 8]
    assert panels.collection_changes_note(cube, week, "en").startswith(
        "Collection changed: 1 outlet added on"
    )
    assert panels.headline_figures(_cube(), week)["comparable"].all()
    assert panels.collection_changes_note(_cube(), week, "id") is None


def test_data_stats_lists_the_dense_span_stray_dates_and_changes():
    from data.stats import collection_summary

    rows = _every_day("A", "2025-01-01", "2025-03-31", 10) + _every_day(
        "B", "2025-03-01", "2025-03-31", 10
    )
    daily = pd.DataFrame(rows + [("A", "2007-12-03", 1)], columns=["source", "day", "n"])
    repeated = daily.loc[daily.index.repeat(daily["n"])]
    articles = pd.DataFrame(
        {
            "source": repeated["source"].to_numpy(),
            "published_at": pd.to_datetime(repeated["day"].to_numpy()).tz_localize("Asia/Jakarta"),
        }
    )
    summary = collection_summary(articles)
    assert (summary["dense_from"], summary["dense_to"]) == ("2025-01-01", "2025-03-31")
    assert summary["dated_outside"] == 1 and summary["outside_days"] == ["2007-12-03"]
    assert summary["changes"] == {"2025-03-01 B": "added, about 10 a day"}


def test_all_data_starts_at_the_first_dense_month():
    from analysis.dashboard.filters import data_span

    stray = [{"day": pd.Timestamp("2007-12-03"), "topic_id": 1, "source": STABLE[0], "articles": 1}]
    assert data_span(_cube(stray)) == (START, AS_OF)


def test_the_volume_chart_marks_the_periods_whose_collection_changed():
    from analysis.dashboard import charts, panels
    from analysis.dashboard.filters import Filters

    rng = np.random.default_rng(1)
    cube = _cube(_cube_rows(rng, "Portal <b>Baru</b>", _last_week(), 60, np.full(TOPICS, 1 / 6)))
    month = Filters(start=START, end=AS_OF, freq="M")
    marks = panels.collection_marks(cube, month, "en")
    assert marks["period"].tolist() == [pd.Timestamp("2025-05-01")]
    assert marks["text"].tolist() == ["Portal &lt;b&gt;Baru&lt;/b&gt;: Collection began"]
    volume = panels.volume_in_period(cube, month)
    fig = charts.with_collection_marks(charts.volume_figure(volume), marks, "changes")
    assert fig.data[-1].name == "changes" and list(fig.data[-1].text) == marks["text"].tolist()
    assert panels.collection_marks(_cube(), month, "id").empty


def test_the_presenter_does_not_call_a_grown_collection_a_rise():
    from analysis.dashboard.filters import Filters
    from analysis.dashboard.slides import presenter_slides

    rng = np.random.default_rng(1)
    cube = _cube(_cube_rows(rng, "Portal Baru", _last_week(), 60, np.full(TOPICS, 1 / 6)))
    topics = pd.DataFrame({"topic_id": range(TOPICS), "label": [f"Topik {i}" for i in range(6)]})
    week = Filters(start=_last_week()[0], end=AS_OF)
    volume = presenter_slides(cube, topics, week, "en")[0]
    assert volume.kind == "volume" and volume.detail == (
        "The outlets collected changed since the period before, so the counts are not compared"
    )
    steady = presenter_slides(_cube(), topics, week, "en")[0]
    assert steady.detail.endswith("against the period before")


def test_the_briefing_says_the_collection_changed_instead_of_a_volume_ratio():
    from analysis.briefing.sections import period_words, summary_points, summary_tiles

    def totals(changed: bool) -> pd.Series:
        figures = {"articles_now": 2231, "articles_before": 294, "outlets_now": 12}
        return pd.Series({**figures, "provinces_now": 33, "collection_changed": changed})

    regions = pd.DataFrame(
        {"name": ["Jakarta"], "count_now": [256], "count_before": [28], "change": [228]}
    )
    headlines = {"summary": "A leads", "emerging": "Nothing emerged"}
    words = period_words(7, "en")
    changed = summary_points(totals(True), headlines, regions, words, "en")
    assert changed[0] == (
        "2,231 articles from 12 outlets in 33 provinces, from a set of outlets that changed since "
        "the week before, so the counts are not compared"
    )
    assert not any("Jakarta" in point for point in changed)  # the move is the collection's
    steady = summary_points(totals(False), headlines, regions, words, "en")
    assert "7.6x" in steady[0] and any("Jakarta" in point for point in steady)
    tiles = summary_tiles(totals(True), words["before"], "en")
    assert tiles[1][0] == "collection changed"
