"""The periodic media briefing as plain data: plain-language headlines and small tables.

`briefing` reads the store's current build (with the user's topic edits applied) and its articles,
compares a period of WIB days with the equal-length period before it and writes every sentence in
the chosen language; `sections` computes each section. `deck` and `page` draw a Briefing; `report`
writes it as a file.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

import pandas as pd

from analysis.briefing.sections import (
    coverage_map,
    coverage_places,
    emerging_table,
    leading_places,
    made_at,
    period_words,
    place_level,
    representative_stories,
    section_headlines,
    share_series,
    summary_points,
    summary_tiles,
    top_topics,
)
from analysis.briefing.text import checked_language, say, span_text
from analysis.topics.build_folder import assigned_articles, topic_edits
from analysis.topics.ids import edited_topics
from analysis.topics.tables import topic_ids_reapplied
from analysis.trends.collection import changes_between, collection_note, collection_of
from analysis.trends.cube import FilterValue, coverage_cube, filter_cube, wib_day, wib_days
from analysis.trends.summary import period_summary
from data.regions import provinces, regencies
from data.sample import SYNTHETIC_NOTICE, is_sample
from data.store import Store

ISSUES = 5  # topics with a section of their own and representative headlines
MAX_DAYS = 366
PERIOD = re.compile(r"(?P<days>\d+)d|(?P<start>\d{4}-\d{2}-\d{2}):(?P<end>\d{4}-\d{2}-\d{2})")


class ReportError(Exception):
    """A briefing that cannot be made as asked: bad period or region, empty store, no build."""


@dataclass(frozen=True)
class Briefing:
    """Everything one briefing says, in one language, as sentences and small tables."""

    lang: str
    start: pd.Timestamp  # first WIB day of the period
    end: pd.Timestamp  # last WIB day of the period
    previous_start: pd.Timestamp  # first day of the equal period before it
    title: str  # the product
    kind: str  # "Briefing mingguan"
    span: str  # "10–16 Okt 2025"
    facts: tuple[str, ...]  # store and build, region, when it was made
    notice: str | None  # the synthetic-sample notice when the store holds the sample
    now_label: str  # series names: "Minggu ini", "Minggu sebelumnya"
    before_label: str
    headlines: dict[str, str]  # one plain-language headline per section
    summary: tuple[str, ...]  # key points
    totals: dict[str, int]  # articles_now, articles_before, outlets_now, provinces_now, topics_now
    tiles: tuple[tuple[str, str], ...]  # (number, caption): articles, change, outlets, provinces
    # topic_id, label, count_now, count_before, share_now, share_before, ratio, change, place,
    # headline: the topics with most articles now
    topics: pd.DataFrame
    shares: pd.DataFrame  # period, topic_id, label, share (top topics over both periods)
    emerging: pd.DataFrame  # topic_id, label, status, explanation
    places: pd.DataFrame  # code, name, count_now, count_before, change (most coverage first)
    map: pd.DataFrame  # map_feature, name, articles (coverage now per province shape)
    stories: pd.DataFrame  # topic_id, title, url, source, day: headlines of the issues
    method: tuple[str, ...]

    @property
    def subtitle(self) -> str:
        """'Briefing mingguan · 10–16 Okt 2025'."""
        return f"{self.kind} · {self.span}"

    @property
    def issues(self) -> pd.DataFrame:
        """The leading topics that get a section of their own (those with headlines)."""
        return self.topics.loc[self.topics["topic_id"].isin(self.stories["topic_id"])]


def checked_period(period: str) -> re.Match:
    """The parts of a period written as '7d', '30d' or 'YYYY-MM-DD:YYYY-MM-DD'."""
    match = PERIOD.fullmatch(period.strip())
    if match is None:
        raise ReportError(f"period must look like 7d, 30d or 2025-10-01:2025-10-07, not {period!r}")
    if match["days"] and not 1 <= int(match["days"]) <= MAX_DAYS:
        raise ReportError(f"a period runs from 1 to {MAX_DAYS} days, not {match['days']}")
    return match


def period_days(period: str, as_of: pd.Timestamp | str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last WIB day of '7d', '30d' (ending on as_of's day) or 'YYYY-MM-DD:YYYY-MM-DD'."""
    match = checked_period(period)
    if match["days"]:
        last = checked_day(as_of)
        return last - pd.Timedelta(days=int(match["days"]) - 1), last
    return checked_span(match["start"], match["end"])


def checked_day(moment: pd.Timestamp | str) -> pd.Timestamp:
    """The WIB day of a moment, or a ReportError for text that is not a date."""
    try:
        return wib_day(moment)
    except ValueError as exc:
        raise ReportError(f"{moment!r} is not a date such as 2025-10-16") from exc


