"""Where an article is about: its province and regency/city (Kemendagri codes), with the evidence.

Evidence, most trusted first: an explicit region (the row's region column, else the `region`
argument), the dateline opening the body ("SERANG, KOMPAS.com -", "Serang (ANTARA) -"), place names
in the title, place names in the lead, and last the home region of the outlet. The most trusted
source that names a place fixes the province; a later one may only add the regency inside it.

A name shared by a city and a regency ("Serang", "Bandung", "Malang") names the kota after "Kota",
"Wali Kota", "Pemkot" and in a dateline, the kabupaten after "Kabupaten", "Bupati", "Pemkab", and
otherwise only their common province, unless the article or the outlet names one of them
unambiguously elsewhere. Conflicting places of equal weight give the province or nothing.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from data.regions import districts, provinces, regencies

PLACE_COLUMNS = ("province_code", "province", "regency_code", "regency", "place_evidence", "places")
OUTLETS_FILE = Path(__file__).with_name("outlets.toml")
OUTLETS_ENV = "SOROTAN_OUTLETS"
DATELINE_CHARS = 200  # where a dateline may start
LEAD_CHARS = 300  # body characters after the dateline read as the lead
DESK_DATELINES = frozenset({"31"})  # provinces whose bare dateline marks a national desk
VAGUE = ".*"  # after a province code: one of its regencies, unknown which ("Serang" alone)

#: Other names of provinces and regencies (Kemendagri code -> names), beyond the official ones.
ALIASES: dict[str, tuple[str, ...]] = {
    "11": ("NAD", "Nanggroe Aceh Darussalam"),
    "12": ("Sumut", "Sumatra Utara", "Danau Toba"),
    "13": ("Sumbar", "Sumatra Barat"),
    "16": ("Sumsel", "Sumatra Selatan"),
    "19": ("Babel", "Bangka Belitung"),
    "21": ("Kepri",),
    "31": (
        "Jakarta",
        "DKI",
        "DKI Jakarta",
        "Daerah Khusus Jakarta",
        "Daerah Khusus Ibu Kota Jakarta",
    ),
    "32": ("Jabar", "Bandung Raya"),
    "33": ("Jateng", "Solo Raya"),
    "34": ("DIY", "DI Yogyakarta", "Yogyakarta", "Jogja", "Jogjakarta", "Yogya"),
    "35": ("Jatim", "Madura", "Malang Raya"),
    "52": ("NTB", "Lombok"),
    "53": ("NTT", "Flores", "Sumba"),
    "61": ("Kalbar",),
    "62": ("Kalteng",),
    "63": ("Kalsel",),
    "64": ("Kaltim",),
    "65": ("Kaltara",),
    "71": ("Sulut",),
    "72": ("Sulteng",),
    "73": ("Sulsel",),
    "74": ("Sultra",),
    "76": ("Sulbar",),
    "82": ("Malut", "Halmahera"),
    "12.01": ("Tapteng",),
    "12.02": ("Taput",),
    "12.03": ("Tapsel",),
    "12.07": ("Deliserdang",),
    "12.10": ("Labuhan Batu",),
    "12.12": ("Toba Samosir", "Tobasa"),
    "12.16": ("Humbahas",),
    "12.18": ("Sergai",),
    "12.19": ("Batubara",),
    "12.22": ("Labuhan Batu Selatan", "Labusel"),
    "12.23": ("Labuhan Batu Utara", "Labura"),
    "12.72": ("Pematang Siantar", "Siantar"),
    "12.74": ("Tanjung Balai",),
    "12.76": ("Tebingtinggi",),
    "12.77": ("Padang Sidimpuan", "Padangsidempuan", "Padang Sidempuan"),
    "12.78": ("Gunung Sitoli",),
    "13.07": ("Limapuluh Kota", "50 Kota"),
    "13.09": ("Mentawai",),
    "13.73": ("Sawah Lunto",),
    "13.75": ("Bukit Tinggi",),
    "14.02": ("Inhu",),
    "14.04": ("Inhil",),
    "14.06": ("Rohul",),
    "14.07": ("Rohil",),
    "14.09": ("Kuansing",),
    "14.10": ("Meranti",),
    "14.71": ("Pekan Baru",),
    "15.04": ("Batang Hari",),
    "15.06": ("Tanjabbar",),
    "15.07": ("Tanjabtim",),
    "16.01": ("OKU",),
    "16.02": ("OKI",),
    "16.05": ("Mura",),
    "16.06": ("Muba",),
    "16.08": ("OKU Timur",),
    "16.09": ("OKU Selatan",),
    "16.12": ("PALI",),
    "16.13": ("Muratara",),
    "16.72": ("Pagaralam",),
    "16.73": ("Lubuklinggau",),
    "17.06": ("Muko Muko",),
    "18.71": ("Bandarlampung",),
    "19.71": ("Pangkalpinang",),
    "21.05": ("Anambas",),
    "21.72": ("Tanjungpinang",),
    "31.71": ("Jakpus",),
    "31.72": ("Jakut",),
    "31.73": ("Jakbar",),
    "31.74": ("Jaksel",),
    "31.75": ("Jaktim",),
    "33.02": ("Purwokerto",),
    "33.72": ("Solo",),
    "34.01": ("Kulonprogo",),
    "34.03": ("Gunung Kidul",),
    "34.71": ("Yogyakarta", "Jogja", "Jogjakarta", "Yogya"),
    "36.74": ("Tangsel",),
    "53.15": ("Labuan Bajo", "Pulau Komodo", "Taman Nasional Komodo"),
    "62.71": ("Palangka Raya",),
    "63.72": ("Banjar Baru",),
    "64.02": ("Kukar",),
    "64.07": ("Kubar",),
    "64.08": ("Kutim",),
    "64.09": ("PPU",),
    "71.01": ("Bolmong",),
    "71.03": ("Sangihe",),
    "71.04": ("Talaud",),
    "71.09": ("Kepulauan Siau Tagulandang Biaro", "Sitaro"),
    "72.04": ("Tolitoli",),
    "73.01": ("Selayar",),
    "73.10": ("Pangkep", "Pangkajene Kepulauan"),
    "73.14": ("Sidrap",),
    "73.72": ("Pare Pare",),
    "74.72": ("Baubau",),
    "81.03": ("Tanimbar", "Maluku Tenggara Barat"),
    "81.07": ("Aru",),
    "82.07": ("Morotai",),
    "82.08": ("Taliabu",),
    "82.72": ("Tidore",),
    "91.05": ("Yapen",),
    "91.06": ("Biak",),
    "92.03": ("Fakfak",),
    "94.04": ("Timika",),
    "95.01": ("Wamena",),
}

#: Place names that are also common words or person names. "context": counted only after a
#: qualifier (Kota, Kabupaten, Bupati, di, ke, warga, Polres ...), before its province
#: ("Serang, Banten"), next to another place ("Pemalang-Batang"), or in the dateline.
#: "strict": only after a fitting administrative qualifier, before its province, or in the dateline.
RISKY: dict[str, str] = {
    **dict.fromkeys(
        ("Serang", "Batu", "Batang", "Bima", "Medan", "Padang", "Malang", "Banjar", "Pati", "Bone",
         "Karo", "Sigi", "Agam", "Toba", "Kudus", "Solo", "Kaur", "Bungo", "Kapuas", "Aru", "Landak",
         "Lebak", "Meranti", "Biak", "Sumba", "Flores", "Madura"),
        "context",
    ),
    **dict.fromkeys(
        ("Puncak", "Buru", "Metro", "Batu Bara", "Batubara", "Kuningan", "Malaka", "Lingga",
         "Ketapang"),
        "strict",
    ),
}  # fmt: skip

#: Provinces split from another (child -> parent): "Papua" said of a Papua Pegunungan regency.
PARENT_PROVINCES: dict[str, str] = {"65": "64", "93": "91", "94": "91", "95": "91", "96": "92"}

#: Phrases that start with or contain a place name but name something else.
NOT_PLACES: tuple[str, ...] = (
    "Bima Arya", "Bima Sakti", "Metro TV", "Metro Mini", "Metro Jaya", "Medan Merdeka",
    "Medan Perang", "Medan Magnet", "Lebak Bulus", "Malang Melintang", "Bali United",
    "Padang Rumput", "Padang Pasir", "Padang Golf", "Batu Loncatan", "Sumba Kuning", "Madura United",
)  # fmt: skip

#: Words just before a name that say what it names (lowercase; up to three words).
QUALIFIERS: dict[str, tuple[str, ...]] = {
    "kabupaten": ("kabupaten", "kab.", "kab", "kabupaten administrasi", "bupati", "wakil bupati",
                  "wabup", "pemkab", "pemerintah kabupaten"),
    "kota": ("kota", "kota administrasi", "kota adm.", "wali kota", "walikota", "wakil wali kota",
             "wakil walikota", "wawali", "pemkot", "pemko", "pemerintah kota", "kotamadya", "kodya"),
    "both": ("kabupaten dan kota", "kota dan kabupaten", "kabupaten/kota", "kota/kabupaten",
             "kab/kota", "kab./kota"),
    "provinsi": ("provinsi", "prov.", "prov", "gubernur", "wakil gubernur", "wagub", "pemprov",
                 "pemerintah provinsi", "polda", "kapolda", "kejati"),
    "place": ("di", "ke", "dari", "asal", "warga", "wilayah", "kawasan", "daerah", "pulau", "kepulauan",
              "polres", "polresta", "kapolres", "kapolresta", "dprd", "kodim", "dandim", "kejari",
              "kajari", "rsud", "bpbd", "kpu", "bawaslu", "pengadilan negeri", "menuju", "sekitar"),
    "not": ("jalan", "jl.", "jl", "jln.", "jln", "gang", "gg.", "kecamatan", "kelurahan", "desa",
            "kampung", "dusun", "nasi", "rumah makan", "masakan", "semen", "roh", "selat", "sungai",
            "aria", "kuku", "kri", "danau", "kerajaan"),
}  # fmt: skip

HOST_SUFFIXES = (
    ".co.id", ".go.id", ".or.id", ".ac.id", ".web.id", ".my.id", ".sch.id", ".com", ".id", ".net",
    ".org", ".co", ".news", ".info", ".tv", ".online", ".site",
)  # fmt: skip
HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")
GOVERNMENT_KINDS = {"kab": "kabupaten", "kota": "kota", "prov": "provinsi"}
OUTLET_FIELDS = ("name", "hosts", "names", "province_code", "regency_code")

_SPACES = re.compile(r"[\s\-]+")
_DATELINE = re.compile(
    r"(?:^|\n)[^\S\n]*"
    r"(?:(?i:[a-z0-9][a-z0-9-]*(?:\.[a-z]{2,})+)\s*,\s*)?"  # an outlet first: TRIBUNBANTEN.COM,
    r"(?P<place>(?:Kab\.[^\S\n]*)?[A-Z][\w'’]*(?:[^\S\n]+[A-Z][\w'’]*){0,3})\s*"
    r"(?:,\s*(?P<after>[^\n,–—-]{1,40}?)\s*|\([^()\n]{1,40}\)\s*)?"  # , KOMPAS.com | (ANTARA)
    r"[-–—]"
)
_PROVINCE_GAP = re.compile(r"\s*[,(]\s*")
_LIST_GAP = re.compile(r"\s*(?:[,/&–-]|dan|atau|hingga|sampai)?\s*")
_URL_HOST = re.compile(
    r"^\s*(?:[a-z][\w+.-]*:)?/*(?:[^@/\s]*@)?([^/?#:\s]+)(?::\d+)?(?:/([^/?#\s]*))?", re.I
)
_CODE = re.compile(r"^(\d{2})(?:\.?(\d{2}))?$")
_ISO = re.compile(r"^ID-[A-Z]{2}$", re.I)


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


class _Mention(NamedTuple):
    """One place name found in one zone of an article."""

    zone: str  # dateline | title | lead
    candidates: tuple[str, ...]
    default: str | None = None  # the kota a bare dateline name stands for


class _Hit(NamedTuple):
    start: int
    end: int
    entry: Entry
    qualifier: str | None


class _Dateline(NamedTuple):
    mentions: tuple[_Mention, ...]
    end: int
    foreign: bool


def _key(name: str) -> str:
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
    return {word: kind for kind, words in QUALIFIERS.items() for word in words}


@cache
def gazetteer() -> Gazetteer:
    """The place names of Indonesia's provinces and regencies, built once from the regions list."""
    found: dict[str, dict[str, list[str]]] = {}
    labels: dict[str, str] = {}
    forms: set[str] = set()

    def add(name: str, code: str, kind: str) -> None:
        key = _key(name)
        found.setdefault(key, {}).setdefault(kind, []).append(code)
        labels.setdefault(key, name)
        forms.update(_forms(name))

    prov, reg = provinces(), regencies()
    for code, name in zip(prov["province_code"], prov["province"], strict=True):
        add(name, code, "provinsi")
    for code, name, kind in zip(reg["regency_code"], reg["name"], reg["kind"], strict=True):
        add(_official(name), code, kind)
    kinds = dict(zip(reg["regency_code"], reg["kind"], strict=True))
    for code, names in ALIASES.items():
        for name in names:
            add(name, code, kinds.get(code, "provinsi"))
    for name in NOT_PLACES:
        add(name, "", "blocked")
    risky = {_key(name): level for name, level in RISKY.items()}
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
        key = _key(name)
        for town in {key, key.split(" ")[0]}:
            if town not in entries:
                towns.setdefault(town, set()).add(regency)
    return {town: tuple(sorted(codes)) for town, codes in towns.items()}


