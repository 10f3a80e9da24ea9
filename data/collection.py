"""What was collected when: each outlet's days and usual volume, the span an archive densely
covers, and the collection changes that would otherwise read as news.

Real archives are collected unevenly: a feed is added, a scraper breaks for a week, one outlet is
back-filled. These functions read only how many articles each outlet has on each WIB day (a frame
of source, day, articles: `outlet_days`), never what they say, and find

  added    an outlet whose first article comes ADDED_AFTER_DAYS or more after the archive's start
  stopped  an outlet whose last article comes STOPPED_BEFORE_DAYS or more before the archive's end
           (either only for an outlet with MIN_OUTLET_ARTICLES or more, and only when its rate
           makes that silence improbable, as for a gap)
  gap      a silence of at least GAP_DAYS days in which the outlet's usual rate (the days around it)
           predicts at least GAP_EXPECTED articles
  jump     a week with at least JUMP_RATIO times the outlet's usual weekly volume (the median of
  drop     its weeks with articles among the USUAL_WEEKS before it) and JUMP_MIN_ARTICLES more -- or
           that many times fewer; consecutive jump weeks are one change

Only days inside the dense span count (`dense_span`): a stray article dated 2007 in a 2025 archive
neither starts an outlet nor stretches the archive.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

WIB = "Asia/Jakarta"
ADDED_AFTER_DAYS = 7
STOPPED_BEFORE_DAYS = 7
GAP_DAYS = 7
GAP_EXPECTED = 20.0
#: Days on each side of a silence whose rate predicts what it should have held.
GAP_CONTEXT_DAYS = 28
JUMP_RATIO = 4.0
JUMP_MIN_ARTICLES = 20
USUAL_WEEKS = 4
#: Share of the dated articles that may lie before (and after) the core span of months.
TAIL_SHARE = 0.01
#: A month next to the core is dense when it holds this share of a typical month's articles.
DENSE_MONTH_SHARE = 0.1
#: A stretch of an outlet's days belongs to its collection at this share of its main stretch's rate.
DENSE_RATE_SHARE = 0.1
#: Fewest articles an outlet needs in its collection before its start or stop is told.
MIN_OUTLET_ARTICLES = 10
#: Fewest days a stretch's rate is read over (one busy day of old pages is not a dense stretch).
MIN_STRETCH_DAYS = 7

CHANGE_COLUMNS = ("day", "until", "source", "kind", "usual", "observed")
CHANGE_KINDS = ("added", "stopped", "gap", "jump", "drop")


def wib_days(published_at: pd.Series) -> pd.Series:
    """Calendar day in WIB of each timezone-aware timestamp, as naive midnight datetime64[s]."""
    local = published_at.dt.tz_convert(WIB).dt.tz_localize(None)
    return local.dt.floor("D").astype("datetime64[s]")


def outlet_days(
    days: pd.Series, sources: pd.Series, articles: pd.Series | None = None
) -> pd.DataFrame:
    """Articles per (source, day): source, day, articles; rows without a day or an outlet left out."""
    counts = pd.Series(1, index=days.index) if articles is None else articles
    frame = pd.DataFrame(
        {
            "source": sources.astype("object").to_numpy(),
            "day": pd.to_datetime(days.to_numpy()).astype("datetime64[s]"),
            "articles": counts.to_numpy(dtype="int64"),
        }
    ).dropna()
    grouped = frame.groupby(["source", "day"], sort=True)["articles"].sum()
    return grouped.reset_index()


def _month_counts(daily: pd.DataFrame) -> pd.Series:
    """Articles per calendar month (every month from the first to the last, empty ones as 0)."""
    months = daily["day"].to_numpy().astype("datetime64[M]").astype("int64")
    counts = pd.Series(daily["articles"].to_numpy(), index=months).groupby(level=0).sum()
    full = np.arange(counts.index.min(), counts.index.max() + 1)
    return counts.reindex(full, fill_value=0).set_axis(full.astype("datetime64[M]"))


def dense_span(daily: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last day with articles inside the dense months; None without articles.

    The core runs from the month where the first TAIL_SHARE of articles is passed to the month
    where the last TAIL_SHARE begins; it grows by each adjacent month, in turn, that holds at
    least DENSE_MONTH_SHARE of a typical (median non-empty) core month. Months further out --
    an article dated 2007 in a 2025 archive, a typo dated 2030 -- are outliers. Works for the
    whole archive.
    """
    if daily.empty:
        return None
    months = _month_counts(daily)
    counts = months.to_numpy()
    cumulative = np.cumsum(counts) / counts.sum()
    lo = int(np.searchsorted(cumulative, TAIL_SHARE, side="right"))
    hi = int(np.searchsorted(cumulative, 1 - TAIL_SHARE, side="left"))
    lo, hi = min(lo, hi), min(max(lo, hi), len(counts) - 1)
    core = counts[lo : hi + 1]
    enough = max(DENSE_MONTH_SHARE * float(np.median(core[core > 0])), 1.0)
    while lo > 0 and counts[lo - 1] >= enough:
        lo -= 1
    while hi < len(counts) - 1 and counts[hi + 1] >= enough:
        hi += 1
    first = pd.Timestamp(months.index[lo])
    last = pd.Timestamp(months.index[hi]) + pd.offsets.MonthEnd(0)
    inside = _inside(daily, (first, last))["day"]
    return pd.Timestamp(inside.min()), pd.Timestamp(inside.max())


