"""The briefing export: its content, the PowerPoint deck, the HTML page and the command line."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import timedelta

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from analysis.briefing import deck as report_pptx
from analysis.briefing.content import ReportError, briefing, period_days
from analysis.briefing.deck import briefing_pptx
from analysis.briefing.figures import (
    BrowserMissing,
    browser,
    map_figure,
    placed_note,
    shares_figure,
)
from analysis.briefing.page import briefing_html, briefing_pdf
from analysis.briefing.report import briefing_bytes, write_report
from analysis.briefing.sections import safe_url
from analysis.briefing.text import capitalised, span_text
from analysis.cli import main
from analysis.topics import ids as topic_ids
from analysis.trends.cube import wib_days
from data.pipeline import ingest_frames, ingest_paths
from data.sample import PLANTED, SYNTHETIC_NOTICE, labelled_frames, write_sample
from data.schema import RAW_COLUMNS
from data.store import Store

THEMES = list(PLANTED.themes)
BURST = PLANTED.themes[PLANTED.burst.theme]
AS_OF = pd.Timestamp(PLANTED.burst.start + timedelta(days=6))  # the burst's first week
WEEK = (AS_OF - pd.Timedelta(days=6), AS_OF)
RENAMED, HIDDEN = "pariwisata", "jalan_rusak"  # both among the week's top topics


def _truth_build(store: Store, raw: pd.DataFrame) -> None:
    """Publish a build whose topics are the sample's true themes (labels as the sample names them)."""
    articles = store.articles(["article_id", "url"])
    theme = articles["url"].map(raw.drop_duplicates("url").set_index("url")["truth_theme"])
    folder = store.new_build_dir()
    pd.DataFrame(
        {
            "topic_id": range(len(THEMES)),
            "auto_label": [PLANTED.themes[key] for key in THEMES],
            "theme": range(len(THEMES)),
            "theme_label": [PLANTED.themes[key] for key in THEMES],
        }
    ).to_parquet(folder / "topics.parquet")
    pd.DataFrame(
        {
            "article_id": articles["article_id"],
            "base_topic_id": theme.map({key: i for i, key in enumerate(THEMES)}).astype("int64"),
            "topic_confidence": 0.9,
        }
    ).to_parquet(folder / "assignments.parquet")
    store.publish_build(folder)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    """The synthetic sample (1,500 rows) with a build of its true themes and two user edits."""
    raw = pd.concat(list(labelled_frames(1_500, seed=42)), ignore_index=True)
    store = Store(tmp_path_factory.mktemp("report") / "store")
    ingest_frames([raw[list(RAW_COLUMNS)]], store)
    _truth_build(store, raw)
    edits = topic_ids.TopicEdits(
        labels={THEMES.index(RENAMED): "Wisata & liburan"},
        hidden=frozenset({THEMES.index(HIDDEN)}),
    )
    store.write_meta(topic_ids.EDITS_META, edits.to_json())
    return store


@pytest.fixture(scope="module")
def week(store) -> object:
    """The Indonesian briefing of the burst's first week."""
    return briefing(store, start=WEEK[0], end=WEEK[1])


@pytest.fixture(scope="module")
def deck(week) -> Presentation:
    """The week's deck, opened again with python-pptx."""
    return Presentation(io.BytesIO(briefing_pptx(week, with_map=False)))


