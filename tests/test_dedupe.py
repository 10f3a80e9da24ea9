"""Canonical URLs, content hashes, exact keys and MinHash near-duplicates on seeded, invented text."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from data.dedupe import (
    IndexedRows,
    NearDuplicateIndex,
    SeenKeys,
    canonical_url,
    content_hash,
    lsh_bands,
    minhash_signatures,
    web_url,
)

FLOOD_WORDS = [
    "banjir",
    "air",
    "hujan",
    "deras",
    "warga",
    "rumah",
    "kelurahan",
    "kecamatan",
    "sungai",
    "tanggul",
    "jebol",
    "ketinggian",
    "sentimeter",
    "meter",
    "petugas",
    "bpbd",
    "evakuasi",
    "perahu",
    "karet",
    "posko",
    "pengungsian",
    "bantuan",
    "logistik",
    "makanan",
    "selimut",
    "lurah",
    "camat",
    "wali",
    "kota",
    "bupati",
    "pompa",
    "drainase",
    "saluran",
    "sampah",
    "tersumbat",
    "genangan",
    "jalan",
    "lumpuh",
    "kendaraan",
    "motor",
    "mogok",
    "anak",
    "sekolah",
    "libur",
    "pagi",
    "malam",
    "sore",
    "dini",
    "hari",
    "korban",
    "jiwa",
    "luka",
    "ringan",
    "kerugian",
    "ditaksir",
    "juta",
    "rupiah",
    "waspada",
    "cuaca",
    "ekstrem",
    "bmkg",
]
FILLER = [
    "yang",
    "di",
    "ke",
    "dari",
    "dan",
    "dengan",
    "untuk",
    "pada",
    "itu",
    "ini",
    "akan",
    "telah",
    "masih",
    "sudah",
    "tidak",
    "juga",
]


def story(seed: int, words: int = 300) -> str:
    """An invented news body: sentences of flood vocabulary, seeded."""
    rng = random.Random(seed)
    sentences, count = [], 0
    while count < words:
        length = rng.randint(8, 16)
        sentence = [
            rng.choice(FLOOD_WORDS if rng.random() < 0.7 else FILLER) for _ in range(length)
        ]
        sentences.append(" ".join(sentence).capitalize() + ".")
        count += length
    return "\n".join(sentences)


def syndicated(body: str) -> tuple[str, str]:
    """Two outlets' copies: different dateline and sign-off, one with 'Baca juga' lines."""
    lines = body.split("\n")
    first = "SERANG, KABARSERANG.ID - " + "\n".join(lines) + "\n(red/ads)"
    read_also = [
        "Baca juga: Pemkot siapkan lima pompa baru di kawasan rawan genangan",
        "Baca juga: Warga keluhkan sampah menumpuk di pintu air",
    ]
    middle = len(lines) // 2
    second_lines = lines[:middle] + read_also[:1] + lines[middle:-2] + read_also[1:] + lines[-2:]
    second = "Serang (ANTARA) - " + "\n".join(second_lines) + "\n(ant)"
    return first, second


def estimate(a: str, b: str) -> float:
    """Estimated Jaccard similarity of two texts' shingles."""
    first, second = minhash_signatures([a, b])
    return float((first == second).mean())


# -- canonical URLs ------------------------------------------------------------------------------

ARTICLE = "https://kabarserang.id/berita/2024/03/banjir-kasemen"


