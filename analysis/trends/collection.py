"""Comparisons that hold the collection fixed, and collection changes in plain words.

A period compared with the one before is only news when both were collected alike. `comparison`
keeps the outlets collected throughout both sides -- by the collection model of data.collection:
the outlet's collection began before the earlier side and lasted to the end of the later one,
with no silence in between -- and weighs the articles now of an outlet whose volume jumped or
dropped in the span as the outlet weighed before (the idea behind Media Cloud's attention within
a fixed collection): an outlet added in the window, or back-filled to ten times its volume, then
moves no share, while a real burst in steadily collected outlets counts in full. An outlet
weighted up more than MAX_UPWEIGHT (a scraper that broke mid-window) is left out rather than
blown up from a handful of articles.

`collection_note` says what changed in a span ("3 outlets added on 2 Jun 2025; ...").
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.i18n.phrasing import format_ratio, sentence_count
from analysis.i18n.strings import said
from analysis.i18n.ui import format_day
from data.collection import (
    collection_changes,
    outlet_days,
    outlet_profiles,
)

#: Largest factor by which an outlet's articles now are weighted up to its share before.
MAX_UPWEIGHT = 3.0
#: Share of a side's articles from outlets not comparable that makes the collection changed.
CHANGED_SHARE = 0.1
#: Outlets named in a note before "and N more".
NAMED_OUTLETS = 3
#: Collection changes that re-weight an outlet's articles.
SHIFTS = ("jump", "drop")


@dataclass(frozen=True)
class Collection:
    """The collection model of a cube: per-outlet profiles and the collection changes."""

    profiles: pd.DataFrame
    changes: pd.DataFrame

    def comparable(self, start: pd.Timestamp, end: pd.Timestamp) -> tuple[set[str], set[str]]:
        """Outlets collected throughout start..end, and those of them to re-weight: every outlet
        but those added after start (a tenth of the span's days of slack) or stopped before end
        and those silent in between; the re-weighted ones jumped or dropped in between."""
        slack = pd.Timedelta(days=((end - start).days + 1) // 10)
        c = self.changes
        late = (c["kind"] == "added") & (c["day"] > start + slack)
        early = (c["kind"] == "stopped") & (c["day"] <= end)
        inside = (c["day"] <= end) & (c["until"] >= start)
        broken = set(c.loc[late | early | (inside & (c["kind"] == "gap")), "source"])
        shifted = set(c.loc[inside & c["kind"].isin(SHIFTS), "source"])
        kept = set(self.profiles["source"]) - broken
        return kept, kept & shifted


#: Collection models of the cubes still alive, by identity: a dashboard page asks for the model of
#: the same cube from several panels.
_MODELS: dict[int, tuple[weakref.ref, Collection]] = {}


def collection_of(cube: pd.DataFrame) -> Collection:
    """The collection model of the outlets in a coverage cube (made once per cube object)."""
    key = id(cube)
    known = _MODELS.get(key)
    if known is not None and known[0]() is cube:
        return known[1]
    daily = cube.groupby(["source", "day"], observed=True)["articles"].sum().reset_index()
    daily = outlet_days(daily["day"], daily["source"], daily["articles"])
    model = Collection(outlet_profiles(daily), collection_changes(daily))
    _MODELS[key] = (weakref.ref(cube, lambda _, key=key: _MODELS.pop(key, None)), model)
    return model


@dataclass(frozen=True)
class Comparison:
    """Two sides over the outlets collected throughout both.

    now           articles per key now (re-weighted where an outlet's volume shifted)
    total_now     per key, all articles now of the comparable outlets, weighted as for that key
    before        articles per key before; total_before all articles before of those outlets
    articles_now  all articles now of those outlets, unweighted
    outside       outlets with articles on either side that are not comparable
    outside_now, outside_before   share of each side's articles from those outlets
    """

    now: pd.Series
    total_now: pd.Series
    before: pd.Series
    total_before: float
    articles_now: float
    outside: tuple[str, ...]
    outside_now: float
    outside_before: float

    @property
    def changed(self) -> bool:
        """Whether outlets not collected alike carry enough of either side to bend a comparison."""
        return max(self.outside_now, self.outside_before) >= CHANGED_SHARE


def _per_outlet(rows: pd.DataFrame) -> pd.Series:
    """Articles per outlet (plain string index), outlets without articles left out."""
    counts = rows.groupby("source", observed=True)["articles"].sum()
    return counts.set_axis(counts.index.astype("object")).loc[lambda s: s > 0]


def _matrix(rows: pd.DataFrame, key: str, keys: pd.Index, outlets: list[str]) -> pd.DataFrame:
    """Articles per key (rows) and outlet (columns), zeros where there are none."""
    table = rows.assign(source=rows["source"].astype("object")).pivot_table(
        index=key, columns="source", values="articles", aggfunc="sum", observed=True
    )
    return table.reindex(index=keys, columns=outlets).fillna(0.0).astype("float64")


def _topic_weights(now: pd.DataFrame, before: pd.DataFrame, moved: list[str]) -> pd.DataFrame:
    """Per key and shifted outlet: the outlet's share before over its share now, both read from
    the other keys (so a burst that swells the outlet on one topic does not weigh that topic down;
    a back-fill that swells every topic does), at most MAX_UPWEIGHT."""
    rest_now = now[moved].sum().to_numpy() - now[moved].to_numpy()
    rest_before = before[moved].sum().to_numpy() - before[moved].to_numpy()
    total_now = now.to_numpy().sum() - now.sum(axis=1).to_numpy()[:, None]
    total_before = before.to_numpy().sum() - before.sum(axis=1).to_numpy()[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (rest_before / total_before) / (rest_now / total_now)
    ratio = np.where(np.isfinite(ratio), np.minimum(ratio, MAX_UPWEIGHT), 1.0)
    return pd.DataFrame(ratio, index=now.index, columns=moved)


def comparison(
    now: pd.DataFrame,
    before: pd.DataFrame,
    collection: Collection,
    span: tuple[pd.Timestamp, pd.Timestamp],
    key: str = "topic_id",
) -> Comparison:
    """Articles per key on both sides over the outlets collected throughout span."""
    comparable, shifted = collection.comparable(*span)
    a, b = _per_outlet(now), _per_outlet(before)
    kept = [o for o in sorted(comparable) if o in a.index or o in b.index]
    share_now = a.reindex(kept, fill_value=0) / max(a.reindex(kept, fill_value=0).sum(), 1)
    share_before = b.reindex(kept, fill_value=0) / max(b.reindex(kept, fill_value=0).sum(), 1)
    broke = [o for o in kept if o in shifted and share_before[o] > MAX_UPWEIGHT * share_now[o]]
    kept = [o for o in kept if o not in broke]
    keys = pd.Index(sorted(set(now[key]) | set(before[key])), name=key)
    counts_now, counts_before = _matrix(now, key, keys, kept), _matrix(before, key, keys, kept)
    weights = pd.DataFrame(1.0, index=keys, columns=kept)
    moved = [o for o in kept if o in shifted]
    if moved:
        weights[moved] = _topic_weights(counts_now, counts_before, moved)
    outside = a.index.union(b.index).difference(kept)
    return Comparison(
        now=(counts_now * weights).sum(axis=1),
        total_now=(weights * counts_now.sum().to_numpy()).sum(axis=1),
        before=counts_before.sum(axis=1),
        total_before=float(counts_before.to_numpy().sum()),
        articles_now=float(counts_now.to_numpy().sum()),
        outside=tuple(outside),
        outside_now=_share_from(a, outside),
        outside_before=_share_from(b, outside),
    )


def _share_from(per_outlet: pd.Series, outlets: pd.Index) -> float:
    """Share of the articles from the given outlets (0 without articles)."""
    total = per_outlet.sum()
    return (
        float(per_outlet.loc[per_outlet.index.intersection(outlets)].sum() / total)
        if total
        else 0.0
    )


def outside_share(now: pd.DataFrame, outside: tuple[str, ...], key: str = "topic_id") -> pd.Series:
    """Per key, the share of its articles now that come from outlets not collected alike."""
    from_outside = now["source"].astype("object").isin(outside).to_numpy()
    n = now["articles"].to_numpy(dtype="float64")
    frame = pd.DataFrame({"key": now[key].to_numpy(), "all": n, "outside": n * from_outside})
    sums = frame.groupby("key")[["all", "outside"]].sum()
    return (sums["outside"] / sums["all"].where(sums["all"] > 0)).fillna(0.0)


def changes_between(
    changes: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, sources=None
) -> pd.DataFrame:
    """The changes that begin from start to end (inclusive), of the given outlets if any."""
    keep = (changes["day"] >= start) & (changes["day"] <= end)
    if sources:
        keep &= changes["source"].isin(list(sources))
    return changes.loc[keep].reset_index(drop=True)


def _names(outlets: list[str], lang: str) -> str:
    """'A, B, C' or 'A, B, C and 2 more' / 'A, B, C dan 2 lainnya'."""
    shown = ", ".join(outlets[:NAMED_OUTLETS])
    rest = len(outlets) - NAMED_OUTLETS
    return shown + (said("trends", "collection_more", lang, n=rest) if rest > 0 else "")


def _when(days: pd.Series, lang: str) -> str:
    """'on 2 Jun 2025' or 'between 20 May and 10 Jun 2025'."""
    first, last = days.min(), days.max()
    if first == last:
        return said("trends", "collection_on", lang, day=format_day(first, lang))
    return said(
        "trends",
        "collection_between",
        lang,
        first=format_day(first, lang),
        last=format_day(last, lang),
    )


def _edge_sentence(rows: pd.DataFrame, kind: str, lang: str) -> str | None:
    """'3 outlets added on 2 Jun 2025 (A, B, C)' for the added or stopped rows."""
    picked = rows.loc[rows["kind"] == kind]
    if picked.empty:
        return None
    outlets = list(dict.fromkeys(picked["source"]))
    return said(
        "trends",
        f"collection_{kind}",
        lang,
        outlets=sentence_count(len(outlets), "outlet", lang),
        when=_when(picked["day"], lang),
        names=_names(outlets, lang),
    )


def _volume_sentence(rows: pd.DataFrame, lang: str) -> str | None:
    """'volume of A jumped 13x from 2 Jun 2025' for the largest jump, gaps and drops counted."""
    jumps = rows.loc[rows["kind"] == "jump"].assign(ratio=lambda f: f["observed"] / f["usual"])
    others = rows.loc[rows["kind"].isin(["gap", "drop"])]
    parts = []
    if not jumps.empty:
        top = jumps.sort_values("ratio", ascending=False).iloc[0]
        parts.append(
            said(
                "trends",
                "collection_jump",
                lang,
                outlet=top["source"],
                ratio=format_ratio(top["ratio"], lang),
                day=format_day(top["day"], lang),
            )
        )
    if not others.empty:
        outlets = list(dict.fromkeys(others["source"]))
        parts.append(
            said(
                "trends",
                "collection_gap",
                lang,
                outlets=sentence_count(len(outlets), "outlet", lang),
                names=_names(outlets, lang),
            )
        )
    return "; ".join(parts) or None


def collection_note(changes: pd.DataFrame, lang: str) -> str | None:
    """One paragraph on the collection changes given (None when there are none): outlets added
    and stopped, volume jumps and silences, and how comparisons treat them."""
    if changes.empty:
        return None
    sentences = [
        _edge_sentence(changes, "added", lang),
        _edge_sentence(changes, "stopped", lang),
        _volume_sentence(changes, lang),
    ]
    said_ = "; ".join(s for s in sentences if s)
    return said("trends", "collection_note", lang, changes=said_)
