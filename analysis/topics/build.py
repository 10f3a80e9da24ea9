"""Build the topics of a store: embed, cluster, describe, match to the previous build, publish.

The stages and what they write are timed into build.json; `build_folder` says what a build folder
holds, `update` assigns later articles to a build without refitting.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import compress
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np
import pandas as pd
from scipy import sparse
from threadpoolctl import threadpool_limits

from analysis.topics.build_folder import (
    Build,
    current_build,
    publish,
    topic_edits,
    write_tables,
)
from analysis.topics.clustering import (
    Clustering,
    Fit,
    clustered,
    fit_rows,
    fitted,
    label_sums,
    nearest_topics,
    theme_of_topics,
    unit_rows,
)
from analysis.topics.embeddings import (
    DEFAULT_EMBEDDING,
    WORD_BODY_WORDS,
    Centred,
    EmbeddingError,
    document_texts,
    has_word_rows,
    lead_of,
    make_embedder,
    sample_rows,
    word_rows,
)
from analysis.topics.ids import (
    TopicEdits,
    edited_topics,
    lineage,
    match_scores,
    matched_pairs,
    member_flow,
    merged_topic,
    stable_ids,
)
from analysis.topics.naming import (
    class_idf,
    class_keywords,
    described_model,
    document_terms,
    grouped_counts,
    keywords_of,
    model_order,
    news_vectorizer,
    save_model,
    topic_label,
)
from analysis.topics.on_cluster import mapped
from analysis.topics.partitions import Corpus, Partition, store_corpus
from analysis.topics.phrases import (
    THEME_NAMES,
    TOPIC_NAMES,
    NameRule,
    PhraseCounts,
    folded,
    group_names,
    joined_names,
    phrase_counts,
    phrases_of,
)
from analysis.topics.settings import FAST_TOPICS, TopicSettings
from analysis.topics.tables import (
    CLASS_FIELDS,
    GroupCounts,
    TopWords,
    assignment_table,
    base_topic_table,
    class_words,
    doc_map_table,
    period_words,
    summed,
    theme_table,
    with_sizes,
    with_themes,
    word_groups,
)
from data.store import Store

BUILD_FORMAT = 1
ARTICLE_FIELDS = ["article_id", "title", "text", "published_at", "source", "province"]
KEYWORD_LEAD_WORDS = 80  # words of the body (after the title) that topic keywords are drawn from
#: The keyword vocabulary (words in at least min_df and at most max_df of the articles) is drawn from
#: at most this many articles, the tfidf embedding's vocabulary_sample: drawn from every article,
#: it held every distinct word pair of the corpus while it was counted.
KEYWORD_SAMPLE = 50_000
LOW_CONFIDENCE = 0.2
SETTINGS_META = "topic_settings"

#: BLAS threads during a build. The SVD's QR and LU factorisations of tall matrices ran 2-7x slower
#: with two OpenBLAS threads than with one whenever the cores were busy (a 5,000-article embedding:
#: 17-59 s against 11 s on 2 cores at load average 4); the rest of a build barely uses BLAS.
BLAS_THREADS = 1


#: A build reads the store's parts a partition at a time, for minutes at 1M articles; an ingest that
#: merges small parts meanwhile (Store.compact) deletes some it was to read: it starts again.
BUILD_ATTEMPTS = 3
T = TypeVar("T")


class BuildError(Exception):
    """A build or update that cannot run as asked (empty store, no build yet, bad backend)."""


def thread_limits() -> threadpool_limits:
    """threadpool_limits(BLAS_THREADS) over every thread pool a build uses, loaded first.

    threadpoolctl limits the libraries already loaded only. scipy's LAPACK and scikit-learn's
    OpenMP were loaded inside the limits, by the build's first use of them, so the SVD's LU and QR
    ran on every core while numpy's BLAS kept to one, and a build's last bits depended on what its
    process had imported before.
    """
    import scipy.linalg  # noqa: F401  (scipy's OpenBLAS)
    import sklearn.utils._openmp_helpers  # noqa: F401  (scikit-learn's OpenMP runtime)

    return threadpool_limits(BLAS_THREADS)


def while_parts_stay(run: Callable[[], T], what: str) -> T:
    """run(), started again when an ingest merged (Store.compact) the parts it was reading, up to
    BUILD_ATTEMPTS times in all; then a BuildError that says so."""
    for _ in range(BUILD_ATTEMPTS - 1):
        try:
            return run()
        except FileNotFoundError:
            continue
    try:
        return run()
    except FileNotFoundError as exc:
        raise BuildError(
            f"the store's parts were merged by ingests while the {what} read them, "
            f"{BUILD_ATTEMPTS} times ({exc.filename} is gone): {what} again once ingests pause"
        ) from exc


def first_then(first: T, again: Callable[[], T]) -> Callable[[], T]:
    """A reader for while_parts_stay: first at the first call (what was read already), again()
    at every later one (an ingest merged the parts that first was read from)."""
    pending = [first]
    return lambda: pending.pop() if pending else again()


class Progress(Protocol):
    """Where a long run reports its stages and the items done in the current one."""

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, n: int) -> None: ...


class Silent:
    """Progress that reports nothing."""

    def stage(self, name: str, total: int | None = None) -> None:
        """Ignore the stage."""

    def advance(self, n: int) -> None:
        """Ignore the step."""


@contextmanager
def _timed(timings: dict[str, float], name: str) -> Iterator[None]:
    """Add the seconds spent in the block to timings[name]."""
    start = time.perf_counter()
    yield
    timings[name] = round(timings.get(name, 0.0) + time.perf_counter() - start, 3)


def corpus(store: Store) -> pd.DataFrame:
    """The store's articles in a stable order (by article_id), one row per id."""
    articles = store.articles(columns=ARTICLE_FIELDS)
    return (
        articles.drop_duplicates("article_id")
        .sort_values("article_id", kind="stable")
        .reset_index(drop=True)
    )


