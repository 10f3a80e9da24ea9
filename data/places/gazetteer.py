"""The gazetteer: every name of Indonesia's provinces and regencies (official names, from the
regions list, and the other names of names.toml beside this module) and what each can name, with
the qualifier words that say which."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from data.regions import districts, provinces, regencies

NAMES_FILE = Path(__file__).with_name("names.toml")
_SPACES = re.compile(r"[\s\-]+")


class NameTables(NamedTuple):
    """The tables of names.toml."""

    aliases: Mapping[str, tuple[str, ...]]  # code -> other names, beyond the official ones
    risky: Mapping[str, str]  # a name that is also a common word -> "context" or "strict"
    parent_provinces: Mapping[str, str]  # a province split from another -> that other
    not_places: tuple[str, ...]  # phrases that start with or contain a place name
    qualifiers: Mapping[str, tuple[str, ...]]  # kind -> words before a name that say it


@cache
def name_tables() -> NameTables:
    """The tables, read from the file once."""
    document = tomllib.loads(NAMES_FILE.read_text(encoding="utf-8"))
    risky = {name: level for level, names in document["risky"].items() for name in names}
    return NameTables(
        aliases=MappingProxyType({code: tuple(v) for code, v in document["aliases"].items()}),
        risky=MappingProxyType(risky),
        parent_provinces=MappingProxyType(document["parent_provinces"]),
        not_places=tuple(document["not_places"]),
        qualifiers=MappingProxyType({k: tuple(v) for k, v in document["qualifiers"].items()}),
    )


@dataclass(frozen=True, slots=True)
class Entry:
    """What one place name can name: a province, cities (kota), regencies (kabupaten)."""

    province: str | None = None
    kota: tuple[str, ...] = ()
    kabupaten: tuple[str, ...] = ()
    risk: str = ""
    blocked: bool = False

    def candidates(self, qualifier: str | None) -> tuple[str, ...]:
        """The codes this name can stand for after `qualifier`."""
        own = (self.province,) if self.province else ()
        if qualifier == "kabupaten":
            return self.kabupaten or self.kota
        if qualifier == "kota":
            return self.kota or self.kabupaten or own
        if qualifier == "provinsi" and own:
            return own
        return own + self.kota + self.kabupaten

    def fits(self, qualifier: str | None) -> bool:
        """Whether an administrative qualifier matches what this name can be."""
        return (
            (qualifier == "kabupaten" and bool(self.kabupaten))
            or (qualifier == "kota" and bool(self.kota))
            or (qualifier == "both" and bool(self.kota and self.kabupaten))
            or (qualifier == "provinsi" and self.province is not None)
        )


@dataclass(frozen=True)
class Gazetteer:
    """Every place name, one pattern that finds them, and dateline-only town names."""

    entries: dict[str, Entry]
    labels: dict[str, str]  # name key -> the name as written in the tables
    pattern: re.Pattern[str]
    towns: dict[str, tuple[str, ...]]  # district name or its first word -> regency codes
    compact: dict[str, Entry]  # name without spaces -> entry, for government host names
    names: dict[str, str]  # code -> official name of the province or regency
    iso: dict[str, str]  # ISO 3166-2 code -> province code


def name_key(name: str) -> str:
    """A place name folded for lookups: lowercase, hyphens and runs of spaces as one space."""
    return _SPACES.sub(" ", name).strip().casefold()


def _official(name: str) -> str:
    """A regency name as written in news: without "Administrasi", with "Kepulauan" spelled out."""
    return name.removeprefix("Administrasi ").replace("Kep. ", "Kepulauan ")


def _forms(name: str) -> set[str]:
    """How a name is written in text: as given, in title case and in capitals."""
    spaced = name.replace("-", " ")
    if spaced.isupper():
        return {spaced}
    return {spaced, spaced.title(), spaced.upper()}


def _trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching any of `words`, longest first, built as a character trie."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_body(trie)


def _trie_body(node: dict) -> str:
    """The regular expression of one trie node."""
    branches = [
        (r"[\s\-]" if char == " " else re.escape(char)) + _trie_body(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


@cache
def _qualifier_index() -> dict[str, str]:
    """Qualifier words -> their kind."""
    return {word: kind for kind, words in name_tables().qualifiers.items() for word in words}


@cache
def gazetteer() -> Gazetteer:
    """The place names of Indonesia's provinces and regencies, built once from the regions list."""
    found: dict[str, dict[str, list[str]]] = {}
    labels: dict[str, str] = {}
    forms: set[str] = set()

    def add(name: str, code: str, kind: str) -> None:
        key = name_key(name)
        found.setdefault(key, {}).setdefault(kind, []).append(code)
        labels.setdefault(key, name)
        forms.update(_forms(name))

    prov, reg = provinces(), regencies()
    for code, name in zip(prov["province_code"], prov["province"], strict=True):
        add(name, code, "provinsi")
    for code, name, kind in zip(reg["regency_code"], reg["name"], reg["kind"], strict=True):
        add(_official(name), code, kind)
    kinds = dict(zip(reg["regency_code"], reg["kind"], strict=True))
    tables = name_tables()
    for code, names in tables.aliases.items():
        for name in names:
            add(name, code, kinds.get(code, "provinsi"))
    for name in tables.not_places:
        add(name, "", "blocked")
    risky = {name_key(name): level for name, level in tables.risky.items()}
    entries = {key: _entry(kinds_found, risky.get(key, "")) for key, kinds_found in found.items()}
    return Gazetteer(
        entries=entries,
        labels=labels,
        pattern=re.compile(f"(?:{_trie_pattern(forms)})(?!\\w)"),
        towns=_towns(entries),
        compact={key.replace(" ", ""): entry for key, entry in entries.items()},
        names={
            **dict(zip(prov["province_code"], prov["province"], strict=True)),
            **dict(zip(reg["regency_code"], reg["regency"], strict=True)),
        },
        iso=dict(zip(prov["iso_code"], prov["province_code"], strict=True)),
    )


