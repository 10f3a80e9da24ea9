"""A body as lines: whitespace collapsed, link fragments put back into their sentence, and the
lines that are never the story dropped (noise, calls to action, related-article links, tables of
contents, the closing sign-off, credits and tag list)."""

from __future__ import annotations

import re
from functools import cache

from data.boilerplate.rules import (
    DAFTAR_ISI,
    DASHES,
    DATELINE,
    HEADLINE_CONNECTORS,
    HEADLINE_GLUE,
    INVISIBLE,
    LIST_ITEM,
    MAX_HEADLINE_WORDS,
    MAX_RELATED_LINES,
    MAX_TRAILER_LINES,
    NUMBERED,
    OPENERS,
    RELATED_HINTS,
    RELATED_MARKER,
    SENTENCE_END,
    SHORT_LINE_WORDS,
    SIGN_OFF,
    TERMINAL,
    TRAILING_SIGN_OFF,
    WORD,
)


def _line(raw: str) -> str:
    """One line with its whitespace collapsed."""
    return " ".join(raw.split()) if "  " in raw or "\t" in raw else raw.strip()


def body_lines(text: str) -> list[str]:
    """The non-empty lines of a body, whitespace collapsed."""
    for old, new in INVISIBLE:
        if old in text:
            text = text.replace(old, new)
    clean = _line if "  " in text or "\t" in text else str.strip  # no line needs collapsing
    return [line for line in map(clean, text.split("\n")) if line]


def _ends_sentence(line: str) -> bool:
    """True if a line ends like a sentence, a quote or a parenthesis."""
    return line.endswith(TERMINAL)


def _joins_previous(line: str) -> bool:
    """True if a line can only continue the one before it: `, Selasa`, `) yang`, `dan ...`."""
    return line[0] in ",.;:)]!?%" or line[0].islower() or line in DASHES


def _continues(prev: str, line: str, nxt: str, chained: bool) -> bool:
    """True if line continues the sentence prev left open (a link's text was cut out around it).

    `chained`: prev is itself a sentence being put back together.
    """
    if prev.endswith(("(", *DASHES)) or _joins_previous(line):
        return True
    if line[:2] in ("- ", "– ", "— "):  # a dateline cut from its story: `JAKARTA, KOMPAS.com`
        return len(prev.split()) <= 4
    if prev.endswith(":") or LIST_ITEM.match(line):
        return False
    fragment = bool(nxt) and len(line.split()) <= 6 and not _ends_sentence(line)
    return (
        prev.endswith(",") or chained or (fragment and (line.endswith(",") or _joins_previous(nxt)))
    )


def reflowed(lines: list[str]) -> list[str]:
    """Lines with link fragments put back into their sentence: `kata\\nKontan\\n, Selasa`."""
    if len(lines) > 1 and DATELINE.fullmatch(lines[0]) and not LIST_ITEM.match(lines[1]):
        lines = [f"{lines[0]} - {lines[1]}", *lines[2:]]  # `JAKARTA, KOMPAS.com` + its story
    out = lines[:1]
    chained = False
    for i in range(1, len(lines)):
        line, prev = lines[i], out[-1]
        if prev.endswith(SENTENCE_END):
            out.append(line)
            chained = False
        elif _continues(prev, line, lines[i + 1] if i + 1 < len(lines) else "", chained):
            glue = "" if prev.endswith("(") or line[0] in ",.;:)]!?%" else " "
            out[-1] = prev + glue + line
            chained = True
        else:
            out.append(line)
            chained = False
    return out


def _headline_like(line: str) -> bool:
    """A short line that is not a sentence nor part of one: a linked headline."""
    return (
        len(line.split()) <= 16
        and (line[0].isupper() or line[0].isdigit())
        and not line.endswith((".", ",", ";", ":"))
        and '"' not in line
        and "“" not in line
        and not NUMBERED.match(line)  # a numbered item of the story's own list
    )


def _headline_end(rest: str) -> int:
    """Where a linked headline written inline before the story text ends, as an offset in rest."""
    glued = bool(rest) and not rest[0].isspace()
    tokens = list(WORD.finditer(rest))[: MAX_HEADLINE_WORDS + 1]
    for i, token in enumerate(tokens):
        word = token.group()
        if glued and i and (join := HEADLINE_GLUE.search(word)):  # `RusiaKemudian`: story glued on
            return token.start() + join.start() + 1 + (word[join.start() + 1] in ".!?")
        if i and NUMBERED.fullmatch(word):  # a numbered item starts: `... 2. Menciptakan`
            return token.start()
        bare = word.strip("\"“”'‘’(),:;")
        if i > 0 and bare[:1].islower() and bare.lower() not in HEADLINE_CONNECTORS:
            for back in range(i - 1, max(i - 4, 0), -1):
                if tokens[back - 1].group().endswith(("!", "?", ".", ":")):
                    return tokens[back].start()
            return tokens[i - 1].start() if tokens[i - 1].group()[:1].isupper() else token.start()
    return len(rest) if len(tokens) <= MAX_HEADLINE_WORDS else 0