def inherited_ids(
    previous: Build | None,
    articles: pd.DataFrame,
    old_centres: np.ndarray | None,
    clusters: Clustering,
    keywords: list[list[str]],
) -> tuple[np.ndarray, int, dict[str, list]]:
    """Stable ids for the new topics, the next free id, and the lineage from the previous build
    (old_centres: its topics' centres in today's embedding space, old_centres_now)."""
    n_new = len(clusters.centres)
    if previous is None or old_centres is None:
        order = np.argsort(
            -np.bincount(clusters.topics[clusters.topics >= 0], minlength=n_new), kind="stable"
        )
        ids = np.empty(n_new, dtype=np.int64)
        ids[order] = np.arange(n_new)
        return (
            ids,
            n_new,
            {"kept": [], "new": sorted(ids.tolist()), "gone": [], "merged": [], "split": []},
        )
    old = previous.topics
    scores = match_scores(old_centres, old["keywords"].tolist(), clusters.centres, keywords)
    pairs = matched_pairs(scores)
    old_ids = old["topic_id"].tolist()
    ids, next_id = stable_ids(pairs, old_ids, n_new, int(previous.info["next_topic_id"]))
    new_members = pd.DataFrame(
        {
            "article_id": articles["article_id"],
            "topic_id": np.where(clusters.topics >= 0, ids[clusters.topics], -1),
        }
    )
    old_members = previous.assignments[["article_id", "base_topic_id"]].rename(
        columns={"base_topic_id": "topic_id"}
    )
    flow = member_flow(old_members, new_members)
    kept = [old_ids[o] for o, _ in pairs]
    return ids, next_id, lineage(old_ids, ids.tolist(), kept, flow)


def prior_topics(previous: Build | None, articles: pd.DataFrame) -> np.ndarray | None:
    """Each article's topic row in the previous build's topics table (-1 if none), or None."""
    if previous is None:
        return None
    row_of = pd.Series(np.arange(len(previous.topics)), index=previous.topics["topic_id"])
    base = previous.assignments.set_index("article_id")["base_topic_id"]
    rows = articles["article_id"].map(base).map(row_of)
    return rows.fillna(-1).astype("int64").to_numpy()


def old_centres_now(previous: Build, sums: np.ndarray) -> np.ndarray:
    """The previous topics' centres in today's embedding space (the mean of their members'
    embeddings, from their sums), or as stored for a topic without members today."""
    stored = np.vstack(previous.topics["centroid"].to_numpy()).astype(np.float32)
    now = unit_rows(sums)
    missing = ~np.any(now != 0, axis=1)
    if missing.any() and stored.shape[1] == now.shape[1]:
        now[missing] = stored[missing]
    return now


