"""A seeded synthetic corpus that looks like two years of Indonesian regional news, messy as real input.

Every outlet, person, company and event in it is invented; every outlet domain ends in .example.id.
Places are real regencies and provinces. `PLANTED` says which patterns were planted (a burst, a new
theme, a seasonal theme, regional specialities, a syndicated-only burst) so that tests and the
analysis layer can check that they are found. Dates in the plan are calendar dates in WIB.
"""

from __future__ import annotations

import csv
import json
import random
import re
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple, TextIO

import numpy as np
import pandas as pd

from data.regions import provinces, regencies
from data.sample_phrases import (
    BURST_SENTENCES,
    DISTRICTS,
    EDITS,
    FAMILY_NAMES,
    GENERIC,
    GENERIC_ENGLISH,
    GIVEN_NAMES,
    THEMES,
    TITLE_EDITS,
    VILLAGES,
    VOCAB,
    Theme,
)
from data.schema import RAW_COLUMNS

SYNTHETIC_NOTICE = (
    "Data contoh sintetis: seluruh berita, media, tokoh, perusahaan, dan peristiwa di dalamnya "
    "rekaan, dibuat oleh generator acak; hanya nama wilayah yang nyata. "
    "Synthetic sample data: every article, outlet, person, company and event in it is invented by a "
    "random generator; only the place names are real."
)

DEFAULT_END = date(2026, 10, 31)
DEFAULT_MONTHS = 24
MIN_MONTHS = 12
MIN_ARTICLES = 1_000
SAMPLE_DOMAIN = "example.id"  # every invented outlet publishes under it

#: Extra columns of `labelled_frames`: what each raw row really is.
TRUTH_COLUMNS: tuple[str, ...] = (
    "truth_theme",
    "truth_province_code",
    "truth_regency_code",
    "truth_published_at",  # UTC
    "truth_kind",  # original | syndicated | syndicated_burst | tracked_repeat | updated_repeat | no_text
    "truth_story",  # copies share the story number of what they copy; the syndicated burst is -1
    "truth_language",
)

BLOCK_ROWS = 2_000  # rows generated together from one seed; output does not depend on chunk_rows
SHARES: dict[str, float] = {  # share of all rows, by kind
    "syndicated": 0.07,
    "tracked_repeat": 0.02,
    "updated_repeat": 0.005,
    "no_text": 0.004,
}
UNDATED_SHARE = 0.03
HOME_SHARE = 0.85  # of a regional outlet's stories, those about its home province
HOME_REGENCY_SHARE = 0.45  # of those, about its home city or regency, when it has one
SYNDICATED_BURST_SHARE = 0.002  # copies of the syndicated-only story, at least SYNDICATED_BURST_MIN
SYNDICATED_BURST_MIN = 40
WORDS = (120, 400)


# --- the plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Burst:
    """Many distinct stories of one theme in a few provinces over a few weeks."""

    theme: str
    event: str
    start: date
    end: date
    provinces: tuple[str, ...]

    def stories(self, n_articles: int) -> int:
        """How many stories of a corpus of n_articles rows are planted burst stories (on top of the
        theme's usual coverage)."""
        return max(BURST_MIN, round(n_articles * BURST_SHARE))


@dataclass(frozen=True)
class SyndicatedBurst:
    """One story copied by many outlets within days: a burst of rows, but a single article."""

    theme: str
    title: str
    source: str
    regency_code: str
    start: date
    end: date

    def copies(self, n_articles: int) -> int:
        """How many rows of a corpus of n_articles rows are copies of this story."""
        return max(SYNDICATED_BURST_MIN, round(n_articles * SYNDICATED_BURST_SHARE))


@dataclass(frozen=True)
class SamplePlan:
    """The structure planted in the sample corpus."""

    start: date
    end: date
    themes: Mapping[str, str]  # theme key -> label
    burst: Burst
    new_theme: str  # no story before new_theme_first
    new_theme_first: date
    seasonal_theme: str
    seasonal_months: tuple[int, ...]  # its peak months
    specialities: Mapping[str, str]  # province_code -> theme covered far more there than elsewhere
    syndicated_burst: SyndicatedBurst
    fading_theme: str  # covered heavily at the start, hardly at the end
    holiday_theme: str  # peaks in the weeks around each holiday
    holidays: tuple[date, ...]


LEBARAN: tuple[date, ...] = tuple(
    date.fromisoformat(day)
    for day in (
        "2020-05-24", "2021-05-13", "2022-05-02", "2023-04-22", "2024-04-10", "2025-03-31",
        "2026-03-20", "2027-03-10", "2028-02-27", "2029-02-15", "2030-02-05", "2031-01-25",
    )
)  # fmt: skip

SPECIALITIES: dict[str, str] = {
    "72": "gempa",  # Sulawesi Tengah
    "52": "gempa",  # Nusa Tenggara Barat
    "64": "tambang",  # Kalimantan Timur
    "74": "tambang",  # Sulawesi Tenggara
    "82": "tambang",  # Maluku Utara
    "81": "nelayan",  # Maluku
    "51": "pariwisata",  # Bali
    "36": "jalan_rusak",  # Banten
}
NEW_THEME_MONTHS = 6
SYNDICATED_LEAD = (
    "Pemerintah meresmikan kawasan industri hijau senilai Rp 12,4 triliun di Kabupaten Grobogan, "
    "Jawa Tengah, yang ditargetkan menyerap 8.000 pekerja lokal dalam tiga tahun ke depan."
)


def _month_start(day: date, months_back: int) -> date:
    """The first day of the month months_back months before day's month."""
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def sample_plan(end: date = DEFAULT_END, months: int = DEFAULT_MONTHS) -> SamplePlan:
    """The planted structure of a sample corpus of `months` months ending on `end`."""
    if months < MIN_MONTHS:
        raise ValueError(f"months must be at least {MIN_MONTHS} (got {months})")
    start = _month_start(end, months - 1)
    burst_start = _month_start(end, months - 1 - round(months * 0.45)) + timedelta(days=9)
    syndicated_start = _month_start(end, months - 1 - round(months * 0.3)) + timedelta(days=16)
    return SamplePlan(
        start=start,
        end=end,
        themes=MappingProxyType({key: theme.label for key, theme in THEMES.items()}),
        burst=Burst(
            theme="keracunan",
            event="Keracunan massal menu makan siang sekolah",
            start=burst_start,
            end=burst_start + timedelta(days=20),
            provinces=("32", "33", "36"),
        ),
        new_theme="motor_listrik",
        new_theme_first=_month_start(end, NEW_THEME_MONTHS - 1),
        seasonal_theme="banjir",
        seasonal_months=(11, 12, 1, 2, 3),
        specialities=MappingProxyType(dict(SPECIALITIES)),
        syndicated_burst=SyndicatedBurst(
            theme="investasi",
            title="Kawasan Industri Hijau Rp 12,4 Triliun Diresmikan di Grobogan, Serap 8.000 Pekerja",
            source="Kantor Berita Nusa",
            regency_code="33.15",
            start=syndicated_start,
            end=syndicated_start + timedelta(days=1),
        ),
        fading_theme="pilkada",
        holiday_theme="mudik",
        holidays=tuple(day for day in LEBARAN if start <= day <= end),
    )


# --- outlets, their house styles, the files they end up in ---------------------------------------


class Outlet(NamedTuple):
    """An invented news outlet."""

    name: str
    domain: str
    province_code: str  # home province
    regency_code: str  # home city or regency, "" when none
    house: str
    weight: float
    national: bool = False
    date_format: str = ""  # overrides the house's


