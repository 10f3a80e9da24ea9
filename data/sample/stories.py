"""One story: what an article says (title, paragraphs) before an outlet dresses it."""

from __future__ import annotations

import random
from datetime import date
from typing import NamedTuple

from data.sample.corpus import Attributes, Corpus, Place
from data.sample.phrases import phrases
from data.sample.templates import library
from data.sample.writer import Writer

SMALL_WORDS = frozenset(
    {"di", "ke", "dari", "dan", "yang", "untuk", "per", "pada", "dengan", "atau",
     "of", "in", "to", "the", "and", "at", "for", "as", "on", "a", "an"}
)  # fmt: skip


def headline(text: str) -> str:
    """A title in headline case, small words and words that are not lowercase left alone."""
    words = text.split(" ")
    return " ".join(
        word[:1].upper() + word[1:] if i == 0 or word not in SMALL_WORDS else word
        for i, word in enumerate(words)
    )


class Story(NamedTuple):
    """What an article says, before an outlet dresses it."""

    story: int
    theme: str
    place: Place
    day: date
    minute: int  # minutes after local midnight
    title: str
    paragraphs: tuple[str, ...]
    language: str


def _sentences(writer: Writer, words: int, burst: bool, lead: str) -> list[str]:
    """A lead (drawn unless given) and body sentences of a story, until it has about `words` words."""
    lib = library()
    theme = writer.theme
    rand = writer.random
    body, quotes, generic = list(lib.body[theme]), list(lib.quotes[theme]), list(lib.generic)
    sentences = [lead or writer.render(writer.pick(lib.leads[theme]))]
    writer.fresh_numbers = True
    if burst:
        sentences.append(writer.render(writer.pick(lib.burst)))
    count = sum(sentence.count(" ") + 1 for sentence in sentences)
    while count < words:
        draw = rand()
        pool = (body if draw < 0.55 else quotes if draw < 0.75 else generic) or body or generic
        if not pool:
            break
        sentence = writer.render(pool.pop(int(rand() * len(pool))))
        if sentence[0].islower():
            sentence = sentence[0].upper() + sentence[1:]
        sentences.append(sentence)
        count += sentence.count(" ") + 1
    return sentences


def _paragraphs(sentences: list[str], rng: random.Random) -> tuple[str, ...]:
    """Sentences grouped into paragraphs of one to three sentences, a quote always alone."""
    paragraphs: list[str] = []
    current: list[str] = []
    for sentence in sentences:
        if current and (sentence.startswith('"') or len(current) >= 1 + int(rng.random() * 3)):
            paragraphs.append(" ".join(current))
            current = []
        current.append(sentence)
    paragraphs.append(" ".join(current))
    return tuple(paragraphs)


def indonesian_story(
    corpus: Corpus,
    rng: random.Random,
    attrs: Attributes,
    burst: bool,
    title: str = "",
    lead: str = "",
) -> Story:
    """An Indonesian story of a theme about a place on a day (its title and lead drawn unless given)."""
    writer = Writer(corpus, rng, attrs.theme, attrs.place, attrs.day)
    title = title or headline(writer.render(writer.pick(library().titles[attrs.theme])))
    sentences = _sentences(writer, attrs.words, burst, lead)
    return Story(
        attrs.story, attrs.theme, attrs.place, attrs.day, attrs.minute, title,
        _paragraphs(sentences, rng), "id",
    )  # fmt: skip


def english_story(corpus: Corpus, rng: random.Random, attrs: Attributes) -> Story:
    """A short English story of a theme about a place on a day."""
    lib = library()
    writer = Writer(corpus, rng, attrs.theme, attrs.place, attrs.day)
    english = lib.english[attrs.theme]
    generic = list(lib.generic_english)
    rng.shuffle(generic)
    sentences = [writer.render(tokens) for tokens in english[2:]] + [
        writer.render(tokens) for tokens in generic[: 9 + int(rng.random() * 5)]
    ]
    title = headline(writer.render(writer.pick(english[:2])))
    return Story(
        attrs.story, attrs.theme, attrs.place, attrs.day, attrs.minute, title,
        _paragraphs(sentences, rng), "en",
    )  # fmt: skip


def edited(story: Story, rng: random.Random) -> Story:
    """Another outlet's version of a story: a few words swapped, the title sometimes reworded."""
    paragraphs = list(story.paragraphs)
    edits = phrases().edits
    for _ in range(1 + int(rng.random() * 3)):
        old, new = edits[int(rng.random() * len(edits))]
        index = int(rng.random() * len(paragraphs))
        paragraphs[index] = paragraphs[index].replace(old, new, 1)
    title = story.title
    if rng.random() < 0.3:
        for old, new in phrases().title_edits:
            title = title.replace(old, new, 1)
    return story._replace(title=title, paragraphs=tuple(paragraphs))