def _qualifier(text: str, start: int) -> str | None:
    """The kind of qualifier written just before `start` ("Kota", "Bupati", "di", ...), if any."""
    before = text[max(0, start - 40) : start]
    if not before or not (before[-1].isspace() or before[-1] == "."):
        return None
    words = before.split()[-4:]
    if words and words[-1].startswith("(") and words[-1].endswith(")"):
        words = words[:-1]  # Pemerintah Kota (Pemkot) Serang
    return _qualifier_of(words)


def _qualifier_of(words: list[str]) -> str | None:
    """The kind of the qualifier that ends `words`, trying three words, then two, then one."""
    index = _qualifier_index()
    for size in (3, 2, 1):
        if len(words) >= size:
            kind = index.get(" ".join(words[-size:]).casefold())
            if kind:
                return kind
    return None


def _hits(text: str, gaz: Gazetteer) -> list[_Hit]:
    """Every place name in `text` that is a whole word and not part of a non-place phrase."""
    hits = []
    for match in gaz.pattern.finditer(text):
        start = match.start()
        if start and text[start - 1].isalnum() and not _glued(text[start - 1], match.group()):
            continue
        entry = gaz.entries[_key(match.group())]
        qualifier = _qualifier(text, start)
        if not entry.blocked and qualifier != "not":
            hits.append(_Hit(start, match.end(), entry, qualifier))
    return hits