def _entry(kinds: dict[str, list[str]], risk: str) -> Entry:
    """One frozen entry from the codes found for a name, by kind."""
    unique = {kind: tuple(dict.fromkeys(codes)) for kind, codes in kinds.items()}
    return Entry(
        province=unique.get("provinsi", (None,))[0],
        kota=unique.get("kota", ()),
        kabupaten=unique.get("kabupaten", ()),
        risk=risk,
        blocked="blocked" in unique,
    )


def _towns(entries: dict[str, Entry]) -> dict[str, tuple[str, ...]]:
    """District names, and the first word of many-word ones, -> their regencies (datelines only)."""
    towns: dict[str, set[str]] = {}
    frame = districts()
    for name, regency in zip(frame["district"], frame["regency_code"], strict=True):
        key = name_key(name)
        for town in {key, key.split(" ")[0]}:
            if town not in entries:
                towns.setdefault(town, set()).add(regency)
    return {town: tuple(sorted(codes)) for town, codes in towns.items()}


def qualifier_before(text: str, start: int) -> str | None:
    """The kind of qualifier written just before `start` ("Kota", "Bupati", "di", ...), if any."""
    before = text[max(0, start - 40) : start]
    if not before or not (before[-1].isspace() or before[-1] == "."):
        return None
    words = before.split()[-4:]
    if words and words[-1].startswith("(") and words[-1].endswith(")"):
        words = words[:-1]  # Pemerintah Kota (Pemkot) Serang
    return qualifier_of(words)


def qualifier_of(words: list[str]) -> str | None:
    """The kind of the qualifier that ends `words`, trying three words, then two, then one."""
    index = _qualifier_index()
    for size in (3, 2, 1):
        if len(words) >= size:
            kind = index.get(" ".join(words[-size:]).casefold())
            if kind:
                return kind
    return None
