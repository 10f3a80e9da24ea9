"""The numbers behind each dashboard panel, from the coverage cube and the build's tables."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache

import numpy as np
import pandas as pd
import stopwordsiso

from analysis.dashboard.filters import Filters, article_mask, emerging_window, window_rows
from analysis.dashboard.places import province_names, regency_names
from analysis.i18n.strings import said
from analysis.trends.collection import (
    changes_between,
    collection_note,
    collection_of,
    comparison,
)
from analysis.trends.cube import period_starts, period_step
from analysis.trends.emerging import emerging_topics
from analysis.trends.share import keyword_share, period_volume, topic_share
from analysis.trends.summary import period_summary
from analysis.trends.words import distinctive_words
from data.regions import provinces

HEADLINE_METRICS = ("articles", "stories", "outlets", "places", "topics")
TOP_PLACES = 3
RELATED = 5
WORDS_BEFORE_PERIODS = 4


def headline_figures(cube: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Articles, distinct stories, outlets, places and topics in the period and the one before;
    comparable is False for every figure when the outlets collected changed between the two
    (a change of collection, not of the news)."""
    place = "regency_code" if filters.province_code else "province_code"

    def figures(rows: pd.DataFrame) -> list[float]:
        topics = rows.loc[rows["topic_id"] != -1, "topic_id"]
        return [
            int(rows["articles"].sum()),
            float(rows["stories"].sum()),
            int(rows["source"].nunique()),
            int(rows[place].nunique()),
            int(topics.nunique()),
        ]

    now_rows, before_rows = window_rows(cube, filters), window_rows(cube, filters.previous())
    span = (filters.previous().start, filters.end)
    changed = comparison(now_rows, before_rows, collection_of(cube), span).changed
    return pd.DataFrame(
        {
            "metric": HEADLINE_METRICS,
            "now": figures(now_rows),
            "before": figures(before_rows),
            "comparable": not changed,
        }
    )


def collection_changes(cube: pd.DataFrame) -> pd.DataFrame:
    """Every collection change of the archive (data.collection.collection_changes)."""
    return collection_of(cube).changes


def collection_marks(cube: pd.DataFrame, filters: Filters, lang: str) -> pd.DataFrame:
    """The periods of the chosen days whose collection changed: period, text ('Okezone:
    collection began<br>...')."""
    changes = changes_between(
        collection_of(cube).changes, filters.start, filters.end, list(filters.sources) or None
    )
    if changes.empty:
        return pd.DataFrame({"period": pd.Series(dtype="datetime64[s]"), "text": []})
    kinds = changes["kind"].map(lambda kind: said("ui", f"change_{kind}", lang))
    lines = pd.Series(
        (changes["source"].map(html.escape) + ": " + kinds).to_numpy(),
        index=period_starts(changes["day"].to_numpy(), filters.freq),
    )
    texts = lines.groupby(level=0).agg("<br>".join)
    return pd.DataFrame({"period": texts.index.astype("datetime64[s]"), "text": texts.to_numpy()})


def collection_changes_note(cube: pd.DataFrame, filters: Filters, lang: str) -> str | None:
    """The collection changes across the comparisons the period's pages make (from the start of
    the emerging baseline to the period's end), in plain words; None when there are none."""
    window, baseline = emerging_window(filters)
    start = filters.end - pd.Timedelta(window) - pd.Timedelta(baseline) + pd.Timedelta(days=1)
    sources = list(filters.sources) or None
    changes = changes_between(collection_of(cube).changes, start, filters.end, sources)
    return collection_note(changes, lang)


def volume_in_period(
    cube: pd.DataFrame, filters: Filters, as_of: pd.Timestamp | None = None
) -> pd.DataFrame:
    """Articles per period of the filters' days (with gap and partial flags): the bars add up to
    the period's articles, and a period the range cuts is partial."""
    return period_volume(
        cube,
        filters.freq,
        start=filters.start,
        end=filters.end,
        as_of=as_of,
        **filters.cube_filters(),
    )


def top_topics(
    cube: pd.DataFrame, topics: pd.DataFrame, filters: Filters, n: int = 10
) -> pd.DataFrame:
    """The n visible topics with most articles in the period, with their share before."""
    summary = period_summary(
        cube,
        filters.start,
        filters.end,
        topics=topics[["topic_id", "label"]],
        top=len(topics) + 1,
        **filters.cube_filters(),
    )["topics"]
    shown = summary.loc[summary["topic_id"].isin(topics["topic_id"]) & (summary["count_now"] > 0)]
    return shown.head(n).reset_index(drop=True)


