"""Coverage volume: how many articles per period."""

from __future__ import annotations

import pandas as pd

WIB = "Asia/Jakarta"


def article_volume(published_at: pd.Series, freq: str = "W") -> pd.DataFrame:
    """Articles per period (D, W or M) by publication date in WIB; undated articles are left out."""
    dated = published_at.dropna().dt.tz_convert(WIB).dt.tz_localize(None)
    periods = dated.dt.to_period(freq).dt.start_time
    counts = periods.value_counts().sort_index()
    return pd.DataFrame({"period": counts.index, "articles": counts.to_numpy()})
