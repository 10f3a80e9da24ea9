"""The dashboard in a real Chromium: every word in the reader's language, nothing asked of any
host but this one, one click from a story to its articles, links that reopen a view, and topic
edits that ask first and can be undone.

One `streamlit run app.py` for the module, over a copy of the fixture store (the topic edits here
must not reach the other tests). Every request the page makes goes through a route that lets
loopback through and records (and refuses) anything else.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from analysis.dashboard.places import province_names, regency_names
from analysis.i18n import ui
from analysis.i18n.strings import strings
from analysis.topics.build_folder import topic_edits
from bench.load import CHROMIUM, CHROMIUM_ARGS, streamlit_server
from data.store import Store
from tests.dashboard_fixture import dashboard_store
from tests.test_browser import EXCEPTION, PAGE_MS, exceptions, settle

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
#: Every page, with a topic open on the topics page and a province on the regions page.
PAGES = {
    "overview": "",
    "topics": "topics?topic={topic}",
    "trends": "trends",
    "regions": "regions?region=36",
    "articles": "articles",
    "data": "data_admin",
    "presenter": "presenter",
    "slides": "?present=1",
}
#: Streamlit's own English words that a page may show (widgets, uploader, empty states).
STREAMLIT_ENGLISH = (
    "Browse files",
    "Drag and drop file",
    "per file",
    "Upload",
    "Choose an option",
    "Choose options",
    "No options to select",
    "No results",
    "Press Enter to apply",
    "Press Enter to submit form",
    "Select all",
    "Download plot",
    "Reset axes",
    "empty",
    "None",
)
PLACEHOLDER = re.compile(r"\{[^}]*\}")
MARKUP = re.compile(r"[*_`#\[\]()\n|]+")
#: The text a reader sees: text nodes of rendered boxes (not icon ligatures, not screen-reader-only
#: links), the values and placeholders of inputs (what a selectbox shows), and the titles of the
#: charts' buttons (shown on hover).
VISIBLE_TEXT = """() => {
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 2 && box.height > 2 && style.visibility !== 'hidden' && style.opacity !== '0';
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!el || el.closest('[data-testid="stIconMaterial"], script, style, noscript')) continue;
    if (walker.currentNode.textContent.trim() && shown(el)) out.push(walker.currentNode.textContent);
  }
  for (const el of document.querySelectorAll('input, textarea')) {
    if (!shown(el)) continue;
    if (el.type !== 'checkbox' && el.value) out.push(el.value);
    else if (el.placeholder) out.push(el.placeholder);
  }
  for (const el of document.querySelectorAll('.modebar-btn[data-title]')) out.push(el.dataset.title);
  return out.join('\\n');
}"""


def fragments(template: str) -> list[str]:
    """The literal runs of a UI string (between its placeholders and markup) worth looking for:
    at least two words or four letters."""
    runs = MARKUP.split(PLACEHOLDER.sub("\n", template))
    pieces = [run.strip(" .,:;!?–—-“”\"'«»/·") for run in runs]
    return [p for p in pieces if len(p.split()) >= 2 or len(p) >= 4]


def foreign_phrases(lang: str) -> set[str]:
    """Phrases of the other language's tables (ui and charts) that this language never uses,
    plus, for Indonesian, Streamlit's own English words. The language switch names each language
    in its own words, and place names are data, so those are no foreign words."""
    other = "en" if lang == "id" else "id"
    tables = [strings("ui"), strings("charts")]
    mine = {v for table in tables for v in table[lang].values()} | set(ui.LANGUAGE_NAMES.values())
    mine_text = "\n".join(mine)
    found = {
        piece
        for table in tables
        for value in table[other].values()
        if value not in mine
        for piece in fragments(value)
        if not contains(mine_text, piece)
    }
    places = {word for name in place_names() for word in name.split()}
    found = {phrase for phrase in found if phrase not in places}  # 'Jawa' in 'Jawa Timur'
    return found | (set(STREAMLIT_ENGLISH) if lang == "id" else set())


def place_names() -> list[str]:
    """The names of every province and regency: data, written alike in both languages."""
    return [*province_names().values(), *regency_names().values()]


def contains(text: str, phrase: str) -> bool:
    """Whether text has phrase as whole words."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def foreign_on_page(text: str, lang: str, data: str = "") -> list[str]:
    """The other language's phrases that the page text contains (as whole words), leaving out
    those the data itself says (a topic named 'Hari Pahlawan' is no untranslated 'Hari')."""
    flat = " ".join(text.split())
    return sorted(
        phrase
        for phrase in foreign_phrases(lang)
        if contains(flat, phrase) and not contains(data, phrase)
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the fixture store, for this module's topic edits."""
    copy = tmp_path_factory.mktemp("paths") / "store"
    shutil.copytree(dashboard_store(tmp_path_factory), copy)
    return copy


@pytest.fixture(scope="module")
def data_text(store: Path) -> str:
    """Everything the store's data may put on a page: titles, outlets, topic names and keywords."""
    import pandas as pd

    from analysis.dashboard.corpus import load_corpus

    corpus = load_corpus(Store(store))
    topics = corpus.tables["topics"]
    parts = [
        *Store(store).articles(["title"])["title"].astype(str),  # the frame holds no titles
        *corpus.articles["source"].dropna().astype(str).unique(),
        *topics["auto_label"].astype(str),
        *topics.get("theme_label", pd.Series(dtype=str)).astype(str),
        *(" ".join(words) for words in topics["keywords"]),
    ]
    return " ".join(" ".join(parts).split())


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[str]:
    """`streamlit run app.py` on the module's store; its base URL."""
    with streamlit_server(store) as base:
        yield base


@pytest.fixture(scope="module")
def outside() -> list[str]:
    """Every request the page tried to send to another host (refused)."""
    return []


@pytest.fixture(scope="module")
def page(server: str, outside: list[str]):
    """A Chromium page of 1400 x 900 pixels whose requests may only reach this machine."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed")

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname in LOCAL_HOSTS:
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 900})
        tab.route("**/*", route)
        yield tab
        browser.close()


@pytest.fixture(scope="module")
def topic(store: Path) -> int:
    """The biggest topic of the store's build."""
    import pandas as pd

    topics = pd.read_parquet(Store(store).current_build() / "topics.parquet")
    return int(
        topics.sort_values(["size", "topic_id"], ascending=[False, True])["topic_id"].iloc[0]
    )


def visit(page, server: str, path: str) -> None:
    """Open path (a fresh session) and wait until the page has settled."""
    page.goto("about:blank")
    page.goto(f"{server}/{path}")
    settle(page)


def visible_text(page) -> str:
    """What the reader sees on the page, sidebar included."""
    return page.evaluate(VISIBLE_TEXT)


def test_the_foreign_word_lists_come_from_the_tables():
    english, indonesian = foreign_phrases("id"), foreign_phrases("en")
    assert {"Biggest topics", "Browse files", "Undo", "Period"} <= english
    assert {"Topik terbesar", "Urungkan"} <= indonesian
    assert "Data" not in english  # a word both languages use is no foreign word
    assert "Javanese" in english and "Jawa" not in indonesian  # a place's word: Jawa Timur
    assert "Biggest topics" in foreign_on_page("Topik terbesar · Biggest topics", "id")
    assert foreign_on_page("Topik terbesar", "id") == []
    assert foreign_on_page("Period", "id") == ["Period"]
    assert foreign_on_page("Period", "id", data="Period of Sail") == []


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_speaks_only_its_language_and_asks_no_other_host(
    page, server, outside, topic, data_text, lang, name
):
    path = PAGES[name].format(topic=topic)
    path += ("&" if "?" in path else "?") + f"ui={lang}"
    outside.clear()
    visit(page, server, path)
    text = visible_text(page)
    assert exceptions(page) == []
    assert len(text) > 100
    assert foreign_on_page(text, lang, data_text) == []
    assert outside == []


def test_switching_the_language_renames_the_sidebar_options(page, server):
    visit(page, server, "")
    page.get_by_text("English", exact=True).click()
    settle(page)
    text = visible_text(page)
    assert {"Last 90 days", "All provinces", "All languages"} <= set(text.split("\n"))
    assert foreign_on_page(text, "en") == []


def test_a_top_topic_bar_opens_its_articles(page, server):
    visit(page, server, "")
    page.locator(".js-plotly-plot .barlayer .point path").first.wait_for(timeout=PAGE_MS)
    bars = page.locator(".js-plotly-plot .barlayer .point path").all()
    bars[-1].click(force=True)  # the top bar: the biggest topic
    page.wait_for_url(re.compile(r"/articles\?.*atopic=\d+"), timeout=PAGE_MS)
    settle(page)
    assert page.locator("h1").first.inner_text() == "Artikel"
    topic = re.search(r"atopic=(\d+)", page.url).group(1)
    rows = page.locator('[data-testid="stDataFrame"]').first
    assert rows.is_visible()
    visit(page, server, f"articles?atopic={topic}")  # the copied link
    assert page.locator('[data-testid="stSelectbox"] input').last.input_value() != "Semua topik"


#: Where big islands lie on the overview's map, as shares of its width and height: Kalimantan,
#: Sumatra, Java, Sulawesi, Papua (a click on a province without articles does nothing).
ISLANDS = [(0.40, 0.35), (0.15, 0.35), (0.36, 0.76), (0.55, 0.45), (0.85, 0.55)]


def test_a_province_on_the_overview_map_opens_its_articles(page, server):
    visit(page, server, "")
    overview = page.url
    shown = page.locator('[data-testid="stPlotlyChart"]').filter(
        has=page.locator(".maplibregl-map")
    )
    shown.scroll_into_view_if_needed()
    page.wait_for_timeout(1_000)  # the map's first frame
    box = shown.bounding_box()
    for x, y in ISLANDS:
        page.mouse.click(box["x"] + box["width"] * x, box["y"] + box["height"] * y)
        page.wait_for_timeout(1_500)
        if page.url != overview:
            break
    page.wait_for_url(re.compile(r"/articles\?prov=\d+"), timeout=PAGE_MS)
    settle(page)
    province = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input').nth(1)
    assert province.input_value() not in ("", "Semua provinsi")
    assert exceptions(page) == []


def test_a_slide_opens_its_articles(page, server):
    visit(page, server, "?present=1&slide=1")
    page.get_by_role("button", name="Lihat artikelnya").click()
    page.wait_for_url(re.compile(r"/articles"), timeout=PAGE_MS)
    settle(page)
    assert page.locator('[data-testid="stSidebar"]').is_visible()  # the presenter view is left
    assert page.locator("h1").first.inner_text() == "Artikel"
    assert "present=1" not in page.url


def test_a_drill_down_and_an_opened_article_are_links(page, server):
    visit(page, server, "trends")
    page.locator(".js-plotly-plot .scatterlayer .points path").first.wait_for(timeout=PAGE_MS)
    points = page.locator(".js-plotly-plot .scatterlayer .points path").all()
    min(points, key=lambda p: p.bounding_box()["y"]).click(force=True)
    settle(page)
    page.get_by_text("Kata khas").wait_for(timeout=PAGE_MS)
    assert "drill=" in page.url
    heading = page.locator("h4").first.inner_text()
    visit(page, server, page.url.split("/", 3)[3])
    page.get_by_text("Kata khas").wait_for(timeout=PAGE_MS)
    assert page.locator("h4").first.inner_text() == heading

    visit(page, server, "articles")
    grid = page.locator('[data-testid="stDataFrame"]').first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 14, box["y"] + 52)  # the first row's selection box
    settle(page)
    page.get_by_text("Buka artikel asli").wait_for(timeout=PAGE_MS)
    assert "article=" in page.url
    title = page.locator("h3").first.inner_text()
    visit(page, server, page.url.split("/", 3)[3])
    page.get_by_text("Buka artikel asli").wait_for(timeout=PAGE_MS)
    assert page.locator("h3").first.inner_text() == title


