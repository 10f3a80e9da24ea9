"""The coverage cube: article counts by WIB day, topic, place, outlet and language.

Built once per build from the articles with their topic assignments (`coverage_cube`) and stored next
to them; every trend, emerging-topic, angle and briefing view reads it instead of the articles, so a
view costs a filter and a group-by over at most one row per (day, topic, regency, outlet, language).

Stored aggregates, one row per non-empty cell:
  day            calendar day in WIB (Asia/Jakarta), naive datetime64[s] at midnight
  topic_id       int32, -1 for articles without a topic
  province_code, regency_code, source, language   categorical (missing values kept as NaN)
  articles       int32, number of articles in the cell
  stories        float64, sum of story weights: an article counts 1/k when k articles share its
                 normalised title in the same WIB week, so syndicated copies add up to one story
Rows are sorted by day (filter_cube relies on it); undated articles are left out. The cube is
plain Parquet-friendly data: written with DataFrame.to_parquet and read back with read_parquet,
the categorical columns survive and every function here accepts it as it comes back.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from data.collection import WIB, wib_days

PLACE_AND_OUTLET = ("province_code", "regency_code", "source", "language")
DIMENSIONS = ("day", "topic_id", *PLACE_AND_OUTLET)
MEASURES = ("articles", "stories")
FREQUENCIES = ("D", "W", "M")

FilterValue = str | Sequence[str] | None


def wib_day(moment: pd.Timestamp | str) -> pd.Timestamp:
    """The WIB calendar day of a moment; naive timestamps and date strings are read as WIB."""
    stamp = pd.Timestamp(moment)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(WIB).tz_localize(None)
    return stamp.floor("D")


def wib_moment(moment: pd.Timestamp | str | None) -> pd.Timestamp:
    """A moment as naive WIB wall time; None means now."""
    stamp = pd.Timestamp.now(tz=WIB) if moment is None else pd.Timestamp(moment)
    return stamp.tz_convert(WIB).tz_localize(None) if stamp.tzinfo is not None else stamp


def normalised_titles(titles: pd.Series) -> pd.Series:
    """Titles lower-cased with punctuation and repeated spaces removed, for spotting copies."""
    cleaned = titles.fillna("").astype(str).str.lower()
    return cleaned.str.replace(r"[\W_]+", " ", regex=True).str.strip()


def story_weights(titles: pd.Series, days: pd.Series) -> pd.Series:
    """1/k for an article whose normalised title is shared by k articles in its WIB week; 1 if untitled."""
    keys = normalised_titles(titles)
    weeks = period_starts(days.to_numpy(), "W")
    copies = keys.groupby([keys.to_numpy(), weeks], sort=False).transform("size")
    return (1.0 / copies).where(keys != "", 1.0).astype("float64")


def _categories(column: pd.Series) -> pd.Categorical:
    """A column as categories of the values it holds (a categorical column's unused ones dropped)."""
    return column.astype("category").cat.remove_unused_categories().array


def coverage_cube(articles: pd.DataFrame) -> pd.DataFrame:
    """Article and story counts by (day, topic_id, province_code, regency_code, source, language)."""
    missing = {"published_at", "title", *DIMENSIONS[1:]} - set(articles.columns)
    if missing:
        raise ValueError(f"articles lack column(s): {', '.join(sorted(missing))}")
    dated = articles.loc[articles["published_at"].notna()]
    days = wib_days(dated["published_at"])
    cells = pd.DataFrame(
        {
            "day": days.to_numpy(),
            "topic_id": dated["topic_id"].fillna(-1).astype("int32").to_numpy(),
            **{col: _categories(dated[col]) for col in PLACE_AND_OUTLET},
            "stories": story_weights(dated["title"], days).to_numpy(),
        }
    )
    grouped = cells.groupby(list(DIMENSIONS), observed=True, dropna=False, sort=False)
    cube = grouped["stories"].agg(["size", "sum"]).reset_index()
    cube = cube.rename(columns={"size": "articles", "sum": "stories"})
    return (
        cube.astype({"articles": "int32"})
        .sort_values(["day", "topic_id"], kind="stable")
        .reset_index(drop=True)
    )


def is_cube(frame: pd.DataFrame) -> bool:
    """Whether a frame is a coverage cube rather than articles."""
    return set(DIMENSIONS + MEASURES) <= set(frame.columns)


def as_cube(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame itself if it is a coverage cube, else the cube of its articles."""
    return frame if is_cube(frame) else coverage_cube(frame)


def _as_list(value: FilterValue) -> list[str]:
    """A filter value as a list of accepted values."""
    return [value] if isinstance(value, str) else list(value)


def filter_mask(cube: pd.DataFrame, **filters: FilterValue) -> np.ndarray:
    """Boolean mask of the cube rows matching every given filter (None means no filter)."""
    unknown = set(filters) - set(PLACE_AND_OUTLET)
    if unknown:
        allowed = ", ".join(PLACE_AND_OUTLET)
        raise ValueError(f"unknown filter(s) {', '.join(sorted(unknown))}; use {allowed}")
    mask = np.ones(len(cube), dtype=bool)
    for column, value in filters.items():
        if value is None:
            continue
        column_values = cube[column]
        if isinstance(column_values.dtype, pd.CategoricalDtype):
            categories = column_values.cat.categories.to_numpy(dtype=object)
            wanted = np.append(np.isin(categories, _as_list(value)), False)  # code -1: missing
            mask &= wanted[column_values.cat.codes.to_numpy()]
        else:
            mask &= column_values.isin(_as_list(value)).to_numpy()
    return mask


def _position(days: np.ndarray, moment: pd.Timestamp | str, side: str) -> int:
    """Where a moment's WIB day falls in sorted days (compared in the days' own unit)."""
    return int(np.searchsorted(days, wib_day(moment).to_datetime64().astype(days.dtype), side))


def filter_cube(
    cube: pd.DataFrame,
    start: pd.Timestamp | str | None = None,
    end: pd.Timestamp | str | None = None,
    **filters: FilterValue,
) -> pd.DataFrame:
    """Cube rows from WIB day start to end (both inclusive) that match every filter."""
    days = cube["day"].to_numpy()
    lo = 0 if start is None else _position(days, start, "left")
    hi = len(cube) if end is None else _position(days, end, "right")
    window = cube.iloc[lo:hi]
    active = {name: value for name, value in filters.items() if value is not None}
    return window.loc[filter_mask(window, **active)] if active else window


def checked_freq(freq: str) -> str:
    """The frequency if it is one of D, W, M; otherwise a ValueError naming the choices."""
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {', '.join(FREQUENCIES)}, not {freq!r}")
    return freq


def period_starts(days: np.ndarray, freq: str) -> np.ndarray:
    """First day of the day (D), Monday-based week (W) or month (M) of each day."""
    day_numbers = np.asarray(days, dtype="datetime64[D]")
    if checked_freq(freq) == "D":
        starts = day_numbers
    elif freq == "W":
        # 1970-01-01 was a Thursday: shift by 3 so that weeks start on Monday
        offset = (day_numbers.astype("int64") + 3) % 7
        starts = day_numbers - offset.astype("timedelta64[D]")
    else:
        starts = day_numbers.astype("datetime64[M]").astype("datetime64[D]")
    return starts.astype("datetime64[s]")


def period_step(freq: str) -> pd.DateOffset:
    """The length of one period of frequency D, W or M."""
    steps = {"D": pd.DateOffset(days=1), "W": pd.DateOffset(weeks=1), "M": pd.DateOffset(months=1)}
    return steps[checked_freq(freq)]


def period_range(first: pd.Timestamp, last: pd.Timestamp, freq: str) -> pd.DatetimeIndex:
    """Every period start from the period holding first to the one holding last."""
    lo, hi = period_starts(np.array([first, last], dtype="datetime64[s]"), freq)
    alias = {"D": "D", "W": "W-MON", "M": "MS"}[freq]
    return pd.date_range(lo, hi, freq=alias).astype("datetime64[s]")
