"""The sections of a briefing: its small tables and the sentences that head them."""

from __future__ import annotations

from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from analysis.briefing.text import (
    capitalised,
    change_words,
    day_text,
    say,
    share_text,
    totals_sentence,
)
from analysis.i18n.phrasing import format_count, sentence_count
from analysis.trends.cube import FilterValue, normalised_titles, wib_days
from analysis.trends.emerging import emerging_topics, used_baseline_days
from analysis.trends.share import topic_share
from data.regions import provinces, regencies

TOP_TOPICS = 8  # topics in the now-versus-before chart
LINE_TOPICS = 5  # topics in the share-over-time chart
EMERGING = 5
HEADLINES = 3
TOP_PLACES = 10
BASELINE_PERIODS = 4  # emerging topics compare the period with this many periods before it
RISE = 1.5  # a topic whose share grew by this ratio is said to rise...
MIN_RISE_ARTICLES = 5  # ...when it has at least this many articles in the period


def safe_url(url: object) -> str | None:
    """The URL if it is an http(s) link, else None (never a javascript: or data: link)."""
    text = str(url or "").strip()
    return text if urlsplit(text).scheme.lower() in ("http", "https") else None


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
            count=sentence_count(count, "article", lang),
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
) -> tuple[pd.DataFrame, int]:
    """New and rising topics of the period with their one-line explanation in lang, and the days
    of the baseline they were measured against (fewer than BASELINE_PERIODS periods where outlets
    were added inside it)."""
    ranked = emerging_topics(
        cube,
        last,
        window=f"{days}D",
        baseline=f"{BASELINE_PERIODS * days}D",
        topics=topics,
        **filters,
    )
    chosen = ranked.loc[ranked["status"].isin(["new", "rising"])].head(EMERGING)
    baseline = used_baseline_days(ranked, BASELINE_PERIODS * days)
    table = pd.DataFrame(
        {
            "topic_id": chosen["topic_id"].astype("int64").to_numpy(),
            "label": chosen["topic_label"].to_numpy(),
            "status": [say(s, lang) for s in chosen["status"]],
            "explanation": chosen[f"explanation_{lang}"].to_numpy(),
        }
    )
    return table, baseline


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
            count=sentence_count(places["count_now"].iloc[0], "article", lang),
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
    if totals["articles_before"] and totals["collection_changed"]:
        volume += ", " + say("vs_collection", lang, period=words["before"])
    elif totals["articles_before"]:
        ratio = totals["articles_now"] / totals["articles_before"]
        volume += ", " + say("vs", lang, change=change_words(ratio, lang), period=words["before"])
    points = [capitalised(volume), headlines["summary"], headlines["emerging"]]
    moved = regions.loc[regions["change"] != 0]
    if not moved.empty and not totals["collection_changed"]:  # else the move is the collection's
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
    if totals["collection_changed"]:
        change = say("collection_changed", lang)
    elif totals["articles_before"]:
        change = change_words(totals["articles_now"] / totals["articles_before"], lang)
    else:
        change = "–"
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