@pytest.mark.parametrize(
    "variant",
    [
        "https://kabarserang.id/berita/2024/03/banjir-kasemen",
        "http://www.kabarserang.id/berita/2024/03/banjir-kasemen/",
        "https://m.kabarserang.id/berita/2024/03/banjir-kasemen",
        "https://amp.kabarserang.id/berita/2024/03/banjir-kasemen",
        "https://kabarserang.id/amp/berita/2024/03/banjir-kasemen",
        "https://kabarserang.id/berita/2024/03/banjir-kasemen/amp",
        "https://kabarserang.id/berita/2024/03/banjir-kasemen/amp/",
        "https://kabarserang.id/berita/2024/03/banjir-kasemen?amp",
        "https://kabarserang.id/berita/2024/03/banjir-kasemen?outputType=amp",
        "https://KabarSerang.ID/berita/2024/03/banjir-kasemen#komentar",
        "https://kabarserang.id/berita/2024/03/banjir-kasemen?utm_source=fb&utm_medium=social",
        "https://kabarserang.id/berita/2024/03/banjir-kasemen?fbclid=IwAR0abc&gclid=xyz",
        "https://kabarserang.id/berita/2024/03/banjir-kasemen?page=1",
        "https://kabarserang.id/berita/2024/03/banjir-kasemen?page=all&ref=beranda",
        "https://kabarserang.id:443/berita//2024/03/banjir-kasemen",
        "kabarserang.id/berita/2024/03/banjir-kasemen",
        "  www.kabarserang.id/berita/2024/03/banjir-kasemen  ",
    ],
)
def test_url_variants_share_one_key(variant: str) -> None:
    assert canonical_url(variant) == ARTICLE


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://kabarserang.id/baca?id=12&utm_campaign=x", "https://kabarserang.id/baca?id=12"),
        ("https://kabarserang.id/baca?b=2&a=1", "https://kabarserang.id/baca?a=1&b=2"),
        (
            "https://kabarserang.id/berita/banjir?page=2",
            "https://kabarserang.id/berita/banjir?page=2",
        ),
        ("https://regional.kabarserang.id/banjir", "https://regional.kabarserang.id/banjir"),
        ("http://kabarserang.id:8080/x/", "https://kabarserang.id:8080/x"),
        ("https://www.kabarserang.id/", "https://kabarserang.id"),
    ],
)
def test_meaningful_parts_are_kept(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_different_articles_get_different_keys() -> None:
    keys = {
        canonical_url(u)
        for u in (
            "https://kabarserang.id/baca?id=12",
            "https://kabarserang.id/baca?id=13",
            "https://kabarserang.id/berita/2024/03/banjir-kasemen",
            "https://kabarserang.id/berita/2024/03/banjir-walantaka",
            "https://kabarbanten.id/berita/2024/03/banjir-kasemen",
        )
    }
    assert len(keys) == 5


@pytest.mark.parametrize(
    "value",
    [None, float("nan"), "", "   ", "Tidak Ditemukan", "javascript:void(0)", "mailto:redaksi@x.id",
     "/berita/2024/banjir", "http://[::1", "http://kabarserang.id:99999/x", 42],
)  # fmt: skip
def test_non_urls_have_no_key(value: object) -> None:
    assert canonical_url(value) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" https://kabarserang.id/a ", "https://kabarserang.id/a"),
        ("HTTP://KABARSERANG.ID", "HTTP://KABARSERANG.ID"),
        ("//kabarserang.id/a", "//kabarserang.id/a"),
        ("www.kabarserang.id/a", "www.kabarserang.id/a"),
        ("javascript:void(0)", None),
        ("javascript:window.open('https://kabarserang.id/a')", None),
        ("data:text/html;base64,PGgxPkJlcml0YTwvaDE+", None),
        ("mailto:redaksi@kabarserang.id", None),
        ("ftp://kabarserang.id/a", None),
        ("/berita/2024/banjir", None),
        ("Tidak Ditemukan", None),
        (None, None),
    ],
)
def test_only_web_addresses_are_article_urls(value: object, expected: str | None) -> None:
    assert web_url(value) == expected


# -- content hashes ------------------------------------------------------------------------------


def test_content_hash_ignores_case_spacing_and_punctuation() -> None:
    plain = content_hash("Banjir merendam 120 rumah di Kasemen")
    assert plain is not None and len(plain) == 16 and int(plain, 16) >= 0
    assert content_hash("  BANJIR merendam\n\n120 rumah,  di Kasemen! ") == plain
    assert content_hash("Banjir merendam 121 rumah di Kasemen") != plain
    assert content_hash("Banjir merendam rumah di Kasemen") != plain


@pytest.mark.parametrize("value", [None, float("nan"), "", " \n ", "!!! ... ---"])
def test_content_hash_of_nothing_is_none(value: object) -> None:
    assert content_hash(value) is None  # type: ignore[arg-type]


# -- MinHash signatures --------------------------------------------------------------------------


