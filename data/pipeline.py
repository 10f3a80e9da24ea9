"""Ingest: raw frames in, kept / duplicate / quarantined rows out, committed batch by batch.

Every stage is a function over one batch (a DataFrame partition): quarantine, date, clean, detect the
language, tag the place, name the outlet, key, de-duplicate. Every input row ends up in exactly one
of kept, duplicate or quarantined, so read == added + duplicate + quarantined holds for every run
(identical rows past the first thousand of a file count as duplicates without a record each).

A file is read twice: first to decide the day/month order of each of its date columns from the
whole column, then to ingest it. One file that cannot be read never stops the others.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data import readers
from data.boilerplate import LearnedBoilerplate, clean_texts
from data.dates import (
    MONTH_FIRST,
    OrderEvidence,
    date_order,
    numeric_day_month,
    published_dates,
)
from data.dedupe import (
    EXACT_KEYS,
    NearDuplicateIndex,
    SeenKeys,
    canonical_url,
    content_hash,
    minhash_signatures,
    web_url,
)
from data.language import detect_languages
from data.places import article_sites, resolve_region, tag_places
from data.schema import ARTICLE_COLUMNS, DUPLICATE_COLUMNS, QUARANTINE_COLUMNS, RAW_COLUMNS
from data.search.index import sync_index
from data.store import Store, StoreError
from data.stored_keys import synced

MAX_TEXT_CHARS = 200_000
NEAR_MIN_WORDS = 40  # shorter texts (headlines, teasers) are de-duplicated exactly only
NEAR_THRESHOLD = 0.8
REPEATED_ROW = "repeated row"  # duplicates_by_kind of identical rows counted without a record

Progress = Callable[[int], None]


@dataclass
class IngestReport:
    """What one ingest run did, in counts, and what it found out about each file."""

    read: int = 0
    added: int = 0
    duplicate: int = 0
    quarantined: Counter = field(default_factory=Counter)
    undated: int = 0
    duplicates_by_kind: Counter = field(default_factory=Counter)
    urls_not_web: int = 0
    files: int = 0
    unreadable_files: dict[str, str] = field(default_factory=dict)
    date_order: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    encodings: dict[str, dict[str, int]] = field(default_factory=dict)
    repeated_rows: dict[str, int] = field(default_factory=dict)

    def add(self, other: IngestReport) -> None:
        """Fold another batch's counts into this one."""
        self.read += other.read
        self.added += other.added
        self.duplicate += other.duplicate
        self.quarantined.update(other.quarantined)
        self.undated += other.undated
        self.duplicates_by_kind.update(other.duplicates_by_kind)
        self.urls_not_web += other.urls_not_web

    def note_reading(self, file: str, notes: readers.ReadNotes) -> None:
        """Record what reading a file noticed: lines in other encodings than UTF-8, and identical
        rows counted as duplicates without a record each."""
        if notes.lines_not_utf8:
            self.encodings[file] = dict(notes.encodings)
        if notes.repeated_rows:
            self.repeated_rows[file] = notes.repeated_rows
            self.read += notes.repeated_rows
            self.duplicate += notes.repeated_rows
            self.duplicates_by_kind[REPEATED_ROW] += notes.repeated_rows

    @property
    def quarantined_total(self) -> int:
        return sum(self.quarantined.values())

    def to_dict(self) -> dict[str, Any]:
        """The counts as plain JSON-ready values."""
        return {
            "read": self.read,
            "added": self.added,
            "duplicate": self.duplicate,
            "duplicates_by_kind": dict(self.duplicates_by_kind),
            "quarantined": self.quarantined_total,
            "quarantined_by_reason": dict(self.quarantined),
            "undated": self.undated,
            "urls_not_web": self.urls_not_web,
            "files": self.files,
            "unreadable_files": self.unreadable_files,
            "date_order": self.date_order,
            "encodings": self.encodings,
            "repeated_rows": self.repeated_rows,
        }


# -- batch stages --------------------------------------------------------------------------------


def _blank(values: pd.Series) -> pd.Series:
    """True where a value is missing or only whitespace."""
    return values.isna() | values.astype("string").str.strip().fillna("").eq("")


def quarantine_reasons(raw: pd.DataFrame) -> pd.Series:
    """Why each row cannot be kept (None for rows that can)."""
    reasons = pd.Series(None, index=raw.index, dtype="object")
    too_long = raw["text"].astype("string").str.len().fillna(0) > MAX_TEXT_CHARS
    reasons[too_long] = f"text longer than {MAX_TEXT_CHARS:,} characters"
    reasons[_blank(raw["text"]) & _blank(raw["title"])] = "no text or title"
    has_error = raw["error"].notna()
    reasons[has_error] = raw.loc[has_error, "error"].astype(str)
    return reasons