def emerging(cube: pd.DataFrame, topics: pd.DataFrame, filters: Filters, lang: str) -> pd.DataFrame:
    """Visible topics ranked by their rise in the period: status, effect, counts, explanation."""
    window, baseline = emerging_window(filters)
    table = emerging_topics(
        cube,
        as_of=filters.end,
        window=window,
        baseline=baseline,
        topics=topics[["topic_id", "label"]],
        **filters.cube_filters(),
    )
    shown = table.loc[table["topic_id"].isin(topics["topic_id"])]
    return shown.assign(explanation=shown[f"explanation_{lang}"]).reset_index(drop=True)


def _named(codes: pd.Series, level: str) -> pd.Series:
    """Official names of province or regency codes."""
    names = regency_names() if level == "regency_code" else province_names()
    return codes.map(names).fillna(codes)


def place_volume(
    cube: pd.DataFrame,
    filters: Filters,
    topic_id: int | None = None,
    level: str = "province_code",
) -> pd.DataFrame:
    """Per place: articles (on the topic, if given), all articles and the topic's share there."""
    rows = window_rows(cube, filters)
    rows = rows.loc[rows[level].notna()]
    total = rows.groupby(level, observed=True)["articles"].sum()
    picked = rows if topic_id is None else rows.loc[rows["topic_id"] == topic_id]
    count = (
        picked.groupby(level, observed=True)["articles"].sum().reindex(total.index, fill_value=0)
    )
    table = pd.DataFrame(
        {"code": total.index.astype(str), "articles": count.to_numpy(), "total": total.to_numpy()}
    )
    return table.assign(
        name=_named(table["code"], level),
        share=np.where(table["total"] > 0, table["articles"] / table["total"].clip(lower=1), 0.0),
    ).sort_values(["articles", "code"], ascending=[False, True], ignore_index=True)


def map_values(by_province: pd.DataFrame) -> pd.DataFrame:
    """Province figures summed onto the map's shapes (newer provinces drawn on their parent)."""
    features = provinces().set_index("province_code")["map_feature"]
    table = by_province.assign(feature=by_province["code"].map(features)).dropna(subset="feature")
    grouped = table.groupby("feature").agg(
        articles=("articles", "sum"), total=("total", "sum"), name=("name", " / ".join)
    )
    return grouped.assign(share=lambda f: f["articles"] / f["total"].clip(lower=1)).reset_index()


def topic_table(
    cube: pd.DataFrame, topics: pd.DataFrame, filters: Filters, statuses: pd.Series
) -> pd.DataFrame:
    """Every visible topic: label, keywords, articles and share in the period, trend, top regions."""
    rows = window_rows(cube, filters)
    total = max(int(rows["articles"].sum()), 1)
    count = rows.groupby("topic_id")["articles"].sum()
    starts = period_starts(rows["day"].to_numpy(), filters.freq)
    grid = pd.Series(rows["articles"].to_numpy(), index=[rows["topic_id"].to_numpy(), starts])
    per_period = grid.groupby(level=[0, 1]).sum().unstack(fill_value=0)
    trend = {t: per_period.loc[t].tolist() for t in per_period.index}
    placed = rows.loc[rows["province_code"].notna()]
    by_place = (
        placed.groupby(["topic_id", "province_code"], observed=True)["articles"]
        .sum()
        .reset_index()
        .sort_values(["topic_id", "articles"], ascending=[True, False])
    )
    by_place = by_place.loc[by_place["articles"] > 0].groupby("topic_id").head(TOP_PLACES)
    names = by_place.assign(name=_named(by_place["province_code"].astype(str), "province_code"))
    regions = names.groupby("topic_id")["name"].agg(", ".join)
    ids = topics["topic_id"]
    articles = ids.map(count).fillna(0).astype("int64")
    return pd.DataFrame(
        {
            "topic_id": ids.to_numpy(),
            "label": topics["label"].to_numpy(),
            "keywords": [", ".join(list(k)[:6]) for k in topics["keywords"]],
            "articles": articles.to_numpy(),
            "share": (articles / total).to_numpy(),
            "trend": [trend.get(t, []) for t in ids],
            "status": ids.map(statuses).fillna("steady").to_numpy(),
            "regions": ids.map(regions).fillna("").to_numpy(),
        }
    ).sort_values(["articles", "topic_id"], ascending=[False, True], ignore_index=True)


