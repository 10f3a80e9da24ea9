"""Near duplicates: one-permutation MinHash signatures of word shingles and an LSH index that finds,
for each new article, an indexed article it nearly repeats; the indexed articles of earlier runs
can stay in memory-mapped files (IndexedRows), read only where a search lands."""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import pyarrow as pa

from data.dedupe.exact import normalised

#: Characters tokenised and hashed together; keeps the temporary arrays small and cache-friendly.
_CHUNK_CHARS = 1 << 19
_EMPTY = np.iinfo(np.uint32).max
_LOW32 = np.uint64(0xFFFFFFFF)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_BASE = np.uint64(0x100000001B3)  # of the polynomial word hash
_BASE_INVERSE = np.uint64(pow(int(_BASE), -1, 2**64))

#: Probability that a pair whose Jaccard similarity equals the threshold shares an LSH band.
LSH_RECALL = 0.99

#: Documents sharing one band key that a new document is compared with: the most recent ones.
#: Template-like text (boilerplate, generated stories) puts thousands of documents under one key;
#: comparing with all of them made ingest quadratic. A near duplicate almost always shares
#: several bands with its original, and copies are published close together.
BUCKET_CAP = 64

#: Candidate pairs whose signatures are compared at once (bounds the temporary arrays).
_PAIRS_PER_STEP = 1 << 18

#: New rows under one band key beyond which deciding_rows compares none of them and takes them
#: all (comparing every pair of a crowd of template-like texts would be quadratic).
CROWD = 2_048


def minhash_signatures(
    texts: Sequence[str], num_perm: int = 64, shingle: int = 3, seed: int = 1
) -> np.ndarray:
    """One-permutation MinHash (densified) of word shingles: uint32 array of shape (n, num_perm).

    The share of equal columns between two rows estimates the Jaccard similarity of their
    shingle sets. Texts without words get a row of 0xFFFFFFFF, which never matches anything.
    """
    if num_perm < 1 or shingle < 1:
        raise ValueError("num_perm and shingle must be positive integers")
    chunks = [
        _chunk_signatures(chunk, num_perm, shingle, seed)
        for chunk in _chunks([normalised(t) for t in texts])
    ]
    return np.vstack(chunks) if chunks else np.empty((0, num_perm), np.uint32)


def _chunks(texts: list[str]) -> Iterator[list[str]]:
    """Consecutive groups of texts with about _CHUNK_CHARS characters each."""
    start, size = 0, 0
    for end, text in enumerate(texts, start=1):
        size += len(text) + 1
        if size >= _CHUNK_CHARS:
            yield texts[start:end]
            start, size = end, 0
    if start < len(texts):
        yield texts[start:]


def _chunk_signatures(texts: list[str], num_perm: int, shingle: int, seed: int) -> np.ndarray:
    """Signatures of a few hundred normalised texts at once."""
    token_hashes, token_counts = _word_hashes(texts)
    shingles, shingle_counts = _shingle_hashes(token_hashes, token_counts, shingle)
    return _one_permutation_signatures(shingles, shingle_counts, num_perm, seed)


