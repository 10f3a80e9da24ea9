"""Fills the slots of a story's templates: places, invented people, numbers, dates."""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from datetime import date

from data.sample.corpus import Corpus, Place, time_zone
from data.sample.dates import DAYS
from data.sample.phrases import phrases
from data.sample.templates import Slot, library


def _person(key: str) -> tuple[str, str]:
    """A stable invented full name for a role (same key, same name) and how stories refer to it."""
    digest = zlib.crc32(key.encode())
    given_names, family_names = phrases().given_names, phrases().family_names
    given = given_names[digest % len(given_names)]
    family = family_names[(digest // len(given_names)) % len(family_names)]
    return f"{given} {family}", given if digest % 3 == 0 else family


def _thousands(number: int) -> str:
    """An integer written the Indonesian way: 12.500."""
    return f"{number:,}".replace(",", ".")


class Writer:
    """Fills the slots of one story's templates; a slot keeps its value within the story."""

    __slots__ = (
        "corpus", "rng", "random", "theme", "place", "day", "values", "mentioned", "fresh_numbers",
    )  # fmt: skip

    def __init__(self, corpus: Corpus, rng: random.Random, theme: str, place: Place, day: date):
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
            elif kind is Slot:
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
        value = maker(self) if maker else self.render(self.pick(library().vocab[name]))
        if not (self.fresh_numbers and name in _NUMBERS):
            self.values[name] = value
        return value


def _official_title(writer: Writer) -> str:
    """The title of the official a story quotes, e.g. Kepala BPBD Lebak."""
    return writer.render(writer.pick(library().officials[writer.theme]))


def _head_name(writer: Writer) -> tuple[str, str]:
    """The invented name of the place's bupati or wali kota, the same in every story."""
    return _person(f"{writer.place.code}:head")


def _anyone(writer: Writer) -> str:
    """A full name drawn at random."""
    return f"{writer.pick(phrases().given_names)} {writer.pick(phrases().family_names)}"


_PEOPLE: dict[str, tuple[str, str]] = {
    "official": ("official_full", "official_short"),
    "head": ("head_full", "head_short"),
    "resident": ("resident_full", "resident_short"),
}

_NUMBERS = frozenset(
    ("n_small", "n", "n2", "n_big", "pct", "pct_small", "rp_big", "rp_mid", "price", "price2",
     "price_small", "km", "ha", "ton", "ton_small", "cm", "gram", "depth", "jam", "age")
)  # fmt: skip

_MAKERS: dict[str, Callable[[Writer], str]] = {
    "place": lambda w: w.place.long,
    "place_short": lambda w: w.place.short,
    "province": lambda w: w.place.province,
    "pemda": lambda w: f"{'Pemkot' if w.place.kota else 'Pemkab'} {w.place.short}",
    "head_office": lambda w: "Wali Kota" if w.place.kota else "Bupati",
    "head_full": lambda w: f"{w.slot('head_office')} {w.place.short} {_head_name(w)[0]}",
    "head_short": lambda w: _head_name(w)[1],
    "official_full": lambda w: f"{_official_title(w)} {w.slot('official_name')}",
    "official_short": lambda w: w.slot("official_name").split(" ")[-1],
    "official_name": lambda w: _anyone(w),
    "editor": lambda w: _anyone(w),
    "reporter": lambda w: _anyone(w),
    "resident_full": lambda w: f"{w.slot('resident_short')} ({w.between(19, 68)})",
    "resident_short": lambda w: w.pick(phrases().given_names),
    "village": lambda w: f"{'Kelurahan' if w.place.kota else 'Desa'} {w.slot('village_name')}",
    "village_name": lambda w: w.pick(phrases().villages),
    "village_name2": lambda w: w.pick(phrases().villages),
    "district": lambda w: f"Kecamatan {w.slot('district_name')}",
    "district_name": lambda w: w.pick(phrases().districts),
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
    "zone": lambda w: time_zone(w.place.province_code)[0],
    "hari": lambda w: DAYS[w.day.weekday()],
    "day_en": lambda w: w.day.strftime("%A"),
    "tgl": lambda w: f"({w.day.day}/{w.day.month}/{w.day.year})",
    "year": lambda w: str(w.day.year),
    "event": lambda w: w.corpus.plan.burst.event.lower(),
}