def angle_sentence(explanation: str) -> str:
    """A story-angle sentence for readers: capitalised, without its z-score."""
    sentence = re.sub(r"\s*\(z=[^)]*\)$", "", explanation.strip())
    return sentence[:1].upper() + sentence[1:]


def topic_outlets(cube: pd.DataFrame, topic_id: int, filters: Filters) -> pd.DataFrame:
    """Outlets carrying a topic in the period: source, articles, share of the topic's articles."""
    rows = window_rows(cube, filters)
    rows = rows.loc[rows["topic_id"] == topic_id]
    counts = rows.groupby("source", observed=True)["articles"].sum().sort_values(ascending=False)
    counts = counts.loc[counts > 0]
    return pd.DataFrame(
        {
            "source": counts.index.astype(str),
            "articles": counts.to_numpy(),
            "share": counts.to_numpy() / max(int(counts.sum()), 1),
        }
    )


def topic_words(words_by_period: pd.DataFrame, topic_id: int, filters: Filters) -> pd.DataFrame:
    """A topic's top words per month of the period, and the words new against the month before."""
    rows = words_by_period.loc[words_by_period["topic_id"] == topic_id].sort_values("period")
    keywords = [list(k) for k in rows["keywords"]]
    new = [
        [w for w in now if prev is not None and w not in set(prev)]
        for now, prev in zip(keywords, [None, *keywords[:-1]], strict=True)
    ]
    table = pd.DataFrame(
        {
            "period": rows["period"].astype(str).to_numpy(),
            "articles": rows["n_articles"].to_numpy(),
            "keywords": [", ".join(k) for k in keywords],
            "new_words": [", ".join(w) for w in new],
        }
    )
    first, last = f"{filters.start:%Y-%m}", f"{filters.end:%Y-%m}"
    inside = (table["period"] >= first) & (table["period"] <= last)
    return table.loc[inside].sort_values("period", ascending=False, ignore_index=True)


def related_topics(topics: pd.DataFrame, topic_id: int, n: int = RELATED) -> pd.DataFrame:
    """The n visible topics whose centres are closest to a topic's: topic_id, label, similarity."""
    if "centroid" not in topics.columns or topic_id not in set(topics["topic_id"]):
        return pd.DataFrame({"topic_id": [], "label": [], "similarity": []})
    centres = np.vstack(topics["centroid"].to_numpy()).astype("float64")
    norms = np.linalg.norm(centres, axis=1, keepdims=True)
    centres = centres / np.where(norms > 0, norms, 1.0)
    row = int(np.flatnonzero(topics["topic_id"].to_numpy() == topic_id)[0])
    similarity = centres @ centres[row]
    table = pd.DataFrame(
        {
            "topic_id": topics["topic_id"].to_numpy(),
            "label": topics["label"].to_numpy(),
            "similarity": similarity,
        }
    )
    others = table.loc[table["topic_id"] != topic_id]
    return others.sort_values("similarity", ascending=False).head(n).reset_index(drop=True)


def representative_articles(
    articles: pd.DataFrame, topics: pd.DataFrame, topic_id: int
) -> pd.DataFrame:
    """The build's most typical articles of a topic (and of topics merged into it)."""
    members = topics.loc[
        (topics["topic_id"] == topic_id) | (topics["merged_into"] == topic_id),
        "representative_ids",
    ]
    ids = [a for ids in members for a in list(ids)]
    return articles.loc[articles["article_id"].isin(ids)].sort_values("published_at")


def latest_articles(
    articles: pd.DataFrame, filters: Filters, topic_id: int | None = None, n: int = 20
) -> pd.DataFrame:
    """The n newest articles in the filters (on one topic if given)."""
    mask = article_mask(articles, filters)
    if topic_id is not None:
        mask = mask & (articles["topic_id"] == topic_id).to_numpy()
    return articles.loc[mask].sort_values("published_at", ascending=False).head(n)


# -- series on one chart ---------------------------------------------------------------------------