def _splitmix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: a fast, well-mixing bijection on uint64."""
    x = x + _MIX
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@cache
def _word_char_table() -> np.ndarray:
    """Boolean lookup over all code points: True for letters and digits (str.isalnum)."""
    return np.fromiter(map(str.isalnum, map(chr, range(0x110000))), bool, 0x110000)


@lru_cache(maxsize=2)
def _powers(size: int) -> tuple[np.ndarray, np.ndarray]:
    """_BASE**i and _BASE**-i (mod 2**64) for i < size."""
    return tuple(
        np.cumprod(np.r_[1, np.full(size - 1, f, np.uint64)]) for f in (_BASE, _BASE_INVERSE)
    )


def _word_hashes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """A uint64 hash for every word (runs of letters/digits) of the texts, and words per text."""
    lengths = np.fromiter((len(t) + 1 for t in texts), np.int64, len(texts))
    code_points = np.frombuffer("\n".join(texts).encode("utf-32-le", "replace"), np.uint32)
    is_word = _word_char_table()[code_points]
    edges = np.flatnonzero(np.diff(is_word, prepend=False, append=False))
    starts, ends = edges[0::2], edges[1::2]
    powers, inverse_powers = _powers(1 << code_points.size.bit_length())
    # prefix[i] = sum(cp[k] * base**-k for k < i), so a word's polynomial hash needs no loop
    prefix = np.zeros(code_points.size + 1, np.uint64)
    np.cumsum(code_points * inverse_powers[: code_points.size], out=prefix[1:])
    polynomial = (prefix[ends] - prefix[starts]) * powers[np.maximum(ends - 1, 0)]
    hashes = _splitmix(polynomial ^ (ends - starts).astype(np.uint64))
    text_of_word = np.searchsorted(np.cumsum(lengths), starts, side="right")
    return hashes, np.bincount(text_of_word, minlength=len(texts))


def _shingle_hashes(
    hashes: np.ndarray, counts: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """A uint64 hash per run of `size` consecutive words (one per shorter text), and runs per text."""
    runs = np.where(counts > 0, np.maximum(counts - size + 1, 1), 0)
    first_word = np.cumsum(counts) - counts
    run_offsets = np.cumsum(runs) - runs
    start = np.arange(int(runs.sum())) + np.repeat(first_word - run_offsets, runs)
    end = np.repeat(first_word + counts, runs)
    combined = np.zeros(start.size, np.uint64)
    for step in range(size):
        index = start + step
        word = hashes[np.minimum(index, max(hashes.size - 1, 0))]
        combined = _splitmix(combined ^ np.where(index < end, word, np.uint64(0)))
    return combined, runs


def _one_permutation_signatures(
    shingles: np.ndarray, counts: np.ndarray, num_perm: int, seed: int
) -> np.ndarray:
    """Minimum hash per bin (the bin chosen by the hash itself), empty bins densified."""
    salt = hashlib.blake2b(f"sorotan-minhash:{seed}".encode(), digest_size=8).digest()
    hashed = _splitmix(shingles ^ np.uint64(int.from_bytes(salt, "little")))
    bins = ((hashed >> np.uint64(32)) * np.uint64(num_perm)) >> np.uint64(32)
    cells = np.repeat(np.arange(counts.size) * num_perm, counts) + bins.astype(np.int64)
    signatures = np.full(counts.size * num_perm, _EMPTY, np.uint32)
    np.minimum.at(signatures, cells, (hashed & _LOW32).astype(np.uint32))
    filled = np.zeros(counts.size * num_perm, bool)
    filled[cells] = True
    return _densified(signatures.reshape(-1, num_perm), filled.reshape(-1, num_perm))


def _densified(signatures: np.ndarray, filled: np.ndarray) -> np.ndarray:
    """Empty bins take the value of the next filled bin to the right (circularly)."""
    width = signatures.shape[1]
    column = np.where(filled, np.arange(width), 2 * width)
    doubled = np.concatenate([column, column + width], axis=1)
    nearest = np.minimum.accumulate(doubled[:, ::-1], axis=1)[:, ::-1][:, :width]
    source = np.where(nearest < 2 * width, nearest % width, np.arange(width))
    return np.take_along_axis(signatures, source, axis=1)


def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows): the fewest candidates that still catch a pair at the threshold w.p. LSH_RECALL."""
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        if 1 - (1 - threshold**rows) ** bands >= LSH_RECALL:
            return bands, rows
    return num_perm, 1


