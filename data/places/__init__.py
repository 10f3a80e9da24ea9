"""Where an article is about: its province and regency/city (Kemendagri codes), with the evidence.

Evidence, most trusted first: an explicit region (the row's region column, else the `region`
argument), the dateline opening the body ("SERANG, KOMPAS.com -", "Serang (ANTARA) -"), place names
in the title, place names in the lead, and last the home region of the outlet. The most trusted
source that names a place fixes the province; a later one may only add the regency inside it.

A name shared by a city and a regency ("Serang", "Bandung", "Malang") names the kota after "Kota",
"Wali Kota", "Pemkot" and in a dateline, the kabupaten after "Kabupaten", "Bupati", "Pemkab", and
otherwise only their common province, unless the article or the outlet names one of them
unambiguously elsewhere. Conflicting places of equal weight give the province or nothing.

The package owns the gazetteer and place tagging: `gazetteer` (every name and what it can name,
with the tables of names.toml beside it, read once on first use), `mentions` (the names a dateline,
title and lead mention), `tagging` (the evidence weighed into one place), `resolve` (the region a
--region or region-column value names) and `outlets` (outlets' home regions, from data/outlets.toml,
and the outlet each article is counted under).
It imports data.regions and data.dedupe.
"""

from __future__ import annotations

from data.places.gazetteer import name_tables
from data.places.outlets import (
    OUTLETS_ENV,
    OUTLETS_FILE,
    Outlet,
    OutletTable,
    Site,
    article_sites,
    load_outlets,
)
from data.places.resolve import resolve_region
from data.places.tagging import PLACE_COLUMNS, tag_places

__all__ = [
    "ALIASES",
    "OUTLETS_ENV",
    "OUTLETS_FILE",
    "PLACE_COLUMNS",
    "Outlet",
    "OutletTable",
    "Site",
    "article_sites",
    "load_outlets",
    "resolve_region",
    "tag_places",
]


def __getattr__(name: str) -> object:
    """ALIASES, the other names of provinces and regencies (code -> names), read on first use."""
    if name != "ALIASES":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = name_tables().aliases
    return value
