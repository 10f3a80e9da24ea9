"""Story angles: topics a region or an outlet covers more (or less) than everyone else.

Each topic's log-odds ratio between the group and the rest, with an informative Dirichlet prior
spread like the pooled topic counts (Monroe, Colaresi & Quinn 2008, "Fightin' Words"). Articles
without a topic take part in the totals but get no row. A row is credible when |z| reaches
Z_CREDIBLE and the group has (for an over-representation) or would be expected to have (for an
under-representation) at least min_count articles on the topic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.i18n.phrasing import format_decimal, format_ratio, topic_labels
from analysis.i18n.strings import said
from analysis.trends.cube import FilterValue, filter_cube, filter_mask
from analysis.trends.significance import log_odds_dirichlet, pooled_prior
from data.regions import provinces, regencies

#: Total pseudo-count of the Dirichlet prior, spread over topics like the pooled counts.
PRIOR_SIZE = 100.0
MIN_COUNT = 5
Z_CREDIBLE = 1.96


def _sentence(name: str, label: str, lift: float, z: float, kind: str, lang: str) -> str:
    """Plain words for one angle, e.g. 'Banten covers Banjir 3.2x more than ... (z=5.1)' (the
    sentences are in i18n/trends.toml)."""
    direction = (
        "only" if np.isinf(lift) else "none" if lift == 0 else "more" if lift >= 1 else "less"
    )
    return said(
        "trends",
        f"angle_{direction}",
        lang,
        name=name,
        label=label,
        ratio=format_ratio(lift, lang) if np.isfinite(lift) else "",
        rest=said("trends", f"angle_rest_{kind}", lang),
        z=f"(z={format_decimal(z, lang)})",
    )


def _angles(
    rows: pd.DataFrame,
    in_group: np.ndarray,
    *,
    name: str,
    kind: str,
    topics: pd.DataFrame | None,
    prior: float,
    min_count: int,
) -> pd.DataFrame:
    """Angle table of the in_group rows against the others: count/share per side, lift, z, words."""
    ids = rows["topic_id"].to_numpy()
    counts = rows["articles"].to_numpy(dtype="float64")
    group = pd.Series(counts * in_group).groupby(ids).sum()
    rest = pd.Series(counts * ~in_group).groupby(ids).sum()
    log_odds, z = log_odds_dirichlet(group, rest, pooled_prior(group, rest, prior))
    n_group, n_rest = group.sum(), rest.sum()
    if n_group == 0 or n_rest == 0:
        side = name if n_group == 0 else said("trends", f"angle_rest_{kind}", "en")
        raise ValueError(f"no articles for {side} under these filters; nothing to compare")
    with np.errstate(divide="ignore", invalid="ignore"):
        share_group = group.to_numpy() / n_group
        share_rest = rest.to_numpy() / n_rest
        lift = share_group / share_rest
    support = np.where(z > 0, group.to_numpy(), share_rest * n_group)
    table = pd.DataFrame(
        {
            "topic_id": group.index.astype("int64"),
            "count_group": group.to_numpy().astype("int64"),
            "count_rest": rest.to_numpy().astype("int64"),
            "share_group": share_group,
            "share_rest": share_rest,
            "lift": lift,
            "log_odds": log_odds,
            "z": z,
            "credible": (np.abs(z) >= Z_CREDIBLE) & (support >= min_count),
        }
    )
    table = table.loc[table["topic_id"] != -1].sort_values(
        ["z", "topic_id"], ascending=[False, True]
    )
    labels = topic_labels(table["topic_id"], topics)
    words = {
        lang: [
            _sentence(name, label, lift, zed, kind, lang)
            for label, lift, zed in zip(labels, table["lift"], table["z"], strict=True)
        ]
        for lang in ("id", "en")
    }
    return (
        table.assign(topic_label=labels, explanation_id=words["id"], explanation_en=words["en"])
        .rename(columns=lambda c: c.replace("group", kind))
        .reset_index(drop=True)
    )


def _place_name(province_code: str | None, regency_code: str | None) -> str:
    """Official name of a regency or province code, or the code itself if unknown."""
    if regency_code is not None:
        names = regencies().set_index("regency_code")["regency"]
        return str(names.get(regency_code, regency_code))
    names = provinces().set_index("province_code")["province"]
    return str(names.get(province_code, province_code))


def region_angles(
    cube: pd.DataFrame,
    province_code: str | None = None,
    regency_code: str | None = None,
    *,
    prior: float = PRIOR_SIZE,
    topics: pd.DataFrame | None = None,
    min_count: int = MIN_COUNT,
    start: pd.Timestamp | str | None = None,
    end: pd.Timestamp | str | None = None,
    **filters: FilterValue,
) -> pd.DataFrame:
    """Topics a province or regency covers more or less than the rest of the country.

    Columns: topic_id, count_region, count_rest, share_region, share_rest, lift, log_odds, z,
    credible, topic_label, explanation_id, explanation_en; most over-represented first.
    """
    if (province_code is None) == (regency_code is None):
        raise ValueError("give exactly one of province_code or regency_code")
    rows = filter_cube(cube, start, end, **filters)
    place = (
        {"province_code": province_code} if regency_code is None else {"regency_code": regency_code}
    )
    return _angles(
        rows,
        filter_mask(rows, **place),
        name=_place_name(province_code, regency_code),
        kind="region",
        topics=topics,
        prior=prior,
        min_count=min_count,
    )


def outlet_angles(
    cube: pd.DataFrame,
    source: str,
    *,
    prior: float = PRIOR_SIZE,
    topics: pd.DataFrame | None = None,
    min_count: int = MIN_COUNT,
    start: pd.Timestamp | str | None = None,
    end: pd.Timestamp | str | None = None,
    **filters: FilterValue,
) -> pd.DataFrame:
    """Topics an outlet covers more or less than the other outlets, in region_angles' columns.

    The count and share columns are named count_outlet/share_outlet instead of *_region.
    """
    rows = filter_cube(cube, start, end, **filters)
    return _angles(
        rows,
        filter_mask(rows, source=source),
        name=source,
        kind="outlet",
        topics=topics,
        prior=prior,
        min_count=min_count,
    )