def _glued(before: str, name: str) -> bool:
    """Whether a name follows a lowercase word without a space, as scrapes glue links ("diSerang")."""
    return before.islower() and not name.isupper()


def _trusted(i: int, hits: list[_Hit], text: str) -> bool:
    """Whether a risky name is used as a place here (see RISKY)."""
    hit = hits[i]
    nxt = hits[i + 1] if i + 1 < len(hits) else None
    if hit.entry.fits(hit.qualifier) or (
        nxt
        and nxt.entry.province in {code[:2] for code in hit.entry.candidates(None)}
        and _PROVINCE_GAP.fullmatch(text, hit.end, nxt.start)
    ):
        return True
    if hit.entry.risk != "context":
        return False
    prev = hits[i - 1] if i else None
    return (
        hit.qualifier == "place"
        or bool(prev and not prev.entry.risk and _LIST_GAP.fullmatch(text, prev.end, hit.start))
        or bool(nxt and not nxt.entry.risk and _LIST_GAP.fullmatch(text, hit.end, nxt.start))
    )


def _mentions(text: str, zone: str, gaz: Gazetteer) -> list[_Mention]:
    """The place mentions of one zone, risky names kept only where used as places."""
    hits = _hits(text, gaz)
    mentions = []
    for i, hit in enumerate(hits):
        if hit.entry.risk and not _trusted(i, hits, text):
            continue
        if hit.qualifier == "both":
            mentions.extend(
                _Mention(zone, (code,)) for code in hit.entry.kabupaten + hit.entry.kota
            )
            continue
        candidates = hit.entry.candidates(hit.qualifier)
        if candidates:
            mentions.append(_Mention(zone, candidates))
    return mentions


