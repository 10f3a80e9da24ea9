"""The canonical shapes every stage agrees on."""

from __future__ import annotations

import pandas as pd

#: Columns a reader yields, one row per input record, before any cleaning.
RAW_COLUMNS: tuple[str, ...] = (
    "article_id",  # the input's own id, if it has one
    "title",
    "text",
    "date",  # the date string exactly as found
    "url",
    "source",  # outlet
    "category",
    "region",  # an explicit region column, if the input has one
    "html_date",  # a date found in an HTML page's metadata
    "file",  # where the row came from
    "row",  # 1-based record number inside that file
    "error",  # a reader-level problem with this row (malformed line, ...), else None
)

#: Columns of one kept article in the store and in `python -m data export`.
ARTICLE_COLUMNS: tuple[str, ...] = (
    "article_id",
    "url",
    "source",
    "title",
    "text",
    "published_at",  # timezone-aware, UTC in the store
    "date_source",  # field | url | html | relative | none
    "language",  # id | ms | en | jv | other
    "province_code",
    "province",
    "regency_code",
    "regency",
    "place_evidence",  # region | dateline | title | lead | outlet | none
    "places",  # every regency/province code mentioned, ";"-joined
    "category",
    "raw_text",
    "boilerplate_removed",  # lines removed from the body
    "content_hash",
    "url_key",  # canonical URL
    "file",
    "row",
    "ingested_at",
)

#: Columns of a duplicate record.
DUPLICATE_COLUMNS: tuple[str, ...] = (
    "article_id",
    "duplicate_of",
    "kind",  # id | url | content | near
    "similarity",
    "url",
    "source",
    "title",
    "file",
    "row",
    "ingested_at",
)

#: Columns of a quarantined record: the original row, kept as JSON, and why.
QUARANTINE_COLUMNS: tuple[str, ...] = ("file", "row", "reason", "original", "ingested_at")


def empty_raw() -> pd.DataFrame:
    """A raw frame with no rows and every raw column."""
    return pd.DataFrame({name: pd.Series(dtype="object") for name in RAW_COLUMNS})
