"""A small sample store with a topic build for the dashboard tests, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.topics.build import build_store
from analysis.topics.settings import TopicSettings
from data.pipeline import ingest_paths
from data.sample import write_sample
from data.store import Store

ARTICLES = 1_500
SEED = 7
#: PCA instead of UMAP keeps the fixture build to seconds; the dashboard reads any build alike.
SETTINGS = TopicSettings(seed=0, reducer="pca")


def rebuild(path: Path) -> dict:
    """Fit the fixture's topics again (as the Data page's rebuild does)."""
    return build_store(Store(path), settings=SETTINGS)


def dashboard_store(factory: pytest.TempPathFactory) -> Path:
    """The session's fixture store: the synthetic sample ingested and built (made on first use)."""
    folder = factory.getbasetemp() / "dashboard-store"
    if not (folder / "builds" / "CURRENT").exists():
        files = write_sample(
            factory.getbasetemp() / "dashboard-raw", n_articles=ARTICLES, seed=SEED
        )
        ingest_paths(files, Store(folder))
        rebuild(folder)
    return folder
