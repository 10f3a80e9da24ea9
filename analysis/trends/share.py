"""Share of coverage over time, for topics and for keyword queries, read from the coverage cube."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.trends.cube import (
    FilterValue,
    filter_cube,
    period_range,
    period_starts,
    period_step,
    wib_day,
    wib_moment,
)
from analysis.trends.significance import wilson_interval

#: A period is a collection gap when its volume is below this fraction of its neighbours' median.
LOW_VOLUME_FRACTION = 0.3
#: Neighbours on each side of a period in that rolling median.
LOW_VOLUME_NEIGHBOURS = 3
#: A period with fewer articles than this has few: each of them is more than a point of share, so
#: shares there are drawn as uncertain (a 95% band of 0 articles in 30 runs from 0% to 11%).
FEW_ARTICLES = 100

SHARE_COLUMNS = ("count", "total", "share", "ci_low", "ci_high", "low_volume", "partial")

Moment = pd.Timestamp | str | None


def period_volume(
    cube: pd.DataFrame,
    freq: str = "W",
    *,
    start: Moment = None,
    end: Moment = None,
    as_of: Moment = None,
    **filters: FilterValue,
) -> pd.DataFrame:
    """Articles per period from start to end: period, total, low_volume, partial.

    Periods are whole days, weeks or months; total counts only the days from start to end, so
    the totals add up to the articles of the period, and a period the range cuts is partial.
    Periods without articles between the first and the last one with articles are kept with a
    total of 0. low_volume compares a period's whole total with the median of the complete
    periods around it, LOW_VOLUME_NEIGHBOURS on each side (looking past start and end). A period
    still open at as_of (default now) is partial too; partial periods are never low_volume.
    """
    first, last = _span(start, end, freq)
    reach = period_step(freq) * LOW_VOLUME_NEIGHBOURS
    rows = filter_cube(
        cube,
        None if first is None else first - reach,
        None if last is None else last + reach,
        **filters,
    )
    if rows.empty:
        return pd.DataFrame(
            {
                "period": pd.Series(dtype="datetime64[s]"),
                "total": pd.Series(dtype="int64"),
                "low_volume": pd.Series(dtype=bool),
                "partial": pd.Series(dtype=bool),
            }
        )
    days = rows["day"].to_numpy()
    starts = period_starts(days, freq)
    counts = pd.Series(rows["articles"].to_numpy(dtype="int64"))
    totals = counts.groupby(starts).sum()
    index = period_range(totals.index.min(), totals.index.max(), freq)
    totals = totals.reindex(index, fill_value=0)
    inside = _in_range(days, start, end)
    clipped = counts[inside].groupby(starts[inside]).sum().reindex(index, fill_value=0)
    cut = _cut_by(index, freq, start, end)
    partial = np.asarray(index + period_step(freq) > wib_moment(as_of)) | cut
    reference = (
        totals.where(~partial)
        .rolling(2 * LOW_VOLUME_NEIGHBOURS + 1, center=True, min_periods=1)
        .median()
    )
    low_volume = ~partial & (totals < LOW_VOLUME_FRACTION * reference).to_numpy()
    volume = pd.DataFrame(
        {"period": index, "total": clipped.to_numpy(), "low_volume": low_volume, "partial": partial}
    )
    return _volume_in_span(volume, first, last)


def few_articles(total: pd.Series | np.ndarray, least: int = FEW_ARTICLES) -> np.ndarray:
    """Which periods have articles, fewer than least of them (a period without any has no share)."""
    counts = np.asarray(total, dtype="float64")
    return (counts > 0) & (counts < least)


def _in_range(days: np.ndarray, start: Moment, end: Moment) -> np.ndarray:
    """Which days fall from start's WIB day to end's (no bound where None)."""
    keep = np.ones(len(days), dtype=bool)
    if start is not None:
        keep &= days >= wib_day(start).to_datetime64().astype(days.dtype)
    if end is not None:
        keep &= days <= wib_day(end).to_datetime64().astype(days.dtype)
    return keep


def _cut_by(index: pd.DatetimeIndex, freq: str, start: Moment, end: Moment) -> np.ndarray:
    """Which periods the range from start to end overlaps without covering them whole."""
    first_days, last_days = index, index + period_step(freq) - pd.Timedelta(days=1)
    lo = pd.Timestamp.min if start is None else wib_day(start)
    hi = pd.Timestamp.max if end is None else wib_day(end)
    overlaps = (last_days >= lo) & (first_days <= hi)
    covered = (first_days >= lo) & (last_days <= hi)
    return np.asarray(overlaps & ~covered)


def _span(start: Moment, end: Moment, freq: str) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """First day of the period holding start, last day of the period holding end."""
    first = None if start is None else pd.Timestamp(period_starts([wib_day(start)], freq)[0])
    last = (
        None
        if end is None
        else pd.Timestamp(period_starts([wib_day(end)], freq)[0])
        + period_step(freq)
        - pd.Timedelta(days=1)
    )
    return first, last


def _shares(
    volume: pd.DataFrame, counts: pd.Series, keys: Sequence, key_name: str, confidence: float
) -> pd.DataFrame:
    """Every (period, key) with its count, the period total, share, Wilson bounds and flags."""
    grid = pd.MultiIndex.from_product([volume["period"], list(keys)], names=["period", key_name])
    count = counts.reindex(grid, fill_value=0).to_numpy(dtype="int64")
    table = grid.to_frame(index=False).merge(volume, on="period", how="left")
    total = table["total"].to_numpy(dtype="int64")
    low, high = wilson_interval(count, total, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, count / total, np.nan)
    return table.assign(count=count, share=share, ci_low=low, ci_high=high)[
        ["period", key_name, *SHARE_COLUMNS]
    ]


def _counts_by_period(
    cube: pd.DataFrame, freq: str, first: Moment, last: Moment, by: str | None, **filters
) -> pd.Series:
    """Articles per (period, by) -- or per period when by is None -- in the filtered span."""
    rows = filter_cube(cube, first, last, **filters)
    starts = period_starts(rows["day"].to_numpy(), freq)
    keys = [starts] if by is None else [starts, rows[by].to_numpy()]
    return pd.Series(rows["articles"].to_numpy(dtype="int64")).groupby(keys).sum()


def _volume_in_span(volume: pd.DataFrame, first: Moment, last: Moment) -> pd.DataFrame:
    """The volume rows whose period starts between first and last."""
    keep = np.ones(len(volume), dtype=bool)
    if first is not None:
        keep &= (volume["period"] >= first).to_numpy()
    if last is not None:
        keep &= (volume["period"] <= last).to_numpy()
    return volume.loc[keep].reset_index(drop=True)


def topic_share(
    cube: pd.DataFrame,
    topic_ids: Sequence[int] | None = None,
    freq: str = "W",
    *,
    start: Moment = None,
    end: Moment = None,
    as_of: Moment = None,
    confidence: float = 0.95,
    **filters: FilterValue,
) -> pd.DataFrame:
    """Each topic's share of all articles per period, under the same place/outlet/language filters.

    Columns: period, topic_id, count, total, share, ci_low, ci_high, low_volume, partial. Periods
    are whole, counts only the days from start to end (a period they cut is partial, see
    period_volume); topic_ids defaults to every assigned topic in the cube.
    """
    if topic_ids is None:
        topic_ids = sorted(t for t in cube["topic_id"].unique().tolist() if t != -1)
    volume = period_volume(cube, freq, start=start, end=end, as_of=as_of, **filters)
    counts = _counts_by_period(cube, freq, start, end, "topic_id", **filters)
    return _shares(volume, counts, topic_ids, "topic_id", confidence)


def keyword_share(
    cube: pd.DataFrame,
    matches: pd.DataFrame,
    query: str,
    freq: str = "W",
    *,
    start: Moment = None,
    end: Moment = None,
    as_of: Moment = None,
    confidence: float = 0.95,
    **filters: FilterValue,
) -> pd.DataFrame:
    """Share of all articles per period matching a keyword query, in the columns of topic_share.

    matches is the coverage cube of the matching articles (keywords.keyword_cube); the key column
    is `query` instead of `topic_id`, so both can be drawn on one chart.
    """
    volume = period_volume(cube, freq, start=start, end=end, as_of=as_of, **filters)
    per_period = _counts_by_period(matches, freq, start, end, None, **filters)
    counts = pd.Series(
        per_period.to_numpy(),
        index=pd.MultiIndex.from_arrays([per_period.index, [query] * len(per_period)]),
    )
    return _shares(volume, counts, [query], "query", confidence)