def _dateline(body: str, gaz: Gazetteer, outlet_names: frozenset[str]) -> _Dateline:
    """The dateline opening `body`: its place, where it ends, and whether it names no Indonesian place."""
    match = _DATELINE.search(body, 0, DATELINE_CHARS)
    if not match:
        return _Dateline((), 0, False)
    for phrase in (match["place"], match["after"]):
        if phrase:
            found = _dateline_place(phrase, gaz)
            if found is not None:
                return _Dateline(found, match.end(), False)
    if re.sub(r"[^a-z0-9]", "", match["place"].casefold()) in outlet_names:
        return _Dateline((), match.end(), False)  # "POSMETRO -": an outlet, not a place
    return _Dateline((), match.end(), True)


def _dateline_place(phrase: str, gaz: Gazetteer) -> tuple[_Mention, ...] | None:
    """The mention a dateline phrase makes, None when it names no Indonesian place."""
    words = phrase.replace("Kab.", "Kabupaten ").split()
    for i in range(len(words)):
        key = _key(" ".join(words[i:]))
        entry = gaz.entries.get(key)
        if entry is not None and not entry.blocked:
            qualifier = _qualifier_of(words[:i])
            default = entry.kota[0] if qualifier is None and len(entry.kota) == 1 else None
            return (_Mention("dateline", entry.candidates(qualifier), default),)
        if key in gaz.towns:
            return (_Mention("dateline", gaz.towns[key]),)
    return None


def _lead(body: str, start: int) -> str:
    """About LEAD_CHARS of body from `start`, ending at a word boundary."""
    end = start + LEAD_CHARS
    if end >= len(body):
        return body[start:]
    cut = body.find(" ", end)
    return body[start : cut if cut >= 0 else len(body)]


def _settled(
    mention: _Mention, decisive: set[str], home: tuple[str, str | None] | None
) -> str | None:
    """The code an ambiguous mention stands for, else its province + VAGUE, else None.

    Decided, in order, by an unambiguous mention of a candidate elsewhere in the article, the
    outlet's home regency, the kota a dateline names, and the provinces the article or the
    outlet's home support.
    """
    known = tuple(code for code in mention.candidates if code in decisive)
    if len(known) == 1:
        return known[0]
    candidates = known or mention.candidates
    if home and home[1] in candidates:
        return home[1]
    if mention.default in candidates:
        return mention.default
    if len({code[:2] for code in candidates}) > 1:
        support = {code[:2] for code in decisive} | ({home[0]} if home else set())
        candidates = tuple(code for code in candidates if code[:2] in support)
    if len(candidates) == 1:
        return candidates[0]
    provinces_named = {code[:2] for code in candidates}
    return provinces_named.pop() + VAGUE if len(provinces_named) == 1 else None


