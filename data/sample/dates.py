"""How outlets write a publication time: a local moment and the date formats of the houses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

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
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


class Moment(NamedTuple):
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


def _long_date(m: Moment) -> str:
    """10 Juni 2025."""
    return f"{m.day.day} {MONTHS[m.day.month - 1]} {m.day.year}"


def _short_date(m: Moment) -> str:
    """10 Jun 2025."""
    return f"{m.day.day:02d} {MONTHS_SHORT[m.day.month - 1]} {m.day.year}"


def _slash_date(m: Moment) -> str:
    """10/06/2025, 21:23 WIB."""
    return f"{m.day.day:02d}/{m.day.month:02d}/{m.day.year}, {m.clock} {m.zone}"


DATE_FORMATS: dict[str, Callable[[Moment, str], str]] = {
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
