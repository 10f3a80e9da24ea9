"""Batches of a store part's articles made ready for the search index, on a Dask worker or in
the process that writes the index.

A batch is BATCH_ROWS consecutive rows of one part (the last one shorter). `prepared_batch`
reads its indexed columns and makes each article's tokens (`article_tokens`), its docs row
(article id, row in the part, WIB day, length in words) and its filter values, and stems the
words that the stems given (`known`) lack: the work that costs CPU per article. What is left to
the index's writer is only what needs the index itself: leaving out articles it already holds,
numbering the articles and the filter labels, and the inserts, in part order. One process and a
cluster prepare a batch with the same function, so both write the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from data.search.stems import new_stems, words
from data.store import part_rows

#: Rows of a part prepared (and written) at a time.
BATCH_ROWS = 5_000
WIB = "Asia/Jakarta"
#: Token prefixes: a title stem, one missing from the body, a filter label (stems and pairs never
#: start with _).
TITLE = "_"
TITLE_ONLY = "__t"
LABEL = "__"
#: Stems of function words never paired: a third of all pairs, and what a phrase needs least
#: (a phrase holding one asks only that it stand somewhere in the article).
UNPAIRED = frozenset(
    "yang dan di ke dari ini itu dengan untuk pada dalam oleh atau juga akan telah sudah tidak "
    "bahwa para serta agar karena saat ada adalah sebut bagai rupa hingga bagi lebih dapat bisa "
    "masih belum namun tetapi".split()
)
#: Filters held as labels (the WIB month is a label of its own, its number since 1970-01).
LABELLED = {"province_code": "province", "language": "language", "source": "source"}
INDEXED_COLUMNS = [
    "article_id",
    "title",
    "text",
    "published_at",
    "province_code",
    "language",
    "source",
]


@dataclass(frozen=True)
class PreparedBatch:
    """A batch's articles ready to be written, in row order: their ids, rows in the part, WIB days
    (None where undated), lengths in words, tokens (all but the labels the index numbers) and
    filter values (per LABELLED column, None where missing); and the stems of the batch's words
    that the known stems lacked (sorted by word)."""

    article_ids: list[str]
    rows: list[int]
    days: list[int | None]
    lengths: list[int]
    tokens: list[str]
    values: dict[str, list[str | None]]
    fresh: dict[str, str]

    def __len__(self) -> int:
        return len(self.article_ids)


def pairs(stems: list[str] | tuple[str, ...]) -> list[str]:
    """Every two adjacent stems as one token, but those with a function word (UNPAIRED):
    ('harga', 'beras', 'di', 'pasar') -> ['harga_beras']."""
    return [
        f"{a}_{b}"
        for a, b in zip(stems, stems[1:], strict=False)
        if a not in UNPAIRED and b not in UNPAIRED
    ]


def article_tokens(title: list[str], body: list[str], labels: list[str]) -> str:
    """An article's tokens, each once: the stems and pairs of its title and body, the title's
    stems again marked TITLE (and TITLE_ONLY where the body lacks them), and its labels."""
    titled, written = set(title), set(body)
    plain = {*titled, *pairs(title), *written, *pairs(body)}
    only = [TITLE_ONLY + t for t in titled - written]
    return " ".join([*plain, *[TITLE + t for t in titled], *only, *labels])


def month_token(month: int) -> str:
    """The token of a WIB month (months since 1970-01)."""
    return f"{LABEL}m{month}"


def month_of(day: int) -> int:
    """The month (since 1970-01) of a day (since 1970-01-01)."""
    return int(np.datetime64(day, "D").astype("datetime64[M]").astype(int))


def _wib_days(published: pd.Series) -> list[int | None]:
    """Each timestamp's WIB calendar day as days since 1970-01-01 (None where undated)."""
    moments = pd.to_datetime(published, utc=True)
    days = moments.dt.tz_convert(WIB).dt.tz_localize(None).dt.floor("D")
    numbers = (days - pd.Timestamp("1970-01-01")).dt.days
    return [None if pd.isna(d) else int(d) for d in numbers]


def _texts_or_none(values: pd.Series) -> list[str | None]:
    """Cells as strings, None where missing."""
    return [None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in values]


def batch_bounds(path: Path) -> list[tuple[int, int]]:
    """The first and the end row of each batch of a part file, in order."""
    rows = pq.ParquetFile(path).metadata.num_rows
    return [(start, min(start + BATCH_ROWS, rows)) for start in range(0, rows, BATCH_ROWS)]


def batch_frame(path: Path, start: int, stop: int) -> pd.DataFrame:
    """The indexed columns of a part's rows from start to stop (a missing column all None) and
    each one's number in the part (row); only the row groups that hold them are read."""
    rows = np.arange(start, stop)
    return part_rows(path, rows, INDEXED_COLUMNS).assign(row=rows)


def prepared_rows(frame: pd.DataFrame, known: dict[str, str]) -> PreparedBatch:
    """Articles (INDEXED_COLUMNS and row) ready to be written, their words stemmed with known
    and, where known lacks them, by PySastrawi (those stems returned as fresh)."""
    titles = [words(t) for t in frame["title"].fillna("").astype(str)]
    bodies = [words(b) for b in frame["text"].fillna("").astype(str)]
    distinct = {w for text in (*titles, *bodies) for w in text}
    fresh = new_stems(distinct, known)
    stems = {w: fresh[w] if w in fresh else known[w] for w in distinct}
    title_stems = [[stems[w] for w in t] for t in titles]
    body_stems = [[stems[w] for w in b] for b in bodies]
    days = _wib_days(frame["published_at"])
    months = [[month_token(month_of(day))] if day is not None else [] for day in days]
    return PreparedBatch(
        article_ids=frame["article_id"].astype(str).tolist(),
        rows=frame["row"].astype(int).tolist(),
        days=days,
        lengths=[len(t) + len(b) for t, b in zip(titles, bodies, strict=True)],
        tokens=list(map(article_tokens, title_stems, body_stems, months)),
        values={column: _texts_or_none(frame[column]) for column in LABELLED},
        fresh=fresh,
    )


def prepared_batch(path: Path, start: int, stop: int, known: dict[str, str]) -> PreparedBatch:
    """A part's rows from start to stop ready to be written (a task of one worker)."""
    return prepared_rows(batch_frame(path, start, stop), known)
