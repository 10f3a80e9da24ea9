"""Language labels on invented sentences, short headlines, empty and junk input."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from data.language import LANGUAGES, detect_language, detect_languages

INDONESIAN = [
    "Pemerintah Kota Serang menyiapkan anggaran Rp2 miliar untuk perbaikan jalan yang rusak "
    "akibat banjir, kata kepala dinas pada Senin.",
    "Warga bilang jalannya rusak banget, nggak bisa dilewati motor",
    'Kepala dinas mengatakan, "We are ready for the rainy season," saat apel siaga bencana di '
    "alun-alun kota pada Selasa pagi.",
]
# Headlines a naive detector calls Malay or cannot place.
INDONESIAN_HEADLINES = [
    "Wali Kota Tinjau Lokasi Banjir di Kasemen",
    "Harga cabai naik lagi",
    "Bupati Resmikan Pasar Baru",
    "Sekolah Diliburkan karena Banjir",
    "Polisi Tangkap Pencuri Motor",
]
MALAY = [
    "Kerajaan negeri akan menyalurkan bantuan wang tunai kepada mangsa banjir kerana hujan lebat "
    "sejak semalam, kata pegawai daerah.",
    "Polis menahan dua lelaki yang disyaki terlibat dalam kes rompakan di Johor Bahru malam tadi.",
    "Sekolah ditutup sehingga Isnin kerana jerebu semakin teruk, kata kementerian.",
]
ENGLISH = [
    "The city government said the flood had receded by Tuesday morning and schools would reopen.",
    "Floods force thousands from their homes in Banten",
]
JAVANESE = [
    "Kula badhe nyuwun pirsa, menapa panjenengan sampun dhahar?",
    "Aku ora ngerti yen dalane wis ditutup wiwit esuk",
    "Mangga sami dipun waspadani, banjir sampun wonten ing desa punika.",
]
OTHER = [
    "Abdi henteu acan terang naon anu kajadian di dinya, jeung geus peuting",  # Sundanese
    "Le maire a annoncé que les écoles resteront fermées demain.",
]
JUNK = [
    "",
    "   \n\t",
    "12345 678,90",
    "😀🔥💯",
    "\x00\x01\x02binary\xff\xfe",
    "\ud800\udfff",
    "asdkjh qwpoe zzkv",
    "@@@ ### !!!",
    None,
    float("nan"),
    3.5,
]

CASES = [
    *[(t, "id") for t in INDONESIAN + INDONESIAN_HEADLINES],
    *[(t, "ms") for t in MALAY],
    *[(t, "en") for t in ENGLISH],
    *[(t, "jv") for t in JAVANESE],
    *[(t, "other") for t in OTHER + JUNK],
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_detect_language(text: object, expected: str) -> None:
    assert detect_language(text) == expected


def test_detect_languages_keeps_the_index() -> None:
    texts = pd.Series([INDONESIAN[0], MALAY[0], None, ENGLISH[0]], index=[7, 3, 9, 1])
    labels = detect_languages(texts)
    assert labels.index.tolist() == [7, 3, 9, 1]
    assert labels.tolist() == ["id", "ms", "other", "en"]
    assert detect_languages(pd.Series([], dtype=object)).tolist() == []


def test_very_long_and_random_input_never_raises() -> None:
    rng = random.Random(11)
    noise = ["".join(chr(rng.randrange(0x110000)) for _ in range(200)) for _ in range(50)]
    long_text = INDONESIAN[0] * 20_000 + "\x00"
    labels = detect_languages(pd.Series([*noise, long_text], dtype=object))
    assert set(labels) <= set(LANGUAGES)
    assert labels.iloc[-1] == "id"


def test_malay_needs_malay_words_not_just_the_detector() -> None:
    # a Malay-looking sentence with a single Malay marker stays Indonesian
    assert detect_language("Kerajaan umumkan bantuan untuk petani di desa") == "id"
    assert detect_language("Kerajaan umumkan bantuan baharu kerana harga naik") == "ms"
