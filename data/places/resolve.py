"""The region a --region value or a region column names: a code, an ISO code or a name."""

from __future__ import annotations

import difflib
import math
import re
from functools import lru_cache

import pandas as pd

from data.places.gazetteer import Gazetteer, gazetteer, name_key, qualifier_of

_CODE = re.compile(r"^(\d{2})(?:\.?(\d{2}))?$")
_ISO = re.compile(r"^ID-[A-Z]{2}$", re.I)


def blank(value: object) -> bool:
    """Whether a cell holds nothing."""
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )


@lru_cache(maxsize=4096)
def cell_region(value: str) -> tuple[str, str | None] | None:
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
    text = "" if blank(value) else " ".join(str(value).split())
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
        entry = gaz.entries.get(name_key(" ".join(words[i:])))
        qualifier = qualifier_of(words[:i]) if i else None
        if entry is not None and not entry.blocked and (i == 0 or qualifier):
            candidates = entry.candidates(qualifier)
            if candidates:
                return candidates
    close = difflib.get_close_matches(name_key(name), list(gaz.labels), n=3, cutoff=0.75)
    hint = f" Did you mean {', '.join(repr(gaz.labels[c]) for c in close)}?" if close else ""
    raise ValueError(
        f"Unknown region {original!r}.{hint} Give a province or regency name (Banten, Kota Serang),"
        " a Kemendagri code (36, 36.73) or an ISO code (ID-BT)."
    )