def _resolved(
    mentions: list[_Mention], home: tuple[str, str | None] | None
) -> list[tuple[str, str]]:
    """(zone, code) of every mention that can be resolved, ambiguous ones by the rest of the article."""
    decisive = {m.candidates[0] for m in mentions if len(m.candidates) == 1}
    resolved = []
    for mention in mentions:
        if len(mention.candidates) == 1:
            resolved.append((mention.zone, mention.candidates[0]))
        else:
            code = _settled(mention, decisive, home)
            if code:
                resolved.append((mention.zone, code))
    return resolved


def _regrouped(resolved: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Resolved mentions with a parent province ("Papua") read as the one child province named too."""
    children: dict[str, set[str]] = {}
    for _, code in resolved:
        parent = PARENT_PROVINCES.get(code[:2])
        if parent:
            children.setdefault(parent, set()).add(code[:2])
    if not children:
        return resolved
    child = {parent: kids.pop() for parent, kids in children.items() if len(kids) == 1}
    return [
        (zone, code if _is_regency(code) else child.get(code[:2], code[:2]) + code[2:])
        for zone, code in resolved
    ]


def _leaders(counts: Counter[str]) -> list[str]:
    """The keys with the highest count."""
    if not counts:
        return []
    top = max(counts.values())
    return [key for key, count in counts.items() if count == top]


def _is_regency(code: str) -> bool:
    """Whether a resolved code is one known regency."""
    return "." in code and not code.endswith(VAGUE)


def _public(code: str) -> str:
    """A resolved code as written in `places`: a vague mention as its province."""
    return code[:2] if code.endswith(VAGUE) else code


def _regency(province: str, zones: Iterable[list[str]]) -> str | None:
    """The regency of `province` named most often by the first zone naming any; ties go to later zones."""
    tied: list[str] | None = None
    for codes in zones:
        inside = Counter(
            code
            for code in codes
            if "." in code and code[:2] == province and code in (tied or [code])
        )
        if inside:
            tied = _leaders(inside)
            if len(tied) == 1:
                return tied[0] if _is_regency(tied[0]) else None
    return None


def _chosen(
    codes: list[str], tiebreak: list[str], home: tuple[str, str | None] | None
) -> tuple[str, str | None] | None:
    """(province, regency) most named by `codes`; ties broken by `tiebreak`, then the outlet's home."""
    top = _leaders(Counter(code[:2] for code in codes))
    if len(top) > 1:
        top = _leaders(Counter(code[:2] for code in tiebreak if code[:2] in top)) or top
    if len(top) > 1 and home and home[0] in top:
        top = [home[0]]
    if len(top) != 1:
        return None
    return top[0], _regency(top[0], (codes, tiebreak))


def _primary(
    zones: dict[str, list[str]],
    home: tuple[str, str | None] | None,
    region: tuple[str, str | None] | None,
    outlet_fallback: bool,
) -> tuple[tuple[str | None, str | None], str]:
    """The article's (province, regency) and the evidence that fixed it."""
    if region:
        regency = region[1] or _regency(region[0], (zones["dateline"], zones["title"]))
        return (region[0], regency), "region"
    dateline, title, lead = zones["dateline"], zones["title"], zones["lead"]
    if dateline:
        code = dateline[0]
        if _is_regency(code):
            return (code[:2], code), "dateline"
        return (code[:2], _regency(code[:2], (title, lead))), "dateline"
    for zone, codes, tiebreak in (("title", title, lead), ("lead", lead, [])):
        if codes:
            chosen = _chosen(codes, tiebreak, home)
            return (chosen, zone) if chosen else ((None, None), "none")
    if home and outlet_fallback:
        return home, "outlet"
    return (None, None), "none"


def _dateline_holds(
    code: str, zones: dict[str, list[str]], home: tuple[str, str | None] | None
) -> bool:
    """Whether a dateline places the story.

    A regency always does. A province-only dateline does not when the title names only other
    provinces. The national capital's ("JAKARTA, KOMPAS.com -") marks a national desk more often
    than a place: it holds only when the title or lead names a place in it too, or the outlet's
    home is there.
    """
    if _is_regency(code):
        return True
    province, title = code[:2], {c[:2] for c in zones["title"]}
    if title and province not in title:
        return False
    return (
        province not in DESK_DATELINES
        or province in title | {c[:2] for c in zones["lead"]}
        or (home is not None and home[0] == province)
    )


def _article_place(
    title: str,
    body: str,
    home: tuple[str, str | None] | None,
    region: tuple[str, str | None] | None,
    gaz: Gazetteer,
    outlet_names: frozenset[str],
) -> tuple[str | None, str | None, str, str]:
    """(province_code, regency_code, place_evidence, places) of one article."""
    dateline = _dateline(body, gaz, outlet_names)
    mentions = [*dateline.mentions, *_mentions(title, "title", gaz)]
    if not dateline.foreign:
        mentions += _mentions(_lead(body, dateline.end), "lead", gaz)
    resolved = _regrouped(_resolved(mentions, home))
    zones: dict[str, list[str]] = {"dateline": [], "title": [], "lead": []}
    for zone, code in resolved:
        zones[zone].append(code)
    ignored = bool(zones["dateline"]) and not _dateline_holds(zones["dateline"][0], zones, home)
    if ignored:
        zones["dateline"] = []
        resolved = [(zone, code) for zone, code in resolved if zone != "dateline"]
    fallback = not (dateline.foreign or ignored)
    (province, regency), evidence = _primary(zones, home, region, fallback)
    first = [regency or province] if province and evidence != "outlet" else []
    places = ";".join(dict.fromkeys([*first, *(_public(code) for _, code in resolved)]))
    return province, regency, evidence, places


def _texts(frame: pd.DataFrame, column: str) -> list[str]:
    """A column as strings, "" where missing or absent."""
    if column not in frame.columns:
        return [""] * len(frame)
    return ["" if _blank(value) else str(value) for value in frame[column].tolist()]


def _blank(value: object) -> bool:
    """Whether a cell holds nothing."""
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )


