"""The briefing as a file: a PowerPoint deck, an HTML page or a PDF."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.briefing.content import (
    ReportError,
    briefing,
    checked_period,
    latest_day,
    period_days,
)
from analysis.briefing.deck import briefing_pptx
from analysis.briefing.figures import BrowserMissing
from analysis.briefing.page import briefing_html, briefing_pdf
from data.store import Store

FORMATS = ("pptx", "html", "pdf")


def briefing_bytes(store: Store, fmt: str, *, with_map: bool = True, **kwargs) -> bytes:
    """The briefing (keywords of `briefing`) as a PowerPoint, HTML or PDF file's bytes.

    with_map=False leaves the map picture (drawn by Chromium, several seconds) out of a deck.
    """
    if fmt not in FORMATS:
        raise ReportError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    made = briefing(store, **kwargs)
    if fmt == "pptx":
        return briefing_pptx(made, with_map=with_map)
    if fmt == "pdf":
        return briefing_pdf(made)
    return briefing_html(made).encode("utf-8")


def write_report(
    store: Store,
    out: Path | str,
    *,
    period: str = "7d",
    as_of: pd.Timestamp | str | None = None,
    lang: str = "id",
    region: str | None = None,
    with_map: bool = True,
) -> Path:
    """Write the briefing of a period (ending on as_of, default the latest article's day) to out.

    The format follows the file's suffix: .pptx, .html or .pdf.
    """
    path = Path(out)
    fmt = path.suffix.lower().removeprefix(".")
    if fmt not in FORMATS:
        raise ReportError(f"the output file must end in .pptx, .html or .pdf, not {path.name!r}")
    checked_period(period)
    first, last = period_days(period, latest_day(store) if as_of is None else as_of)
    try:
        payload = briefing_bytes(
            store, fmt, with_map=with_map, start=first, end=last, lang=lang, region=region
        )
    except BrowserMissing as exc:
        raise ReportError(f"cannot make the {fmt.upper()}: {exc}") from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payload)
    return path
