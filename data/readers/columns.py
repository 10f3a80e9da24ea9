"""Recognising columns: by their English or Indonesian names, as a --map names them, or, in a file
without a header row, by what they contain."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from data.readers.tables import Chunk, ReaderError, Table, batches

#: Input column names recognised for each field, most preferred first. Compared case-insensitively,
#: ignoring spaces, underscores, dashes and dots.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "article_id": ("id", "article_id", "news_id", "berita_id"),
    "title": ("title", "judul", "headline", "judul_berita"),
    "text": (
        "text",
        "content",
        "isi",
        "isi_berita",
        "body",
        "article",
        "konten",
        "artikel",
        "berita",
        "description",
        "deskripsi",
        "summary",
        "ringkasan",
    ),
    "date": (
        "date",
        "tanggal",
        "tgl",
        "published",
        "published_at",
        "publish_date",
        "date_published",
        "pubdate",
        "tanggal_terbit",
        "waktu",
        "datetime",
    ),
    "time": ("time", "jam", "pukul"),
    "url": ("url", "link", "link_judul", "tautan", "permalink"),
    "source": ("source", "sumber", "outlet", "media", "portal", "site_name"),
    "category": ("category", "kategori", "kategori_berita", "rubrik", "kanal", "section"),
    "region": ("region", "wilayah", "daerah", "lokasi", "location"),
    "html_date": ("html_date",),
}

HEAD_RECORDS = 200  # records used to recognise a header row and the columns of a headerless file
LONG_TEXT_CHARS = 200  # mean length from which a headerless column is article text, not a title
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_IMAGE_URL = re.compile(r"\.(?:jpe?g|png|gif|webp|bmp|svg|avif)(?:[?#]\S*)?$", re.IGNORECASE)
_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)*$")
_DATE = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}[:.]\d{2}\S*)?$"
    r"|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"
    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|mei|may|jun|jul|agu|ags|aug|sep|okt|oct|nov|des|dec)[a-z]*\.?"
    r"\s+\d{4}\b",
    re.IGNORECASE,
)


def parse_mapping(spec: str) -> dict[str, str]:
    """Field -> input column from a ``--map`` spec such as ``title=judul,text=isi``."""
    fields = {**{name: name for name in COLUMN_NAMES}, "id": "article_id"}
    mapping: dict[str, str] = {}
    for part in spec.split(","):
        field, equals, column = (piece.strip() for piece in part.partition("="))
        if not (equals and field and column):
            raise ReaderError(f"--map entry {part.strip()!r} is not FIELD=COLUMN (e.g. text=isi)")
        if field.lower() not in fields:
            raise ReaderError(
                f"--map names unknown field {field!r}; fields are: {', '.join(sorted(fields))}"
            )
        if fields[field.lower()] in mapping:
            raise ReaderError(f"--map gives field {field!r} twice")
        mapping[fields[field.lower()]] = column
    return mapping


def _column_key(name: str) -> str:
    """A column name reduced for comparison: lower case, no spaces, underscores, dashes or dots."""
    return re.sub(r"[\s_.\-]+", "", name).casefold()


def _preference(field: str, column: str) -> int | None:
    """Rank of a column's name among the names of a field (0 = most preferred), None if no match."""
    keys = [_column_key(name) for name in COLUMN_NAMES[field]]
    key = _column_key(column)
    return keys.index(key) if key in keys else None


