"""The dashboard's words in Bahasa Indonesia (default) and English, with dates and numbers as each
language writes them.

The words themselves are data: ui.toml (the pages), charts.toml (the words drawn inside charts)
and modebar.toml (Plotly's own words around a chart) beside this module, one table per language,
read once when this module is first imported.
"""

from __future__ import annotations

import pandas as pd

from analysis.i18n.phrasing import format_count
from analysis.i18n.strings import strings

LANGUAGES = ("id", "en")
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
MONTHS = {
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
STRINGS: dict[str, dict[str, str]] = strings("ui")
ID, EN = STRINGS["id"], STRINGS["en"]
#: Words drawn inside charts, by charts.LABELS key.
CHART_LABELS: dict[str, dict[str, str]] = strings("charts")
#: Plotly's own words around a chart (modebar titles, notices), by their English text.
MODEBAR: dict[str, dict[str, str]] = strings("modebar")


def text(key: str, lang: str, **values: object) -> str:
    """The UI string for key in lang (Indonesian when lang is unknown), with values filled in."""
    table = STRINGS.get(lang, ID)
    template = table.get(key, ID.get(key, key))
    return template.format(**values) if values else template


def chart_labels(lang: str) -> dict[str, str]:
    """The words charts draw, in lang."""
    return CHART_LABELS.get(lang, CHART_LABELS["id"])


def plotly_locale(lang: str) -> dict:
    """Plotly config naming a locale whose dictionary puts Plotly's own words in lang."""
    return {
        "locale": f"sorotan-{lang}",
        "locales": {f"sorotan-{lang}": {"dictionary": MODEBAR[lang]}},
    }


def format_number(n: float, lang: str) -> str:
    """A whole number with the language's thousands separator."""
    return format_count(n, lang)


def format_day(moment: pd.Timestamp, lang: str) -> str:
    """'31 Okt 2026' / '31 Oct 2026' (timezone-aware moments are shown in WIB)."""
    stamp = pd.Timestamp(moment)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("Asia/Jakarta")
    return f"{stamp.day} {MONTHS.get(lang, MONTHS['id'])[stamp.month - 1]} {stamp.year}"


def format_range(start: pd.Timestamp, end: pd.Timestamp, lang: str) -> str:
    """'1 Okt – 31 Okt 2026', or with both years when they differ."""
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    months = MONTHS.get(lang, MONTHS["id"])
    head = f"{first.day} {months[first.month - 1]}"
    if first.year != last.year:
        head += f" {first.year}"
    return f"{head} – {format_day(last, lang)}"


def format_period(start: pd.Timestamp, freq: str, lang: str) -> str:
    """A period as read: a day, 'minggu 6 Okt 2026' / 'week of 6 Oct 2026', or 'Okt 2026'."""
    stamp = pd.Timestamp(start)
    months = MONTHS.get(lang, MONTHS["id"])
    if freq == "M":
        return f"{months[stamp.month - 1]} {stamp.year}"
    if freq == "W":
        return ("minggu {day}" if lang == "id" else "week of {day}").format(
            day=format_day(stamp, lang)
        )
    return format_day(stamp, lang)


def notice_in(notice: str, lang: str) -> str:
    """The part of a bilingual notice (Indonesian, then English from its first 'Synthetic') in lang."""
    head, marker, tail = notice.partition("Synthetic")
    if not marker:
        return notice
    return head.strip() if lang == "id" else (marker + tail).strip()
