"""A period against the equal-length period before it: totals, topics, new topics and places.

What the briefing and the dashboard's top topics report, read from the coverage cube.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.i18n.phrasing import topic_labels
from analysis.trends.collection import Comparison, collection_of, comparison
from analysis.trends.cube import FilterValue, filter_cube, wib_day
from data.regions import provinces, regencies

TOP = 10
TOPIC_COLUMNS = [
    "topic_id",
    "topic_label",
    "count_now",
    "count_before",
    "share_now",
    "share_before",
    "change",
    "ratio",
]
REGION_COLUMNS = ["code", "name", "count_now", "count_before", "change", "ratio"]


def _smoothed_ratio(now: pd.Series, before: pd.Series) -> pd.Series:
    """Ratio of two counts, each plus 0.5 so that zeros stay finite."""
    return (now + 0.5) / (before + 0.5)


def _by(rows: pd.DataFrame, column: str) -> pd.Series:
    """Articles per value of a cube column, categories turned into plain values.

    Two group-bys of one categorical column can come back with different code widths (int16
    for the rows of a cube with over 127 regencies, int8 for no rows); pandas cannot align
    such indexes, so they are compared as plain values instead.
    """
    counts = rows.groupby(column, observed=True)["articles"].sum()
    if isinstance(counts.index, pd.CategoricalIndex):
        return counts.set_axis(counts.index.astype("object"))
    return counts


def _side_by_side(now: pd.DataFrame, before: pd.DataFrame, column: str) -> pd.DataFrame:
    """count_now and count_before per value of a cube column (0 where absent)."""
    both = pd.concat({"count_now": _by(now, column), "count_before": _by(before, column)}, axis=1)
    return both.fillna(0).astype("int64")


def _place_names(codes: pd.Series, column: str) -> pd.Series:
    """Official names of province or regency codes, the code where unknown."""
    table = regencies() if column == "regency_code" else provinces()
    names = table.set_index(column)[column.removesuffix("_code")]
    return codes.map(names).astype("object").where(lambda s: s.notna(), codes)


def _topic_table(
    now: pd.DataFrame, before: pd.DataFrame, topics: pd.DataFrame | None, fixed: Comparison
) -> pd.DataFrame:
    """Every topic with articles in either period: counts and shares over all outlets; change
    and ratio like for like (over the outlets collected throughout both periods)."""
    n_now, n_before = now["articles"].sum(), before["articles"].sum()
    counts = (
        _side_by_side(now, before, "topic_id")
        .drop(index=-1, errors="ignore")
        .rename_axis("topic_id")
        .reset_index()
    )
    ids = counts["topic_id"]
    like_now = ids.map(fixed.now).fillna(0.0) / ids.map(fixed.total_now).fillna(0.0)
    like_before = ids.map(fixed.before).fillna(0.0) / (fixed.total_before or np.nan)
    ratio = (
        (ids.map(fixed.now).fillna(0.0) + 0.5) / (ids.map(fixed.total_now).fillna(0.0) + 0.5)
    ) / ((ids.map(fixed.before).fillna(0.0) + 0.5) / (fixed.total_before + 0.5))
    return counts.assign(
        topic_label=topic_labels(ids, topics),
        share_now=counts["count_now"] / n_now if n_now else np.nan,
        share_before=counts["count_before"] / n_before if n_before else np.nan,
        change=(like_now - like_before).to_numpy(),
        ratio=ratio.to_numpy(),
    )[TOPIC_COLUMNS].sort_values(["count_now", "topic_id"], ascending=[False, True])


def _region_table(now: pd.DataFrame, before: pd.DataFrame, level: str) -> pd.DataFrame:
    """Every place at the level with articles in either period, largest absolute change first."""
    counts = _side_by_side(now, before, level).rename_axis("code").reset_index()
    codes = counts["code"].astype("object")
    change = counts["count_now"] - counts["count_before"]
    return counts.assign(
        code=codes,
        name=_place_names(codes, level),
        change=change,
        ratio=_smoothed_ratio(counts["count_now"], counts["count_before"]),
        size=change.abs(),
    ).sort_values(["size", "code"], ascending=[False, True])[REGION_COLUMNS]


def period_summary(
    cube: pd.DataFrame,
    start: pd.Timestamp | str,
    end: pd.Timestamp | str,
    *,
    topics: pd.DataFrame | None = None,
    top: int = TOP,
    **filters: FilterValue,
) -> dict[str, pd.DataFrame]:
    """Briefing tables for WIB days start..end (inclusive) against the same number of days before.

    totals  one row: articles_now, articles_before, outlets_now, outlets_before, provinces_now,
            topics_now, collection_changed (outlets not collected throughout both periods carry
            10% or more of either), comparable_now and comparable_before (articles of the
            outlets collected throughout)
    topics  the top topics now: topic_id, topic_label, count_now, count_before, share_now,
            share_before, change (share now minus before) and ratio (smoothed ratio of shares),
            these two like for like (trends.collection.comparison)
    new     topics with articles now and none ever before start: topic_id, topic_label, count_now
    regions the provinces (regencies when a province filter is given) whose article count changed
            most: code, name, count_now, count_before, change, ratio (smoothed ratio of counts)
    """
    first, last = wib_day(start), wib_day(end)
    if last < first:
        raise ValueError("the briefing period ends before it starts")
    previous = first - (last - first + pd.Timedelta(days=1))
    history = filter_cube(cube, None, last, **filters)
    days = history["day"].to_numpy()
    is_now = days >= first.to_datetime64()
    now = history.loc[is_now]
    before = history.loc[~is_now & (days >= previous.to_datetime64())]
    fixed = comparison(now, before, collection_of(cube), (previous, last))
    topic_table = _topic_table(now, before, topics, fixed)
    seen_before = history.loc[~is_now, "topic_id"].unique()
    level = "regency_code" if filters.get("province_code") is not None else "province_code"
    totals = pd.DataFrame(
        {
            "articles_now": [int(now["articles"].sum())],
            "articles_before": [int(before["articles"].sum())],
            "outlets_now": [now["source"].nunique()],
            "outlets_before": [before["source"].nunique()],
            "provinces_now": [now["province_code"].nunique()],
            "topics_now": [int((topic_table["count_now"] > 0).sum())],
            "collection_changed": [fixed.changed],
            "comparable_now": [round(fixed.articles_now)],
            "comparable_before": [round(fixed.total_before)],
        }
    )
    new = topic_table.loc[
        (topic_table["count_now"] > 0) & ~topic_table["topic_id"].isin(seen_before),
        ["topic_id", "topic_label", "count_now"],
    ]
    return {
        "totals": totals,
        "topics": topic_table.head(top).reset_index(drop=True),
        "new": new.reset_index(drop=True),
        "regions": _region_table(now, before, level).head(top).reset_index(drop=True),
    }
