"""Small invented news corpora for the topic tests: a few themes, seeded, written for these tests."""

from __future__ import annotations

import random

import pandas as pd

from data.schema import ARTICLE_COLUMNS

THEME_WORDS: dict[str, tuple[str, ...]] = {
    "banjir": (
        "banjir", "hujan deras", "tanggul jebol", "pengungsi", "bpbd", "genangan", "sungai meluap",
        "perahu karet", "evakuasi", "posko banjir", "rumah terendam", "pompa air",
    ),
    "pangan": (
        "harga cabai", "beras", "pasar induk", "pedagang", "inflasi", "bawang merah", "minyak goreng",
        "stok gudang", "operasi pasar", "harga telur", "gula pasir", "distributor",
    ),
    "bola": (
        "pemain", "gol", "pelatih", "stadion", "liga", "suporter", "pertandingan", "klub", "penalti",
        "kiper", "tendangan bebas", "babak kedua",
    ),
    "pilkada": (
        "calon bupati", "kampanye", "pemilih", "kpu", "tps", "surat suara", "debat kandidat", "partai",
        "pasangan calon", "bawaslu", "rekapitulasi", "saksi",
    ),
    "kesehatan": (
        "vaksin", "puskesmas", "demam berdarah", "dinas kesehatan", "pasien", "imunisasi", "nyamuk",
        "rumah sakit", "dokter", "balita", "posyandu", "obat",
    ),
}  # fmt: skip

FILLER = (
    "warga", "pemerintah daerah", "wali kota", "kecamatan", "kelurahan", "kegiatan", "masyarakat",
    "petugas", "laporan", "rapat", "program", "anggaran",
)  # fmt: skip
PLACES = (("Banten", "Kota Serang"), ("Jawa Barat", "Kota Bandung"), ("Jawa Timur", "Kota Malang"))
OUTLETS = ("kabar-serang", "warta-priangan", "suara-malang")


def theme_article(rng: random.Random, theme: str, number: int, start: pd.Timestamp) -> dict:
    """One invented article about a theme: a short title and a body mixing theme words and filler."""
    words = THEME_WORDS[theme]
    province, regency = rng.choice(PLACES)
    title = " ".join(rng.sample(words, 3)) + f" di {regency}"
    body = [rng.choice(words) if rng.random() < 0.7 else rng.choice(FILLER) for _ in range(40)]
    return {
        "article_id": f"{theme}-{number:04d}",
        "url": f"https://{rng.choice(OUTLETS)}.example/{theme}/{number}",
        "source": rng.choice(OUTLETS),
        "title": title.capitalize(),
        "text": " ".join(body) + ".",
        "published_at": start + pd.Timedelta(days=rng.randrange(120), hours=rng.randrange(24)),
        "province": province,
        "regency": regency,
        "language": "id",
    }


def theme_articles(n_per_theme: int = 40, seed: int = 7, first: int = 0) -> pd.DataFrame:
    """n articles per theme with canonical columns, numbered from first, seeded."""
    rng = random.Random(seed)
    start = pd.Timestamp("2024-01-01", tz="UTC")
    rows = [
        theme_article(rng, theme, first + i, start)
        for theme in THEME_WORDS
        for i in range(n_per_theme)
    ]
    frame = pd.DataFrame(rows)
    return frame.assign(**{c: None for c in ARTICLE_COLUMNS if c not in frame.columns})[
        list(ARTICLE_COLUMNS)
    ]


def theme_of(article_ids: pd.Series) -> pd.Series:
    """The theme an invented article was written about (its id prefix)."""
    return article_ids.str.split("-").str[0]
