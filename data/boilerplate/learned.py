"""Boilerplate learned per outlet: lines and sentences an outlet repeats across many of its
articles, counted as bodies arrive, and taken out of later bodies."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

import pandas as pd

from data.boilerplate.lines import body_lines, reflowed
from data.boilerplate.rules import (
    DIGITS,
    HAS_LETTER,
    MAX_UNIT_CHARS,
    UNIT_PARTS,
    UNIT_SPLIT,
    ZERO_DIGITS,
)


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
    body = _digits_collapsed("\n".join(reflowed(body_lines(text))).lower())
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


def learned_removed(lines: list[str], recurring: frozenset[str]) -> tuple[list[str], int]:
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
    return body_lines("".join(kept)), removed


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
        return self.update_sampled(self.sampled(frame))

    def sampled(self, frame: pd.DataFrame) -> dict[str, list[str]]:
        """The bodies of frame (columns source, text) that update counts, by outlet: an even
        sample of per_batch at most per outlet (what a worker sends back to be counted)."""
        texts: dict[str, list[str]] = {}
        for source, text in zip(frame["source"], frame["text"], strict=True):
            if isinstance(source, str) and source and isinstance(text, str) and text:
                texts.setdefault(source, []).append(text)
        return {
            source: bodies[:: -(-len(bodies) // self.per_batch)] for source, bodies in texts.items()
        }

    def update_sampled(self, samples: Mapping[str, list[str]]) -> LearnedBoilerplate:
        """A new object that has also counted sampled bodies by outlet (see sampled)."""
        outlets = dict(self.outlets)
        for source, bodies in samples.items():
            outlets[source] = self._counted(outlets.get(source, Outlet()), bodies)
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
