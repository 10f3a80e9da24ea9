"""Names people can say: the phrase of 2-6 words that a topic's own titles share and others do not.

A keyword triplet ("gak · bareng · ya") cannot be read out in a meeting; "Tambang Nikel Raja Ampat"
can. Every run of 2-6 words of every title is a candidate. A topic's candidates are scored by how
often they stand in its titles, each title weighted by how typical its article is of the topic,
times how rare they are in the corpus (idf), with a bonus for longer phrases and for phrases whose
words are the topic's keywords. A name must stand in at least two of the topic's titles and hold
one of its keywords (on 2,268 full bodies a health topic was called "Media Sosial", a crime desk
"Curi Celana"). Where no phrase holds one, a phrase standing in a tenth of the topic's titles and
far more often than in all titles names it: fact-checks written to one template have the template's
words for keywords ("arsip kanal · thumbnail menampilkan"), while their titles name their story
("Tom Lembong" in 11 of one such topic's 59). Topics with neither keep their keyword label. Larger
topics choose first and no two topics share a name.

A theme is named from its topics' counts added up (folded): its name stands in 8% of its titles, or
in 3% of them spread over three of its topics or more (2% over six or more), and its score grows with the square root of
the number of its topics that hold it. A wide theme (football, elections) seldom has one phrase in
8% of its titles, and its largest story's phrase does not name it; a phrase that recurs across its
topics ("Liga Champions", "Pilpres 2019") does. A theme with no such phrase is called after the two
largest named topics near its centre that share no word ("Sandiaga Uno & Anies Baswedan", "Eddy
Sindoro & KPK Supervisi" on all of corpora/raw): both stand in its titles, and neither is taken for
the whole of it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from analysis.topics.words import CHAT_WORDS, NEWS_FURNITURE

WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
PART = re.compile(r"[^\W_]+")
MIN_WORDS, MAX_WORDS = 2, 6
#: A name stands in at least MIN_TITLES of its topic's titles and at least MIN_SHARE of them: a
#: topic that mixes many stories has no phrase of its own, and the one story that gave a phrase
#: would misname it ("Pool Bus Bekas Jakbar" for 142 crime reports from 17 provinces).
MIN_TITLES = 2
MIN_SHARE = 0.04


@dataclass(frozen=True)
class NameRule:
    """In how many of a group's titles its name must stand: min_share of them, or, for each
    (share, parts) of spread, that share of them across at least that many of its parts (a theme's
    topics)."""

    min_share: float = MIN_SHARE
    spread: tuple[tuple[float, int], ...] = ()


TOPIC_NAMES = NameRule()
#: A theme holds many topics: a name standing in one of them would name all of them ("Tanah Abang"
#: for international news, "Raja Ampat" for the economy, on all of corpora/raw), so it must stand in
#: twice a topic's share of the titles, or recur across three of its topics (3%) or six (2%: on
#: all of corpora/raw "Pilpres 2019" stood in 2.8% of its theme's titles across 8 topics; a markets
#: theme of the full bodies was not to be named "Donald Trump" for 2.1% of its titles in 3 topics).
THEME_NAMES = NameRule(min_share=0.08, spread=((0.03, 3), (0.02, 6)))
LONGER_BONUS = 0.15  # per word beyond two: "Tambang Nikel Raja Ampat" over "Tambang Nikel"
KEYWORD_BONUS = 1.0  # a phrase made of the topic's keywords counts up to twice
KEYWORDS_CONSIDERED = 10
#: A phrase holding none of the keywords names a group where none holding one qualifies, if it stands
#: in UNKEYED_TITLES and UNKEYED_SHARE of its titles and is UNKEYED_LIFT times as common in them as
#: in all titles. On all of corpora/raw, 45 of 1,165 topics had no phrase holding a keyword; 7 of
#: them are named so ("Tom Lembong", "Xi Jinping", "Pagar Laut", "Tebar Dividen" for GoTo's
#: shareholders). At 4% of the titles, 2 of 41 would have named AI-image fact-checks "Dokumentasi
#: Pesawat".
UNKEYED_SHARE = 0.1
UNKEYED_LIFT = 20.0
UNKEYED_TITLES = 3  # two gave a rainforest topic of 15 articles "Polda Bengkulu"
#: A longer phrase holding the chosen one wins where it stands in at least this share of as many of
#: the topic's titles ("Tambang Nikel" in 4 titles, "Tambang Nikel Raja Ampat" in 3).
EXTENSION_SHARE = 0.6
#: Kinds of small place that end no name ("Pelanggaran Kampanye di Kecamatan").
SMALL_PLACE_KINDS: frozenset[str] = frozenset(("kecamatan", "kec", "kelurahan", "kel"))


@lru_cache(maxsize=1)
def edge_words() -> frozenset[str]:
    """Words a name may hold inside but neither start nor end with: Indonesian and English stop
    words ("Tambang di Raja Ampat" is a name, "di Raja Ampat" is not) and kinds of place ("dokter
    di kota")."""
    import stopwordsiso
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from analysis.topics.naming import PLACE_KINDS

    return (
        frozenset(stopwordsiso.stopwords("id"))
        | frozenset(ENGLISH_STOP_WORDS)
        | frozenset(PLACE_KINDS)
        | SMALL_PLACE_KINDS
    )


@lru_cache(maxsize=1)
def banned_words() -> frozenset[str]:
    """Words no name may hold: news furniture (outlets, "baca", "simak", days, months) and chat."""
    return frozenset(NEWS_FURNITURE) | CHAT_WORDS


def word_parts(text: str) -> set[str]:
    """The letters-and-digits runs of a text, as the keyword tokenizer splits it: "ma'ruf amin"
    holds "ma", "ruf" and "amin", so the keywords "ma ruf" name a topic "Ma'ruf Amin"."""
    return set(PART.findall(text))


def title_phrases(title: str) -> dict[str, str]:
    """Every run of 2-6 words of a title that may be a name, lower-cased, with its surface form.

    A run neither starts nor ends with a stop word, holds no furniture or chat word, does not start
    with a number and ends with one only if it is a year ("SEA Games 2019").
    """
    words = WORD.findall(title)
    low = [w.lower().replace("’", "'") for w in words]
    edges, banned = edge_words(), banned_words()
    out: dict[str, str] = {}
    for start, first in enumerate(low):
        if first in edges or first in banned or first[0].isdigit():
            continue
        for end in range(start + 1, min(len(low), start + MAX_WORDS)):
            last = low[end]
            if last in banned:
                break
            if end - start + 1 < MIN_WORDS or last in edges:
                continue
            if last.isdigit() and len(last) != 4:
                continue
            out.setdefault(" ".join(low[start : end + 1]), " ".join(words[start : end + 1]))
    return out


@dataclass
class PhraseCounts:
    """Candidate phrases counted over titles: in how many titles each stands (all topics), and per
    topic their weighted and plain counts, the surface forms seen and, for groups of topics, in how
    many of the group's topics each stands (see folded)."""

    titles: int = 0
    sizes: Counter = field(default_factory=Counter)  # titles per group
    document_frequency: Counter = field(default_factory=Counter)
    weighted: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    counts: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    surfaces: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    parts: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))


