"""The invented outlets, their house styles and the raw files their rows end up in: the tables of
outlets.toml beside this module, read once on first use."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

OUTLETS_FILE = Path(__file__).with_name("outlets.toml")
FILE_BY_ISLANDS: dict[str, str] = {  # first digit of the outlet's province code -> file key
    "1": "sumatera", "2": "sumatera", "3": "jawa", "5": "timur", "6": "timur", "7": "timur",
    "8": "timur", "9": "timur",
}  # fmt: skip


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


class House(NamedTuple):
    """How an outlet dresses a story: dateline, date, URL, boilerplate."""

    dateline: str  # str.format with place, PLACE, outlet, OUTLET, kind_place
    date_format: str
    url: str  # str.format with domain, section, section_id, year, month, day, id, slug
    joiner: str  # between paragraphs
    category: str  # "theme", "" (none) or a fixed rubric
    extras: tuple[str, ...]  # boilerplate kinds, see BOILERPLATE
    signoff: str  # str.format with ini, ini2, editor, reporter, outlet, year
    typographic: bool = False
    glued: bool = False  # words glued where links were removed
    source_is_domain: bool = False
    language: str = "id"


class OutputFile(NamedTuple):
    """One raw input file of the sample: its format and its header for each raw column."""

    name: str
    delimiter: str  # "" for JSON Lines
    encoding: str
    header: Mapping[str, str]  # raw column -> column name in the file


class OutletTables(NamedTuple):
    """The outlets in the order the generator draws them, the houses and the files by key."""

    outlets: tuple[Outlet, ...]
    houses: Mapping[str, House]
    files: Mapping[str, OutputFile]


@cache
def outlet_tables() -> OutletTables:
    """The tables, read from the file once."""
    document = tomllib.loads(OUTLETS_FILE.read_text(encoding="utf-8"))
    houses = {
        key: House(**{**table, "extras": tuple(table["extras"])})
        for key, table in document["houses"].items()
    }
    files = {
        key: OutputFile(**{**table, "header": MappingProxyType(table["header"])})
        for key, table in document["files"].items()
    }
    return OutletTables(
        outlets=tuple(Outlet(**entry) for entry in document["outlets"]),
        houses=MappingProxyType(houses),
        files=MappingProxyType(files),
    )
