"""What is not the story, taken out of Indonesian news bodies: ads, related links, calls to action,
sign-offs, tag lists, video captions, a repeated headline, injected promotions, and lines an outlet
repeats in many of its articles. Words glued where links were removed are mended when safe.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

import pandas as pd

# -- what is not the story: rule tables -------------------------------------------------------

#: Ad markers, wherever they stand, even glued into a paragraph.
AD_MARKERS = ("SCROLL TO CONTINUE WITH CONTENT", "ADVERTISEMENT")

#: Whole lines that are never the story.
NOISE_LINE = re.compile(
    r"^(?:"
    r"advertisement|scroll to continue|iklan|loading\W*|"
    r"\[gambas:[^\]\n]*\]|"
    r"(?:simak\s+(?:juga\s+)?|tonton\s+(?:juga\s+)?|saksikan\s+(?:juga\s+)?)?video\s*:.*|"
    r"saksikan\b.{0,120}|tonton\s+(?:juga|video)\b.{0,120}|"
    r"laporan\s+(?:wartawan|reporter|koresponden|kontributor)\b.{0,120}|"
    r"artikel\s+ini\s+(?:telah\s+)?(?:tayang|terbit)\b.*|"
    r"(?:yuk\s+)?baca\s+(?:artikel|berita)\s+(?:lainnya|menarik\s+lainnya|selengkapnya).{0,80}|"
    r"(?:tags?|tag\s+terkait|topik|kata\s+kunci)\s*:.*|"
    r"(?:#[\w-]+[ ,]*)+"
    r")$",
    re.IGNORECASE,
)
NOISE_STARTS = (
    "advertisement", "scroll to", "iklan", "loading", "[gambas", "simak", "tonton", "saksikan",
    "video", "laporan", "artikel ini", "yuk baca", "baca artikel", "baca berita", "tag", "topik",
    "kata kunci", "#",
)  # fmt: skip

#: Calls to follow the outlet elsewhere: a line that invites and names a channel.
CALL_TO_ACTION = re.compile(
    r"^\W*(?:simak|ikuti|dapatkan|follow|gabung|bergabung|yuk|ayo|klik|download|unduh|kunjungi|"
    r"pantau|cek|baca)\b.{0,400}?\b(?:google\s+news|whatsapp|telegram|saluran|channel|"
    r"instagram|tiktok|aplikasi\s+\w+\.com)\b",
    re.IGNORECASE,
)
CALL_STARTS = (
    "simak", "ikuti", "dapatkan", "follow", "gabung", "bergabung", "yuk", "ayo", "klik",
    "download", "unduh", "kunjungi", "pantau", "cek", "baca",
)  # fmt: skip
OPENERS = "(\"“'‘* "

#: A pointer to another article; the linked headline follows it. Capitalised, it may be glued on.
RELATED_MARKER = re.compile(
    r"(?:(?<![A-Za-z])(?i:baca|lihat)|(?<=[a-z0-9.,!?\"”)])(?:Baca|BACA|Lihat|LIHAT))"
    r"\s+(?i:juga|pula)(?![A-Za-z])\s*[:\-–—]?"
    r"|(?<![A-Za-z])(?i:artikel|berita)\s+(?i:terkait)\s*:"
)
RELATED_HINTS = ("baca", "lihat", "terkait", "daftar isi")
DAFTAR_ISI = re.compile(r"daftar\s+isi", re.IGNORECASE)

#: Reporter and editor sign-offs, source credits, copyright lines.
SIGN_OFF = re.compile(
    r"^(?:"
    r"\(\s*[\w*.'’ -]{1,40}(?:/[\w*.'’ -]{1,40})*\)|"  # (ant) (zul/ade) (*) (*/Ria) (Nama Penulis)
    r"\(?\s*(?:editor|penulis|reporter|pewarta|penyunting|redaktur|kontributor|fotografer|"
    r"sumber|ditulis\s+oleh|dilaporkan\s+oleh|copyright|hak\s+cipta)\b\s*[:©]?.{0,120}|"
    r"(?:copyright\s*)?©.{0,120}"
    r")$",
    re.IGNORECASE,
)
#: A sign-off glued to the end of the last sentence: `... katanya.(rls)`, `... (*/Ria)`.
TRAILING_SIGN_OFF = re.compile(r"(?<=[.!?\"”])\s*\((?:[a-z*]{1,5})(?:/[A-Za-z*]{1,12})*\)\s*$")
NUMBERED = re.compile(r"\d{1,2}[.)]")
#: Words of marketing copy: a block of short lines using several of them is selling something.
MARKETING_WORDS = frozenset({
    "promo", "diskon", "gratis", "bonus", "cashback", "voucher", "hadiah", "daftar", "download",
    "unduh", "install", "instal", "aplikasi", "app", "apps", "klik", "fitur", "otomatis", "mudah",
    "cepat", "efisien", "aman", "terpercaya", "praktis", "profit", "untung", "keuntungan",
    "maksimal", "minim", "strategi", "trading", "trader", "member", "premium", "langganan",
    "eksklusif", "penawaran", "hemat", "garansi", "solusi", "dapatkan", "nikmati", "buktikan",
    "online", "sekarang", "segera", "terbaik", "termurah", "order", "pesan", "beli", "checkout",
})  # fmt: skip

#: A dateline alone on the first line: `JAKARTA, KOMPAS.com`, `SERANG, Kabar Banten`.
DATELINE = re.compile(r"[A-Z][A-Z .'-]{1,30},\s*[A-Za-z][\w.]*(?: [A-Z][\w.]*){0,2}")
LIST_ITEM = re.compile(r"(?:\d{1,2}[.)]|[-•*–—])\s")

#: Lowercase words a title-case headline keeps lowercase; any other lowercase word starts the story.
HEADLINE_CONNECTORS = frozenset({
    "di", "ke", "dari", "dan", "yang", "untuk", "pada", "dengan", "atau", "serta", "oleh", "dalam",
    "bagi", "tentang", "sebagai", "vs", "hingga", "sampai", "agar", "karena", "usai", "saat", "soal",
    "jelang", "ala", "per", "via", "demi", "antar", "para", "si", "sang", "eks", "lewat",
    "the", "of", "and", "in", "for", "to", "a", "an", "on", "at", "by", "with",
})  # fmt: skip
TERMINAL = tuple(".!?\"”’')")
SENTENCE_END = tuple('.!?"”’')
DASHES = ("-", "–", "—")
MAX_HEADLINE_WORDS = 30
MAX_RELATED_LINES = 3
MAX_TRAILER_LINES = 15
SHORT_LINE_WORDS = 8
TITLE_ZONE_LINES = 30
MAX_UNIT_CHARS = 300

INVISIBLE = (
    ("\xa0", " "), ("\u202f", " "), ("\u2009", " "), ("\u2002", " "), ("\u2003", " "),
    ("\u3000", " "), ("\u200b", ""), ("\u200e", ""), ("\u200f", ""), ("\ufeff", ""),
    ("\r", ""), ("\x0b", "\n"), ("\x0c", "\n"),
)  # fmt: skip
WORD = re.compile(r"\S+")
LETTERS = re.compile(r"[A-Za-z]{3,}")
ALNUM = re.compile(r"[a-z0-9]+")
DIGITS = re.compile(r"\d+")
#: Between a body's units (lines and sentences): a line break, or `.`, `!` or `?` and spaces.
#: Written to start with one character class, so that re skips ahead to candidates fast.
UNIT_SPLIT = re.compile(r"[\n.!?](?:(?<=\n)|[^\S\n]+)")
UNIT_PARTS = re.compile(f"({UNIT_SPLIT.pattern})")  # the same, keeping the separators
HAS_LETTER = re.compile(r"[^\W\d_]")
GLUE = re.compile(r"[a-z][.!?]?[A-Z]")
HEADLINE_GLUE = re.compile(r"[a-z0-9)][.!?]?[\"“‘']?[A-Z]")
#: ASCII digits to 0, on UTF-8 bytes (where no other character has a byte below 0x80).
ZERO_DIGITS = bytes.maketrans(b"123456789", b"000000000")
#: Byte classes for finding glue fast: 1 lowercase, 2 uppercase, 3 sentence end, 0 anything else
#: (a character outside Latin-1 reads as `?`: a candidate that GLUE then rejects).
CHAR_CLASSES = bytes(
    1 if 97 <= b <= 122 else 2 if 65 <= b <= 90 else 3 if b in b".!?" else 0 for b in range(256)
)
MIN_GLUED_CHARS = 4
#: Names written in camel case whose halves are both Indonesian words, and name families.
CAMEL_NAMES = frozenset({
    "BukaLapak", "TanyaJawab", "JalanTikus", "KitaBisa", "KawalPemilu", "CekFakta", "BeritaSatu",
    "SuaraMerdeka", "RumahKita", "PasarPolis",
})  # fmt: skip
CAMEL_PREFIXES = frozenset({"detik", "trans", "tribun", "kompas", "kapan", "sindo", "suara"})
RIGHT_WORD = re.compile(r"[A-Z][a-z]+(?![\w@/-]|\.[a-z])")


# -- lines ----------------------------------------------------------------------------------


def _line(raw: str) -> str:
    """One line with its whitespace collapsed."""
    return " ".join(raw.split()) if "  " in raw or "\t" in raw else raw.strip()


def _lines(text: str) -> list[str]:
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


def _reflowed(lines: list[str]) -> list[str]:
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


def _related_removed(lines: list[str]) -> tuple[list[str], int]:
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


def _without(
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


def _trimmed(lines: list[str]) -> tuple[list[str], int]:
    """Lines without the closing trailer, and how many lines went."""
    start = _trailer_start(lines)
    kept = lines[:start]
    if kept and (last := TRAILING_SIGN_OFF.sub("", kept[-1])) != kept[-1]:
        kept[-1] = last
        return kept, len(lines) - start + 1
    return kept, len(lines) - start


# -- headline and injected promotions ----------------------------------------------------------


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


@cache
def _stop_words() -> frozenset[str]:
    """Indonesian function words (PySastrawi's list)."""
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    return frozenset(StopWordRemoverFactory().get_stop_words())


def _content_words(line: str) -> set[str]:
    """The lowercase words of three letters or more in a line, without function words."""
    return {w.lower() for w in LETTERS.findall(line)} - _stop_words()


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
    words = set().union(*(_content_words(line) for line in block))
    if not words or len(words & story_words) > 0.2 * len(words):
        return False
    pitch = {w.lower() for line in block for w in LETTERS.findall(line)} & MARKETING_WORDS
    return len(pitch) >= 3 and bool(_brand_words(block) - story_words)


def _promotions_removed(lines: list[str], title: str) -> tuple[list[str], int]:
    """Lines without blocks of injected promotional copy."""
    if sum(len(line) <= 80 for line in lines) < 5:
        return lines, 0
    total = sum(len(line) for line in lines)
    dropped: set[int] = set()
    for start, end in _short_runs(lines):
        if not _brand_words(lines[start : end + 1]):
            continue
        story_words = _content_words(title).union(
            *(_content_words(line) for line in [*lines[:start], *lines[end + 1 :]])
        )
        while start <= end and _on_topic(_content_words(lines[start]), story_words):
            start += 1
        while end >= start and _on_topic(_content_words(lines[end]), story_words):
            end -= 1
        block = lines[start : end + 1]
        short_enough = len(block) >= 5 and sum(map(len, block)) <= 0.5 * total
        if short_enough and _promotional(block, story_words):
            dropped.update(range(start, end + 1))
    return [line for i, line in enumerate(lines) if i not in dropped], len(dropped)


def _title_removed(lines: list[str], title: str | None) -> tuple[list[str], int]:
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
    title_words = _content_words(title)
    if (
        len(preamble) >= 3
        and sum(map(len, preamble)) <= 0.4 * sum(map(len, lines))
        and len(title_words & set().union(*map(_content_words, preamble))) < 0.5 * len(title_words)
    ):
        drop.update(range(repeats[-1]))
    return [line for i, line in enumerate(lines) if i not in drop], len(drop)


# -- glued words ------------------------------------------------------------------------------


@cache
def _vocabulary() -> frozenset[str]:
    """Known Indonesian words: PySastrawi's roots and stop words, and regency and province names."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    from data.regions import provinces, regencies

    names = " ".join([*regencies()["name"], *provinces()["province"]]).lower().split()
    roots = StemmerFactory().get_words()
    return frozenset(w for w in [*roots, *names, *_stop_words()] if len(w) >= 2)


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
    short = len(left) < MIN_GLUED_CHARS and left.lower() not in _stop_words()
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


# -- learned per-outlet boilerplate -----------------------------------------------------------


def _digits_collapsed(text: str) -> str:
    """Text with every run of digits written as one 0 (fast for ASCII text, which needs no regex)."""
    if not text.isascii():
        return DIGITS.sub("0", text)
    text = text.encode().translate(ZERO_DIGITS).decode()
    while "00" in text:
        text = text.replace("00", "0")
    return text


def _unit_keys(text: str) -> set[str]:
    """Distinct normalised lines and sentences of one body worth counting.

    Normalised: lowercase, digits collapsed to 0, without the final `.`, `!` or `?`.
    """
    body = _digits_collapsed("\n".join(_reflowed(_lines(text))).lower())
    keys = {unit.rstrip(".!?") for unit in UNIT_SPLIT.split(body)}
    return {k for k in keys if 4 <= len(k) <= MAX_UNIT_CHARS and HAS_LETTER.search(k)}


@lru_cache(maxsize=1_024)
def _has_digit_keys(recurring: frozenset[str]) -> bool:
    """True if some recurring key had digits (now 0) in it."""
    return any("0" in key for key in recurring)


@lru_cache(maxsize=1_024)
def _probes(recurring: frozenset[str]) -> tuple[str, ...]:
    """For each recurring key, its longest part without digits: a body must contain one."""
    return tuple({max(key.split("0"), key=len) for key in recurring})


def _learned_removed(lines: list[str], recurring: frozenset[str]) -> tuple[list[str], int]:
    """Lines without the lines and sentences the outlet repeats across its articles."""
    if not recurring:
        return lines, 0
    body = "\n".join(lines)
    lowered = body.lower()
    if not any(probe in lowered for probe in _probes(recurring)):
        return lines, 0
    parts = UNIT_PARTS.split(body)  # units at even positions, the separator after each at odd
    units = "\n".join(parts[::2]).lower()  # a unit never holds a line break
    keys = (_digits_collapsed(units) if _has_digit_keys(recurring) else units).split("\n")
    dropped = [key.rstrip(".!?") in recurring for key in keys]
    removed = sum(dropped)
    if not removed:
        return lines, 0
    separators = [*parts[1::2], ""]
    kept = [  # a dropped unit takes its full stop (or line break) along
        separator[1:] if drop else unit + separator
        for unit, separator, drop in zip(parts[::2], separators, dropped, strict=True)
    ]
    return _lines("".join(kept)), removed


@dataclass(frozen=True)
class Outlet:
    """What one outlet's bodies have shown so far: article count, and per line [count, first seen at]."""

    articles: int = 0
    lines: Mapping[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class LearnedBoilerplate:
    """Per-outlet lines and sentences that recur across many of that outlet's articles.

    A line is boilerplate for an outlet once it has appeared in at least `min_count` articles and in
    at least `min_share` of the outlet's articles since it was first seen (counted over at least
    `window` articles, so that a story repeated for a few days is not mistaken for boilerplate).
    Only the `max_lines` likeliest candidates per outlet are kept, and at most `per_batch` bodies
    of one outlet are counted per update (an even sample), which keeps learning cheap.
    """

    outlets: Mapping[str, Outlet] = field(default_factory=dict)
    min_share: float = 0.2
    min_count: int = 5
    window: int = 50
    max_lines: int = 300
    per_batch: int = 250
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def _share(self, outlet: Outlet, count: int, seen_at: int) -> float:
        return count / max(outlet.articles - seen_at, self.window)

    def update(self, frame: pd.DataFrame) -> LearnedBoilerplate:
        """A new object that has also counted the bodies in frame (columns source, text)."""
        texts: dict[str, list[str]] = {}
        for source, text in zip(frame["source"], frame["text"], strict=True):
            if isinstance(source, str) and source and isinstance(text, str) and text:
                texts.setdefault(source, []).append(text)
        outlets = dict(self.outlets)
        for source, bodies in texts.items():
            step = -(-len(bodies) // self.per_batch)  # count an even sample of a large batch
            outlets[source] = self._counted(outlets.get(source, Outlet()), bodies[::step])
        return replace(self, outlets=outlets, _cache={})

    def _counted(self, outlet: Outlet, bodies: Iterable[str]) -> Outlet:
        """An outlet's counts after more bodies, pruned to the max_lines likeliest candidates."""
        counts: Counter[str] = Counter()
        n = 0
        for body in bodies:
            counts.update(_unit_keys(body))
            n += 1
        lines = dict(outlet.lines)
        for key, count in counts.items():
            old_count, seen_at = lines.get(key, (0, outlet.articles))
            lines[key] = (old_count + count, seen_at)
        after = Outlet(outlet.articles + n, lines)
        keep = heapq.nlargest(  # ties broken by the line itself: the same in every process
            self.max_lines,
            lines.items(),
            key=lambda kv: (self._share(after, *kv[1]), kv[1][0], kv[0]),
        )
        return Outlet(after.articles, dict(keep))

    def lines_for(self, source: str | None) -> frozenset[str]:
        """The normalised lines and sentences learned as boilerplate for an outlet."""
        source = source if isinstance(source, str) else None
        if source not in self._cache:
            outlet = self.outlets.get(source) if source else None
            self._cache[source] = frozenset(
                key
                for key, (count, seen_at) in (outlet.lines.items() if outlet else ())
                if count >= self.min_count and self._share(outlet, count, seen_at) >= self.min_share
            )
        return self._cache[source]

    def to_dict(self) -> dict:
        """A JSON-ready form of the counts and settings."""
        return {
            "version": 1,
            "min_share": self.min_share,
            "min_count": self.min_count,
            "window": self.window,
            "max_lines": self.max_lines,
            "per_batch": self.per_batch,
            "outlets": {
                source: {"articles": o.articles, "lines": {k: list(v) for k, v in o.lines.items()}}
                for source, o in self.outlets.items()
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping | None) -> LearnedBoilerplate:
        """The object to_dict described; an empty one for an empty or missing dict."""
        data = data or {}
        defaults = cls()
        outlets = {
            str(source): Outlet(
                int(o.get("articles", 0)),
                {str(k): (int(v[0]), int(v[1])) for k, v in o.get("lines", {}).items()},
            )
            for source, o in data.get("outlets", {}).items()
        }
        return cls(
            outlets=outlets,
            min_share=float(data.get("min_share", defaults.min_share)),
            min_count=int(data.get("min_count", defaults.min_count)),
            window=int(data.get("window", defaults.window)),
            max_lines=int(data.get("max_lines", defaults.max_lines)),
            per_batch=int(data.get("per_batch", defaults.per_batch)),
        )


# -- cleaning ---------------------------------------------------------------------------------


def clean_text(
    text: str, title: str | None = None, recurring: frozenset[str] = frozenset()
) -> tuple[str, int]:
    """The story alone from a news body, and how many lines or blocks were taken out."""
    if not isinstance(text, str) or not text.strip():
        return "", 0
    removed = 0
    for marker in AD_MARKERS:
        if marker in text:
            removed += text.count(marker)
            text = text.replace(marker, " ")
    lines, cut = _without(_lines(text), NOISE_LINE, NOISE_STARTS)
    removed += cut
    lines, cut = _trimmed(lines)
    removed += cut
    lines, cut = _related_removed(lines)
    removed += cut
    lines, cut = _without(_reflowed(lines), CALL_TO_ACTION, CALL_STARTS)
    removed += cut
    for step in (_title_removed, _promotions_removed):
        lines, cut = step(lines, title or "")
        removed += cut
    lines, cut = _learned_removed(lines, recurring)
    removed += cut
    lines, cut = _trimmed(lines)
    return mended("\n".join(lines)), removed + cut


def clean_texts(frame: pd.DataFrame, learned: LearnedBoilerplate) -> pd.DataFrame:
    """Cleaned text, stripped title and the number of lines removed, per row of frame."""
    titles = [t if isinstance(t, str) else "" for t in frame["title"]]
    results = [
        clean_text(text, title, learned.lines_for(source))
        for source, title, text in zip(frame["source"], titles, frame["text"], strict=True)
    ]
    return pd.DataFrame(
        {
            "text": [text for text, _ in results],
            "title": [" ".join(t.split()) for t in titles],
            "boilerplate_removed": pd.array([n for _, n in results], dtype="int64"),
        },
        index=frame.index,
    )
