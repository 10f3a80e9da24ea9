"""Duplicate detection: canonical URLs, content hashes, exact keys and MinHash near-duplicates.

The package owns what makes two rows the same article: `urls` (canonical URLs), `exact` (content
hashes and the keys of kept articles, in memory and in sorted tables) and `near` (MinHash
signatures and the LSH index, whose earlier rows can stay in memory-mapped arrays). It imports
nothing else of the project.
"""

from __future__ import annotations

from data.dedupe.exact import EXACT_KEYS, SeenKeys, SortedKeys, content_hash, key_hashes
from data.dedupe.near import (
    BUCKET_CAP,
    LSH_RECALL,
    IndexedRows,
    NearDuplicateIndex,
    lsh_bands,
    minhash_signatures,
)
from data.dedupe.urls import HOST_PREFIXES, canonical_url, web_url

__all__ = [
    "BUCKET_CAP",
    "EXACT_KEYS",
    "HOST_PREFIXES",
    "IndexedRows",
    "LSH_RECALL",
    "NearDuplicateIndex",
    "SeenKeys",
    "SortedKeys",
    "canonical_url",
    "content_hash",
    "key_hashes",
    "lsh_bands",
    "minhash_signatures",
    "web_url",
]
