"""Click-through under a time chart: the clicked period's articles and distinctive words."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import streamlit as st

from analysis.dashboard import charts, panels
from analysis.dashboard.corpus import texts_of
from analysis.dashboard.filters import Filters
from analysis.dashboard.places import place_name
from analysis.i18n import ui
from analysis.trends.share import FEW_ARTICLES, few_articles
from data.regions import provinces
from views import controls, loading
from views.common import (
    Context,
    article_table,
    chart,
    clicked_point,
    escaped,
    shared,
    t,
    words_table,
)

#: Periods before the clicked one that its words are compared with.
BEFORE_PERIODS = 4
SHOWN_ARTICLES = 200
ARTICLES_PAGE = "views/articles.py"
#: A chart series: a topic (t12), a keyword query (q:...), a province (p:36), a regency (r:36.73), all.
SERIES = re.compile(r"t-?\d+|q:.+|[pr]:[\d.]+|all", re.S)


def articles_params(
    *, topic: int | None = None, province: str | None = None, regency: str | None = None
) -> dict[str, str]:
    """The Articles page's URL parameters that list a topic's or a place's articles."""
    chosen = {"atopic": topic, "prov": province, "reg": regency}
    return {param: str(value) for param, value in chosen.items() if value not in (None, "")}


def open_articles(
    *, topic: int | None = None, province: str | None = None, regency: str | None = None
) -> None:
    """Go to the articles of a topic or a place (nothing when neither is given)."""
    params = articles_params(topic=topic, province=province, regency=regency)
    if params:
        st.switch_page(ARTICLES_PAGE, query_params=params)


def clicked_topic(event, top: pd.DataFrame) -> int | None:
    """The topic of the bar clicked on the top topics chart (None when none is)."""
    names = dict(zip(charts.plain(top["topic_label"]), top["topic_id"], strict=True))
    for point in event.selection.get("points", []) if event else []:
        for value in point.get("customdata") or []:
            if isinstance(value, str) and value in names:
                return int(names[value])
    return None


def province_of_feature(feature: str) -> str | None:
    """The province drawn as a map shape (its own code, not a newer province drawn on it)."""
    table = provinces()
    own = table.loc[table["iso_code"] == feature, "province_code"]
    return str(own.iloc[0]) if len(own) else None


def clicked_province(event) -> str | None:
    """The province clicked on a province map (None when none is)."""
    for point in event.selection.get("points", []) if event else []:
        # a shape gives its location; a bubble at a province's centre, its feature in customdata
        feature = point.get("location") or (point.get("customdata") or [None] * 4)[3]
        code = province_of_feature(str(feature))
        if code:
            return code
    return None


def members(ctx: Context, series: str) -> tuple[np.ndarray, Filters, str]:
    """Which articles a chart series stands for, the filters to read them with, and its name."""
    articles = ctx.view.articles
    path, version = str(ctx.store.path), ctx.corpus.version
    if series.startswith("t"):
        topic = int(series[1:])
        return (articles["topic_id"] == topic).to_numpy(), ctx.filters, ctx.view.label_of(topic)
    if series.startswith("q:"):
        ids = loading.query_ids(path, version, series[2:])
        return (
            articles["article_id"].isin(ids).to_numpy(),
            ctx.filters,
            panels.query_label(series[2:]),
        )
    if series.startswith(("p:", "r:")):
        column = "province_code" if series.startswith("p:") else "regency_code"
        code = series[2:]
        unplaced = replace(ctx.filters, province_code=None, regency_code=None)
        name = place_name(
            code if column == "province_code" else None, code if column == "regency_code" else None
        )
        return (articles[column] == code).to_numpy(), unplaced, name or code
    return np.ones(len(articles), dtype=bool), ctx.filters, t("all_articles")