def checked_span(
    start: pd.Timestamp | str, end: pd.Timestamp | str
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The WIB days of start and end, if end is not before start and the span is not too long."""
    first, last = checked_day(start), checked_day(end)
    if last < first:
        raise ReportError(f"the period ends ({last:%Y-%m-%d}) before it starts ({first:%Y-%m-%d})")
    if (last - first).days + 1 > MAX_DAYS:
        raise ReportError(f"a period runs at most {MAX_DAYS} days")
    return first, last


def latest_day(store: Store) -> pd.Timestamp:
    """The WIB day of the store's latest dated article (the default end of a briefing)."""
    published = store.articles(["published_at"])["published_at"].dropna()
    if published.empty:
        raise ReportError(f"{store.path} holds no dated article; ingest some first")
    return wib_days(published).max()


def region_filter(region: str | None) -> dict[str, FilterValue]:
    """The cube filter of a province ('36') or regency ('36.73') code; none for None."""
    if region is None:
        return {}
    level = "regency_code" if "." in region else "province_code"
    table = regencies() if level == "regency_code" else provinces()
    if region not in set(table[level]):
        raise ReportError(
            f"unknown region code {region!r}; use a province (36) or regency (36.73) code"
        )
    return {level: region}


def region_name(region: str) -> str:
    """The official name of a province or regency code."""
    level = "regency_code" if "." in region else "province_code"
    table = regencies() if level == "regency_code" else provinces()
    return str(table.set_index(level).loc[region, level.removesuffix("_code")])


def visible_topics_and_assignments(store: Store) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The current build's visible topics (topic_id, label), assignments with edits applied, version.

    Renames, merges and hidden topics saved by the user apply; articles of a hidden topic count
    as unassigned (topic -1).
    """
    folder = store.current_build()
    if folder is None:
        raise ReportError(
            f"{store.path} has no topic build yet; run `python -m analysis build` first"
        )
    topics = edited_topics(pd.read_parquet(folder / "topics.parquet"), topic_edits(store))
    assignments = topic_ids_reapplied(pd.read_parquet(folder / "assignments.parquet"), topics)
    hidden = topics.loc[topics["hidden"], "topic_id"]
    topic = assignments["topic_id"].where(~assignments["topic_id"].isin(hidden), -1)
    return (
        topics.loc[~topics["hidden"], ["topic_id", "label"]].reset_index(drop=True),
        assignments.assign(topic_id=topic)[["article_id", "topic_id", "topic_confidence"]],
        folder.name,
    )


def topic_articles(store: Store, assignments: pd.DataFrame) -> pd.DataFrame:
    """The store's articles with topic_id and topic_confidence (NaN if unassigned)."""
    articles = assigned_articles(store, assignments)
    if articles.empty:
        raise ReportError(f"{store.path} holds no article; ingest some first")
    return articles


def collection_points(
    cube: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, lang: str
) -> tuple[str, ...]:
    """The collection changes from the start of the period before to the end, as a key point."""
    changes = changes_between(collection_of(cube).changes, start, end)
    note = collection_note(changes, lang)
    return (note,) if note else ()


def briefing(
    store: Store,
    *,
    start: pd.Timestamp | str,
    end: pd.Timestamp | str,
    lang: str = "id",
    region: str | None = None,
) -> Briefing:
    """The briefing of WIB days start..end (inclusive) against the same number of days before."""
    try:
        lang = checked_language(lang)
    except ValueError as exc:
        raise ReportError(str(exc)) from exc
    first, last = checked_span(start, end)
    filters = region_filter(region)
    days = (last - first).days + 1
    previous = first - pd.Timedelta(days=days)
    words = period_words(days, lang)
    topics, assignments, version = visible_topics_and_assignments(store)
    articles = topic_articles(store, assignments)
    cube = coverage_cube(articles)
    summary = period_summary(cube, first, last, topics=topics, top=sys.maxsize, **filters)
    now = filter_cube(cube, first, last, **filters)
    level = place_level(filters)
    table = top_topics(summary["topics"], leading_places(now, level), lang, words["before"])
    emerging, baseline = emerging_table(cube, topics, last, days, lang, filters)
    places = coverage_places(summary["regions"])
    headlines = section_headlines(table, emerging, places, words, lang)
    totals = summary["totals"].iloc[0]
    kind = "weekly" if days == 7 else "periodic"
    return Briefing(
        lang=lang,
        start=first,
        end=last,
        previous_start=previous,
        title=say("title", lang),
        kind=say(kind, lang, days=days),
        span=span_text(first, last, lang),
        facts=(
            say(
                "compared",
                lang,
                period=span_text(previous, first - pd.Timedelta(days=1), lang),
            ),
            say("region", lang, name=region_name(region)) if region else say("all_regions", lang),
            say("store", lang, store=store.path.name, build=version),
            made_at(lang),
        ),
        notice=SYNTHETIC_NOTICE if is_sample(articles["url"]) else None,
        now_label=words["now_label"],
        before_label=words["before_label"],
        headlines=headlines,
        summary=summary_points(totals, headlines, summary["regions"], words, lang)
        + collection_points(cube, previous, last, lang),
        totals={name: int(value) for name, value in totals.items()},
        tiles=summary_tiles(totals, words["before"], lang),
        topics=table,
        shares=share_series(cube, table, first, previous, last, filters),
        emerging=emerging,
        places=places,
        map=coverage_map(now),
        stories=representative_stories(
            articles, table["topic_id"].head(ISSUES), first, last, filters
        ),
        method=tuple(say("method_lines", lang, baseline=baseline).split("\n")),
    )
