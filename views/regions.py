"""Regions: a map of coverage or of one topic's share, regencies, and a region's story angles."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from analysis.dashboard import charts, panels
from analysis.dashboard.places import (
    map_centres,
    map_shapes,
    place_name,
    placed_counts,
    placed_sentence,
    province_names,
)
from analysis.i18n import ui
from analysis.trends.angles import region_angles
from views import controls, drill
from views.common import Context, chart, context, empty_state, escaped, t

ANGLES_SHOWN = 6
ANGLES_LESS = 3
REGENCIES_SHOWN = 15


def _pick_from_map() -> None:
    """A click on a province, or on its bubble, selects it."""
    points = st.session_state["region_map"]["selection"]["points"]
    if points:
        point = points[0]
        feature = point.get("location") or (point.get("customdata") or [None] * 4)[3]
        code = drill.province_of_feature(str(feature))
        if code:
            st.session_state["region_prov"] = code
            st.session_state["region_reg"] = ""


def pickers(ctx: Context) -> tuple[str, int | None]:
    """What the map shows: articles, or the share of one topic."""
    measure = controls.measure_choice("region_measure", ["articles", "share"], "map_measure")
    topic = None
    if measure == "share" and ctx.corpus.has_build:
        ids = ctx.view.visible_topics()["topic_id"].tolist()
        topic = controls.kept_choice(
            "region_topic",
            "rtopic",
            ids,
            t("map_topic"),
            ctx.view.label_of,
            initial=ids[0] if ids else None,
            parse=int,
        )
    return measure or "articles", topic


def region_choice(ctx: Context) -> tuple[str, str]:
    """Province and regency to describe (seeded by the global filter or the URL)."""
    articles = ctx.corpus.articles
    present = sorted(articles["province_code"].dropna().unique().tolist())
    names = province_names()
    left, right = st.columns(2)
    province = controls.kept_choice(
        "region_prov",
        "region",
        ["", *present],
        t("province"),
        lambda c: names.get(c, c) if c else t("pick_region"),
        initial=ctx.filters.province_code or "",
        where=left,
    )
    regency = ""
    if province:
        regency = controls.regency_choice(
            articles,
            province,
            "region_reg",
            "rreg",
            initial=ctx.filters.regency_code or "",
            where=right,
        )
    return province, regency


def country_map(ctx: Context, measure: str, topic: int | None) -> None:
    """The province map of the period (all places, whatever the place filter), with bubbles for
    small provinces and how many of the period's articles have a place at all."""
    unplaced = replace(ctx.filters, province_code=None, regency_code=None)
    values = panels.map_values(panels.place_volume(ctx.view.cube, unplaced, topic))
    if values.empty:
        empty_state("no_places")
        return
    fig = charts.province_map_figure(
        values,
        map_shapes(),
        centres=map_centres(),
        measure=measure,
        labels=ui.chart_labels(ctx.lang),
        height=400,
    )
    chart(fig, "region_map", name="map", on_select=_pick_from_map)
    placed = placed_sentence(*placed_counts(ctx.view.cube, unplaced), ctx.lang)
    st.caption(f"{placed} {t('map_bubbles')} {t('map_caption')}")


