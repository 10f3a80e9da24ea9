"""Keyword queries over article texts, with Indonesian affixes handled by stemming.

The query language is in analysis.trends.query. Matching is case-insensitive and by stem, so
banjir matches kebanjiran and dibanjiri; a phrase matches its words' stems in a row within one
text.

Speed: every affixed form of a stem contains its core (the stem without its first letter when that
letter is p, t, k or s, which meN- and peN- drop: tulis -> menulis). Arrow screens the texts for
the cores; the screened texts, lower-cased and joined chunk by chunk, are searched for each core,
every hit is widened to its whole word, and only those words are stemmed, through a cache.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.trends.cube import coverage_cube
from analysis.trends.query import Term, evaluate, parse_query, query_terms
from data.search.stems import stem

#: First letters of roots that the prefixes meN- and peN- drop (tulis -> menulis, pukul -> memukul).
DROPPED_INITIALS = frozenset("ptks")
#: Texts are joined with this character between them; no word or phrase can span it.
TEXT_BREAK = "\x00"
WORD_CHARS = re.compile(r"[^\W_]*")
NEXT_WORD = re.compile(r"(?:_|[^\w\x00])+([^\W_]+)")
CHUNK = 20_000


def stem_core(root: str) -> str:
    """The part of a stem that every affixed form of it contains."""
    return root[1:] if len(root) > 1 and root[0] in DROPPED_INITIALS else root


@dataclass(frozen=True)
class _Joined:
    """Lower-cased texts joined by TEXT_BREAK, with the reversed string and each text's offset."""

    text: str
    backwards: str
    starts: np.ndarray

    @classmethod
    def of(cls, texts: pa.Array) -> _Joined:
        lowered = pc.replace_substring(pc.utf8_lower(texts), TEXT_BREAK, " ").to_pylist()
        lengths = np.fromiter((len(t) + 1 for t in lowered), dtype="int64", count=len(lowered))
        text = TEXT_BREAK.join(lowered)
        return cls(text, text[::-1], np.concatenate([[0], np.cumsum(lengths)[:-1]]))

    def words_with_stem(self, root: str) -> Iterator[tuple[int, int]]:
        """(start, end) of every word whose stem is root."""
        last_start = -1
        for hit in re.finditer(re.escape(stem_core(root)), self.text):
            at = hit.start()
            behind = len(self.text) - at  # where text[at - 1] sits in the reversed string
            start = at - (WORD_CHARS.match(self.backwards, behind).end() - behind)
            if start == last_start:
                continue
            last_start = start
            end = WORD_CHARS.match(self.text, at).end()
            if stem(self.text[start:end]) == root:
                yield start, end

    def phrase_starts(self, term: Term) -> list[int]:
        """Start offsets of the term's stems in a row (a single word is a phrase of one)."""
        found = []
        for start, end in self.words_with_stem(term.stems[0]):
            for root in term.stems[1:]:
                following = NEXT_WORD.match(self.text, end)
                if following is None or stem(following.group(1)) != root:
                    break
                end = following.end()
            else:
                found.append(start)
        return found

    def texts_at(self, offsets: list[int]) -> np.ndarray:
        """Index of the text holding each offset."""
        return np.searchsorted(self.starts, np.asarray(offsets, dtype="int64"), side="right") - 1


def keyword_mask(texts: pd.Series, query: str) -> pd.Series:
    """Whether each text matches the keyword query (syntax in analysis.trends.query)."""
    tree = parse_query(query)
    terms = query_terms(tree)
    raw = pa.array(texts.fillna("").astype(str), type=pa.large_string())
    screened = np.zeros(len(texts), dtype=bool)
    for root in {root for term in terms for root in term.stems}:
        hits = pc.match_substring(raw, stem_core(root), ignore_case=True)
        screened |= hits.to_numpy(zero_copy_only=False)
    masks = {term: np.zeros(len(texts), dtype=bool) for term in terms}
    candidates = np.flatnonzero(screened)
    for lo in range(0, len(candidates), CHUNK):
        rows = candidates[lo : lo + CHUNK]
        joined = _Joined.of(raw.take(pa.array(rows)))
        for term in terms:
            masks[term][rows[joined.texts_at(joined.phrase_starts(term))]] = True
    return pd.Series(evaluate(tree, masks), index=texts.index, name="match")


def article_texts(articles: pd.DataFrame) -> pd.Series:
    """Title and body of each article, the text keyword queries search."""
    return articles["title"].fillna("").astype(str) + "\n" + articles["text"].fillna("").astype(str)


def keyword_cube(articles: pd.DataFrame, query: str) -> pd.DataFrame:
    """The coverage cube of the articles matching the query (for trends.keyword_share)."""
    return coverage_cube(articles.loc[keyword_mask(article_texts(articles), query).to_numpy()])
