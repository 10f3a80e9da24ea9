"""How the sample says it is invented: the notice shown with it, and the domain of its outlets."""

from __future__ import annotations

import pandas as pd

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