def stored_settings(store: Store, seed: int, fast: bool = False) -> TopicSettings:
    """Topic settings for a store: defaults, overridden by the store's meta "topic_settings"
    (and by the quick settings when fast)."""
    overrides = store.read_meta(SETTINGS_META, {}) or {}
    known = set(TopicSettings.__dataclass_fields__)
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise BuildError(f"unknown topic settings in {SETTINGS_META}: {', '.join(unknown)}")
    if "themes" in overrides:
        overrides = {**overrides, "themes": tuple(overrides["themes"])}
    return TopicSettings(**{**overrides, **(FAST_TOPICS if fast else {}), "seed": seed})


def fitted_embedder(name: str, store: Store, seed: int, fast: bool = False) -> Centred:
    """The embedding backend by name, with a user error instead of a traceback."""
    try:
        return Centred(make_embedder(name, store.path, seed=seed, fast=fast))
    except EmbeddingError as exc:
        raise BuildError(str(exc)) from exc


def described_topics(
    keyword_docs: list[str],
    doc_terms: sparse.csr_matrix,
    words: list[str],
    embeddings: np.ndarray,
    topics: np.ndarray,
    settings: TopicSettings,
):
    """BERTopic fitted on the clustered articles (their keyword texts, keyword counts, embeddings
    and topics); the model, its number for each topic, keywords."""
    present = np.asarray(doc_terms.sum(axis=0)).ravel() > 0
    vocabulary = [w for w, keep in zip(words, present, strict=True) if keep]
    model = described_model(keyword_docs, embeddings, topics, vocabulary, settings)
    order = model_order(topics, model.topics_)
    every = keywords_of(model, int(order.max()) + 1)
    return model, order, [every[m] for m in order]


def title_counts(titles: list[str], clusters: Clustering) -> PhraseCounts:
    """The candidate names in the fitted articles' titles, counted per topic, each title weighted
    by its article's confidence (see phrase_counts)."""
    rows = clusters.fit_rows
    return phrase_counts(phrases_of(titles), clusters.topics[rows], clusters.confidence[rows])


def named(counted: PhraseCounts, keywords, rule: NameRule = TOPIC_NAMES) -> list[str]:
    """A name for each counted group 0..k-1 (keywords: each group's), its keyword label where no
    phrase qualifies (see group_names)."""
    return group_names(counted, keywords, [topic_label(words) for words in keywords], rule)


#: How much a theme's name favours its central topics over its large ones. On all of corpora/raw
#: size alone called the corruption theme "Berantas Terorisme & Pj Wali", closeness alone the
#: entertainment one "Juta di TikTok & Incess Seat"; size x closeness^4 gave "Eddy Sindoro & KPK
#: Supervisi" and "Gelar Konser & Juta Akun".
CENTRAL_POWER = 4


def closeness_to_theme(centres: np.ndarray, sizes: np.ndarray, theme: np.ndarray) -> np.ndarray:
    """Each topic's cosine similarity to its theme's centre (its topics' unit centres weighted by
    their sizes)."""
    units = unit_rows(centres)
    sums = label_sums(units * sizes[:, None], theme, int(theme.max()) + 1)
    return np.einsum("ij,ij->i", units, unit_rows(sums)[theme])


def theme_fallbacks(
    counted: PhraseCounts,
    topics: pd.DataFrame,
    centres: np.ndarray,
    theme: np.ndarray,
    theme_words: list[list[str]],
) -> list[str]:
    """Each theme's name where no phrase of its titles qualifies: its two largest named topics near
    its centre (size x closeness^CENTRAL_POWER, see joined_names), else its keyword label."""
    names = topics["auto_label"].tolist()
    named = [n != topic_label(w) for n, w in zip(names, topics["keywords"], strict=True)]
    sizes = np.array([counted.sizes[group] for group in range(len(topics))], dtype=float)
    closeness = closeness_to_theme(centres, sizes, theme)
    joined = joined_names(names, named, sizes * closeness**CENTRAL_POWER, theme, len(theme_words))
    return [j or topic_label(w) for j, w in zip(joined, theme_words, strict=True)]