def _related_markers(line: str) -> list[re.Match]:
    """The related-article markers in a line, left to right."""
    lowered = line.lower()
    starts = []
    for hint in ("baca", "lihat", "artikel terkait", "berita terkait"):
        pos = lowered.find(hint)
        while pos != -1:
            starts.append(pos)
            pos = lowered.find(hint, pos + 1)
    return [m for m in (RELATED_MARKER.match(line, pos) for pos in sorted(starts)) if m]


def _without_related_links(line: str) -> tuple[str, int]:
    """A line with inline `Baca juga: <headline>` pointers cut out, and how many were."""
    pieces, last = [], 0
    for marker in _related_markers(line):
        if marker.start() < last:
            continue  # inside a headline already cut
        start = marker.start()
        if line[max(0, start - 4) : start].lower() == "yuk ":
            start -= 4
        pieces.append(line[last:start].rstrip())
        last = marker.end() + _headline_end(line[marker.end() :])
    if not pieces:
        return line, 0
    pieces.append(line[last:].lstrip())
    return " ".join(p for p in pieces if p), len(pieces) - 1


def _hinted_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines that may hold a related-article pointer or a table of contents."""
    lowered = "\n".join(lines).lower()
    found = set()
    for hint in RELATED_HINTS:
        pos = lowered.find(hint)
        while pos != -1:
            found.add(lowered.count("\n", 0, pos))
            pos = lowered.find(hint, pos + 1)
    return found


def related_removed(lines: list[str]) -> tuple[list[str], int]:
    """Lines without related-article pointers and the headlines they link, or a table of contents."""
    hinted = _hinted_lines(lines)
    if not hinted:
        return lines, 0
    out: list[str] = []
    removed, skip_headlines = 0, 0
    for i, line in enumerate(lines):
        if skip_headlines and _headline_like(line):
            skip_headlines -= 1
            removed += 1
            continue
        skip_headlines = 0
        if i not in hinted:
            out.append(line)
        elif DAFTAR_ISI.fullmatch(line):  # a table of contents: the subheadings follow
            skip_headlines, removed = MAX_TRAILER_LINES, removed + 1
        elif RELATED_MARKER.fullmatch(line):  # the linked headline(s) follow on the next lines
            skip_headlines = 1 if line.rstrip().endswith(":") else MAX_RELATED_LINES
            removed += 1
        else:
            line, cut = _without_related_links(line)
            removed += cut
            out += [line] if line else []
    return out, removed


@cache
def _first_letters(starts: tuple[str, ...]) -> frozenset[str]:
    """Characters a line can begin with to start with one of starts (either case, or an opener)."""
    return frozenset(
        OPENERS + "".join(s[0] for s in starts) + "".join(s[0].upper() for s in starts)
    )


def without_matching(
    lines: list[str], pattern: re.Pattern, starts: tuple[str, ...]
) -> tuple[list[str], int]:
    """Lines without those that begin with one of starts and match pattern, and how many went."""
    first = _first_letters(starts)
    kept = [
        line
        for line in lines
        if line[0] not in first
        or len(line) > 600
        or not (line[:24].lstrip(OPENERS).lower().startswith(starts) and pattern.match(line))
    ]
    return kept, len(lines) - len(kept)


def _trailer_start(lines: list[str]) -> int:
    """Index where the closing sign-off, credits and tag list begin (len(lines) if none)."""
    start = len(lines)
    for i in range(len(lines) - 1, max(len(lines) - MAX_TRAILER_LINES, 0) - 1, -1):
        line = lines[i]
        if len(line) <= 160 and SIGN_OFF.match(line):
            start = i
        elif _ends_sentence(line) or len(line.split()) > SHORT_LINE_WORDS:
            break
    if start == len(lines):
        tags = len(lines)
        while tags > 0 and _tag_like(lines[tags - 1]):
            tags -= 1
        if len(lines) - tags >= 3:
            start = tags
    return start


def _tag_like(line: str) -> bool:
    """A short line of capitalised words or hashtags, as in a closing tag list."""
    words = line.split()
    return (
        len(words) <= 5
        and not _ends_sentence(line)
        and all(w[:1].isupper() or w[:1] == "#" or w[:1].isdigit() for w in words)
        and not NUMBERED.match(line)
    )


def trimmed(lines: list[str]) -> tuple[list[str], int]:
    """Lines without the closing trailer, and how many lines went."""
    start = _trailer_start(lines)
    kept = lines[:start]
    if kept and (last := TRAILING_SIGN_OFF.sub("", kept[-1])) != kept[-1]:
        kept[-1] = last
        return kept, len(lines) - start + 1
    return kept, len(lines) - start
