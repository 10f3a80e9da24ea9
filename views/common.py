"""What every page shares: the run's context, translated words, charts with downloads, drill-down."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TypeVar

import orjson
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.dashboard import panels
from analysis.dashboard.charts import chart_table, download_config
from analysis.dashboard.corpus import Corpus, View, with_wide
from analysis.dashboard.filters import Filters
from analysis.i18n import ui
from data.spreadsheet import csv_bytes
from data.store import Store
from views import loading

CONTEXT_KEY = "_sorotan_context"
UI_KEY = "ctl_ui"  # the interface language switch
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~=:])")


@dataclass(frozen=True)
class Context:
    """What app.py loaded and chose this run, for the page to draw."""

    store: Store
    corpus: Corpus
    view: View
    filters: Filters
    lang: str
    image_format: str
    synthetic: bool
    as_of: pd.Timestamp
    edits: str  # the topic edits' key (analysis.dashboard.corpus.edits_key): view's identity

    @property
    def view_key(self) -> str:
        """A key naming everything a page's figures depend on: the store and its version, topic
        edits, filters, language and today (periods still open end at midnight)."""
        parts = [str(self.store.path), self.corpus.version, self.edits, asdict(self.filters)]
        return json.dumps([*parts, self.lang, self.as_of.floor("D")], default=str, sort_keys=True)


T = TypeVar("T")


def shared(ctx: Context, name: str, build: Callable[[], T]) -> T:
    """What build returns for this view, built once and shared by every session showing the same
    view (the sessions of a newsroom opening the same page wait for one build); callers must not
    change it."""
    return loading.shared(f"{name} {ctx.view_key}", build)


class FrozenFigure(go.Figure):
    """A finished figure that gives Streamlit a fresh copy of its JSON, written once, instead of
    plotly's deep copy of every trace on every draw (a province map: over 50 ms a session)."""

    def __init__(self, figure: go.Figure) -> None:
        super().__init__(figure)
        self._json = figure.to_json()

    def to_dict(self) -> dict:
        return orjson.loads(self._json)


def shared_figure(
    ctx: Context, name: str, build: Callable[[], go.Figure | None]
) -> go.Figure | None:
    """A figure for this view (None: nothing to draw), built and serialised once for every
    session showing the same view."""

    def frozen() -> FrozenFigure | None:
        figure = build()
        return None if figure is None else FrozenFigure(figure)

    return shared(ctx, name, frozen)


def set_context(context: Context) -> None:
    """Hand this run's context to the page about to run."""
    st.session_state[CONTEXT_KEY] = context


def context() -> Context:
    """This run's context (set by app.py before the page runs)."""
    return st.session_state[CONTEXT_KEY]


def t(key: str, **values: object) -> str:
    """A UI string in the reader's language."""
    return ui.text(key, st.session_state.get(UI_KEY) or "id", **values)


def css_string(text: str) -> str:
    """Text as a quoted CSS string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def streamlit_words(lang: str) -> str:
    """A style sheet putting the interface language's words where Streamlit writes its own English:
    the file uploader's button (its limits and file types are said in the page's own caption) and
    the tooltip of the full-screen button Streamlit adds to every chart."""
    browse = css_string(ui.text("upload_browse", lang))
    fullscreen = css_string(ui.MODEBAR[lang]["Fullscreen"])
    return f"""<style>
[data-testid="stFileUploaderDropzoneInstructions"],
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button [data-has-shortcut]::after {{ content: {browse}; }}
.modebar-btn[data-title="Fullscreen"]::after {{ content: {fullscreen} !important; }}
</style>"""


def escaped(text: object) -> str:
    """Untrusted text made safe to place inside markdown (no links, images, formatting)."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def chart(
    fig: go.Figure,
    key: str,
    *,
    name: str,
    select: bool = False,
    on_select: Callable[[], None] | None = None,
):
    """Draw a figure with PNG/SVG download in its modebar and a CSV of the data it draws below
    it; with select, clicks rerun the page (and the selection is returned); with on_select, a
    click calls it."""
    ctx = context()
    config = download_config(f"sorotan-{name}", ctx.image_format) | ui.plotly_locale(ctx.lang)
    picking = {"on_select": on_select or "rerun", "selection_mode": "points"}
    event = st.plotly_chart(
        fig, key=key, config=config, theme=None, **(picking if select or on_select else {})
    )
    with st.container(horizontal=True, horizontal_alignment="right"):
        st.download_button(
            t("chart_csv"),
            data=lambda: csv_bytes(chart_table(fig)),
            file_name=f"sorotan-{name}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            help=t("chart_csv_help"),
            on_click="ignore",
            type="tertiary",
            icon=":material/download:",
        )
    return event if select else None