def tag_places(
    frame: pd.DataFrame, region: str | None = None, outlets: OutletTable | None = None
) -> pd.DataFrame:
    """Where each article of `frame` is about: the PLACE_COLUMNS, on the same index.

    `frame` has title, text, source, url and region columns (any may be missing or blank). A row's
    region value wins, then `region`; an unknown `region` raises ValueError, an unknown region value
    is ignored. `places` lists, ";"-joined, every province and regency the dateline, title and lead
    name, the primary place first; an outlet's home is not listed. `outlets` defaults to
    load_outlets().
    """
    gaz = gazetteer()
    table = outlets if outlets is not None else load_outlets()
    outlet_names = table.names
    fixed = resolve_region(region) if region is not None else (None, None)
    default = fixed if fixed[0] else None
    regions = [_cell_region(value) or default for value in _texts(frame, "region")]
    homes = [
        table.home(source, url)
        for source, url in zip(_texts(frame, "source"), _texts(frame, "url"), strict=True)
    ]
    rows = [
        _article_place(title, body, home, row_region, gaz, outlet_names)
        for title, body, home, row_region in zip(
            _texts(frame, "title"), _texts(frame, "text"), homes, regions, strict=True
        )
    ]
    return _place_frame(rows, frame.index, gaz)


def _place_frame(
    rows: list[tuple[str | None, str | None, str, str]], index: pd.Index, gaz: Gazetteer
) -> pd.DataFrame:
    """The output columns from per-article results; missing codes and names are None."""
    provinces_, regencies_, evidence, places = zip(*rows, strict=True) if rows else ([],) * 4
    columns = {
        "province_code": provinces_,
        "province": [gaz.names.get(code) for code in provinces_],
        "regency_code": regencies_,
        "regency": [gaz.names.get(code) for code in regencies_],
        "place_evidence": evidence,
        "places": places,
    }
    return pd.DataFrame(
        {
            name: pd.Series(list(values), index=index, dtype=object)
            for name, values in columns.items()
        }
    )


@lru_cache(maxsize=4096)
def _cell_region(value: str) -> tuple[str, str | None] | None:
    """The region a region-column value names, None when blank or unknown."""
    province, regency = resolve_region(value, strict=False)
    return (province, regency) if province else None


def resolve_region(value: str | None, *, strict: bool = True) -> tuple[str | None, str | None]:
    """(province_code, regency_code) named by a --region value or a region column value.

    Accepts Kemendagri codes ("36", "36.73", "3673"), ISO 3166-2 codes ("ID-BT"), and official or
    common names of provinces and regencies ("Banten", "Jabar", "Kota Serang", "Kab. Serang",
    "Jakarta Selatan"), optionally followed by the province ("Banjar, Kalimantan Selatan"). A bare
    name shared by a city and a regency of one province ("Serang") gives the province only. A blank
    value gives (None, None). An unknown or ambiguous value raises ValueError with close matches,
    or gives (None, None) when `strict` is False.
    """
    text = "" if _blank(value) else " ".join(str(value).split())
    if not text:
        return None, None
    try:
        return _region(text, gazetteer())
    except ValueError:
        if strict:
            raise
        return None, None