def share_chart(
    ctx: Context, shares: pd.DataFrame, measure: str | None, key: str, *, name: str, height: int
) -> None:
    """Shares (or counts) over time with their 95% band (a switch hides it); a click opens that
    period below."""
    measure = measure or "share"
    band = measure == "share" and st.toggle(
        t("show_bands"), value=True, key=f"{key}_bands", help=t("show_bands_help")
    )
    fig = charts.share_figure(
        shares,
        measure=measure,
        labels=ui.chart_labels(ctx.lang),
        months=ui.MONTHS[ctx.lang],
        height=height,
        span=(ctx.filters.start, ctx.filters.end),
        band=band,
    )
    event = chart(fig, key, name=name, select=True)
    caption = share_caption(shares, band) if measure == "share" else ""
    if caption:
        st.caption(caption)
    below(ctx, event, key)


def share_caption(shares: pd.DataFrame, band: bool) -> str:
    """What a share chart's band and its hollow points mean (only what the chart draws)."""
    notes = [t("band_caption")] if band else []
    if few_articles(shares["total"]).any():
        notes.append(t("few_caption_band" if band else "few_caption", n=FEW_ARTICLES))
    return " ".join(notes)


def drill_param(point: tuple[str, pd.Timestamp] | None) -> str | None:
    """A clicked (series, period) as the URL writes it: 'SERIES@YYYY-MM-DD'."""
    return None if point is None else f"{point[0]}@{point[1]:%Y-%m-%d}"


def drill_point(param: str) -> tuple[str, pd.Timestamp]:
    """(series, period) of a URL's 'SERIES@YYYY-MM-DD'; ValueError when it is not one."""
    series, at, day = param.rpartition("@")
    if not at or not SERIES.fullmatch(series):
        raise ValueError(param)
    return series, pd.Timestamp(date.fromisoformat(day))


def known_series(ctx: Context, series: str) -> bool:
    """Whether a series names something this view has (a visible topic, a place, a query)."""
    if series.startswith("t"):
        return int(series[1:]) in set(ctx.view.visible_topics()["topic_id"])
    if series.startswith("p:"):
        return bool(place_name(series[2:], None))
    if series.startswith("r:"):
        return bool(place_name(None, series[2:]))
    return True


def below(ctx: Context, event, key: str) -> None:
    """Under a time chart: the clicked point's articles and words (the point kept in the URL as
    ?drill=SERIES@DATE, so a copied link opens it again), or a hint to click."""

    def known(raw: str) -> str:
        point = drill_point(raw)
        if not known_series(ctx, point[0]):
            raise ValueError(raw)
        return drill_param(point)

    param = controls.selection_kept(
        f"drill_{key}", "drill", drill_param(clicked_point(event)), known
    )
    if param is None:
        st.caption(t("click_hint"))
        return
    series, period = drill_point(param)
    mask, filters, name = members(ctx, series)
    now = panels.period_articles(
        ctx.view.articles, filters, mask, panels.period_span(period, filters.freq)
    )
    before = panels.period_articles(
        ctx.view.articles, filters, mask, panels.period_span(period, filters.freq, BEFORE_PERIODS)
    )
    label = ui.format_period(period, filters.freq, ctx.lang)
    with st.container(border=True):
        st.markdown(f"#### {escaped(name)} · {escaped(label)}")
        if now.empty:
            st.caption(t("drill_empty"))
            return
        words_column, articles_column = st.columns([2, 5], gap="large")
        with words_column:
            st.markdown(f"**{t('drill_words')}**")
            with st.spinner(t("drill_words_loading")):
                words = shared(
                    ctx,
                    f"drill-words {param}",
                    lambda: panels.period_words(
                        texts_of(ctx.store, pd.concat([now, before])), now, before
                    ),
                )
            if words.empty:
                st.caption(t("drill_no_words"))
            else:
                words_table(
                    words,
                    t("col_count_now"),
                    t("col_count_before"),
                    t("col_count_before_help", n=BEFORE_PERIODS),
                )
        with articles_column:
            st.markdown(f"**{t('drill_articles', n=len(now))}**")
            article_table(
                now.head(SHOWN_ARTICLES), f"drill_{series}_{period:%Y%m%d}", height="auto"
            )
