"""Ingest: raw frames in, kept / duplicate / quarantined rows out, committed batch by batch.

Every stage is a function over one batch (a DataFrame partition): quarantine, date, clean, detect the
language, tag the place, key, de-duplicate. Every input row ends up in exactly one of kept, duplicate
or quarantined, so read == added + duplicate + quarantined holds for every run.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data import readers
from data.boilerplate import LearnedBoilerplate, clean_texts
from data.dates import published_dates
from data.dedupe import (
    EXACT_KEYS,
    NearDuplicateIndex,
    SeenKeys,
    canonical_url,
    content_hash,
    minhash_signatures,
)
from data.language import detect_languages
from data.places import resolve_region, tag_places
from data.schema import ARTICLE_COLUMNS, DUPLICATE_COLUMNS, QUARANTINE_COLUMNS, RAW_COLUMNS
from data.store import Store

MAX_TEXT_CHARS = 200_000
NEAR_MIN_WORDS = 40  # shorter texts (headlines, teasers) are de-duplicated exactly only
NEAR_THRESHOLD = 0.8

Progress = Callable[[int], None]


@dataclass
class IngestReport:
    """What one ingest run did, in counts."""

    read: int = 0
    added: int = 0
    duplicate: int = 0
    quarantined: Counter = field(default_factory=Counter)
    undated: int = 0
    duplicates_by_kind: Counter = field(default_factory=Counter)
    files: int = 0
    unreadable_files: dict[str, str] = field(default_factory=dict)

    def add(self, other: IngestReport) -> None:
        """Fold another batch's counts into this one."""
        self.read += other.read
        self.added += other.added
        self.duplicate += other.duplicate
        self.quarantined.update(other.quarantined)
        self.undated += other.undated
        self.duplicates_by_kind.update(other.duplicates_by_kind)

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
            "files": self.files,
            "unreadable_files": self.unreadable_files,
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
) -> pd.DataFrame:
    """Raw rows that can be kept, dated, cleaned, tagged and keyed (not yet de-duplicated)."""
    base = raw.assign(
        source=raw["source"].where(~_blank(raw["source"]), None),
        title=raw["title"].fillna("").astype(str),
        text=raw["text"].fillna("").astype(str),
    )
    dates = published_dates(base["date"], base["url"], base["html_date"], now)
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
        keys = store.articles(["article_id", "url_key", "content_hash", "minhash"])
        near_rows = keys[keys["minhash"].notna()]
        signatures = (
            np.stack([np.frombuffer(b, dtype=np.uint32) for b in near_rows["minhash"]])
            if len(near_rows)
            else np.empty((0, 64), dtype=np.uint32)
        )
        near = NearDuplicateIndex.from_arrays(
            near_rows["article_id"].to_numpy(dtype=str), signatures, threshold=threshold
        )
        return cls(SeenKeys.from_frame(keys), near)


def split_duplicates(
    articles: pd.DataFrame, state: DedupeState
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Kept articles (with their MinHash signature) and duplicate records; first published wins."""
    ordered = articles.sort_values(
        ["published_at", "file", "row"], na_position="last", kind="stable"
    )
    exact = state.seen.mark(ordered)
    candidates = ordered.loc[exact["kind"].isna(), [*EXACT_KEYS.values(), "text"]]  # no raw text
    near_rows = candidates[near_candidates(candidates["text"])]
    signatures = minhash_signatures(near_rows["text"].tolist())
    near_hits = state.near.query_and_add(near_rows["article_id"].tolist(), signatures)
    near = pd.DataFrame(near_hits, index=near_rows.index, columns=["duplicate_of", "similarity"])
    near_dup = near["duplicate_of"].notna()
    if near_dup.any():
        state.seen.forget(near_rows.loc[near_dup])
    marks = exact.assign(similarity=np.where(exact["kind"].notna(), 1.0, np.nan))
    marks.loc[near.index[near_dup], ["duplicate_of", "kind", "similarity"]] = np.column_stack(
        [
            near.loc[near_dup, "duplicate_of"],
            np.full(near_dup.sum(), "near"),
            near.loc[near_dup, "similarity"],
        ]
    )
    is_dup = marks["kind"].notna()
    minhash = pd.Series(None, index=ordered.index, dtype="object")
    keep_sig = ~near_dup.to_numpy()
    minhash[near_rows.index[keep_sig]] = [
        s.astype(np.uint32).tobytes() for s in signatures[keep_sig]
    ]
    kept = ordered[~is_dup].assign(minhash=minhash[~is_dup])
    dups = ordered[is_dup].assign(
        duplicate_of=marks.loc[is_dup, "duplicate_of"],
        kind=marks.loc[is_dup, "kind"],
        similarity=marks.loc[is_dup, "similarity"].astype(float),
    )
    return kept[[*ARTICLE_COLUMNS, "minhash"]], dups[list(DUPLICATE_COLUMNS)]


# -- runs ---------------------------------------------------------------------------------------


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
    """Ingest one raw frame and commit it; the batch's counts and the updated boilerplate."""
    raw = raw.reindex(columns=list(RAW_COLUMNS)).reset_index(drop=True)
    reasons = quarantine_reasons(raw)
    good = raw[reasons.isna()]
    if source:
        good = good.assign(source=source)
    learned = learned.update(good.assign(text=good["text"].fillna("").astype(str)))
    articles = (
        prepared_articles(good, learned, region=region, now=now)
        if len(good)
        else pd.DataFrame(columns=list(ARTICLE_COLUMNS))
    )
    kept, dups = split_duplicates(articles, state) if len(articles) else (articles, articles)
    quarantined = quarantine_records(raw, reasons, now)
    report = IngestReport(
        read=len(raw),
        added=len(kept),
        duplicate=len(dups),
        quarantined=Counter(quarantined["reason"]),
        undated=int(kept["published_at"].isna().sum()) if len(kept) else 0,
        duplicates_by_kind=Counter(dups["kind"]) if len(dups) else Counter(),
    )
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
) -> IngestReport:
    """Ingest raw frames into the store, committing each one; the run's counts."""
    if region is not None:
        resolve_region(region)  # fail early on an unknown --region
    now = now or pd.Timestamp.now("UTC")
    total = IngestReport()
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
        store.compact("articles")
        store.compact("duplicates")
        store.compact("quarantine")
        store.commit({}, ingest={"at": now.isoformat(), **total.to_dict()})
    return total


def _frames_of(
    paths: Iterable[Path], mapping: dict[str, str] | None, report: IngestReport
) -> Iterator[pd.DataFrame]:
    """Raw frames of every readable file; unreadable files are noted in the report."""
    for path in readers.iter_input_files(paths):
        report.files += 1
        try:
            yield from readers.read_path(path, mapping)
        except readers.ReaderError as exc:
            report.unreadable_files[str(path)] = str(exc)


def ingest_paths(
    paths: Iterable[Path | str],
    store: Store,
    *,
    mapping: dict[str, str] | None = None,
    source: str | None = None,
    region: str | None = None,
    now: pd.Timestamp | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest files and folders; unreadable files are reported, never fatal."""
    files = IngestReport()
    report = ingest_frames(
        _frames_of([Path(p) for p in paths], mapping, files),
        store,
        source=source,
        region=region,
        now=now,
        progress=progress,
    )
    report.files = files.files
    report.unreadable_files = files.unreadable_files
    return report
