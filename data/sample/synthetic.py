"""How the sample says it is invented: the notice shown with it, and the domain of its outlets."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

SYNTHETIC_NOTICE = (
    "Data contoh sintetis: seluruh berita, media, tokoh, perusahaan, dan peristiwa di dalamnya "
    "rekaan, dibuat oleh generator acak; hanya nama wilayah yang nyata. "
    "Synthetic sample data: every article, outlet, person, company and event in it is invented by a "
    "random generator; only the place names are real."
)
SAMPLE_DOMAIN = "example.id"  # every invented outlet publishes under it


def is_sample(urls: pd.Series) -> bool:
    """Whether every article URL lies under the synthetic sample's domain (and there is one)."""
    hosts = urls.dropna().astype(str).str.extract(r"^[a-zA-Z]+://([^/:?#]+)", expand=False)
    hosts = hosts.fillna("").str.lower()
    return bool(len(hosts)) and bool(
        (hosts.eq(SAMPLE_DOMAIN) | hosts.str.endswith("." + SAMPLE_DOMAIN)).all()
    )


def is_sample_store(parts: Iterable[Path], batch_rows: int = 100_000) -> bool:
    """is_sample of every URL in a store's article parts, read batch_rows at a time (stopping at
    the first URL off the sample's domain), so a million URLs are never held at once."""
    seen = False
    for part in parts:
        for batch in pq.ParquetFile(part).iter_batches(batch_size=batch_rows, columns=["url"]):
            urls = batch.column(0).to_pandas().dropna()
            if len(urls) and not is_sample(urls):
                return False
            seen = seen or bool(len(urls))
    return seen
