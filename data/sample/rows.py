"""The corpus rows, block after block: original stories and their copies (syndicated, shared with
tracking parameters, updated, without text, the syndicated-only burst), each block from its own
seed."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta

import numpy as np

from data.sample.corpus import Attributes, Corpus
from data.sample.plan import SYNDICATED_LEAD
from data.sample.publishing import Row, published, tracked, updated, without_text
from data.sample.stories import Story, edited, english_story, indonesian_story

BLOCK_ROWS = 2_000  # rows generated together from one seed; output does not depend on chunk_rows
SHARES: dict[str, float] = {  # share of all rows, by kind
    "syndicated": 0.07,
    "tracked_repeat": 0.02,
    "updated_repeat": 0.005,
    "no_text": 0.004,
}


def _share_in(total: int, start: int, stop: int, n: int) -> int:
    """How many of `total` items spread evenly over n rows fall in rows [start, stop)."""
    return total * stop // n - total * start // n


def _block_rows(corpus: Corpus, syndicated: Story, block: int, start: int, stop: int) -> list[Row]:
    """The rows [start, stop) of the corpus, generated from their own seed, in shuffled order;
    `syndicated` is the story the syndicated-only burst copies."""
    nrng = np.random.default_rng([corpus.seed, block])
    rng = random.Random(int(nrng.integers(2**62)))
    n = corpus.n_articles
    counts = {kind: _share_in(round(share * n), start, stop, n) for kind, share in SHARES.items()}
    copies = corpus.plan.syndicated_burst.copies(n)
    burst_copies = _share_in(copies, start, stop, n)
    burst_stories = _share_in(corpus.plan.burst.stories(n), start, stop, n)
    originals = stop - start - sum(counts.values()) - burst_copies
    usual = originals - burst_stories
    attrs, outlets = corpus.attributes(nrng, usual + counts["no_text"], start)
    planted, planted_outlets = corpus.attributes(nrng, burst_stories, start + len(attrs), True)
    attrs = attrs[:usual] + planted + attrs[usual:]
    outlets = np.concatenate([outlets[:usual], planted_outlets, outlets[usual:]])
    pairs = []
    for attr, outlet_index in zip(attrs, outlets, strict=True):
        outlet = corpus.outlets[outlet_index]
        if corpus.houses[outlet.house].language == "en":
            story = english_story(corpus, rng, attr)
        else:
            story = indonesian_story(corpus, rng, attr, corpus.in_burst(attr))
        pairs.append((story, published(story, outlet, rng, corpus, start + len(pairs), "original")))
    kept = pairs[:originals]
    rows = [row for _, row in kept] + [
        without_text(row, i) for i, (_, row) in enumerate(pairs[originals:])
    ]
    indonesian = [pair for pair in kept if pair[0].language == "id"]
    for pair in _picks(indonesian, counts["syndicated"], rng):
        rows.append(_syndicated(corpus, pair, rng, start + len(rows)))
    for _, row in _picks(kept, counts["tracked_repeat"], rng):
        rows.append(tracked(row, rng, start + len(rows)))
    rows += [updated(row, rng) for _, row in _picks(kept, counts["updated_repeat"], rng)]
    first_copy = copies * start // n
    for copy in range(first_copy, first_copy + burst_copies):
        rows.append(_burst_copy(corpus, syndicated, copy, rng, start + len(rows)))
    rng.shuffle(rows)
    return rows


def _picks(items: list, count: int, rng: random.Random) -> list:
    """count items drawn with replacement."""
    return [items[int(rng.random() * len(items))] for _ in range(count)]


def _syndicated(corpus: Corpus, pair: tuple[Story, Row], rng: random.Random, row_id: int) -> Row:
    """A story run again by another outlet, lightly edited, a little later."""
    story, row = pair
    source = row.source
    candidates = [
        i for i in corpus.copy_outlets
        if corpus.outlets[i].name != source and corpus.outlets[i].domain != source
        and (corpus.outlets[i].national or corpus.outlets[i].province_code == story.place.province_code)
    ] or [i for i in corpus.copy_outlets if corpus.outlets[i].national]  # fmt: skip
    outlet = corpus.outlets[candidates[int(rng.random() * len(candidates))]]
    minute = story.minute + 20 + int(rng.random() * 300)
    day = story.day + timedelta(days=minute // 1440) if story.day < corpus.days[-1] else story.day
    return published(
        edited(story, rng), outlet, rng, corpus, row_id, "syndicated", minute % 1440, day
    )


def _burst_copy(
    corpus: Corpus, syndicated: Story, copy: int, rng: random.Random, row_id: int
) -> Row:
    """Copy number `copy` of the syndicated-only story."""
    plan = corpus.plan.syndicated_burst
    order = sorted(corpus.copy_outlets, key=lambda i: corpus.outlets[i].name != plan.source)
    outlet = corpus.outlets[order[copy % len(order)]]
    story = syndicated if copy == 0 else edited(syndicated, rng)
    span = (plan.end - plan.start).days + 1
    day = plan.start + timedelta(days=int(rng.random() * span)) if copy else plan.start
    minute = 9 * 60 if copy == 0 else 7 * 60 + int(rng.random() * 15 * 60)
    return published(story, outlet, rng, corpus, row_id, "syndicated_burst", minute, day)


def _syndicated_story(corpus: Corpus) -> Story:
    """The one story the syndicated-only burst copies."""
    plan = corpus.plan.syndicated_burst
    place = next(p for p in corpus.places if p.code == plan.regency_code)
    attrs = Attributes(-1, plan.theme, place, plan.start, 9 * 60, 260)
    rng = random.Random(corpus.seed * 7_919 + 17)
    return indonesian_story(corpus, rng, attrs, False, plan.title, SYNDICATED_LEAD)


def blocks(corpus: Corpus) -> Iterator[list[Row]]:
    """The corpus rows, block after block."""
    n = corpus.n_articles
    count = -(-n // BLOCK_ROWS)
    syndicated = _syndicated_story(corpus)
    for block in range(count):
        yield _block_rows(corpus, syndicated, block, block * n // count, (block + 1) * n // count)
