"""The dashboard end to end in Streamlit's AppTest: every page, controls, URL state, topic edits."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.dashboard.charts import BAND, INTERVAL, REPEAT
from analysis.dashboard.corpus import load_corpus
from analysis.i18n import ui
from analysis.topics.build_folder import topic_edits
from analysis.trends.share import FEW_ARTICLES
from data.store import Store
from tests.dashboard_fixture import SETTINGS, dashboard_store, rebuild
from tests.feedserver import FeedServer, Reply, article_html, rss, story

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 120
PAGES = {
    "views/overview.py": ("Ringkasan", "Overview"),
    "views/topics.py": ("Topik", "Topics"),
    "views/trends.py": ("Tren & perbandingan", "Trends & compare"),
    "views/regions.py": ("Wilayah", "Regions"),
    "views/articles.py": ("Artikel", "Articles"),
    "views/data_admin.py": ("Data", "Data"),
    "views/presenter.py": ("Presentasi", "Presenter"),
}
REPORT_LABELS = ("Ditambahkan", "Duplikat", "Dikarantina", "Tanpa tanggal")
UPLOADED_ROWS = [
    "judul,isi,tanggal,url,sumber",
    "Jembatan baru dibuka,Warga Serang menyeberang jembatan baru sejak pagi.,"
    "2026-10-01 08:00,https://kabar.test/jembatan,Kabar Uji",
    "Pasar murah digelar,Pemerintah kota menggelar pasar murah beras dan minyak.,"
    "2026-10-02 09:00,https://kabar.test/pasar,Kabar Uji",
    "Jembatan baru dibuka,Warga Serang menyeberang jembatan baru sejak pagi.,"
    "2026-10-01 08:00,https://kabar.test/jembatan,Kabar Uji",
    ",,2026-10-03 10:00,https://kabar.test/kosong,Kabar Uji",
]


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dashboard_store(tmp_path_factory)


@pytest.fixture
def app(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("SOROTAN_STORE", str(store_path))
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def _biggest_topic(path: Path) -> int:
    """Id of the largest topic of a store's current build."""
    topics = pd.read_parquet(Store(path).current_build() / "topics.parquet")
    return int(
        topics.sort_values(["size", "topic_id"], ascending=[False, True])["topic_id"].iloc[0]
    )


def _problems(at: AppTest) -> list:
    """Exceptions and error boxes on the rendered page."""
    return [e.value for e in at.exception] + [e.value for e in at.error]


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_without_exceptions(app: AppTest, page: str):
    app.run()
    app.switch_page(page).run()
    assert _problems(app) == []
    assert app.title[0].value == PAGES[page][0]


def test_overview_shows_headline_figures_charts_and_the_sample_badge(app: AppTest, store_path):
    app.run()
    labels = [m.label for m in app.metric]
    assert labels == ["Artikel", "Berita berbeda", "Media", "Provinsi", "Topik aktif"]
    assert int(app.metric[0].value.replace(".", "")) > 0
    assert len(app.get("plotly_chart")) >= 3
    assert any("sintetis" in str(b.proto).lower() for b in app.get("badge")) or any(
        "sintetis" in c.value for c in app.caption
    )


def test_the_briefing_is_prepared_for_download(app: AppTest):
    app.run()
    app.selectbox(key="briefing_format").set_value("html").run()
    next(b for b in app.button if b.label == "Siapkan ringkasan").click().run()
    assert _problems(app) == []
    labels = [d.proto.label for d in app.get("download_button")]
    assert labels == ["CSV"] * len(app.get("plotly_chart")) + ["Unduh ringkasan (HTML)"]


def test_sessions_showing_the_same_view_share_its_figures(store_path, monkeypatch):
    from analysis.dashboard import charts
    from views import loading
    from views.common import FrozenFigure

    monkeypatch.setenv("SOROTAN_STORE", str(store_path))
    drawn = []
    draw = charts.province_map_figure
    monkeypatch.setattr(
        charts, "province_map_figure", lambda *a, **k: drawn.append(1) or draw(*a, **k)
    )
    loading.shared.clear()
    sessions = [AppTest.from_file(APP, default_timeout=TIMEOUT).run() for _ in range(2)]
    assert [_problems(at) for at in sessions] == [[], []]
    assert len(drawn) == 1  # the second session got the first one's map
    specs = [[c.proto.spec for c in at.get("plotly_chart")] for at in sessions]
    assert specs[0] == specs[1] and len(specs[0]) == 3
    figure = draw(
        pd.DataFrame({"feature": ["ID-BT"], "name": ["Banten"], "articles": [3], "share": [1.0]}),
        {"type": "FeatureCollection", "features": []},
    )
    frozen = FrozenFigure(figure)
    assert frozen.to_json() == figure.to_json()
    frozen.to_dict()["layout"]["height"] = 1  # each caller gets its own copy
    assert frozen.to_dict()["layout"]["height"] == figure.layout.height


