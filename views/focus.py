"""Beside a set of articles (a search's matches, a topic): its top words and its top outlets."""

from __future__ import annotations

from contextlib import nullcontext

import numpy as np
import pandas as pd
import streamlit as st

from analysis.dashboard import focus as lens
from analysis.dashboard.corpus import texts_of
from analysis.dashboard.filters import article_mask
from views.common import Context, shared, t, words_table


def render(ctx: Context, members: np.ndarray, key: str, *, side_by_side: bool = False) -> None:
    """Top words and top outlets of the member articles within the filters (one above the other,
    or side by side); key names the set."""
    articles = ctx.view.articles
    within = article_mask(articles, ctx.filters)
    places = st.columns(2, gap="large") if side_by_side else (nullcontext(), nullcontext())
    with places[0]:
        _words(ctx, articles, members, within, key)
    with places[1]:
        _outlets(articles, members, within)


def _words(
    ctx: Context, articles: pd.DataFrame, members: np.ndarray, within: np.ndarray, key: str
) -> None:
    """The top words table (or why there is none)."""
    st.markdown(f"**{t('focus_words')}**", help=t("focus_words_help"))

    def compared() -> pd.DataFrame:
        now, rest = lens.word_samples(articles, members, within)
        return lens.top_words(texts_of(ctx.store, pd.concat([now, rest])), now, rest)

    with st.spinner(t("drill_words_loading")):
        words = shared(ctx, f"focus-words {key}", compared)
    if words.empty:
        st.caption(t("focus_none"))
    else:
        words_table(words, t("col_in_set"), t("col_elsewhere"))


def _outlets(articles: pd.DataFrame, members: np.ndarray, within: np.ndarray) -> None:
    """The top outlets table (nothing when no member is within the filters)."""
    outlets = lens.top_outlets(articles, members, within)
    if outlets.empty:
        return
    st.markdown(f"**{t('focus_outlets')}**", help=t("focus_outlets_help"))
    st.dataframe(
        outlets,
        hide_index=True,
        column_config={
            "source": t("col_source"),
            "articles": st.column_config.NumberColumn(t("col_in_set")),
            "share": st.column_config.NumberColumn(t("col_outlet_share"), format="percent"),
        },
    )
