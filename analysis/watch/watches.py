"""Watches: what a user asked to be told about, saved in the store's meta (watches.json).

A watch follows a keyword query (it fires on new articles that match), a topic (it fires when the
topic emerges), a region (when a topic emerges there) or everywhere (when any topic emerges).
Only `watches add` and `remove` (and the Data page) write the file, under a lock of their own, so
two editors never lose each other's change; the watcher only reads it.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

import pandas as pd

from analysis.briefing.content import ReportError, region_filter, region_name
from analysis.topics.build_folder import topic_edits
from analysis.topics.ids import edited_topics
from analysis.trends.query import parse_query
from data.store import Store

WATCHES_META = "watches"
KINDS = ("query", "topic", "region")


class WatchError(ValueError):
    """A watch that cannot be saved or removed as asked, with the reason in plain words."""


@dataclass(frozen=True)
class Watch:
    """One saved watch: id ('w3'), kind (query, topic, region), what it follows, its name.

    value: the query text, the topic id as text, the region code, or None for a region watch
    that follows everywhere. created_at (UTC, ISO): a query watch reads articles ingested after it.
    """

    id: str
    kind: str
    value: str | None
    name: str
    created_at: str

    @classmethod
    def from_dict(cls, entry: dict) -> Watch:
        return cls(**{key: entry.get(key) for key in cls.__dataclass_fields__})

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def topic_id(self) -> int:
        """The topic a topic watch follows."""
        return int(self.value)


def load_watches(store: Store) -> list[Watch]:
    """The store's watches, oldest first."""
    return [Watch.from_dict(entry) for entry in store.read_meta(WATCHES_META, [])]


@contextmanager
def _editing(store: Store) -> Iterator[list[Watch]]:
    """The watches, held under the watches lock; what the block leaves in the list is saved."""
    store.path.mkdir(parents=True, exist_ok=True)
    with open(store.path / ".watches.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # edits are quick: wait for the other editor
        try:
            watches = load_watches(store)
            yield watches
            store.write_meta(WATCHES_META, [watch.to_dict() for watch in watches])
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def topic_names(store: Store) -> dict[int, str]:
    """The current build's visible topics by id, with the user's renames (empty before a build)."""
    folder = store.current_build()
    if folder is None:
        return {}
    topics = edited_topics(pd.read_parquet(folder / "topics.parquet"), topic_edits(store))
    visible = topics.loc[~topics["hidden"]]
    return dict(zip(visible["topic_id"].astype(int), visible["label"], strict=True))


def checked_target(store: Store, kind: str, value: str | None) -> tuple[str | None, str]:
    """The value a watch of this kind stores and its default name; WatchError when it is wrong."""
    if kind not in KINDS:
        raise WatchError(f"a watch follows a {', a '.join(KINDS)}, not a {kind!r}")
    if kind == "query":
        try:
            parse_query(value or "")
        except ValueError as exc:
            raise WatchError(f"the query cannot be read: {exc}") from exc
        return value.strip(), value.strip()
    if kind == "topic":
        names = topic_names(store)
        try:
            topic = int(str(value).strip())
        except ValueError:
            raise WatchError(f"a topic is given by its number, not {value!r}") from None
        if names and topic not in names:
            raise WatchError(f"topic {topic} is not a visible topic of the current build")
        return str(topic), names.get(topic, f"topic {topic}")
    if value is None or not str(value).strip():
        return None, "Indonesia"
    try:
        region_filter(str(value).strip())
    except ReportError as exc:
        raise WatchError(str(exc)) from exc
    return str(value).strip(), region_name(str(value).strip())


def add_watch(store: Store, kind: str, value: str | None, name: str | None = None) -> Watch:
    """Save a new watch and return it (WatchError when its target cannot be followed)."""
    stored, default_name = checked_target(store, kind, value)
    with _editing(store) as watches:
        number = 1 + max((int(w.id.lstrip("w")) for w in watches if w.id[1:].isdigit()), default=0)
        watch = Watch(
            id=f"w{number}",
            kind=kind,
            value=stored,
            name=(name or "").strip() or default_name,
            created_at=pd.Timestamp.now("UTC").isoformat(),
        )
        watches.append(watch)
    return watch


def remove_watch(store: Store, watch_id: str) -> Watch:
    """Remove a watch by id and return it (WatchError when there is none)."""
    with _editing(store) as watches:
        found = next((w for w in watches if w.id == watch_id), None)
        if found is None:
            known = ", ".join(w.id for w in watches) or "none"
            raise WatchError(f"no watch {watch_id!r} (saved: {known})")
        watches.remove(found)
    return found
