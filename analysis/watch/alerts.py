"""Alerts: what fires for each watch in a round, in plain words, with the articles behind it.

A topic, region or everywhere watch fires once per rising story: the watcher's state remembers
each (watch, topic) rise already alerted and forgets it only after the topic has stopped rising
for RISE_ENDS_AFTER, so a rise that goes on is never alerted twice and a later rise is. A query
watch fires on the articles ingested since it last read (each article once), like a news alert.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from analysis.i18n.strings import said
from analysis.trends.cube import wib_days
from analysis.trends.keywords import article_texts, keyword_mask
from analysis.watch.rising import Rising, rising_rows
from analysis.watch.watches import Watch
from data.store import Store

RISE_ENDS_AFTER = pd.Timedelta(days=1)
TOP_ARTICLES = 3
QUERY_COLUMNS = ["article_id", "title", "text", "url", "source", "published_at", "ingested_at"]


@dataclass(frozen=True)
class Alert:
    """One alert: the watch that fired, why (subject and sentence), figures and top articles."""

    id: str
    watch: dict[str, Any]  # id, name, kind, value
    created_at: str  # UTC, ISO
    lang: str
    subject: str
    why: str
    articles: list[dict[str, Any]]  # title, url, source, published_at (ISO)
    figures: dict[str, Any]

    @classmethod
    def from_dict(cls, entry: dict[str, Any]) -> Alert:
        return cls(**{key: entry[key] for key in cls.__dataclass_fields__})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def text(self) -> str:
        """The alert as plain text: subject, why, then the top articles with their links."""
        lines = [self.subject, "", self.why]
        if self.articles:
            lines += ["", said("watch", "articles_heading", self.lang)]
            lines += [f"- {a['title']} ({a['source']})\n  {a['url']}" for a in self.articles]
        return "\n".join(lines)


def _stamp(now: pd.Timestamp) -> str:
    return pd.Timestamp(now).tz_convert("UTC").strftime("%Y%m%dT%H%M%SZ")


def top_articles(articles: pd.DataFrame, n: int = TOP_ARTICLES) -> list[dict[str, Any]]:
    """The n newest articles, one per title, as title, url, source and published_at."""
    newest = articles.sort_values("published_at", ascending=False, na_position="last")
    rows = newest.drop_duplicates("title").head(n)
    return [
        {
            "title": str(row["title"]),
            "url": row["url"] if isinstance(row["url"], str) else None,
            "source": row["source"] if isinstance(row["source"], str) else None,
            "published_at": row["published_at"].isoformat()
            if pd.notna(row["published_at"])
            else None,
        }
        for row in rows.to_dict("records")
    ]


def _watch_fields(watch: Watch) -> dict[str, Any]:
    return {"id": watch.id, "name": watch.name, "kind": watch.kind, "value": watch.value}


def _in_region(articles: pd.DataFrame, region: str | None) -> pd.Series:
    """Which articles lie in a province ('36') or regency ('36.73') code (all for None)."""
    if region is None:
        return pd.Series(True, index=articles.index)
    column = "regency_code" if "." in region else "province_code"
    return articles[column] == region


def emerging_alert(
    watch: Watch, row: dict[str, Any], rising: Rising, now: pd.Timestamp, lang: str
) -> Alert:
    """The alert of a watch whose topic (or a topic in whose region) is rising."""
    region = watch.value if watch.kind == "region" else None
    articles = rising.articles
    chosen = articles[
        (articles["topic_id"] == row["topic_id"])
        & _in_region(articles, region)
        & (wib_days(articles["published_at"]) >= rising.window_start())
    ]
    status = said("watch", f"status_{row['status']}", lang)
    return Alert(
        id=f"{_stamp(now)}-{watch.id}-t{int(row['topic_id'])}",
        watch=_watch_fields(watch),
        created_at=pd.Timestamp(now).isoformat(),
        lang=lang,
        subject=said(
            "watch",
            "subject_emerging",
            lang,
            name=watch.name,
            label=row["topic_label"],
            status=status,
        ),
        why=said(
            "watch",
            "why_emerging",
            lang,
            label=row["topic_label"],
            status=status,
            window=pd.Timedelta(rising.window).days,
            baseline=int(row["baseline_days"]),
            explanation=row[f"explanation_{lang}"],
        ),
        articles=top_articles(chosen),
        figures={
            "topic_id": int(row["topic_id"]),
            "topic_label": row["topic_label"],
            "status": row["status"],
            "effect": None if pd.isna(row["effect"]) else round(float(row["effect"]), 2),
            "articles": int(row["articles"]),
            "baseline_articles": int(row["baseline_articles"]),
            "outlets": int(row["outlets"]),
            "provinces": int(row["provinces"]),
            "as_of": f"{rising.as_of:%Y-%m-%d}",
        },
    )


def rise_key(watch: Watch, topic_id: int) -> str:
    """The key of one (watch, topic) rise in the watcher's state."""
    return f"{watch.id}:{int(topic_id)}"