def test_signatures_shape_type_and_determinism() -> None:
    texts = [story(seed) for seed in range(400)]  # about 800k characters: several chunks
    signatures = minhash_signatures(texts)
    assert signatures.shape == (400, 64) and signatures.dtype == np.uint32
    assert np.array_equal(minhash_signatures(texts[250:270]), signatures[250:270])
    assert np.array_equal(minhash_signatures(pd.Series(texts[:5])), signatures[:5])
    assert not np.array_equal(minhash_signatures(texts[:3], seed=2), signatures[:3])
    assert minhash_signatures(texts[:2], num_perm=16).shape == (2, 16)
    assert minhash_signatures([]).shape == (0, 64)


def test_signature_estimates_jaccard() -> None:
    words = [f"kata{i}" for i in range(400)]
    a = " ".join(words[:200])
    b = " ".join(words[:150] + words[200:250])
    # a has 198 shingles, b has 198, 148 in common: Jaccard 148 / 248
    assert abs(estimate(a, b) - 148 / 248) < 0.15
    assert estimate(a, a.upper().replace(" ", " , ")) == 1.0


def test_texts_without_words_never_match() -> None:
    signatures = minhash_signatures(["", "...", None, "satu"])  # type: ignore[list-item]
    assert (signatures[:3] == np.iinfo(np.uint32).max).all()
    index = NearDuplicateIndex()
    assert index.query_and_add(["a", "b", "c", "d"], signatures) == [(None, 0.0)] * 4
    assert len(index) == 1


# -- near duplicates -----------------------------------------------------------------------------


def test_syndicated_copy_is_a_near_duplicate() -> None:
    first, second = syndicated(story(7))
    hits = NearDuplicateIndex().query_and_add(
        ["kabar-1", "antara-1"], minhash_signatures([first, second])
    )
    assert hits[0] == (None, 0.0)
    assert hits[1][0] == "kabar-1" and 0.8 <= hits[1][1] < 0.95


def test_stories_sharing_only_a_topic_are_kept() -> None:
    index = NearDuplicateIndex()
    hits = index.query_and_add(["a", "b"], minhash_signatures([story(1), story(2)]))
    assert hits == [(None, 0.0), (None, 0.0)]
    assert estimate(story(1), story(2)) < 0.2


def test_within_batch_duplicates_point_to_the_first_kept_copy() -> None:
    base = [story(seed) for seed in range(10, 16)]
    copy_of_2, _ = syndicated(base[2])
    texts = [*base[:5], copy_of_2, base[5], base[2]]
    ids = [f"n{i}" for i in range(len(texts))]
    hits = NearDuplicateIndex().query_and_add(ids, minhash_signatures(texts))
    assert [h[0] for h in hits] == [None, None, None, None, None, "n2", None, "n2"]
    assert hits[7][1] == 1.0
    assert len(NearDuplicateIndex.from_arrays(*_after(ids, texts))) == 6