def themed_topics(
    counted: PhraseCounts,
    topics: pd.DataFrame,
    topic_counts,
    words: list[str],
    clusters: Clustering,
    settings: TopicSettings,
) -> tuple[pd.DataFrame, list[list[str]]]:
    """Topics with a broad theme each, and each theme's keywords."""
    theme = theme_of_topics(clusters.centres, settings)
    theme_counts, _ = grouped_counts(topic_counts, theme)
    theme_words = class_keywords(theme_counts, class_idf(theme_counts), words, settings.top_words)
    fallbacks = theme_fallbacks(counted, topics, clusters.centres, theme, theme_words)
    names = group_names(folded(counted, theme), theme_words, fallbacks, THEME_NAMES)
    return with_themes(topics, theme, names), theme_words


@dataclass(frozen=True)
class Picking:
    """Rows of a partition to read (positions within its corpus rows)."""

    partition: Partition
    rows: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class Assigning:
    """A partition to embed and assign, with what the client knows of its articles."""

    partition: Partition
    kept: np.ndarray  # each row's topic if it is a fitted core member (Fit.kept_topics), else -1
    prior: np.ndarray | None  # each row's topic row in the previous build (-1 for none)
    known: np.ndarray  # which rows the client embedded already (the fitted sample's)
    vectors: np.ndarray  # their embeddings, in row order

    def __len__(self) -> int:
        return len(self.kept)


@dataclass(frozen=True)
class Assigned:
    """A partition's articles' topics and similarities (nearest_topics), and the sums of their
    embeddings per previous topic (None without a previous build)."""

    topics: np.ndarray
    similarity: np.ndarray
    old_sums: np.ndarray | None


@dataclass(frozen=True)
class Counting:
    """A partition whose keywords to count per group, with each row's topic (-1 for none)."""

    partition: Partition
    topics: np.ndarray
    known: np.ndarray  # which rows the client counted the keywords of already (its sample's)
    terms: sparse.csr_matrix  # their keyword counts, in row order

    def __len__(self) -> int:
        return len(self.topics)


def picked_articles(lead_words: int, job: Picking) -> pd.DataFrame:
    """The title, the first lead_words words of the body (as text) and the outlet (source) of the
    rows picked."""
    frame = job.partition.frame(["title", "text", "source"], job.rows)
    leads = [lead_of(body, lead_words) for body in frame["text"].fillna("").astype(str)]
    return frame.assign(text=leads)


def pickings(corpus: Corpus, rows: np.ndarray) -> tuple[list[Picking], np.ndarray]:
    """The partitions' rows at the corpus positions rows, one Picking per partition that holds
    any, and the order (an argsort) that puts what they give, concatenated, in corpus order."""
    wanted = np.zeros(len(corpus), dtype=bool)
    wanted[rows] = True
    jobs, at = [], []
    for partition, positions in zip(corpus.partitions, corpus.positions, strict=True):
        inside = np.flatnonzero(wanted[positions])
        if len(inside):
            jobs.append(Picking(partition, inside))
            at.append(positions[inside])
    return jobs, np.argsort(np.concatenate(at or [np.empty(0, np.int64)]))


def sample_articles(corpus: Corpus, rows: np.ndarray, lead_words: int) -> pd.DataFrame:
    """article_id, title, lead (the first lead_words words of the body, as text) and outlet of the
    articles at the corpus positions rows (sorted), in that order; read on the workers when there
    is a cluster."""
    jobs, order = pickings(corpus, rows)
    frame = pd.concat(list(mapped(picked_articles, jobs, lead_words)), ignore_index=True)
    return frame.iloc[order].reset_index(drop=True).assign(article_id=corpus.ids.to_numpy()[rows])


def partition_rows(
    corpus: Corpus, positions: np.ndarray, values: Any
) -> list[tuple[np.ndarray, Any]]:
    """Per partition, which of its rows stand at the given corpus positions (sorted), and their rows
    of values (one row per position: an array or a sparse matrix), in the partition's row order."""
    known = np.zeros(len(corpus), dtype=bool)
    known[positions] = True
    at = np.full(len(corpus), -1)
    at[positions] = np.arange(len(positions))
    return [(known[where], values[at[where[known[where]]]]) for where in corpus.positions]


def partition_embeddings(embedder: Centred, job: Assigning) -> np.ndarray:
    """The embeddings of a partition's articles: those the client embedded already as it was
    given them, the others embedded here (their part is read only when there are any)."""
    embeddings = np.empty((len(job), job.vectors.shape[1]), dtype=np.float32)
    embeddings[job.known] = job.vectors
    if job.known.all():
        return embeddings
    frame = job.partition.frame(["title", "text", "source"])[~job.known]
    texts = document_texts(frame, embedder.lead_words)
    embeddings[~job.known] = embedder.embed(texts, outlets=frame["source"].tolist())
    return embeddings