@dataclass(frozen=True)
class IndexedRows:
    """Indexed articles saved together, in the order they were indexed: their ids, signatures
    (n, num_perm) and band keys sorted (keys, with the row of each, from 0, equal keys in row
    order), the arrays a NearDuplicateIndex searches (memory-mapped ones are read only where a
    search lands)."""

    ids: pa.Array
    signatures: np.ndarray
    keys: np.ndarray
    rows: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def of(
        cls, ids: Sequence[str], signatures: np.ndarray, threshold: float, num_perm: int = 64
    ) -> IndexedRows:
        """Articles (already de-duplicated, in indexing order) with their band keys sorted."""
        index = NearDuplicateIndex(threshold, num_perm)
        matrix = index._signature_matrix(signatures, len(ids))
        keys = index._band_keys(matrix).ravel()
        order = np.argsort(keys, kind="stable")
        rows = np.repeat(np.arange(len(matrix), dtype=np.int64), index.bands)[order]
        return cls(pa.array([str(i) for i in ids], pa.large_string()), matrix, keys[order], rows)

    @classmethod
    def merged(cls, parts: Sequence[IndexedRows]) -> IndexedRows:
        """Saved rows as one, in order (the rows of each after those of the ones before it)."""
        ids = pa.concat_arrays([p.ids for p in parts]) if parts else pa.array([], pa.large_string())
        signatures = np.concatenate([p.signatures for p in parts])
        run = (parts[0].keys, parts[0].rows)
        start = len(parts[0])
        for part in parts[1:]:
            run = _merged(run, (part.keys, part.rows + start))
            start += len(part)
        return cls(ids, signatures, run[0], run[1])