OUTLETS: tuple[Outlet, ...] = (
    Outlet("Warta Banten", "wartabanten.example.id", "36", "", "tribun", 5.0),
    Outlet("Kabar Cilegon", "kabarcilegon.example.id", "36", "36.72", "wp", 2.0),
    Outlet("Kabar Serang Raya", "kabarserangraya.example.id", "36", "36.73", "kompas", 4.0),
    Outlet("Suara Tangerang Kini", "suaratangerangkini.example.id", "36", "36.71", "detak", 3.0),
    Outlet("Lebak Sepekan", "lebaksepekan.example.id", "36", "36.02", "pemda", 1.5),
    Outlet("Serang Hari Ini", "seranghariini.example.id", "36", "36.73", "pemda", 2.0),
    Outlet("Kabar Jakarta Sepekan", "kabarjakartasepekan.example.id", "31", "", "detak", 2.0, date_format="naive"),
    Outlet("Warta Priangan Timur", "wartapriangantimur.example.id", "32", "", "kompas", 3.0),
    Outlet("Kabar Bogor Raya", "kabarbogorraya.example.id", "32", "32.01", "detak", 2.0),
    Outlet("Suara Cirebon Pesisir", "suaracirebonpesisir.example.id", "32", "32.74", "wp", 1.5),
    Outlet("Warta Garut Kini", "wartagarutkini.example.id", "32", "32.05", "okezone", 1.5),
    Outlet("Jateng Terkini", "jatengterkini.example.id", "33", "", "tribun", 3.0),
    Outlet("Kabar Banyumasan", "kabarbanyumasan.example.id", "33", "33.02", "wp", 1.5),
    Outlet("Suara Semarang Raya", "suarasemarangraya.example.id", "33", "33.74", "kompas", 2.0),
    Outlet("Warta Jogja Istimewa", "wartajogjaistimewa.example.id", "34", "", "slash", 1.5),
    Outlet("Kabar Jatim Kulon", "kabarjatimkulon.example.id", "35", "", "detak", 3.0),
    Outlet("Kabar Surabaya Kota", "kabarsurabayakota.example.id", "35", "35.78", "tribun", 2.0),
    Outlet("Suara Tapal Kuda", "suaratapalkuda.example.id", "35", "35.10", "wp", 1.5),
    Outlet("Kabar Tanah Rencong", "kabartanahrencong.example.id", "11", "", "slash", 1.5),
    Outlet("Medan Pagi Ini", "medanpagiini.example.id", "12", "12.75", "tribun", 2.0),
    Outlet("Suara Minang Baru", "suaraminangbaru.example.id", "13", "", "wp", 1.5),
    Outlet("Riau Terkini Pos", "riauterkinipos.example.id", "14", "", "okezone", 1.5),
    Outlet("Kabar Batanghari", "kabarbatanghari.example.id", "15", "", "pemda", 1.0, date_format="iso_date"),
    Outlet("Palembang Sepekan", "palembangsepekan.example.id", "16", "16.71", "kompas", 1.5),
    Outlet("Warta Rafflesia", "wartarafflesia.example.id", "17", "", "wp", 0.8, date_format="dash"),
    Outlet("Suara Lampung Raya", "suaralampungraya.example.id", "18", "", "tribun", 2.0),
    Outlet("Kabar Serumpun Babel", "kabarserumpunbabel.example.id", "19", "", "pemda", 0.8),
    Outlet("Kepri Pesisir News", "kepripesisir.example.id", "21", "", "slash", 0.8),
    Outlet("Bali Dwipa Warta", "balidwipawarta.example.id", "51", "", "eastern", 1.5),
    Outlet("Lombok Sepekan", "lomboksepekan.example.id", "52", "", "eastern", 1.2),
    Outlet("Kabar Flobamora Sepekan", "kabarflobamora.example.id", "53", "", "eastern", 1.0),
    Outlet("Kabar Khatulistiwa Barat", "kabarkhatulistiwa.example.id", "61", "", "okezone", 1.2),
    Outlet("Warta Tambun Bungai", "wartatambunbungai.example.id", "62", "", "pemda", 0.8),
    Outlet("Banjar Hari Ini", "banjarhariini.example.id", "63", "", "eastern", 1.2),
    Outlet("Kabar Mahakam Digital", "kabarmahakam.example.id", "64", "", "iso", 1.5),
    Outlet("Kabar Perbatasan Utara", "kabarperbatasan.example.id", "65", "", "eastern", 0.6),
    Outlet("Manado Nyiur Sepekan", "manadonyiur.example.id", "71", "", "eastern", 1.0),
    Outlet("Palu Bangkit", "palubangkit.example.id", "72", "72.71", "iso", 1.2),
    Outlet("Warta Anging Mammiri", "wartaangingmammiri.example.id", "73", "", "eastern", 2.0),
    Outlet("Kendari Sepekan", "kendarisepekan.example.id", "74", "74.71", "iso", 1.0),
    Outlet("Gorontalo Kini", "gorontalokini.example.id", "75", "", "eastern", 0.6),
    Outlet("Suara Mandar Raya", "suaramandarraya.example.id", "76", "", "eastern", 0.5),
    Outlet("Kabar Seribu Pulau", "kabarseribupulau.example.id", "81", "", "eastern", 0.8),
    Outlet("Warta Kie Raha", "wartakieraha.example.id", "82", "", "iso", 0.6),
    Outlet("Kabar Tanah Papua", "kabartanahpapua.example.id", "91", "", "eastern", 0.8),
    Outlet("Kabar Nusa Nasional", "kabarnusa.example.id", "31", "", "kompas", 6.0, national=True),
    Outlet("Kantor Berita Nusa", "beritanusa.example.id", "31", "", "antara", 5.0, national=True),
    Outlet("Sorot Daerah Harian", "sorotdaerah.example.id", "31", "", "okezone", 4.0, national=True),
    Outlet("Archipelago Herald", "archipelagoherald.example.id", "31", "", "english", 0.95, national=True),
)  # fmt: skip


class House(NamedTuple):
    """How an outlet dresses a story: dateline, date, URL, boilerplate."""

    dateline: str  # str.format with place, PLACE, outlet, OUTLET
    date_format: str
    url: str  # str.format with domain, section, year, month, day, id, slug
    joiner: str  # between paragraphs
    category: str  # "theme", "" (none) or a fixed rubric
    extras: tuple[str, ...]  # boilerplate kinds, see BOILERPLATE
    signoff: str  # str.format with ini, ini2, editor, reporter, outlet, year
    typographic: bool = False
    glued: bool = False  # words glued where links were removed
    source_is_domain: bool = False
    language: str = "id"


HOUSES: dict[str, House] = {
    "detak": House(
        "{place} - ", "day_short", "https://{section}.{domain}/berita/d-{id}/{slug}", "\n",
        "theme", ("ad_scroll", "read_also"), "({ini}/{ini2})",
    ),
    "kompas": House(
        "{PLACE}, {OUTLET} - ", "outlet_slash", "https://regional.{domain}/read/{year}/{month}/{day}/{id}/{slug}",
        "\n", "Regional", ("read_also_break",), "",
    ),
    "antara": House(
        "{place} ({OUTLET}) - ", "day_long_dash", "https://{domain}/berita/{id}/{slug}", "\n\n",
        "theme", (), "Pewarta: {reporter}\nEditor: {editor}\nCopyright \u00a9 {outlet} {year}",
        source_is_domain=True,
    ),
    "tribun": House(
        "{OUTLET}, {PLACE} - ", "day_long", "https://{domain}/{year}/{month}/{day}/{slug}", "\n\n",
        "theme", ("read_also", "read_also", "first_published"), "",
    ),
    "wp": House(
        "", "long", "https://{domain}/{year}/{month}/{day}/{slug}/", "\n\n",
        "Berita", ("share",), "Editor: {editor}",
    ),
    "okezone": House(
        "{PLACE} - ", "epoch", "https://{domain}/read/{year}/{month}/{day}/{section_id}/{id}/{slug}", "\n",
        "theme", ("advertisement",), "({ini})", glued=True, source_is_domain=True,
    ),
    "pemda": House(
        "{kind_place} ({outlet}) - ", "short", "https://{domain}/berita/{id}/{slug}", "\n\n",
        "", ("repeat_title",), "(*)",
    ),
    "eastern": House(
        "{PLACE} \u2013 ", "day_pipe", "https://{domain}/{section}/{slug}-{id}", "\n",
        "theme", ("read_also",), "(*/{ini})", typographic=True,
    ),
    "iso": House(
        "{outlet}, {PLACE} - ", "iso", "https://{domain}/news/{id}/{slug}", "\n\n",
        "theme", ("advertisement",), "Editor: {editor}",
    ),
    "slash": House(
        "{PLACE} - ", "slash_zone", "https://{domain}/{section}/{slug}-{id}", "\n",
        "theme", ("read_also",), "({ini})",
    ),
    "english": House(
        "{PLACE} ({outlet}) - ", "english", "https://{domain}/news/{year}/{month}/{day}/{slug}", "\n\n",
        "News", (), "", language="en",
    ),
}  # fmt: skip


