"""Keyword queries: stemming of Indonesian affixes, phrases, boolean operators, malformed input."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.trends.keywords import keyword_cube, keyword_mask, stem_core
from analysis.trends.query import parse_query
from tests.trend_fixtures import articles, repeat

TEXTS = pd.Series(
    {
        "a": "Warga KEBANJIRAN di Kota Serang.",
        "b": "Jalan protokol dibanjiri air hujan semalam",
        "c": "Banjir bandang melanda dua desa",
        "d": "Bandang? Tidak, hanya banjir kecil",
        "e": "Menulis surat untuk para penulis muda",
        "f": None,
        "g": "Pemilu berjalan damai dan tertib",
        "h": "Banjir-banjir di Jakarta surut",
        "i": "Harga cabai dan bawang naik",
    }
)


def _matches(query: str) -> str:
    """Index letters of the texts that match the query."""
    return "".join(TEXTS.index[keyword_mask(TEXTS, query).to_numpy()])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("banjir", "abcdh"),  # kebanjiran, dibanjiri, banjir-banjir; case-insensitive
        ("kebanjiran", "abcdh"),  # the query word is stemmed too
        ("BANJIR", "abcdh"),
        ("tulis", "e"),  # menulis and penulis drop the t of tulis
        ('"banjir bandang"', "c"),  # a phrase needs its words in a row
        ("banjir bandang", "cd"),  # side by side means AND
        ("banjir AND bandang", "cd"),
        ("banjir DAN bandang", "cd"),
        ("banjir NOT jakarta", "abcd"),
        ("banjir BUKAN jakarta", "abcd"),
        ("tulis OR pemilu", "eg"),
        ("tulis ATAU pemilu", "eg"),
        ("NOT banjir", "efgi"),  # a missing text matches nothing, so NOT matches it
        ("(banjir ATAU pemilu) DAN NOT bandang", "abgh"),
        ("banjir OR pemilu AND damai", "abcdgh"),  # AND binds tighter than OR
        ("NOT banjir AND NOT cabai", "efg"),
        ("cabai atau bawang", ""),  # lower-case operators are words: every one must occur
        ("cabai dan bawang", "i"),
        ("kota", "a"),
        ("sungai", ""),
    ],
)
def test_queries_match_the_expected_texts(query, expected):
    assert _matches(query) == expected


def test_the_mask_keeps_the_index_and_is_boolean():
    mask = keyword_mask(TEXTS, "banjir")
    assert mask.index.equals(TEXTS.index)
    assert mask.dtype == bool


def test_phrases_do_not_cross_from_one_text_to_the_next():
    texts = pd.Series(["hujan deras banjir", "bandang datang"])
    assert not keyword_mask(texts, '"banjir bandang"').any()


def test_a_word_with_a_hyphen_or_digits_is_a_phrase_of_its_parts():
    texts = pd.Series(["Kasus covid-19 naik", "covid 19 turun", "19 kasus covid"])
    assert keyword_mask(texts, "covid-19").tolist() == [True, True, False]


def test_the_core_of_a_stem_drops_the_initials_men_and_pen_drop():
    assert stem_core("tulis") == "ulis"
    assert stem_core("sapu") == "apu"
    assert stem_core("banjir") == "banjir"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "the query is empty"),
        ("   ", "the query is empty"),
        ("banjir AND", "the query ends where a word"),
        ("NOT", "the query ends where a word"),
        ("AND banjir", "operator AND must stand between"),
        ("banjir OR OR pemilu", "operator OR must stand between"),
        ("(banjir", r"a '\(' in the query is never closed"),
        ("banjir)", r"a '\)' in the query has no matching '\('"),
        ('"banjir bandang', "unclosed quote at character 1"),
        ("()", "empty parentheses"),
        ('""', "has no letters or digits"),
        ("!!!", "has no letters or digits"),
    ],
)
def test_malformed_queries_raise_a_clear_value_error(query, message):
    with pytest.raises(ValueError, match=message):
        keyword_mask(TEXTS, query)


def test_parse_query_rejects_what_is_not_a_string():
    with pytest.raises(ValueError, match="the query is empty"):
        parse_query(None)


def test_keyword_cube_searches_titles_and_texts():
    frame = articles(
        repeat(1, wib="2024-03-04 09:00", title="Rob melanda pesisir", text="air laut naik")
        + repeat(1, wib="2024-03-04 09:00", title="Pasar ramai", text="warga kebanjiran order")
        + repeat(1, wib="2024-03-04 09:00", title="Pasar sepi", text="harga naik")
    )
    assert int(keyword_cube(frame, "rob OR banjir")["articles"].sum()) == 2
    assert keyword_cube(frame, "gempa").empty


def test_a_core_inside_another_word_is_not_a_match():
    texts = pd.Series(
        ["Kabar dari Kairo", "Sepasang sepatu", "Air bersih mengalir", "pengairan sawah"]
    )
    assert keyword_mask(texts, "air").tolist() == [False, False, True, True]


def test_results_do_not_depend_on_the_chunk_size(monkeypatch):
    expected = {q: keyword_mask(TEXTS, q).tolist() for q in ("banjir", '"banjir bandang"', "tulis")}
    monkeypatch.setattr("analysis.trends.keywords.CHUNK", 2)
    assert {q: keyword_mask(TEXTS, q).tolist() for q in expected} == expected