def quarantine_records(raw: pd.DataFrame, reasons: pd.Series, now: pd.Timestamp) -> pd.DataFrame:
    """The quarantined rows, with the original row kept as JSON."""
    bad = raw.loc[reasons.notna()]
    originals = [
        json.dumps(
            {k: v for k, v in row.items() if k not in ("file", "row", "error") and v is not None},
            ensure_ascii=False,
            default=str,
        )
        for row in bad.astype(object).where(bad.notna(), None).to_dict("records")
    ]
    return pd.DataFrame(
        {
            "file": bad["file"].astype(str),
            "row": bad["row"].astype("int64"),
            "reason": reasons[reasons.notna()].astype(str),
            "original": originals,
            "ingested_at": now,
        },
        columns=list(QUARANTINE_COLUMNS),
    )


def _stable_id(url_key: str | None, digest: str | None) -> str:
    """An article id from its canonical URL, else from its content."""
    basis = next((k for k in (url_key, digest) if isinstance(k, str) and k), "")
    return hashlib.blake2b(basis.encode(), digest_size=8).hexdigest()


def prepared_articles(
    raw: pd.DataFrame,
    learned: LearnedBoilerplate,
    *,
    region: str | None,
    now: pd.Timestamp,
    month_first: pd.Series | None = None,
) -> pd.DataFrame:
    """Raw rows that can be kept, dated, cleaned, tagged and keyed (not yet de-duplicated).

    Only web addresses are kept as URLs; the outlet is the one a row's source names, else its
    URL's host (`article_sites`), and a row without a category gets the section of the site.
    month_first (bool per row) says whose numeric dates read month first.
    """
    urls = raw["url"].map(web_url)
    sites = article_sites(raw["source"].where(~_blank(raw["source"]), None), urls)
    base = raw.assign(
        url=urls,
        source=sites["outlet"],
        category=raw["category"].where(~_blank(raw["category"]), sites["section"]),
        title=raw["title"].fillna("").astype(str),
        text=raw["text"].fillna("").astype(str),
    )
    dates = published_dates(base["date"], base["url"], base["html_date"], now, month_first)
    cleaned = clean_texts(base[["source", "title", "text"]], learned)
    body = cleaned["text"]
    places = tag_places(base[["title", "url", "source", "region"]].assign(text=body), region=region)
    url_key = base["url"].map(canonical_url)
    digest = (cleaned["title"] + "\n" + body).map(content_hash)
    given_id = base["article_id"].astype("string").str.strip().where(~_blank(base["article_id"]))
    article_id = [
        _stable_id(u, d) if pd.isna(given) else str(given)
        for given, u, d in zip(given_id.tolist(), url_key.tolist(), digest.tolist(), strict=True)
    ]
    return pd.DataFrame(
        {
            "article_id": article_id,
            "url": base["url"],
            "source": base["source"],
            "title": cleaned["title"],
            "text": body,
            "published_at": dates["published_at"],
            "date_source": dates["date_source"],
            "language": detect_languages(cleaned["title"] + ". " + body),
            **{c: places[c] for c in places.columns},
            "category": base["category"],
            "raw_text": base["text"],
            "boilerplate_removed": cleaned["boilerplate_removed"].astype("int64"),
            "content_hash": digest,
            "url_key": url_key,
            "file": base["file"].astype(str),
            "row": base["row"].astype("int64"),
            "ingested_at": now,
        },
        index=base.index,
    )


def near_candidates(texts: pd.Series) -> pd.Series:
    """True for texts long enough for near-duplicate detection (NEAR_MIN_WORDS words or more)."""
    words = [len(text.split()) for text in texts.tolist()]
    return pd.Series(words, index=texts.index, dtype="int64") >= NEAR_MIN_WORDS


@dataclass
class DedupeState:
    """Everything already in the store that a new article could duplicate."""

    seen: SeenKeys
    near: NearDuplicateIndex

    @classmethod
    def from_store(cls, store: Store, threshold: float = NEAR_THRESHOLD) -> DedupeState:
        """The state of the store's kept articles (inside writer()): its keys index, brought up
        to date with the committed parts and opened memory-mapped (data.stored_keys), so that
        only what a batch looks up is read."""
        stored = synced(store, threshold)
        return cls(
            SeenKeys(stored=stored.exact), NearDuplicateIndex.on_saved(stored.near, threshold)
        )


DEDUPE_ORDER = ["published_at", "file", "row"]  # first published wins; ties by file and row