def _after(ids: list[str], texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The arrays of an index after one batch."""
    index = NearDuplicateIndex()
    index.query_and_add(ids, minhash_signatures(texts))
    return index.to_arrays()


def test_duplicate_of_an_indexed_article_is_not_indexed() -> None:
    index = NearDuplicateIndex()
    original, copy = syndicated(story(21))
    index.query_and_add(["old"], minhash_signatures([original]))
    hits = index.query_and_add(["new", "newer"], minhash_signatures([copy, copy]))
    assert [h[0] for h in hits] == ["old", "old"]
    assert list(index.to_arrays()[0]) == ["old"]


def test_threshold_is_configurable() -> None:
    first, second = syndicated(story(7))
    strict = NearDuplicateIndex(threshold=0.95)
    hits = strict.query_and_add(["a", "b", "c"], minhash_signatures([first, second, first]))
    assert hits[:2] == [(None, 0.0), (None, 0.0)]
    assert hits[2] == ("a", 1.0)


def _band_flood(rng: np.random.Generator, count: int, rows: int) -> np.ndarray:
    """Random signatures that all share their first band (as template-like text does)."""
    signatures = rng.integers(0, 2**31, size=(count, 64), dtype=np.uint32)
    signatures[:, :rows] = 7
    return signatures


def test_a_flood_sharing_one_band_key_is_compared_with_a_bounded_number_of_documents() -> None:
    rng = np.random.default_rng(5)
    index = NearDuplicateIndex(bucket_cap=16)
    batches = [_band_flood(rng, 200, index.rows) for _ in range(5)]
    for number, batch in enumerate(batches):
        hits = index.query_and_add([f"b{number}-{i}" for i in range(200)], batch)
        assert all(hit == (None, 0.0) for hit in hits)
    assert len(index) == 1_000
    # at most 16 earlier rows of the batch and 16 indexed ones per document (uncapped: 500,000)
    assert index.comparisons <= 1_000 * 2 * 16
    copies = np.stack([batches[0][0], batches[-1][-1]])  # the oldest and the newest document
    assert index.query_and_add(["copy-old", "copy-new"], copies) == [
        ("b0-0", 1.0),  # found through its other bands, beyond the capped one
        ("b4-199", 1.0),
    ]


def test_an_index_grown_batch_by_batch_compares_and_answers_as_one_built_at_once() -> None:
    rng = np.random.default_rng(8)
    docs = _band_flood(rng, 300, NearDuplicateIndex().rows)  # past the bucket cap of 64
    ids = [f"d{i}" for i in range(300)]
    grown, start = NearDuplicateIndex(), 0
    for size in (1, 2, 5, 9, 17, 33, 64, 100, 69):  # runs of many sizes, merged as they grow
        assert (
            grown.query_and_add(ids[start : start + size], docs[start : start + size])
            == [(None, 0.0)] * size
        )
        start += size
    at_once = NearDuplicateIndex.from_arrays(ids, docs)
    # near copies (53 of 64 values kept) that share only the crowded first band with their
    # original: found among the 64 documents indexed last under that band key, never before them
    edited = docs[[299, 236, 235, 0]].copy()
    edited[:, np.arange(1, grown.bands) * grown.rows] += 1
    queries = np.vstack([edited, _band_flood(rng, 3, grown.rows)])
    names = [f"q{i}" for i in range(len(queries))]
    before = grown.comparisons
    answers = grown.query_and_add(names, queries)
    assert answers == at_once.query_and_add(names, queries)
    assert [a[0] for a in answers] == ["d299", "d236", None, None, None, None, None]
    assert grown.comparisons - before == at_once.comparisons
    assert np.array_equal(grown.to_arrays()[1], at_once.to_arrays()[1])


def test_band_choice() -> None:
    assert lsh_bands(0.8, 64) == (12, 5)
    assert lsh_bands(0.95, 64) == (6, 10)
    assert lsh_bands(1.0, 64) == (1, 64)


def test_persistence_round_trip_gives_identical_answers() -> None:
    old = [story(seed) for seed in range(30, 40)]
    new = [syndicated(text)[1] for text in old[::3]] + [story(seed) for seed in range(50, 54)]
    index = NearDuplicateIndex()
    index.query_and_add([f"o{i}" for i in range(len(old))], minhash_signatures(old))
    ids, signatures = index.to_arrays()
    assert ids.dtype == object and signatures.shape == (10, 64)
    as_columns = [row.tobytes() for row in signatures]  # how a Parquet column stores them
    rebuilt = NearDuplicateIndex.from_arrays(
        ids, [np.frombuffer(b, dtype=np.uint32) for b in as_columns]
    )
    batch = [f"x{i}" for i in range(len(new))], minhash_signatures(new)
    expected = index.query_and_add(*batch)
    assert rebuilt.query_and_add(*batch) == expected
    assert [h[0] for h in expected] == ["o0", "o3", "o6", "o9", None, None, None, None]
    assert all(
        np.array_equal(a, b) for a, b in zip(index.to_arrays(), rebuilt.to_arrays(), strict=True)
    )


def test_bad_input_gives_clear_errors() -> None:
    with pytest.raises(ValueError, match="threshold"):
        NearDuplicateIndex(threshold=0)
    with pytest.raises(ValueError, match="bucket_cap"):
        NearDuplicateIndex(bucket_cap=0)
    with pytest.raises(ValueError, match="64 values"):
        NearDuplicateIndex().query_and_add(["a"], np.zeros((1, 32), np.uint32))
    with pytest.raises(ValueError, match="2 integer signatures"):
        NearDuplicateIndex.from_arrays(["a", "b"], np.zeros((1, 64), np.uint32))
    with pytest.raises(ValueError, match="num_perm"):
        minhash_signatures(["a"], num_perm=0)


# -- exact keys ----------------------------------------------------------------------------------


def _frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["article_id", "url_key", "content_hash"])


STORE = _frame([("s1", "https://a.id/1", "h1"), ("s2", "https://a.id/2", "h2")])


def test_seen_keys_mark_each_kind_in_order() -> None:
    seen = SeenKeys.from_frame(STORE)
    batch = _frame(
        [
            ("s1", "https://a.id/9", "h9"),  # same id as a stored article
            ("b1", "https://a.id/2", "h8"),  # same URL as s2
            ("b2", "https://a.id/7", "h1"),  # same content as s1
            ("b3", "https://a.id/3", "h3"),  # new
            ("b4", "https://a.id/3", "h4"),  # same URL as b3, earlier in this batch
            ("b5", None, "h3"),  # same content as b3
            ("b3", None, None),  # same id as b3
            ("b6", None, None),  # new, nothing to compare
            ("b7", float("nan"), "h7"),  # new
        ]
    ).set_index(pd.Index(range(10, 19)))
    marks = seen.mark(batch)
    assert list(marks.columns) == ["duplicate_of", "kind"]
    assert list(marks.index) == list(batch.index)
    assert marks["duplicate_of"].tolist() == ["s1", "s2", "s1", None, "b3", "b3", "b3", None, None]
    assert marks["kind"].tolist() == [
        "id",
        "url",
        "content",
        None,
        "url",
        "content",
        "id",
        None,
        None,
    ]


def test_seen_keys_remember_kept_rows_only() -> None:
    seen = SeenKeys.from_frame(STORE)
    batch = _frame([("b1", "https://a.id/1", "h5"), ("b2", "https://a.id/5", "h6")])
    seen.mark(batch)
    again = seen.mark(_frame([("c1", "x", "h5"), ("c2", "https://a.id/5", "h0")]))
    assert again["duplicate_of"].tolist() == [None, "b2"]  # b1 was a duplicate: h5 not kept


def test_forgotten_rows_no_longer_match() -> None:
    seen = SeenKeys.from_frame(STORE)
    seen.forget(STORE.iloc[[0]])
    marks = seen.mark(_frame([("n1", "https://a.id/1", "h0"), ("n2", "y", "h2")]))
    assert marks["duplicate_of"].tolist() == [None, "s2"]


def test_seen_keys_need_the_key_columns() -> None:
    with pytest.raises(ValueError, match="url_key"):
        SeenKeys().mark(pd.DataFrame({"article_id": ["a"], "content_hash": ["h"]}))


def test_stored_keys_are_remembered_as_marking_them_row_by_row_would() -> None:
    distinct = _frame(
        [("s1", "https://a.id/1", "h1"), ("s2", None, "h2"), ("s3", "", float("nan"))]
    )
    repeated = _frame(
        [("s1", "https://a.id/1", "h1"), ("s2", "https://a.id/1", "h2"), ("s3", None, "h2")]
    )
    for stored in (distinct, repeated, STORE):
        marked = SeenKeys()
        marked.mark(stored)
        assert SeenKeys.from_frame(stored).keys == marked.keys
    assert SeenKeys.from_frame(repeated).keys == {
        "url": {"https://a.id/1": "s1"},
        "content": {"h1": "s1", "h2": "s3"},  # s2 repeated s1's URL: its content stays free
        "id": {"s1": "s1", "s3": "s3"},
    }


def _copy_sharing_one_band(signature: np.ndarray, rows: int, bands: int) -> np.ndarray:
    """A near copy (53 of 64 values kept) that shares only its first band with the original."""
    copy = signature.copy()
    copy[np.arange(1, bands) * rows] += 1
    return copy


def _crowded_batches(rng: np.random.Generator, index: NearDuplicateIndex) -> list[np.ndarray]:
    """Batches where whether a copy is a near duplicate depends on how many rows sharing its one
    band key with the original come between them, and on whether those are kept."""
    rows, bands = index.rows, index.bands

    def flood(count: int) -> np.ndarray:
        return _band_flood(rng, count, rows)

    old = flood(1)  # indexed before, then pushed out by 70 newer indexed rows (the fixture)
    pushed = flood(1)  # batch 1; batch 2 pushes it out of the index's bucket
    within = flood(1)  # 70 rows of its batch after it push it out of the batch's bucket
    near = flood(1)  # 70 rows after it, but 10 of them copies that are not kept: still found
    crowd = flood(60)
    return [
        np.vstack([_copy_sharing_one_band(old[0], rows, bands), pushed]),
        flood(70),
        np.vstack(
            [
                _copy_sharing_one_band(pushed[0], rows, bands),
                within,
                flood(70),
                _copy_sharing_one_band(within[0], rows, bands),
            ]
        ),
        np.vstack([near, crowd, crowd[:10]]),
        np.vstack([_copy_sharing_one_band(near[0], rows, bands), flood(3)]),
        old,
    ]


def _decided(index_of, batches: list[np.ndarray], taken: list[np.ndarray]) -> list:
    """query_and_add's answer per row of every batch, asking only for the taken rows (the rest
    answered (None, 0.0), as kept)."""
    index, answers = index_of(), []
    for number, (batch, take) in enumerate(zip(batches, taken, strict=True)):
        names = np.array([f"b{number}-{i}" for i in range(len(batch))])
        found = dict(
            zip(names[take], index.query_and_add(list(names[take]), batch[take]), strict=True)
        )
        answers += [found.get(name, (None, 0.0)) for name in names]
    return answers


def test_only_the_rows_deciding_rows_takes_need_deciding_and_a_shortcut_would_not_do():
    rng = np.random.default_rng(21)
    probe = NearDuplicateIndex()
    batches = _crowded_batches(rng, probe)
    *batches, old = batches
    indexed = np.vstack([old, _band_flood(rng, 70, probe.rows)])
    saved = IndexedRows.of([f"s{i}" for i in range(len(indexed))], indexed, probe.threshold)

    def index_of() -> NearDuplicateIndex:
        return NearDuplicateIndex.on_saved([saved])

    everything = [np.ones(len(b), bool) for b in batches]
    truth = _decided(index_of, batches, everything)
    copies = np.cumsum([0, *map(len, batches)])[[0, 2, 2, 4]] + [0, 0, 72, 0]
    # pushed out of a bucket: of the index before the run, of the index, of the batch
    assert [truth[i][0] for i in copies[:3]] == [None, None, None]
    assert truth[copies[3]][0] == "b3-0"  # 70 rows came between, but only 60 of them were kept
    assert sum(t[0] is not None for t in truth) == 11  # and the 10 copies in the crowd

    keys = [probe.band_keys(b) for b in batches]
    needed = index_of().deciding_rows(
        np.concatenate([k.ravel() for k in keys]),
        np.concatenate([np.full(k.size, n) for n, k in enumerate(keys)]),
        np.concatenate([np.repeat(np.arange(len(k)), probe.bands) for k in keys]),
        np.concatenate([np.repeat(b, probe.bands, axis=0) for b in batches]),
    )
    per_row = np.split(
        needed.reshape(-1, probe.bands).any(axis=1), np.cumsum([len(b) for b in batches])[:-1]
    )
    assert _decided(index_of, batches, per_row) == truth
    assert 0 < sum(map(np.sum, per_row)) < sum(map(len, batches))  # the rest are kept as they are
    # deciding only the rows of similar pairs finds copies that the bucket cap hides
    pairs = [np.zeros(len(b), bool) for b in batches]
    for number, row in [(0, 0), (0, 1), (2, 0), (2, 1), (2, 72), (3, 0), (4, 0)]:
        pairs[number][row] = True
    pairs[3][np.r_[1:11, 61:71]] = True  # the crowd's copies and their originals
    shortcut = _decided(index_of, batches, pairs)
    assert [i for i, (a, b) in enumerate(zip(shortcut, truth, strict=True)) if a != b] == [
        copies[1],
        copies[2],
    ]
