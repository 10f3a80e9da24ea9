"""Publication dates of Indonesian news, from the date field, the URL or HTML metadata, in UTC.

Naive times are Western Indonesian Time (WIB, UTC+7) unless the text says WITA or WIT. A date
without a time is the start of that day in its zone. Dates before 1990 or more than a day after
`now` are unusable.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

import numpy as np
import pandas as pd

NS = 1_000_000_000
DAY_NS = 86_400 * NS
DEFAULT_OFFSET_HOURS = 7  # WIB
EARLIEST = pd.Timestamp("1990-01-01", tz="UTC").value
FUTURE_SLACK_NS = DAY_NS
UNIX_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
NAT = np.iinfo(np.int64).min

ZONE_HOURS: dict[str, float] = {"wib": 7, "wita": 8, "wit": 9, "utc": 0, "gmt": 0, "z": 0}

MONTHS: dict[str, int] = {
    **dict.fromkeys(["januari", "january", "jan"], 1),
    **dict.fromkeys(["februari", "pebruari", "february", "feb", "peb"], 2),
    **dict.fromkeys(["maret", "march", "mar"], 3),
    **dict.fromkeys(["april", "apr"], 4),
    **dict.fromkeys(["mei", "may"], 5),
    **dict.fromkeys(["juni", "june", "jun"], 6),
    **dict.fromkeys(["juli", "july", "jul"], 7),
    **dict.fromkeys(["agustus", "august", "agus", "agu", "agt", "ags", "aug"], 8),
    **dict.fromkeys(["september", "sept", "sep"], 9),
    **dict.fromkeys(["oktober", "october", "okt", "oct"], 10),
    **dict.fromkeys(["november", "nopember", "nov", "nop"], 11),
    **dict.fromkeys(["desember", "december", "des", "dec"], 12),
}

UNIT_SECONDS: dict[str, int] = {
    **dict.fromkeys(["detik", "second", "seconds", "sec", "secs"], 1),
    **dict.fromkeys(["menit", "minute", "minutes", "min", "mins"], 60),
    **dict.fromkeys(["jam", "hour", "hours", "hr", "hrs"], 3_600),
    **dict.fromkeys(["hari", "day", "days"], 86_400),
    **dict.fromkeys(["minggu", "pekan", "week", "weeks"], 7 * 86_400),
    **dict.fromkeys(["bulan", "month", "months"], 30 * 86_400),
    **dict.fromkeys(["tahun", "year", "years"], 365 * 86_400),
}

NUMBER_WORDS: dict[str, int] = {
    "se": 1, "satu": 1, "a": 1, "an": 1, "one": 1, "dua": 2, "two": 2, "tiga": 3, "three": 3,
    "empat": 4, "four": 4, "lima": 5, "five": 5, "enam": 6, "six": 6, "tujuh": 7, "seven": 7,
    "delapan": 8, "eight": 8, "sembilan": 9, "nine": 9, "sepuluh": 10, "ten": 10,
}  # fmt: skip

#: Relative words -> days back from today (None: exactly now).
RELATIVE_DAYS: dict[str, int | None] = {
    "baru saja": None, "barusan": None, "just now": None, "sekarang": None,
    "hari ini": 0, "today": 0, "kemarin lusa": 2, "kemarin": 1, "yesterday": 1,
}  # fmt: skip


def _alternation(words) -> str:
    """A regex alternation of words, longest first so that prefixes never win."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_MONTH = rf"(?<![a-z])({_alternation(MONTHS)})(?![a-z])\.?"
ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[t ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"\s*(z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?$"
)
EPOCH = re.compile(r"^(\d{9,10}|\d{12,13})(?:\.\d+)?$")
COMPACT = re.compile(r"^((?:19|20)\d{2})(\d{2})(\d{2})$")
DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?[\s,./-]*{_MONTH}[\s,./-]*(\d{{4}})(?!\d)"
)
MONTH_DAY_YEAR = re.compile(rf"{_MONTH}\s*(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)")
NUMERIC_DMY = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\d/.-])")
NUMERIC_YMD = re.compile(r"(?<![\d/.-])(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?![\d/.-])")
TIME = re.compile(
    r"(?<![\d.:/-])(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?!\d|[.:/-]\d)(?:\s*([ap])\.?m\b\.?)?"
)
ZONE = re.compile(
    r"(?<![a-z])(wita|wit|wib|utc|gmt)(?![a-z])(?:\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?)?"
    r"|(?<=\d)\s?([+-])(\d{2}):?(\d{2})(?!\d)"
    r"|(?<=\d)(z)(?![a-z])"
)
RELATIVE_AGO = re.compile(
    rf"(?<![a-z])(\d+|{_alternation(NUMBER_WORDS)})\s*({_alternation(UNIT_SECONDS)})\s*"
    r"(?:yang\s+)?(?:lalu|ago|silam|sebelumnya)(?![a-z])"
)
RELATIVE_WORD = re.compile(rf"(?<![a-z])({_alternation(RELATIVE_DAYS)})(?![a-z])")
EXCEL_ESCAPE = re.compile(r"_x[0-9a-f]{4}_")
URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?=[/?#._-]|$)")
URL_COMPACT = re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})(?=[/?#._-]|$)")


def _normalised(text: str) -> str:
    """Lowercase text with Excel escapes gone and whitespace collapsed."""
    return " ".join(EXCEL_ESCAPE.sub(" ", text.lower()).split())


def _civil_ns(year: int, month: int, day: int, seconds: int, offset_hours: float) -> int | None:
    """Nanoseconds since the epoch of a wall-clock time at a UTC offset, None if impossible."""
    try:
        days = date(year, month, day).toordinal() - UNIX_EPOCH_ORDINAL
    except ValueError:
        return None
    return (days * 86_400 + seconds - round(offset_hours * 3_600)) * NS


def _offset_hours(match: re.Match) -> float:
    """The UTC offset a ZONE match names."""
    name, sign, hours, minutes, bare_sign, bare_hours, bare_minutes, z = match.groups()
    if bare_sign:
        sign, hours, minutes = bare_sign, bare_hours, bare_minutes
    base = ZONE_HOURS[name or z] if (name or z) else 0.0
    if not sign:
        return base
    shift = int(hours) + int(minutes or 0) / 60
    return shift if sign == "+" else -shift


def _zone_after(text: str, pos: int) -> float:
    """The UTC offset stated after position pos, WIB when none is."""
    match = ZONE.search(text, pos)
    return _offset_hours(match) if match else DEFAULT_OFFSET_HOURS


def _clock(text: str, pos: int = 0, endpos: int | None = None) -> tuple[int, int]:
    """Seconds into the day of the first valid time in text[pos:endpos] (0 if none), and its end."""
    for match in TIME.finditer(text, pos, len(text) if endpos is None else endpos):
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        if match[4] == "p" and hour < 12:
            hour += 12
        elif match[4] == "a" and hour == 12:
            hour = 0
        if hour <= 23 and minute <= 59 and second <= 59:
            return hour * 3_600 + minute * 60 + second, match.end()
    return 0, pos


def _iso_ns(match: re.Match) -> int | None:
    """Nanoseconds of an ISO 8601 match."""
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    seconds = int(hour or 0) * 3_600 + int(minute or 0) * 60 + int(second or 0)
    if int(hour or 0) > 23 or int(minute or 0) > 59 or int(second or 0) > 59:
        return None
    offset = float(DEFAULT_OFFSET_HOURS)
    if zone:
        zone_match = ZONE.search("0" + zone)
        offset = _offset_hours(zone_match) if zone_match else offset
    base = _civil_ns(int(year), int(month), int(day), seconds, offset)
    if base is None or not fraction:
        return base
    return base + int(fraction.ljust(9, "0")[:9])


def _calendar_date(text: str) -> tuple[int, int, int, re.Match] | None:
    """Year, month, day and the match of the first written date in text (day first if numeric)."""
    if match := DAY_MONTH_YEAR.search(text):
        return int(match[3]), MONTHS[match[2]], int(match[1]), match
    if match := MONTH_DAY_YEAR.search(text):
        return int(match[3]), MONTHS[match[1]], int(match[2]), match
    if match := NUMERIC_YMD.search(text):
        return int(match[1]), int(match[3]), int(match[4]), match
    if match := NUMERIC_DMY.search(text):
        day, month = int(match[1]), int(match[3])
        if month > 12 >= day:  # only month-first can be meant: 06/13/2025
            day, month = month, day
        return int(match[4]), month, day, match
    return None


@lru_cache(maxsize=200_000)
def absolute_ns(text: str) -> int | None:
    """Nanoseconds since the epoch (UTC) of an absolute date string, None if there is none."""
    clean = _normalised(text)
    if match := ISO.match(clean):
        return _iso_ns(match)
    if match := EPOCH.match(clean):
        digits = match[1]
        return int(digits) * (1_000_000 if len(digits) > 10 else NS)
    if match := COMPACT.match(clean):
        return _civil_ns(int(match[1]), int(match[2]), int(match[3]), 0, DEFAULT_OFFSET_HOURS)
    found = _calendar_date(clean)
    if found is None:
        return None
    year, month, day, match = found
    seconds, clock_end = _clock(clean, match.end())
    if clock_end == match.end():  # a time written before the date: "07.00 WIB, 10 Juni 2025"
        seconds, clock_end = _clock(clean, 0, match.start())
        clock_end = clock_end or match.end()
    return _civil_ns(year, month, day, seconds, _zone_after(clean, clock_end))


def relative_ns(text: str, now_ns: int) -> int | None:
    """Nanoseconds (UTC) of a relative date such as `2 jam yang lalu` or `kemarin`, seen at now."""
    clean = _normalised(text)
    if match := RELATIVE_AGO.search(clean):
        count = int(match[1]) if match[1].isdigit() else NUMBER_WORDS[match[1]]
        return now_ns - count * UNIT_SECONDS[match[2]] * NS
    match = RELATIVE_WORD.search(clean)
    if match is None:
        return None
    days_back = RELATIVE_DAYS[match[1]]
    if days_back is None:
        return now_ns
    seconds, clock_end = _clock(clean)
    if clock_end == 0:
        return now_ns - days_back * DAY_NS
    offset = _zone_after(clean, clock_end)
    local_day = (now_ns + round(offset * 3_600) * NS) // DAY_NS - days_back
    return (local_day * 86_400 + seconds - round(offset * 3_600)) * NS


def _usable(ns: int | None, now_ns: int) -> int | None:
    """ns when it lies between 1990 and a day after now, else None."""
    return ns if ns is not None and EARLIEST <= ns <= now_ns + FUTURE_SLACK_NS else None


def _value_ns(value: object, now_ns: int) -> tuple[int | None, str]:
    """Nanoseconds (UTC) and kind ("field" or "relative") of one date value."""
    if isinstance(value, datetime | date | np.datetime64):
        stamp = pd.Timestamp(value)
        stamp = stamp.tz_localize("Asia/Jakarta") if stamp.tzinfo is None else stamp
        return _usable(stamp.value, now_ns), "field"
    if isinstance(value, int | float | np.number):
        value = str(int(value)) if np.isfinite(value) else ""
    text = str(value)
    absolute = absolute_ns(text)
    if absolute is not None:
        return _usable(absolute, now_ns), "field"
    return _usable(relative_ns(text, now_ns), now_ns), "relative"


def url_ns(url: str) -> int | None:
    """Nanoseconds (UTC) of the date in a URL path (`/2025/06/10/`, `/20250610/`), else None."""
    for pattern in (URL_DATE, URL_COMPACT):
        for match in pattern.finditer(url):
            ns = _civil_ns(int(match[1]), int(match[2]), int(match[3]), 0, DEFAULT_OFFSET_HOURS)
            if ns is not None:
                return ns
    return None


def _now_ns(now: pd.Timestamp) -> int:
    """now as nanoseconds since the epoch; naive means UTC."""
    stamp = pd.Timestamp(now)
    return (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp).value


def parse_date(text: str | None, now: pd.Timestamp) -> pd.Timestamp | None:
    """The UTC time a date string names (absolute or relative to now), None if unusable."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None
    ns, _ = _value_ns(text, _now_ns(now))
    return None if ns is None else pd.Timestamp(ns, unit="ns", tz="UTC")


def _column_ns(values: pd.Series, parse) -> tuple[np.ndarray, np.ndarray]:
    """Per row: nanoseconds (NAT when unknown) and kind, parsing each distinct value once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = [parse(value) for value in uniques]
    unique_ns = np.array([NAT if ns is None else ns for ns, _ in parsed] + [NAT], dtype=np.int64)
    unique_kind = np.array([kind for _, kind in parsed] + ["none"], dtype=object)
    return unique_ns[codes], unique_kind[codes]


def published_dates(
    dates: pd.Series, urls: pd.Series, html_dates: pd.Series, now: pd.Timestamp
) -> pd.DataFrame:
    """published_at (UTC, NaT if unknown) and date_source (field|relative|url|html|none) per row."""
    now_ns = _now_ns(now)
    field_ns, field_kind = _column_ns(dates, lambda v: _value_ns(v, now_ns))
    link_ns, _ = _column_ns(urls, lambda v: (_usable(url_ns(str(v)), now_ns), "url"))
    html_ns, _ = _column_ns(html_dates, lambda v: _value_ns(v, now_ns))
    sources = [field_ns != NAT, link_ns != NAT, html_ns != NAT]
    chosen = np.select(sources, [field_ns, link_ns, html_ns], default=NAT)
    source = np.select(sources, [field_kind, "url", "html"], default="none")
    return pd.DataFrame(
        {
            "published_at": pd.Series(
                chosen.astype("datetime64[ns]"), index=dates.index
            ).dt.tz_localize("UTC"),
            "date_source": pd.Series(source, index=dates.index, dtype=object),
        },
        index=dates.index,
    )
