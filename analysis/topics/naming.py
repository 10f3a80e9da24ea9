"""What topics are called: keywords, labels and the BERTopic model that describes them.

BERTopic is imported lazily and only here. It runs as a "manual" topic model on the clusters found by
`clustering`: c-TF-IDF over an Indonesian news vocabulary (stop words, news furniture and place names
left out), diverse keywords by maximal marginal relevance, topic embeddings, safetensors
serialisation.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.topics.embeddings import Embedder, TfidfEmbedder, TfidfSettings
from analysis.topics.settings import TopicSettings
from analysis.topics.words import function_words

#: Words that say what kind of place a name is ("Kabupaten Serang", "Kota Batu", "Prov. Banten").
PLACE_KINDS: tuple[str, ...] = (
    "provinsi", "prov", "kabupaten", "kab", "kota", "kotamadya", "kodya", "kepulauan", "kep",
)  # fmt: skip

#: Words of place names that are ordinary words too, so they stay keywords ("batu bara" is coal,
#: "sabu" crystal meth, "bawang" onions, "baru" new): measured on real Indonesian news bodies,
#: each is written in lowercase in about half or more of its occurrences, where names are not.
COMMON_PLACE_WORDS: frozenset[str] = frozenset((
    "administrasi", "alam", "bagian", "bara", "baru", "batu", "bau", "bawang", "bener", "besar",
    "bintang", "bukit", "bumbu", "danau", "datar", "daerah", "daya", "empat", "hari", "hilir",
    "hulu", "ibu", "ibukota", "istimewa", "kanan", "khusus", "kubu", "laut", "lawas", "lima",
    "meriah", "nasional", "natal", "pagar", "pangkal", "panjang", "pegunungan", "pekan", "penuh",
    "pesisir", "pisau", "pulang", "pulau", "puluh", "puncak", "pusat", "raja", "sabu", "sawah",
    "seribu", "sungai", "taman", "tanah", "tinggi", "tulang",
))  # fmt: skip

#: Tokens of two or more letters/digits that are not numbers alone.
TOKEN_PATTERN = r"(?u)\b(?!\d+\b)\w\w+\b"
LABEL_WORDS = 3
LABEL_SEPARATOR = " · "
WORD_DIMENSIONS = 100


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """Tokens of the names of Indonesia's provinces and regencies/cities (official and aliases) and
    of the words for kinds of place, except those that are ordinary words too.

    Keywords and labels should say what a topic is about; where it happens is shown apart, and a
    label such as "jawa · timur · surabaya" says nothing about the theme.
    """
    from data.places import ALIASES
    from data.regions import provinces, regencies

    names = [
        *provinces()["province"],
        *regencies()["regency"],
        *(alias for aliases in ALIASES.values() for alias in aliases),
    ]
    tokens = {token for name in names for token in re.findall(TOKEN_PATTERN, name.lower())}
    return frozenset((tokens | set(PLACE_KINDS)) - COMMON_PLACE_WORDS)


@lru_cache(maxsize=1)
def stop_words() -> tuple[str, ...]:
    """The function words of the embedding (words.function_words: Indonesian and English stop
    words, news furniture, chat words, with their tokens) and place names, sorted: keywords say
    what a topic is about; where it happens is shown apart."""
    return tuple(sorted(function_words() | place_words()))


def news_vectorizer(settings: TopicSettings, vocabulary: Sequence[str] | None = None):
    """A CountVectorizer for Indonesian news: stop words, furniture and numbers removed, 1-2 grams."""
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(
        stop_words=list(stop_words()),
        token_pattern=TOKEN_PATTERN,
        ngram_range=(1, settings.ngram_max),
        min_df=settings.min_df,
        max_df=settings.max_df,
        vocabulary=list(vocabulary) if vocabulary is not None else None,
        dtype=np.int32,
    )


def document_terms(
    docs: Sequence[str], settings: TopicSettings
) -> tuple[sparse.csr_matrix, list[str]]:
    """Document-term counts over a vocabulary pruned by document frequency, and its words."""
    vectorizer = news_vectorizer(settings)
    try:
        counts = vectorizer.fit_transform(docs)
    except ValueError:  # a tiny corpus where min_df/max_df prune every word
        vectorizer = news_vectorizer(settings).set_params(min_df=1, max_df=1.0)
        counts = vectorizer.fit_transform(docs)
    return counts.tocsr(), vectorizer.get_feature_names_out().tolist()


def imported_bertopic() -> None:
    """Import BERTopic without the UMAP its plotting module loads, where no UMAP is loaded yet.

    bertopic.plotting imports UMAP (and with it numba and pynndescent) only to draw maps, and a
    build draws its own, laid out in its own process (clustering.map_process): importing BERTopic
    took 1.5 s with UMAP, 0.4 s without. BERTopic imports UMAP where it needs one (a model made
    without a reducer of its own), as does anything else that asks for it afterwards.
    """
    if "bertopic" in sys.modules or "umap" in sys.modules:
        return
    sys.modules["umap"] = None  # type: ignore[assignment]  # `from umap import ...` fails: skipped
    try:
        import bertopic  # noqa: F401
    finally:
        del sys.modules["umap"]


def _quiet_bertopic() -> None:
    """Keep BERTopic's informational logging off the user's terminal."""
    import logging

    logging.getLogger("BERTopic").setLevel(logging.ERROR)


def _bertopic_embedder(embedder: Embedder):
    """An embedding backend wrapped as a BERTopic embedder."""
    from bertopic.backend import BaseEmbedder

    class Wrapped(BaseEmbedder):
        def embed(self, documents, verbose=False):
            return embedder.embed(list(documents))

    return Wrapped()


def word_vectors(docs: Sequence[str], settings: TopicSettings) -> Embedder:
    """An LSA model (TF-IDF + SVD) of the documents, to embed candidate keywords with:
    WORD_DIMENSIONS wide, as wide as the articles' from LARGE_CORPUS documents on.

    The wider word vectors of a large corpus cost time (the description of all of corpora/raw took
    167 s with them at load average 7-8, 34 s at 100 dimensions) but keep its keywords more
    coherent (NPMI of the Kompas headlines' keywords -0.362 against -0.389 at 100, the full bodies'
    -0.148 against -0.198; the fact-checks' -0.161 against -0.092).
    """
    model = TfidfEmbedder(
        TfidfSettings(dimensions=WORD_DIMENSIONS, char_chars=0, seed=settings.seed)
    )
    model.fit_embed(docs)
    return model


def _described_kind():
    """BERTopic less its representative documents: a build picks its own (tables.representatives),
    and BERTopic's own took 10 of the 65 s the description of all of corpora/raw took."""
    from bertopic import BERTopic

    class Described(BERTopic):
        def _save_representative_docs(self, documents) -> None:
            self.representative_docs_ = {}

    return Described


def described_model(
    docs: Sequence[str],
    embeddings: np.ndarray,
    topics: np.ndarray,
    vocabulary: Sequence[str],
    settings: TopicSettings,
):
    """A BERTopic model of given assignments: c-TF-IDF keywords made diverse by MMR.

    Keyword diversity is judged with word vectors from a small LSA model of the same documents
    (whatever embeds the documents): cheap, and it separates words that co-occur from words that
    do not, where a sentence model rates almost any two words as similar.
    """
    imported_bertopic()
    from bertopic.cluster import BaseCluster
    from bertopic.dimensionality import BaseDimensionalityReduction
    from bertopic.representation import MaximalMarginalRelevance
    from bertopic.vectorizers import ClassTfidfTransformer

    _quiet_bertopic()
    model = _described_kind()(
        embedding_model=_bertopic_embedder(word_vectors(docs, settings)),
        umap_model=BaseDimensionalityReduction(),
        hdbscan_model=BaseCluster(),
        vectorizer_model=news_vectorizer(settings, vocabulary),
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        representation_model=MaximalMarginalRelevance(
            diversity=settings.diversity, top_n_words=settings.top_words
        ),
        top_n_words=settings.top_words,
    )
    return model.fit(list(docs), embeddings=embeddings, y=np.asarray(topics))


def model_order(topics: np.ndarray, model_topics: Sequence[int]) -> np.ndarray:
    """For each of our topic numbers 0..k-1, the number BERTopic gave it."""
    pairs = pd.DataFrame({"ours": topics, "model": np.asarray(model_topics)}).query("ours >= 0")
    return pairs.drop_duplicates("ours").sort_values("ours")["model"].to_numpy()


def keywords_of(model, n_topics_model: int) -> list[list[str]]:
    """The keywords of the model's topics 0..n-1, best first."""
    return [[word for word, _ in model.get_topic(t) or [] if word] for t in range(n_topics_model)]


def topic_label(keywords: Sequence[str], n_words: int = LABEL_WORDS) -> str:
    """A short human label from keywords, skipping words already said ("banjir · bpbd · hujan
    deras"); where the leading keywords all hold one word, that word ("jokowi" for "hina jokowi",
    "kunjungan jokowi", "jokowi jk": headlines that share a name and little else)."""
    shared = set.intersection(*(set(k.split()) for k in keywords[:n_words])) if keywords else set()
    if len(keywords) >= n_words and shared:
        return next(t for t in keywords[0].split() if t in shared)
    chosen: list[str] = []
    for word in keywords:
        tokens = set(word.split())
        if any(tokens & set(c.split()) for c in chosen):
            continue
        chosen.append(word)
        if len(chosen) == n_words:
            break
    return LABEL_SEPARATOR.join(chosen)


def grouped_counts(
    doc_terms: sparse.csr_matrix, keys: np.ndarray
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Term counts summed per group key, and the sorted keys."""
    unique, inverse = np.unique(keys, return_inverse=True)
    indicator = sparse.csr_matrix(
        (np.ones(len(keys)), (inverse.ravel(), np.arange(len(keys)))),
        shape=(len(unique), len(keys)),
    )
    return (indicator @ doc_terms).tocsr(), unique


def class_idf(class_counts: sparse.csr_matrix) -> np.ndarray:
    """c-TF-IDF's idf: log(1 + mean words per class / frequency of the word over all classes)."""
    frequency = np.asarray(class_counts.sum(axis=0)).ravel()
    average = class_counts.sum() / max(1, class_counts.shape[0])
    return np.log(1.0 + average / np.maximum(frequency, 1))


def class_keywords(
    class_counts: sparse.csr_matrix, idf: np.ndarray, words: Sequence[str], n_words: int
) -> list[list[str]]:
    """Top c-TF-IDF words of each row of class counts (square-rooted term frequency x idf)."""
    from sklearn.preprocessing import normalize

    if class_counts.shape[0] == 0:  # no group large enough (an update of a few articles)
        return []
    tf = normalize(class_counts.astype(np.float64), norm="l1")
    tf.data = np.sqrt(tf.data)
    scores = tf.multiply(idf[None, :]).tocsr()
    out = []
    for row in range(scores.shape[0]):
        start, end = scores.indptr[row], scores.indptr[row + 1]
        values, columns = scores.data[start:end], scores.indices[start:end]
        order = np.lexsort((columns, -values))[:n_words]
        out.append([words[columns[i]] for i in order])
    return out


def save_model(model, folder: Path, settings: TopicSettings) -> None:
    """The BERTopic model as safetensors (never pickle) plus the settings as JSON."""
    _quiet_bertopic()
    model.save(folder, serialization="safetensors", save_ctfidf=True, save_embedding_model=False)
    (folder / "settings.json").write_text(json.dumps(settings.to_dict()))


def load_model(folder: Path, embedder: Embedder | None = None):
    """A saved BERTopic model, with the embedding backend attached if given (never downloads)."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from bertopic import BERTopic

    _quiet_bertopic()
    wrapped = _bertopic_embedder(embedder) if embedder is not None else None
    return BERTopic.load(str(folder), embedding_model=wrapped)


def load_settings(folder: Path) -> TopicSettings:
    """The settings a model was built with."""
    raw = json.loads((folder / "settings.json").read_text())
    return TopicSettings(**{**raw, "themes": tuple(raw["themes"])})