class NearDuplicateIndex:
    """MinHash LSH index that finds, for each new article, an indexed article it nearly repeats.

    A new article is compared with at most `bucket_cap` documents per band key it has (the most
    recently indexed ones), so the work per article stays bounded however crowded a key gets;
    `comparisons` counts the candidate pairs compared so far.
    """

    def __init__(
        self, threshold: float = 0.8, num_perm: int = 64, bucket_cap: int = BUCKET_CAP
    ) -> None:
        if not 0 < threshold <= 1:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        if num_perm < 1:
            raise ValueError(f"num_perm must be a positive integer, got {num_perm}")
        if bucket_cap < 1:
            raise ValueError(f"bucket_cap must be a positive integer, got {bucket_cap}")
        self.threshold = threshold
        self.num_perm = num_perm
        self.bucket_cap = bucket_cap
        self.comparisons = 0
        self.bands, self.rows = lsh_bands(threshold, num_perm)
        self._band_salts = _splitmix(np.arange(self.bands, dtype=np.uint64))
        self._row_weights = _splitmix(np.arange(self.rows, dtype=np.uint64) + np.uint64(self.bands))
        self._saved: list[IndexedRows] = []  # rows indexed before, kept where they are
        self._base = 0  # rows in _saved: the rows indexed here are numbered from it
        self._ids: list[str] = []
        self._held = np.empty((0, num_perm), np.uint32)  # signatures, with room to grow
        #: The band keys of every indexed row, in runs sorted by key (equal keys in the order
        #: their rows were indexed), oldest run first, each with the number of its first row:
        #: adding a batch sorts it into a run of its own and merges runs of similar size, so
        #: indexing N rows costs O(N log N), where inserting every batch into one sorted array
        #: cost O(N) a batch (quadratic in a run). Saved rows are runs never merged.
        self._runs: list[tuple[np.ndarray, np.ndarray, int]] = []  # (keys, their rows, start)

    def __len__(self) -> int:
        return self._base + len(self._ids)

    @property
    def _signatures(self) -> np.ndarray:
        """The signature of every indexed row, in insertion order."""
        return np.concatenate([*(s.signatures for s in self._saved), self._new_signatures])

    @property
    def _new_signatures(self) -> np.ndarray:
        """The signature of every row indexed here (not saved before), in insertion order."""
        return self._held[: len(self._ids)]

    @classmethod
    def on_saved(
        cls, saved: Sequence[IndexedRows], threshold: float = 0.8, num_perm: int = 64
    ) -> NearDuplicateIndex:
        """An index holding saved rows (oldest first), as if they had been added in order: it
        answers as one that indexed them, reading them only where a search lands."""
        index = cls(threshold, num_perm)
        for rows in saved:
            if len(rows):
                index._runs.append((rows.keys, rows.rows, index._base))
                index._saved.append(rows)
                index._base += len(rows)
        return index

    def new_rows(self) -> IndexedRows:
        """The rows indexed here (not saved before), as IndexedRows to save."""
        return IndexedRows.of(self._ids, self._new_signatures, self.threshold, self.num_perm)

    @classmethod
    def from_arrays(
        cls,
        ids: Sequence[str],
        signatures: np.ndarray | Sequence[np.ndarray],
        threshold: float = 0.8,
        num_perm: int = 64,
    ) -> NearDuplicateIndex:
        """An index holding these (already de-duplicated) articles, as saved by to_arrays."""
        index = cls(threshold, num_perm)
        matrix = index._signature_matrix(signatures, len(ids))
        index._add([str(i) for i in ids], matrix)
        return index

    def to_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Indexed ids (object array of str) and their signatures, in insertion order."""
        saved = [str(i) for rows in self._saved for i in rows.ids.to_pylist()]
        return np.array(saved + self._ids, dtype=object), self._signatures.copy()

    def query_and_add(
        self, ids: Sequence[str], signatures: np.ndarray
    ) -> list[tuple[str | None, float]]:
        """(id of the most similar earlier article, estimated Jaccard) per row, or (None, 0.0).

        Rows are taken in order: a row is compared with the index and with the earlier rows of
        the same batch that were not duplicates themselves; those non-duplicates are then indexed.
        """
        names = [str(i) for i in ids]
        matrix = self._signature_matrix(signatures, len(names))
        keys = self._band_keys(matrix)
        empty = (matrix == _EMPTY).all(axis=1)
        best_row, best_similarity = self._index_matches(matrix, keys)
        best_row[empty], best_similarity[empty] = -1, 0.0
        match = [
            (self._id_at(row), float(sim)) if row >= 0 else None
            for row, sim in zip(best_row.tolist(), best_similarity.tolist(), strict=True)
        ]
        self._resolve_within_batch(names, matrix, keys, empty, match)
        kept = np.array([m is None for m in match], bool) & ~empty
        self._add([n for n, k in zip(names, kept.tolist(), strict=True) if k], matrix[kept])
        return [m if m is not None else (None, 0.0) for m in match]

    def _signature_matrix(self, signatures: np.ndarray | Sequence, count: int) -> np.ndarray:
        """Signatures as a (count, num_perm) uint32 matrix (rows may come from a list column)."""
        matrix = np.asarray(signatures)
        if count == 0 and matrix.size == 0:
            return np.empty((0, self.num_perm), np.uint32)
        if matrix.dtype == object or matrix.ndim == 1:
            matrix = np.stack([np.asarray(row) for row in signatures])
        if matrix.shape != (count, self.num_perm) or not np.issubdtype(matrix.dtype, np.integer):
            raise ValueError(
                f"expected {count} integer signatures of {self.num_perm} values, "
                f"got {matrix.dtype} of shape {matrix.shape}"
            )
        return matrix.astype(np.uint32, copy=False)

    def band_keys(self, signatures: np.ndarray) -> np.ndarray:
        """One uint64 key per (row, band) of signatures: rows that share no key are never
        compared (what a shuffle on band keys partitions by)."""
        return self._band_keys(self._signature_matrix(signatures, len(signatures)))

    def _band_keys(self, matrix: np.ndarray) -> np.ndarray:
        """One uint64 key per (row, band); equal keys mean the band's values are all equal."""
        used = matrix[:, : self.bands * self.rows].reshape(-1, self.bands, self.rows)
        folded = (used.astype(np.uint64) * self._row_weights).sum(axis=2, dtype=np.uint64)
        return _splitmix(folded ^ self._band_salts)

    def _index_matches(self, matrix: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Best indexed row (-1 if none) at or above the threshold, and its similarity, per row."""
        best_row = np.full(len(matrix), -1, np.int64)
        best_similarity = np.zeros(len(matrix))
        pairs = self._candidate_pairs(keys.ravel())
        if not pairs.size:
            return best_row, best_similarity
        query, row = np.divmod(pairs, len(self))
        similarity = self._similarities(matrix, query, row)
        good = similarity >= self.threshold
        order = np.lexsort((row[good], -similarity[good], query[good]))
        query, row, similarity = query[good][order], row[good][order], similarity[good][order]
        first = np.flatnonzero(np.diff(query, prepend=-1) != 0)
        best_row[query[first]] = row[first]
        best_similarity[query[first]] = similarity[first]
        return best_row, best_similarity

    def _candidate_pairs(self, flat: np.ndarray, per_query: int | None = None) -> np.ndarray:
        """query * len(self) + indexed row, once per pair, sorted, for every indexed row among
        the most recent bucket_cap rows that share one of a query's band keys (flat: the
        queries' keys, per_query of them each: bands, unless given)."""
        left = np.full(flat.size, self.bucket_cap, np.int64)  # candidates still to take per key
        order = np.argsort(flat)  # sorted needles search a long run 2-3x faster
        needles, high, low = flat[order], np.empty(flat.size, np.int64), np.empty_like(left)
        found = []
        for keys, rows, start in reversed(self._runs):  # newest run first; newest rows last
            high[order] = np.searchsorted(keys, needles, side="right")
            low[order] = np.searchsorted(keys, needles, side="left")
            hits = np.minimum(high - low, left)
            left -= hits
            if not hits.any():
                continue
            offsets = np.cumsum(hits) - hits
            position = np.arange(int(hits.sum())) - np.repeat(offsets - (high - hits), hits)
            queries = np.repeat(np.arange(flat.size) // (per_query or self.bands), hits)
            found.append(queries * len(self) + rows[position] + start)
        return _distinct(np.concatenate(found)) if found else np.empty(0, np.int64)

    def _similarities(self, matrix: np.ndarray, query: np.ndarray, row: np.ndarray) -> np.ndarray:
        """Estimated Jaccard of each (batch row, indexed row) pair, a slice of pairs at a time."""
        self.comparisons += len(query)
        similarity = np.empty(len(query))
        for start in range(0, len(query), _PAIRS_PER_STEP):
            part = slice(start, start + _PAIRS_PER_STEP)
            same = matrix[query[part]] == self._signatures_at(row[part])
            similarity[part] = same.sum(axis=1) / self.num_perm
        return similarity

    def _resolve_within_batch(
        self,
        names: list[str],
        matrix: np.ndarray,
        keys: np.ndarray,
        empty: np.ndarray,
        match: list[tuple[str, float] | None],
    ) -> None:
        """Compare rows that share a band with earlier rows of the batch; update `match` in place."""
        repeated = _repeated(keys[~empty])
        shared_keys = set(repeated.tolist())
        buckets: dict[int, deque[int]] = {}  # the most recent bucket_cap kept rows per key
        for row in np.flatnonzero(~empty & np.isin(keys, repeated).any(axis=1)).tolist():
            row_keys = [k for k in keys[row].tolist() if k in shared_keys]
            candidates = sorted({c for k in row_keys for c in buckets.get(k, ())})
            if candidates:
                self.comparisons += len(candidates)
                same = matrix[candidates] == matrix[row]
                similarity = same.sum(axis=1) / self.num_perm
                best = int(np.argmax(similarity))
                current = match[row][1] if match[row] is not None else -1.0
                if similarity[best] >= self.threshold and similarity[best] > current:
                    match[row] = (names[candidates[best]], float(similarity[best]))
            if match[row] is None:
                for k in row_keys:
                    buckets.setdefault(k, deque(maxlen=self.bucket_cap)).append(row)

    def deciding_rows(
        self, keys: np.ndarray, batches: np.ndarray, rows: np.ndarray, signatures: np.ndarray
    ) -> np.ndarray:
        """Which new rows, queried after this index's rows, batch after batch (each in its order),
        need query_and_add to be decided, and which can be kept without it: True per entry of
        keys (one per new row and band key: the band key, the row's batch and position, its
        signature), for every entry of a row that needs it.

        A row needs it when it and an earlier row (new, or among the bucket_cap indexed rows
        newest under a band key they share) are similar enough to be duplicates; both do. When
        more than bucket_cap rows under that key come between them (before the later row's
        batch, or in its batch before it), whether the earlier one is still a candidate depends
        on how many of those are kept, so they all need it too. Every other row is kept by
        query_and_add whatever is decided for the rows that need it (the indexed rows are
        known to it in full), and changes no decision: a row's matches come only through band
        keys under which it has a similar pair. Under a key with more than CROWD new rows,
        they all need it.
        """
        keys, batches, rows = (np.asarray(a) for a in (keys, batches, rows))
        matrix = self._signature_matrix(signatures, len(keys))
        usable = np.flatnonzero(~(matrix == _EMPTY).all(axis=1))  # never matched nor indexed
        needed = np.zeros(len(keys), bool)
        if not usable.size:
            return needed
        distinct, group = np.unique(keys[usable], return_inverse=True)
        stored = self._candidate_pairs(distinct, 1) if len(self) else np.empty(0, np.int64)
        stored_group, stored_row = np.divmod(stored, max(len(self), 1))
        # members of each key: its newest indexed rows (batch -1), then its new rows in order
        member_group = np.concatenate([stored_group, group])
        member_batch = np.concatenate([np.full(stored.size, -1), batches[usable]])
        member_row = np.concatenate([stored_row, rows[usable]])
        entry = np.concatenate([np.full(stored.size, -1), usable])  # -1: an indexed row
        order = np.lexsort((member_row, member_batch, member_group))
        member_group, member_batch, entry = member_group[order], member_batch[order], entry[order]
        member_signatures = np.empty((len(order), self.num_perm), np.uint32)
        is_new = entry >= 0
        member_signatures[is_new] = matrix[entry[is_new]]
        member_signatures[~is_new] = self._signatures_at(stored_row[order[~is_new]])
        first = np.flatnonzero(np.r_[True, member_group[1:] != member_group[:-1]])
        size = np.diff(np.r_[first, len(order)])
        start = np.repeat(first, size)  # each member's group's first member
        new_count = np.bincount(member_group[is_new], minlength=len(distinct))
        crowded = new_count[member_group] > CROWD
        needed[entry[is_new & crowded]] = True
        later = np.flatnonzero(is_new & ~crowded)  # each compared with every member before it
        earlier_count = later - start[later]
        batch_first = _run_starts(member_group, member_batch)
        between = np.zeros(len(order) + 1, np.int64)  # +1/-1 marks of runs of members needed
        for chunk in _chunked(later, earlier_count, _PAIRS_PER_STEP):
            counts = earlier_count[np.searchsorted(later, chunk)]
            right = np.repeat(chunk, counts)
            left = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            left += start[right]
            same = member_signatures[left] == member_signatures[right]
            similar = same.sum(axis=1) / self.num_perm >= self.threshold
            left, right = left[similar], right[similar]
            for member in (left, right):
                needed[entry[member][entry[member] >= 0]] = True
            cut = np.where(member_batch[left] == member_batch[right], right, batch_first[right])
            far = cut - left - 1 >= self.bucket_cap
            np.add.at(between, left[far] + 1, 1)
            np.add.at(between, cut[far], -1)
        inside = np.flatnonzero((np.cumsum(between[:-1]) > 0) & is_new)
        needed[entry[inside]] = True
        return needed

    def _id_at(self, row: int) -> str:
        """The id of an indexed row."""
        if row >= self._base:
            return self._ids[row - self._base]
        start = 0
        for rows in self._saved:
            if row < start + len(rows):
                return rows.ids[row - start].as_py()
            start += len(rows)
        raise IndexError(row)

    def _signatures_at(self, rows: np.ndarray) -> np.ndarray:
        """The signatures of indexed rows, saved or not."""
        if not self._saved:
            return self._held[rows]
        found = np.empty((len(rows), self.num_perm), np.uint32)
        new = rows >= self._base
        found[new] = self._held[rows[new] - self._base]
        start = 0
        for saved in self._saved:
            inside = (rows >= start) & (rows < start + len(saved))
            if inside.any():
                found[inside] = saved.signatures[rows[inside] - start]
            start += len(saved)
        return found

    def _add(self, names: list[str], matrix: np.ndarray) -> None:
        """Index rows known to be distinct."""
        start = len(self._ids)
        keys = self._band_keys(matrix).ravel()
        rows = np.repeat(np.arange(start, start + len(names)), self.bands)
        order = np.argsort(keys, kind="stable")
        self._runs.append((keys[order], rows[order], self._base))
        while (
            len(self._runs) > len(self._saved) + 1
            and self._runs[-2][0].size <= 2 * self._runs[-1][0].size
        ):
            newer = self._runs.pop()
            self._runs[-1] = (*_merged(self._runs[-1][:2], newer[:2]), self._base)
        self._hold(matrix)
        self._ids.extend(names)

    def _hold(self, matrix: np.ndarray) -> None:
        """Keep the signatures of newly indexed rows, doubling the room when it runs out."""
        count = len(self._ids)
        if count + len(matrix) > len(self._held):
            room = max(count + len(matrix), 2 * len(self._held))
            held = np.empty((room, self.num_perm), np.uint32)
            held[:count] = self._held[:count]
            self._held = held
        self._held[count : count + len(matrix)] = matrix


def _merged(
    older: tuple[np.ndarray, np.ndarray], newer: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Two runs of (sorted keys, rows) as one, a newer key after the older equal ones."""
    at = np.searchsorted(older[0], newer[0], side="right") + np.arange(newer[0].size)
    is_newer = np.zeros(older[0].size + newer[0].size, bool)
    is_newer[at] = True
    merged = []
    for old, new in zip(older, newer, strict=True):
        both = np.empty(is_newer.size, old.dtype)
        both[at], both[~is_newer] = new, old
        merged.append(both)
    return merged[0], merged[1]


def _run_starts(group: np.ndarray, batch: np.ndarray) -> np.ndarray:
    """For each member (sorted by group, then batch), the position of its group's first member of
    its batch."""
    first = np.flatnonzero(np.r_[True, (group[1:] != group[:-1]) | (batch[1:] != batch[:-1])])
    return np.repeat(first, np.diff(np.r_[first, len(group)]))


def _chunked(items: np.ndarray, weights: np.ndarray, limit: int) -> Iterator[np.ndarray]:
    """Consecutive slices of items whose weights add up to about limit (at least one item)."""
    total = np.cumsum(weights)
    begin = 0
    while begin < len(items):
        end = max(
            int(np.searchsorted(total, total[begin] - weights[begin] + limit, "right")), begin + 1
        )
        yield items[begin:end]
        begin = end


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: np.unique by a sort (NumPy 2.4's np.unique hashes, which took
    5 s for 3 million int64 where sorting takes 0.1 s)."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if ordered.size else ordered


def _repeated(keys: np.ndarray) -> np.ndarray:
    """Keys that occur more than once."""
    ordered = np.sort(keys.ravel())
    twice = ordered[1:][ordered[1:] == ordered[:-1]]
    return _distinct(twice)
