"""The structure planted in the sample (a burst, a new theme, a seasonal theme, regional
specialities, a syndicated-only burst, a fading theme, a holiday theme), so that tests and the
analysis layer can check that it is found. Dates in the plan are calendar dates in WIB.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

from data.sample.phrases import phrases

DEFAULT_END = date(2026, 10, 31)
DEFAULT_MONTHS = 24
MIN_MONTHS = 12
BURST_SHARE = 0.005  # stories of the planted burst, at least BURST_MIN, besides the theme's usual
BURST_MIN = 15
SYNDICATED_BURST_SHARE = 0.002  # copies of the syndicated-only story, at least SYNDICATED_BURST_MIN
SYNDICATED_BURST_MIN = 40


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
        themes=MappingProxyType({key: theme.label for key, theme in phrases().themes.items()}),
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