def regencies(ctx: Context, province: str, measure: str, topic: int | None) -> None:
    """Regencies of the province (or of the country) by articles or by the topic's share."""
    scoped = replace(ctx.filters, province_code=province or None, regency_code=None)
    table = panels.place_volume(ctx.view.cube, scoped, topic, "regency_code")
    value = "share" if measure == "share" and topic is not None else "articles"
    table = table.sort_values(value, ascending=False).head(REGENCIES_SHOWN)
    st.subheader(t("regencies_title", place=place_name(province or None, None) or t("indonesia")))
    if table.empty:
        empty_state("no_places")
        return
    left, right = st.columns([3, 2], gap="large")
    with left:
        fig = charts.bar_figure(
            table["name"],
            table[value],
            percent=value == "share",
            axis_title=t("map_measure_share" if value == "share" else "col_articles"),
            labels=ui.chart_labels(ctx.lang),
        )
        chart(fig, "region_regencies", name="regencies")
    with right:
        columns = (
            ["name", "articles", "total", "share"] if topic is not None else ["name", "articles"]
        )
        st.dataframe(
            table[columns],
            hide_index=True,
            column_config={
                "name": t("col_place"),
                "articles": st.column_config.NumberColumn(
                    t("col_topic_articles") if topic is not None else t("col_articles"),
                    format="localized",
                ),
                "total": st.column_config.NumberColumn(t("col_all_articles"), format="localized"),
                "share": st.column_config.NumberColumn(t("col_share"), format="percent"),
            },
        )


def angles(ctx: Context, province: str, regency: str) -> None:
    """Story angles: topics the region covers more (or less) than the rest of the country."""
    name = place_name(province or None, regency or None)
    st.subheader(t("angles_title", place=name))
    if not ctx.corpus.has_build:
        empty_state("no_build_yet")
        return
    try:
        table = region_angles(
            ctx.view.cube,
            province_code=None if regency else province,
            regency_code=regency or None,
            topics=ctx.view.topics[["topic_id", "label"]],
            start=ctx.filters.start,
            end=ctx.filters.end,
            **ctx.filters.cube_filters(places=False),
        )
    except ValueError:
        empty_state("angles_nothing")
        return
    visible = set(ctx.view.visible_topics()["topic_id"])
    credible = table.loc[table["credible"] & table["topic_id"].isin(visible)]
    if credible.empty:
        empty_state("angles_none")
        return
    more = credible.loc[credible["lift"] >= 1].head(ANGLES_SHOWN)
    less = credible.loc[credible["lift"] < 1].tail(ANGLES_LESS)
    words, picture = st.columns([1, 1], gap="large")
    with words:
        for row in pd.concat([more, less]).itertuples():
            sentence = panels.angle_sentence(getattr(row, f"explanation_{ctx.lang}"))
            st.markdown(f"- {escaped(sentence)}")
        st.caption(t("angles_caption"))
    with picture:
        fig = charts.angles_figure(pd.concat([more, less]), labels=ui.chart_labels(ctx.lang))
        chart(fig, "region_angles", name="angles")


def timeline(ctx: Context, province: str, regency: str) -> None:
    """The region's articles over time; a click opens that period's articles and words."""
    series = f"r:{regency}" if regency else f"p:{province}"
    filters = replace(ctx.filters, province_code=province, regency_code=regency or None)
    volume = panels.volume_in_period(ctx.view.cube, filters, ctx.as_of)
    st.subheader(t("region_timeline"))
    if volume.empty:
        empty_state("empty_period")
        return
    fig = charts.volume_figure(
        volume,
        labels=ui.chart_labels(ctx.lang),
        series=series,
        months=ui.MONTHS[ctx.lang],
        span=(ctx.filters.start, ctx.filters.end),
    )
    event = chart(fig, "region_timeline", name="region-timeline", select=True)
    drill.below(ctx, event, "region_timeline")


def render(ctx: Context) -> None:
    """The regions page."""
    st.title(t("page_regions"))
    st.caption(t("regions_intro"))
    measure, topic = pickers(ctx)
    country_map(ctx, measure, topic)
    province, regency = region_choice(ctx)
    if province:
        st.page_link(
            drill.ARTICLES_PAGE,
            label=t("region_articles", place=place_name(province, regency or None)),
            icon=":material/article:",
            query_params=drill.articles_params(province=province, regency=regency),
        )
    regencies(ctx, province, measure, topic)
    if not province:
        empty_state("pick_region_hint")
        return
    angles(ctx, province, regency)
    timeline(ctx, province, regency)


if __name__ == "__main__":
    render(context())