def assigned_partition(
    embedder: Centred, centres: np.ndarray, n_old: int, job: Assigning
) -> Assigned:
    """A partition's articles embedded and given their nearest topic (see Assigned)."""
    embeddings = partition_embeddings(embedder, job)
    topics, similarity = nearest_topics(embeddings, centres, job.kept)
    old_sums = None if job.prior is None else label_sums(embeddings, job.prior, n_old)
    return Assigned(topics, similarity, old_sums)


def every_assigned(
    corpus: Corpus,
    embedder: Centred,
    fit: Fit,
    prior: np.ndarray | None,
    n_old: int,
    progress,
    embedded: tuple[np.ndarray, np.ndarray],
) -> Assigned:
    """Every article's topic and similarity, in corpus order, and the sums of all their embeddings
    per previous topic: a task per partition on the workers when there is a cluster.

    embedded: corpus positions (sorted) and embeddings of the articles embedded already, as the
    embedder's embed() gives them (see fit_and_embed), which are not embedded again.
    """
    kept = corpus.split(fit.kept_topics(len(corpus)))
    priors = corpus.split(prior) if prior is not None else [None] * len(kept)
    given = partition_rows(corpus, *embedded)
    jobs = [
        Assigning(*job, *rows)
        for *job, rows in zip(corpus.partitions, kept, priors, given, strict=True)
    ]
    parts = list(mapped(assigned_partition, jobs, embedder, fit.centres, n_old, progress=progress))
    old_sums = None
    for part in parts:  # added in partition order, whatever the cluster
        if part.old_sums is not None:
            old_sums = part.old_sums if old_sums is None else old_sums + part.old_sums
    topics, similarity = ([getattr(p, name) for p in parts] for name in ("topics", "similarity"))
    return Assigned(corpus.in_order(topics), corpus.in_order(similarity), old_sums)


def keyword_terms(vectorizer, docs: list[str]) -> sparse.csr_matrix:
    """The keyword counts of docs, each row's columns in order (as transform gives them)."""
    terms = vectorizer.transform(docs).tocsr()
    terms.sort_indices()
    return terms


def with_rows(
    known: np.ndarray, known_rows: sparse.csr_matrix, other_rows: sparse.csr_matrix
) -> sparse.csr_matrix:
    """One matrix of len(known) rows: known_rows where known, other_rows elsewhere, in order."""
    order = np.concatenate([np.flatnonzero(known), np.flatnonzero(~known)])
    stacked = sparse.vstack([known_rows, other_rows], format="csr")
    return stacked[np.argsort(order, kind="stable")]


def counted_partition(vectorizer, job: Counting) -> dict[str, GroupCounts]:
    """A partition's keyword counts per topic, and per topic and month, province and outlet (the
    rows the client counted already are not tokenized again)."""
    columns = ["published_at", *CLASS_FIELDS]
    if job.known.all():
        return word_groups(job.terms, job.partition.frame(columns), job.topics)
    frame = job.partition.frame(["title", "text", *columns])
    fresh = keyword_terms(vectorizer, document_texts(frame[~job.known], KEYWORD_LEAD_WORDS))
    return word_groups(with_rows(job.known, job.terms, fresh), frame, job.topics)


def every_word_group(
    corpus: Corpus,
    vectorizer,
    topics: np.ndarray,
    counted: tuple[np.ndarray, sparse.csr_matrix],
) -> dict[str, GroupCounts]:
    """The keyword counts of every article per topic, and per topic and month, province and outlet
    (word_groups), summed over the partitions: a task per partition on the workers when there is
    a cluster.

    counted: corpus positions (sorted) and keyword counts (keyword_terms) of the articles counted
    already, which are not tokenized again.
    """
    given = partition_rows(corpus, *counted)
    jobs = [
        Counting(*job, *rows)
        for *job, rows in zip(corpus.partitions, corpus.split(topics), given, strict=True)
    ]
    total: dict[str, GroupCounts] = {}
    for part in mapped(counted_partition, jobs, vectorizer):
        total = {k: summed([total[k], v]) if total else v for k, v in part.items()}
    return total