def _slide_text(slide) -> str:
    """Every text of a slide's text boxes, joined by newlines."""
    texts = (shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
    return "\n".join(text for text in texts if text)


def _charts(slide) -> list:
    """The native charts of a slide."""
    return [shape.chart for shape in slide.shapes if shape.has_chart]


# -- content -----------------------------------------------------------------------------------------


def test_the_planted_burst_leads_the_week_and_is_emerging(week):
    assert week.topics["label"].iloc[0] == BURST
    assert week.headlines["topics"].startswith(f"{BURST} memimpin dengan ")
    assert week.emerging["label"].tolist() == [BURST]
    assert week.emerging["explanation"].iloc[0].endswith("di 3 provinsi")  # the burst's provinces
    assert week.headlines["emerging"] == f"1 topik mencuat minggu ini: {BURST}"
    assert week.notice == SYNTHETIC_NOTICE


def test_totals_count_the_dated_articles_of_the_period_and_the_one_before(store, week):
    days = wib_days(store.articles(["published_at"])["published_at"].dropna())
    now = ((days >= WEEK[0]) & (days <= WEEK[1])).sum()
    before = ((days >= WEEK[0] - pd.Timedelta(days=7)) & (days < WEEK[0])).sum()
    assert (week.totals["articles_now"], week.totals["articles_before"]) == (now, before)
    assert week.summary[0].startswith(f"{now} artikel dari {week.totals['outlets_now']} media")


def test_topic_edits_rename_and_hide(week):
    labels = set(week.topics["label"]) | set(week.shares["label"])
    assert "Wisata & liburan" in labels and PLANTED.themes[RENAMED] not in labels
    assert PLANTED.themes[HIDDEN] not in labels
    shown = set(week.topics["topic_id"]) | set(week.stories["topic_id"])
    assert THEMES.index(HIDDEN) not in shown | set(week.emerging["topic_id"])


def test_three_distinct_headlines_per_issue_from_the_period(week):
    per_topic = week.stories.groupby("topic_id")
    assert per_topic.size().max() == 3
    assert week.stories["day"].between(*WEEK).all()
    assert not per_topic["title"].apply(lambda t: t.duplicated().any()).any()
    burst = week.stories.loc[week.stories["topic_id"] == THEMES.index(PLANTED.burst.theme)]
    assert len(burst) == 3 and burst["url"].str.startswith("https://").all()


def test_a_region_briefs_on_its_regencies(store):
    banten = briefing(store, start=WEEK[0], end=WEEK[1], region="36")
    assert banten.places["code"].str.startswith("36.").all()
    assert banten.totals["provinces_now"] == 1
    assert "Wilayah: Banten" in banten.facts


@pytest.mark.parametrize(
    ("period", "as_of", "days"),
    [
        ("7d", "2025-10-16", ("2025-10-10", "2025-10-16")),
        ("30d", "2025-10-16 23:30", ("2025-09-17", "2025-10-16")),
        ("2025-10-01:2025-10-07", None, ("2025-10-01", "2025-10-07")),
    ],
)
def test_periods(period, as_of, days):
    assert period_days(period, as_of) == tuple(map(pd.Timestamp, days))


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("7x", "period must look like 7d, 30d or 2025-10-01:2025-10-07, not '7x'"),
        ("0d", "a period runs from 1 to 366 days, not 0"),
        ("2025-02-30:2025-03-01", "'2025-02-30' is not a date such as 2025-10-16"),
        ("2025-10-07:2025-10-01", "the period ends (2025-10-01) before it starts (2025-10-07)"),
    ],
)
def test_bad_periods_say_why(period, message):
    with pytest.raises(ReportError) as raised:
        period_days(period, "2025-10-16")
    assert str(raised.value) == message


def test_user_errors_about_region_language_format_and_build(store, tmp_path):
    with pytest.raises(ReportError, match="unknown region code '99'"):
        briefing(store, start=WEEK[0], end=WEEK[1], region="99")
    with pytest.raises(ReportError, match="language must be one of id, en, not 'fr'"):
        briefing(store, start=WEEK[0], end=WEEK[1], lang="fr")
    with pytest.raises(ReportError, match="format must be one of pptx, html, pdf, not 'doc'"):
        briefing_bytes(store, "doc", start=WEEK[0], end=WEEK[1])
    with pytest.raises(ReportError, match="has no topic build yet"):
        briefing(Store(tmp_path / "empty"), start=WEEK[0], end=WEEK[1])

    assert safe_url(" https://a.example.id/x ") == "https://a.example.id/x"
    assert [safe_url(u) for u in ("javascript:alert(1)", "data:text/html,x", None, "")] == [
        None
    ] * 4


# -- PowerPoint --------------------------------------------------------------------------------------


def test_deck_has_one_slide_per_section_and_issue(week, deck):
    issues = week.stories["topic_id"].nunique()
    assert len(deck.slides) == 6 + issues + 1
    assert deck.slide_width * 9 == deck.slide_height * 16
    kickers = [_slide_text(s).split("\n")[0] for s in list(deck.slides)[1:6]]
    assert kickers == [
        "RINGKASAN",
        "ISU UTAMA",
        "PORSI LIPUTAN DARI WAKTU KE WAKTU",
        "TOPIK YANG MENCUAT",
        "ASAL LIPUTAN",
    ]
    assert "DATA CONTOH SINTETIS" in _slide_text(deck.slides[0])
    assert week.headlines["summary"] in _slide_text(deck.slides[1])


