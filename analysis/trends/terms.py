"""Words of Indonesian news text: tokens, stop words (their stems: data.search.stems)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache

import stopwordsiso

TOKEN = re.compile(r"\w+")

#: News boilerplate and web leftovers dropped with the Indonesian stop words.
NEWS_STOP_WORDS = frozenset(
    {
        "advertisement",
        "baca",
        "berita",
        "com",
        "continue",
        "foto",
        "halaman",
        "http",
        "https",
        "klik",
        "scroll",
        "selengkapnya",
        "simak",
        "to",
        "video",
        "wib",
        "wita",
        "wit",
        "www",
    }
)


@cache
def stop_words() -> frozenset[str]:
    """Indonesian stop words (stopwordsiso) plus news boilerplate words."""
    return frozenset(stopwordsiso.stopwords("id")) | NEWS_STOP_WORDS


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters, digits) of a text."""
    return TOKEN.findall(text.lower())


def content_words(text: str) -> list[str | None]:
    """Tokens that are not stop words, numbers or single letters, in order (None where dropped)."""
    stop = stop_words()
    return [None if (len(t) < 2 or t.isdigit() or t in stop) else t for t in tokens(text)]


def term_counts(texts: Iterable[str]) -> Counter[str]:
    """Counts of unigrams and of bigrams of adjacent content words over all texts."""
    counts: Counter[str] = Counter()
    for text in texts:
        words = content_words(text)
        counts.update(w for w in words if w)
        counts.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if a and b)
    return counts
