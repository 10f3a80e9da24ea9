"""Publication dates of Indonesian news, from the date field, the URL or HTML metadata, in UTC.

Naive times are Western Indonesian Time (WIB, UTC+7) unless the text says WITA or WIT. A date
without a time is the start of that day in its zone. Dates before 1990 or more than a day after
`now` are unusable. A numeric date such as 08/01/2025 reads day first, as Indonesians write it,
unless its column reads month first: `date_order` decides that per column, from the column's
own dates, its rows' URL dates or the outlet's habit (`OrderEvidence`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
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


#: The forms a written date takes, tried in this order; the first that matches is the date.
_DATE_FORMS: tuple[tuple[str, Callable[[str], re.Match | None]], ...] = (
    ("iso", ISO.match),
    ("epoch", EPOCH.match),
    ("compact", COMPACT.match),
    ("day_month_name", DAY_MONTH_YEAR.search),
    ("month_name_day", MONTH_DAY_YEAR.search),
    ("numeric_ymd", NUMERIC_YMD.search),
    ("numeric", NUMERIC_DMY.search),
)


def _date_form(clean: str) -> tuple[str, re.Match] | None:
    """The form of the date in normalised text and its match, None when there is none."""
    for form, find in _DATE_FORMS:
        if match := find(clean):
            return form, match
    return None


def _month_first_reading(first: int, second: int, month_first: bool) -> bool:
    """Whether a numeric date `first/second/year` reads month first: as the column's order says,
    unless one of the fields cannot be a month."""
    if second > 12 >= first:
        return True
    return month_first and first <= 12


def _calendar_date(form: str, match: re.Match, month_first: bool) -> tuple[int, int, int]:
    """Year, month and day of a written date match (a numeric d/m/y one in the order given)."""
    if form == "day_month_name":
        return int(match[3]), MONTHS[match[2]], int(match[1])
    if form == "month_name_day":
        return int(match[3]), MONTHS[match[1]], int(match[2])
    if form == "numeric_ymd":
        return int(match[1]), int(match[3]), int(match[4])
    first, second = int(match[1]), int(match[3])
    if _month_first_reading(first, second, month_first):
        return int(match[4]), first, second
    return int(match[4]), second, first


@lru_cache(maxsize=200_000)
def absolute_ns(text: str, month_first: bool = False) -> int | None:
    """Nanoseconds since the epoch (UTC) of an absolute date string, None if there is none.

    A numeric date such as 08/01/2025 reads day first unless month_first (or unless only one
    order is possible: 06/13/2025).
    """
    clean = _normalised(text)
    found = _date_form(clean)
    if found is None:
        return None
    form, match = found
    if form == "iso":
        return _iso_ns(match)
    if form == "epoch":
        digits = match[1]
        return int(digits) * (1_000_000 if len(digits) > 10 else NS)
    if form == "compact":
        return _civil_ns(int(match[1]), int(match[2]), int(match[3]), 0, DEFAULT_OFFSET_HOURS)
    year, month, day = _calendar_date(form, match, month_first)
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


def _value_ns(value: object, now_ns: int, month_first: bool = False) -> tuple[int | None, str]:
    """Nanoseconds (UTC) and kind ("field" or "relative") of one date value."""
    if isinstance(value, datetime | date | np.datetime64):
        stamp = pd.Timestamp(value)
        stamp = stamp.tz_localize("Asia/Jakarta") if stamp.tzinfo is None else stamp
        return _usable(stamp.value, now_ns), "field"
    if isinstance(value, int | float | np.number):
        value = str(int(value)) if np.isfinite(value) else ""
    text = str(value)
    absolute = absolute_ns(text, month_first)
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
    dates: pd.Series,
    urls: pd.Series,
    html_dates: pd.Series,
    now: pd.Timestamp,
    month_first: pd.Series | None = None,
) -> pd.DataFrame:
    """published_at (UTC, NaT if unknown) and date_source (field|relative|url|html|none) per row.

    month_first (bool per row, default all False) says which rows' numeric dates read month first.
    """
    now_ns = _now_ns(now)
    field_ns, field_kind = _column_ns(dates, lambda v: _value_ns(v, now_ns))
    flipped = (
        np.zeros(len(dates), dtype=bool) if month_first is None else month_first.to_numpy(bool)
    )
    if flipped.any():
        field_ns[flipped], field_kind[flipped] = _column_ns(
            dates[flipped], lambda v: _value_ns(v, now_ns, month_first=True)
        )
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


# -- day/month order of a date column ------------------------------------------------------------

DAY_FIRST = "day-first"
MONTH_FIRST = "month-first"


@lru_cache(maxsize=200_000)
def numeric_day_month(text: str) -> tuple[int, int, int] | None:
    """(first, second, year) of the numeric date a string is read from (08/01/2025 -> (8, 1, 2025)),
    None when its date is written another way or there is none."""
    found = _date_form(_normalised(text))
    if found is None or found[0] != "numeric":
        return None
    match = found[1]
    return int(match[1]), int(match[3]), int(match[4])


def _url_day(url: object) -> tuple[int, int, int] | None:
    """(year, month, day) of the date in a URL path, None without one."""
    ns = url_ns(url) if isinstance(url, str) else None
    if ns is None:
        return None
    day = date.fromordinal(UNIX_EPOCH_ORDINAL + (ns + DEFAULT_OFFSET_HOURS * 3_600 * NS) // DAY_NS)
    return day.year, day.month, day.day


@dataclass
class OrderEvidence:
    """What a date column says about its day/month order, counted over its rows.

    day_first: numeric dates whose first field is over 12 (13/06/2025 proves day first);
    month_first: numeric dates whose second field is over 12 (06/13/2025 proves month first);
    ambiguous: numeric dates either order could mean (08/01/2025); url_day_first and
    url_month_first: ambiguous dates whose row's URL holds the same day read that way.
    """

    day_first: int = 0
    month_first: int = 0
    ambiguous: int = 0
    url_day_first: int = 0
    url_month_first: int = 0

    def add(self, dates: Iterable[object], urls: Iterable[object]) -> None:
        """Count the evidence of more rows (a date and a URL each)."""
        for value, url in zip(dates, urls, strict=True):
            fields = numeric_day_month(value) if isinstance(value, str) else None
            if fields is None:
                continue
            first, second, year = fields
            if first > 12 >= second:
                self.day_first += 1
            elif second > 12 >= first:
                self.month_first += 1
            elif first != second and first <= 12:
                self.ambiguous += 1
                linked = _url_day(url)
                self.url_day_first += linked == (year, second, first)
                self.url_month_first += linked == (year, first, second)

    @property
    def numeric(self) -> bool:
        """Whether the column holds any numeric date whose order matters."""
        return bool(self.day_first or self.month_first or self.ambiguous)

    def to_dict(self) -> dict[str, int]:
        """The counts as plain JSON-ready values."""
        return asdict(self)


@dataclass(frozen=True)
class DateOrder:
    """The day/month order a column's numeric dates are read in, and what decided it.

    order: "day-first" or "month-first", None when the column has no numeric date whose order
    matters; basis: "dates" (a field over 12), "url" (the rows' URL dates), "outlet" (the order
    the outlet's earlier files proved), "default" (nothing decided: day first, as Indonesians
    write) or "none".
    """

    order: str | None
    basis: str


def _majority(day_first: int, month_first: int) -> str:
    """The order with more votes; day first on a tie."""
    return MONTH_FIRST if month_first > day_first else DAY_FIRST


def date_order(evidence: OrderEvidence, habit: str | None = None) -> DateOrder:
    """The order of a date column: proved by its own dates, else by its rows' URL dates, else by
    the outlet's habit, else day first."""
    if not evidence.numeric:
        return DateOrder(None, "none")
    if evidence.day_first or evidence.month_first:
        return DateOrder(_majority(evidence.day_first, evidence.month_first), "dates")
    if evidence.url_day_first != evidence.url_month_first:
        return DateOrder(_majority(evidence.url_day_first, evidence.url_month_first), "url")
    if habit in (DAY_FIRST, MONTH_FIRST):
        return DateOrder(habit, "outlet")
    return DateOrder(DAY_FIRST, "default")
