"""Hand-made article frames for the trend, emerging, angle and briefing tests."""

from __future__ import annotations

import pandas as pd

DEFAULTS = {
    "source": "Kabar Serang",
    "province_code": "36",
    "regency_code": "36.73",
    "language": "id",
    "topic_id": 1,
    "text": "",
}


def repeat(n: int, **fields) -> list[dict]:
    """n article rows with the same fields."""
    return [dict(fields) for _ in range(n)]


def articles(rows: list[dict]) -> pd.DataFrame:
    """Articles in the input contract from rows with a WIB wall time `wib` and optional fields.

    Every row gets the DEFAULTS it lacks, a unique article_id and, unless given, a unique title.
    """
    frame = pd.DataFrame([{**DEFAULTS, **row} for row in rows])
    ids = [f"a{i}" for i in range(len(frame))]
    titles = frame["title"] if "title" in frame else pd.Series([None] * len(frame))
    published = pd.to_datetime(frame["wib"]).dt.tz_localize("Asia/Jakarta").dt.tz_convert("UTC")
    return frame.drop(columns="wib").assign(
        article_id=ids,
        published_at=published,
        title=[t if isinstance(t, str) else f"judul {i}" for i, t in enumerate(titles)],
    )
