"""Trends: up to eight topics or keyword queries on one chart; a click opens that period below."""

from __future__ import annotations

import streamlit as st

from analysis.dashboard import panels
from analysis.trends.query import parse_query
from views import controls, drill, loading
from views.common import (
    Context,
    collection_banner,
    context,
    empty_periods_caption,
    empty_state,
    t,
)

MAX_SERIES = 8
DEFAULT_TOPICS = 3


def chosen_topics(ctx: Context) -> list[int]:
    """The topic picker (defaults to the period's biggest topics)."""
    visible = ctx.view.visible_topics()
    ids = visible["topic_id"].tolist()
    top = panels.top_topics(ctx.view.cube, visible, ctx.filters, DEFAULT_TOPICS)
    default = [int(i) for i in top["topic_id"]]
    controls.seed("trend_topics", "topics", default, lambda raw: [int(i) for i in raw])
    st.session_state["trend_topics"] = [i for i in st.session_state["trend_topics"] if i in ids]
    picked = st.multiselect(
        t("trend_topics"),
        ids,
        key="trend_topics",
        format_func=ctx.view.label_of,
        max_selections=MAX_SERIES,
        placeholder=t("trend_topics_hint"),
    )
    controls.keep("topics", picked, default)
    return picked


def chosen_queries(room: int) -> list[str]:
    """Keyword queries, one per line; malformed ones are explained and left out."""
    controls.seed("trend_queries", "q", [], list)
    if isinstance(st.session_state["trend_queries"], list):
        st.session_state["trend_queries"] = "\n".join(st.session_state["trend_queries"])
    raw = st.text_area(
        t("trend_queries"),
        key="trend_queries",
        placeholder=t("trend_queries_hint"),
        help=t("query_help"),
        height=90,
    )
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    controls.keep("q", lines, [])
    queries = []
    for line in lines:
        try:
            parse_query(line)
        except ValueError as exc:
            st.warning(t("query_error", query=line, reason=str(exc)))
            continue
        queries.append(line)
    if len(queries) > room:
        st.warning(t("too_many_series", n=MAX_SERIES))
    return queries[: max(room, 0)]


def render(ctx: Context) -> None:
    """The trends page."""
    st.title(t("page_trends"))
    st.caption(t("trends_intro"))
    collection_banner(ctx)
    left, right = st.columns([3, 2], gap="large")
    with left:
        topics = chosen_topics(ctx) if ctx.corpus.has_build else []
    with right:
        queries = chosen_queries(MAX_SERIES - len(topics))
    if not topics and not queries:
        empty_state("trends_empty")
        return
    with st.spinner(t("query_running")):
        cubes = {q: loading.query_cube(str(ctx.store.path), ctx.corpus.version, q) for q in queries}
    shares = panels.series_shares(
        ctx.view.cube, ctx.filters, {i: ctx.view.label_of(i) for i in topics}, cubes, ctx.as_of
    )
    if shares.empty:
        empty_state("empty_period")
        return
    measure = controls.measure_choice("trend_measure", ["share", "count"], "measure")
    drill.share_chart(ctx, shares, measure, "trend_chart", name="trends", height=460)
    empty = shares.loc[shares["total"] == 0, "period"].drop_duplicates()
    if not empty.empty:
        st.caption(empty_periods_caption(ctx, empty).strip())


if __name__ == "__main__":
    render(context())
