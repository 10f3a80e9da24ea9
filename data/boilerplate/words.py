"""Indonesian words: function words, the dictionary (PySastrawi's roots, regency and province
names) and words glued where a link was removed, mended when both halves are known."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from data.boilerplate.rules import (
    CAMEL_NAMES,
    CAMEL_PREFIXES,
    CHAR_CLASSES,
    GLUE,
    LETTERS,
    MIN_GLUED_CHARS,
    RIGHT_WORD,
)


@cache
def stop_words() -> frozenset[str]:
    """Indonesian function words (PySastrawi's list)."""
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    return frozenset(StopWordRemoverFactory().get_stop_words())


def content_words(line: str) -> set[str]:
    """The lowercase words of three letters or more in a line, without function words."""
    return {w.lower() for w in LETTERS.findall(line)} - stop_words()


@cache
def _vocabulary() -> frozenset[str]:
    """Known Indonesian words: PySastrawi's roots and stop words, and regency and province names."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    from data.regions import provinces, regencies

    names = " ".join([*regencies()["name"], *provinces()["province"]]).lower().split()
    roots = StemmerFactory().get_words()
    return frozenset(w for w in [*roots, *names, *stop_words()] if len(w) >= 2)


@cache
def _stemmer():
    """PySastrawi's stemmer (with its own cache)."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=50_000)
def known_word(word: str) -> bool:
    """True if word, or its root after removing Indonesian affixes, is in the dictionary."""
    word = word.lower()
    if len(word) < 2:
        return False
    if word in _vocabulary():
        return True
    root = _stemmer().stem(word)
    return root != word and root in _vocabulary()


def _glue_fixed(text: str, classes: bytes, join: re.Match) -> str | None:
    """The text at a lowercase-uppercase join with a space put in, if both words are known."""
    start = max(classes.rfind(b"\x00", 0, join.start()), classes.rfind(b"\x03", 0, join.start()))
    if start >= 0 and (text[start].isalnum() or text[start] in "._@/#"):
        return None  # part of a longer token: a URL, an e-mail address, a code
    right = RIGHT_WORD.match(text, join.end() - 1)
    left = text[start + 1 : join.start() + 1]
    if right is None or left.lower() in CAMEL_PREFIXES or left + right.group() in CAMEL_NAMES:
        return None
    short = len(left) < MIN_GLUED_CHARS and left.lower() not in stop_words()
    if short or len(right.group()) < MIN_GLUED_CHARS:
        return None  # `TikTok`, `GoPay`: short halves are names more often than glue
    if not (known_word(left) and known_word(right.group())):
        return None
    return join.group()[:-1] + " " + join.group()[-1]


def _glue_positions(classes: bytes) -> list[int]:
    """Where a lowercase letter meets an uppercase one, directly or across `.`, `!` or `?`."""
    found = []
    for needle in (b"\x01\x02", b"\x01\x03\x02"):
        pos = classes.find(needle)
        while pos != -1:
            found.append(pos)
            pos = classes.find(needle, pos + 1)
    return sorted(found)


def mended(text: str) -> str:
    """Text with words glued where a link was removed split again, when both are known words.

    `KabupatenSerang` -> `Kabupaten Serang`, `warga.Selanjutnya` -> `warga. Selanjutnya`; names
    such as `iPhone`, `McDonald` or `YouTube` stay, since one half is not a known word.
    """
    classes = text.encode("latin-1", "replace").translate(CHAR_CLASSES)
    pieces, last = [], 0
    for pos in _glue_positions(classes):
        join = GLUE.match(text, pos)
        fixed = _glue_fixed(text, classes, join) if join else None
        if fixed is not None:
            pieces += [text[last : join.start()], fixed]
            last = join.end()
    return "".join([*pieces, text[last:]]) if pieces else text
