"""Times of day: quiet hours (alerts held, rebuilds allowed) in the newsroom's time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

DEFAULT_TIMEZONE = "Asia/Jakarta"
HOURS = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?")
DAY_MINUTES = 24 * 60


def _minutes(hour: str, minute: str | None) -> int:
    """Minutes after midnight of HH[:MM]; ValueError outside a day."""
    value = int(hour) * 60 + int(minute or 0)
    if int(hour) > 24 or int(minute or 0) > 59 or value > DAY_MINUTES:
        raise ValueError(f"{hour}:{minute or '00'} is not a time of day")
    return value % DAY_MINUTES


@dataclass(frozen=True)
class QuietHours:
    """A span of the day, such as 22-06 (over midnight) or 12:30-13:30, in minutes after midnight."""

    start: int
    end: int

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        """Quiet hours written 'HH-HH' or 'HH:MM-HH:MM'; ValueError otherwise."""
        match = HOURS.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"quiet hours look like 22-06 or 21:30-05:45, not {text!r}")
        start, end = _minutes(*match.group(1, 2)), _minutes(*match.group(3, 4))
        if start == end:
            raise ValueError(f"quiet hours {text!r} start and end at the same time")
        return cls(start, end)

    def holds(self, moment: pd.Timestamp) -> bool:
        """Whether a local wall-clock moment falls inside the quiet hours."""
        minute = moment.hour * 60 + moment.minute
        if self.start < self.end:
            return self.start <= minute < self.end
        return minute >= self.start or minute < self.end


def local_time(moment: pd.Timestamp, timezone: str = DEFAULT_TIMEZONE) -> pd.Timestamp:
    """A moment (UTC when naive) as wall-clock time in a time zone."""
    stamp = pd.Timestamp(moment)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return stamp.tz_convert(timezone)


def rebuild_window_start(
    now: pd.Timestamp, hour: int, every_seconds: float, timezone: str = DEFAULT_TIMEZONE
) -> pd.Timestamp | None:
    """The start of today's rebuild window when now falls inside it, else None.

    The window opens at `hour` o'clock local time and lasts one hour, or one interval between
    rounds when that is longer, so that a round always falls inside it once a day.
    """
    local = local_time(now, timezone)
    opens = local.normalize() + pd.Timedelta(hours=hour)
    if opens > local:
        opens -= pd.Timedelta(days=1)
    length = pd.Timedelta(seconds=max(3600.0, every_seconds))
    return opens if local < opens + length else None


def rebuild_allowed(
    now: pd.Timestamp,
    last_rebuild: pd.Timestamp | None,
    hour: int,
    every_seconds: float,
    timezone: str = DEFAULT_TIMEZONE,
) -> bool:
    """Whether a round at now may rebuild: inside the day's window, and not rebuilt since it opened."""
    opens = rebuild_window_start(now, hour, every_seconds, timezone)
    return opens is not None and (last_rebuild is None or local_time(last_rebuild) < opens)
