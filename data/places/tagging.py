"""Where each article is about: the evidence of its dateline, title, lead, region column and
outlet weighed into a province and a regency."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pandas as pd

from data.places.gazetteer import Gazetteer, gazetteer, name_tables
from data.places.mentions import Mention, lead_text, opening_dateline, zone_mentions
from data.places.outlets import OutletTable, load_outlets
from data.places.resolve import blank, cell_region, resolve_region

PLACE_COLUMNS = ("province_code", "province", "regency_code", "regency", "place_evidence", "places")
DESK_DATELINES = frozenset({"31"})  # provinces whose bare dateline marks a national desk
VAGUE = ".*"  # after a province code: one of its regencies, unknown which ("Serang" alone)


def _settled(
    mention: Mention, decisive: set[str], home: tuple[str, str | None] | None
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
    mentions: list[Mention], home: tuple[str, str | None] | None
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
    parents = name_tables().parent_provinces
    children: dict[str, set[str]] = {}
    for _, code in resolved:
        parent = parents.get(code[:2])
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
    dateline = opening_dateline(body, gaz, outlet_names)
    mentions = [*dateline.mentions, *zone_mentions(title, "title", gaz)]
    if not dateline.foreign:
        mentions += zone_mentions(lead_text(body, dateline.end), "lead", gaz)
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
    return ["" if blank(value) else str(value) for value in frame[column].tolist()]


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
    regions = [cell_region(value) or default for value in _texts(frame, "region")]
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