class OutputFile(NamedTuple):
    """One raw input file of the sample: its format and its header for each raw column."""

    name: str
    delimiter: str  # "" for JSON Lines
    encoding: str
    header: Mapping[str, str]  # raw column -> column name in the file


FILES: dict[str, OutputFile] = {
    "jawa": OutputFile(
        "warta_jawa_banten.csv", ",", "utf-8",
        {"title": "title", "text": "text", "date": "date", "url": "url", "source": "source", "category": "category"},
    ),
    "sumatera": OutputFile(
        "berita_sumatera.csv", ";", "utf-8-sig",
        {"title": "judul", "text": "isi", "date": "tanggal", "url": "link", "source": "sumber", "category": "kategori"},
    ),
    "timur": OutputFile(
        "kliping_indonesia_timur.tsv", "\t", "cp1252",
        {"title": "Judul", "text": "Isi", "date": "Tanggal", "url": "URL", "source": "Sumber", "category": "Kategori"},
    ),
    "nasional": OutputFile(
        "feed_nasional.jsonl", "", "utf-8",
        {"title": "title", "text": "content", "date": "date", "url": "link", "source": "source", "category": "category"},
    ),
    "tautan": OutputFile(
        "tautan_dibagikan.csv", ",", "utf-8",
        {"title": "judul", "text": "isi", "date": "tanggal", "url": "url", "source": "sumber"},
    ),
}  # fmt: skip

TRACKING: tuple[str, ...] = (
    "?utm_source=whatsapp&utm_medium=social",
    "?utm_source=facebook&utm_medium=share&utm_campaign=berita",
    "?fbclid=IwAR0{id}",
    "?utm_source=twitter",
    "?amp=1&utm_source=telegram",
)
NO_TEXT: tuple[tuple[bool, str], ...] = (  # (title kept, text) of a row whose scrape lost the body
    (False, ""), (False, " \n "), (True, ""), (True, "ADVERTISEMENT\n\nSCROLL TO CONTINUE WITH CONTENT"),
)  # fmt: skip
UNDATED: tuple[str, ...] = ("", "", "Tidak Ditemukan", "-")

PROVINCE_WEIGHTS: dict[str, float] = {  # people, millions, rounded
    "11": 5.3, "12": 14.8, "13": 5.5, "14": 6.4, "15": 3.5, "16": 8.5, "17": 2.0, "18": 9.0,
    "19": 1.5, "21": 2.1, "31": 10.6, "32": 48.3, "33": 36.5, "34": 3.7, "35": 41.0, "36": 11.9,
    "51": 4.3, "52": 5.3, "53": 5.3, "61": 5.4, "62": 2.7, "63": 4.1, "64": 3.8, "65": 0.7,
    "71": 2.6, "72": 3.0, "73": 9.1, "74": 2.6, "75": 1.2, "76": 1.4, "81": 1.8, "82": 1.3,
    "91": 1.0, "92": 0.6, "93": 0.5, "94": 1.3, "95": 1.4, "96": 0.6,
}  # fmt: skip
WITA_PROVINCES = frozenset({"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"})
WIT_PROVINCES = frozenset({"81", "82", "91", "92", "93", "94", "95", "96"})
FILE_BY_ISLANDS: dict[str, str] = {  # first digit of the outlet's province code -> file key
    "1": "sumatera", "2": "sumatera", "3": "jawa", "5": "timur", "6": "timur", "7": "timur",
    "8": "timur", "9": "timur",
}  # fmt: skip
REGION_FACTORS: dict[tuple[str, str], float] = {  # (first digit of province code, theme) -> factor
    ("6", "tambang"): 2.0, ("7", "tambang"): 2.0, ("3", "tambang"): 0.4,
    ("7", "gempa"): 1.6, ("5", "gempa"): 1.6, ("9", "nelayan"): 1.5, ("8", "nelayan"): 1.5,
}  # fmt: skip
SPECIALITY_WEIGHT = 20.0  # added to the theme's weight in its province, multiplying it at least
SPECIALITY_FACTOR = 6.0  # by this
BURST_SHARE = 0.005  # stories of the planted burst, at least BURST_MIN, besides the theme's usual
BURST_MIN = 15
AROUND_LEBARAN: tuple[tuple[str, int, int, float, float], ...] = (
    # theme, first and last day relative to Lebaran, weight factor inside and outside those days
    ("mudik", -21, 7, 14.0, 0.25),
    ("kecelakaan", -21, 7, 1.5, 1.0),
    ("harga_pangan", -35, 0, 1.5, 1.0),
)
WEEKDAY_WEIGHTS = (1.0, 1.05, 1.05, 1.0, 0.95, 0.7, 0.6)

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
SMALL_WORDS = frozenset(
    {"di", "ke", "dari", "dan", "yang", "untuk", "per", "pada", "dengan", "atau",
     "of", "in", "to", "the", "and", "at", "for", "as", "on", "a", "an"}
)  # fmt: skip
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
SECTION_IDS: dict[str, int] = {"Peristiwa": 340, "Ekonomi": 320, "Politik": 337, "Daerah": 525}


# --- a tiny template engine ------------------------------------------------------------------------


class _Slot(NamedTuple):
    """{name} in a template."""

    name: str


class _Choice(NamedTuple):
    """[a|b] in a template."""

    options: tuple[tuple, ...]


_TOKEN = re.compile(r"\{(\w+)\}|\[([^\[\]]+)\]")


def _compiled(template: str) -> tuple:
    """A template as literal strings, slots ({name}) and choices ([a|b])."""
    tokens: list = []
    position = 0
    for match in _TOKEN.finditer(template):
        if match.start() > position:
            tokens.append(template[position : match.start()])
        if match[1]:
            tokens.append(_Slot(match[1]))
        else:
            tokens.append(_Choice(tuple(_compiled(option) for option in match[2].split("|"))))
        position = match.end()
    if position < len(template):
        tokens.append(template[position:])
    return tuple(tokens)


class _Library(NamedTuple):
    """Every template, compiled once."""

    titles: dict[str, tuple]
    leads: dict[str, tuple]
    body: dict[str, tuple]
    quotes: dict[str, tuple]
    officials: dict[str, tuple]
    english: dict[str, tuple]
    generic: tuple
    generic_english: tuple
    burst: tuple
    vocab: dict[str, tuple]


@cache
def _library() -> _Library:
    """The compiled templates."""

    def each(field: Callable[[Theme], tuple[str, ...]]) -> dict[str, tuple]:
        return {key: tuple(map(_compiled, field(theme))) for key, theme in THEMES.items()}

    return _Library(
        titles=each(lambda theme: theme.titles),
        leads=each(lambda theme: theme.leads),
        body=each(lambda theme: theme.body),
        quotes=each(lambda theme: theme.quotes),
        officials=each(lambda theme: theme.officials),
        english=each(lambda theme: theme.english),
        generic=tuple(map(_compiled, GENERIC)),
        generic_english=tuple(map(_compiled, GENERIC_ENGLISH)),
        burst=tuple(map(_compiled, BURST_SENTENCES)),
        vocab={key: tuple(map(_compiled, values)) for key, values in VOCAB.items()},
    )


# --- places and names ------------------------------------------------------------------------------


class Place(NamedTuple):
    """A regency or city as stories name it."""

    code: str
    province_code: str
    province: str
    short: str  # Lebak
    long: str  # Kabupaten Lebak
    kota: bool


