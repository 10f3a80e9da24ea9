"""What a store holds, and how clean it is: the figures behind `python -m data stats`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from data.collection import collection_changes, dense_span, outlet_days, outliers, wib_days
from data.store import Store

#: Dates outside the dense span listed by name in the stats.
OUTSIDE_LISTED = 10

STATS_COLUMNS = [
    "article_id",
    "source",
    "published_at",
    "date_source",
    "language",
    "province_code",
    "regency_code",
    "boilerplate_removed",
]


def _shares(values: pd.Series) -> dict[str, float]:
    """Share of each value, largest first, rounded for reading."""
    return {str(k): round(float(v), 4) for k, v in values.value_counts(normalize=True).items()}


def quality_summary(articles: pd.DataFrame, duplicates: pd.DataFrame) -> dict[str, Any]:
    """Share dated (and by date source), share placed, boilerplate removed, duplicates, languages."""
    n = len(articles)
    if n == 0:
        return {"articles": 0}
    return {
        "articles": n,
        "dated_share": round(float(articles["published_at"].notna().mean()), 4),
        "outlet_share": round(float(articles["source"].notna().mean()), 4),
        "date_source": _shares(articles["date_source"]),
        "province_share": round(float(articles["province_code"].notna().mean()), 4),
        "regency_share": round(float(articles["regency_code"].notna().mean()), 4),
        "boilerplate_lines_removed": int(articles["boilerplate_removed"].fillna(0).sum()),
        "duplicates_by_kind": {
            str(k): int(v) for k, v in duplicates["kind"].value_counts().items()
        },
        "languages": _shares(articles["language"]),
    }


def date_orders(ingests: Iterable[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Per file and date column, the day/month order its last ingest read it in and what decided
    it ("month-first (dates)"); "no numeric dates" where no order was needed, and no column for
    a file without a date column."""
    orders: dict[str, dict[str, str]] = {}
    for ingest in ingests:
        for file, columns in ingest.get("date_order", {}).items():
            orders[file] = {
                column: f"{decided['order']} ({decided['basis']})"
                if decided["order"]
                else "no numeric dates"
                for column, decided in columns.items()
            }
    return orders


def _change_text(row: dict[str, Any]) -> str:
    """How a collection change reads: 'added, about 45 a day', 'gap until 2025-02-14', ..."""
    kind = row["kind"]
    if kind == "added":
        return f"added, about {row['observed']:.2g} a day"
    if kind == "stopped":
        return f"stopped, had about {row['usual']:.2g} a day"
    if kind == "gap":
        return f"silent until {row['until']:%Y-%m-%d}, about {row['usual']:.0f} articles missing"
    return f"{kind}: {row['observed']:.0f} a week against a usual {row['usual']:.0f}"


def collection_summary(articles: pd.DataFrame) -> dict[str, Any]:
    """The span the archive densely covers, the dated articles outside it (stray dates that no
    chart stretches to), and each collection change (data.collection) by day and outlet."""
    dated = articles.loc[articles["published_at"].notna() & articles["source"].notna()]
    daily = outlet_days(wib_days(dated["published_at"]), dated["source"])
    span = dense_span(daily)
    if span is None:
        return {}
    outside = outliers(daily)
    changes = collection_changes(daily)
    return {
        "dense_from": f"{span[0]:%Y-%m-%d}",
        "dense_to": f"{span[1]:%Y-%m-%d}",
        "dated_outside": int(outside["articles"].sum()),
        "outside_days": sorted({f"{d:%Y-%m-%d}" for d in outside["day"]})[:OUTSIDE_LISTED],
        "changes": {
            f"{row['day']:%Y-%m-%d} {row['source']}": _change_text(row)
            for row in changes.to_dict("records")
        },
    }


def store_stats(store: Store) -> dict[str, Any]:
    """Articles, outlets, date range, provinces, languages, quarantine and data quality."""
    articles = store.articles(STATS_COLUMNS)
    duplicates = store.duplicates()
    quarantine = store.quarantine().drop_duplicates(["file", "row"])
    dated = articles["published_at"].dropna()
    build = store.current_build()
    ingests = store.ingests()
    return {
        "store": str(store.path),
        "articles": len(articles),
        "outlets": int(articles["source"].nunique()),
        "first_date": dated.min().isoformat() if len(dated) else None,
        "last_date": dated.max().isoformat() if len(dated) else None,
        "provinces": int(articles["province_code"].nunique()),
        "regencies": int(articles["regency_code"].nunique()),
        "languages": {str(k): int(v) for k, v in articles["language"].value_counts().items()},
        "duplicates": len(duplicates),
        "quarantined": len(quarantine),
        "quarantine_reasons": {
            str(k): int(v) for k, v in quarantine["reason"].value_counts().items()
        },
        "ingests": len(ingests),
        "build": build.name if build else None,
        "quality": {
            **quality_summary(articles, duplicates),
            "repeated_rows_counted": sum(
                sum(ingest.get("repeated_rows", {}).values()) for ingest in ingests
            ),
            "urls_not_web": sum(ingest.get("urls_not_web", 0) for ingest in ingests),
        },
        "date_order": date_orders(ingests),
        "collection": collection_summary(articles),
    }
