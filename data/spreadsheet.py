"""Tables written for spreadsheets: no cell of untrusted text may run as a formula.

Article titles and bodies come from anyone's feed or file. A CSV cell such as ``=HYPERLINK(...)`` or
``=cmd|' /C calc'!A0`` runs as a formula when the CSV is opened in Excel, LibreOffice or Google
Sheets. Following OWASP's rule, every text cell that begins with =, +, -, @, a tab, a carriage
return or a line feed gets a leading single quote, which spreadsheets show as text; numbers and
dates stay as they are.
"""

from __future__ import annotations

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def defused(value: object) -> object:
    """A cell value that cannot start a formula: text beginning like one gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of frame with every text cell defused (other columns untouched)."""
    text = [
        c
        for c in frame.columns
        if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])
    ]
    return frame.assign(**{c: frame[c].map(defused) for c in text})


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """frame as UTF-8 CSV (no index) with every text cell defused."""
    return formula_safe(frame).to_csv(index=False).encode("utf-8")
