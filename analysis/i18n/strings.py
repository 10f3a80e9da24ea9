"""The string tables beside this module: NAME.toml, one table of texts per language."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).parent


@cache
def strings(name: str) -> dict[str, dict[str, str]]:
    """The string table NAME.toml as language -> key -> text, read once."""
    with (FOLDER / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


def said(table: str, key: str, lang: str, **values: object) -> str:
    """The text under key in lang of the string table, with values filled in."""
    return strings(table)[lang][key].format(**values)