def test_deck_charts_are_native_with_the_briefing_numbers(week, deck):
    (topics,) = _charts(deck.slides[2])
    assert topics.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert list(topics.plots[0].categories) == [capitalised(t) for t in week.topics["label"]]
    now, before = topics.plots[0].series
    assert (now.name, before.name) == ("Minggu ini", "Minggu sebelumnya")
    assert list(now.values) == week.topics["count_now"].tolist()
    assert list(before.values) == week.topics["count_before"].tolist()
    (shares,) = _charts(deck.slides[3])
    assert shares.chart_type == XL_CHART_TYPE.LINE_MARKERS
    assert len(shares.plots[0].categories) == 14  # days of both weeks
    axis = shares.value_axis  # ticks that read apart, up to the highest share
    top, step = axis.maximum_scale, axis.major_unit
    assert axis.minimum_scale == 0 and top >= week.shares["share"].max()
    decimals = axis.tick_labels.number_format.count("0") - 1
    ticks = [f"{i * step:.{decimals}%}" for i in range(round(top / step) + 1)]
    assert len(set(ticks)) == len(ticks) >= 2
    (places,) = _charts(deck.slides[5])
    assert list(places.plots[0].categories) == week.places["name"].tolist()
    assert list(places.plots[0].series[0].values) == week.places["count_now"].tolist()
    assert not any(shape.shape_type == 13 for shape in deck.slides[5].shapes)  # no picture


def test_issue_slides_link_their_headlines(week, deck):
    issue_slides = list(deck.slides)[6:-1]
    links = [
        (run.text, run.hyperlink.address)
        for slide in issue_slides
        for shape in slide.shapes
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
        for run in paragraph.runs
        if run.hyperlink.address
    ]
    assert links == list(zip(week.stories["title"], week.stories["url"], strict=True))


def test_deck_says_why_the_map_is_missing(week, monkeypatch):
    def no_browser(_):
        raise BrowserMissing("Chromium is not installed")

    monkeypatch.setattr(report_pptx, "map_picture", no_browser)
    deck = Presentation(io.BytesIO(briefing_pptx(week)))
    assert "Peta tidak disertakan: Chromium is not installed" in _slide_text(deck.slides[5])


def test_english_deck(store):
    english = briefing(store, start=WEEK[0], end=WEEK[1], lang="en")
    deck = Presentation(io.BytesIO(briefing_pptx(english, with_map=False)))
    assert _slide_text(deck.slides[2]).startswith(f"TOP ISSUES\n{BURST} led with ")
    assert "SYNTHETIC SAMPLE DATA" in _slide_text(deck.slides[0])
    assert english.emerging["status"].tolist() == ["rising"]


# -- HTML --------------------------------------------------------------------------------------------


def test_html_is_self_contained_and_escapes_article_text(week):
    hostile = dataclasses.replace(
        week,
        stories=week.stories.assign(
            title=["<script>alert('x')</script> Banjir & longsor"]
            + week.stories["title"].tolist()[1:],
            url=["javascript:alert(1)"] + week.stories["url"].tolist()[1:],
        ).assign(url=lambda f: f["url"].map(safe_url)),
        topics=week.topics.assign(
            label=["<img src=x onerror=alert(1)>"] + week.topics["label"].tolist()[1:]
        ),
    )
    page = briefing_html(hostile)
    assert not re.search(r"<script[^>]*\bsrc=", page)
    markup = re.sub(r"<script\b.*?</script>", "", page, flags=re.DOTALL)
    assert not re.search(r"""\b(src|href)=["']?(https?:)?//(?!\S*example\.id/)""", markup)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Banjir &amp; longsor" in page
    assert "<script>alert(" not in page and "javascript:alert" not in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.count("Plotly.newPlot") == 3  # topics, shares, map; plotly.js inlined once
    for _, story in week.stories.iloc[1:].iterrows():
        assert f'href="{story["url"]}"' in page


def test_html_speaks_english_when_asked(store):
    page = briefing_html(briefing(store, start=WEEK[0], end=WEEK[1], lang="en"))
    assert '<html lang="en">' in page
    for heading in (
        "Top issues",
        "Emerging topics",
        "Where coverage came from",
        "How to read this",
    ):
        assert heading in page
    assert "Isu utama" not in page


# -- command line ------------------------------------------------------------------------------------


