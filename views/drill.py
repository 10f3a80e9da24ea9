"""Click-through under a time chart: the clicked period's articles and distinctive words."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from analysis.dashboard import charts, panels
from analysis.dashboard.filters import Filters
from analysis.dashboard.places import place_name
from analysis.i18n import ui
from views import loading
from views.common import Context, article_table, chart, clicked_point, escaped, t

#: Periods before the clicked one that its words are compared with.
BEFORE_PERIODS = 4
SHOWN_ARTICLES = 200


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
    """Shares (or counts) over time with their 95% band; a click opens that period below."""
    fig = charts.share_figure(
        shares,
        measure=measure or "share",
        labels=ui.chart_labels(ctx.lang),
        months=ui.MONTHS[ctx.lang],
        height=height,
        span=(ctx.filters.start, ctx.filters.end),
    )
    event = chart(fig, key, name=name, select=True)
    if measure == "share":
        st.caption(t("band_caption"))
    below(ctx, event)


def below(ctx: Context, event) -> None:
    """Under a time chart: the clicked point's articles and words, or a hint to click."""
    point = clicked_point(event)
    if point is None:
        st.caption(t("click_hint"))
        return
    series, period = point
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
                texts = loading.texts(str(ctx.store.path), ctx.corpus.version)
                words = panels.period_words(texts, now, before)
            if words.empty:
                st.caption(t("drill_no_words"))
            else:
                st.dataframe(
                    words[["term", "count_now", "count_before"]],
                    hide_index=True,
                    column_config={
                        "term": t("col_word"),
                        "count_now": t("col_count_now"),
                        "count_before": st.column_config.NumberColumn(
                            t("col_count_before"), help=t("col_count_before_help", n=BEFORE_PERIODS)
                        ),
                    },
                )
        with articles_column:
            st.markdown(f"**{t('drill_articles', n=len(now))}**")
            article_table(
                now.head(SHOWN_ARTICLES), f"drill_{series}_{period:%Y%m%d}", height="auto"
            )
