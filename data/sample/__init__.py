"""A seeded synthetic corpus that looks like two years of Indonesian regional news, messy as real
input.

Every outlet, person, company and event in it is invented; every outlet domain ends in .example.id.
Places are real regencies and provinces. `PLANTED` says which patterns were planted (a burst, a new
theme, a seasonal theme, regional specialities, a syndicated-only burst) so that tests and the
analysis layer can check that they are found.

The package owns the generator and nothing else: `plan` (what is planted), `phrases` and `outlets`
(the tables, read from phrases.toml and outlets.toml beside them on first use), `corpus` (the
calendar, the places and the weights stories are drawn from), `templates` and `writer` (filling a
phrase), `stories` (what an article says), `dates` and `publishing` (how an outlet dresses it),
`rows` (every row, block by block, each block from its own seed), `output` (frames and raw files)
and `synthetic` (how the sample is recognised). It imports only data.regions and data.schema.
"""

from __future__ import annotations

from collections.abc import Callable

from data.sample.corpus import MIN_ARTICLES
from data.sample.outlets import outlet_tables as _outlet_tables
from data.sample.output import TRUTH_COLUMNS, labelled_frames, sample_frames, write_sample
from data.sample.phrases import phrases as _phrases
from data.sample.plan import DEFAULT_END, DEFAULT_MONTHS, MIN_MONTHS, SamplePlan, sample_plan
from data.sample.synthetic import SAMPLE_DOMAIN, SYNTHETIC_NOTICE, is_sample, is_sample_store

__all__ = [
    "DEFAULT_END",
    "DEFAULT_MONTHS",
    "DISTRICTS",
    "FILES",
    "MIN_ARTICLES",
    "MIN_MONTHS",
    "OUTLETS",
    "PLANTED",
    "SAMPLE_DOMAIN",
    "SYNTHETIC_NOTICE",
    "THEMES",
    "TRUTH_COLUMNS",
    "VILLAGES",
    "SamplePlan",
    "is_sample",
    "is_sample_store",
    "labelled_frames",
    "sample_frames",
    "sample_plan",
    "write_sample",
]

#: Names made from the tables, on first use, so that importing the package reads no table.
_FROM_TABLES: dict[str, Callable[[], object]] = {
    "PLANTED": sample_plan,
    "THEMES": lambda: _phrases().themes,
    "VILLAGES": lambda: _phrases().villages,
    "DISTRICTS": lambda: _phrases().districts,
    "OUTLETS": lambda: _outlet_tables().outlets,
    "FILES": lambda: _outlet_tables().files,
}


def __getattr__(name: str) -> object:
    """One of the names made from the tables, made once."""
    if name not in _FROM_TABLES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = _FROM_TABLES[name]()
    return value
