"""Snippets: the stretch of an article's own words where a query's words stand, with them marked.

Words are matched in their original, unstemmed form: the index knows every word it saw whose stem
the query asks for (data.search.index.words_with_stems), so 'banjir' marks "Kebanjiran" as written.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from data.search.stems import WORD

#: Words in a body snippet.
SNIPPET_WORDS = 32
#: Words shown before the first marked word of a snippet.
LEAD_WORDS = 6
ELLIPSIS = "…"


@dataclass(frozen=True)
class Snippet:
    """A piece of text and the (start, end) character spans of its marked words."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()

    def marked(self, before: str, after: str, escape=lambda text: text) -> str:
        """The text with every marked word between before and after, the rest through escape."""
        pieces, at = [], 0
        for start, end in self.marks:
            pieces += [escape(self.text[at:start]), before, escape(self.text[start:end]), after]
            at = end
        return "".join([*pieces, escape(self.text[at:])])


def marked_words(text: str, forms: frozenset[str]) -> Snippet:
    """The whole text (line breaks as spaces) with every word whose lower case is in forms marked."""
    flat = " ".join(text.splitlines())
    marks = tuple(m.span() for m in WORD.finditer(flat) if m.group().lower() in forms)
    return Snippet(flat, marks)


def _best_start(hits: np.ndarray, words: list[str], size: int) -> int:
    """The first word of the window of size words holding the most different marked words (the
    earliest of equals), LEAD_WORDS before its first hit."""
    best, best_score = 0, (-1, -1)
    for first in hits:
        inside = hits[(hits >= first) & (hits < first + size)]
        score = (len({words[i] for i in inside}), len(inside))
        if score > best_score:
            best, best_score = int(first), score
    return max(0, best - LEAD_WORDS)


def snippet(text: str, forms: frozenset[str], size: int = SNIPPET_WORDS) -> Snippet:
    """The size-word stretch of text with the most query words (its start when none), marked,
    with an ellipsis where it cuts the text."""
    flat = " ".join(text.split())
    found = list(WORD.finditer(flat))
    if not found:
        return Snippet(flat[:200])
    words = [m.group().lower() for m in found]
    hits = np.flatnonzero([w in forms for w in words])
    first = _best_start(hits, words, size) if len(hits) else 0
    last = min(len(found), first + size) - 1
    start, end = found[first].start() if first else 0, found[last].end()
    if last == len(found) - 1:
        end = len(flat)
    lead = ELLIPSIS + " " if start else ""
    tail = " " + ELLIPSIS if end < len(flat) else ""
    shift = len(lead) - start
    marks = tuple(
        (found[i].start() + shift, found[i].end() + shift) for i in hits if first <= i <= last
    )
    return Snippet(lead + flat[start:end] + tail, marks)
