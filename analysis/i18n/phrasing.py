"""Numbers and labels written out for the Indonesian (id) and English (en) sentences."""

from __future__ import annotations

import pandas as pd

#: English plurals of the nouns used in generated sentences (Indonesian nouns do not inflect).
PLURALS = {
    "article": "articles",
    "outlet": "outlets",
    "province": "provinces",
    "story": "stories",
}


def format_count(n: float, lang: str) -> str:
    """A whole number with thousands separators: 1,234 (en) or 1.234 (id)."""
    text = f"{round(n):,}"
    return text.replace(",", ".") if lang == "id" else text


def format_decimal(x: float, lang: str, digits: int = 1) -> str:
    """A number with a fixed number of decimals: 3.1 (en) or 3,1 (id)."""
    text = f"{x:.{digits}f}"
    return text.replace(".", ",") if lang == "id" else text


def format_ratio(x: float, lang: str) -> str:
    """A ratio such as 3.1x (en) / 3,1x (id); whole numbers from 10x up."""
    return f"{format_decimal(x, lang, 1 if round(x, 1) < 10 else 0)}x"


def counted(n: float, noun: str) -> str:
    """An English count with its noun in the right number: '1 outlet', '9 outlets'."""
    return f"{format_count(n, 'en')} {noun if round(n) == 1 else PLURALS[noun]}"


def sentence_count(n: float, noun: str, lang: str) -> str:
    """A count as a sentence in lang writes it: '42 articles' (en); '42' (id), the Indonesian
    sentence writing the noun itself, which does not inflect."""
    return counted(n, noun) if lang == "en" else format_count(n, lang)


def topic_labels(topic_ids: pd.Series, topics: pd.DataFrame | None) -> pd.Series:
    """The label of each topic id from a (topic_id, label) frame; 'topic N' where unknown."""
    fallback = "topic " + topic_ids.astype(str)
    if topics is None:
        return fallback
    labels = topics.drop_duplicates("topic_id").set_index("topic_id")["label"]
    return topic_ids.map(labels).astype("object").where(lambda s: s.notna(), fallback)