def series_shares(
    cube: pd.DataFrame,
    filters: Filters,
    topic_labels: dict[int, str],
    query_cubes: dict[str, pd.DataFrame],
    as_of: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Share per period of topics and keyword queries on one table: series, label, count, share..."""
    span = {"start": filters.start, "end": filters.end, "as_of": as_of, **filters.cube_filters()}
    frames = []
    if topic_labels:
        shares = topic_share(cube, list(topic_labels), filters.freq, **span)
        frames.append(
            shares.assign(
                series=[f"t{t}" for t in shares["topic_id"]],
                label=shares["topic_id"].map(topic_labels),
            ).drop(columns="topic_id")
        )
    for query, matches in query_cubes.items():
        shares = keyword_share(cube, matches, query, filters.freq, **span)
        frames.append(
            shares.assign(series=f"q:{query}", label=query_label(query)).drop(columns="query")
        )
    if not frames:
        return pd.DataFrame(
            columns=["period", "series", "label", "count", "total", "share", "ci_low", "ci_high"]
        )
    return pd.concat(frames, ignore_index=True)


def query_label(query: str) -> str:
    """A keyword query as a series name: in quotes, unless it already holds some."""
    return query if '"' in query else f"“{query}”"


def period_span(period: pd.Timestamp, freq: str, before: int = 0) -> tuple[pd.Timestamp, ...]:
    """First and last day of a period, or of the `before` periods just ahead of it."""
    step = period_step(freq)
    start = pd.Timestamp(period)
    if before:
        return start - step * before, start - pd.Timedelta(days=1)
    return start, start + step - pd.Timedelta(days=1)


def period_articles(
    articles: pd.DataFrame, filters: Filters, members: np.ndarray, span: tuple[pd.Timestamp, ...]
) -> pd.DataFrame:
    """Member articles inside the filters over a span of days, newest first."""
    mask = members & article_mask(articles, replace(filters, start=span[0], end=span[1]))
    return articles.loc[mask].sort_values("published_at", ascending=False)


def period_words(
    texts: pd.DataFrame, now: pd.DataFrame, before: pd.DataFrame, top: int = 12
) -> pd.DataFrame:
    """Words over-used by the articles `now` against `before`, English function words left out."""
    by_id = texts.set_index("article_id")["text"]
    words = distinctive_words(
        by_id.reindex(now["article_id"]).dropna(),
        by_id.reindex(before["article_id"]).dropna(),
        top=3 * top,
    )
    english = english_stop_words()
    parts = words["term"].str.split(" ")
    foreign = parts.map(lambda terms: any(t in english for t in terms))
    return words.loc[(words["z"] > 0) & ~foreign].head(top).reset_index(drop=True)


@cache
def english_stop_words() -> frozenset[str]:
    """English function words (stopwordsiso "en"), for corpora with English articles."""
    return frozenset(stopwordsiso.stopwords("en"))


def outlet_month_counts(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles per outlet per month (dated articles only): source, month, articles."""
    dated = articles.loc[articles["day"].notna()]
    month = dated["day"].dt.to_period("M").dt.start_time
    counts = dated.groupby([dated["source"].to_numpy(), month.to_numpy()]).size()
    return counts.rename_axis(["source", "month"]).reset_index(name="articles")


def member_mask(articles: pd.DataFrame, series: str, query_ids: Sequence[str] = ()) -> np.ndarray:
    """Articles belonging to a series: a topic ('t12') or the matches of a query ('q:...')."""
    if series.startswith("t"):
        return (articles["topic_id"] == int(series[1:])).to_numpy()
    return articles["article_id"].isin(query_ids).to_numpy()


def doc_map_points(
    doc_map: pd.DataFrame,
    articles: pd.DataFrame,
    topics: pd.DataFrame,
    max_points: int,
    n_groups: int,
    *,
    other: str,
    seed: int = 0,
    carried: Sequence[str] = ("title",),
) -> pd.DataFrame:
    """Map points of the given articles (a seeded sample of at most max_points).

    Columns x, y, the carried article columns (its title), topic (label) and group: the theme of
    the article's topic for the n_groups largest themes among the points, else `other`.
    """
    themes = topics.set_index("topic_id")["theme_label"]
    joined = doc_map[["article_id", "x", "y"]].merge(
        articles[["article_id", *carried, "topic_id", "topic_label"]], on="article_id"
    )
    if len(joined) > max_points:
        joined = joined.sample(max_points, random_state=seed)
    theme = joined["topic_id"].map(themes)
    top = theme.value_counts().head(n_groups).index
    rank = theme.map({t: i for i, t in enumerate(top)}).fillna(len(top))
    return (
        joined.assign(
            group=theme.where(theme.isin(top), other).astype("object").to_numpy(),
            topic=joined["topic_label"].astype("object").fillna("").to_numpy(),
            rank=rank.to_numpy(),
        )
        .sort_values(["rank", "article_id"])
        .drop(columns=["rank", "topic_label"])
        .reset_index(drop=True)
    )
