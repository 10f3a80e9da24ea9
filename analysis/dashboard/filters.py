"""The dashboard's controls: a period of WIB days, a granularity, places, outlets and language."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from analysis.trends.cube import filter_cube, wib_moment
from data.collection import dense_span

#: Period presets: number of days up to the last day with data (None: everything).
PRESETS: dict[str, int | None] = {"7d": 7, "30d": 30, "90d": 90, "1y": 365, "all": None}
FREQS = ("D", "W", "M")
#: The emerging-topics window is the period's length, kept within these bounds (days).
WINDOW_DAYS = (7, 90)
BASELINE_FACTOR = 4


@dataclass(frozen=True)
class Filters:
    """Global controls: a WIB day range, a granularity and place/outlet/language filters."""

    start: pd.Timestamp
    end: pd.Timestamp
    freq: str = "W"
    province_code: str | None = None
    regency_code: str | None = None
    sources: tuple[str, ...] = ()
    language: str | None = None

    @property
    def days(self) -> int:
        """Days in the period (both ends included)."""
        return int((self.end - self.start).days) + 1

    def previous(self) -> Filters:
        """The same filters over the equally long period just before."""
        length = pd.Timedelta(days=self.days)
        return replace(self, start=self.start - length, end=self.end - length)

    def cube_filters(self, *, places: bool = True) -> dict[str, Any]:
        """Keyword filters for the cube functions (places=False leaves the place filters out)."""
        chosen = {
            "source": list(self.sources) or None,
            "language": self.language,
        }
        if places:
            chosen |= {"province_code": self.province_code, "regency_code": self.regency_code}
        return chosen


def data_span(cube: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last WIB day of the span the archive densely covers (today twice for an empty
    cube): an article dated 2007 in a 2025 archive neither starts "all data" nor the presets."""
    if cube.empty:
        today = wib_moment(None).floor("D")
        return today, today
    daily = cube.groupby("day", observed=True)["articles"].sum().reset_index()
    return dense_span(daily)


def period_window(
    preset: str, first: pd.Timestamp, last: pd.Timestamp, custom: tuple | None = None
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of a preset period ending on the last day with data, or a custom one."""
    if preset == "custom" and custom:
        lo, hi = sorted(pd.Timestamp(d).floor("D") for d in custom)
        return lo, hi
    days = PRESETS.get(preset, PRESETS["30d"])
    if days is None:
        return first, last
    return max(first, last - pd.Timedelta(days=days - 1)), last


def article_mask(articles: pd.DataFrame, filters: Filters, *, places: bool = True) -> np.ndarray:
    """Which articles fall in the filters' days and match its place, outlet and language."""
    day = articles["day"]
    mask = ((day >= filters.start) & (day <= filters.end)).to_numpy()
    for column, value in filters.cube_filters(places=places).items():
        if value is not None:
            wanted = value if isinstance(value, list) else [value]
            mask = mask & articles[column].isin(wanted).to_numpy()
    return mask


def window_rows(cube: pd.DataFrame, filters: Filters, *, places: bool = True) -> pd.DataFrame:
    """Cube rows inside the filters' period and filters."""
    return filter_cube(cube, filters.start, filters.end, **filters.cube_filters(places=places))


def emerging_window(filters: Filters) -> tuple[str, str]:
    """Window and baseline lengths for emerging topics: the period's length, kept in bounds."""
    days = int(np.clip(filters.days, *WINDOW_DAYS))
    return f"{days}D", f"{BASELINE_FACTOR * days}D"