def _named_columns(columns: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Field -> the columns recognised by name, most preferred name first."""
    found: dict[str, tuple[str, ...]] = {}
    for field in COLUMN_NAMES:
        ranked = sorted(
            (rank, i, c)
            for i, c in enumerate(columns)
            if (rank := _preference(field, c)) is not None
        )
        if ranked:
            found[field] = tuple(c for *_, c in ranked)
    return found


def _find_column(columns: tuple[str, ...], wanted: str) -> str | None:
    """The column a --map entry names: exact match first, then ignoring case and separators."""
    if wanted in columns:
        return wanted
    return next((c for c in columns if _column_key(c) == _column_key(wanted)), None)


def column_map(
    columns: tuple[str, ...], mapping: dict[str, str], roles: dict[str, str] | None
) -> dict[str, tuple[str, ...]]:
    """Field -> columns to take it from, first non-blank wins: --map, then by name or content."""
    chosen = {f: (c,) for f, wanted in mapping.items() if (c := _find_column(columns, wanted))}
    taken = {c for (c,) in chosen.values()}
    found = _named_columns(columns) if roles is None else {f: (c,) for f, c in roles.items()}
    rest = {f: tuple(c for c in cs if c not in taken) for f, cs in found.items() if f not in chosen}
    return chosen | {f: cs for f, cs in rest.items() if cs}


def has_text_or_title(columns: dict[str, tuple[str, ...]]) -> bool:
    """Whether a table has a column to take an article's text or title from."""
    return "text" in columns or "title" in columns


def columns_found(tables: list[Table]) -> str:
    """The columns of every table, for an error message."""
    parts = [
        f"{t.label + ': ' if t.label else ''}{', '.join(t.columns) or 'none'}"
        + (" (no header row)" if t.roles is not None else "")
        for t in tables
    ]
    return "columns found: " + "; ".join(parts)


def check_mapping(path: Path, tables: list[Table], mapping: dict[str, str]) -> None:
    """Raise ReaderError when a --map column is in none of the file's tables."""
    for field, wanted in mapping.items():
        if not any(_find_column(t.columns, wanted) for t in tables):
            raise ReaderError(
                f"{path}: column {wanted!r} given by --map {field}={wanted} is not in the file "
                f"({columns_found(tables)})"
            )


def _looks_like_data(cell: str) -> bool:
    """Whether a first-row cell is a value (URL, date, number, sentence), not a column name."""
    return bool(
        _is_url(cell)
        or _NUMBER.match(cell)
        or is_date(cell)
        or len(cell) > 40
        or len(cell.split()) >= 5
    )


def is_date(cell: str) -> bool:
    """Whether a short cell reads as a date."""
    return len(cell) <= 60 and bool(_DATE.search(cell))


def _has_header(first: list[str | None]) -> bool:
    """Whether a table's first row names its columns."""
    return not any(cell and _looks_like_data(cell) for cell in first)


def _share(values: list[str], test: Callable[[str], bool]) -> float:
    """Fraction of values passing a test (0 for no values)."""
    return sum(map(test, values)) / len(values) if values else 0.0


def _mean_length(values: list[str]) -> float:
    """Mean length of values (0 for no values)."""
    return sum(map(len, values)) / len(values) if values else 0.0


def _is_url(value: str) -> bool:
    """Whether a value is a web address."""
    return bool(_URL.match(value))


def _is_image_url(value: str) -> bool:
    """Whether a web address points to an image rather than an article."""
    return bool(_IMAGE_URL.search(value))


def _is_words(value: str) -> bool:
    """Whether a value is words rather than a number."""
    return not _NUMBER.match(value) and any(ch.isalpha() for ch in value)


def _content_roles(head: list[list[str | None]], columns: tuple[str, ...]) -> dict[str, str]:
    """Field -> column of a headerless table, recognised by what its first records contain."""
    values = {
        c: [row[i] for row in head if i < len(row) and row[i] and not row[i].isspace()]
        for i, c in enumerate(columns)
    }
    urls = [c for c in columns if _share(values[c], _is_url) >= 0.8]
    dates = [c for c in columns if c not in urls and _share(values[c], is_date) >= 0.8]
    texts = sorted(
        (c for c in columns if c not in urls + dates and _share(values[c], _is_words) >= 0.8),
        key=lambda c: -_mean_length(values[c]),
    )
    roles: dict[str, str] = {}
    if urls:
        roles["url"] = min(urls, key=lambda c: _share(values[c], _is_image_url))
    if dates:
        roles["date"] = dates[0]
    if texts and _mean_length(values[texts[0]]) >= LONG_TEXT_CHARS:
        roles["text"] = texts.pop(0)
    if texts:
        roles["title"] = texts[0]
    return roles


def _header_names(first: list[str | None], width: int) -> tuple[str, ...]:
    """Column names from a header row: blanks named by position, repeats numbered."""
    names = [(cell or "").strip() or str(i + 1) for i, cell in enumerate(first)]
    names += [str(i + 1) for i in range(len(names), width)]
    seen: Counter[str] = Counter()
    unique = []
    for name in names:
        unique.append(f"{name}.{seen[name]}" if seen[name] else name)
        seen[name] += 1
    return tuple(unique)


def _row_chunk(rows: list[list[str | None]], columns: tuple[str, ...], strict: bool) -> Chunk:
    """A chunk from rows of cells; too many cells (or too few, when strict) is an error."""
    width = len(columns)
    errors = [
        f"expected {width} fields, found {len(row)}"
        if len(row) > width or (strict and len(row) < width)
        else None
        for row in rows
    ]
    fitted = [row[:width] + [None] * (width - len(row)) for row in rows]
    cells = list(zip(*fitted, strict=True)) if fitted else [()] * width
    return Chunk(dict(zip(columns, map(list, cells), strict=True)), errors)


def rows_table(
    rows: Iterator[list[str | None]], label: str, chunk_rows: int, strict: bool
) -> Table | None:
    """A table from rows of cells, with or without a header row; None when there are no rows."""
    head = list(itertools.islice(rows, HEAD_RECORDS))
    if not head:
        return None
    width = max(map(len, head))
    if _has_header(head[0]):
        columns = _header_names(head[0], max(len(head[0]), 0 if strict else width))
        body, roles = itertools.chain(head[1:], rows), None
    else:
        columns = tuple(str(i + 1) for i in range(width))
        body, roles = itertools.chain(head, rows), _content_roles(head, columns)
    chunks = (_row_chunk(batch, columns, strict) for batch in batches(body, chunk_rows))
    return Table(label, columns, roles, chunks)
