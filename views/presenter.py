"""Presenter view: no sidebar, large type, one chart per slide under a plain-language headline."""

from __future__ import annotations

import streamlit as st

from analysis.dashboard import charts, panels
from analysis.dashboard.places import map_centres, map_shapes
from analysis.dashboard.slides import Slide, baseline_share, presenter_slides, rising_window
from analysis.i18n import ui
from views import controls, drill
from views.common import Context, chart, collection_banner, context, empty_state, escaped, t

#: Constant CSS only (never user text): hide the sidebar and Streamlit's chrome, enlarge type.
PRESENTER_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] {
  display: none !important;
}
.block-container, [data-testid="stMainBlockContainer"] {
  padding-top: 1.5rem !important; max-width: 1500px;
}
[data-testid="stMain"] h1 { font-size: 3.1rem !important; line-height: 1.15; letter-spacing: -0.01em; }
[data-testid="stMain"] h3 { font-size: 1.6rem !important; font-weight: 400; color: #57534e; }
[data-testid="stMain"] p, [data-testid="stMain"] button p { font-size: 1.25rem !important; }
</style>
"""
FONT_SIZE = 18
HEIGHT = 540


def _move(step: int, count: int) -> None:
    """Go to the previous or next slide."""
    st.session_state["slide_index"] = min(max(st.session_state["slide_index"] + step, 1), count)


def _stop() -> None:
    """Leave the presenter view."""
    controls.set_presenting(False)


def _start() -> None:
    """Enter the presenter view."""
    controls.set_presenting(True)


def slide_chart(ctx: Context, slide: Slide, number: int) -> None:
    """The one chart of a slide, in large type."""
    labels, months = ui.chart_labels(ctx.lang), ui.MONTHS[ctx.lang]
    cube, filters = ctx.view.cube, ctx.filters
    name = f"slide-{number}"
    if slide.kind == "volume":
        volume = panels.volume_in_period(cube, filters, ctx.as_of)
        fig = charts.volume_figure(
            volume,
            labels=labels,
            height=HEIGHT,
            font_size=FONT_SIZE,
            months=months,
            span=(filters.start, filters.end),
        )
    elif slide.kind == "rising":
        window = rising_window(filters)
        shares = panels.series_shares(
            cube, window, {slide.topic_id: ctx.view.label_of(slide.topic_id)}, {}, ctx.as_of
        )
        fig = charts.share_figure(
            shares,
            labels=labels,
            height=HEIGHT,
            font_size=FONT_SIZE,
            months=months,
            span=(window.start, window.end),
            reference=baseline_share(cube, filters, slide.topic_id, slide.baseline_days),
            band=False,
        )
    elif slide.kind == "top":
        top = panels.top_topics(cube, ctx.view.visible_topics(), filters, 8)
        fig = charts.topic_bars_figure(top, labels=labels, height=HEIGHT, font_size=FONT_SIZE)
    elif slide.kind == "map":
        values = panels.map_values(panels.place_volume(cube, filters))
        fig = charts.province_map_figure(
            values,
            map_shapes(),
            centres=map_centres(),
            labels=labels,
            height=HEIGHT,
            font_size=FONT_SIZE,
            zoom=4.0,
        )
    else:
        from analysis.trends.angles import region_angles

        table = region_angles(
            cube,
            province_code=slide.province_code,
            topics=ctx.view.topics[["topic_id", "label"]],
            start=filters.start,
            end=filters.end,
            **filters.cube_filters(places=False),
        )
        table = table.loc[table["credible"]].head(8)
        fig = charts.angles_figure(table, labels=labels).update_layout(
            font={"size": FONT_SIZE}, height=HEIGHT
        )
    chart(fig, f"slide_{number}_{slide.kind}", name=name)


def slide_link(slide: Slide, number: int) -> None:
    """A button leaving the presenter view for the articles behind the slide: its topic's, its
    province's, or the period's."""
    if st.button(t("slide_articles"), key=f"slide_articles_{number}", icon=":material/article:"):
        controls.set_presenting(False)
        params = drill.articles_params(
            topic=slide.topic_id,
            province=slide.province_code if slide.kind in ("map", "angle") else None,
        )
        st.switch_page(drill.ARTICLES_PAGE, query_params=params)


def render(ctx: Context) -> None:
    """The presenter page: slides, or an invitation to start them."""
    if not controls.presenting():
        st.title(t("page_presenter"))
        st.markdown(t("presenter_intro"))
        st.button(
            t("presenter_start"), type="primary", on_click=_start, icon=":material/slideshow:"
        )
        return
    st.html(PRESENTER_CSS)
    slides = presenter_slides(ctx.view.cube, ctx.view.visible_topics(), ctx.filters, ctx.lang)
    if not slides:
        empty_state("empty_period")
        return
    controls.seed("slide_index", "slide", 1, int)
    st.session_state["slide_index"] = min(max(int(st.session_state["slide_index"]), 1), len(slides))
    number = st.session_state["slide_index"]
    controls.keep("slide", number, 1)
    slide = slides[number - 1]
    top_left, top_right = st.columns([5, 1], vertical_alignment="center")
    top_left.caption(
        f"Sorotan · {ui.format_range(ctx.filters.start, ctx.filters.end, ctx.lang)}"
        + (f" · {t('synthetic_badge')}" if ctx.synthetic else "")
    )
    top_right.button(t("presenter_exit"), on_click=_stop, icon=":material/close:", width="stretch")
    st.markdown(f"# {escaped(slide.headline)}")
    st.markdown(f"### {escaped(slide.detail)}")
    collection_banner(ctx)
    slide_chart(ctx, slide, number)
    slide_link(slide, number)
    back, where, forward = st.columns([1, 4, 1], vertical_alignment="center")
    back.button(
        t("slide_prev"),
        on_click=_move,
        args=(-1, len(slides)),
        disabled=number == 1,
        icon=":material/arrow_back:",
        width="stretch",
    )
    where.markdown(f"{number} / {len(slides)}", text_alignment="center")
    forward.button(
        t("slide_next"),
        on_click=_move,
        args=(1, len(slides)),
        disabled=number == len(slides),
        icon=":material/arrow_forward:",
        width="stretch",
    )


if __name__ == "__main__":
    render(context())
