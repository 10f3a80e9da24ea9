"""The story alone: every cleaning step applied to a body, in order."""

from __future__ import annotations

import pandas as pd

from data.boilerplate.inserts import promotions_removed, title_removed
from data.boilerplate.learned import LearnedBoilerplate, learned_removed
from data.boilerplate.lines import body_lines, reflowed, related_removed, trimmed, without_matching
from data.boilerplate.rules import AD_MARKERS, CALL_STARTS, CALL_TO_ACTION, NOISE_LINE, NOISE_STARTS
from data.boilerplate.words import mended


def clean_text(
    text: str, title: str | None = None, recurring: frozenset[str] = frozenset()
) -> tuple[str, int]:
    """The story alone from a news body, and how many lines or blocks were taken out."""
    if not isinstance(text, str) or not text.strip():
        return "", 0
    removed = 0
    for marker in AD_MARKERS:
        if marker in text:
            removed += text.count(marker)
            text = text.replace(marker, " ")
    lines, cut = without_matching(body_lines(text), NOISE_LINE, NOISE_STARTS)
    removed += cut
    lines, cut = trimmed(lines)
    removed += cut
    lines, cut = related_removed(lines)
    removed += cut
    lines, cut = without_matching(reflowed(lines), CALL_TO_ACTION, CALL_STARTS)
    removed += cut
    for step in (title_removed, promotions_removed):
        lines, cut = step(lines, title or "")
        removed += cut
    lines, cut = learned_removed(lines, recurring)
    removed += cut
    lines, cut = trimmed(lines)
    return mended("\n".join(lines)), removed + cut


def clean_texts(frame: pd.DataFrame, learned: LearnedBoilerplate) -> pd.DataFrame:
    """Cleaned text, stripped title and the number of lines removed, per row of frame."""
    titles = [t if isinstance(t, str) else "" for t in frame["title"]]
    results = [
        clean_text(text, title, learned.lines_for(source))
        for source, title, text in zip(frame["source"], titles, frame["text"], strict=True)
    ]
    return pd.DataFrame(
        {
            "text": [text for text, _ in results],
            "title": [" ".join(t.split()) for t in titles],
            "boilerplate_removed": pd.array([n for _, n in results], dtype="int64"),
        },
        index=frame.index,
    )