def with_topic_ids(counts: GroupCounts, topic_of_row: np.ndarray) -> GroupCounts:
    """Group counts keyed by topic row, keyed by topic id instead (rows merged into the same
    topic added up)."""
    groups = counts.groups.assign(topic_id=topic_of_row[counts.groups["topic_id"].to_numpy()])
    return summed([GroupCounts(groups, counts.counts)])


def client_sample(n_docs: int, settings: TopicSettings) -> np.ndarray:
    """The articles read at the client, which the embedding and the clusters are fitted on: the
    clusterer's fit sample and the keyword sample, sorted (every article up to KEYWORD_SAMPLE)."""
    return np.union1d(fit_rows(n_docs, settings), sample_rows(n_docs, KEYWORD_SAMPLE))


def fit_word_rows(corpus: Corpus, rows: np.ndarray, embedder: Centred) -> sparse.csr_matrix | None:
    """The word rows of the fit sample (corpus positions rows), read again with their whole
    bodies, where the clusterer finds neighbours by words (embeddings.has_word_rows), else None."""
    if not has_word_rows(embedder):
        return None
    return word_rows(embedder, sample_articles(corpus, rows, WORD_BODY_WORDS))


def build_topics(
    corpus: Corpus,
    embedder: Centred,
    settings: TopicSettings,
    previous: Build | None = None,
    edits: TopicEdits | None = None,
    progress: Progress | None = None,
):
    """Fit topics on a sample of the corpus and assign every article (a partition at a time, on
    the workers when there is a cluster); the build's tables and the BERTopic model."""
    progress = progress or Silent()
    timings: dict[str, float] = {}
    n_docs = len(corpus)
    ids = pd.DataFrame({"article_id": corpus.ids})
    rows = fit_rows(n_docs, settings)
    with _timed(timings, "embed"):
        sample = client_sample(n_docs, settings)
        progress.stage("reading the sample")
        articles = sample_articles(corpus, sample, max(embedder.lead_words, KEYWORD_LEAD_WORDS))
        texts = document_texts(articles, embedder.lead_words)
        progress.stage(f"embedding ({embedder.name})", total=len(texts))
        outlets = articles["source"].tolist()
        fitted_vectors, sample_vectors = embedder.fit_and_embed(texts, progress.advance, outlets)
        fit_at = np.searchsorted(sample, rows)
        embeddings = fitted_vectors[fit_at]
        del fitted_vectors
    with _timed(timings, "cluster"):
        progress.stage("clustering")
        prior = prior_topics(previous, ids)
        fit_words = fit_word_rows(corpus, rows, embedder)
        fit = fitted(
            embeddings, rows, n_docs, settings, None if prior is None else prior[rows], fit_words
        )
        del fit_words
    with _timed(timings, "assign"):
        progress.stage("assigning every article", total=n_docs)
        n_old = 0 if previous is None else len(previous.topics)
        every = every_assigned(
            corpus, embedder, fit, prior, n_old, progress.advance, (sample, sample_vectors)
        )
        del sample_vectors
        clusters = clustered(fit, every.topics, every.similarity, settings)
    with _timed(timings, "describe"):
        progress.stage("describing topics")
        keyword_docs = document_texts(articles, KEYWORD_LEAD_WORDS)
        in_keyword_sample = np.isin(sample, sample_rows(n_docs, KEYWORD_SAMPLE))
        counts, words = document_terms(list(compress(keyword_docs, in_keyword_sample)), settings)
        counts.sort_indices()
        vectorizer = news_vectorizer(settings, words)
        others = list(compress(keyword_docs, ~in_keyword_sample))
        sample_terms = with_rows(in_keyword_sample, counts, keyword_terms(vectorizer, others))
        model, order, keywords = described_topics(
            [keyword_docs[i] for i in fit_at],
            sample_terms[fit_at],
            words,
            embeddings,
            clusters.topics[rows],
            settings,
        )
    with _timed(timings, "match"):
        progress.stage("matching to the previous build")
        old_centres = None if previous is None else old_centres_now(previous, every.old_sums)
        topic_ids, next_id, lineage = inherited_ids(previous, ids, old_centres, clusters, keywords)
    with _timed(timings, "count"):
        progress.stage("counting keywords", total=n_docs)
        groups = every_word_group(corpus, vectorizer, clusters.topics, (sample, sample_terms))
        del sample_terms
    with _timed(timings, "tables"):
        progress.stage("themes, history and map")
        topic_counts = groups["topic"].counts
        titles = articles["title"].fillna("").astype(str).to_numpy()[np.searchsorted(sample, rows)]
        counted = title_counts(titles.tolist(), clusters)
        names = named(counted, keywords)
        topics, theme_words = themed_topics(
            counted,
            base_topic_table(ids, clusters, names, keywords, topic_ids, order),
            topic_counts,
            words,
            clusters,
            settings,
        )
        topics = edited_topics(topics, edits or TopicEdits())
        base = np.where(clusters.topics >= 0, topic_ids[clusters.topics], -1)
        assignments = assignment_table(ids, base, clusters.confidence, topics)
        topics = with_sizes(topics, assignments)
        idf = class_idf(topic_counts)
        top = TopWords(words, idf, settings.top_words)
        topic_of_row = merged_topic(pd.Series(topic_ids, dtype="int64"), topics).to_numpy()
        by_id = {k: with_topic_ids(v, topic_of_row) for k, v in groups.items()}
        history = [period_words(by_id["period"], top), class_words(by_id, top)]
        doc_map = doc_map_table(ids, clusters, assignments)
    info = {
        "format": BUILD_FORMAT,
        "kind": "build",
        "seed": settings.seed,
        "embedding": embedder.name,
        "clusterer": clusters.clusterer,
        "settings": settings.to_dict(),
        "n_articles": n_docs,
        "n_fitted": n_docs,
        "n_assigned_since_fit": 0,
        "n_topics": len(topics),
        "n_themes": len(theme_words),
        "next_topic_id": next_id,
        "timings": timings,
        "quality": quality(clusters, keywords),
        "lineage": lineage,
        "splits": clusters.splits,
    }
    themes = theme_table(topics, assignments, theme_words)
    terms = pd.DataFrame({"word": words, "idf": idf})
    return Build(info, topics, themes, assignments, *history, doc_map, terms), model