def _region(text: str, gaz: Gazetteer) -> tuple[str, str | None]:
    """resolve_region for a non-blank value; raises ValueError."""
    code = _CODE.match(text)
    if code:
        return _coded(code[1], code[2], text, gaz)
    if _ISO.match(text):
        province = gaz.iso.get(text.upper())
        if province is None:
            raise ValueError(
                f"Unknown ISO 3166-2 code {text!r}; Indonesia's run from ID-AC to ID-YO."
            )
        return province, None
    name, _, scope = text.rpartition(",") if "," in text else (text, "", "")
    candidates = _named(name.strip(), gaz, text)
    if scope.strip():
        province = _region(scope.strip(), gaz)[0]
        candidates = tuple(c for c in candidates if c[:2] == province) or candidates
    if len(candidates) == 1:
        only = candidates[0]
        return (only[:2], only) if "." in only else (only, None)
    if len({c[:2] for c in candidates}) == 1:
        return candidates[0][:2], None
    options = " or ".join(f"{gaz.names[c]} ({gaz.names[c[:2]]}, {c})" for c in candidates)
    raise ValueError(f"Region {text!r} is ambiguous: {options}. Name it fully or give its code.")


def _coded(province: str, regency: str | None, text: str, gaz: Gazetteer) -> tuple[str, str | None]:
    """A region given by its Kemendagri code."""
    code = f"{province}.{regency}" if regency else province
    if code not in gaz.names:
        raise ValueError(f"Unknown region code {text!r}: no province or regency has code {code}.")
    return province, (code if regency else None)


def _named(name: str, gaz: Gazetteer, original: str) -> tuple[str, ...]:
    """The codes a region name can stand for: [qualifier] name, nothing else."""
    words = name.replace("Kab.", "Kabupaten ").split()
    for i in range(len(words)):
        entry = gaz.entries.get(_key(" ".join(words[i:])))
        qualifier = _qualifier_of(words[:i]) if i else None
        if entry is not None and not entry.blocked and (i == 0 or qualifier):
            candidates = entry.candidates(qualifier)
            if candidates:
                return candidates
    close = difflib.get_close_matches(_key(name), list(gaz.labels), n=3, cutoff=0.75)
    hint = f" Did you mean {', '.join(repr(gaz.labels[c]) for c in close)}?" if close else ""
    raise ValueError(
        f"Unknown region {original!r}.{hint} Give a province or regency name (Banten, Kota Serang),"
        " a Kemendagri code (36, 36.73) or an ISO code (ID-BT)."
    )


@dataclass(frozen=True)
class Outlet:
    """One outlet: the hosts it publishes under and its home region."""

    name: str
    hosts: tuple[str, ...] = ()
    province_code: str | None = None
    regency_code: str | None = None
    names: tuple[str, ...] = ()

    @property
    def home(self) -> tuple[str, str | None] | None:
        """(province_code, regency_code) of its home, None for an outlet without one."""
        return (self.province_code, self.regency_code) if self.province_code else None


def _fold(name: str) -> str:
    """An outlet name folded for lookups: lowercase letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", name.casefold())


def _bare_host(host: str) -> str:
    """A host in lowercase without www., m. and the like."""
    host = host.strip().casefold().rstrip(".")
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            return host[len(prefix) :]
    return host


def _brand(host: str) -> str | None:
    """The registered name of a host without its suffix ("tribunbanten" for tribunbanten.co.id)."""
    for suffix in HOST_SUFFIXES:
        if host.endswith(suffix):
            label = host[: -len(suffix)]
            return label if label and "." not in label else None
    return None


class OutletTable:
    """Outlets found by URL host (exact, "*.parent", or "host/section") or by source name."""

    def __init__(self, outlets: Iterable[Outlet]) -> None:
        self.outlets = tuple(outlets)
        self._hosts: dict[str, Outlet] = {}
        self._wildcards: dict[str, Outlet] = {}
        self._sections: dict[tuple[str, str], Outlet] = {}
        self._names: dict[str, Outlet] = {}
        self._homes: dict[tuple[str, str, str], tuple[str, str | None] | None] = {}
        for outlet in self.outlets:
            self._index(outlet)

    def __len__(self) -> int:
        return len(self.outlets)

    def _index(self, outlet: Outlet) -> None:
        """Adds one outlet to the lookups; an earlier entry wins."""
        for name in (outlet.name, *outlet.names):
            self._names.setdefault(_fold(name), outlet)
        for pattern in outlet.hosts:
            host, _, section = pattern.partition("/")
            if host.startswith("*."):
                self._wildcards.setdefault(host[2:], outlet)
            elif section:
                self._sections.setdefault((host, section), outlet)
            else:
                self._hosts.setdefault(host, outlet)
                brand = _brand(host)
                if brand:
                    self._names.setdefault(brand, outlet)

    @property
    def names(self) -> frozenset[str]:
        """Every folded outlet name and brand."""
        return frozenset(self._names)

    def match(self, source: str | None, url: str | None) -> Outlet | None:
        """The outlet of an article, by its URL first, then by its source value."""
        host, section = _host_section(url or "")
        return self._by_host(host, section) or self._by_source((source or "").strip())

    def home(self, source: str | None, url: str | None) -> tuple[str, str | None] | None:
        """(province_code, regency_code) of the home of the article's outlet, if known."""
        key = (source or "", *_host_section(url or ""))
        if key not in self._homes:
            outlet = self._by_host(key[1], key[2]) or self._by_source(key[0].strip())
            self._homes[key] = outlet.home if outlet else None
        return self._homes[key]

    def _by_source(self, source: str) -> Outlet | None:
        """The outlet a source value names: a host ("banten.antaranews.com") or a name."""
        if "." in source and " " not in source:
            return self._by_host(*_host_section(source))
        return self._names.get(_fold(source)) if source else None

    def _by_host(self, host: str, section: str) -> Outlet | None:
        """The outlet of a host and the first segment of the path."""
        if not host:
            return None
        found = self._sections.get((host, section)) or self._hosts.get(host)
        labels = host.split(".")
        for i in range(1, len(labels) - 1):
            found = found or self._wildcards.get(".".join(labels[i:]))
        return found or _government_outlet(host) or self._names.get(_brand(host) or "")


