"""Who writes what, when and where: the calendar, the places, and the weight tables from which
each story's theme, place, day and outlet are drawn."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from typing import NamedTuple

import numpy as np

from data.regions import provinces, regencies
from data.sample.outlets import outlet_tables
from data.sample.phrases import phrases
from data.sample.plan import LEBARAN, sample_plan

MIN_ARTICLES = 1_000
HOME_SHARE = 0.85  # of a regional outlet's stories, those about its home province
HOME_REGENCY_SHARE = 0.45  # of those, about its home city or regency, when it has one
WORDS = (120, 400)
PROVINCE_WEIGHTS: dict[str, float] = {  # people, millions, rounded
    "11": 5.3, "12": 14.8, "13": 5.5, "14": 6.4, "15": 3.5, "16": 8.5, "17": 2.0, "18": 9.0,
    "19": 1.5, "21": 2.1, "31": 10.6, "32": 48.3, "33": 36.5, "34": 3.7, "35": 41.0, "36": 11.9,
    "51": 4.3, "52": 5.3, "53": 5.3, "61": 5.4, "62": 2.7, "63": 4.1, "64": 3.8, "65": 0.7,
    "71": 2.6, "72": 3.0, "73": 9.1, "74": 2.6, "75": 1.2, "76": 1.4, "81": 1.8, "82": 1.3,
    "91": 1.0, "92": 0.6, "93": 0.5, "94": 1.3, "95": 1.4, "96": 0.6,
}  # fmt: skip
WITA_PROVINCES = frozenset({"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"})
WIT_PROVINCES = frozenset({"81", "82", "91", "92", "93", "94", "95", "96"})
REGION_FACTORS: dict[tuple[str, str], float] = {  # (first digit of province code, theme) -> factor
    ("6", "tambang"): 2.0, ("7", "tambang"): 2.0, ("3", "tambang"): 0.4,
    ("7", "gempa"): 1.6, ("5", "gempa"): 1.6, ("9", "nelayan"): 1.5, ("8", "nelayan"): 1.5,
}  # fmt: skip
SPECIALITY_WEIGHT = 20.0  # added to the theme's weight in its province, multiplying it at least
SPECIALITY_FACTOR = 6.0  # by this
AROUND_LEBARAN: tuple[tuple[str, int, int, float, float], ...] = (
    # theme, first and last day relative to Lebaran, weight factor inside and outside those days
    ("mudik", -21, 7, 14.0, 0.25),
    ("kecelakaan", -21, 7, 1.5, 1.0),
    ("harga_pangan", -35, 0, 1.5, 1.0),
)
WEEKDAY_WEIGHTS = (1.0, 1.05, 1.05, 1.0, 0.95, 0.7, 0.6)


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
def places() -> tuple[Place, ...]:
    """Every regency and city, in code order."""
    names = dict(zip(provinces()["province_code"], provinces()["province"], strict=True))
    frame = regencies()
    return tuple(
        _place(code, name, kind, province_code, names[province_code])
        for code, name, kind, province_code in zip(
            frame["regency_code"], frame["name"], frame["kind"], frame["province_code"], strict=True
        )
    )


def time_zone(province_code: str) -> tuple[str, int]:
    """The time zone (label, hours ahead of UTC) of a province."""
    if province_code in WITA_PROVINCES:
        return "WITA", 8
    return ("WIT", 9) if province_code in WIT_PROVINCES else ("WIB", 7)


class Attributes(NamedTuple):
    """What a story will be about, drawn before it is written."""

    story: int
    theme: str
    place: Place
    day: date
    minute: int
    words: int


class Corpus:
    """Everything a generation run shares: the plan, the calendar, the weight tables."""

    def __init__(self, n_articles: int, seed: int, end: date, months: int) -> None:
        if n_articles < MIN_ARTICLES:
            raise ValueError(f"n_articles must be at least {MIN_ARTICLES} (got {n_articles})")
        self.n_articles = n_articles
        self.seed = seed
        self.plan = sample_plan(end, months)
        self.places = places()
        self.themes = tuple(phrases().themes)
        self.outlets = outlet_tables().outlets
        self.houses = outlet_tables().houses
        self.days = tuple(
            self.plan.start + timedelta(days=i) for i in range((end - self.plan.start).days + 1)
        )
        self.province_codes = tuple(provinces()["province_code"])
        self.day_weights = self._day_weights()
        self.outlet_weights = _normalised(np.array([o.weight for o in self.outlets]))
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
                for i, o in enumerate(self.outlets)
                if self.houses[o.house].language == "id"
                and (o.national or o.province_code in burst.provinces)
            ]
        )
        self.burst_outlet_weights = _normalised(self.outlet_weights[self.burst_outlets])
        self.outlet_national = np.array([o.national for o in self.outlets])
        self.regency_index = self._regency_index()
        self.outlet_province = np.array(
            [self.province_codes.index(o.province_code) for o in self.outlets]
        )
        self.outlet_regency = np.array(
            [
                next(i for i, p in enumerate(self.places) if p.code == o.regency_code)
                if o.regency_code
                else -1
                for o in self.outlets
            ]
        )
        self.copy_outlets = tuple(
            i for i, o in enumerate(self.outlets) if self.houses[o.house].language == "id"
        )

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
                [
                    phrases().themes[key].weight * phrases().themes[key].season.get(day.month, 1.0)
                    for key in self.themes
                ]
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
            weight = phrases().themes[theme].weight
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
    ) -> tuple[list[Attributes], np.ndarray]:
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
            Attributes(
                first_story + i,
                self.themes[themes[i]],
                self.places[regencies_[i]],
                self.days[days[i]],
                int(minutes[i]),
                int(words[i]),
            )
            for i in range(count)
        ], outlets

    def in_burst(self, attrs: Attributes) -> bool:
        """Whether a story belongs to the planted burst."""
        burst = self.plan.burst
        return (
            attrs.theme == burst.theme
            and burst.start <= attrs.day <= burst.end
            and attrs.place.province_code in burst.provinces
        )


def _normalised(weights: np.ndarray) -> np.ndarray:
    """Weights scaled to sum to one."""
    weights = np.asarray(weights, dtype=float)
    return weights / weights.sum()