def quality(clusters: Clustering, keywords: list[list[str]]) -> dict[str, float]:
    """Numbers that tell whether a build is healthy."""
    assigned = clusters.topics >= 0
    flat = [w for words in keywords for w in words]
    return {
        "outlier_share": round(float(1 - assigned.mean()), 4),
        "low_confidence_share": round(
            float((clusters.confidence[assigned] < LOW_CONFIDENCE).mean()), 4
        ),
        "mean_confidence": round(float(clusters.confidence[assigned].mean()), 4),
        "keyword_diversity": round(len(set(flat)) / max(1, len(flat)), 4),
        **{k: round(v, 4) for k, v in clusters.stats.items()},
    }


def write_build(
    folder: Path, build: Build, model, embedder: Centred, settings: TopicSettings
) -> None:
    """Write tables, model (safetensors) and embedder (JSON/.npy) into an empty build folder."""
    save_model(model, folder / "model", settings)
    embedder.save(folder / "embedder")
    write_tables(folder, build)


def build_store(
    store: Store,
    embedding: str = DEFAULT_EMBEDDING,
    seed: int = 0,
    settings: TopicSettings | None = None,
    progress: Progress | None = None,
    fast: bool = False,
) -> dict[str, Any]:
    """Build topics for every article in the store and make the build current; its build.json.

    fast: quick settings for a first look (a small LSA, PCA instead of UMAP): coarser topics in
    seconds rather than minutes.
    """
    started = time.perf_counter()
    settings = settings or stored_settings(store, seed, fast)

    def fitted() -> tuple[Centred, Build, Any]:
        articles = store_corpus(store)
        if len(articles) < 3:
            raise BuildError(
                f"{store.path} holds {len(articles)} articles; ingest some before building topics"
            )
        embedder = fitted_embedder(embedding, store, settings.seed, fast)
        with thread_limits():
            return embedder, *build_topics(
                articles, embedder, settings, current_build(store), topic_edits(store), progress
            )

    embedder, build, model = while_parts_stay(fitted, "build")
    (progress or Silent()).stage("saving")
    build.info["fast"] = fast
    build.info["timings"]["total"] = round(time.perf_counter() - started, 3)
    publish(store, build, lambda folder: write_build(folder, build, model, embedder, settings))
    return build.info
