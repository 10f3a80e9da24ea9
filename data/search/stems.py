"""Indonesian stems of words (PySastrawi), cached per distinct word, and texts as their stems."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

#: A word: a run of letters and digits (the query language and the index split text alike).
WORD = re.compile(r"[^\W_]+")


@cache
def _stemmer():
    """The PySastrawi stemmer, built on first use."""
    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Root of an Indonesian word (PySastrawi), cached: 'kebanjiran' -> 'banjir'."""
    return _stemmer().stem(word) or word


def words(text: str) -> list[str]:
    """The lower-cased words of a text, in order."""
    return WORD.findall(text.lower())


def new_stems(distinct: Iterable[str], known: dict[str, str]) -> dict[str, str]:
    """Word -> stem for every one of the distinct words that `known` lacks, sorted by word (known
    is left as it is)."""
    return {w: stem(w) for w in sorted(set(distinct) - known.keys())}
