"""Benchmark jobs of the data layer: write the corpus, ingest it, time each stage function."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bench.corpus import sample_corpus, written_corpus
from bench.spec import JobSpec, Parts, Result, clock, fresh_store, result_of
from data.sample import MIN_ARTICLES

BATCH_ROWS = 5_000  # the ingest pipeline's batch size


def corpus_job(spec: JobSpec) -> Result:
    """Write the synthetic corpus (reused when it is already complete)."""
    folder = spec.folder / "corpus"
    earlier = written_corpus(folder, spec.size, spec.seed)
    files = sample_corpus(folder, spec.size, spec.seed)
    written = written_corpus(folder, spec.size, spec.seed)
    notes = (
        ["reused the corpus an earlier run wrote (its seconds are from then)"] if earlier else []
    )
    return {
        "items": spec.size,
        "seconds": written["seconds"],
        "cpu_seconds": written.get("cpu_seconds"),
        "files": len(files),
        "notes": notes,
    }


def _ingested(paths: list[Path], folder: Path, parts: Parts) -> Result:
    """Ingest paths into a fresh store at folder; the report's counts."""
    from data.pipeline import ingest_paths

    store = fresh_store(folder)
    with clock(parts, "ingest_paths") as part:
        report = ingest_paths(paths, store)
        part["items"] = report.read
    return {k: v for k, v in report.to_dict().items() if k != "unreadable_files"}


def ingest_job(spec: JobSpec) -> Result:
    """Read, clean, de-duplicate, place and store every input row, end to end."""
    parts: Parts = {}
    counts = _ingested(spec.inputs(), spec.folder / "store", parts)
    return result_of(parts, "ingest_paths", counts=counts)


def ingest_files_job(spec: JobSpec) -> Result:
    """The same number of synthetic rows ingested from many small files (memory per file)."""
    paths = sample_corpus(spec.folder / "corpus-parts", spec.size, spec.seed, MIN_ARTICLES)
    parts: Parts = {}
    counts = _ingested(paths, spec.folder / "store-files", parts)
    fresh_store(spec.folder / "store-files")
    return result_of(parts, "ingest_paths", files=counts["files"])


def _raw_frames(paths: list[Path]) -> Iterator[pd.DataFrame]:
    from data import readers

    for path in readers.iter_input_files(paths):
        try:
            yield from readers.read_path(path)
        except readers.ReaderError:
            continue


def _read_sample(paths: list[Path], stride: int, parts: Parts) -> pd.DataFrame:
    """Read every input row (timed as "read"), keeping every stride-th row."""
    held, seen = [], 0
    with clock(parts, "read") as part:
        for frame in _raw_frames(paths):
            keep = (np.arange(seen, seen + len(frame)) % stride) == 0
            held.append(frame[keep])
            seen += len(frame)
        part["items"] = seen
    return pd.concat(held, ignore_index=True) if held else pd.DataFrame()


def _batch_stages(raw: pd.DataFrame, state: dict[str, Any], parts: Parts) -> None:
    """Time each ingest stage function on one raw batch, in the pipeline's order."""
    from data.boilerplate import clean_texts
    from data.dates import published_dates
    from data.dedupe import canonical_url, content_hash, minhash_signatures
    from data.language import detect_languages
    from data.pipeline import near_candidates, quarantine_reasons
    from data.places import tag_places

    with clock(parts, "quarantine", len(raw)):
        good = raw[quarantine_reasons(raw).isna()]
        base = good.assign(
            title=good["title"].fillna("").astype(str), text=good["text"].fillna("").astype(str)
        )
    with clock(parts, "dates", len(base)):
        published_dates(base["date"], base["url"], base["html_date"], state["now"])
    with clock(parts, "boilerplate", len(base)):
        state["learned"] = state["learned"].update(base)
        cleaned = clean_texts(base[["source", "title", "text"]], state["learned"])
    with clock(parts, "language", len(base)):
        detect_languages(cleaned["title"] + ". " + cleaned["text"])
    with clock(parts, "places", len(base)):
        tag_places(base[["title", "url", "source", "region"]].assign(text=cleaned["text"]))
    with clock(parts, "dedupe keys", len(base)):
        url_key = base["url"].map(canonical_url)
        digest = (cleaned["title"] + "\n" + cleaned["text"]).map(content_hash)
        keys = pd.DataFrame(
            {"article_id": url_key.fillna(digest), "url_key": url_key, "content_hash": digest}
        )
        fresh = state["seen"].mark(keys)["kind"].isna()
    near = fresh & near_candidates(cleaned["text"])
    with clock(parts, "minhash", int(near.sum())):
        signatures = minhash_signatures(list(cleaned.loc[near, "text"]))
    with clock(parts, "near-duplicate index", int(near.sum())):
        state["near"].query_and_add(list(keys.loc[near, "article_id"].astype(str)), signatures)


def ingest_parts_job(spec: JobSpec) -> Result:
    """Each ingest stage function timed on its own, on an even sample of about part_rows rows."""
    from data.boilerplate import LearnedBoilerplate
    from data.dedupe import NearDuplicateIndex, SeenKeys
    from data.pipeline import NEAR_THRESHOLD

    rows = spec.options["part_rows"]
    stride = max(1, math.ceil(spec.size / rows)) if spec.size else 1
    parts: Parts = {}
    raw = _read_sample(spec.inputs(), stride, parts)
    state = {
        "now": pd.Timestamp.now("UTC"),
        "learned": LearnedBoilerplate(),
        "seen": SeenKeys(),
        "near": NearDuplicateIndex(NEAR_THRESHOLD),
    }
    for start in range(0, len(raw), BATCH_ROWS):
        _batch_stages(raw.iloc[start : start + BATCH_ROWS], state, parts)
    stages = [name for name in parts if name != "read"]
    note = f"stage functions timed on every {stride}th row ({len(raw):,} rows); reading on all"
    return result_of(parts, *stages, notes=[note] if stride > 1 else [])


def cleaning_job(spec: JobSpec) -> Result:
    """Cleaning quality of the user's files, read from the store the ingest job filled."""
    from bench.cleaning import cleaning_quality

    parts: Parts = {}
    with clock(parts, "cleaning quality") as part:
        quality = cleaning_quality(spec.inputs(), spec.store)
        part["items"] = quality["kept"]
    return result_of(parts, "cleaning quality", **quality)
