"""What the dashboard computes, on tiny hand-made corpora: loading, edits, filters, panels, slides."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.dashboard import panels, slides
from analysis.dashboard.corpus import (
    Corpus,
    load_corpus,
    merged,
    renamed,
    unmerged,
    with_edits,
    with_hidden,
    with_wide,
)
from analysis.dashboard.filters import Filters, article_mask, period_window
from analysis.dashboard.places import map_shapes
from analysis.i18n import ui as i18n
from analysis.i18n.ui import notice_in
from analysis.topics.build_folder import (
    CUBE_FILE,
    last_topic_change,
    save_topic_edits,
    topic_edits,
    undo_topic_edit,
)
from analysis.topics.ids import EDITS_KEPT, TopicEdits
from analysis.trends.cube import coverage_cube, wib_days
from data.pipeline import ingest_paths
from data.store import Store
from tests.dashboard_fixture import dashboard_store
from tests.trend_fixtures import articles as make_articles
from tests.trend_fixtures import repeat

ROOT = Path(__file__).resolve().parents[1]
DAY = pd.Timestamp


def _corpus() -> Corpus:
    """Three topics over two weeks in Banten and Jawa Barat; topic 3 only in the second week."""
    rows = (
        repeat(6, wib="2026-10-06 09:00", topic_id=1, source="A")
        + repeat(4, wib="2026-10-07 09:00", topic_id=2, source="B", province_code="32",
                 regency_code="32.73")
        + repeat(4, wib="2026-10-13 09:00", topic_id=1, source="A")
        + repeat(2, wib="2026-10-14 09:00", topic_id=2, source="B")
        + repeat(6, wib="2026-10-15 09:00", topic_id=3, source="C", province_code="32",
                 regency_code="32.73")
    )  # fmt: skip
    frame = make_articles(rows)
    articles = frame.assign(
        url=[f"https://kabar.example.id/{i}" for i in range(len(frame))],
        province=frame["province_code"].map({"36": "Banten", "32": "Jawa Barat"}),
        regency=None,
        base_topic_id=frame["topic_id"],
        topic_confidence=0.9,
        day=wib_days(frame["published_at"]),
    ).drop(columns=["topic_id", "text"])
    topics = pd.DataFrame(
        {
            "topic_id": [1, 2, 3],
            "auto_label": ["banjir · tanggul · hujan", "pilkada · kpu · tps", "gempa · bmkg"],
            "keywords": [["banjir", "tanggul"], ["pilkada", "kpu"], ["gempa", "bmkg"]],
            "size": [10, 6, 6],
            "theme_label": ["bencana", "politik", "bencana"],
            "representative_ids": [["a0", "a1"], ["a6"], ["a16"]],
            "centroid": [np.array([1.0, 0.0]), np.array([0.0, 1.0]), np.array([0.9, 0.1])],
        }
    )
    cube = coverage_cube(articles.assign(topic_id=articles["base_topic_id"]))
    words = pd.DataFrame(
        {
            "topic_id": [1, 1],
            "period": ["2026-09", "2026-10"],
            "n_articles": [3, 10],
            "keywords": [["banjir", "hujan"], ["banjir", "tanggul"]],
        }
    )
    tables = {"topics": topics, "topic_words_by_period": words, "doc_map": pd.DataFrame()}
    return Corpus("v1", articles, cube, {"version": "b1"}, tables)


WEEK2 = Filters(DAY("2026-10-12"), DAY("2026-10-18"), "W")


# -- loading and edits -----------------------------------------------------------------------------


def test_a_bilingual_notice_is_split_by_language():
    notice = "Data contoh sintetis: rekaan. Synthetic sample data: invented."
    assert notice_in(notice, "id") == "Data contoh sintetis: rekaan."
    assert notice_in(notice, "en") == "Synthetic sample data: invented."
    assert notice_in("Only one language.", "en") == "Only one language."


def test_edits_apply_labels_merges_and_hidden_everywhere():
    edits = TopicEdits(labels={1: "Banjir"}, merges={3: 1}, hidden=frozenset({2}))
    view = with_edits(_corpus(), edits)
    assert view.label_of(1) == "Banjir"
    assert view.visible_topics()["topic_id"].tolist() == [1]
    assert view.topics.set_index("topic_id")["size"].to_dict() == {1: 16, 2: 6, 3: 0}
    assert sorted(view.cube["topic_id"].unique().tolist()) == [1, 2]
    assert set(view.articles.loc[view.articles["topic_id"] == 1, "topic_label"]) == {"Banjir"}


def test_merge_chains_resolve_and_articles_without_a_topic_keep_none():
    corpus = _corpus()
    loose = corpus.articles.assign(base_topic_id=corpus.articles["base_topic_id"].where(
        corpus.articles.index > 0, -1))  # fmt: skip
    edits = TopicEdits(merges={3: 2, 2: 1})
    view = with_edits(replace(corpus, articles=loose), edits)
    assert view.topics.set_index("topic_id")["size"].to_dict() == {1: 21, 2: 0, 3: 0}
    assert view.articles["topic_id"].tolist() == [-1] + [1] * 21
    assert view.articles["topic_label"].isna().tolist() == [True] + [False] * 21
    assert view.cube["topic_id"].unique().tolist() == [1]
    assert view.cube["topic_id"].dtype == corpus.cube["topic_id"].dtype


def test_edit_helpers_build_new_edits_and_refuse_loops():
    edits = renamed(TopicEdits(), 1, "  Banjir ")
    assert edits.labels == {1: "Banjir"}
    assert renamed(edits, 1, "").labels == {}
    edits = merged(edits, 3, 1)
    assert edits.merges == {3: 1}
    with pytest.raises(ValueError, match="loop"):
        merged(edits, 1, 3)
    with pytest.raises(ValueError, match="itself"):
        merged(edits, 2, 2)
    assert unmerged(edits, 3).merges == {}
    assert with_hidden(with_hidden(edits, 2, True), 2, False).hidden == frozenset()


def test_topic_edits_are_undone_newest_first_and_survive_reopening_the_store(tmp_path):
    store = Store(tmp_path)
    assert last_topic_change(store) is None and undo_topic_edit(store) is None
    first = merged(TopicEdits(), 3, 1)
    save_topic_edits(store, first, {"kind": "merge", "topic_id": 3, "into": 1})
    second = with_hidden(first, 2, True)
    save_topic_edits(store, second, {"kind": "hide", "topic_id": 2})
    assert topic_edits(store) == second

    reopened = Store(tmp_path)
    assert last_topic_change(reopened) == {"kind": "hide", "topic_id": 2}
    assert undo_topic_edit(reopened) == first
    assert topic_edits(reopened) == first
    assert last_topic_change(reopened) == {"kind": "merge", "topic_id": 3, "into": 1}
    assert undo_topic_edit(reopened) == TopicEdits()
    assert topic_edits(reopened) == TopicEdits() and undo_topic_edit(reopened) is None


def test_only_the_newest_topic_edits_can_be_undone(tmp_path):
    store = Store(tmp_path)
    edits = TopicEdits()
    for topic in range(EDITS_KEPT + 5):
        edits = with_hidden(edits, topic, True)
        save_topic_edits(store, edits, {"kind": "hide", "topic_id": topic})
    undone = 0
    while undo_topic_edit(store) is not None:
        undone += 1
    assert undone == EDITS_KEPT
    assert topic_edits(store).hidden == frozenset(range(5))


# -- periods and filters ---------------------------------------------------------------------------


def test_period_presets_end_on_the_last_day_with_data():
    first, last = DAY("2026-01-01"), DAY("2026-10-31")
    assert period_window("7d", first, last) == (DAY("2026-10-25"), last)
    assert period_window("all", first, last) == (first, last)
    assert period_window("1y", first, last) == (first, last)
    custom = (DAY("2026-03-09"), DAY("2026-03-02"))
    assert period_window("custom", first, last, custom) == (DAY("2026-03-02"), DAY("2026-03-09"))
    assert period_window("nonsense", first, last) == (DAY("2026-10-02"), last)


def test_filters_know_their_length_previous_period_and_cube_filters():
    filters = Filters(DAY("2026-10-12"), DAY("2026-10-18"), "W", "36", None, ("A",), "id")
    assert filters.days == 7
    assert (filters.previous().start, filters.previous().end) == (
        DAY("2026-10-05"),
        DAY("2026-10-11"),
    )
    assert filters.cube_filters() == {
        "source": ["A"],
        "language": "id",
        "province_code": "36",
        "regency_code": None,
    }
    assert "province_code" not in filters.cube_filters(places=False)


def test_the_build_stores_the_cube_until_an_ingest_adds_articles(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    store = Store(tmp_path / "store")
    shutil.copytree(dashboard_store(tmp_path_factory), store.path)
    assert (store.current_build() / CUBE_FILE).exists()
    with monkeypatch.context() as patched:  # the cube is read, not computed
        patched.setattr("analysis.topics.build_folder.coverage_cube", _never_called)
        corpus = load_corpus(store)
    articles = with_wide(store, corpus.articles, ["title"])
    pd.testing.assert_frame_equal(
        corpus.cube, coverage_cube(articles.assign(topic_id=articles["base_topic_id"]))
    )
    extra = tmp_path / "extra.csv"
    extra.write_text(
        "judul,isi,tanggal,url\nPasar murah,Pasar murah beras digelar di alun-alun.,"
        "2026-10-02 09:00,https://kabar.test/pasar-murah\n",
        encoding="utf-8",
    )
    assert ingest_paths([extra], store).added == 1
    after = load_corpus(store).cube.groupby("topic_id")["articles"].sum()
    before = corpus.cube.groupby("topic_id")["articles"].sum()
    assert after.sub(before, fill_value=0).to_dict() == {**dict.fromkeys(before.index, 0), -1: 1}


def _never_called(*args, **kwargs):
    raise AssertionError("the stored cube should have been used")


def test_article_mask_combines_days_places_and_outlets():
    corpus = _corpus()
    mask = article_mask(
        corpus.articles, Filters(DAY("2026-10-12"), DAY("2026-10-18"), sources=("B",))
    )
    assert mask.sum() == 2


# -- panels ----------------------------------------------------------------------------------------


def test_headline_figures_compare_with_the_week_before():
    table = panels.headline_figures(_corpus().cube, WEEK2).set_index("metric")
    assert table.loc["articles", ["now", "before"]].tolist() == [12, 10]
    assert table.loc["outlets", ["now", "before"]].tolist() == [3, 2]
    assert table.loc["places", ["now", "before"]].tolist() == [2, 2]
    assert table.loc["topics", ["now", "before"]].tolist() == [3, 2]
    # a few articles a day are no evidence that the outlets collected changed
    assert table["comparable"].all()


def test_place_volume_and_map_values_put_new_provinces_on_their_parent():
    view = with_edits(_corpus(), TopicEdits())
    places = panels.place_volume(view.cube, WEEK2, topic_id=3)
    assert places[["code", "articles", "total"]].values.tolist() == [["32", 6, 6], ["36", 0, 6]]
    papua = pd.DataFrame(
        {
            "code": ["91", "93"],
            "name": ["Papua", "Papua Selatan"],
            "articles": [1, 2],
            "total": [4, 4],
        }
    )
    values = panels.map_values(papua)
    assert values[["feature", "articles", "total", "share"]].values.tolist() == [
        ["ID-PA", 3, 8, 0.375]
    ]


def test_topic_table_has_trends_statuses_and_main_places():
    view = with_edits(_corpus(), TopicEdits())
    filters = Filters(DAY("2026-10-05"), DAY("2026-10-18"), "W")
    table = panels.topic_table(view.cube, view.visible_topics(), filters, pd.Series({3: "new"}))
    assert table["topic_id"].tolist() == [1, 2, 3]
    assert table["trend"].tolist() == [[6, 4], [4, 2], [0, 6]]
    assert table["status"].tolist() == ["steady", "steady", "new"]
    assert table["regions"].tolist() == ["Banten", "Jawa Barat, Banten", "Jawa Barat"]
    assert table["share"].round(3).tolist() == [0.455, 0.273, 0.273]


def test_topic_words_mark_words_new_against_the_month_before():
    words = _corpus().tables["topic_words_by_period"]
    table = panels.topic_words(words, 1, Filters(DAY("2026-09-01"), DAY("2026-10-31")))
    assert table[["period", "new_words"]].values.tolist() == [
        ["2026-10", "tanggul"],
        ["2026-09", ""],
    ]


def test_related_topics_by_centre_similarity():
    view = with_edits(_corpus(), TopicEdits())
    related = panels.related_topics(view.visible_topics(), 1)
    assert related["topic_id"].tolist() == [3, 2]


def test_series_shares_put_topics_and_queries_on_one_table():
    view = with_edits(_corpus(), TopicEdits())
    matches = coverage_cube(view.articles.head(3).assign(topic_id=1))
    shares = panels.series_shares(view.cube, WEEK2, {1: "Banjir"}, {"banjir": matches})
    assert shares["series"].tolist() == ["t1", "q:banjir"]
    assert shares["label"].tolist() == ["Banjir", "“banjir”"]
    assert shares["count"].tolist() == [4, 0]


def test_query_labels_are_quoted_once():
    assert panels.query_label("banjir ATAU longsor") == "“banjir ATAU longsor”"
    assert panels.query_label('"jalan rusak"') == '"jalan rusak"'


def test_period_span_and_period_articles():
    assert panels.period_span(DAY("2026-10-12"), "W") == (DAY("2026-10-12"), DAY("2026-10-18"))
    assert panels.period_span(DAY("2026-10-12"), "W", 2) == (DAY("2026-09-28"), DAY("2026-10-11"))
    view = with_edits(_corpus(), TopicEdits())
    members = (view.articles["topic_id"] == 1).to_numpy()
    found = panels.period_articles(
        view.articles, WEEK2, members, panels.period_span(WEEK2.start, "W")
    )
    assert len(found) == 4


def test_angle_sentences_drop_the_z_score():
    assert panels.angle_sentence("banten covers Banjir 3.2x more (z=5.1)") == (
        "Banten covers Banjir 3.2x more"
    )


def test_doc_map_points_group_by_theme_with_the_rest_as_other():
    view = with_edits(_corpus(), TopicEdits())
    doc_map = pd.DataFrame({"article_id": view.articles["article_id"], "x": 0.0, "y": 0.0})
    points = panels.doc_map_points(doc_map, view.articles, view.topics, 100, 1, other="lain")
    assert points["group"].value_counts().to_dict() == {"bencana": 16, "lain": 6}
    sampled = panels.doc_map_points(doc_map, view.articles, view.topics, 5, 1, other="lain")
    assert len(sampled) == 5


def test_map_shapes_keep_only_the_iso_code():
    shapes = map_shapes()
    first = shapes["features"][0]
    assert set(first["properties"]) == {"iso_3166_2"}
    assert first["id"] == first["properties"]["iso_3166_2"]


# -- slides ----------------------------------------------------------------------------------------


def test_period_phrases_and_rising_headline():
    assert slides.period_phrase(7, "id") == "minggu ini"
    assert slides.period_phrase(30, "en") == "this month"
    assert slides.period_phrase(90, "id") == "dalam 90 hari terakhir"
    row = pd.Series({"status": "rising", "topic_label": "Banjir", "effect": 3.14})
    assert slides.rising_headline(row, "Banten", "minggu ini", "id") == (
        "Banjir naik 3,1x di Banten minggu ini"
    )
    new = pd.Series({"status": "new", "topic_label": "gempa · bmkg", "effect": np.nan})
    assert slides.rising_headline(new, None, "this week", "en") == (
        "New topic: “gempa · bmkg” this week"
    )


def test_presenter_slides_start_with_totals_and_end_with_the_map():
    view = with_edits(_corpus(), TopicEdits())
    deck = slides.presenter_slides(view.cube, view.visible_topics(), WEEK2, "id")
    assert deck[0].kind == "volume"
    assert deck[0].headline == "12 artikel dari 3 media minggu ini"
    assert deck[0].detail == "+20% dibanding periode sebelumnya"
    assert [s.kind for s in deck][-1] in {"map", "angle"}
    assert "map" in [s.kind for s in deck]
    placed = next(s for s in deck if s.kind == "map")
    assert "100% artikel punya lokasi (12 dari 12)" in placed.detail


def test_a_rising_slide_shows_and_names_the_days_its_rise_is_measured_in():
    view = with_edits(_corpus(), TopicEdits())
    long = replace(WEEK2, start=DAY("2024-01-01"))
    window = slides.rising_window(long)
    assert (window.start, window.end) == (DAY("2026-07-21"), WEEK2.end)  # 90 days, not 2 years
    assert slides.rising_window(WEEK2) == WEEK2
    assert slides.period_phrase(window.days, "id") == "dalam 90 hari terakhir"
    # topic 1 held 6 of the 10 articles of the week before WEEK2 (its baseline)
    assert slides.baseline_share(view.cube, WEEK2, 1, 7) == pytest.approx(0.6)
    assert slides.baseline_share(view.cube, WEEK2, 3, 7) == 0.0
    two_weeks = replace(WEEK2, start=DAY("2026-10-06"))  # nothing before it: no level to draw
    assert slides.baseline_share(view.cube, two_weeks, 1, 7) is None


# -- words -----------------------------------------------------------------------------------------


def test_both_languages_have_the_same_keys():
    assert set(i18n.ID) == set(i18n.EN)
    assert set(i18n.CHART_LABELS["id"]) == set(i18n.CHART_LABELS["en"])


def test_every_string_the_views_ask_for_exists():
    used: set[str] = set()
    for path in [
        ROOT / "app.py",
        *(ROOT / "views").glob("*.py"),
        ROOT / "analysis" / "dashboard" / "slides.py",
    ]:
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\b(?:t|text|empty_state)\(\s*\"([a-z_]+)\"", source))
    assert used
    assert sorted(used - set(i18n.ID)) == []


def test_dates_are_written_in_each_language():
    assert i18n.format_day(DAY("2026-10-06"), "id") == "6 Okt 2026"
    assert i18n.format_range(DAY("2026-10-01"), DAY("2026-10-31"), "en") == "1 Oct – 31 Oct 2026"
    assert i18n.format_range(DAY("2025-12-30"), DAY("2026-01-02"), "id") == (
        "30 Des 2025 – 2 Jan 2026"
    )
    assert i18n.format_period(DAY("2026-10-05"), "W", "id") == "minggu 5 Okt 2026"
    assert i18n.format_period(DAY("2026-10-01"), "M", "en") == "Oct 2026"
    assert i18n.text("no_such_key", "en") == "no_such_key"