def dedupe_order(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles in the order de-duplication takes them."""
    return articles.sort_values(DEDUPE_ORDER, na_position="last", kind="stable")


def duplicate_marks(
    ordered: pd.DataFrame,
    near: pd.Series,
    signatures_of: Callable[[pd.Index], np.ndarray],
    state: DedupeState,
) -> pd.DataFrame:
    """Per row of ordered (in dedupe_order; columns of EXACT_KEYS): duplicate_of, kind (id, url,
    content, near; None when kept), similarity, and the MinHash signature kept with a kept row.

    near says which rows are long enough for near-duplicate detection; signatures_of gives the
    signatures of the rows at some index labels. The state remembers the kept rows.
    """
    exact = state.seen.mark(ordered)
    near_rows = ordered.loc[exact["kind"].isna() & near, list(EXACT_KEYS.values())]
    signatures = signatures_of(near_rows.index)
    near_hits = state.near.query_and_add(near_rows["article_id"].tolist(), signatures)
    found = pd.DataFrame(near_hits, index=near_rows.index, columns=["duplicate_of", "similarity"])
    near_dup = found["duplicate_of"].notna()
    if near_dup.any():
        state.seen.forget(near_rows.loc[near_dup])
    marks = exact.assign(similarity=np.where(exact["kind"].notna(), 1.0, np.nan))
    marks.loc[found.index[near_dup], ["duplicate_of", "kind", "similarity"]] = np.column_stack(
        [
            found.loc[near_dup, "duplicate_of"],
            np.full(near_dup.sum(), "near"),
            found.loc[near_dup, "similarity"],
        ]
    )
    minhash = pd.Series(None, index=ordered.index, dtype="object")
    keep_sig = ~near_dup.to_numpy()
    minhash[near_rows.index[keep_sig]] = [
        s.astype(np.uint32).tobytes() for s in signatures[keep_sig]
    ]
    return marks.assign(minhash=minhash)


def split_by_marks(ordered: pd.DataFrame, marks: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Kept articles (with their MinHash signature) and duplicate records, as marked."""
    is_dup = marks["kind"].notna()
    kept = ordered[~is_dup].assign(minhash=marks.loc[~is_dup, "minhash"])
    dups = ordered[is_dup].assign(
        duplicate_of=marks.loc[is_dup, "duplicate_of"],
        kind=marks.loc[is_dup, "kind"],
        similarity=marks.loc[is_dup, "similarity"].astype(float),
    )
    return kept[[*ARTICLE_COLUMNS, "minhash"]], dups[list(DUPLICATE_COLUMNS)]


def split_duplicates(
    articles: pd.DataFrame, state: DedupeState
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Kept articles (with their MinHash signature) and duplicate records; first published wins."""
    ordered = dedupe_order(articles)
    marks = duplicate_marks(
        ordered,
        near_candidates(ordered["text"]),
        lambda rows: minhash_signatures(ordered.loc[rows, "text"].tolist()),
        state,
    )
    return split_by_marks(ordered, marks)


# -- runs ---------------------------------------------------------------------------------------


@dataclass
class RawBatch:
    """One raw frame screened: its rows in RAW_COLUMNS, why each cannot be kept (None if it can),
    the rows that can, and whose numeric dates read month first."""

    raw: pd.DataFrame
    reasons: pd.Series
    good: pd.DataFrame
    month_first: pd.Series


def screened(raw: pd.DataFrame, source: str | None = None) -> RawBatch:
    """A raw frame split into rows that can be kept and reasons for the rest.

    A "month_first" column (bool), when the frame has one, says whose numeric dates read month
    first; source, when given, names the outlet of every row.
    """
    raw = raw.reset_index(drop=True)
    month_first = raw.get("month_first", pd.Series(False, index=raw.index)).fillna(False)
    raw = raw.reindex(columns=list(RAW_COLUMNS))
    reasons = quarantine_reasons(raw)
    good = raw[reasons.isna()]
    if source:
        good = good.assign(source=source)
    return RawBatch(raw, reasons, good, month_first)


def learning_rows(batch: RawBatch) -> pd.DataFrame:
    """What boilerplate learning counts of a batch: its keepable rows' outlet and body."""
    return batch.good.assign(text=batch.good["text"].fillna("").astype(str))


def batch_articles(
    batch: RawBatch, learned: LearnedBoilerplate, *, region: str | None, now: pd.Timestamp
) -> pd.DataFrame:
    """The batch's keepable rows prepared (prepared_articles), not yet de-duplicated."""
    if not len(batch.good):
        return pd.DataFrame(columns=list(ARTICLE_COLUMNS))
    return prepared_articles(
        batch.good, learned, region=region, now=now, month_first=batch.month_first[batch.good.index]
    )


def screening_report(
    batch: RawBatch, articles: pd.DataFrame, quarantined: pd.DataFrame
) -> IngestReport:
    """The counts of one batch known before de-duplication: read, quarantined (by reason), and
    URLs that are not web addresses."""
    return IngestReport(
        read=len(batch.raw),
        quarantined=Counter(quarantined["reason"]),
        urls_not_web=int((~_blank(batch.good["url"])).sum() - articles["url"].notna().sum()),
    )


def dedupe_report(kept: pd.DataFrame, dups: pd.DataFrame) -> IngestReport:
    """The counts of one batch's de-duplication: added (undated among them), duplicate (by
    kind)."""
    return IngestReport(
        added=len(kept),
        duplicate=len(dups),
        undated=int(kept["published_at"].isna().sum()) if len(kept) else 0,
        duplicates_by_kind=Counter(dups["kind"]) if len(dups) else Counter(),
    )


def ingest_batch(
    raw: pd.DataFrame,
    store: Store,
    state: DedupeState,
    learned: LearnedBoilerplate,
    *,
    source: str | None = None,
    region: str | None = None,
    now: pd.Timestamp,
) -> tuple[IngestReport, LearnedBoilerplate]:
    """Ingest one raw frame and commit it; the batch's counts and the updated boilerplate.

    A "month_first" column (bool), when the frame has one, says whose numeric dates read month
    first.
    """
    batch = screened(raw, source)
    learned = learned.update(learning_rows(batch))
    articles = batch_articles(batch, learned, region=region, now=now)
    kept, dups = split_duplicates(articles, state) if len(articles) else (articles, articles)
    quarantined = quarantine_records(batch.raw, batch.reasons, now)
    report = screening_report(batch, articles, quarantined)
    report.add(dedupe_report(kept, dups))
    store.commit({"articles": kept, "duplicates": dups, "quarantine": quarantined})
    store.write_meta("boilerplate", learned.to_dict())
    return report, learned


def ingest_frames(
    frames: Iterable[pd.DataFrame],
    store: Store,
    *,
    source: str | None = None,
    region: str | None = None,
    now: pd.Timestamp | None = None,
    progress: Progress | None = None,
    report: IngestReport | None = None,
) -> IngestReport:
    """Ingest raw frames into the store, committing each one; the run's counts, added to report
    when one is given."""
    if region is not None:
        resolve_region(region)  # fail early on an unknown --region
    now = now or pd.Timestamp.now("UTC")
    total = IngestReport() if report is None else report
    with store.writer():
        state = DedupeState.from_store(store)
        learned = LearnedBoilerplate.from_dict(store.read_meta("boilerplate", {}))
        for raw in frames:
            report, learned = ingest_batch(
                raw, store, state, learned, source=source, region=region, now=now
            )
            total.add(report)
            if progress:
                progress(report.read)
        finish_run(store, now, total)
    return total


def finish_run(store: Store, now: pd.Timestamp, total: IngestReport) -> None:
    """After a run's batches (inside writer()): add their keys to the store's keys index, compact
    the tables, log the run, index the new articles for search."""
    synced(store, NEAR_THRESHOLD)
    store.compact("articles")
    store.compact("duplicates")
    store.compact("quarantine")
    store.commit({}, ingest={"at": now.isoformat(), **total.to_dict()})
    index_new_articles(store)


def index_new_articles(store: Store) -> None:
    """Add the articles just committed to the search index; an index that cannot be written is
    left as it was (the next search finds it stale and rebuilds it), never failing the ingest."""
    with contextlib.suppress(StoreError, sqlite3.Error, OSError):
        sync_index(store)


def date_habits(ingests: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Outlet -> the day/month order its files' date columns proved (by their own dates or their
    URL dates) in earlier ingests, the latest winning."""
    habits: dict[str, str] = {}
    for ingest in ingests:
        for columns in ingest.get("date_order", {}).values():
            for decided in columns.values():
                if decided.get("basis") in ("dates", "url") and decided.get("outlet"):
                    habits[decided["outlet"]] = decided["order"]
    return habits


@dataclass
class FileReading:
    """How a run reads its files: the --map column mapping, the limits, and each outlet's
    day/month habit (updated as its files prove an order)."""

    mapping: dict[str, str] | None
    limits: readers.ReadLimits
    habits: dict[str, str]


def date_evidence(
    path: Path, mapping: dict[str, str] | None, limits: readers.ReadLimits
) -> tuple[dict[str, OrderEvidence], dict[str, Counter]]:
    """Per date column of a file, read once through: the day/month evidence of its dates, and the
    outlets its numeric dates come from. ReaderError for a file that cannot be read at all."""
    evidence: dict[str, OrderEvidence] = defaultdict(OrderEvidence)
    outlets: dict[str, Counter] = defaultdict(Counter)
    frames = readers.read_path(path, mapping, limits=limits)
    try:
        for frame in frames:
            for column, rows in frame[frame["date_column"].notna()].groupby("date_column"):
                evidence[column].add(rows["date"].tolist(), rows["url"].tolist())
                numeric = rows[rows["date"].map(numeric_day_month).notna()]
                sites = article_sites(numeric["source"], numeric["url"].map(web_url))
                outlets[column].update(sites["outlet"].dropna().tolist())
    except readers.ReaderError:
        pass  # reading stopped part-way; the second reading reports it
    return dict(evidence), dict(outlets)


def decided_orders(
    evidence: dict[str, OrderEvidence], outlets: dict[str, Counter], habits: dict[str, str]
) -> dict[str, dict[str, Any]]:
    """Per date column: its day/month order, what decided it, the outlet most of its numeric dates
    come from, and the evidence counted. An order the column proved becomes its outlet's habit."""
    decided: dict[str, dict[str, Any]] = {}
    for column, found in evidence.items():
        counted = outlets.get(column, Counter())
        outlet = counted.most_common(1)[0][0] if counted else None
        order = date_order(found, habits.get(outlet))
        if outlet and order.basis in ("dates", "url"):
            habits[outlet] = order.order
        decided[column] = {
            "order": order.order,
            "basis": order.basis,
            "outlet": outlet,
            **found.to_dict(),
        }
    return decided


def file_date_orders(path: Path, reading: FileReading) -> dict[str, dict[str, Any]]:
    """Per date column of a file, read once through: its day/month order (decided_orders). An
    order the column proved becomes its outlet's habit. ReaderError for a file that cannot be read."""
    return decided_orders(*date_evidence(path, reading.mapping, reading.limits), reading.habits)


def month_first_columns(orders: dict[str, dict[str, Any]]) -> list[str]:
    """The date columns of a file whose numeric dates read month first."""
    return [column for column, order in orders.items() if order["order"] == MONTH_FIRST]


def _file_frames(path: Path, reading: FileReading, report: IngestReport) -> Iterator[pd.DataFrame]:
    """Raw frames of one file with a month_first column, after deciding its date orders; what
    reading it found goes into the report."""
    orders = report.date_order[str(path)] = file_date_orders(path, reading)
    month_first = month_first_columns(orders)
    notes = readers.ReadNotes()
    try:
        for frame in readers.read_path(path, reading.mapping, limits=reading.limits, notes=notes):
            yield frame.assign(month_first=frame["date_column"].isin(month_first))
    finally:
        report.note_reading(str(path), notes)


def _frames_of(
    paths: Iterable[Path], reading: FileReading, report: IngestReport
) -> Iterator[pd.DataFrame]:
    """Raw frames of every readable file; missing and unreadable files are noted in the report,
    and one that fails in any way never stops the others."""
    for given in paths:
        try:
            files = list(readers.iter_input_files([given]))
        except readers.ReaderError as exc:
            report.unreadable_files[str(given)] = str(exc)
            continue
        for path in files:
            report.files += 1
            try:
                yield from _file_frames(path, reading, report)
            except readers.ReaderError as exc:
                report.unreadable_files[str(path)] = str(exc)
            except Exception as exc:  # a reading library failing in its own way
                report.unreadable_files[str(path)] = (
                    f"{path}: cannot be read ({type(exc).__name__}: {exc})"
                )


def ingest_paths(
    paths: Iterable[Path | str],
    store: Store,
    *,
    mapping: dict[str, str] | None = None,
    source: str | None = None,
    region: str | None = None,
    now: pd.Timestamp | None = None,
    progress: Progress | None = None,
    limits: readers.ReadLimits | None = None,
    report: IngestReport | None = None,
) -> IngestReport:
    """Ingest files and folders; missing or unreadable files are reported, never fatal. The
    run's counts, added to report when one is given."""
    report = IngestReport() if report is None else report
    reading = FileReading(
        mapping,
        limits or readers.ReadLimits(),
        date_habits(store.ingests() if store.exists() else []),
    )
    frames = _frames_of([Path(p) for p in paths], reading, report)
    return ingest_frames(
        frames, store, source=source, region=region, now=now, progress=progress, report=report
    )
