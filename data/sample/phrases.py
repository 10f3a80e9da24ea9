"""The phrase tables of the sample (phrases.toml beside this module), read once on first use."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

PHRASES_FILE = Path(__file__).with_name("phrases.toml")


@dataclass(frozen=True)
class Theme:
    """One theme: how often it is covered, its rubric and its sentence templates."""

    label: str
    category: str
    weight: float
    officials: tuple[str, ...]
    titles: tuple[str, ...]
    leads: tuple[str, ...]
    body: tuple[str, ...]
    quotes: tuple[str, ...]
    english: tuple[str, ...]  # two English titles, then English sentences
    season: Mapping[int, float]  # month -> weight factor


class Phrases(NamedTuple):
    """Every phrase table of the sample."""

    themes: Mapping[str, Theme]
    generic: tuple[str, ...]  # sentences any story may use
    generic_english: tuple[str, ...]
    burst: tuple[str, ...]  # sentences only stories of the planted burst carry
    vocab: Mapping[str, tuple[str, ...]]  # slot values
    villages: tuple[str, ...]
    districts: tuple[str, ...]
    given_names: tuple[str, ...]
    family_names: tuple[str, ...]
    edits: tuple[tuple[str, str], ...]  # word swaps of an outlet that runs another's story
    title_edits: tuple[tuple[str, str], ...]


def _theme(table: dict) -> Theme:
    """A Theme from its table in the file."""
    texts = {key: tuple(value) for key, value in table.items() if isinstance(value, list)}
    season = {int(month): factor for month, factor in table.get("season", {}).items()}
    return Theme(
        label=table["label"],
        category=table["category"],
        weight=table["weight"],
        season=MappingProxyType(season),
        **texts,
    )


def _pairs(rows: list[list[str]]) -> tuple[tuple[str, str], ...]:
    """[old, new] rows as pairs."""
    return tuple((old, new) for old, new in rows)


@cache
def phrases() -> Phrases:
    """The phrase tables, read from the file once."""
    document = tomllib.loads(PHRASES_FILE.read_text(encoding="utf-8"))
    sentences, names, edits = document["sentences"], document["names"], document["edits"]
    return Phrases(
        themes=MappingProxyType({key: _theme(t) for key, t in document["themes"].items()}),
        generic=tuple(sentences["generic"]),
        generic_english=tuple(sentences["generic_english"]),
        burst=tuple(sentences["burst"]),
        vocab=MappingProxyType({key: tuple(v) for key, v in document["vocab"].items()}),
        villages=tuple(names["villages"]),
        districts=tuple(names["districts"]),
        given_names=tuple(names["given"]),
        family_names=tuple(names["family"]),
        edits=_pairs(edits["body"]),
        title_edits=_pairs(edits["title"]),
    )
