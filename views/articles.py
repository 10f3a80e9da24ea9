"""Articles: full-text search with filters, a results table with links, an article, a document map."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from analysis.dashboard import charts, panels
from analysis.dashboard.filters import article_mask
from analysis.i18n import ui
from analysis.trends.query import parse_query
from data.spreadsheet import csv_bytes
from views import controls, loading
from views.common import (
    Context,
    article_rows,
    article_table,
    chart,
    context,
    empty_state,
    escaped,
    t,
)

SHOWN = 1_000
MAP_POINTS = 20_000
MAP_GROUPS = 8


def search_controls(ctx: Context) -> tuple[str, int | None]:
    """Keyword query and topic filter of the search."""
    left, right = st.columns([3, 2])
    controls.seed("art_q", "search", "", str)
    query = left.text_input(
        t("search"),
        key="art_q",
        placeholder=t("search_hint"),
        help=t("query_help"),
        icon=":material/search:",
    )
    controls.keep("search", query.strip())
    topic = None
    if ctx.corpus.has_build:
        topic = controls.topic_choice(
            ctx.view, "art_topic", "atopic", t("col_topic"), t("all_topics"), where=right
        )
    return query.strip(), topic


def results(ctx: Context, query: str, topic: int | None) -> pd.DataFrame | None:
    """The filtered articles, newest first (None when the query is malformed)."""
    articles = ctx.view.articles
    mask = article_mask(articles, ctx.filters)
    if topic is not None:
        mask = mask & (articles["topic_id"] == topic).to_numpy()
    if query:
        try:
            parse_query(query)
        except ValueError as exc:
            st.warning(t("query_error", query=query, reason=str(exc)))
            return None
        with st.spinner(t("query_running")):
            ids = loading.query_ids(str(ctx.store.path), ctx.corpus.version, query)
        mask = mask & articles["article_id"].isin(ids).to_numpy()
    return articles.loc[mask].sort_values("published_at", ascending=False)


def opened_article(ctx: Context, picked: str | None) -> pd.Series | None:
    """The article read below the table: the row picked, else the one in the URL (?article=ID,
    so a copied link opens it again); None when neither is."""
    articles = ctx.view.articles

    def known(raw: str) -> str:
        if not (articles["article_id"] == raw).any():
            raise KeyError(raw)
        return raw

    opened = controls.selection_kept("art_open", "article", picked, known)
    if opened is None:
        return None
    return articles.loc[articles["article_id"] == opened].iloc[0]


def detail(ctx: Context, article: pd.Series) -> None:
    """One article: title, where and when, topic, the cleaned text and a link to the original."""
    with st.spinner(t("loading")):
        texts = loading.texts(str(ctx.store.path), ctx.corpus.version)
    body = texts.loc[texts["article_id"] == article["article_id"], "text"]
    with st.container(border=True):
        st.markdown(f"### {escaped(article['title'])}")
        when = (
            ui.format_day(article["published_at"], ctx.lang)
            if pd.notna(article["published_at"])
            else t("undated")
        )
        place = article["regency"] if pd.notna(article["regency"]) else article["province"]
        st.caption(
            " · ".join(
                str(part)
                for part in (when, article["source"], place, article["topic_label"])
                if part is not None and not (isinstance(part, float) and np.isnan(part))
            )
        )
        text = body.iloc[0].split("\n", 1)[-1] if len(body) else ""
        for paragraph in [p for p in text.split("\n") if p.strip()]:
            st.text(paragraph)
        if isinstance(article["url"], str) and article["url"].startswith(("http://", "https://")):
            st.link_button(t("open_original"), article["url"], icon=":material/open_in_new:")


def doc_map(ctx: Context, found: pd.DataFrame) -> None:
    """The found articles on the build's 2-D map of documents, coloured by topic."""
    if not ctx.corpus.has_build:
        return
    st.subheader(t("doc_map_title"))
    other = ui.chart_labels(ctx.lang)["other"]
    doc_map, articles = ctx.corpus.tables["doc_map"], ctx.view.articles
    points = panels.doc_map_points(
        doc_map, found, ctx.view.topics, MAP_POINTS, MAP_GROUPS, other=other
    )
    rest = articles.loc[
        article_mask(articles, ctx.filters) & ~articles["article_id"].isin(found["article_id"])
    ]
    room = MAP_POINTS - len(points)
    if room > 0 and len(rest):
        context = panels.doc_map_points(doc_map, rest, ctx.view.topics, room, 0, other=other)
        points = pd.concat([context, points], ignore_index=True)
    if points.empty:
        empty_state("doc_map_empty")
        return
    fig = charts.doc_map_figure(points, labels=ui.chart_labels(ctx.lang))
    chart(fig, "doc_map", name="document-map")
    sampled = len(points) < len(found)
    st.caption(
        t("doc_map_caption") + (" " + t("doc_map_sampled", n=len(points)) if sampled else "")
    )


def render(ctx: Context) -> None:
    """The articles page."""
    st.title(t("page_articles"))
    query, topic = search_controls(ctx)
    found = results(ctx, query, topic)
    if found is None:
        return
    if found.empty:
        empty_state("search_empty")
        return
    st.caption(
        t("search_count", n=ui.format_number(len(found), ctx.lang), shown=min(SHOWN, len(found)))
    )
    shown = found.head(SHOWN)
    event = article_table(shown, "article_results", select=True, height=380)
    st.download_button(
        t("download_csv"),
        csv_bytes(article_rows(found)),
        file_name="sorotan-articles.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
    rows = event.selection.rows if event else []
    picked = str(shown["article_id"].iloc[rows[0]]) if rows else None
    opened = opened_article(ctx, picked)
    if opened is not None:
        detail(ctx, opened)
    else:
        st.caption(t("article_pick_hint"))
    doc_map(ctx, found)


if __name__ == "__main__":
    render(context())
