"""Cleaning quality on real files: dates, boilerplate left behind, places, duplicates, speed.

    python -m bench.cleaning --data PATH [--data PATH ...] [--json FILE]   (repo root)

Ingests the files into a temporary store and reports:
  dates        of the rows whose date field holds a calendar date (a day, a month and a year that a
               plain reference pattern finds), the share whose parsed publication day is that day (in
               UTC, WIB, WITA or WIT, whichever the field meant); fields without one are counted apart
  boilerplate  share of kept articles whose body still contains a marker ("Baca juga",
               "ADVERTISEMENT", "SCROLL TO CONTINUE", any case), before and after cleaning
  places       share of kept articles with a province, by outlet (the source, else the URL host)
  duplicates   duplicates found, by kind
  speed        articles read per second, end to end
`python -m bench --data PATH` prints the same figures as its "cleaning quality" section.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data import readers
from data.dates import published_dates
from data.pipeline import ingest_paths
from data.store import Store

MARKERS = ("Baca juga", "ADVERTISEMENT", "SCROLL TO CONTINUE")
ZONES = ("UTC", "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")  # UTC, WIB, WITA, WIT
MONTH_NUMBERS: dict[str, int] = {
    "jan": 1, "feb": 2, "peb": 2, "mar": 3, "apr": 4, "mei": 5, "may": 5, "jun": 6, "jul": 7,
    "agu": 8, "agt": 8, "ags": 8, "aug": 8, "sep": 9, "okt": 10, "oct": 10, "nov": 11, "nop": 11,
    "des": 12, "dec": 12,
}  # fmt: skip
_MONTH_WORD = (
    r"(jan|feb|peb|mar|apr|mei|may|jun|jul|agu|agt|ags|aug|sep|okt|oct|nov|nop|des|dec)[a-z]*\.?"
)
REFERENCE_DATES = (  # (pattern, group order as year, month, day)
    (re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)"), (3, 2, 1)),
    (re.compile(rf"(?<!\d)(\d{{1,2}})\s+{_MONTH_WORD}\s+(\d{{4}})(?!\d)", re.I), (3, 2, 1)),
    (re.compile(rf"(?<![a-z]){_MONTH_WORD}\s+(\d{{1,2}}),?\s+(\d{{4}})(?!\d)", re.I), (3, 1, 2)),
)
TOP_OUTLETS = 25


def reference_day(text: object) -> str | None:
    """The calendar day ("2025-06-10") a date field plainly states, or None."""
    if not isinstance(text, str):
        return None
    for pattern, (y, m, d) in REFERENCE_DATES:
        found = pattern.search(text)
        if found is None:
            continue
        month = found.group(m)
        month = MONTH_NUMBERS[month[:3].lower()] if month[:1].isalpha() else int(month)
        try:
            return pd.Timestamp(int(found.group(y)), month, int(found.group(d))).strftime(
                "%Y-%m-%d"
            )
        except ValueError:
            return None
    return None


def raw_rows(paths: list[Path]) -> pd.DataFrame:
    """The date, URL and HTML date of every raw row of the readable input files."""
    frames = []
    for path in readers.iter_input_files(paths):
        try:
            frames += [f[["date", "url", "html_date", "file"]] for f in readers.read_path(path)]
        except readers.ReaderError:
            continue
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def date_quality(raw: pd.DataFrame, now: pd.Timestamp) -> dict[str, Any]:
    """Rows, rows with a date field, with a calendar date in it, and the share parsed to that day."""
    field = raw["date"].astype("string").str.strip().fillna("")
    expected = field.map(reference_day)
    parsed = published_dates(raw["date"], raw["url"], raw["html_date"], now)["published_at"]
    days = [parsed.dt.tz_convert(zone).dt.strftime("%Y-%m-%d") for zone in ZONES]
    correct = np.logical_or.reduce([(d == expected).fillna(False).to_numpy() for d in days])
    usable = expected.notna().to_numpy()
    by_file = (
        pd.DataFrame(
            {"file": raw["file"].map(lambda f: Path(str(f)).name), "usable": usable, "ok": correct}
        )
        .groupby("file")
        .agg(rows=("usable", "size"), usable=("usable", "sum"), correct=("ok", "sum"))
    )
    return {
        "rows": len(raw),
        "with_date_field": int(field.ne("").sum()),
        "with_calendar_date": int(usable.sum()),
        "parsed_to_that_day": int(correct[usable].sum()),
        "correct_share": round(float(correct[usable].mean()), 4) if usable.any() else None,
        "dated_share_all_rows": round(float(parsed.notna().mean()), 4) if len(raw) else None,
        "by_file": {name: {k: int(v) for k, v in row.items()} for name, row in by_file.iterrows()},
    }


def marker_shares(raw_text: pd.Series, text: pd.Series) -> dict[str, dict[str, float]]:
    """Per marker: share of articles containing it before and after cleaning (any case)."""
    shares = {}
    for marker in MARKERS:
        pattern = re.escape(marker.lower())
        before = raw_text.fillna("").str.lower().str.contains(pattern)
        after = text.fillna("").str.lower().str.contains(pattern)
        shares[marker] = {
            "before": round(float(before.mean()), 4),
            "after": round(float(after.mean()), 4),
            "left": int(after.sum()),
        }
    return shares


def outlets(articles: pd.DataFrame) -> pd.Series:
    """The outlet of each article: its source, else its URL host without www."""
    host = articles["url"].astype("string").str.extract(r"//(?:www\.)?([^/:]+)")[0]
    source = articles["source"].astype("string").str.strip()
    return source.where(source.fillna("").ne(""), host).fillna("(unknown)")


def province_shares(articles: pd.DataFrame) -> dict[str, Any]:
    """Share of articles with a province, overall and for the largest outlets."""
    placed = articles["province_code"].notna()
    by_outlet = (
        pd.DataFrame({"outlet": outlets(articles), "placed": placed})
        .groupby("outlet")["placed"]
        .agg(["size", "mean"])
        .sort_values("size", ascending=False)
        .head(TOP_OUTLETS)
    )
    return {
        "share": round(float(placed.mean()), 4) if len(articles) else None,
        "by_outlet": {
            str(o): {"articles": int(r["size"]), "share": round(float(r["mean"]), 4)}
            for o, r in by_outlet.iterrows()
        },
    }


def cleaning_quality(paths: list[Path], store: Store) -> dict[str, Any]:
    """Date, boilerplate, place and duplicate figures for input files already ingested into store."""
    articles = store.articles(["url", "source", "raw_text", "text", "province_code"])
    duplicates = store.duplicates()
    return {
        "dates": date_quality(raw_rows(paths), pd.Timestamp.now("UTC")),
        "boilerplate": marker_shares(articles["raw_text"], articles["text"]),
        "places": province_shares(articles),
        "duplicates": {str(k): int(v) for k, v in duplicates["kind"].value_counts().items()},
        "kept": len(articles),
    }


def cleaning_lines(quality: dict[str, Any]) -> list[str]:
    """The cleaning figures as short lines for people."""
    dates, places = quality["dates"], quality["places"]
    lines = [
        f"dates: {dates['with_calendar_date']:,} of {dates['rows']:,} rows have a calendar date in "
        f"their date field; {dates['parsed_to_that_day']:,} parsed to that day "
        f"({_percent(dates['correct_share'])}); {_percent(dates['dated_share_all_rows'])} of all "
        "rows dated",
    ]
    for marker, share in quality["boilerplate"].items():
        lines.append(
            f"boilerplate {marker!r}: in {_percent(share['before'])} of bodies before cleaning, "
            f"{_percent(share['after'])} after ({share['left']} left)"
        )
    lines.append(f"province found: {_percent(places['share'])} of {quality['kept']:,} kept")
    for outlet, row in places["by_outlet"].items():
        lines.append(f"  {outlet:<32} {row['articles']:>7,}  {_percent(row['share'])}")
    kinds = ", ".join(f"{k} {v:,}" for k, v in quality["duplicates"].items()) or "none"
    lines.append(f"duplicates: {kinds}")
    if "articles_per_s" in quality:
        lines.append(f"speed: {quality['articles_per_s']:,.0f} articles/s end to end")
    return lines


def _percent(share: float | None) -> str:
    return "n/a" if share is None else f"{share:.1%}"


def main(argv: list[str] | None = None) -> int:
    """Ingest the files into a temporary store, then print (or write) the cleaning figures."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.cleaning",
        description=__doc__.splitlines()[0],
    )
    parser.add_argument("--data", type=Path, action="append", required=True, help="file or folder")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.data if not p.exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="sorotan-cleaning-") as tmp:
        store = Store(Path(tmp) / "store")
        started = time.perf_counter()
        report = ingest_paths(args.data, store)
        seconds = time.perf_counter() - started
        quality = cleaning_quality(args.data, store)
    quality |= {"read": report.read, "seconds": round(seconds, 2)}
    quality["articles_per_s"] = round(report.read / seconds, 1) if seconds else None
    print("\n".join(cleaning_lines(quality)))
    if args.json:
        args.json.write_text(json.dumps(quality, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
