"""A tiny template engine: {slot} for a generated value, [a|b|c] for a choice; every phrase of the
tables compiled once."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import NamedTuple

from data.sample.phrases import Theme, phrases


class Slot(NamedTuple):
    """{name} in a template."""

    name: str


class Choice(NamedTuple):
    """[a|b] in a template."""

    options: tuple[tuple, ...]


_TOKEN = re.compile(r"\{(\w+)\}|\[([^\[\]]+)\]")


def compiled(template: str) -> tuple:
    """A template as literal strings, slots ({name}) and choices ([a|b])."""
    tokens: list = []
    position = 0
    for match in _TOKEN.finditer(template):
        if match.start() > position:
            tokens.append(template[position : match.start()])
        if match[1]:
            tokens.append(Slot(match[1]))
        else:
            tokens.append(Choice(tuple(compiled(option) for option in match[2].split("|"))))
        position = match.end()
    if position < len(template):
        tokens.append(template[position:])
    return tuple(tokens)


class Library(NamedTuple):
    """Every template, compiled once."""

    titles: dict[str, tuple]
    leads: dict[str, tuple]
    body: dict[str, tuple]
    quotes: dict[str, tuple]
    officials: dict[str, tuple]
    english: dict[str, tuple]
    generic: tuple
    generic_english: tuple
    burst: tuple
    vocab: dict[str, tuple]


@cache
def library() -> Library:
    """The compiled templates."""
    table = phrases()

    def each(field: Callable[[Theme], tuple[str, ...]]) -> dict[str, tuple]:
        return {key: tuple(map(compiled, field(theme))) for key, theme in table.themes.items()}

    return Library(
        titles=each(lambda theme: theme.titles),
        leads=each(lambda theme: theme.leads),
        body=each(lambda theme: theme.body),
        quotes=each(lambda theme: theme.quotes),
        officials=each(lambda theme: theme.officials),
        english=each(lambda theme: theme.english),
        generic=tuple(map(compiled, table.generic)),
        generic_english=tuple(map(compiled, table.generic_english)),
        burst=tuple(map(compiled, table.burst)),
        vocab={key: tuple(map(compiled, values)) for key, values in table.vocab.items()},
    )
