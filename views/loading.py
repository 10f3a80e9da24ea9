"""Cached loaders: one corpus per store version, shared by every session; never refits anything.

Heavy, read-only objects (the corpus, the edited view, the figures and tables a page
shows for one view) are cached as resources so reruns and other sessions get the same object
without copying or recomputing; small frames (a keyword query's matches) as data. Keys carry the
store version, so an ingest or a new build loads fresh tables by itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from analysis.dashboard.corpus import (
    Corpus,
    View,
    load_corpus,
    load_texts,
    with_edits,
    with_wide,
)
from analysis.topics.ids import TopicEdits
from analysis.trends.cube import coverage_cube
from analysis.trends.keywords import keyword_mask
from analysis.trends.query import parse_query
from analysis.trends.search import SearchError, match_scores, matching_articles
from analysis.trends.search import marked_forms as search_forms
from data.sample import is_sample_store
from data.search.index import Where
from data.stats import store_stats
from data.store import Store, StoreError


@st.cache_resource(show_spinner=False, max_entries=2)
def corpus(path: str, version: str) -> Corpus:
    """The store's corpus at a version (version only keys the cache)."""
    return load_corpus(Store(path))


@st.cache_data(show_spinner=False, max_entries=2)
def synthetic(path: str, version: str) -> bool:
    """Whether the store at a version holds only the synthetic sample (checked once per version)."""
    return is_sample_store(Store(path).part_paths())


@st.cache_resource(show_spinner=False, max_entries=4)
def view(path: str, version: str, edits_key: str) -> View:
    """The corpus with a set of topic edits (given as their JSON key) applied."""
    return with_edits(corpus(path, version), TopicEdits.from_json(json.loads(edits_key)))


@st.cache_resource(show_spinner=False, max_entries=1)
def texts(path: str, version: str) -> pd.DataFrame:
    """Searchable text of every article (loaded only when the search index cannot answer a
    keyword query: query_ids)."""
    return load_texts(Store(path))


@st.cache_data(show_spinner=False, max_entries=64)
def query_ids(path: str, version: str, query: str) -> list[str]:
    """Ids of the articles matching a keyword query (ValueError for a malformed query): from the
    search index, or by scanning the texts for what the index cannot express (a lone NOT) or when
    the index cannot be written (a read-only store)."""
    parse_query(query)
    try:
        return matching_articles(Store(path), query)
    except (SearchError, StoreError):
        frame = texts(path, version)
        return frame.loc[keyword_mask(frame["text"], query).to_numpy(), "article_id"].tolist()


@st.cache_data(show_spinner=False, max_entries=64)
def search_scores(path: str, version: str, query: str, where: Where) -> tuple[pd.DataFrame, int]:
    """The ranked matches of a search (article_id, score) within index filters, and how many
    match (SearchError for a query that cannot be searched for)."""
    return match_scores(Store(path), query, where)


@st.cache_data(show_spinner=False, max_entries=64)
def marked_forms(path: str, version: str, query: str) -> frozenset[str]:
    """The words (lower case) that a search's snippets mark."""
    return search_forms(Store(path), query)


@st.cache_data(show_spinner=False, max_entries=64)
def query_cube(path: str, version: str, query: str) -> pd.DataFrame:
    """The coverage cube of the articles matching a keyword query."""
    articles = corpus(path, version).articles
    matches = articles.loc[articles["article_id"].isin(query_ids(path, version, query))]
    titled = with_wide(Store(path), matches, ["title"])  # the cube counts stories by title
    return coverage_cube(titled.assign(topic_id=matches["base_topic_id"]))


@st.cache_resource(show_spinner=False, max_entries=64)
def shared(key: str, _build: Callable[[], Any]) -> Any:
    """What _build returns, built by the first session that asks for key and handed to every
    other session that asks for it (they wait for that one build instead of repeating it); the
    key names everything the result depends on (views.common.shared). Read-only to callers."""
    return _build()


@st.cache_data(show_spinner=False, max_entries=2)
def stats(path: str, version: str) -> dict:
    """The store's statistics and data-quality summary."""
    return store_stats(Store(path))
