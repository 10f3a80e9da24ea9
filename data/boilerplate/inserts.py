"""What was inserted into a body: the headline repeated at its top (with the page chrome above
it), and blocks of promotional copy for a brand the story never mentions."""

from __future__ import annotations

from collections import Counter

from data.boilerplate.rules import (
    ALNUM,
    LETTERS,
    MARKETING_WORDS,
    SHORT_LINE_WORDS,
    TITLE_ZONE_LINES,
)
from data.boilerplate.words import content_words, known_word


def _key(text: str) -> str:
    """Lowercase letters and digits only, single-spaced: for comparing headlines."""
    return " ".join(ALNUM.findall(text.lower()))


def _same_headline(line: str, title_key: str) -> bool:
    """True if a line repeats the title exactly or nearly (a few words added or cut)."""
    key = _key(line)
    if not key or not title_key:
        return False
    if key == title_key:
        return True
    shorter, longer = sorted((key, title_key), key=len)
    if len(shorter) < 0.8 * len(longer):
        return False
    if longer.startswith(shorter) or longer.endswith(shorter):
        return True
    a, b = set(key.split()), set(title_key.split())
    return len(a & b) >= 0.8 * max(len(a), len(b))


def _short_runs(lines: list[str]) -> list[tuple[int, int]]:
    """Runs of at least five lines, mostly short, where no two longer lines are adjacent."""
    words = [len(line.split()) for line in lines]
    short = [w <= SHORT_LINE_WORDS for w in words]
    runs, i = [], 0
    while i < len(lines):
        if not short[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and (
            short[j + 1] or (j + 2 < len(lines) and short[j + 2] and words[j + 1] <= 40)
        ):
            j += 1
        if j - i + 1 >= 5:
            runs.append((i, j))
        i = j + 1
    return runs


def _on_topic(words: set[str], story_words: set[str]) -> bool:
    """True if a line shares enough words with the story to belong to it."""
    shared = len(words & story_words)
    return shared >= 2 or (bool(words) and shared >= 0.5 * len(words))


def _brand_words(block: list[str]) -> set[str]:
    """Capitalised words that are not Indonesian words nor places, repeated on three lines or more."""
    counts = Counter(
        w.lower() for line in block for w in set(LETTERS.findall(line)) if w[0].isupper()
    )
    return {w for w, n in counts.items() if n >= 3 and not known_word(w)}


def _promotional(block: list[str], story_words: set[str]) -> bool:
    """True if a block of short lines is marketing copy for a brand the story never mentions."""
    words = set().union(*(content_words(line) for line in block))
    if not words or len(words & story_words) > 0.2 * len(words):
        return False
    pitch = {w.lower() for line in block for w in LETTERS.findall(line)} & MARKETING_WORDS
    return len(pitch) >= 3 and bool(_brand_words(block) - story_words)


def promotions_removed(lines: list[str], title: str) -> tuple[list[str], int]:
    """Lines without blocks of injected promotional copy."""
    if sum(len(line) <= 80 for line in lines) < 5:
        return lines, 0
    total = sum(len(line) for line in lines)
    dropped: set[int] = set()
    for start, end in _short_runs(lines):
        if not _brand_words(lines[start : end + 1]):
            continue
        story_words = content_words(title).union(
            *(content_words(line) for line in [*lines[:start], *lines[end + 1 :]])
        )
        while start <= end and _on_topic(content_words(lines[start]), story_words):
            start += 1
        while end >= start and _on_topic(content_words(lines[end]), story_words):
            end -= 1
        block = lines[start : end + 1]
        short_enough = len(block) >= 5 and sum(map(len, block)) <= 0.5 * total
        if short_enough and _promotional(block, story_words):
            dropped.update(range(start, end + 1))
    return [line for i, line in enumerate(lines) if i not in dropped], len(dropped)


def title_removed(lines: list[str], title: str | None) -> tuple[list[str], int]:
    """Lines without the headline repeated near the top of the body, nor the page chrome above it.

    Lines before a repeated headline are not the story when there are several, they are a small
    part of the body and they share hardly any words with the title (an injected ad block).
    """
    title_key = _key(title or "")
    if not title_key:
        return lines, 0
    low, high = 0.6 * len(title), 1.7 * len(title)
    probe = max(title_key.split()[:3], key=len)  # a near-exact repeat keeps one of these words
    repeats = [
        i
        for i, line in enumerate(lines[:TITLE_ZONE_LINES])
        if low <= len(line) <= high and probe in line.lower() and _same_headline(line, title_key)
    ]
    if not repeats:
        return lines, 0
    drop = set(repeats)
    preamble = [line for i, line in enumerate(lines[: repeats[-1]]) if i not in drop]
    title_words = content_words(title)
    if (
        len(preamble) >= 3
        and sum(map(len, preamble)) <= 0.4 * sum(map(len, lines))
        and len(title_words & set().union(*map(content_words, preamble))) < 0.5 * len(title_words)
    ):
        drop.update(range(repeats[-1]))
    return [line for i, line in enumerate(lines) if i not in drop], len(drop)
