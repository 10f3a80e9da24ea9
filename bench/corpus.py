"""The benchmark's inputs: synthetic sample corpora written as raw files, or the user's own files."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from data.sample import MIN_ARTICLES, sample_frames, write_sample

COMPLETE = "COMPLETE.json"  # written last: a folder without it is regenerated
SMALL_FIELDS = ["article_id", "title", "text", "date", "url", "source", "category"]


def written_corpus(folder: Path, size: int, seed: int) -> dict | None:
    """The marker of a finished corpus of this size and seed in folder (with the time it took)."""
    marker = folder / COMPLETE
    if not marker.exists():
        return None
    written = json.loads(marker.read_text())
    same = (written["size"], written["seed"]) == (size, seed) and "seconds" in written
    return written if same else None


def corpus_files(folder: Path) -> list[Path]:
    """The raw input files of a written corpus, sorted."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != COMPLETE)


def _small_sample(folder: Path, size: int, seed: int) -> None:
    """The first size rows of the smallest sample, as one JSON Lines file."""
    first = next(sample_frames(MIN_ARTICLES, seed=seed, chunk_rows=size))
    first[SMALL_FIELDS].to_json(folder / "sample.jsonl", orient="records", lines=True)


def sample_corpus(folder: Path, size: int, seed: int, part_rows: int | None = None) -> list[Path]:
    """Raw files of a synthetic corpus of size rows, kept and reused once complete."""
    # With part_rows, independent samples of part_rows rows (seeds seed, seed + 1, ...) are written
    # to subfolders: many files for the same number of rows.
    if written_corpus(folder, size, seed):
        return corpus_files(folder)
    started, cpu = time.perf_counter(), time.process_time()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if size < MIN_ARTICLES:
        _small_sample(folder, size, seed)
    elif part_rows is None:
        write_sample(folder, n_articles=size, seed=seed)
    else:
        parts = max(1, size // max(part_rows, MIN_ARTICLES))
        for part in range(parts):
            rows = size // parts + (1 if part < size % parts else 0)
            write_sample(folder / f"part-{part:03d}", n_articles=rows, seed=seed + part)
    timing = {
        "seconds": round(time.perf_counter() - started, 3),
        "cpu_seconds": round(time.process_time() - cpu, 3),
    }
    (folder / COMPLETE).write_text(json.dumps({"size": size, "seed": seed, **timing}))
    return corpus_files(folder)
