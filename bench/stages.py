"""The benchmark's stages by name, and how runs and rates are written in its figures and tables."""

from __future__ import annotations

from typing import Any

Result = dict[str, Any]

#: Jobs in the order they run, with the name printed for each.
STAGE_NAMES: dict[str, str] = {
    "corpus": "generate corpus",
    "ingest": "ingest (end to end)",
    "ingest_parts": "ingest stage functions",
    "ingest_files": "ingest from many files",
    "cleaning": "cleaning quality",
    "embed": "embed (tfidf)",
    "fit": "topic build",
    "vanilla": "vanilla BERTopic fit",
    "update": "update (assign new)",
    "aggregate": "aggregate (coverage cube)",
    "views": "trend views (slowest)",
    "dashboard": "dashboard pages (slowest)",
    "keywords": "keyword search",
    "app": "app first render",
}


def run_label(run: Result) -> str:
    """A run's name in tables: its size, or the data it read."""
    return f"{run['size']:,}" if run.get("size") else "data"


def rate(items: float, seconds: float) -> float | None:
    """Items per second, rounded; None without items or time."""
    return round(items / seconds, 1) if seconds and items else None