def _place(code: str, name: str, kind: str, province_code: str, province: str) -> Place:
    """A Place from one row of the regions list."""
    short = name.removeprefix("Administrasi ")
    long = (
        short if province_code == "31" else f"{'Kota' if kind == 'kota' else 'Kabupaten'} {short}"
    )
    return Place(code, province_code, province, short, long, kind == "kota")


@cache
def _places() -> tuple[Place, ...]:
    """Every regency and city, in code order."""
    names = dict(zip(provinces()["province_code"], provinces()["province"], strict=True))
    frame = regencies()
    return tuple(
        _place(code, name, kind, province_code, names[province_code])
        for code, name, kind, province_code in zip(
            frame["regency_code"], frame["name"], frame["kind"], frame["province_code"], strict=True
        )
    )


def _zone(province_code: str) -> tuple[str, int]:
    """The time zone (label, hours ahead of UTC) of a province."""
    if province_code in WITA_PROVINCES:
        return "WITA", 8
    return ("WIT", 9) if province_code in WIT_PROVINCES else ("WIB", 7)


def _person(key: str) -> tuple[str, str]:
    """A stable invented full name for a role (same key, same name) and how stories refer to it."""
    digest = zlib.crc32(key.encode())
    given = GIVEN_NAMES[digest % len(GIVEN_NAMES)]
    family = FAMILY_NAMES[(digest // len(GIVEN_NAMES)) % len(FAMILY_NAMES)]
    return f"{given} {family}", given if digest % 3 == 0 else family


def _thousands(number: int) -> str:
    """An integer written the Indonesian way: 12.500."""
    return f"{number:,}".replace(",", ".")


def _headline(text: str) -> str:
    """A title in headline case, small words and words that are not lowercase left alone."""
    words = text.split(" ")
    return " ".join(
        word[:1].upper() + word[1:] if i == 0 or word not in SMALL_WORDS else word
        for i, word in enumerate(words)
    )


# --- one story -------------------------------------------------------------------------------------


class _Story(NamedTuple):
    """What an article says, before an outlet dresses it."""

    story: int
    theme: str
    place: Place
    day: date
    minute: int  # minutes after local midnight
    title: str
    paragraphs: tuple[str, ...]
    language: str


class _Writer:
    """Fills the slots of one story's templates; a slot keeps its value within the story."""

    __slots__ = (
        "corpus", "rng", "random", "theme", "place", "day", "values", "mentioned", "fresh_numbers",
    )  # fmt: skip

    def __init__(self, corpus: _Corpus, rng: random.Random, theme: str, place: Place, day: date):
        self.corpus = corpus
        self.rng = rng
        self.random = rng.random
        self.theme = theme
        self.place = place
        self.day = day
        self.values: dict[str, str] = {}
        self.mentioned: set[str] = set()
        self.fresh_numbers = False

    def pick(self, options: tuple):
        """One of options, uniformly."""
        return options[int(self.random() * len(options))]

    def between(self, low: int, high: int) -> int:
        """An integer from low to high inclusive."""
        return low + int(self.random() * (high - low + 1))

    def render(self, tokens: tuple) -> str:
        """A compiled template with its slots and choices filled."""
        parts = []
        append = parts.append
        for token in tokens:
            kind = type(token)
            if kind is str:
                append(token)
            elif kind is _Slot:
                append(self.values.get(token[0]) or self.slot(token[0]))
            else:
                options = token[0]
                append(self.render(options[int(self.random() * len(options))]))
        return "".join(parts)

    def slot(self, name: str) -> str:
        """The value of a slot: a person is named in full once, then by one name; a number, once
        the headline and lead are written, is drawn afresh each time."""
        value = self.values.get(name)
        if value is not None:
            return value
        if name in _PEOPLE:
            full, short = _PEOPLE[name]
            if name in self.mentioned:
                return self.slot(short)
            self.mentioned.add(name)
            return self.slot(full)
        maker = _MAKERS.get(name)
        value = maker(self) if maker else self.render(self.pick(_library().vocab[name]))
        if not (self.fresh_numbers and name in _NUMBERS):
            self.values[name] = value
        return value


def _official_title(writer: _Writer) -> str:
    """The title of the official a story quotes, e.g. Kepala BPBD Lebak."""
    return writer.render(writer.pick(_library().officials[writer.theme]))


def _head_name(writer: _Writer) -> tuple[str, str]:
    """The invented name of the place's bupati or wali kota, the same in every story."""
    return _person(f"{writer.place.code}:head")


_PEOPLE: dict[str, tuple[str, str]] = {
    "official": ("official_full", "official_short"),
    "head": ("head_full", "head_short"),
    "resident": ("resident_full", "resident_short"),
}

_NUMBERS = frozenset(
    ("n_small", "n", "n2", "n_big", "pct", "pct_small", "rp_big", "rp_mid", "price", "price2",
     "price_small", "km", "ha", "ton", "ton_small", "cm", "gram", "depth", "jam", "age")
)  # fmt: skip

_MAKERS: dict[str, Callable[[_Writer], str]] = {
    "place": lambda w: w.place.long,
    "place_short": lambda w: w.place.short,
    "province": lambda w: w.place.province,
    "pemda": lambda w: f"{'Pemkot' if w.place.kota else 'Pemkab'} {w.place.short}",
    "head_office": lambda w: "Wali Kota" if w.place.kota else "Bupati",
    "head_full": lambda w: f"{w.slot('head_office')} {w.place.short} {_head_name(w)[0]}",
    "head_short": lambda w: _head_name(w)[1],
    "official_full": lambda w: f"{_official_title(w)} {w.slot('official_name')}",
    "official_short": lambda w: w.slot("official_name").split(" ")[-1],
    "official_name": lambda w: f"{w.pick(GIVEN_NAMES)} {w.pick(FAMILY_NAMES)}",
    "editor": lambda w: f"{w.pick(GIVEN_NAMES)} {w.pick(FAMILY_NAMES)}",
    "reporter": lambda w: f"{w.pick(GIVEN_NAMES)} {w.pick(FAMILY_NAMES)}",
    "resident_full": lambda w: f"{w.slot('resident_short')} ({w.between(19, 68)})",
    "resident_short": lambda w: w.pick(GIVEN_NAMES),
    "village": lambda w: f"{'Kelurahan' if w.place.kota else 'Desa'} {w.slot('village_name')}",
    "village_name": lambda w: w.pick(VILLAGES),
    "village_name2": lambda w: w.pick(VILLAGES),
    "district": lambda w: f"Kecamatan {w.slot('district_name')}",
    "district_name": lambda w: w.pick(DISTRICTS),
    "other_place": lambda w: w.pick(w.corpus.places).short,
    "initials": lambda w: w.pick("ABDEFHIJKMNRSTWY") + w.pick("ABDEFHIJKMNRSTWY"),
    "age": lambda w: str(w.between(19, 56)),
    "n_small": lambda w: str(w.between(2, 6)),
    "n": lambda w: str(w.between(3, 40)),
    "n2": lambda w: str(w.between(11, 95)),
    "n_big": lambda w: _thousands(w.between(12, 480) * 10),
    "pct": lambda w: f"{w.between(11, 92)},{w.between(0, 9)}",
    "pct_small": lambda w: f"{w.between(2, 24)},{w.between(0, 9)}",
    "rp_big": lambda w: f"Rp {w.between(1, 95)},{w.between(1, 9)} miliar",
    "rp_mid": lambda w: f"Rp {w.between(5, 95) * 10} juta",
    "price": lambda w: f"Rp {_thousands(w.between(24, 190) * 500)}",
    "price2": lambda w: f"Rp {_thousands(w.between(20, 150) * 500)}",
    "price_small": lambda w: _thousands(w.between(6, 90) * 500),
    "km": lambda w: f"{w.between(1, 24)},{w.between(1, 9)}",
    "ha": lambda w: str(w.between(15, 900)),
    "ton": lambda w: str(w.between(20, 950)),
    "ton_small": lambda w: f"{w.between(4, 8)},{w.between(0, 9)}",
    "cm": lambda w: str(w.between(3, 18) * 10),
    "gram": lambda w: str(w.between(5, 950)),
    "mag": lambda w: f"{w.between(4, 6)},{w.between(0, 9)}",
    "depth": lambda w: str(w.between(5, 60)),
    "wave": lambda w: f"{w.between(2, 4)},{w.pick('05')}",
    "jam": lambda w: f"{w.between(6, 22):02d}.{w.pick(('00', '15', '30', '45'))}",
    "zone": lambda w: _zone(w.place.province_code)[0],
    "hari": lambda w: DAYS[w.day.weekday()],
    "day_en": lambda w: w.day.strftime("%A"),
    "tgl": lambda w: f"({w.day.day}/{w.day.month}/{w.day.year})",
    "year": lambda w: str(w.day.year),
    "event": lambda w: w.corpus.plan.burst.event.lower(),
}


def _sentences(writer: _Writer, words: int, burst: bool, lead: str) -> list[str]:
    """A lead (drawn unless given) and body sentences of a story, until it has about `words` words."""
    lib = _library()
    theme = writer.theme
    rand = writer.random
    body, quotes, generic = list(lib.body[theme]), list(lib.quotes[theme]), list(lib.generic)
    sentences = [lead or writer.render(writer.pick(lib.leads[theme]))]
    writer.fresh_numbers = True
    if burst:
        sentences.append(writer.render(writer.pick(lib.burst)))
    count = sum(sentence.count(" ") + 1 for sentence in sentences)
    while count < words:
        draw = rand()
        pool = (body if draw < 0.55 else quotes if draw < 0.75 else generic) or body or generic
        if not pool:
            break
        sentence = writer.render(pool.pop(int(rand() * len(pool))))
        if sentence[0].islower():
            sentence = sentence[0].upper() + sentence[1:]
        sentences.append(sentence)
        count += sentence.count(" ") + 1
    return sentences


def _paragraphs(sentences: list[str], rng: random.Random) -> tuple[str, ...]:
    """Sentences grouped into paragraphs of one to three sentences, a quote always alone."""
    paragraphs: list[str] = []
    current: list[str] = []
    for sentence in sentences:
        if current and (sentence.startswith('"') or len(current) >= 1 + int(rng.random() * 3)):
            paragraphs.append(" ".join(current))
            current = []
        current.append(sentence)
    paragraphs.append(" ".join(current))
    return tuple(paragraphs)


def _indonesian_story(
    corpus: _Corpus,
    rng: random.Random,
    attrs: _Attributes,
    burst: bool,
    title: str = "",
    lead: str = "",
) -> _Story:
    """An Indonesian story of a theme about a place on a day (its title and lead drawn unless given)."""
    writer = _Writer(corpus, rng, attrs.theme, attrs.place, attrs.day)
    title = title or _headline(writer.render(writer.pick(_library().titles[attrs.theme])))
    sentences = _sentences(writer, attrs.words, burst, lead)
    return _Story(
        attrs.story, attrs.theme, attrs.place, attrs.day, attrs.minute, title,
        _paragraphs(sentences, rng), "id",
    )  # fmt: skip


def _english_story(corpus: _Corpus, rng: random.Random, attrs: _Attributes) -> _Story:
    """A short English story of a theme about a place on a day."""
    lib = _library()
    writer = _Writer(corpus, rng, attrs.theme, attrs.place, attrs.day)
    english = lib.english[attrs.theme]
    generic = list(lib.generic_english)
    rng.shuffle(generic)
    sentences = [writer.render(tokens) for tokens in english[2:]] + [
        writer.render(tokens) for tokens in generic[: 9 + int(rng.random() * 5)]
    ]
    title = _headline(writer.render(writer.pick(english[:2])))
    return _Story(
        attrs.story, attrs.theme, attrs.place, attrs.day, attrs.minute, title,
        _paragraphs(sentences, rng), "en",
    )  # fmt: skip


def _edited(story: _Story, rng: random.Random) -> _Story:
    """Another outlet's version of a story: a few words swapped, the title sometimes reworded."""
    paragraphs = list(story.paragraphs)
    for _ in range(1 + int(rng.random() * 3)):
        old, new = EDITS[int(rng.random() * len(EDITS))]
        index = int(rng.random() * len(paragraphs))
        paragraphs[index] = paragraphs[index].replace(old, new, 1)
    title = story.title
    if rng.random() < 0.3:
        for old, new in TITLE_EDITS:
            title = title.replace(old, new, 1)
    return story._replace(title=title, paragraphs=tuple(paragraphs))


# --- how an outlet dresses a story -----------------------------------------------------------------


def _slug(title: str) -> str:
    """The URL slug of a title."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:90].rstrip("-")


def _typographic(text: str) -> str:
    """Straight double quotes turned into curly ones."""
    return re.sub(r'"([^"]*)"', "\u201c\\1\u201d", text)


def _glued(text: str, rng: random.Random) -> str:
    """Text with one or two spaces lost, as where a scraper removed a link."""
    for _ in range(1 + int(rng.random() * 2)):
        space = text.find(" ", int(rng.random() * len(text)))
        if space > 0:
            text = text[:space] + text[space + 1 :]
    return text


class _Moment(NamedTuple):
    """A local publication time and its zone."""

    day: date
    minute: int
    zone: str
    offset: int  # hours ahead of UTC

    @property
    def clock(self) -> str:
        """21:23."""
        return f"{self.minute // 60:02d}:{self.minute % 60:02d}"

    @property
    def epoch(self) -> int:
        """Seconds since 1970 (UTC)."""
        days = self.day.toordinal() - EPOCH_ORDINAL
        return days * 86_400 + self.minute * 60 - self.offset * 3_600


def _long_date(m: _Moment) -> str:
    """10 Juni 2025."""
    return f"{m.day.day} {MONTHS[m.day.month - 1]} {m.day.year}"


def _short_date(m: _Moment) -> str:
    """10 Jun 2025."""
    return f"{m.day.day:02d} {MONTHS_SHORT[m.day.month - 1]} {m.day.year}"


def _slash_date(m: _Moment) -> str:
    """10/06/2025, 21:23 WIB."""
    return f"{m.day.day:02d}/{m.day.month:02d}/{m.day.year}, {m.clock} {m.zone}"


DATE_FORMATS: dict[str, Callable[[_Moment, str], str]] = {
    "day_short": lambda m, o: f"{DAYS[m.day.weekday()]}, {_short_date(m)} {m.clock} {m.zone}",
    "outlet_slash": lambda m, o: f"{o} - {_slash_date(m)}",
    "day_long_dash": lambda m, o: f"{DAYS[m.day.weekday()]}, {_long_date(m)} - {m.clock} {m.zone}",
    "day_long": lambda m, o: f"{DAYS[m.day.weekday()]}, {_long_date(m)} {m.clock} {m.zone}",
    "long": lambda m, o: _long_date(m),
    "updated": lambda m, o: f"Diperbarui {_short_date(m)}, {m.clock} {m.zone}",
    "epoch": lambda m, o: str(m.epoch),
    "short": lambda m, o: _short_date(m),
    "day_pipe": lambda m, o: (
        f"{DAYS[m.day.weekday()]} {_long_date(m)} | {m.clock.replace(':', '.')} {m.zone}"
    ),
    "iso": lambda m, o: f"{m.day.isoformat()}T{m.clock}:00+{m.offset:02d}:00",
    "slash_zone": lambda m, o: _slash_date(m),
    "english": lambda m, o: f"{MONTHS_EN[m.day.month - 1]} {m.day.day}, {m.day.year}",
    "naive": lambda m, o: f"{m.day.isoformat()} {m.clock}:00",
    "iso_date": lambda m, o: m.day.isoformat(),
    "dash": lambda m, o: f"{m.day.day:02d}-{m.day.month:02d}-{m.day.year} {m.clock}",
}


def _read_also(story: _Story, writer: _Writer) -> str:
    """A "Baca juga" line pointing at another invented story of that day."""
    plan = writer.corpus.plan
    live = [key for key in THEMES if key != plan.new_theme or story.day >= plan.new_theme_first]
    other = writer.pick(live)
    title = _headline(writer.render(writer.pick(_library().titles[other])))
    return f"Baca juga: {title}"


BOILERPLATE: dict[str, Callable[[_Story, _Writer, Outlet], tuple[int, str]]] = {
    # kind -> (paragraph index to insert before, -1 = at the end; the block)
    "ad_scroll": lambda s, w, o: (2, "ADVERTISEMENT\n\nSCROLL TO CONTINUE WITH CONTENT"),
    "advertisement": lambda s, w, o: (1 + int(w.random() * 3), "Advertisement"),
    "read_also": lambda s, w, o: (1 + int(w.random() * 3), _read_also(s, w)),
    "read_also_break": lambda s, w, o: (2, _read_also(s, w).replace(": ", ":\n")),
    "first_published": lambda s, w, o: (
        -1,
        f'Artikel ini telah tayang di {o.domain} dengan judul "{s.title}"',
    ),
    "share": lambda s, w, o: (-1, "Bagikan: Facebook | X | WhatsApp | Telegram"),
    "repeat_title": lambda s, w, o: (0, s.title),
}


def _body(story: _Story, outlet: Outlet, house: House, rng: random.Random, corpus: _Corpus) -> str:
    """An outlet's text of a story: dateline, boilerplate, sign-off."""
    paragraphs = list(story.paragraphs)
    if house.dateline:
        place = story.place
        dateline = house.dateline.format(
            place=place.short, PLACE=place.short.upper(), outlet=outlet.name,
            OUTLET=outlet.name.upper(), kind_place=place.long,
        )  # fmt: skip
        paragraphs[0] = dateline + paragraphs[0]
    writer = _Writer(corpus, rng, story.theme, story.place, story.day)
    for kind in house.extras:
        if rng.random() < 0.65:
            index, block = BOILERPLATE[kind](story, writer, outlet)
            paragraphs.insert(len(paragraphs) if index < 0 else min(index, len(paragraphs)), block)
    if house.signoff:
        paragraphs.append(
            house.signoff.format(
                ini=writer.slot("initials").lower(), ini2=writer.pick(("ega", "rdr", "fay", "ain")),
                editor=writer.slot("editor"), reporter=writer.slot("reporter"),
                outlet=outlet.name, year=story.day.year,
            )
        )  # fmt: skip
    text = house.joiner.join(paragraphs)
    if house.typographic:
        text = _typographic(text)
    if house.glued:
        text = _glued(text, rng)
    return text


def _url(story: _Story, outlet: Outlet, house: House, row_id: int) -> str:
    """The outlet's URL of a story."""
    category = THEMES[story.theme].category
    return house.url.format(
        domain=outlet.domain, section=category.lower(), section_id=SECTION_IDS.get(category, 600),
        year=story.day.year, month=f"{story.day.month:02d}", day=f"{story.day.day:02d}",
        id=1_000_000 + (row_id * 7_919) % 8_999_999, slug=_slug(story.title),
    )  # fmt: skip


def _date_text(moment: _Moment, outlet: Outlet, house: House, rng: random.Random) -> str:
    """The date field as the outlet writes it, sometimes missing."""
    if rng.random() < UNDATED_SHARE:
        return UNDATED[int(rng.random() * len(UNDATED))]
    name = outlet.date_format or house.date_format
    if house.date_format == "long" and rng.random() < 0.3:
        name = "updated"
    return DATE_FORMATS[name](moment, outlet.name)


class _Row(NamedTuple):
    """One raw row and what it really is."""

    title: str
    text: str
    date: str
    url: str
    source: str
    category: str | None
    file: str  # key of FILES
    theme: str
    province_code: str
    regency_code: str
    epoch: int
    kind: str
    story: int
    language: str


def _row(
    story: _Story, outlet: Outlet, rng: random.Random, corpus: _Corpus, row_id: int, kind: str,
    minute: int | None = None, day: date | None = None,
) -> _Row:  # fmt: skip
    """A story as one outlet publishes it."""
    house = HOUSES[outlet.house]
    zone, offset = ("WIB", 7) if outlet.national else _zone(outlet.province_code)
    moment = _Moment(day or story.day, story.minute if minute is None else minute, zone, offset)
    category = THEMES[story.theme].category if house.category == "theme" else house.category
    return _Row(
        title=story.title,
        text=_body(story, outlet, house, rng, corpus),
        date=_date_text(moment, outlet, house, rng),
        url=_url(story._replace(day=moment.day), outlet, house, row_id),
        source=outlet.domain if house.source_is_domain else outlet.name,
        category=category,
        file="nasional" if outlet.national else FILE_BY_ISLANDS[outlet.province_code[0]],
        theme=story.theme,
        province_code=story.place.province_code,
        regency_code=story.place.code,
        epoch=moment.epoch,
        kind=kind,
        story=story.story,
        language=story.language,
    )


def _tracked(row: _Row, rng: random.Random, row_id: int) -> _Row:
    """The same article shared again, its URL with tracking parameters."""
    tracking = TRACKING[int(rng.random() * len(TRACKING))].format(id=row_id)
    return row._replace(url=row.url + tracking, file="tautan", category=None, kind="tracked_repeat")


def _updated(row: _Row, rng: random.Random) -> _Row:
    """The same URL again later, the article updated."""
    local = row.epoch + 3_600 * (7 + 1 + int(rng.random() * 6)) + 60 * int(rng.random() * 60)
    day = date.fromordinal(local // 86_400 + EPOCH_ORDINAL)
    moment = _Moment(day, local % 86_400 // 60, "WIB", 7)
    note = f"\n\n(Berita ini telah diperbarui pada pukul {moment.clock.replace(':', '.')} WIB)"
    return row._replace(
        date=DATE_FORMATS["updated"](moment, row.source),
        text=row.text + note,
        kind="updated_repeat",
    )


def _without_text(row: _Row, variant: int) -> _Row:
    """A row whose scrape lost the article body, and in some variants the title too."""
    title_kept, text = NO_TEXT[variant % len(NO_TEXT)]
    return row._replace(title=row.title if title_kept else "", text=text, kind="no_text")


# --- the corpus: who writes what, when and where ---------------------------------------------------


class _Attributes(NamedTuple):
    """What a story will be about, drawn before it is written."""

    story: int
    theme: str
    place: Place
    day: date
    minute: int
    words: int


class _Corpus:
    """Everything a generation run shares: the plan, the calendar, the weight tables."""

    def __init__(self, n_articles: int, seed: int, end: date, months: int) -> None:
        if n_articles < MIN_ARTICLES:
            raise ValueError(f"n_articles must be at least {MIN_ARTICLES} (got {n_articles})")
        self.n_articles = n_articles
        self.seed = seed
        self.plan = sample_plan(end, months)
        self.places = _places()
        self.themes = tuple(THEMES)
        self.outlets = OUTLETS
        self.days = tuple(
            self.plan.start + timedelta(days=i) for i in range((end - self.plan.start).days + 1)
        )
        self.province_codes = tuple(provinces()["province_code"])
        self.day_weights = self._day_weights()
        self.outlet_weights = _normalised(np.array([o.weight for o in OUTLETS]))
        self.national_weights = _normalised(
            np.sqrt([PROVINCE_WEIGHTS[code] for code in self.province_codes]) + 1.0
        )
        self.day_theme = self._day_theme_weights()
        self.province_theme = self._province_theme_weights()
        burst = self.plan.burst
        self.burst_days = np.flatnonzero([burst.start <= d <= burst.end for d in self.days])
        self.burst_provinces = np.flatnonzero(np.isin(self.province_codes, burst.provinces))
        self.burst_province_weights = _normalised(self.national_weights[self.burst_provinces])
        self.burst_outlets = np.array(
            [
                i
                for i, o in enumerate(OUTLETS)
                if HOUSES[o.house].language == "id"
                and (o.national or o.province_code in burst.provinces)
            ]
        )
        self.burst_outlet_weights = _normalised(self.outlet_weights[self.burst_outlets])
        self.outlet_national = np.array([o.national for o in OUTLETS])
        self.regency_index = self._regency_index()
        self.outlet_province = np.array(
            [self.province_codes.index(o.province_code) for o in OUTLETS]
        )
        self.outlet_regency = np.array(
            [
                next(i for i, p in enumerate(self.places) if p.code == o.regency_code)
                if o.regency_code
                else -1
                for o in OUTLETS
            ]
        )
        self.copy_outlets = tuple(
            i for i, o in enumerate(OUTLETS) if HOUSES[o.house].language == "id"
        )
        self.syndicated_story = self._syndicated_story()

    def _day_weights(self) -> np.ndarray:
        """How many stories each day gets, relatively: weekends quieter, a slow growth."""
        growth = np.linspace(1.0, 1.35, len(self.days))
        weekday = np.array([WEEKDAY_WEIGHTS[d.weekday()] for d in self.days])
        return _normalised(growth * weekday)

    def _day_theme_weights(self) -> np.ndarray:
        """Day x theme weight factors: base weight, season, holidays, the new and the fading theme."""
        plan = self.plan
        progress = np.linspace(0.0, 1.0, len(self.days))
        table = np.array(
            [
                [THEMES[key].weight * THEMES[key].season.get(day.month, 1.0) for key in self.themes]
                for day in self.days
            ]
        )
        column = self.themes.index
        to_lebaran = np.array([min(((d - h).days for h in LEBARAN), key=abs) for d in self.days])
        for theme, first, last, inside, outside in AROUND_LEBARAN:
            near = (to_lebaran >= first) & (to_lebaran <= last)
            table[:, column(theme)] *= np.where(near, inside, outside)
        table[:, column(plan.fading_theme)] *= 3.0 * np.exp(-3.0 * progress)
        first = np.array([day >= plan.new_theme_first for day in self.days])
        ramp = np.clip((progress - progress[first.argmax()]) * 8, 0, 1.5)
        table[:, column(plan.new_theme)] *= np.where(first, 1.0 + ramp, 0.0)
        return table

    def _province_theme_weights(self) -> np.ndarray:
        """Province x theme weight factors: regional leanings and specialities."""
        table = np.ones((len(self.province_codes), len(self.themes)))
        for (region, theme), factor in REGION_FACTORS.items():
            rows = [i for i, code in enumerate(self.province_codes) if code[0] == region]
            table[rows, self.themes.index(theme)] *= factor
        for code, theme in self.plan.specialities.items():
            weight = THEMES[theme].weight
            row, column = self.province_codes.index(code), self.themes.index(theme)
            table[row, column] *= max(SPECIALITY_FACTOR, (weight + SPECIALITY_WEIGHT) / weight)
        table[self.province_codes.index("95"), self.themes.index("nelayan")] = 0.0  # no coast
        return table

    def _regency_index(self) -> tuple[np.ndarray, np.ndarray]:
        """For each province, the first index of its places and how many it has."""
        codes = [p.province_code for p in self.places]
        first = np.array([codes.index(code) for code in self.province_codes])
        count = np.array([codes.count(code) for code in self.province_codes])
        return first, count

    def attributes(
        self, rng: np.random.Generator, count: int, first_story: int, burst: bool = False
    ) -> tuple[list[_Attributes], np.ndarray]:
        """What `count` new stories are about (theme, place, day, time, length) and their outlets;
        stories of the planted burst when `burst`."""
        if burst:
            outlets = rng.choice(self.burst_outlets, size=count, p=self.burst_outlet_weights)
            days = rng.choice(self.burst_days, size=count)
            elsewhere = rng.choice(self.burst_provinces, size=count, p=self.burst_province_weights)
        else:
            outlets = rng.choice(len(self.outlets), size=count, p=self.outlet_weights)
            days = rng.choice(len(self.days), size=count, p=self.day_weights)
            elsewhere = rng.choice(len(self.province_codes), size=count, p=self.national_weights)
        home_share = 1.0 if burst else HOME_SHARE
        at_home = ~self.outlet_national[outlets] & (rng.random(count) < home_share)
        provinces_ = np.where(at_home, self.outlet_province[outlets], elsewhere)
        first, size = self.regency_index
        regencies_ = first[provinces_] + (rng.random(count) * size[provinces_]).astype(int)
        home_regency = self.outlet_regency[outlets]
        use_home = at_home & (home_regency >= 0) & (rng.random(count) < HOME_REGENCY_SHARE)
        regencies_ = np.where(use_home, home_regency, regencies_)
        if burst:
            themes = np.full(count, self.themes.index(self.plan.burst.theme))
        else:
            cumulative = (self.day_theme[days] * self.province_theme[provinces_]).cumsum(axis=1)
            themes = (cumulative < rng.random(count)[:, None] * cumulative[:, -1:]).sum(axis=1)
        minutes = rng.integers(6 * 60, 23 * 60, size=count)
        words = rng.integers(WORDS[0] + 15, WORDS[1] - 40, size=count)
        return [
            _Attributes(
                first_story + i,
                self.themes[themes[i]],
                self.places[regencies_[i]],
                self.days[days[i]],
                int(minutes[i]),
                int(words[i]),
            )
            for i in range(count)
        ], outlets

    def in_burst(self, attrs: _Attributes) -> bool:
        """Whether a story belongs to the planted burst."""
        burst = self.plan.burst
        return (
            attrs.theme == burst.theme
            and burst.start <= attrs.day <= burst.end
            and attrs.place.province_code in burst.provinces
        )

    def _syndicated_story(self) -> _Story:
        """The one story the syndicated-only burst copies."""
        plan = self.plan.syndicated_burst
        place = next(p for p in self.places if p.code == plan.regency_code)
        attrs = _Attributes(-1, plan.theme, place, plan.start, 9 * 60, 260)
        rng = random.Random(self.seed * 7_919 + 17)
        return _indonesian_story(self, rng, attrs, False, plan.title, SYNDICATED_LEAD)


def _normalised(weights: np.ndarray) -> np.ndarray:
    """Weights scaled to sum to one."""
    weights = np.asarray(weights, dtype=float)
    return weights / weights.sum()


def _share_in(total: int, start: int, stop: int, n: int) -> int:
    """How many of `total` items spread evenly over n rows fall in rows [start, stop)."""
    return total * stop // n - total * start // n


def _block_rows(corpus: _Corpus, block: int, start: int, stop: int) -> list[_Row]:
    """The rows [start, stop) of the corpus, generated from their own seed, in shuffled order."""
    nrng = np.random.default_rng([corpus.seed, block])
    rng = random.Random(int(nrng.integers(2**62)))
    n = corpus.n_articles
    counts = {kind: _share_in(round(share * n), start, stop, n) for kind, share in SHARES.items()}
    copies = corpus.plan.syndicated_burst.copies(n)
    burst_copies = _share_in(copies, start, stop, n)
    burst_stories = _share_in(corpus.plan.burst.stories(n), start, stop, n)
    originals = stop - start - sum(counts.values()) - burst_copies
    usual = originals - burst_stories
    attrs, outlets = corpus.attributes(nrng, usual + counts["no_text"], start)
    planted, planted_outlets = corpus.attributes(nrng, burst_stories, start + len(attrs), True)
    attrs = attrs[:usual] + planted + attrs[usual:]
    outlets = np.concatenate([outlets[:usual], planted_outlets, outlets[usual:]])
    pairs = []
    for attr, outlet_index in zip(attrs, outlets, strict=True):
        outlet = corpus.outlets[outlet_index]
        if HOUSES[outlet.house].language == "en":
            story = _english_story(corpus, rng, attr)
        else:
            story = _indonesian_story(corpus, rng, attr, corpus.in_burst(attr))
        pairs.append((story, _row(story, outlet, rng, corpus, start + len(pairs), "original")))
    kept = pairs[:originals]
    rows = [row for _, row in kept] + [
        _without_text(row, i) for i, (_, row) in enumerate(pairs[originals:])
    ]
    indonesian = [pair for pair in kept if pair[0].language == "id"]
    for pair in _picks(indonesian, counts["syndicated"], rng):
        rows.append(_syndicated(corpus, pair, rng, start + len(rows)))
    for _, row in _picks(kept, counts["tracked_repeat"], rng):
        rows.append(_tracked(row, rng, start + len(rows)))
    rows += [_updated(row, rng) for _, row in _picks(kept, counts["updated_repeat"], rng)]
    first_copy = copies * start // n
    for copy in range(first_copy, first_copy + burst_copies):
        rows.append(_burst_copy(corpus, copy, rng, start + len(rows)))
    rng.shuffle(rows)
    return rows


def _picks(items: list, count: int, rng: random.Random) -> list:
    """count items drawn with replacement."""
    return [items[int(rng.random() * len(items))] for _ in range(count)]


def _syndicated(
    corpus: _Corpus, pair: tuple[_Story, _Row], rng: random.Random, row_id: int
) -> _Row:
    """A story run again by another outlet, lightly edited, a little later."""
    story, row = pair
    source = row.source
    candidates = [
        i for i in corpus.copy_outlets
        if corpus.outlets[i].name != source and corpus.outlets[i].domain != source
        and (corpus.outlets[i].national or corpus.outlets[i].province_code == story.place.province_code)
    ] or [i for i in corpus.copy_outlets if corpus.outlets[i].national]  # fmt: skip
    outlet = corpus.outlets[candidates[int(rng.random() * len(candidates))]]
    minute = story.minute + 20 + int(rng.random() * 300)
    day = story.day + timedelta(days=minute // 1440) if story.day < corpus.days[-1] else story.day
    return _row(_edited(story, rng), outlet, rng, corpus, row_id, "syndicated", minute % 1440, day)


def _burst_copy(corpus: _Corpus, copy: int, rng: random.Random, row_id: int) -> _Row:
    """Copy number `copy` of the syndicated-only story."""
    plan = corpus.plan.syndicated_burst
    order = sorted(corpus.copy_outlets, key=lambda i: corpus.outlets[i].name != plan.source)
    outlet = corpus.outlets[order[copy % len(order)]]
    story = corpus.syndicated_story if copy == 0 else _edited(corpus.syndicated_story, rng)
    span = (plan.end - plan.start).days + 1
    day = plan.start + timedelta(days=int(rng.random() * span)) if copy else plan.start
    minute = 9 * 60 if copy == 0 else 7 * 60 + int(rng.random() * 15 * 60)
    return _row(story, outlet, rng, corpus, row_id, "syndicated_burst", minute, day)


# --- public API ------------------------------------------------------------------------------------


def _blocks(corpus: _Corpus) -> Iterator[list[_Row]]:
    """The corpus rows, block after block."""
    n = corpus.n_articles
    count = -(-n // BLOCK_ROWS)
    for block in range(count):
        yield _block_rows(corpus, block, block * n // count, (block + 1) * n // count)


def _numbered(corpus: _Corpus) -> Iterator[tuple[_Row, int]]:
    """Every row with its 1-based record number inside its file."""
    numbers = dict.fromkeys(FILES, 0)
    for rows in _blocks(corpus):
        for row in rows:
            numbers[row.file] += 1
            yield row, numbers[row.file]


def _frame(numbered: list[tuple[_Row, int]]) -> pd.DataFrame:
    """Raw and truth columns of numbered rows."""
    rows = [row for row, _ in numbered]
    count = len(rows)
    columns = {
        "article_id": [None] * count,
        "title": [r.title for r in rows],
        "text": [r.text for r in rows],
        "date": [r.date for r in rows],
        "url": [r.url for r in rows],
        "source": [r.source for r in rows],
        "category": [r.category for r in rows],
        "region": [None] * count,
        "html_date": [None] * count,
        "file": [FILES[r.file].name for r in rows],
        "row": [number for _, number in numbered],
        "error": [None] * count,
        "truth_theme": [r.theme for r in rows],
        "truth_province_code": [r.province_code for r in rows],
        "truth_regency_code": [r.regency_code for r in rows],
        "truth_published_at": pd.to_datetime([r.epoch for r in rows], unit="s", utc=True),
        "truth_kind": [r.kind for r in rows],
        "truth_story": [r.story for r in rows],
        "truth_language": [r.language for r in rows],
    }
    object_columns = ("article_id", "category", "region", "html_date", "error")
    return pd.DataFrame(columns).astype(dict.fromkeys(object_columns, object))


def labelled_frames(
    n_articles: int = 20_000,
    seed: int = 42,
    end: date = DEFAULT_END,
    months: int = DEFAULT_MONTHS,
    chunk_rows: int = 5_000,
) -> Iterator[pd.DataFrame]:
    """The sample's raw rows (RAW_COLUMNS) with what each really is (TRUTH_COLUMNS), in chunks."""
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be at least 1 (got {chunk_rows})")
    corpus = _Corpus(n_articles, seed, end, months)
    chunk: list[tuple[_Row, int]] = []
    for numbered in _numbered(corpus):
        chunk.append(numbered)
        if len(chunk) == chunk_rows:
            yield _frame(chunk)
            chunk = []
    if chunk:
        yield _frame(chunk)


def sample_frames(
    n_articles: int = 20_000,
    seed: int = 42,
    end: date = DEFAULT_END,
    months: int = DEFAULT_MONTHS,
    chunk_rows: int = 5_000,
) -> Iterator[pd.DataFrame]:
    """The sample's raw rows as raw frames (RAW_COLUMNS), chunk_rows at a time, without files."""
    raw = list(RAW_COLUMNS)
    for frame in labelled_frames(n_articles, seed, end, months, chunk_rows):
        yield frame[raw]


def _record(row: _Row, spec: OutputFile) -> list[str]:
    """The cells of a row in a file's column order."""
    return [getattr(row, column) for column in spec.header]


def _writers(stack: ExitStack, out_dir: Path) -> dict[str, Callable[[_Row], object]]:
    """An open writer per output file, its header written."""
    writers: dict[str, Callable[[_Row], object]] = {}
    for key, spec in FILES.items():
        handle: TextIO = stack.enter_context(
            (out_dir / spec.name).open("w", encoding=spec.encoding, newline="")
        )
        if spec.delimiter:
            table = csv.writer(handle, delimiter=spec.delimiter, lineterminator="\n")
            table.writerow(spec.header.values())
            writers[key] = lambda row, table=table, spec=spec: table.writerow(_record(row, spec))
        else:
            writers[key] = lambda row, handle=handle, spec=spec: handle.write(
                json.dumps(
                    dict(zip(spec.header.values(), _record(row, spec), strict=True)),
                    ensure_ascii=False,
                )
                + "\n"
            )
    return writers


def write_sample(
    out_dir: Path,
    n_articles: int = 20_000,
    seed: int = 42,
    end: date = DEFAULT_END,
    months: int = DEFAULT_MONTHS,
) -> list[Path]:
    """Write the sample corpus as messy raw input files (CSV, TSV, JSON Lines) into out_dir."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus = _Corpus(n_articles, seed, end, months)
    with ExitStack() as stack:
        writers = _writers(stack, out_dir)
        for rows in _blocks(corpus):
            for row in rows:
                writers[row.file](row)
    return [out_dir / spec.name for spec in FILES.values()]


PLANTED: SamplePlan = sample_plan()


def is_sample(urls: pd.Series) -> bool:
    """Whether every article URL lies under the synthetic sample's domain (and there is one)."""
    hosts = urls.dropna().astype(str).str.extract(r"^[a-zA-Z]+://([^/:?#]+)", expand=False)
    hosts = hosts.fillna("").str.lower()
    return bool(len(hosts)) and bool(
        (hosts.eq(SAMPLE_DOMAIN) | hosts.str.endswith("." + SAMPLE_DOMAIN)).all()
    )