def test_cli_writes_the_deck_and_says_where(store, tmp_path, capsys):
    out = tmp_path / "briefing" / "minggu.pptx"
    code = main(
        [
            "report",
            "--store",
            str(store.path),
            "--as-of",
            str(AS_OF.date()),
            "--no-map",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert capsys.readouterr().out == f"wrote {out.resolve()}\n"
    assert len(Presentation(str(out)).slides) >= 8


def test_cli_rejects_a_bad_period_with_exit_2(store, tmp_path, capsys):
    out = tmp_path / "b.html"
    code = main(["report", "--store", str(store.path), "--period", "7 days", "--out", str(out)])
    assert code == 2
    assert capsys.readouterr().err == (
        "error: period must look like 7d, 30d or 2025-10-01:2025-10-07, not '7 days'\n"
    )
    assert not out.exists()


def test_write_report_defaults_to_the_latest_article_day(store, tmp_path):
    path = write_report(store, tmp_path / "b.html", period="2d")
    latest = wib_days(store.articles(["published_at"])["published_at"].dropna()).max()
    span = span_text(latest - pd.Timedelta(days=1), latest, "id")
    assert f"<h1>Briefing 2 hari · {span}</h1>" in path.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.skipif(browser() is None, reason="needs Chromium")
def test_pdf_is_printed_with_the_map_picture(store, tmp_path):
    path = write_report(store, tmp_path / "b.pdf", as_of=AS_OF)
    assert path.read_bytes().startswith(b"%PDF")
    assert path.stat().st_size > 50_000  # the map picture is in it


@pytest.mark.slow
def test_a_real_topic_build_gives_a_deck(tmp_path):
    from analysis.topics.build import build_store
    from analysis.topics.settings import TopicSettings

    store = Store(tmp_path / "store")
    ingest_paths(write_sample(tmp_path / "raw", n_articles=1_500), store)
    build_store(store, embedding="tfidf", settings=TopicSettings(reducer="pca"))
    made = briefing(store, start=WEEK[0] - pd.Timedelta(days=23), end=WEEK[1], lang="en")
    deck = Presentation(io.BytesIO(briefing_pptx(made, with_map=False)))
    (topics,) = _charts(deck.slides[2])
    assert list(topics.plots[0].categories) == [capitalised(t) for t in made.topics["label"]]
    assert made.topics["count_now"].sum() > 0 and len(made.stories) > 0


# -- headlines without a URL -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def unlinked(week) -> object:
    """The week with its first headline from a file without URLs (as pandas reads it: NaN)."""
    urls = pd.Series([None, *week.stories["url"].iloc[1:]], dtype="str")
    assert urls.isna().iloc[0]
    return dataclasses.replace(week, stories=week.stories.assign(url=urls))


def test_a_deck_shows_a_headline_without_url_as_plain_text(unlinked):
    deck = Presentation(io.BytesIO(briefing_pptx(unlinked, with_map=False)))
    runs = {
        run.text: run.hyperlink.address
        for slide in list(deck.slides)[6:-1]
        for shape in slide.shapes
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
        for run in paragraph.runs
    }
    first, *rest = unlinked.stories.itertuples()
    assert runs[first.title] is None
    assert [runs[story.title] for story in rest] == [story.url for story in rest]


def test_a_page_shows_a_headline_without_url_as_plain_text(unlinked):
    page = briefing_html(unlinked)
    assert 'href="nan"' not in page and 'href="None"' not in page
    first = unlinked.stories.iloc[0]
    assert f"<li>{first['title']} <span" in page


@pytest.mark.slow
@pytest.mark.skipif(browser() is None, reason="needs Chromium")
def test_a_pdf_prints_a_headline_without_url(unlinked):
    assert briefing_pdf(unlinked).startswith(b"%PDF")


def test_map_has_a_bubble_per_placed_province_and_says_how_many_articles_have_a_place(week):
    fig = map_figure(week)
    area, bubbles = fig.data
    assert bubbles.type == "scattermap"
    placed = week.map.loc[week.map["articles"] > 0]
    assert sorted(bubbles.text) == sorted(placed["name"])
    biggest = placed.loc[placed["articles"].idxmax(), "name"]
    sizes = dict(zip(bubbles.text, bubbles.marker.size, strict=True))
    assert max(sizes.values()) == sizes[biggest]
    note = f"dari {week.totals['articles_now']:,}".replace(",", ".")
    assert note in placed_note(week) and placed_note(week) in briefing_html(week)
    assert fig.layout.separators == ",."


def test_share_axis_ticks_read_apart(week):
    axis = shares_figure(week).layout.yaxis
    step, top = axis.dtick, axis.range[1]
    ticks = [f"{i * step:{axis.tickformat}}" for i in range(int(top / step + 1e-9) + 1)]
    assert len(ticks) >= 2 and len(set(ticks)) == len(ticks)
    assert week.shares["share"].max() <= top