def test_changing_the_period_updates_the_view_and_the_url(app: AppTest):
    app.run()
    corpus_days = app.session_state["_sorotan_context"].filters.days
    app.selectbox(key="ctl_period").set_value("7d").run()
    assert _problems(app) == []
    assert app.session_state["_sorotan_context"].filters.days == 7
    assert corpus_days == 90
    assert app.query_params["period"] == "7d"


def test_a_custom_period_is_picked_with_dates_and_kept_in_the_url(app: AppTest):
    app.run()
    app.selectbox(key="ctl_period").set_value("custom").run()
    app.date_input(key="ctl_range").set_value((date(2026, 9, 1), date(2026, 9, 30))).run()
    filters = app.session_state["_sorotan_context"].filters
    assert (filters.start, filters.end) == (pd.Timestamp("2026-09-01"), pd.Timestamp("2026-09-30"))
    assert (app.query_params["from"], app.query_params["to"]) == ("2026-09-01", "2026-09-30")
    again = AppTest.from_file(APP, default_timeout=TIMEOUT)
    again.query_params = {"period": "custom", "from": "2026-09-01", "to": "2026-09-30"}
    again.run()
    assert again.session_state["_sorotan_context"].filters.days == 30


def test_query_parameters_restore_a_view(app: AppTest):
    app.query_params = {"ui": "en", "period": "30d", "freq": "D", "prov": "36"}
    app.run()
    filters = app.session_state["_sorotan_context"].filters
    assert app.title[0].value == "Overview"
    assert (filters.days, filters.freq, filters.province_code) == (30, "D", "36")
    assert app.selectbox(key="ctl_prov").value == "36"
    assert app.query_params == {"ui": "en", "period": "30d", "freq": "D", "prov": "36"}


def test_bad_query_parameters_fall_back_to_defaults(app: AppTest):
    app.query_params = {"period": "forever", "freq": "Y", "prov": "99", "ui": "fr"}
    app.run()
    filters = app.session_state["_sorotan_context"].filters
    assert _problems(app) == []
    assert (filters.days, filters.freq, filters.province_code) == (90, "W", None)
    assert app.title[0].value == "Ringkasan"


def test_switching_the_interface_language(app: AppTest):
    app.run()
    app.segmented_control(key="ctl_ui").set_value("en").run()
    assert app.title[0].value == "Overview"
    assert [m.label for m in app.metric][0] == "Articles"
    assert app.selectbox(key="ctl_period").label == "Period"
    assert app.query_params["ui"] == "en"


def test_picking_a_region_shows_its_angles_and_timeline(app: AppTest):
    app.run()
    app.switch_page("views/regions.py").run()
    app.selectbox(key="region_prov").set_value("36").run()
    assert _problems(app) == []
    headers = [h.value for h in app.subheader]
    assert "Sudut berita Banten" in headers
    assert "Artikel dari waktu ke waktu" in headers
    assert app.query_params["region"] == "36"


def test_a_topic_opens_from_the_url(app: AppTest, store_path):
    topic = _biggest_topic(store_path)
    app.run()
    app.query_params = {"topic": str(topic)}  # a shared link to the topics page
    app.switch_page("views/topics.py").run()
    assert app.selectbox(key="topic_pick").value == topic
    assert app.query_params["topic"] == str(topic)
    assert _problems(app) == []


def test_trends_compare_topics_and_keyword_queries(app: AppTest):
    app.run()
    app.switch_page("views/trends.py").run()
    app.text_area(key="trend_queries").set_value("banjir\n(rusak").run()
    assert _problems(app) == []
    assert any("(rusak" in w.value for w in app.warning)
    context = app.session_state["_sorotan_context"]
    assert app.query_params["q"] == ["banjir", "(rusak"]
    assert len(app.multiselect(key="trend_topics").value) == 3
    assert context.lang == "id"


