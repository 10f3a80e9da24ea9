"""The round log: one entry per round in the store's meta (watch_rounds.json), the newest last.

A round writes its entry when it starts (status running, with the time of the next round), at
each stage, and when it ends (done or failed, with its one-line summary and figures). A round
that finds the last entry still running holds the round lock, so that round was killed: it is
marked interrupted.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from data.store import Store

ROUNDS_META = "watch_rounds"
KEEP = 200  # entries kept


def last_rounds(store: Store, n: int = KEEP) -> list[dict[str, Any]]:
    """The last n rounds, newest last."""
    return store.read_meta(ROUNDS_META, [])[-n:]


class RoundLog:
    """The entry of the round being run, written through to the store at every change."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.rounds = last_rounds(store)
        self.entry: dict[str, Any] = {}

    def _save(self) -> None:
        self.store.write_meta(ROUNDS_META, self.rounds[-KEEP:])

    def begin(self, now: pd.Timestamp, next_round_at: pd.Timestamp | None) -> int:
        """Open the round's entry (marking a round left running as interrupted); its number."""
        if self.rounds and self.rounds[-1].get("status") == "running":
            self.rounds[-1]["status"] = "interrupted"
        number = (self.rounds[-1]["number"] + 1) if self.rounds else 1
        self.entry = {
            "number": number,
            "started_at": now.isoformat(),
            "status": "running",
            "stage": "start",
            "next_round_at": next_round_at.isoformat() if next_round_at is not None else None,
        }
        self.rounds.append(self.entry)
        self._save()
        return number

    def stage(self, name: str) -> None:
        """Note the stage the round has reached."""
        self.entry["stage"] = name
        self._save()

    def end(
        self,
        status: str,
        finished_at: pd.Timestamp,
        summary: str,
        figures: dict[str, Any] | None = None,
    ) -> None:
        """Close the entry: done or failed, when, the summary line and the figures."""
        self.entry.update(
            status=status,
            finished_at=finished_at.isoformat(),
            summary=summary,
            figures=figures or {},
        )
        self._save()