def phrases_of(titles: Sequence[str]) -> list[dict[str, str]]:
    """The candidate phrases of each title (title_phrases), found once for every grouping."""
    return [title_phrases(title or "") for title in titles]


def phrase_counts(
    phrases_per_title: Sequence[dict[str, str]], groups: np.ndarray, weights: np.ndarray
) -> PhraseCounts:
    """Candidate phrases of the titles counted per group (-1: counted for rarity only)."""
    counted = PhraseCounts(titles=len(phrases_per_title))
    rows = zip(phrases_per_title, groups.tolist(), weights.tolist(), strict=True)
    for phrases, group, weight in rows:
        counted.document_frequency.update(phrases.keys())
        if group < 0:
            continue
        counted.sizes[group] += 1
        for key, surface in phrases.items():
            counted.weighted[group][key] += weight
            counted.counts[group][key] += 1
            counted.surfaces[key][surface] += 1
    return counted


def folded(counted: PhraseCounts, parent: np.ndarray) -> PhraseCounts:
    """The counts of groups of groups (parent: the group of each counted group, e.g. each topic's
    theme), with in how many of its groups each phrase stands."""
    out = PhraseCounts(
        titles=counted.titles,
        document_frequency=counted.document_frequency,
        surfaces=counted.surfaces,
    )
    for group in sorted(counted.sizes):
        up = int(parent[group])
        out.sizes[up] += counted.sizes[group]
        out.weighted[up].update(counted.weighted[group])
        out.counts[up].update(counted.counts[group])
        out.parts[up].update(counted.counts[group].keys())
    return out


def qualifies(counted: PhraseCounts, group: int, key: str, rule: NameRule) -> bool:
    """Whether a phrase stands in enough of a group's titles to name it (see NameRule)."""
    count, size = counted.counts[group][key], counted.sizes[group]
    if count >= max(MIN_TITLES, rule.min_share * size):
        return True
    parts = counted.parts[group][key]
    return any(
        count >= max(MIN_TITLES, share * size) and parts >= at_least
        for share, at_least in rule.spread
    )