def _trend_chart(at: AppTest) -> dict:
    """The trends page's figure as the browser gets it."""
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def test_the_trend_bands_can_be_hidden_and_the_caption_says_what_is_drawn(app: AppTest):
    app.run()
    app.switch_page("views/trends.py").run()
    chart = _trend_chart(app)
    metas = [trace.get("meta") for trace in chart["data"]]
    assert metas.count(BAND) == 3  # one band per topic, under every line
    assert metas.index(REPEAT) > max(i for i, meta in enumerate(metas) if meta == BAND)
    assert chart["layout"]["shapes"]  # the fixture's quiet weeks have fewer than 100 articles
    captions = [c.value for c in app.caption]
    band, few = ui.text("band_caption", "id"), ui.text("few_caption_band", "id", n=FEW_ARTICLES)
    assert f"{band} {few}" in captions
    app.toggle(key="trend_chart_bands").set_value(False).run()
    assert _problems(app) == []
    metas = [trace.get("meta") for trace in _trend_chart(app)["data"]]
    assert BAND not in metas and INTERVAL in metas
    assert ui.text("few_caption", "id", n=FEW_ARTICLES) in [c.value for c in app.caption]
    assert not any(band in c.value for c in app.caption)


def test_article_search_filters_the_table(app: AppTest):
    app.run()
    app.switch_page("views/articles.py").run()
    table = app.dataframe[-1].value
    everything = len(table)
    assert table[["place", "topic"]].notna().all().all()  # "–", not Streamlit's "None"
    app.text_input(key="art_q").set_value("banjir").run()
    found = app.dataframe[-1].value  # the results table, after the top words and outlets
    assert _problems(app) == []
    assert 0 < len(found) < everything
    assert app.query_params["search"] == "banjir"
    marked = [m.value for m in app.markdown if ":orange-background[" in m.value]
    assert any("orange-background[banjir]" in m.lower() for m in marked)
    words, outlets = app.dataframe[0].value, app.dataframe[1].value
    assert len(words) and (words["count_now"] > 0).all()
    assert 0 < outlets["articles"].sum() <= len(found)


def test_presenter_view_from_the_url_and_its_slides(app: AppTest):
    app.query_params = {"present": "1"}
    app.run()
    assert _problems(app) == []
    assert app.markdown[0].value.startswith("# ")
    next_button = next(b for b in app.button if b.label == "Berikutnya")
    next_button.click().run()
    assert app.query_params["slide"] == "2"
    assert app.query_params["present"] == "1"
    next(b for b in app.button if b.label == "Keluar").click().run()
    assert "present" not in app.query_params


def test_uploaded_file_names_are_reduced_to_plain_names():
    from views.data_admin import safe_name

    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("berita jan 2026 (final).csv") == "berita_jan_2026_final_.csv"
    assert safe_name("...") == "upload"


def test_uploads_over_the_size_limit_are_named_and_refused():
    from types import SimpleNamespace

    from views.data_admin import MAX_FILE_MB, oversized

    mb = 1024 * 1024
    files = [
        SimpleNamespace(name="kecil.csv", size=MAX_FILE_MB * mb),
        SimpleNamespace(name="besar.csv", size=MAX_FILE_MB * mb + 1),
    ]
    assert oversized(files) == ["besar.csv"]
    assert oversized(files, max_mb=1) == ["kecil.csv", "besar.csv"]