@pytest.mark.parametrize(
    "path", ["topics?topic=999999", "trends?drill=t999999@2026-10-05", "articles?article=gone"]
)
def test_a_stale_link_says_so(page, server, path):
    visit(page, server, path)
    assert "tidak ada (lagi)" in visible_text(page)
    assert exceptions(page) == []
    assert page.locator(EXCEPTION).count() == 0


def test_merge_asks_naming_both_topics_and_can_be_undone(page, server, store, topic):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    visit(page, server, f"topics?topic={topic}")
    page.get_by_text("Ubah topik").click()
    merge = page.locator('[data-testid="stSelectbox"]').filter(has_text="Gabungkan ke topik")
    merge.wait_for(timeout=PAGE_MS)
    page.wait_for_timeout(500)  # the expander opening
    assert merge.locator("input").input_value() == ""  # nothing chosen by default
    option = page.get_by_role("option").first
    for _ in range(5):  # a rerun under load can close the list the click opened
        merge.locator("input").click()
        try:
            option.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    option.click()
    target = merge.locator("input").input_value()
    page.get_by_role("button", name="Gabungkan", exact=True).click()
    settle(page)
    source = page.locator("h2").first.inner_text()
    question = f"Gabungkan «{source}» ke «{target}»?"
    page.get_by_text(question).wait_for(timeout=PAGE_MS)
    assert topic_edits(Store(store)).merges == {}  # asked, not done
    page.get_by_role("button", name="Ya, gabungkan").click()
    settle(page)
    assert topic in topic_edits(Store(store)).merges
    undo = page.get_by_role("button", name=re.compile("^Urungkan: Gabungkan"))
    undo.click()
    settle(page)
    assert topic_edits(Store(store)).merges == {}
    assert exceptions(page) == []
