"""Overview: headline figures, volume with gaps, top and emerging topics, a small map.

The landing page: every figure and table is shared by the sessions showing the same view, so a
newsroom opening the dashboard at once waits for one computation, not one each.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.dashboard import charts, panels
from analysis.dashboard.places import map_centres, map_shapes, placed_counts, placed_sentence
from analysis.i18n import ui
from analysis.i18n.phrasing import format_count
from views import drill, report_button, watch_panel
from views.common import (
    Context,
    chart,
    collection_banner,
    context,
    empty_periods_caption,
    empty_state,
    escaped,
    percent_change,
    shared,
    shared_figure,
    t,
)

EMERGING_SHOWN = 5
STATUS_ICONS = {"new": ":material/fiber_new:", "rising": ":material/trending_up:"}


def headline(ctx: Context) -> None:
    """Five headline figures with their change against the period before."""
    figures = shared(ctx, "headline", lambda: panels.headline_figures(ctx.view.cube, ctx.filters))
    place = "regencies" if ctx.filters.province_code else "provinces"
    columns = st.columns(len(figures))
    for column, row in zip(columns, figures.itertuples(), strict=True):
        name = place if row.metric == "places" else row.metric
        delta = percent_change(row.now, row.before) if row.comparable else None
        if not row.comparable and row.before:
            delta = t("collection_grew" if row.now >= row.before else "collection_shrank")
        column.metric(
            t(f"metric_{name}"),
            format_count(row.now, ctx.lang),
            delta,
            delta_color="off" if delta == "±0%" or not row.comparable else "normal",
            delta_arrow="auto" if row.comparable and delta != "±0%" else "off",
            help=t(f"metric_{name}_help"),
            border=True,
        )


def volume_chart(ctx: Context, table: pd.DataFrame) -> go.Figure | None:
    """Articles per period as a chart (None when there are none)."""
    if table.empty:
        return None
    fig = charts.volume_figure(
        table,
        labels=ui.chart_labels(ctx.lang),
        months=ui.MONTHS[ctx.lang],
        span=(ctx.filters.start, ctx.filters.end),
    )
    marks = panels.collection_marks(ctx.view.cube, ctx.filters, ctx.lang)
    return charts.with_collection_marks(fig, marks, t("collection_marks"))


def volume(ctx: Context) -> None:
    """Articles per period with collection gaps flagged; a click opens that period's articles."""
    table = shared(
        ctx, "volume", lambda: panels.volume_in_period(ctx.view.cube, ctx.filters, ctx.as_of)
    )
    fig = shared_figure(ctx, "volume chart", lambda: volume_chart(ctx, table))
    st.subheader(t("volume_title"))
    if fig is None:
        empty_state("empty_period")
        return
    event = chart(fig, "overview_volume", name="volume", select=True)
    gaps = int(table["low_volume"].sum())
    st.caption(
        t("volume_caption")
        + (" " + t("volume_gaps", n=gaps) if gaps else "")
        + empty_periods_caption(ctx, table["period"][table["total"] == 0])
    )
    drill.below(ctx, event, "overview_volume")


def top_chart(ctx: Context, top: pd.DataFrame) -> go.Figure | None:
    """The top topics now against before, as bars (None when the period has none)."""
    return None if top.empty else charts.topic_bars_figure(top, labels=ui.chart_labels(ctx.lang))


def top_and_emerging(ctx: Context) -> None:
    """Top topics now against before, beside the emerging topics in plain words."""
    if not ctx.corpus.has_build:
        empty_state("no_build_yet")
        return
    topics = ctx.view.visible_topics()
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(t("top_topics_title"))
        top = shared(ctx, "top", lambda: panels.top_topics(ctx.view.cube, topics, ctx.filters))
        fig = shared_figure(ctx, "top chart", lambda: top_chart(ctx, top))
        if fig is None:
            empty_state("empty_period")
        else:
            event = chart(fig, "overview_top", name="top-topics", select=True)
            st.caption(t("top_click_hint"))
            drill.open_articles(topic=drill.clicked_topic(event, top))
    with right:
        st.subheader(t("emerging_title"))
        st.caption(t("emerging_caption"))
        table = shared(
            ctx, "emerging", lambda: panels.emerging(ctx.view.cube, topics, ctx.filters, ctx.lang)
        )
        rising = table.loc[table["status"].isin(["new", "rising"])].head(EMERGING_SHOWN)
        if rising.empty:
            empty_state("no_emerging")
        for row in rising.itertuples():
            st.page_link(
                drill.ARTICLES_PAGE,
                label=f"**{escaped(row.topic_label)}**",
                icon=STATUS_ICONS[row.status],
                query_params=drill.articles_params(topic=int(row.topic_id)),
                help=t("emerging_open", label=row.topic_label),
            )
            st.caption(escaped(row.explanation))
            watch_panel.topic_button(ctx, int(row.topic_id))
        watch_panel.region_button(ctx)
        carried(table.loc[table["status"] == "new_source"])


def carried(table: pd.DataFrame) -> None:
    """Rises carried by outlets not collected throughout, left out of the list with a note."""
    if table.empty:
        return
    with st.expander(t("new_source_title", n=len(table)), icon=":material/info:"):
        st.caption(t("new_source_caption"))
        for row in table.head(EMERGING_SHOWN).itertuples():
            st.markdown(f"**{escaped(row.topic_label)}**  \n{escaped(row.explanation)}")


def map_chart(ctx: Context) -> go.Figure | None:
    """Articles per province in the period on a map (None when no article is placed)."""
    values = panels.map_values(panels.place_volume(ctx.view.cube, ctx.filters))
    if values.empty:
        return None
    labels = ui.chart_labels(ctx.lang)
    return charts.province_map_figure(
        values, map_shapes(), centres=map_centres(), labels=labels, height=360
    )


def small_map(ctx: Context) -> None:
    """Articles per province in the period, on a small map."""
    st.subheader(t("map_title"))
    fig = shared_figure(ctx, "map", lambda: map_chart(ctx))
    if fig is None:
        empty_state("no_places")
        return
    event = chart(fig, "overview_map", name="map", select=True)
    placed = placed_sentence(*placed_counts(ctx.view.cube, ctx.filters), ctx.lang)
    st.caption(f"{placed} {t('map_bubbles')} {t('map_click_hint')}")
    drill.open_articles(province=drill.clicked_province(event))


def render(ctx: Context) -> None:
    """The overview page."""
    st.title(t("page_overview"))
    st.caption(
        t("overview_intro", range=ui.format_range(ctx.filters.start, ctx.filters.end, ctx.lang))
    )
    collection_banner(ctx)
    headline(ctx)
    volume(ctx)
    top_and_emerging(ctx)
    small_map(ctx)
    report_button.render(ctx)


if __name__ == "__main__":
    render(context())
