"""Emerging and fading topics: the last window's share of coverage against a baseline before it.

effect   ratio of the topic's share in the window to its share in the baseline, each smoothed by
         adding 0.5 to the topic count and to the total (so new and vanished topics stay finite).
p_value  exact test of the window count given the topic's window+baseline count, binomial with the
         window's fraction of all articles as probability (the conditional test for two Poisson
         rates); only for topics with at least min_support articles; BH-adjusted over topics.
status   new (first article inside the window, at least min_support of them), else rising or
         fading (adjusted p <= alpha), else steady; new_source for a topic that is new or rising
         over all outlets but not over the outlets collected on both sides (new_source True).
Like for like: counts, effect and p-values compare the outlets collected throughout the window and
the baseline, an outlet whose volume jumped weighted as it weighed in the baseline
(trends.collection.comparison), so an outlet added, back-filled or broken mid-stream moves no
share; the baseline starts later than asked where outlets carrying a tenth of the window or more
were added inside it, so that they compare too (comparable_start; baseline_days says how long).
Articles, outlets and provinces still count every article in the window, and outside_share says
how much of a topic's window comes from outlets not collected throughout.
score    log2(effect) x log(1 + distinct stories) x outlet diversity, on the window side for a rise
         and the baseline side for a fall. Distinct stories are the cube's story weights, so
         syndicated copies of one title count once; diversity is the effective number of outlets
         (inverse Simpson) over min(DIVERSITY_SATURATION, the same number for all articles), capped
         at 1, so a burst from one outlet is discounted wherever more outlets are publishing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.i18n.phrasing import format_ratio, sentence_count, topic_labels
from analysis.i18n.strings import said
from analysis.trends.collection import (
    CHANGED_SHARE,
    NAMED_OUTLETS,
    Collection,
    collection_of,
    comparison,
    outside_share,
)
from analysis.trends.cube import FilterValue, as_cube, filter_cube, wib_day
from analysis.trends.significance import benjamini_hochberg, binomial_two_sided, inverse_simpson

#: Fewest articles (window + baseline) before a topic is tested or called new.
MIN_SUPPORT = 5
#: Significance level on BH-adjusted p-values.
ALPHA = 0.05
#: Effective number of outlets at which a burst counts as fully diverse.
DIVERSITY_SATURATION = 5.0
#: Story-to-article ratio under which a burst is called mostly copies.
COPIES_RATIO = 0.5
#: Share of a rise's articles from outlets not collected throughout from which the explanation
#: says that its ratio is read from the other outlets.
OUTSIDE_NAMED = 0.5
#: Share of one outlet above which the explanation names it.
DOMINANT_SHARE = 0.5
#: Ratio of shares (or its inverse) from which the explanation of a steady topic says that the
#: change is not significant, lest "6.5x its usual share" read as a rise.
UNSURE_RATIO = 1.5
#: Share of the window's articles that outlets added inside the baseline must carry before the
#: baseline starts on the day they were added (the share that makes a collection changed).
SHORTER_BASELINE = CHANGED_SHARE

STATUS_GROUP = {"new": 0, "rising": 0, "new_source": 1, "steady": 2, "fading": 3}
RISES = ("new", "rising")
COLUMNS = (
    "topic_id",
    "topic_label",
    "status",
    "effect",
    "p_value",
    "p_adjusted",
    "articles",
    "outlets",
    "provinces",
    "score",
    "explanation_id",
    "explanation_en",
    "baseline_articles",
    "stories",
    "effective_outlets",
    "new_source",
    "outside_share",
    "baseline_days",
)


def _days(length: str) -> int:
    """A window length such as '7D' as a whole number of days."""
    delta = pd.Timedelta(length)
    if delta < pd.Timedelta(days=1) or delta % pd.Timedelta(days=1):
        raise ValueError(f"window lengths must be whole days such as '7D', not {length!r}")
    return delta.days


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of a column (-1 where missing) and the values they stand for."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), values.cat.categories.to_numpy()
    codes, uniques = pd.factorize(values, sort=True)
    return codes, np.asarray(uniques)


def _pairs(group: np.ndarray, codes: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, ...]:
    """Distinct (group, code) pairs among rows with a code: their group, code and summed weight."""
    known = codes >= 0
    width = int(codes.max()) + 1 if len(codes) else 1
    keys, pair = np.unique(group[known] * width + codes[known], return_inverse=True)
    return keys // width, keys % width, np.bincount(pair, weights[known], minlength=len(keys))


def _inverse(values: np.ndarray) -> np.ndarray:
    """1 / values, 0 where a value is 0."""
    return np.divide(1.0, values, out=np.zeros_like(values, dtype="float64"), where=values > 0)


def _side(rows: pd.DataFrame) -> pd.DataFrame:
    """Per topic in rows: articles, stories, outlets, provinces, effective and dominant outlet."""
    topic_ids, topic = np.unique(rows["topic_id"].to_numpy(), return_inverse=True)
    n = rows["articles"].to_numpy(dtype="float64")
    articles = np.bincount(topic, n, minlength=len(topic_ids))
    source, names = _codes(rows["source"])
    pair_topic, pair_source, pair_n = _pairs(topic, source, n)
    share = pair_n / articles[pair_topic]
    order = np.lexsort((pair_source, -pair_n, pair_topic))
    top = order[np.flatnonzero(np.diff(pair_topic[order], prepend=-1))]
    province_topic, _, _ = _pairs(topic, _codes(rows["province_code"])[0], n)
    top_outlet = np.full(len(topic_ids), None, dtype=object)
    top_outlet[pair_topic[top]] = names[pair_source[top]]
    top_share = np.zeros(len(topic_ids))
    top_share[pair_topic[top]] = share[top]
    return pd.DataFrame(
        {
            "articles": articles,
            "stories": np.bincount(topic, rows["stories"].to_numpy(), minlength=len(topic_ids)),
            "outlets": np.bincount(pair_topic, minlength=len(topic_ids)),
            "provinces": np.bincount(province_topic, minlength=len(topic_ids)),
            "diversity_raw": _inverse(np.bincount(pair_topic, share**2, minlength=len(topic_ids))),
            "top_share": top_share,
            "top_outlet": top_outlet,
        },
        index=pd.Index(topic_ids, name="topic_id"),
    )


def _caveats(row: Mapping[str, Any], lang: str) -> str:
    """Warnings appended to an explanation: a large ratio that is not significant, mostly copies,
    mostly from outlets not collected throughout (the ratio is theirs alone), or mostly one outlet."""
    text = ""
    effect = row["effect"]
    large = np.isfinite(effect) and not UNSURE_RATIO > effect > 1 / UNSURE_RATIO
    if row["status"] == "steady" and large:
        text += said("trends", "emerging_unsure", lang)
    if row["articles"] and row["stories"] < COPIES_RATIO * row["articles"]:
        stories = sentence_count(max(1, round(row["stories"])), "story", lang)
        text += said("trends", "emerging_copies", lang, stories=stories)
    if row["outside_share"] >= OUTSIDE_NAMED:
        share = round(100 * row["outside_share"])
        text += said("trends", "emerging_outside", lang, share=share)
    if row["outlets"] > 1 and row["top_share"] > DOMINANT_SHARE:
        share = round(100 * row["top_share"])
        text += said("trends", "emerging_outlet", lang, share=share, outlet=row["top_outlet"])
    return text


def _carried(row: Mapping[str, Any], lang: str) -> str:
    """Why a rise is left to newly collected outlets, naming the ones that carry it."""
    return said(
        "trends",
        "emerging_new_source",
        lang,
        share=round(100 * row["outside_share"]),
        articles=sentence_count(row["articles"], "article", lang),
        names=row["outside_outlets"],
    )


def _head(row: Mapping[str, Any], lang: str) -> str:
    """How an explanation opens: new, not comparable, or the ratio of shares."""
    kind = "new" if row["status"] == "new" else "none" if np.isnan(row["effect"]) else "change"
    ratio = "" if kind == "none" else format_ratio(row["effect"], lang)
    return said("trends", f"emerging_{kind}", lang, ratio=ratio)


def explanation(row: Mapping[str, Any], lang: str) -> str:
    """'3.1x its usual share, 42 articles from 9 outlets in 5 provinces' or '3,1x dari porsi
    biasanya, 42 artikel dari 9 media di 5 provinsi' (plus caveats); for a rise carried by newly
    collected outlets, which share of it they carry."""
    if row["new_source"]:
        return _carried(row, lang)
    text = said(
        "trends",
        "emerging_counts",
        lang,
        head=_head(row, lang),
        articles=sentence_count(row["articles"], "article", lang),
        outlets=sentence_count(row["outlets"], "outlet", lang),
    )
    if row["provinces"]:
        provinces = sentence_count(row["provinces"], "province", lang)
        text += said("trends", "emerging_provinces", lang, provinces=provinces)
    return text + _caveats(row, lang)


def _window_days(as_of: pd.Timestamp | str, window: str, baseline: str) -> tuple[pd.Timestamp, ...]:
    """First day of the baseline, first day of the window and the last day (as_of's WIB day)."""
    end = wib_day(as_of)
    window_start = end - pd.Timedelta(days=_days(window) - 1)
    return window_start - pd.Timedelta(days=_days(baseline)), window_start, end


def comparable_start(
    collection: Collection,
    window_rows: pd.DataFrame,
    start: pd.Timestamp,
    window_start: pd.Timestamp,
    end: pd.Timestamp,
) -> pd.Timestamp:
    """The first day of the baseline: start, or the later day on which outlets were added that
    carry SHORTER_BASELINE of the window's articles more than the outlets collected throughout
    from start do (so that they compare like for like), the baseline no shorter than the window."""
    per_outlet = window_rows.groupby("source", observed=True)["articles"].sum()
    per_outlet = per_outlet.set_axis(per_outlet.index.astype("object"))

    def compared(day: pd.Timestamp) -> float:
        kept, _ = collection.comparable(day, end)
        return float(per_outlet.loc[per_outlet.index.isin(list(kept))].sum())

    changes = collection.changes
    latest = window_start - (end - window_start) - pd.Timedelta(days=1)
    added = changes.loc[
        (changes["kind"] == "added") & (changes["day"] > start) & (changes["day"] <= latest), "day"
    ]
    needed = max(SHORTER_BASELINE * per_outlet.sum(), 1.0)
    chosen, reach = start, compared(start)
    for day in sorted(set(added)):
        if (more := compared(day)) - reach >= needed:
            chosen, reach = day, more
    return chosen


def used_baseline_days(ranked: pd.DataFrame, asked: int) -> int:
    """The days of the baseline an emerging ranking was measured against: its baseline_days, or
    the days asked when it holds no topic."""
    return int(ranked["baseline_days"].iloc[0]) if len(ranked) else asked


def _by_topic(
    history: pd.DataFrame, in_window: np.ndarray, in_baseline: np.ndarray
) -> pd.DataFrame:
    """Per assigned topic: window and baseline figures, seen_before (any article before the window)."""
    assigned = history["topic_id"].to_numpy() != -1
    now = _side(history.loc[in_window & assigned])
    before = _side(history.loc[in_baseline & assigned])
    earlier = history["topic_id"].to_numpy()[~(in_window | in_baseline)] + 1  # ids start at -1
    seen_earlier = np.flatnonzero(np.bincount(earlier)) - 1 if len(earlier) else []
    return (
        now.join(before[["articles", "stories", "diversity_raw"]], how="outer", rsuffix="_before")
        .fillna({"articles": 0, "stories": 0.0, "outlets": 0, "provinces": 0})
        .fillna({"articles_before": 0, "stories_before": 0.0})
        .fillna({"diversity_raw": 0.0, "diversity_raw_before": 0.0})
        .astype({"articles": "int64", "articles_before": "int64"})
        .astype({"outlets": "int64", "provinces": "int64"})
        .assign(seen_before=lambda f: f.index.isin(seen_earlier) | (f["articles_before"] > 0))
    )


def _share_change(
    a: np.ndarray,
    b: np.ndarray,
    n_window: float | np.ndarray,
    n_baseline: float | np.ndarray,
    min_support: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Smoothed ratio of shares, two-sided binomial p-value and its BH adjustment per topic.

    Totals may differ per topic (like-for-like weights do); all are NaN for a topic whose window
    or baseline total holds no articles at all.
    """
    a = np.rint(a)
    n_window = np.broadcast_to(np.asarray(n_window, dtype="float64"), a.shape)
    n_baseline = np.broadcast_to(np.asarray(n_baseline, dtype="float64"), a.shape)
    comparable = (n_window > 0) & (n_baseline > 0)
    effect = ((a + 0.5) / (n_window + 0.5)) / ((b + 0.5) / (n_baseline + 0.5))
    effect = np.where(comparable, effect, np.nan)
    testable = (a + b >= min_support) & comparable
    share_window = n_window / np.maximum(n_window + n_baseline, 1)
    p_value = np.where(testable, binomial_two_sided(a, a + b, share_window), np.nan)
    return effect, p_value, benjamini_hochberg(p_value)


def _diversity(
    table: pd.DataFrame, window_rows: pd.DataFrame, baseline_rows: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Outlet diversity of each topic on its window and baseline side, each capped at 1."""
    reference_now = max(min(DIVERSITY_SATURATION, _all_outlets(window_rows)), 1.0)
    reference_before = max(min(DIVERSITY_SATURATION, _all_outlets(baseline_rows)), 1.0)
    return (
        np.minimum(table["diversity_raw"].to_numpy() / reference_now, 1.0),
        np.minimum(table["diversity_raw_before"].to_numpy() / reference_before, 1.0),
    )


def emerging_topics(
    cube_or_articles: pd.DataFrame,
    as_of: pd.Timestamp | str,
    window: str = "7D",
    baseline: str = "28D",
    *,
    topics: pd.DataFrame | None = None,
    min_support: int = MIN_SUPPORT,
    alpha: float = ALPHA,
    **filters: FilterValue,
) -> pd.DataFrame:
    """Topics ranked by how much their share rose in the window ending on as_of's WIB day.

    The window is the last `window` days up to and including as_of's day; the baseline the
    `baseline` days before it. Rows: new and rising first by score, then steady, then fading
    (strongest fall first). See the module docstring for effect, p_value, status and score.
    """
    asked_start, window_start, end = _window_days(as_of, window, baseline)
    cube = as_cube(cube_or_articles)
    history = filter_cube(cube, None, end, **filters)
    days = history["day"].to_numpy()
    in_window = days >= window_start.to_datetime64()
    collection = collection_of(cube)
    baseline_start = comparable_start(
        collection, history.loc[in_window], asked_start, window_start, end
    )
    in_baseline = ~in_window & (days >= baseline_start.to_datetime64())
    table = _by_topic(history, in_window, in_baseline)
    if table.empty:
        return pd.DataFrame(columns=list(COLUMNS))

    window_rows, baseline_rows = history.loc[in_window], history.loc[in_baseline]
    a, b = table["articles"].to_numpy(), table["articles_before"].to_numpy()
    n_window, n_baseline = int(window_rows["articles"].sum()), int(baseline_rows["articles"].sum())
    raw_effect, _, raw_adjusted = _share_change(a, b, n_window, n_baseline, min_support)
    fixed = comparison(window_rows, baseline_rows, collection, (baseline_start, end))
    a_fixed = fixed.now.reindex(table.index, fill_value=0.0).to_numpy()
    b_fixed = fixed.before.reindex(table.index, fill_value=0.0).to_numpy()
    n_fixed = fixed.total_now.reindex(table.index, fill_value=0.0).to_numpy()
    effect, p_value, p_adjusted = _share_change(
        a_fixed, b_fixed, n_fixed, fixed.total_before, min_support
    )
    seen = table["seen_before"].to_numpy()
    status = _status(seen, a_fixed, effect, p_adjusted, alpha, min_support)
    carried = np.isin(_status(seen, a, raw_effect, raw_adjusted, alpha, min_support), RISES)
    carried &= ~np.isin(status, RISES)
    status = np.where(carried, "new_source", status)
    effect = np.where(carried, raw_effect, effect)
    outside = outside_share(window_rows, fixed.outside).reindex(table.index, fill_value=0.0)
    rise = effect >= 1
    diversity_now, diversity_before = _diversity(table, window_rows, baseline_rows)
    weight = np.where(
        rise,
        np.log1p(table["stories"]) * diversity_now,
        np.log1p(table["stories_before"]) * diversity_before,
    )
    ranked = table.assign(
        status=status,
        effect=effect,
        p_value=p_value,
        p_adjusted=p_adjusted,
        score=np.log2(effect) * weight,
        effective_outlets=table["diversity_raw"],
        baseline_articles=b,
        new_source=carried,
        outside_share=outside.to_numpy(),
        baseline_days=(window_start - baseline_start).days,
        outside_outlets=_top_outlets(window_rows, fixed.outside).reindex(
            table.index, fill_value=""
        ),
    ).reset_index()
    ranked = ranked.assign(
        topic_label=topic_labels(ranked["topic_id"], topics),
        explanation_id=[explanation(row, "id") for row in ranked.to_dict("records")],
        explanation_en=[explanation(row, "en") for row in ranked.to_dict("records")],
        order=lambda f: f["status"].map(STATUS_GROUP),
        key=lambda f: np.where(f["status"] == "fading", f["score"], -f["score"]),
    )
    return ranked.sort_values(["order", "key", "topic_id"]).reset_index(drop=True)[list(COLUMNS)]


def _status(
    seen_before: np.ndarray,
    count: np.ndarray,
    effect: np.ndarray,
    p_adjusted: np.ndarray,
    alpha: float,
    min_support: int,
) -> np.ndarray:
    """new, rising, fading or steady per topic (see the module docstring)."""
    significant = p_adjusted <= alpha
    return np.select(
        [
            ~seen_before & (np.rint(count) >= min_support),
            significant & (effect > 1),
            significant & (effect < 1),
        ],
        ["new", "rising", "fading"],
        "steady",
    )


def _top_outlets(window_rows: pd.DataFrame, outlets: tuple[str, ...]) -> pd.Series:
    """Per topic, its top NAMED_OUTLETS outlets among the given ones, as 'A, B'."""
    rows = window_rows.loc[window_rows["source"].astype("object").isin(outlets)]
    counts = rows.groupby(["topic_id", rows["source"].astype("object")])["articles"].sum()
    counts = counts.loc[counts > 0].sort_values(ascending=False)
    top = counts.groupby(level=0).head(NAMED_OUTLETS).reset_index()
    return top.groupby("topic_id")["source"].agg(", ".join)


def _all_outlets(rows: pd.DataFrame) -> float:
    """Effective number of outlets over all the given cube rows."""
    return inverse_simpson(rows.groupby("source", observed=True)["articles"].sum().to_numpy())
