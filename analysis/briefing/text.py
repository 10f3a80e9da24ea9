"""The words of the briefing in Indonesian (id) and English (en): headings, dates and changes.

Every fixed text is in the string table i18n/briefing.toml; `say` fills one in.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.i18n.phrasing import format_count, format_decimal, format_ratio, sentence_count
from analysis.i18n.strings import said
from analysis.i18n.ui import LANGUAGES, MONTHS

#: Below these a change of share is called steady; from RATIO_WORDS up it is said as "3.1x".
STEADY = (0.9, 1.1)
RATIO_WORDS = 2.0


def checked_language(lang: str) -> str:
    """The language if the briefing speaks it, else a ValueError naming the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return lang


def say(key: str, lang: str, **values: object) -> str:
    """The text under key in lang with values filled in."""
    return said("briefing", key, lang, **values)


def totals_sentence(articles: int, outlets: int, provinces: int, lang: str) -> str:
    """'1.234 artikel dari 45 media di 12 provinsi' / '1,234 articles from 45 outlets in 12 provinces'."""
    return say(
        "totals",
        lang,
        articles=sentence_count(articles, "article", lang),
        outlets=sentence_count(outlets, "outlet", lang),
        provinces=sentence_count(provinces, "province", lang),
    )


def percent(x: float, lang: str) -> str:
    """A fraction as a whole percentage: '45%'."""
    return f"{format_count(100 * x, lang)}%"


def share_text(x: float, lang: str) -> str:
    """A share as a percentage with one decimal below 10%: '4,5%' / '4.5%', else '23%'."""
    return f"{format_decimal(100 * x, lang)}%" if 100 * x < 10 else percent(x, lang)


def change_words(ratio: float, lang: str) -> str:
    """A ratio as plain words: 'naik 3,1x', 'naik 45%', 'stabil', 'turun 30%'."""
    if math.isnan(ratio):
        return say("new_topic", lang)
    if ratio >= RATIO_WORDS:
        return say("up_times", lang, ratio=format_ratio(ratio, lang))
    if ratio >= STEADY[1]:
        return say("up_percent", lang, percent=percent(ratio - 1, lang))
    if ratio > STEADY[0]:
        return say("flat", lang)
    return say("down_percent", lang, percent=percent(1 - ratio, lang))


def day_text(day: pd.Timestamp, lang: str, year: bool = True) -> str:
    """'16 Okt 2025' / '16 Oct 2025' (without the year when year is False)."""
    text = f"{day.day} {MONTHS[lang][day.month - 1]}"
    return f"{text} {day.year}" if year else text


def span_text(first: pd.Timestamp, last: pd.Timestamp, lang: str) -> str:
    """'10–16 Okt 2025', '28 Sep – 4 Okt 2025' or '28 Des 2025 – 3 Jan 2026'."""
    if first == last:
        return day_text(first, lang)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{day_text(last, lang)}"
    return f"{day_text(first, lang, year=first.year != last.year)} – {day_text(last, lang)}"


def capitalised(text: str) -> str:
    """The text with its first letter upper-cased (the rest untouched)."""
    return text[:1].upper() + text[1:]