def ranked_phrases(
    counted: PhraseCounts, group: int, keywords: Sequence[str], rule: NameRule = TOPIC_NAMES
) -> list[str]:
    """A group's candidate names (standing in enough of its titles, see NameRule), best first:
    those holding at least one of its keywords, or where there are none, those that are its own
    (see UNKEYED_SHARE)."""
    keyword_tokens = {t for k in keywords[:KEYWORDS_CONSIDERED] for t in word_parts(k)}
    edges = edge_words()
    counts, shares = counted.counts[group], [rule.min_share, *(s for s, _ in rule.spread)]
    size = counted.sizes[group]
    least = max(MIN_TITLES, min(shares) * size)  # fewer titles never qualify
    keyed, unkeyed = [], []
    for key, weight in counted.weighted[group].items():
        if counts[key] < least or not qualifies(counted, group, key, rule):
            continue
        tokens = key.split()
        content = [t for t in tokens if t not in edges]
        overlap = sum(bool(word_parts(t) & keyword_tokens) for t in content) / max(1, len(content))
        frequency = counted.document_frequency[key]
        rarity = np.log(1.0 + counted.titles / frequency)
        length = 1.0 + LONGER_BONUS * (len(tokens) - MIN_WORDS)
        spread = np.sqrt(max(1, counted.parts[group][key]))  # a theme's topics holding it
        score = (-weight * rarity * length * spread * (1.0 + KEYWORD_BONUS * overlap), key)
        if overlap:
            keyed.append(score)
        elif own_phrase(counts[key], size, frequency, counted.titles):
            unkeyed.append(score)  # "Media Sosial" shared by health titles says nothing of them
    return [key for _, key in sorted(keyed or unkeyed)]


def own_phrase(count: int, size: int, frequency: int, titles: int) -> bool:
    """Whether a phrase standing in count of a group's size titles, and in frequency of all
    titles, is the group's own: in UNKEYED_TITLES and UNKEYED_SHARE of its titles, UNKEYED_LIFT
    times as often as in all."""
    share = count / max(1, size)
    distinctive = share >= UNKEYED_LIFT * frequency / max(1, titles)
    return count >= UNKEYED_TITLES and share >= UNKEYED_SHARE and distinctive


def extended(counted: PhraseCounts, group: int, key: str, candidates: Sequence[str]) -> str:
    """The longest candidate that holds key and stands in nearly as many of the group's titles."""
    enough = EXTENSION_SHARE * counted.counts[group][key]
    padded = f" {key} "
    longer = [c for c in candidates if padded in f" {c} " and counted.counts[group][c] >= enough]
    return max(longer, key=lambda c: len(c.split()), default=key)


def joined_names(
    names: Sequence[str], named: Sequence[bool], rank: np.ndarray, parent: np.ndarray, k: int
) -> list[str | None]:
    """For each of k groups of groups (parent: each group's), the names of its two named groups
    ranked highest that share no word, joined with " & " within MAX_WORDS words; its one group's
    name if it holds one; else None."""
    members = np.bincount(np.asarray(parent), minlength=k)
    chosen: list[list[str]] = [[] for _ in range(k)]
    for group in np.argsort(-np.asarray(rank), kind="stable"):
        up, name = int(parent[group]), names[group]
        words = {w for n in chosen[up] for w in n.lower().split()}
        fits = len(" ".join([*chosen[up], name]).split()) <= MAX_WORDS
        fresh = not words & set(name.lower().split())
        if named[group] and len(chosen[up]) < 2 and fits and fresh:
            chosen[up].append(name)
    return [
        " & ".join(pair) if len(pair) == 2 or members[up] == 1 and pair else None
        for up, pair in enumerate(chosen)
    ]


def group_names(
    counted: PhraseCounts,
    keywords: Sequence[Sequence[str]],
    fallbacks: Sequence[str],
    rule: NameRule = TOPIC_NAMES,
) -> list[str]:
    """A name per group 0..k-1 (k = len(fallbacks)): its best phrase not taken by a larger group,
    in its most common spelling, or its fallback where no phrase qualifies."""
    sizes = np.array([counted.sizes[group] for group in range(len(fallbacks))])
    names, taken = list(fallbacks), set()
    for group in np.argsort(-sizes, kind="stable"):
        candidates = ranked_phrases(counted, int(group), keywords[group], rule)
        ranked = [k for k in candidates if k not in taken]
        if ranked:
            best = extended(counted, int(group), ranked[0], ranked)
            taken.add(best)
            names[group] = counted.surfaces[best].most_common(1)[0][0]
    return names