def watched_rows(watch: Watch, rising: Rising) -> list[dict[str, Any]]:
    """The rising rows a topic or region watch fires on (none for a query watch)."""
    if watch.kind == "topic":
        return [
            row for row in rising_rows(rising.ranked[None]) if row["topic_id"] == watch.topic_id
        ]
    if watch.kind == "region":
        return rising_rows(rising.ranked[watch.value])
    return []


def emerging_alerts(
    watches: list[Watch],
    rising: Rising,
    rises: dict[str, dict[str, str]],
    now: pd.Timestamp,
    lang: str,
) -> tuple[list[Alert], dict[str, dict[str, str]]]:
    """Alerts for the rises not alerted yet, and the rises to remember (since, last_seen)."""
    alerts: list[Alert] = []
    seen = dict(rises)
    stamp = pd.Timestamp(now).isoformat()
    for watch in watches:
        for row in watched_rows(watch, rising):
            key = rise_key(watch, row["topic_id"])
            if key not in seen:
                alerts.append(emerging_alert(watch, row, rising, now, lang))
                seen[key] = {"since": stamp}
            seen[key] = {**seen[key], "last_seen": stamp}
    watched = {watch.id for watch in watches}
    kept = {
        key: rise
        for key, rise in seen.items()
        if key.split(":")[0] in watched
        and pd.Timestamp(now) - pd.Timestamp(rise["last_seen"]) < RISE_ENDS_AFTER
    }
    return alerts, kept


def new_articles(store: Store, since: pd.Timestamp) -> pd.DataFrame:
    """The store's articles ingested after since (with their text), once each."""
    ingested = store.articles(["article_id", "ingested_at"])
    if not (pd.to_datetime(ingested["ingested_at"], utc=True) > since).any():
        return pd.DataFrame(columns=QUERY_COLUMNS)
    articles = store.articles(QUERY_COLUMNS).drop_duplicates("article_id")
    at = pd.to_datetime(articles["ingested_at"], utc=True)
    return articles.loc[at > since].assign(ingested_at=at[at > since])


def query_alert(watch: Watch, matches: pd.DataFrame, now: pd.Timestamp, lang: str) -> Alert:
    """The alert of a query watch with the new articles that match it."""
    count = len(matches)
    return Alert(
        id=f"{_stamp(now)}-{watch.id}-q",
        watch=_watch_fields(watch),
        created_at=pd.Timestamp(now).isoformat(),
        lang=lang,
        subject=said("watch", "subject_query", lang, name=watch.name, articles=count),
        why=said("watch", "why_query", lang, articles=count, query=watch.value),
        articles=top_articles(matches),
        figures={"articles": count, "query": watch.value},
    )


def query_alerts(
    store: Store, watches: list[Watch], marks: dict[str, str], now: pd.Timestamp, lang: str
) -> tuple[list[Alert], dict[str, str]]:
    """Alerts of query watches on the articles ingested since each last read, and the new marks
    (the latest ingest time read, per watch)."""
    queries = [watch for watch in watches if watch.kind == "query"]
    if not queries:
        return [], {}
    read_from = {w.id: pd.Timestamp(marks.get(w.id, w.created_at)) for w in queries}
    fresh = new_articles(store, min(read_from.values()))
    alerts: list[Alert] = []
    for watch in queries:
        unread = fresh[fresh["ingested_at"] > read_from[watch.id]]
        if unread.empty:
            continue
        matches = unread[keyword_mask(article_texts(unread), watch.value).to_numpy()]
        if len(matches):
            alerts.append(query_alert(watch, matches, now, lang))
    latest = fresh["ingested_at"].max() if len(fresh) else None
    return alerts, {
        w.id: (
            latest if latest is not None and latest > read_from[w.id] else read_from[w.id]
        ).isoformat()
        for w in queries
    }
