"""Saved article pages (HTML): one record of title, text, date, URL and site name."""

from __future__ import annotations

import codecs
from pathlib import Path

from data.readers.decoding import BLOCK_BYTES
from data.readers.tables import ReaderError, ReadLimits, ReadNotes, Table, record_table
from data.readers.text import PAGE_MAX_BYTES


def html_tables(path: Path, chunk_rows: int, limits: ReadLimits, notes: ReadNotes) -> list[Table]:
    """One record from a saved article page: title, text, date, URL and site name."""
    import trafilatura

    if path.stat().st_size > PAGE_MAX_BYTES:
        raise ReaderError(f"{path}: too large for one article page")
    content = path.read_bytes()
    if b"\x00" in content[:BLOCK_BYTES] and not content.startswith(codecs.BOM_UTF16_LE):
        raise ReaderError(f"{path}: binary content (NUL bytes), not an HTML page")
    page = trafilatura.bare_extraction(
        content, with_metadata=True, date_extraction_params={"original_date": True}
    )
    if page is None or not (page.title or page.text):
        raise ReaderError(f"{path}: no article title or text found in the page")
    record = {
        "title": page.title,
        "text": page.text,
        "url": page.url,
        "source": page.sitename,
        "category": "; ".join(page.categories) or None,
        "html_date": page.date,
    }
    return [record_table(record)]
