"""The periodic media briefing as plain data: plain-language headlines and small tables.

`briefing` reads the store's current build (with the user's topic edits applied) and its articles,
compares a period of WIB days with the equal-length period before it and writes every sentence in
the chosen language. `report_pptx` and `report_html` draw a Briefing; `briefing_bytes` is the one
call behind a download button.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from analysis.i18n.phrasing import counted, format_count
from analysis.report_html import BrowserMissing, briefing_html, briefing_pdf
from analysis.report_pptx import briefing_pptx
from analysis.report_text import (
    capitalised,
    change_words,
    checked_language,
    day_text,
    say,
    share_text,
    span_text,
    totals_sentence,
)
from analysis.topics.build_folder import assigned_articles, topic_edits
from analysis.topics.ids import edited_topics
from analysis.topics.tables import topic_ids_reapplied
from analysis.trends.cube import (
    FilterValue,
    coverage_cube,
    filter_cube,
    normalised_titles,
    wib_day,
    wib_days,
)
from analysis.trends.emerging import emerging_topics
from analysis.trends.share import topic_share
from analysis.trends.summary import period_summary
from data.regions import provinces, regencies
from data.sample import SYNTHETIC_NOTICE, is_sample
from data.store import Store

TOP_TOPICS = 8  # topics in the now-versus-before chart
ISSUES = 5  # topics with a section of their own and representative headlines
LINE_TOPICS = 5  # topics in the share-over-time chart
EMERGING = 5
HEADLINES = 3
TOP_PLACES = 10
BASELINE_PERIODS = 4  # emerging topics compare the period with this many periods before it
RISE = 1.5  # a topic whose share grew by this ratio is said to rise...
MIN_RISE_ARTICLES = 5  # ...when it has at least this many articles in the period
MAX_DAYS = 366
PERIOD = re.compile(r"(?P<days>\d+)d|(?P<start>\d{4}-\d{2}-\d{2}):(?P<end>\d{4}-\d{2}-\d{2})")
FORMATS = ("pptx", "html", "pdf")


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


# -- period and filters ----------------------------------------------------------------------------


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


# -- reading the store -----------------------------------------------------------------------------


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


def safe_url(url: object) -> str | None:
    """The URL if it is an http(s) link, else None (never a javascript: or data: link)."""
    text = str(url or "").strip()
    return text if urlsplit(text).scheme.lower() in ("http", "https") else None


# -- tables ----------------------------------------------------------------------------------------


def place_level(filters: dict[str, FilterValue]) -> str:
    """The place column a briefing breaks coverage down by: regencies inside a region, else provinces."""
    return "regency_code" if filters else "province_code"


def leading_places(now: pd.DataFrame, level: str) -> pd.Series:
    """The name of the place with most articles of each topic in the cube rows, by topic_id."""
    counts = now.groupby(["topic_id", level], observed=True)["articles"].sum().reset_index()
    top = counts.sort_values(["articles", level], ascending=[False, True]).drop_duplicates(
        "topic_id"
    )
    table = regencies() if level == "regency_code" else provinces()
    names = table.set_index(level)[level.removesuffix("_code")]
    return top.set_index("topic_id")[level].astype("object").map(names)


def top_topics(summary: pd.DataFrame, places: pd.Series, lang: str, before: str) -> pd.DataFrame:
    """The topics with most articles now, with their leading place and a one-line headline."""
    top = (
        summary.loc[summary["count_now"] > 0]
        .head(TOP_TOPICS)
        .rename(columns={"topic_label": "label"})
    )
    ratio = top["ratio"].where(top["count_before"] > 0)  # NaN: new this period
    change = [change_words(r, lang) for r in ratio]
    headline = [
        say(
            "issue_line",
            lang,
            topic=capitalised(label),
            count=count_text(count, lang),
            change=words if np.isnan(r) else say("vs", lang, change=words, period=before),
        )
        for label, count, r, words in zip(
            top["label"], top["count_now"], ratio, change, strict=True
        )
    ]
    return top.assign(
        place=top["topic_id"].map(places).astype("object"), change=change, headline=headline
    )[
        [
            "topic_id",
            "label",
            "count_now",
            "count_before",
            "share_now",
            "share_before",
            "ratio",
            "change",
            "place",
            "headline",
        ]
    ].reset_index(drop=True)


def count_text(n: int, lang: str) -> str:
    """'42' (id, the noun follows in the sentence) or '42 articles' (en)."""
    return format_count(n, lang) if lang == "id" else counted(n, "article")


def share_series(
    cube: pd.DataFrame,
    topics: pd.DataFrame,
    first: pd.Timestamp,
    previous: pd.Timestamp,
    last: pd.Timestamp,
    filters: dict[str, FilterValue],
) -> pd.DataFrame:
    """Share of coverage per period (days, weeks or months by length) of the leading topics."""
    days = (last - first).days + 1
    freq = "D" if days <= 14 else "W" if days <= 182 else "M"
    lead = topics.head(LINE_TOPICS)
    shares = topic_share(cube, lead["topic_id"].tolist(), freq, start=previous, end=last, **filters)
    labels = lead.set_index("topic_id")["label"]
    return shares.assign(label=shares["topic_id"].map(labels))[
        ["period", "topic_id", "label", "share"]
    ].reset_index(drop=True)


def emerging_table(
    cube: pd.DataFrame,
    topics: pd.DataFrame,
    last: pd.Timestamp,
    days: int,
    lang: str,
    filters: dict[str, FilterValue],
) -> pd.DataFrame:
    """New and rising topics of the period with their one-line explanation in lang."""
    ranked = emerging_topics(
        cube,
        last,
        window=f"{days}D",
        baseline=f"{BASELINE_PERIODS * days}D",
        topics=topics,
        **filters,
    )
    chosen = ranked.loc[ranked["status"].isin(["new", "rising"])].head(EMERGING)
    return pd.DataFrame(
        {
            "topic_id": chosen["topic_id"].astype("int64").to_numpy(),
            "label": chosen["topic_label"].to_numpy(),
            "status": [say(s, lang) for s in chosen["status"]],
            "explanation": chosen[f"explanation_{lang}"].to_numpy(),
        }
    )


def coverage_places(regions: pd.DataFrame) -> pd.DataFrame:
    """The places with most articles now, with their count before and change."""
    return (
        regions.loc[regions["count_now"] > 0]
        .sort_values(["count_now", "code"], ascending=[False, True])
        .head(TOP_PLACES)[["code", "name", "count_now", "count_before", "change"]]
        .reset_index(drop=True)
    )


def coverage_map(now: pd.DataFrame) -> pd.DataFrame:
    """Articles now per province shape of the map (new provinces are drawn on their parent)."""
    counts = now.groupby("province_code", observed=True)["articles"].sum()
    table = provinces().assign(
        articles=lambda p: p["province_code"].map(counts).fillna(0).astype("int64")
    )
    return (
        table.groupby("map_feature", as_index=False)
        .agg(name=("province", " / ".join), articles=("articles", "sum"))
        .sort_values("map_feature")
        .reset_index(drop=True)
    )


def representative_stories(
    articles: pd.DataFrame,
    issue_ids: pd.Series,
    first: pd.Timestamp,
    last: pd.Timestamp,
    filters: dict[str, FilterValue],
) -> pd.DataFrame:
    """Up to HEADLINES articles per topic from the period: most typical first, one per outlet first."""
    dated = articles.loc[articles["published_at"].notna() & articles["topic_id"].isin(issue_ids)]
    day = wib_days(dated["published_at"])
    keep = ((day >= first) & (day <= last)).to_numpy(copy=True)
    for column, value in filters.items():
        keep &= (dated[column] == value).to_numpy()
    chosen = (
        dated.loc[keep]
        .assign(day=day[keep], key=lambda f: normalised_titles(f["title"]))
        .sort_values(
            ["topic_confidence", "published_at", "article_id"], ascending=[False, False, True]
        )
        .drop_duplicates(["topic_id", "key"])
        .assign(outlet_rank=lambda f: f.groupby(["topic_id", "source"]).cumcount())
        .sort_values(["topic_id", "outlet_rank"], kind="stable")
        .groupby("topic_id")
        .head(HEADLINES)
    )
    order = {t: i for i, t in enumerate(issue_ids)}
    return (
        chosen.assign(url=chosen["url"].map(safe_url), rank=chosen["topic_id"].map(order))
        .sort_values("rank", kind="stable")[["topic_id", "title", "url", "source", "day"]]
        .astype({"topic_id": "int64"})
        .reset_index(drop=True)
    )


# -- sentences -------------------------------------------------------------------------------------


def period_words(days: int, lang: str) -> dict[str, str]:
    """How the period and the one before are named: 'minggu ini' for seven days, else 'periode ini'."""
    kind = "week" if days == 7 else "period"
    return {
        "now": say(f"now_{kind}", lang),
        "before": say(f"before_{kind}", lang),
        "now_label": say(f"now_label_{kind}", lang),
        "before_label": say(f"before_label_{kind}", lang),
    }


def riser(topics: pd.DataFrame) -> pd.Series | None:
    """The top topic whose share grew most (by RISE at least, with MIN_RISE_ARTICLES), if any."""
    rising = topics.loc[
        (topics["count_now"] >= MIN_RISE_ARTICLES)
        & (topics["count_before"] > 0)
        & (topics["ratio"] >= RISE)
    ]
    return None if rising.empty else rising.sort_values("ratio", ascending=False).iloc[0]


def rise_sentence(topic: pd.Series, words: dict[str, str], lang: str) -> str:
    """'Keracunan naik 3,1x minggu ini, terbanyak di Jawa Barat'."""
    values = {
        "topic": capitalised(topic["label"]),
        "change": change_words(topic["ratio"], lang),
        "now": words["now"],
    }
    if isinstance(topic["place"], str):
        return say("rose_in", lang, place=topic["place"], **values)
    return say("rose", lang, **values)


def section_headlines(
    topics: pd.DataFrame,
    emerging: pd.DataFrame,
    places: pd.DataFrame,
    words: dict[str, str],
    lang: str,
) -> dict[str, str]:
    """One plain-language headline per section."""
    now = words["now"]
    if topics.empty:
        quiet = say("quiet", lang, now=now)
        return dict.fromkeys(("summary", "topics", "shares", "emerging", "places"), quiet)
    lead, rising = topics.iloc[0], riser(topics)
    led = say("led", lang, topic=capitalised(lead["label"]), now=now)
    return {
        "summary": rise_sentence(rising, words, lang) if rising is not None else led,
        "topics": say(
            "led_share",
            lang,
            topic=capitalised(lead["label"]),
            share=share_text(lead["share_now"], lang),
            now=now,
        ),
        "shares": rise_sentence(rising, words, lang)
        if rising is not None
        else say("steady", lang, now=now),
        "emerging": say(
            "emerged",
            lang,
            count=len(emerging),
            topics=", ".join(capitalised(label) for label in emerging["label"]),
            now=now,
        )
        if len(emerging)
        else say("none_emerged", lang, now=now),
        "places": say(
            "most_from",
            lang,
            place=places["name"].iloc[0],
            count=count_text(places["count_now"].iloc[0], lang),
        ),
    }


def summary_points(
    totals: pd.Series,
    headlines: dict[str, str],
    regions: pd.DataFrame,
    words: dict[str, str],
    lang: str,
) -> tuple[str, ...]:
    """Key points: volume and its change, the riser or leader, emerging topics, the largest move."""
    volume = totals_sentence(
        totals["articles_now"], totals["outlets_now"], totals["provinces_now"], lang
    )
    if totals["articles_before"]:
        ratio = totals["articles_now"] / totals["articles_before"]
        volume += ", " + say("vs", lang, change=change_words(ratio, lang), period=words["before"])
    points = [capitalised(volume), headlines["summary"], headlines["emerging"]]
    moved = regions.loc[regions["change"] != 0]
    if not moved.empty:
        top = moved.iloc[0]
        points.append(
            say(
                "moved",
                lang,
                place=top["name"],
                before=format_count(top["count_before"], lang),
                now=format_count(top["count_now"], lang),
            )
        )
    return tuple(points)


def summary_tiles(totals: pd.Series, before: str, lang: str) -> tuple[tuple[str, str], ...]:
    """Four big numbers with captions: articles, their change, outlets, provinces."""
    change = (
        change_words(totals["articles_now"] / totals["articles_before"], lang)
        if totals["articles_before"]
        else "–"
    )
    return (
        (format_count(totals["articles_now"], lang), say("articles", lang)),
        (change, say("against", lang, period=before)),
        (format_count(totals["outlets_now"], lang), say("outlets", lang)),
        (format_count(totals["provinces_now"], lang), say("provinces", lang)),
    )


def made_at(lang: str) -> str:
    """'Dibuat 16 Okt 2025 09:30 WIB'."""
    now = pd.Timestamp.now(tz="Asia/Jakarta")
    return say("made", lang, when=f"{day_text(now, lang)} {now:%H:%M}")


# -- the briefing ----------------------------------------------------------------------------------


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
    emerging = emerging_table(cube, topics, last, days, lang, filters)
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
        summary=summary_points(totals, headlines, summary["regions"], words, lang),
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
        method=tuple(say("method_lines", lang, baseline=BASELINE_PERIODS * days).split("\n")),
    )


def briefing_bytes(store: Store, fmt: str, *, with_map: bool = True, **kwargs) -> bytes:
    """The briefing (keywords of `briefing`) as a PowerPoint, HTML or PDF file's bytes.

    with_map=False leaves the map picture (drawn by Chromium, several seconds) out of a deck.
    """
    if fmt not in FORMATS:
        raise ReportError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    made = briefing(store, **kwargs)
    if fmt == "pptx":
        return briefing_pptx(made, with_map=with_map)
    if fmt == "pdf":
        return briefing_pdf(made)
    return briefing_html(made).encode("utf-8")


def write_report(
    store: Store,
    out: Path | str,
    *,
    period: str = "7d",
    as_of: pd.Timestamp | str | None = None,
    lang: str = "id",
    region: str | None = None,
    with_map: bool = True,
) -> Path:
    """Write the briefing of a period (ending on as_of, default the latest article's day) to out.

    The format follows the file's suffix: .pptx, .html or .pdf.
    """
    path = Path(out)
    fmt = path.suffix.lower().removeprefix(".")
    if fmt not in FORMATS:
        raise ReportError(f"the output file must end in .pptx, .html or .pdf, not {path.name!r}")
    checked_period(period)
    first, last = period_days(period, latest_day(store) if as_of is None else as_of)
    try:
        payload = briefing_bytes(
            store, fmt, with_map=with_map, start=first, end=last, lang=lang, region=region
        )
    except BrowserMissing as exc:
        raise ReportError(f"cannot make the {fmt.upper()}: {exc}") from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payload)
    return path