def _host_section(url: str) -> tuple[str, str]:
    """The bare host and the first path segment of a URL ("" when it has no host)."""
    parsed = _URL_HOST.match(url)
    if not parsed or "." not in parsed[1]:
        return "", ""
    return _bare_host(parsed[1]), (parsed[2] or "").casefold()


def _government_outlet(host: str) -> Outlet | None:
    """The government site of a region: <name>kab.go.id, <name>kota.go.id, <name>prov.go.id."""
    if not host.endswith(".go.id"):
        return None
    label = host.removesuffix(".go.id").rsplit(".", 1)[-1]
    compact = gazetteer().compact
    for short, kind in GOVERNMENT_KINDS.items():
        for name in {label.removesuffix(short), label.removeprefix(short)} - {label}:
            entry = compact.get(name)
            codes = entry.candidates(kind) if entry and entry.fits(kind) else ()
            if len(codes) == 1:
                code = codes[0]
                return Outlet(host, (host,), code[:2], code if "." in code else None)
    return None


def load_outlets(path: Path | None = None) -> OutletTable:
    """The outlet table from `path`, else $SOROTAN_OUTLETS, else the shipped data/outlets.toml."""
    chosen = Path(path or os.environ.get(OUTLETS_ENV) or OUTLETS_FILE)
    try:
        stamp = chosen.stat().st_mtime_ns
    except OSError as exc:
        raise ValueError(f"Outlet table {chosen} cannot be read: {exc.strerror}") from None
    return _outlet_table(str(chosen), stamp)


@lru_cache(maxsize=8)
def _outlet_table(path: str, stamp: int) -> OutletTable:
    """The outlet table in one file, read once per modification time."""
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"Outlet table {path} cannot be read: {exc}") from None
    entries = document.get("outlet", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ValueError(f"Outlet table {path}: write each outlet as an [[outlet]] table.")
    return OutletTable(
        tuple(_outlet(entry, f"{path}: outlet {i}") for i, entry in enumerate(entries, 1))
    )


def _outlet(entry: dict, where: str) -> Outlet:
    """One validated outlet entry; raises ValueError saying what is wrong and where."""
    unknown = sorted(set(entry) - set(OUTLET_FIELDS))
    if unknown:
        raise ValueError(f"{where}: unknown field {unknown[0]!r}; use {', '.join(OUTLET_FIELDS)}.")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{where}: every outlet needs a name.")
    where = f"{where} ({name})"
    lists = {key: entry.get(key, []) for key in ("hosts", "names")}
    for key, values in lists.items():
        if not isinstance(values, list) or not all(
            isinstance(v, str) and v.strip() for v in values
        ):
            raise ValueError(f"{where}: {key} must be a list of strings.")
    province, regency = _outlet_home(entry.get("province_code"), entry.get("regency_code"), where)
    hosts = tuple(_host_pattern(value) for value in lists["hosts"])
    return Outlet(name.strip(), hosts, province, regency, tuple(lists["names"]))


def _outlet_home(province: object, regency: object, where: str) -> tuple[str | None, str | None]:
    """A checked (province_code, regency_code) of an outlet's home; the province follows the regency."""
    names = gazetteer().names
    if province is not None and (
        not isinstance(province, str) or "." in province or province not in names
    ):
        raise ValueError(f"{where}: unknown province_code {province!r}.")
    if regency is None:
        return province, None
    if not isinstance(regency, str) or "." not in regency or regency not in names:
        raise ValueError(f"{where}: unknown regency_code {regency!r}.")
    if province is not None and regency[:2] != province:
        raise ValueError(f"{where}: regency_code {regency} is not in province {province}.")
    return regency[:2], regency


def _host_pattern(value: str) -> str:
    """A host pattern as written in the table, lowercased, without scheme or www."""
    text = re.sub(r"^[a-z][\w+.-]*://", "", value.strip().casefold()).strip("/")
    host, slash, section = text.partition("/")
    return _bare_host(host) + slash + section.split("/")[0]
