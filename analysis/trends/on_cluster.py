"""The coverage cube on a Dask cluster, when a command has one (data.cluster.connected): every
store part is read and joined to the build's topics on a worker, the story weights (1/k for k copies
of a title in a week) are counted after a shuffle on title and week, and the cells are a distributed
group-by (`cluster_cube`). The same cells and article counts as coverage_cube; story sums may differ
in the last bits (the 1/k terms are added in another order).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from analysis.trends.cube import DIMENSIONS, PLACE_AND_OUTLET, normalised_titles, period_starts
from data.collection import wib_days
from data.store import Store

MISSING = "\0missing"  # stands for a missing place, outlet or language while grouping

CELL_FIELDS = ["article_id", "title", "published_at", *PLACE_AND_OUTLET]


def part_cells(path: Path, topics: pd.DataFrame) -> pd.DataFrame:
    """One store part's dated articles as cube cells before counting: their dimensions (missing
    values as MISSING), normalised title and week."""
    articles = (
        pd.read_parquet(path, columns=CELL_FIELDS)
        .drop_duplicates("article_id")
        .reset_index(drop=True)
    )
    dated = articles.loc[articles["published_at"].notna()]
    days = wib_days(dated["published_at"])
    topic = dated["article_id"].map(topics).fillna(-1).astype("int32")
    return pd.DataFrame(
        {
            "day": days.to_numpy(),
            "topic_id": topic.to_numpy(),
            **{
                c: dated[c].astype(object).fillna(MISSING).astype(str).to_numpy()
                for c in PLACE_AND_OUTLET
            },
            "title_key": normalised_titles(dated["title"]).to_numpy(),
            "week": period_starts(days.to_numpy(), "W"),
        }
    )


def weighted(cells: pd.DataFrame) -> pd.DataFrame:
    """Cells with their story weight: 1/k where k cells share a normalised title and week (every
    such cell in this shuffle partition), 1 for an untitled article."""
    copies = cells.groupby(["title_key", "week"], sort=False)["day"].transform("size")
    stories = (1.0 / copies).where(cells["title_key"] != "", 1.0).astype("float64")
    return cells.drop(columns=["title_key", "week"]).assign(stories=stories)


def cluster_cube(client: Any, store: Store, topics: pd.Series) -> pd.DataFrame:
    """The coverage cube of the store's articles by topics (article_id -> topic id), computed on
    the cluster; the same cells and counts as coverage_cube, rows sorted by every dimension."""
    import dask.dataframe as dd

    parts = [p.absolute() for p in store.part_paths("articles")]  # workers have their own cwd
    if not parts:
        return pd.DataFrame(
            {c: pd.Series(dtype=object) for c in (*DIMENSIONS, "articles", "stories")}
        )
    shared = client.scatter(topics, broadcast=True, hash=False)
    pieces = [client.submit(part_cells, p, shared, pure=False) for p in parts]
    meta = part_cells_meta()
    cells = dd.from_delayed(pieces, meta=meta, verify_meta=False)
    stories = cells.shuffle(["title_key", "week"]).map_partitions(weighted, meta=weighted(meta))
    grouped = stories.groupby(list(DIMENSIONS))["stories"].agg(["count", "sum"])
    cube = client.compute(grouped).result().reset_index()
    return _as_cube(cube.rename(columns={"count": "articles", "sum": "stories"}))


def part_cells_meta() -> pd.DataFrame:
    """The empty frame of part_cells' columns."""
    return pd.DataFrame(
        {
            "day": pd.Series(dtype="datetime64[s]"),
            "topic_id": pd.Series(dtype="int32"),
            **{c: pd.Series(dtype=object) for c in PLACE_AND_OUTLET},
            "title_key": pd.Series(dtype=object),
            "week": pd.Series(dtype="datetime64[s]"),
        }
    )


def _as_cube(cube: pd.DataFrame) -> pd.DataFrame:
    """Grouped cells as coverage_cube writes them: missing values back as NaN, categorical
    places and outlets, int32 counts, sorted by every dimension."""
    restored = {c: cube[c].where(cube[c] != MISSING).astype("category") for c in PLACE_AND_OUTLET}
    return (
        cube.assign(**restored)
        .astype({"articles": "int32", "topic_id": "int32", "day": "datetime64[s]"})
        .sort_values(list(DIMENSIONS), kind="stable")
        .reset_index(drop=True)[[*DIMENSIONS, "articles", "stories"]]
    )
