"""Presenter slides: one chart each, under a plain-language headline built from the period's data."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from analysis.dashboard import panels
from analysis.dashboard.filters import Filters, emerging_window, window_rows
from analysis.dashboard.places import placed_counts, placed_sentence, province_names
from analysis.i18n.phrasing import format_ratio
from analysis.i18n.ui import format_number, text
from analysis.trends.angles import region_angles

#: A topic is said to be "in" a province when that province holds this share of its articles.
LEADING_SHARE = 0.4
RISING_SLIDES = 3


@dataclass(frozen=True)
class Slide:
    """What one slide shows: its kind of chart, headline, a line of detail, and its subject."""

    kind: str  # volume | rising | top | map | angle
    headline: str
    detail: str
    topic_id: int | None = None
    province_code: str | None = None
    baseline_days: int | None = None  # a rise's: the days before its window it is measured against


def period_phrase(days: int, lang: str) -> str:
    """'minggu ini' / 'this week' for 7 days, 'bulan ini' for a month, else 'dalam N hari terakhir'."""
    if days == 7:
        return text("phrase_week", lang)
    if 28 <= days <= 31:
        return text("phrase_month", lang)
    return text("phrase_days", lang, n=format_number(days, lang))


def topic_name(label: str) -> str:
    """A topic label fit for a sentence: automatic keyword labels are quoted."""
    return f"“{label}”" if " · " in label else label


def leading_province(cube: pd.DataFrame, topic_id: int, filters: Filters) -> str | None:
    """The province holding at least LEADING_SHARE of a topic's articles in the period, if any."""
    rows = window_rows(cube, filters)
    rows = rows.loc[rows["topic_id"] == topic_id]
    by_province = rows.groupby("province_code", observed=True)["articles"].sum()
    total = by_province.sum()
    if total == 0:
        return None
    top = by_province.idxmax()
    return str(top) if by_province[top] / rows["articles"].sum() >= LEADING_SHARE else None


def rising_window(filters: Filters) -> Filters:
    """The filters over the days a rise is measured in (panels.emerging's window: the period,
    kept between 7 and 90 days), which a rising slide's headline names and its chart shows."""
    window, _ = emerging_window(filters)
    return replace(filters, start=filters.end - pd.Timedelta(window) + pd.Timedelta(days=1))


def baseline_share(cube: pd.DataFrame, filters: Filters, topic_id: int, days: int) -> float | None:
    """A topic's share of coverage over the baseline its rise is measured against (the given
    days before the emerging window, as panels.emerging reads them); None when it holds no
    article."""
    window, _ = emerging_window(filters)
    last = filters.end - pd.Timedelta(window)
    rows = window_rows(cube, replace(filters, start=last - pd.Timedelta(days=days - 1), end=last))
    total = int(rows["articles"].sum())
    return (
        float(rows.loc[rows["topic_id"] == topic_id, "articles"].sum()) / total if total else None
    )


def rising_headline(row: pd.Series, place: str | None, phrase: str, lang: str) -> str:
    """'Banjir naik 3,1x di Banten minggu ini' for a rising topic, or the new-topic variant."""
    where = text("in_place", lang, place=place) if place else ""
    key = "headline_new" if row["status"] == "new" else "headline_rising"
    sentence = text(
        key,
        lang,
        topic=topic_name(str(row["topic_label"])),
        ratio=format_ratio(float(row["effect"]), lang) if pd.notna(row["effect"]) else "",
        where=where,
        phrase=phrase,
    )
    return " ".join(sentence.split())


def _volume_slide(cube: pd.DataFrame, filters: Filters, phrase: str, lang: str) -> Slide:
    """Totals of the period against the one before."""
    figures = panels.headline_figures(cube, filters).set_index("metric")
    now, before = figures.loc["articles", "now"], figures.loc["articles", "before"]
    if not before:
        change = text("detail_no_change", lang)
    elif not figures.loc["articles", "comparable"]:
        change = text("detail_collection", lang)
    else:
        change = text("detail_change", lang, change=f"{(now - before) / before:+.0%}")
    return Slide(
        "volume",
        text(
            "headline_volume",
            lang,
            articles=format_number(now, lang),
            outlets=format_number(figures.loc["outlets", "now"], lang),
            phrase=phrase,
        ),
        change,
    )


def presenter_slides(
    cube: pd.DataFrame, topics: pd.DataFrame, filters: Filters, lang: str
) -> list[Slide]:
    """Slides for the period: totals, the biggest rises, the top topics, the map, a region angle."""
    phrase = period_phrase(filters.days, lang)
    slides = [_volume_slide(cube, filters, phrase, lang)]
    if not topics.empty:
        table = panels.emerging(cube, topics, filters, lang)
        rising = table.loc[table["status"].isin(["new", "rising"])].head(RISING_SLIDES)
        rising_phrase = period_phrase(rising_window(filters).days, lang)
        for _, row in rising.iterrows():
            code = leading_province(cube, int(row["topic_id"]), filters)
            place = province_names().get(code) if code else None
            slides.append(
                Slide(
                    "rising",
                    rising_headline(row, place, rising_phrase, lang),
                    str(row["explanation"]),
                    topic_id=int(row["topic_id"]),
                    province_code=code,
                    baseline_days=int(row["baseline_days"]),
                )
            )
        top = panels.top_topics(cube, topics, filters, 1)
        if not top.empty:
            slides.append(
                Slide(
                    "top",
                    text(
                        "headline_top",
                        lang,
                        phrase=phrase,
                        topic=topic_name(str(top["topic_label"][0])),
                    ),
                    text("detail_top", lang),
                    topic_id=int(top["topic_id"][0]),
                )
            )
    places = panels.place_volume(cube, filters)
    if not places.empty and places["articles"].iloc[0] > 0:
        first = places.iloc[0]
        share = first["articles"] / max(int(places["articles"].sum()), 1)
        slides.append(
            Slide(
                "map",
                text("headline_map", lang, place=first["name"], share=f"{share:.0%}"),
                text(
                    "detail_map", lang, placed=placed_sentence(*placed_counts(cube, filters), lang)
                ),
                province_code=str(first["code"]),
            )
        )
        angle = _angle_slide(
            cube, topics, filters, filters.province_code or str(first["code"]), lang
        )
        if angle is not None:
            slides.append(angle)
    return slides


def _angle_slide(
    cube: pd.DataFrame, topics: pd.DataFrame, filters: Filters, province: str, lang: str
) -> Slide | None:
    """The province's strongest credible story angle, if it has one."""
    if topics.empty:
        return None
    try:
        table = region_angles(
            cube,
            province_code=province,
            topics=topics[["topic_id", "label"]],
            start=filters.start,
            end=filters.end,
            **filters.cube_filters(places=False),
        )
    except ValueError:
        return None
    table = table.loc[
        table["credible"] & (table["lift"] > 1) & table["topic_id"].isin(topics["topic_id"])
    ]
    if table.empty:
        return None
    best = table.iloc[0]
    return Slide(
        "angle",
        panels.angle_sentence(str(best[f"explanation_{lang}"])),
        text("detail_angle", lang),
        topic_id=int(best["topic_id"]),
        province_code=province,
    )
