"""The dashboard's narrow article frame: no wide text held, wide columns read back for the rows a
view shows equal to the store's, before and after a compaction, and listings that keep them."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.dashboard.corpus import (
    LABEL_FIELDS,
    SHOWN_FIELDS,
    load_corpus,
    read_wide,
    texts_of,
    with_wide,
)
from data.pipeline import ingest_paths
from data.sample import write_sample
from data.spreadsheet import csv_bytes
from data.store import Store
from tests.dashboard_fixture import rebuild
from views.common import article_rows

WIDE = ["title", "url", "text", "province", "regency", "raw_text", "places", "minhash"]
READ = [*SHOWN_FIELDS, "text", "source", "published_at"]
GROUP_ROWS = 40  # small row groups, so that a part holds several


@pytest.fixture(scope="module")
def parted_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded sample ingested one file at a time (a part each, row groups of 40 rows), built."""
    base = tmp_path_factory.mktemp("narrow")
    files = write_sample(base / "raw", n_articles=1_000, seed=11)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr("data.store.ROW_GROUP_ROWS", GROUP_ROWS)
        for file in files:
            ingest_paths([file], Store(base / "store"))
    rebuild(base / "store")
    return base / "store"


def _store_rows(store: Store, ids: pd.Series) -> pd.DataFrame:
    """The store's own READ columns of the articles with these ids, in their order."""
    every = store.articles(["article_id", *READ]).drop_duplicates("article_id")
    return every.set_index("article_id").loc[ids.to_numpy(), READ].reset_index(drop=True)


def _read_back(store: Store, articles: pd.DataFrame) -> pd.DataFrame:
    """read_wide of articles, positions as index, for comparing with _store_rows."""
    return read_wide(store, articles, READ).reset_index(drop=True)


def test_the_narrow_frame_holds_no_wide_text_and_compact_types(parted_store: Path):
    store = Store(parted_store)
    assert len(store.part_paths()) > 1
    articles = load_corpus(store).articles
    assert not set(WIDE) & set(articles.columns)
    assert len(articles) == store.articles(["article_id"])["article_id"].nunique()
    types = articles.dtypes.astype(str).to_dict()
    assert {types[c] for c in [*LABEL_FIELDS, "part"]} == {"category"}
    assert (types["base_topic_id"], types["topic_confidence"], types["row"]) == (
        "int32",
        "float32",
        "int32",
    )
    assert (articles["base_topic_id"] >= 0).any()


def test_rows_read_on_demand_equal_the_stores_rows(parted_store: Path):
    store = Store(parted_store)
    articles = load_corpus(store).articles
    chosen = articles.sample(120, random_state=3)  # from every part, in no order
    assert chosen["part"].nunique() > 1 and chosen["row"].max() > GROUP_ROWS
    pd.testing.assert_frame_equal(
        _read_back(store, chosen), _store_rows(store, chosen["article_id"])
    )
    texts = texts_of(store, chosen.head(5))
    expected = _store_rows(store, chosen["article_id"].head(5))
    assert texts["text"].tolist() == (expected["title"] + "\n" + expected["text"]).tolist()


def test_rows_read_on_demand_after_a_compaction(parted_store: Path, tmp_path: Path):
    store = Store(tmp_path / "store")
    shutil.copytree(parted_store, store.path)
    before = load_corpus(store).articles
    with store.writer():
        assert store.compact(max_parts=1)
    assert len(store.part_paths()) == 1
    chosen = before.sample(80, random_state=5)
    # the frame read before the compaction names parts that are gone: found again by id
    pd.testing.assert_frame_equal(
        _read_back(store, chosen), _store_rows(store, chosen["article_id"])
    )
    after = load_corpus(store).articles  # a new store version: read again, one part
    assert after["part"].nunique() == 1
    assert after["article_id"].tolist() == before["article_id"].tolist()
    chosen = after.sample(80, random_state=5)
    pd.testing.assert_frame_equal(
        _read_back(store, chosen), _store_rows(store, chosen["article_id"])
    )


def test_a_listings_csv_has_the_titles_and_links(parted_store: Path):
    store = Store(parted_store)
    listing = load_corpus(store).articles.sort_values("published_at", ascending=False).head(30)
    table = pd.read_csv(io.BytesIO(csv_bytes(article_rows(with_wide(store, listing)))))
    expected = _store_rows(store, listing["article_id"])
    assert table["title"].tolist() == expected["title"].tolist()
    assert table["url"].tolist() == expected["url"].tolist()
    assert table["source"].tolist() == expected["source"].tolist()
