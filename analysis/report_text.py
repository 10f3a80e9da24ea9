"""The words of the briefing in Indonesian (id) and English (en): headings, dates and changes."""

from __future__ import annotations

import math

import pandas as pd

from analysis.i18n import MONTHS
from analysis.phrasing import format_count, format_ratio

LANGUAGES = ("id", "en")

#: Every fixed text of the briefing, by key and language; {names} are filled in by `say`.
TEXT: dict[str, dict[str, str]] = {
    "title": {"id": "Sorotan Media", "en": "Media Spotlight"},
    "weekly": {"id": "Briefing mingguan", "en": "Weekly briefing"},
    "periodic": {"id": "Briefing {days} hari", "en": "{days}-day briefing"},
    "compared": {"id": "Dibanding {period}", "en": "Compared with {period}"},
    "store": {"id": "Data: {store}, build {build}", "en": "Data: {store}, build {build}"},
    "region": {"id": "Wilayah: {name}", "en": "Region: {name}"},
    "all_regions": {"id": "Wilayah: seluruh Indonesia", "en": "Region: all of Indonesia"},
    "made": {"id": "Dibuat {when} WIB", "en": "Made {when} WIB"},
    "sample": {"id": "DATA CONTOH SINTETIS", "en": "SYNTHETIC SAMPLE DATA"},
    "now_week": {"id": "minggu ini", "en": "this week"},
    "before_week": {"id": "minggu sebelumnya", "en": "the week before"},
    "now_period": {"id": "periode ini", "en": "this period"},
    "before_period": {"id": "periode sebelumnya", "en": "the period before"},
    "now_label_week": {"id": "Minggu ini", "en": "This week"},
    "before_label_week": {"id": "Minggu sebelumnya", "en": "Week before"},
    "now_label_period": {"id": "Periode ini", "en": "This period"},
    "before_label_period": {"id": "Periode sebelumnya", "en": "Period before"},
    # section headings (the small line above each slide's headline)
    "summary": {"id": "Ringkasan", "en": "Summary"},
    "topics": {"id": "Isu utama", "en": "Top issues"},
    "shares": {"id": "Porsi liputan dari waktu ke waktu", "en": "Share of coverage over time"},
    "emerging": {"id": "Topik yang mencuat", "en": "Emerging topics"},
    "places": {"id": "Asal liputan", "en": "Where coverage came from"},
    "issue": {"id": "Isu {rank} dari {count}", "en": "Issue {rank} of {count}"},
    "issues": {"id": "Isu utama dan beritanya", "en": "The top issues and their stories"},
    "method": {"id": "Cara membaca", "en": "How to read this"},
    "method_headline": {"id": "Dari mana angka-angka ini", "en": "Where these numbers come from"},
    # table and chart words
    "topic": {"id": "Topik", "en": "Topic"},
    "status": {"id": "Status", "en": "Status"},
    "why": {"id": "Penjelasan", "en": "Why"},
    "articles": {"id": "Artikel", "en": "Articles"},
    "outlets": {"id": "Media", "en": "Outlets"},
    "provinces": {"id": "Provinsi", "en": "Provinces"},
    "change": {"id": "Perubahan", "en": "Change"},
    "place": {"id": "Wilayah", "en": "Place"},
    "share": {"id": "Porsi liputan", "en": "Share of coverage"},
    "leading_place": {"id": "Terbanyak dari", "en": "Mostly from"},
    "headlines": {"id": "Judul berita yang mewakili", "en": "Representative headlines"},
    "no_headlines": {
        "id": "Tidak ada berita dalam periode ini.",
        "en": "No article in this period.",
    },
    "new": {"id": "baru", "en": "new"},
    "rising": {"id": "naik", "en": "rising"},
    "map_missing": {
        "id": "Peta tidak disertakan: {reason}",
        "en": "Map left out: {reason}",
    },
    # sentences
    "totals": {
        "id": "{articles} artikel dari {outlets} media di {provinces} provinsi",
        "en": "{articles} from {outlets} in {provinces}",
    },
    "rose_in": {
        "id": "{topic} {change} {now}, terbanyak di {place}",
        "en": "{topic} {change} {now}, mostly in {place}",
    },
    "rose": {"id": "{topic} {change} {now}", "en": "{topic} {change} {now}"},
    "led": {"id": "{topic} paling banyak diberitakan {now}", "en": "{topic} led the news {now}"},
    "led_share": {
        "id": "{topic} memimpin dengan {share} liputan {now}",
        "en": "{topic} led with {share} of coverage {now}",
    },
    "steady": {
        "id": "Porsi topik utama relatif stabil {now}",
        "en": "The top issues held steady {now}",
    },
    "quiet": {"id": "Tidak ada berita {now}", "en": "No news {now}"},
    "emerged": {
        "id": "{count} topik mencuat {now}: {topics}",
        "en": "{count} emerging {now}: {topics}",
    },
    "none_emerged": {"id": "Tidak ada topik yang mencuat {now}", "en": "No topic stood out {now}"},
    "most_from": {
        "id": "Liputan terbanyak dari {place}: {count} artikel",
        "en": "Most coverage came from {place}: {count}",
    },
    "moved": {
        "id": "Perubahan terbesar: {place}, {before} → {now} artikel",
        "en": "Largest change: {place}, {before} → {now} articles",
    },
    "issue_line": {"id": "{topic}: {count} artikel, {change}", "en": "{topic}: {count}, {change}"},
    "up_times": {"id": "naik {ratio}", "en": "up {ratio}"},
    "up_percent": {"id": "naik {percent}", "en": "up {percent}"},
    "down_percent": {"id": "turun {percent}", "en": "down {percent}"},
    "flat": {"id": "stabil", "en": "steady"},
    "new_topic": {"id": "topik baru", "en": "a new topic"},
    "vs": {"id": "{change} dibanding {period}", "en": "{change} vs {period}"},
    "against": {"id": "dibanding {period}", "en": "vs {period}"},
    "method_lines": {
        "id": (
            "Periode ini dibandingkan dengan periode sebelumnya yang sama panjang.\n"
            "Perubahan topik = perubahan porsinya dari seluruh liputan, bukan jumlah mentah.\n"
            "Topik mencuat: porsinya naik nyata (uji binomial, koreksi Benjamini-Hochberg) "
            "dibanding {baseline} hari sebelumnya, atau topik yang baru muncul.\n"
            "Topik dan labelnya dibentuk otomatis dari teks berita; label dapat diubah di dasbor.\n"
            "Hari dihitung dalam WIB. Berita tanpa tanggal tidak dihitung."
        ),
        "en": (
            "This period is compared with the period of equal length before it.\n"
            "A topic's change is the change of its share of all coverage, not of raw counts.\n"
            "Emerging topics: their share rose significantly (binomial test, Benjamini-Hochberg "
            "correction) against the {baseline} days before, or they are new.\n"
            "Topics and their labels are found automatically in the text; the dashboard can rename them.\n"
            "Days are counted in WIB. Undated articles are left out."
        ),
    },
}

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
    return TEXT[key][lang].format(**values)


def counted_en(n: float, one: str, many: str) -> str:
    """'1 outlet', '9 outlets'."""
    return f"{format_count(n, 'en')} {one if round(n) == 1 else many}"


def totals_sentence(articles: int, outlets: int, provinces: int, lang: str) -> str:
    """'1.234 artikel dari 45 media di 12 provinsi' / '1,234 articles from 45 outlets in 12 provinces'."""
    if lang == "id":
        values = [format_count(n, "id") for n in (articles, outlets, provinces)]
    else:
        values = [
            counted_en(articles, "article", "articles"),
            counted_en(outlets, "outlet", "outlets"),
            counted_en(provinces, "province", "provinces"),
        ]
    return say(
        "totals", lang, **dict(zip(("articles", "outlets", "provinces"), values, strict=True))
    )


def percent(x: float, lang: str) -> str:
    """A fraction as a whole percentage: '45%'."""
    return f"{format_count(100 * x, lang)}%"


def share_text(x: float, lang: str) -> str:
    """A share as a percentage with one decimal below 10%: '4,5%' / '4.5%', else '23%'."""
    if 100 * x < 10:
        text = f"{100 * x:.1f}%"
        return text.replace(".", ",") if lang == "id" else text
    return percent(x, lang)


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