def collected_span(days: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of one outlet's collection.

    The outlet's days split into stretches at every silence its average rate makes improbable
    (at least GAP_DAYS long and GAP_EXPECTED articles' worth); the collection runs from the first
    to the last stretch published at least DENSE_RATE_SHARE of the rate of the stretch holding
    most articles. Older pages a scrape picked up through links -- an outlet collected in June
    2025 with a few pages from 2012 -- lie outside it; a month-long outage inside it does not.
    """
    day = days["day"].to_numpy().astype("datetime64[D]").astype("int64")
    count = days["articles"].to_numpy(dtype="float64")
    rate = count.sum() / (day[-1] - day[0] + 1)
    silent = np.diff(day) - 1
    stretch = np.r_[0, np.cumsum((silent >= GAP_DAYS) & (rate * silent >= GAP_EXPECTED))]
    articles = np.bincount(stretch, weights=count)
    first_day = np.array([day[stretch == s].min() for s in range(len(articles))])
    last_day = np.array([day[stretch == s].max() for s in range(len(articles))])
    stretch_rate = articles / np.maximum(last_day - first_day + 1, MIN_STRETCH_DAYS)
    dense = np.flatnonzero(stretch_rate >= DENSE_RATE_SHARE * stretch_rate[articles.argmax()])
    first, last = first_day[dense].min(), last_day[dense].max()
    return pd.Timestamp(first, unit="D"), pd.Timestamp(last, unit="D")


def outliers(daily: pd.DataFrame) -> pd.DataFrame:
    """The (source, day, articles) rows dated outside the dense span."""
    span = dense_span(daily)
    if span is None:
        return daily.iloc[:0]
    outside = (daily["day"] < span[0]) | (daily["day"] > span[1])
    return daily.loc[outside].reset_index(drop=True)


def _inside(daily: pd.DataFrame, span: tuple[pd.Timestamp, pd.Timestamp]) -> pd.DataFrame:
    """The rows dated inside a span (both ends included)."""
    return daily.loc[(daily["day"] >= span[0]) & (daily["day"] <= span[1])]


def outlet_profiles(daily: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: first_day and last_day of its collection (`collected_span`), active_days and articles inside it, usual_daily (median articles per week from
    first to last day, over 7)."""
    rows = []
    for source, days in daily.groupby("source", sort=True):
        first, last = collected_span(days)
        inside = _inside(days, (first, last))
        rows.append(
            {
                "source": source,
                "first_day": first,
                "last_day": last,
                "active_days": len(inside),
                "articles": int(inside["articles"].sum()),
                "usual_daily": float(_weekly(inside, last).median()) / 7,
            }
        )
    columns = ["source", "first_day", "last_day", "active_days", "articles", "usual_daily"]
    return pd.DataFrame(rows, columns=columns)


def _weekly(days: pd.DataFrame, last: pd.Timestamp) -> pd.Series:
    """One outlet's articles per week, weeks ending on the archive's last day (so the latest week
    is whole), every week from its first to its last; indexed by each week's first day."""
    day = days["day"].to_numpy().astype("datetime64[D]").astype("int64")
    end = np.datetime64(last, "D").astype("int64")
    ago = (end - day) // 7
    counts = pd.Series(days["articles"].to_numpy(), index=ago).groupby(level=0).sum()
    weeks = np.arange(counts.index.max(), counts.index.min() - 1, -1)
    starts = pd.to_datetime(end - 7 * weeks - 6, unit="D")
    return counts.reindex(weeks, fill_value=0).set_axis(starts)


def _change(day, source: str, kind: str, usual: float, observed: float, until=None) -> dict:
    """One collection change as a row."""
    return {
        "day": pd.Timestamp(day),
        "until": pd.Timestamp(day if until is None else until),
        "source": source,
        "kind": kind,
        "usual": float(usual),
        "observed": float(observed),
    }


def _edges(profile: dict, first: pd.Timestamp, last: pd.Timestamp) -> list[dict]:
    """An outlet added after the archive's start or stopped before its end: a silence at either
    end that the outlet's rate makes improbable."""
    found = []
    if profile["articles"] < MIN_OUTLET_ARTICLES:
        return found
    days = max((profile["last_day"] - profile["first_day"]).days + 1, MIN_STRETCH_DAYS)
    rate = profile["articles"] / days
    before = (profile["first_day"] - first).days
    after = (last - profile["last_day"]).days
    if before >= ADDED_AFTER_DAYS and rate * before >= GAP_EXPECTED:
        found.append(_change(profile["first_day"], profile["source"], "added", 0, rate))
    if after >= STOPPED_BEFORE_DAYS and rate * after >= GAP_EXPECTED:
        stopped = profile["last_day"] + pd.Timedelta(days=1)
        found.append(_change(stopped, profile["source"], "stopped", rate, 0))
    return found


def _gaps(source: str, days: pd.DataFrame) -> list[dict]:
    """Silences of GAP_DAYS or more that the outlet's rate makes unlikely: its rate over its
    collection, or the rate just around the silence where that is lower."""
    day = days["day"].to_numpy()
    count = days["articles"].to_numpy()
    overall = count.sum() / ((day[-1] - day[0]) / np.timedelta64(1, "D") + 1)
    silent = (np.diff(day) / np.timedelta64(1, "D")).astype("int64") - 1
    found = []
    for i in np.flatnonzero(silent >= GAP_DAYS):
        context = pd.Timedelta(days=GAP_CONTEXT_DAYS).to_timedelta64()
        before = count[(day > day[i] - context) & (day <= day[i])].sum() / GAP_CONTEXT_DAYS
        after = count[(day >= day[i + 1]) & (day < day[i + 1] + context)].sum() / GAP_CONTEXT_DAYS
        around = min(before, after) if min(before, after) > 0 else max(before, after)
        rate = min(around, overall)
        if rate * silent[i] >= GAP_EXPECTED:
            start = pd.Timestamp(day[i]) + pd.Timedelta(days=1)
            until = pd.Timestamp(day[i + 1]) - pd.Timedelta(days=1)
            found.append(_change(start, source, "gap", rate * silent[i], 0, until))
    return found


def _jumps(source: str, days: pd.DataFrame, last: pd.Timestamp) -> list[dict]:
    """Weeks far above (jump) or below (drop) the outlet's usual weekly volume, runs merged."""
    weekly = _weekly(days, last)
    usual = weekly.where(weekly > 0).shift(1).rolling(USUAL_WEEKS, min_periods=2).median()
    found, previous = [], None
    for week, observed, typical in zip(weekly.index, weekly, usual, strict=True):
        kind = None
        if np.isfinite(typical) and typical > 0 and observed > 0:  # 0: resumed, a gap's end
            if observed >= JUMP_RATIO * max(typical, 1) and observed - typical >= JUMP_MIN_ARTICLES:
                kind = "jump"
            elif observed * JUMP_RATIO <= typical and typical - observed >= JUMP_MIN_ARTICLES:
                kind = "drop"
        if kind and kind != previous:
            found.append(_change(week, source, kind, typical, observed))
        previous = kind
    return found


def collection_changes(daily: pd.DataFrame) -> pd.DataFrame:
    """Every collection change, by day: day, until, source, kind, usual, observed.

    until is the last silent day of a gap (else the day itself); usual and observed are articles
    per day for added and stopped, the articles a gap should have held and 0, and articles per
    week for jumps and drops. Each outlet is read inside its own collected span, and added/stopped
    against the archive's.
    """
    span = dense_span(daily)
    found: list[dict] = []
    for profile in outlet_profiles(daily).to_dict("records") if span else []:
        found += _edges(profile, *span)
        days = _inside(
            daily.loc[daily["source"] == profile["source"]],
            (profile["first_day"], profile["last_day"]),
        )
        found += _gaps(profile["source"], days) + _jumps(profile["source"], days, span[1])
    changes = pd.DataFrame(found, columns=list(CHANGE_COLUMNS))
    return changes.sort_values(["day", "kind", "source"], ignore_index=True)
