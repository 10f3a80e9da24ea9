"""Articles: ranked full-text search with filters, the best matches with their words marked, the
top words and outlets of the matches, a results table with links, an article, a document map."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from analysis.dashboard import charts, panels
from analysis.dashboard.corpus import SHOWN_FIELDS, with_wide
from analysis.dashboard.filters import article_mask
from analysis.dashboard.focus import search_where
from analysis.i18n import ui
from analysis.trends.search import SearchError, parsed_query
from analysis.trends.snippets import Snippet, marked_words, snippet
from data.search.index import RANK_CAP
from data.spreadsheet import csv_bytes
from data.store import StoreError
from views import controls, focus, loading
from views.common import (
    Context,
    article_table,
    chart,
    context,
    empty_state,
    escaped,
    listing_rows,
    t,
)

SHOWN = 1_000
BEST = 10
ORDERS = ("relevance", "date")
MAP_POINTS = 20_000
MAP_GROUPS = 8


def search_controls(ctx: Context) -> tuple[str, int | None, str]:
    """Keyword query, topic filter and order (relevance or date) of the search."""
    left, middle, right = st.columns([3, 2, 1])
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
            ctx.view, "art_topic", "atopic", t("col_topic"), t("all_topics"), where=middle
        )
    key = f"art_order_{ctx.lang}"  # a widget per language, so its options read in the one shown
    controls.seed(key, "order", ORDERS[0], lambda v: ORDERS[ORDERS.index(v)])
    order = right.selectbox(
        t("search_sort"),
        ORDERS,
        key=key,
        format_func=lambda o: t(f"search_sort_{o}"),
        disabled=not query.strip(),
    )
    controls.keep("order", order, ORDERS[0])
    return query.strip(), topic, order


def ranked(ctx: Context, query: str) -> pd.DataFrame | None:
    """article_id and score of the query's matches within the filters, best first (None, with a
    warning, when the query cannot be searched for)."""
    try:
        parsed = parsed_query(query)
        with st.spinner(t("query_running")):
            scores, total = loading.search_scores(
                str(ctx.store.path), ctx.corpus.version, query, search_where(ctx.filters)
            )
    except (SearchError, StoreError) as exc:
        st.warning(t("query_error", query=query, reason=str(exc)))
        return None
    if parsed.as_words:
        st.caption(t("search_as_words"))
    if total > len(scores):
        st.caption(
            t(
                "search_capped",
                total=ui.format_number(total, ctx.lang),
                cap=ui.format_number(RANK_CAP, ctx.lang),
            )
        )
    return scores


def results(ctx: Context, query: str, topic: int | None, order: str) -> pd.DataFrame | None:
    """The filtered articles: a query's matches best first (or newest first), else every article
    newest first (None when the query cannot be searched for)."""
    articles = ctx.view.articles
    mask = article_mask(articles, ctx.filters)
    if topic is not None:
        mask = mask & (articles["topic_id"] == topic).to_numpy()
    if not query:
        return articles.loc[mask].sort_values("published_at", ascending=False)
    scores = ranked(ctx, query)
    if scores is None:
        return None
    found = articles.loc[mask].merge(scores, on="article_id")
    if order == "date":
        return found.sort_values("published_at", ascending=False)
    return found.sort_values("score", ascending=False, kind="stable")


def highlighted(text: Snippet) -> str:
    """A snippet as markdown: its words escaped, the marked ones on an orange background."""
    return text.marked(":orange-background[", "]", escaped)


def best_matches(ctx: Context, found: pd.DataFrame, query: str) -> None:
    """The best matches: title and snippet with the query's words marked, when and where."""
    forms = loading.marked_forms(str(ctx.store.path), ctx.corpus.version, query)
    best = with_wide(ctx.store, found.head(BEST), ["title", "text"])
    st.markdown(f"**{t('search_best')}**")
    for article in best.itertuples():
        body = article.text if isinstance(article.text, str) else ""
        when = (
            ui.format_day(article.published_at, ctx.lang)
            if pd.notna(article.published_at)
            else t("undated")
        )
        meta = [when, article.source, article.topic_label]
        with st.container(border=True):
            st.markdown(f"**{highlighted(marked_words(str(article.title), forms))}**")
            st.caption(" · ".join(escaped(m) for m in meta if isinstance(m, str) and m))
            if body.strip():
                st.markdown(highlighted(snippet(body, forms)))


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
    row = articles.loc[articles["article_id"] == opened].head(1)
    return with_wide(ctx.store, row, [*SHOWN_FIELDS, "text"]).iloc[0]


def detail(ctx: Context, article: pd.Series) -> None:
    """One article (read with its text): title, where and when, topic, the cleaned text and a
    link to the original."""
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
        text = article["text"] if isinstance(article["text"], str) else ""
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
    placed = {"other": other, "carried": ("part", "row")}
    points = panels.doc_map_points(
        doc_map, found, ctx.view.topics, MAP_POINTS, MAP_GROUPS, **placed
    )
    rest = articles.loc[
        article_mask(articles, ctx.filters) & ~articles["article_id"].isin(found["article_id"])
    ]
    room = MAP_POINTS - len(points)
    if room > 0 and len(rest):
        context = panels.doc_map_points(doc_map, rest, ctx.view.topics, room, 0, **placed)
        points = pd.concat([context, points], ignore_index=True)
    points = with_wide(ctx.store, points, ["title"])
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
    query, topic, order = search_controls(ctx)
    found = results(ctx, query, topic, order)
    if found is None:
        return
    if found.empty:
        empty_state("search_empty")
        return
    count = ui.format_number(len(found), ctx.lang)
    if query and order == "relevance":
        st.caption(t("search_ranked_count", n=count, shown=min(SHOWN, len(found))))
    else:
        st.caption(t("search_count", n=count, shown=min(SHOWN, len(found))))
    if query:
        left, right = st.columns([3, 2], gap="large")
        with left:
            best_matches(ctx, found, query)
        with right:
            members = ctx.view.articles["article_id"].isin(found["article_id"]).to_numpy()
            focus.render(ctx, members, f"q:{query}:{topic}")
    shown = found.head(SHOWN)
    event = article_table(shown, "article_results", select=True, height=380)
    st.download_button(
        t("download_csv"),
        lambda: csv_bytes(listing_rows(found)),
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
