"""Outlets and their home regions: found by URL host or source name in the editable outlet table
(data/outlets.toml, or $SOROTAN_OUTLETS), or recognised as a region's government site; and the
outlet an article is counted under (`article_sites`): one name per site, from its source, else
from its URL's host, with the section of the site kept ("nasional" of nasional.kompas.com)."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from data.dedupe import HOST_PREFIXES
from data.places.gazetteer import gazetteer

OUTLETS_FILE = Path(__file__).parents[1] / "outlets.toml"
OUTLETS_ENV = "SOROTAN_OUTLETS"
HOST_SUFFIXES = (
    ".co.id", ".go.id", ".or.id", ".ac.id", ".web.id", ".my.id", ".sch.id", ".com", ".id", ".net",
    ".org", ".co", ".news", ".info", ".tv", ".online", ".site",
)  # fmt: skip
GOVERNMENT_KINDS = {"kab": "kabupaten", "kota": "kota", "prov": "provinsi"}
OUTLET_FIELDS = ("name", "hosts", "names", "province_code", "regency_code")
_URL_HOST = re.compile(
    r"^\s*(?:[a-z][\w+.-]*:)?/*(?:[^@/\s]*@)?([^/?#:\s]+)(?::\d+)?(?:/([^/?#\s]*))?", re.I
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


def _suffix(host: str) -> str | None:
    """The public suffix a host ends with (".co.id", ".com"), None for one not in HOST_SUFFIXES."""
    return next((suffix for suffix in HOST_SUFFIXES if host.endswith(suffix)), None)


def _brand(host: str) -> str | None:
    """The registered name of a host without its suffix ("tribunbanten" for tribunbanten.co.id)."""
    suffix = _suffix(host)
    label = host[: -len(suffix)] if suffix else ""
    return label if label and "." not in label else None


def _registered(host: str) -> str:
    """The domain a host belongs to: one label and its suffix ("kompas.com" for
    nasional.kompas.com; the last two labels when the suffix is not in HOST_SUFFIXES)."""
    suffix = _suffix(host) or "." + host.rsplit(".", 1)[-1]
    label = host[: -len(suffix)].rsplit(".", 1)[-1]
    return label + suffix if label else host


def _subdomain(host: str, base: str) -> str | None:
    """The labels of a host before a base host ("nasional" of nasional.kompas.com under
    kompas.com), None when the host is not under it."""
    return host[: -len(base) - 1] or None if host.endswith("." + base) else None


@dataclass(frozen=True)
class Site:
    """Where an article was published: the outlet it is counted under, and the section of the
    outlet's site it came from (None without one)."""

    outlet: str
    section: str | None = None


def _section(outlet: Outlet, host: str, segment: str) -> str | None:
    """The section of an outlet's site a URL is in: the labels before the shortest of its hosts
    the URL's host is under, else the path segment of a "host/section" entry."""
    bases = sorted({h.removeprefix("*.") for h in outlet.hosts if "/" not in h}, key=len)
    under = (sub for base in bases if (sub := _subdomain(host, base)))
    return next(under, segment if f"{host}/{segment}" in outlet.hosts else None)


class OutletTable:
    """Outlets found by URL host (exact, "*.parent", or "host/section") or by source name."""

    def __init__(self, outlets: Iterable[Outlet]) -> None:
        self.outlets = tuple(outlets)
        self._hosts: dict[str, Outlet] = {}
        self._wildcards: dict[str, Outlet] = {}
        self._sections: dict[tuple[str, str], Outlet] = {}
        self._names: dict[str, Outlet] = {}
        self._homes: dict[tuple[str, str, str], tuple[str, str | None] | None] = {}
        self._sites: dict[tuple[str, str, str], Site | None] = {}
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

    def site(self, source: str | None, url: str | None) -> Site | None:
        """The outlet an article is counted under and the section of its site: the table's name
        for its source, else the source as given (a host without www.), and without a source the
        table's name for its URL's host, else the domain of that host; None with neither."""
        key = ((source or "").strip(), *_host_section(url or ""))
        if key not in self._sites:
            self._sites[key] = self._site(*key)
        return self._sites[key]

    def _site(self, source: str, host: str, segment: str) -> Site | None:
        """Site of a (stripped source, URL host, first path segment) key."""
        source_host = _host_section(source)[0] if "." in source and " " not in source else ""
        if source:
            outlet = self._by_source(source) or (
                self._by_host(_registered(source_host), "") if source_host else None
            )
            name = outlet.name if outlet else source_host or source
        elif host:
            outlet = self._by_host(host, segment) or self._by_host(_registered(host), "")
            name = outlet.name if outlet else _registered(host)
        else:
            return None
        if outlet:
            return Site(name, _section(outlet, host or source_host, segment))
        return Site(name, None if source else _subdomain(host, name))

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


def article_sites(
    sources: pd.Series, urls: pd.Series, table: OutletTable | None = None
) -> pd.DataFrame:
    """Per article (index kept), the outlet it is counted under and the section of its site
    (None where neither source nor URL names one), by `OutletTable.site`."""
    table = table or load_outlets()
    sites = [
        table.site(
            source if isinstance(source, str) else None, url if isinstance(url, str) else None
        )
        for source, url in zip(sources.tolist(), urls.tolist(), strict=True)
    ]
    return pd.DataFrame(
        {
            "outlet": [site.outlet if site else None for site in sites],
            "section": [site.section if site else None for site in sites],
        },
        index=sources.index,
        dtype=object,
    )


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
