"""The place names an article's dateline, title and lead mention, risky names kept only where they
are used as places."""

from __future__ import annotations

import re
from typing import NamedTuple

from data.places.gazetteer import Entry, Gazetteer, name_key, qualifier_before, qualifier_of

DATELINE_CHARS = 200  # where a dateline may start
LEAD_CHARS = 300  # body characters after the dateline read as the lead
_DATELINE = re.compile(
    r"(?:^|\n)[^\S\n]*"
    r"(?:(?i:[a-z0-9][a-z0-9-]*(?:\.[a-z]{2,})+)\s*,\s*)?"  # an outlet first: TRIBUNBANTEN.COM,
    r"(?P<place>(?:Kab\.[^\S\n]*)?[A-Z][\w'’]*(?:[^\S\n]+[A-Z][\w'’]*){0,3})\s*"
    r"(?:,\s*(?P<after>[^\n,–—-]{1,40}?)\s*|\([^()\n]{1,40}\)\s*)?"  # , KOMPAS.com | (ANTARA)
    r"[-–—]"
)
_PROVINCE_GAP = re.compile(r"\s*[,(]\s*")
_LIST_GAP = re.compile(r"\s*(?:[,/&–-]|dan|atau|hingga|sampai)?\s*")


class Mention(NamedTuple):
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
    mentions: tuple[Mention, ...]
    end: int
    foreign: bool


def _hits(text: str, gaz: Gazetteer) -> list[_Hit]:
    """Every place name in `text` that is a whole word and not part of a non-place phrase."""
    hits = []
    for match in gaz.pattern.finditer(text):
        start = match.start()
        if start and text[start - 1].isalnum() and not _glued(text[start - 1], match.group()):
            continue
        entry = gaz.entries[name_key(match.group())]
        qualifier = qualifier_before(text, start)
        if not entry.blocked and qualifier != "not":
            hits.append(_Hit(start, match.end(), entry, qualifier))
    return hits


def _glued(before: str, name: str) -> bool:
    """Whether a name follows a lowercase word without a space, as scrapes glue links ("diSerang")."""
    return before.islower() and not name.isupper()


def _trusted(i: int, hits: list[_Hit], text: str) -> bool:
    """Whether a risky name is used as a place here (see the risky names of names.toml)."""
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


def zone_mentions(text: str, zone: str, gaz: Gazetteer) -> list[Mention]:
    """The place mentions of one zone, risky names kept only where used as places."""
    hits = _hits(text, gaz)
    mentions = []
    for i, hit in enumerate(hits):
        if hit.entry.risk and not _trusted(i, hits, text):
            continue
        if hit.qualifier == "both":
            mentions.extend(Mention(zone, (code,)) for code in hit.entry.kabupaten + hit.entry.kota)
            continue
        candidates = hit.entry.candidates(hit.qualifier)
        if candidates:
            mentions.append(Mention(zone, candidates))
    return mentions


def opening_dateline(body: str, gaz: Gazetteer, outlet_names: frozenset[str]) -> _Dateline:
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


def _dateline_place(phrase: str, gaz: Gazetteer) -> tuple[Mention, ...] | None:
    """The mention a dateline phrase makes, None when it names no Indonesian place."""
    words = phrase.replace("Kab.", "Kabupaten ").split()
    for i in range(len(words)):
        key = name_key(" ".join(words[i:]))
        entry = gaz.entries.get(key)
        if entry is not None and not entry.blocked:
            qualifier = qualifier_of(words[:i])
            default = entry.kota[0] if qualifier is None and len(entry.kota) == 1 else None
            return (Mention("dateline", entry.candidates(qualifier), default),)
        if key in gaz.towns:
            return (Mention("dateline", gaz.towns[key]),)
    return None


def lead_text(body: str, start: int) -> str:
    """About LEAD_CHARS of body from `start`, ending at a word boundary."""
    end = start + LEAD_CHARS
    if end >= len(body):
        return body[start:]
    cut = body.find(" ", end)
    return body[start : cut if cut >= 0 else len(body)]
