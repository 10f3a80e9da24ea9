"""Search that ranks: a keyword query run on the store's full-text index, best match first.

The query language is analysis.trends.query's (words, "phrases", AND/OR/NOT, DAN/ATAU/BUKAN,
parentheses), its words stemmed as the index stems them, so banjir finds kebanjiran. A query is
turned into an FTS5 expression of quoted stems only: whatever a user types (a stray quote, `*`,
`NEAR(`, a lone OR) can never reach FTS5 as syntax. A query that does not parse is read as its
plain words (an unclosed quote is closed first), and says so; one without letters or digits, or
made only of NOT, is refused with a reason.

Ranking is BM25 over title and body, a word found in the title weighing as much as four found in
the body (data.search.index); a query that matches more than 20,000 articles within the filters is
ranked among the 20,000 most recently indexed of them (its count is still of all). Filters (WIB
days, province, language, outlets) run inside the index; a set of article ids (a topic's) narrows
the matches after it.
"""

from __future__ import annotations

from collections.abc import Collection
from contextlib import closing
from dataclasses import dataclass

import pandas as pd

from analysis.trends.query import And, Not, Or, Query, Term, parse_query
from analysis.trends.snippets import marked_words, snippet
from data.search.index import (
    RANK_CAP,
    Where,
    current_index,
    match_count,
    matching_ids,
    ranked_matches,
    term_expression,
    words_with_stems,
)
from data.search.stems import stem, words
from data.store import Store

#: No filter.
ANYWHERE = Where()
RESULT_COLUMNS = ["article_id", "title", "text", "url", "source", "published_at"]


class SearchError(ValueError):
    """A query that cannot be searched for, with the reason in plain words."""


@dataclass(frozen=True)
class ParsedQuery:
    """A query as the index reads it: its FTS5 expression, the words and phrases that rank (the
    stems of each not under a NOT), the stems to mark in results, whether it was read as plain
    words because its syntax did not parse, and the terms every match holds."""

    expression: str
    terms: tuple[tuple[str, ...], ...]
    stems: frozenset[str]
    as_words: bool = False
    held: frozenset[tuple[str, ...]] = frozenset()


def _expression(tree: Query) -> str:
    """The FTS5 expression of a query tree (quoted stems, AND, OR, NOT, parentheses)."""
    if isinstance(tree, Term):
        return term_expression(tree.stems)
    if isinstance(tree, Or):
        return f"({_expression(tree.left)} OR {_expression(tree.right)})"
    if isinstance(tree, And):
        left, right = tree.left, tree.right
        if isinstance(left, Not) and not isinstance(right, Not):
            left, right = right, left
        if isinstance(right, Not):
            return f"({_expression(left)} NOT {_expression(right.operand)})"
        return f"({_expression(left)} AND {_expression(right)})"
    raise SearchError("NOT (BUKAN) must follow what is searched for, as in: banjir NOT jakarta")


def _positive_terms(tree: Query) -> set[tuple[str, ...]]:
    """The stems of every word and phrase not under a NOT."""
    if isinstance(tree, Term):
        return {tree.stems}
    if isinstance(tree, Not):
        return set()
    return _positive_terms(tree.left) | _positive_terms(tree.right)


def _held_terms(tree: Query) -> set[tuple[str, ...]]:
    """The stems of the words and phrases that every match of a query holds."""
    if isinstance(tree, Term):
        return {tree.stems}
    if isinstance(tree, And):
        return _held_terms(tree.left) | _held_terms(tree.right)
    if isinstance(tree, Or):
        return _held_terms(tree.left) & _held_terms(tree.right)
    return set()


def _parsed(tree: Query, as_words: bool = False) -> ParsedQuery:
    """A query tree as the index reads it."""
    terms = sorted(_positive_terms(tree))
    stems = frozenset(s for term in terms for s in term)
    held = frozenset(_held_terms(tree))
    return ParsedQuery(_expression(tree), tuple(terms), stems, as_words, held)


