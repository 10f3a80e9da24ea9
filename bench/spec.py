"""What a benchmark job is given, and the timing of its parts."""

from __future__ import annotations

import json
import shutil
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from bench.corpus import corpus_files
from data.store import Store

Result = dict[str, Any]
Parts = dict[str, Result]


@dataclass(frozen=True)
class JobSpec:
    """One job of one run: its name, the run's work folder, corpus size or input data, options."""

    job: str
    folder: Path
    size: int | None
    seed: int
    data: tuple[str, ...] | None = None
    options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> JobSpec:
        """A spec written by write()."""
        raw = json.loads(path.read_text(encoding="utf-8"))
        data = tuple(raw["data"]) if raw["data"] else None
        return cls(**raw | {"folder": Path(raw["folder"]), "data": data})

    def write(self, path: Path) -> None:
        """Save the spec as JSON for the job's process."""
        path.write_text(json.dumps(asdict(self), default=str), encoding="utf-8")

    @property
    def store(self) -> Store:
        """The run's store."""
        return Store(self.folder / "store")

    def inputs(self) -> list[Path]:
        """The user's input paths, or the synthetic corpus files of the run's folder."""
        if self.data:
            return [Path(p) for p in self.data]
        return corpus_files(self.folder / "corpus")


def fresh_store(folder: Path) -> Store:
    """An empty store at folder (whatever was there is removed)."""
    shutil.rmtree(folder, ignore_errors=True)
    return Store(folder)


def store_corpus(store: Store) -> pd.DataFrame:
    """The articles a topic build reads, in its order."""
    from analysis.topics.build import corpus

    return corpus(store)


@contextmanager
def clock(parts: Parts, name: str, items: int = 0) -> Iterator[Result]:
    """Add the block's wall and CPU seconds and its items to parts[name] (yielded, to add items)."""
    part = parts.setdefault(name, {"items": 0, "seconds": 0.0, "cpu_seconds": 0.0})
    wall, cpu = time.perf_counter(), time.process_time()
    yield part
    part["items"] += items
    part["seconds"] += time.perf_counter() - wall
    part["cpu_seconds"] += time.process_time() - cpu


def repeated(call: Callable[[], object], items: int, repeat: int) -> Result:
    """Median wall and CPU seconds of repeat calls after one warm-up call."""
    call()
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {
        "items": items,
        "seconds": statistics.median(walls),
        "cpu_seconds": statistics.median(cpus),
    }


def result_of(parts: Parts, *names: str, **figures: Any) -> Result:
    """A job's result: items of the first named part, seconds summed over the named parts."""
    chosen = [parts[name] for name in names]
    return {
        "items": chosen[0]["items"],
        "seconds": sum(p["seconds"] for p in chosen),
        "cpu_seconds": sum(p["cpu_seconds"] for p in chosen),
        "parts": parts,
        **figures,
    }
