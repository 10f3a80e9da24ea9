"""Language of each article (id, ms, en, jv or other), offline: CLD2 plus Indonesian/Malay word markers."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib.resources import files

import pandas as pd
import pycld2


def _word_set(words: str) -> frozenset[str]:
    """The whitespace-separated words of a table below."""
    return frozenset(words.split())


#: The labels this module returns.
LANGUAGES: tuple[str, ...] = ("id", "ms", "en", "jv", "other")

#: CLD2's codes for the languages we label (anything else is "other").
DETECTOR_CODES: dict[str, str] = {"id": "id", "ms": "ms", "en": "en", "jw": "jv"}

#: Words that occur in one language (or dialect group) and rarely in the others, lowercase.
MARKERS: dict[str, frozenset[str]] = {
    "id": _word_set(
        """
        bisa karena bahwa saja uang mau kapan nggak enggak gak banget aja kok dong sih
        rp wib wita wit kabupaten kecamatan kelurahan provinsi pemkot pemkab pemprov
        polisi polres polda polsek kepolisian dprd dpr bupati gubernur walikota camat lurah
        dinas kantor mobil sepeda persen miliar triliun kemarin
        senin kamis jumat maret juni juli agustus desember
        """
    ),
    "ms": _word_set(
        """
        kerana bahawa sahaja mahu wang kerajaan polis hospital peratus bilion ringgit
        mangsa sebarang kenderaan menerusi kakitangan sekiranya encik baharu akhbar
        memandangkan tempoh universiti kes mendakwa isnin khamis jumaat ogos julai
        disember
        """
    ),
    "jv": _word_set(
        """
        ingkang sampun kula menika wonten nggih mboten dipun panjenengan saking kaliyan badhe
        punika kados inggih nyuwun sugeng matur nuwun ora wis durung saiki piye ngerti kanggo
        amarga utawa banjur kabeh mung isih arep marang karo kuwi
        """
    ),
    "su": _word_set(
        """
        henteu teu jeung geus keur anjeun abdi pikeun tina sareng ieu kana ogé oge
        """
    ),
}

#: Common words Indonesian and Malay share: evidence for Indonesian when nothing says Malay.
SHARED_WORDS: frozenset[str] = _word_set(
    """
    yang dan di ke dari dengan untuk pada ini itu akan dalam tidak juga sudah telah oleh
    adalah ada atau tak belum masih bagi hingga sejak saat jika agar namun tetapi tapi lagi
    para kami kita mereka dia ia saya baru lebih sangat semua setiap banyak dua tiga
    """
)

#: Common English words: evidence against Indonesian when the detector says English.
ENGLISH_WORDS: frozenset[str] = _word_set(
    """
    the of and to in is for on with at by from that this are was be has have it its an or
    not will said after over new more than but who they their his her we you which
    """
)

#: Share of words built on an Indonesian root that makes text the detector does not know Indonesian.
ROOT_SHARE = 0.5

#: Prefixes stripped to find a word's root, with the letter a nasal prefix replaced (meny-+s).
PREFIXES: tuple[tuple[str, str], ...] = (
    ("", ""), ("meng", ""), ("meng", "k"), ("meny", "s"), ("mem", ""), ("mem", "p"), ("men", ""),
    ("men", "t"), ("me", ""), ("ber", ""), ("be", ""), ("ter", ""), ("di", ""), ("ke", ""),
    ("se", ""), ("peng", ""), ("peng", "k"), ("peny", "s"), ("pem", ""), ("pem", "p"),
    ("pen", ""), ("pen", "t"), ("per", ""), ("pe", ""),
)  # fmt: skip

#: Suffixes stripped to find a word's root.
SUFFIXES: tuple[str, ...] = ("", "kan", "an", "i", "nya", "lah", "kah")

#: Characters read from the start of each text (title and lead decide the language).
SAMPLE_CHARS = 400

#: Marker words needed before Malay or Javanese overrules the detector.
MIN_MARKERS = 2

_LETTERS = re.compile(r"[^\W\d_]+")
_UNREADABLE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)


def detect_languages(texts: pd.Series) -> pd.Series:
    """id | ms | en | jv | other per text ("other" for empty, unreadable or unknown text)."""
    labels = [detect_language(text) for text in texts.tolist()]
    return pd.Series(labels, index=texts.index, dtype=object)


def detect_language(text: object) -> str:
    """id | ms | en | jv | other for one text; never raises."""
    sample = _sample(text)
    words = frozenset(_LETTERS.findall(sample.lower()))
    return _decision(_detector_code(sample), words) if words else "other"


def _sample(text: object) -> str:
    """The start of the text with characters CLD2 cannot read replaced by spaces."""
    return _UNREADABLE.sub(" ", text[:SAMPLE_CHARS]) if isinstance(text, str) else ""


def _detector_code(sample: str) -> str:
    """CLD2's best guess ('un' when it has none or cannot read the text)."""
    try:
        reliable, _, details = pycld2.detect(sample, isPlainText=True)
    except pycld2.error:
        return "un"
    return details[0][1] if reliable else "un"


def _decision(code: str, words: frozenset[str]) -> str:
    """Combine CLD2's guess with word evidence; Indonesian wins whenever the words allow it."""
    markers = {language: len(words & table) for language, table in MARKERS.items()}
    regional = max(("jv", "su"), key=markers.__getitem__)
    if markers[regional] >= MIN_MARKERS and markers[regional] > markers["id"] + markers["ms"]:
        return "jv" if regional == "jv" else "other"
    malayic = markers["id"] + markers["ms"] + len(words & SHARED_WORDS)
    english = len(words & ENGLISH_WORDS)
    if code == "en":
        indonesian = malayic > english or (english <= 1 and _root_share(words) >= ROOT_SHARE)
    elif code == "jw":
        indonesian = not markers["jv"] and (malayic > 0 or _root_share(words) >= ROOT_SHARE)
    else:
        indonesian = code in ("id", "ms") or malayic > 0 or _root_share(words) >= ROOT_SHARE
    if indonesian:
        return "ms" if markers["ms"] >= MIN_MARKERS and markers["ms"] > markers["id"] else "id"
    return DETECTOR_CODES.get(code, "other")


def _root_share(words: frozenset[str]) -> float:
    """Share of the words that are an Indonesian root, possibly with prefix and suffix."""
    return sum(map(_has_indonesian_root, words)) / len(words)


@lru_cache(maxsize=1 << 16)
def _has_indonesian_root(word: str) -> bool:
    """Whether stripping at most one prefix and one suffix leaves an Indonesian root word."""
    roots = _root_words()
    return any(
        len(stem) >= 3 and stem in roots
        for prefix, first in PREFIXES
        if word.startswith(prefix)
        for suffix in SUFFIXES
        if word.endswith(suffix)
        for stem in (first + word[len(prefix) : len(word) - len(suffix)],)
    )


@cache
def _root_words() -> frozenset[str]:
    """Indonesian root words shipped with the Sastrawi stemmer, plus the shared function words."""
    path = files("Sastrawi") / "Stemmer" / "data" / "kata-dasar.txt"
    return frozenset(path.read_text(encoding="utf-8").split()) | SHARED_WORDS