def _plain_words(query: str) -> Query:
    """Every word of the query, all required (the reading of a query that does not parse)."""
    found = words(query)
    if not found:
        raise SearchError("the query has no letters or digits to search for")
    tree: Query = Term((stem(found[0]),))
    for word in found[1:]:
        tree = And(tree, Term((stem(word),)))
    return tree


def parsed_query(query: str) -> ParsedQuery:
    """The query read for the index; SearchError when it is empty or cannot be searched for."""
    if not isinstance(query, str) or not query.strip():
        raise SearchError("the query is empty")
    attempts = [query] + ([query + '"'] if query.count('"') % 2 else [])
    for attempt in attempts:
        try:
            tree = parse_query(attempt)
        except ValueError:
            continue
        return _parsed(tree)
    return _parsed(_plain_words(query), as_words=True)


def match_scores(
    store: Store, query: str, where: Where = ANYWHERE, limit: int | None = None
) -> tuple[pd.DataFrame, int]:
    """The articles matching a query within the filters, best first (article_id, score; at most
    limit, and only the RANK_CAP most recently indexed matches ranked), and how many match."""
    parsed = parsed_query(query)
    with closing(current_index(store)) as conn:
        found = ranked_matches(
            conn, parsed.expression, list(parsed.terms), where, limit, held=parsed.held
        )
        complete = len(found) < (RANK_CAP if limit is None else min(limit, RANK_CAP))
        total = len(found) if complete else match_count(conn, parsed.expression, where)
        return found[["article_id", "score"]], total


def matching_articles(store: Store, query: str) -> list[str]:
    """The ids of every article matching a query (SearchError when it cannot be searched for)."""
    parsed = parsed_query(query)
    with closing(current_index(store)) as conn:
        return matching_ids(conn, parsed.expression)


def marked_forms(store: Store, query: str) -> frozenset[str]:
    """The words (lower case) that results of a query mark: every indexed form of its stems."""
    parsed = parsed_query(query)
    with closing(current_index(store)) as conn:
        return words_with_stems(conn, set(parsed.stems))


def search(
    store: Store,
    query: str,
    *,
    where: Where = ANYWHERE,
    limit: int = 20,
    among: Collection[str] | None = None,
) -> tuple[pd.DataFrame, int]:
    """The best `limit` articles for a query, and how many match in all.

    Columns: article_id, score, title, url, source, published_at, title_snippet and snippet
    (analysis.trends.snippets.Snippet: the title and the body's best stretch, query words marked).
    `among` keeps only those article ids (a topic's articles).
    """
    parsed = parsed_query(query)
    with closing(current_index(store)) as conn:
        if among is None:
            found = ranked_matches(
                conn, parsed.expression, list(parsed.terms), where, limit, held=parsed.held
            )
            total = match_count(conn, parsed.expression, where)
        else:
            found = ranked_matches(
                conn, parsed.expression, list(parsed.terms), where, cap=None, held=parsed.held
            )
            found = found.loc[found["article_id"].isin(set(among))]
            total = len(found)
        forms = words_with_stems(conn, set(parsed.stems))
    best = found.head(limit).reset_index(drop=True)
    rows = store.rows_at(best, RESULT_COLUMNS)
    result = best[["article_id", "score"]].assign(
        title=rows["title"].fillna("").astype(str).to_numpy(),
        url=rows["url"].to_numpy(),
        source=rows["source"].to_numpy(),
        published_at=rows["published_at"].to_numpy(),
        title_snippet=[marked_words(t, forms) for t in rows["title"].fillna("").astype(str)],
        snippet=[snippet(t, forms) for t in rows["text"].fillna("").astype(str)],
    )
    return result, total


def day_number(day: str | pd.Timestamp | None) -> int | None:
    """A calendar day as the index counts days (since 1970-01-01); None stays None."""
    if day is None:
        return None
    return int((pd.Timestamp(day).tz_localize(None).floor("D") - pd.Timestamp("1970-01-01")).days)