def _store_copy(store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture store that the app opens (for tests that change the store)."""
    copy = tmp_path / "store"
    shutil.copytree(store_path, copy)
    monkeypatch.setenv("SOROTAN_STORE", str(copy))
    return copy


def _data_page() -> AppTest:
    """The app opened on the Data page."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    return at.switch_page("views/data_admin.py").run()


def _report_counts(at: AppTest, nth: int = 0) -> dict[str, str]:
    """The figures of the nth ingest report on the page, by label."""
    figures = [(m.label, m.value) for m in at.metric]
    starts = [i for i, (label, _) in enumerate(figures) if label == REPORT_LABELS[0]]
    return dict(figures[starts[nth] : starts[nth] + len(REPORT_LABELS)])


def _upload(at: AppTest, rows: list[str]) -> None:
    """Upload CSV rows as a file on the Data page and submit the form."""
    at.file_uploader[0].set_value(("berita uji.csv", "\n".join(rows).encode(), "text/csv"))
    next(b for b in at.button if b.label == "Masukkan ke penyimpanan").click().run()


def test_an_uploaded_csv_is_ingested_and_reported(store_path, tmp_path, monkeypatch):
    copy = _store_copy(store_path, tmp_path, monkeypatch)
    before = len(Store(copy).articles(["article_id"]))
    at = _data_page()
    _upload(at, UPLOADED_ROWS)
    assert _problems(at) == []
    assert _report_counts(at) == {
        "Ditambahkan": "2",
        "Duplikat": "1",
        "Dikarantina": "1",
        "Tanpa tanggal": "0",
    }
    assert at.dataframe[0].value["reason"].tolist() == ["no text or title"]
    assert len(Store(copy).articles(["article_id"])) == before + 2
    context = at.session_state["_sorotan_context"]
    assert len(context.corpus.articles) == before + 2  # the app reloaded the store


def test_rebuilding_the_topics_from_the_data_page_makes_a_new_build(
    store_path, tmp_path, monkeypatch
):
    copy = _store_copy(store_path, tmp_path, monkeypatch)
    Store(copy).write_meta("topic_settings", {"reducer": SETTINGS.reducer})  # fast, as the fixture
    first = Store(copy).current_build().name
    at = _data_page()
    next(b for b in at.button if b.label == "Bangun ulang topik").click().run()
    assert _problems(at) == []
    second = Store(copy).current_build().name
    assert second != first
    assert at.success[0].value.startswith("Topik selesai dibangun")
    assert at.session_state["_sorotan_context"].corpus.info["version"] == second


def test_fetching_a_feed_from_the_data_page_adds_its_articles(store_path, tmp_path, monkeypatch):
    copy = _store_copy(store_path, tmp_path, monkeypatch)
    monkeypatch.setenv("SOROTAN_ALLOW_HOSTS", "127.0.0.1")
    before = len(Store(copy).articles(["article_id"]))
    html = {"Content-Type": "text/html; charset=utf-8"}
    with FeedServer().running() as server:
        server.add("/robots.txt", Reply(b"User-agent: *\nAllow: /\n"))
        items = []
        for slug in ("jembatan-ciujung", "pasar-rau"):
            title, paragraphs = story(slug)
            server.add(
                f"/berita/{slug}", Reply(article_html(title, paragraphs).encode(), headers=html)
            )
            items.append({"link": server.url(f"/berita/{slug}"), "title": title})
        feed = server.add(
            "/rss.xml",
            Reply(rss("Kabar Uji", items), headers={"Content-Type": "application/rss+xml"}),
        )
        at = _data_page()
        _upload(at, UPLOADED_ROWS[:2])  # an upload's report stays beside the fetch's
        at.text_area(key="feeds_add").set_value(feed)
        at.button(key="fetch_button").click().run()
        assert _problems(at) == []
        assert [_report_counts(at, n)["Ditambahkan"] for n in (0, 1)] == ["1", "2"]
        assert len(Store(copy).articles(["article_id"])) == before + 3
        at.button(key="fetch_button").click().run()  # the feed, now followed, is read once
    assert _problems(at) == []
    assert _report_counts(at, 1)["Ditambahkan"] == "0"
    assert at.dataframe[-1].value["url"].tolist() == [feed]
    assert server.hits("/rss.xml") == 2


def test_the_data_page_refuses_local_feeds_until_an_administrator_allows_them(
    store_path, tmp_path, monkeypatch
):
    copy = _store_copy(store_path, tmp_path, monkeypatch)
    monkeypatch.setenv("SOROTAN_ADMIN", "1")
    with FeedServer().running() as server:
        server.add("/robots.txt", Reply(b"User-agent: *\nAllow: /\n"))
        title, paragraphs = story("pasar-rau")
        server.add("/berita/pasar-rau", Reply(article_html(title, paragraphs).encode()))
        items = [{"link": server.url("/berita/pasar-rau"), "title": title}]
        feed = server.add("/rss.xml", Reply(rss("Kabar Uji", items)))
        at = _data_page()
        at.text_area(key="feeds_add").set_value(feed)
        at.button(key="fetch_button").click().run()
        assert not at.exception
        assert at.warning[0].value == (
            f"Tidak terambil: {feed} — refused: 127.0.0.1 is a loopback address; "
            "to fetch from it, allow it with $SOROTAN_ALLOW_HOSTS"
        )
        assert server.log == []
        at.text_area(key="allow_hosts").set_value("127.0.0.1")
        at.button(key="allow_hosts_save").click().run()
        assert Store(copy).read_meta("allow_hosts") == ["127.0.0.1"]
        at.button(key="fetch_button").click().run()
    assert _problems(at) == []
    assert _report_counts(at)["Ditambahkan"] == "1"


def test_an_empty_store_offers_the_sample(tmp_path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOROTAN_STORE", str(tmp_path / "empty"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert _problems(at) == []
    assert [b.label for b in at.button] == ["Buat data contoh"]
    assert at.subheader[0].value == "Belum ada artikel"


def test_a_store_without_its_manifest_says_how_to_repair_it(store_path, tmp_path, monkeypatch):
    copy = _store_copy(store_path, tmp_path, monkeypatch)
    (copy / "manifest.json").unlink()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    (error,) = at.error
    assert error.value.startswith("Data tidak bisa dibaca:")
    assert f"python -m data repair --store {copy}" in error.value
    assert list((copy / "articles").glob("*.parquet"))


def test_rename_merge_and_hide_persist_after_a_rebuild(store_path, tmp_path, monkeypatch):
    copy = _store_copy(store_path, tmp_path, monkeypatch)
    corpus = load_corpus(Store(copy))
    ranked = corpus.tables["topics"].sort_values("size", ascending=False)["topic_id"].tolist()
    kept, absorbed, hidden = ranked[0], ranked[1], ranked[2]

    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.query_params = {"topic": str(hidden)}
    at.switch_page("views/topics.py").run()
    at.button(key=f"hide_{hidden}").click().run()
    assert topic_edits(Store(copy)).hidden == frozenset()  # asked first
    at.button(key=f"confirm_yes_{hidden}").click().run()
    assert at.selectbox(key="topic_pick").value is None
    at.selectbox(key="topic_pick").set_value(kept).run()
    at.text_input(key=f"rename_label_{kept}").set_value("Banjir Serang")
    at.button(key=f"rename_button_{kept}").click().run()
    at.selectbox(key="topic_pick").set_value(absorbed).run()
    assert at.selectbox(key=f"merge_into_{absorbed}").value is None  # nothing chosen at first
    at.selectbox(key=f"merge_into_{absorbed}").set_value(kept)
    at.button(key=f"merge_button_{absorbed}").click().run()
    view = at.session_state["_sorotan_context"].view
    assert any(
        f"«{view.label_of(absorbed)}» ke «Banjir Serang»" in m.value.replace("\\", "")
        for m in at.markdown
    )
    at.button(key=f"confirm_yes_{absorbed}").click().run()
    assert _problems(at) == []

    edits = topic_edits(Store(copy))
    assert (edits.labels, edits.merges, edits.hidden) == (
        {kept: "Banjir Serang"},
        {absorbed: kept},
        frozenset({hidden}),
    )
    context = at.session_state["_sorotan_context"]
    visible = context.view.visible_topics()["topic_id"].tolist()
    assert kept in visible and absorbed not in visible and hidden not in visible
    assert at.selectbox(key="topic_pick").value == kept
    assert at.header[0].value == "Banjir Serang"

    rebuild(copy)
    after = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    after.query_params = {"topic": str(kept)}
    after.switch_page("views/topics.py").run()
    assert _problems(after) == []
    assert after.header[0].value == "Banjir Serang"
    view = after.session_state["_sorotan_context"].view
    assert view.articles.loc[view.articles["topic_id"] == absorbed].empty
    assert hidden not in view.visible_topics()["topic_id"].tolist()


def test_clicks_on_charts_name_their_topic_province_and_period():
    from types import SimpleNamespace

    from analysis.dashboard import charts
    from views import drill
    from views.common import clicked_point

    top = pd.DataFrame({"topic_id": [4, 9], "topic_label": ["Banjir <Serang>", "Pilkada"]})

    def event(*points: dict) -> SimpleNamespace:
        return SimpleNamespace(selection={"points": list(points)})

    assert drill.clicked_topic(event({"customdata": [12, "Banjir ‹Serang›"]}), top) == 4
    assert drill.clicked_topic(event({"customdata": [3, "Pemilu"]}), top) is None
    assert drill.clicked_topic(None, top) is None
    assert drill.clicked_province(event({"location": "ID-BT"})) == "36"
    assert drill.clicked_province(event({"location": "XX"})) is None
    assert drill.articles_params(topic=4, province="36", regency="") == {
        "atopic": "4",
        "prov": "36",
    }
    point = ("q:banjir@kota", pd.Timestamp("2026-10-05"))
    assert drill.drill_point(drill.drill_param(point)) == point
    shares = pd.DataFrame(
        {"period": [pd.Timestamp("2026-10-05")], "series": "t7", "label": "Banjir", "count": [3],
         "total": [40], "share": [0.075], "ci_low": [0.026], "ci_high": [0.199]}
    )  # fmt: skip
    drawn = charts.share_figure(shares).data[-1].customdata[0]  # a point's own customdata
    assert list(drawn) == [
        "t7",
        "2026-10-05",
        3,
        40,
        0.026,
        0.199,
        "<br><i>Few articles: the share is uncertain</i>",
    ]
    assert clicked_point(event({"customdata": list(drawn)})) == ("t7", pd.Timestamp("2026-10-05"))
    for broken in ("t12", "x@2026-10-05", "t12@2026-13-01", ""):
        with pytest.raises(ValueError):
            drill.drill_point(broken)