def clicked_point(event) -> tuple[str, pd.Timestamp] | None:
    """(series, period) of the point clicked on a time chart (its customdata begins with them),
    None when nothing is selected."""
    if not event:
        return None
    for point in event.selection.get("points", []):
        data = point.get("customdata")
        if data and len(data) >= 2:
            return str(data[0]), pd.Timestamp(data[1])
    return None


def empty_state(key: str, **values: object) -> None:
    """A calm note where a panel has nothing to show, saying what to do."""
    st.info(t(key, **values), icon=":material/info:")


def collection_banner(ctx: Context) -> None:
    """A note on the collection changes behind the period's comparisons, when there are any."""
    note = shared(
        ctx,
        f"collection note {ctx.lang}",
        lambda: panels.collection_changes_note(ctx.view.cube, ctx.filters, ctx.lang),
    )
    if note:
        st.info(note, icon=":material/database:")


def empty_periods_caption(ctx: Context, periods: pd.Series) -> str:
    """' No articles in 4 periods (Apr 2018, Jun 2018, ...): drawn as gaps.' or ''."""
    if periods.empty:
        return ""
    named = [ui.format_period(p, ctx.filters.freq, ctx.lang) for p in periods.head(4)]
    more = ", …" if len(periods) > 4 else ""
    return " " + t("empty_periods", n=len(periods), periods=", ".join(named) + more)


def words_table(words: pd.DataFrame, now: str, before: str, before_help: str | None = None) -> None:
    """Distinctive words with their counts in the chosen articles (now) and the others (before)."""
    st.dataframe(
        words[["term", "count_now", "count_before"]],
        hide_index=True,
        column_config={
            "term": t("col_word"),
            "count_now": st.column_config.NumberColumn(now),
            "count_before": st.column_config.NumberColumn(before, help=before_help),
        },
    )


def percent_change(now: float, before: float) -> str | None:
    """'+12%' style change for st.metric; '±0%' under half a percent; None with nothing before."""
    if not before:
        return None
    change = (now - before) / before
    return "±0%" if abs(change) < 0.005 else f"{change:+.0%}"


class StreamlitProgress:
    """The topic engine's progress protocol shown as a Streamlit progress bar with stage names."""

    def __init__(self, bar) -> None:
        self.bar = bar
        self.name = ""
        self.total: int | None = None
        self.done = 0

    def stage(self, name: str, total: int | None = None) -> None:
        """Start a named stage of total items (unknown: the bar shows the stage only)."""
        self.name, self.total, self.done = name, total, 0
        self.bar.progress(0.0, text=name)

    def advance(self, n: int) -> None:
        """Count n items of the current stage done."""
        self.done += n
        if self.total:
            self.bar.progress(min(1.0, self.done / self.total), text=self.name)


def article_rows(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles as a reader sees them: date (WIB), title, outlet, place, topic, link."""
    published = articles["published_at"].dt.tz_convert("Asia/Jakarta").dt.tz_localize(None)
    return pd.DataFrame(
        {
            "date": published.to_numpy(),
            "title": articles["title"].to_numpy(),
            "source": articles["source"].to_numpy(),
            "place": articles["regency"].fillna(articles["province"]).to_numpy(),
            "topic": articles["topic_label"].to_numpy() if "topic_label" in articles else None,
            "url": articles["url"].to_numpy(),
        }
    )


def listing_rows(articles: pd.DataFrame) -> pd.DataFrame:
    """Rows of the dashboard's narrow article frame as a reader sees them (article_rows), their
    titles, links and places read from the store for these rows only."""
    return article_rows(with_wide(context().store, articles))


def article_table(
    articles: pd.DataFrame, key: str, *, select: bool = False, height: int | str = 320
):
    """A table of articles (rows of the narrow frame) with a link to each original; with select,
    one row can be picked."""
    config = {
        "date": st.column_config.DatetimeColumn(t("col_date"), format="YYYY-MM-DD HH:mm"),
        "title": st.column_config.TextColumn(t("col_title"), width="large"),
        "source": st.column_config.TextColumn(t("col_source")),
        "place": st.column_config.TextColumn(t("col_place")),
        "topic": st.column_config.TextColumn(t("col_topic")),
        "url": st.column_config.LinkColumn(t("col_link"), display_text=t("open_link")),
    }
    rows = listing_rows(articles)
    rows[["place", "topic"]] = rows[["place", "topic"]].fillna("–")  # not Streamlit's "None"
    if select:
        return st.dataframe(
            rows,
            key=key,
            column_config=config,
            hide_index=True,
            height=height,
            on_select="rerun",
            selection_mode="single-row",
        )
    st.dataframe(rows, key=key, column_config=config, hide_index=True, height=height)
    return None
