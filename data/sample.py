"""A seeded synthetic corpus that looks like two years of Indonesian regional news, messy as real input.

Every outlet, person, company and event in it is invented; every outlet domain ends in .example.id.
Places are real regencies and provinces. `PLANTED` says which patterns were planted (a burst, a new
theme, a seasonal theme, regional specialities, a syndicated-only burst) so that tests and the
analysis layer can check that they are found. Dates in the plan are calendar dates in WIB.
"""

from __future__ import annotations

import csv
import json
import random
import re
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple, TextIO

import numpy as np
import pandas as pd

from data.regions import provinces, regencies
from data.schema import RAW_COLUMNS

SYNTHETIC_NOTICE = (
    "Data contoh sintetis: seluruh berita, media, tokoh, perusahaan, dan peristiwa di dalamnya "
    "rekaan, dibuat oleh generator acak; hanya nama wilayah yang nyata. "
    "Synthetic sample data: every article, outlet, person, company and event in it is invented by a "
    "random generator; only the place names are real."
)

DEFAULT_END = date(2026, 10, 31)
DEFAULT_MONTHS = 24
MIN_MONTHS = 12
MIN_ARTICLES = 1_000

#: Extra columns of `labelled_frames`: what each raw row really is.
TRUTH_COLUMNS: tuple[str, ...] = (
    "truth_theme",
    "truth_province_code",
    "truth_regency_code",
    "truth_published_at",  # UTC
    "truth_kind",  # original | syndicated | syndicated_burst | tracked_repeat | updated_repeat | no_text
    "truth_story",  # copies share the story number of what they copy; the syndicated burst is -1
    "truth_language",
)

BLOCK_ROWS = 2_000  # rows generated together from one seed; output does not depend on chunk_rows
SHARES: dict[str, float] = {  # share of all rows, by kind
    "syndicated": 0.07,
    "tracked_repeat": 0.02,
    "updated_repeat": 0.005,
    "no_text": 0.004,
}
UNDATED_SHARE = 0.03
HOME_SHARE = 0.85  # of a regional outlet's stories, those about its home province
HOME_REGENCY_SHARE = 0.45  # of those, about its home city or regency, when it has one
SYNDICATED_BURST_SHARE = 0.002  # copies of the syndicated-only story, at least SYNDICATED_BURST_MIN
SYNDICATED_BURST_MIN = 40
WORDS = (120, 400)


# --- the plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Burst:
    """Many distinct stories of one theme in a few provinces over a few weeks."""

    theme: str
    event: str
    start: date
    end: date
    provinces: tuple[str, ...]

    def stories(self, n_articles: int) -> int:
        """How many stories of a corpus of n_articles rows are planted burst stories (on top of the
        theme's usual coverage)."""
        return max(BURST_MIN, round(n_articles * BURST_SHARE))


@dataclass(frozen=True)
class SyndicatedBurst:
    """One story copied by many outlets within days: a burst of rows, but a single article."""

    theme: str
    title: str
    source: str
    regency_code: str
    start: date
    end: date

    def copies(self, n_articles: int) -> int:
        """How many rows of a corpus of n_articles rows are copies of this story."""
        return max(SYNDICATED_BURST_MIN, round(n_articles * SYNDICATED_BURST_SHARE))


@dataclass(frozen=True)
class SamplePlan:
    """The structure planted in the sample corpus."""

    start: date
    end: date
    themes: Mapping[str, str]  # theme key -> label
    burst: Burst
    new_theme: str  # no story before new_theme_first
    new_theme_first: date
    seasonal_theme: str
    seasonal_months: tuple[int, ...]  # its peak months
    specialities: Mapping[str, str]  # province_code -> theme covered far more there than elsewhere
    syndicated_burst: SyndicatedBurst
    fading_theme: str  # covered heavily at the start, hardly at the end
    holiday_theme: str  # peaks in the weeks around each holiday
    holidays: tuple[date, ...]


LEBARAN: tuple[date, ...] = tuple(
    date.fromisoformat(day)
    for day in (
        "2020-05-24", "2021-05-13", "2022-05-02", "2023-04-22", "2024-04-10", "2025-03-31",
        "2026-03-20", "2027-03-10", "2028-02-27", "2029-02-15", "2030-02-05", "2031-01-25",
    )
)  # fmt: skip

SPECIALITIES: dict[str, str] = {
    "72": "gempa",  # Sulawesi Tengah
    "52": "gempa",  # Nusa Tenggara Barat
    "64": "tambang",  # Kalimantan Timur
    "74": "tambang",  # Sulawesi Tenggara
    "82": "tambang",  # Maluku Utara
    "81": "nelayan",  # Maluku
    "51": "pariwisata",  # Bali
    "36": "jalan_rusak",  # Banten
}
NEW_THEME_MONTHS = 6
SYNDICATED_LEAD = (
    "Pemerintah meresmikan kawasan industri hijau senilai Rp 12,4 triliun di Kabupaten Grobogan, "
    "Jawa Tengah, yang ditargetkan menyerap 8.000 pekerja lokal dalam tiga tahun ke depan."
)


def _month_start(day: date, months_back: int) -> date:
    """The first day of the month months_back months before day's month."""
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def sample_plan(end: date = DEFAULT_END, months: int = DEFAULT_MONTHS) -> SamplePlan:
    """The planted structure of a sample corpus of `months` months ending on `end`."""
    if months < MIN_MONTHS:
        raise ValueError(f"months must be at least {MIN_MONTHS} (got {months})")
    start = _month_start(end, months - 1)
    burst_start = _month_start(end, months - 1 - round(months * 0.45)) + timedelta(days=9)
    syndicated_start = _month_start(end, months - 1 - round(months * 0.3)) + timedelta(days=16)
    return SamplePlan(
        start=start,
        end=end,
        themes=MappingProxyType({key: theme.label for key, theme in THEMES.items()}),
        burst=Burst(
            theme="keracunan",
            event="Keracunan massal menu makan siang sekolah",
            start=burst_start,
            end=burst_start + timedelta(days=20),
            provinces=("32", "33", "36"),
        ),
        new_theme="motor_listrik",
        new_theme_first=_month_start(end, NEW_THEME_MONTHS - 1),
        seasonal_theme="banjir",
        seasonal_months=(11, 12, 1, 2, 3),
        specialities=MappingProxyType(dict(SPECIALITIES)),
        syndicated_burst=SyndicatedBurst(
            theme="investasi",
            title="Kawasan Industri Hijau Rp 12,4 Triliun Diresmikan di Grobogan, Serap 8.000 Pekerja",
            source="Kantor Berita Nusa",
            regency_code="33.15",
            start=syndicated_start,
            end=syndicated_start + timedelta(days=1),
        ),
        fading_theme="pilkada",
        holiday_theme="mudik",
        holidays=tuple(day for day in LEBARAN if start <= day <= end),
    )


# --- themes: weights and phrasings ---------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """One theme: how often it is covered, its rubric and its sentence templates."""

    label: str
    category: str
    weight: float
    officials: tuple[str, ...]
    titles: tuple[str, ...]
    leads: tuple[str, ...]
    body: tuple[str, ...]
    quotes: tuple[str, ...]
    english: tuple[str, ...]  # two English titles, then English sentences
    season: Mapping[int, float] = field(default_factory=dict)  # month -> weight factor


THEMES: dict[str, Theme] = {
    "banjir": Theme(
        label="Banjir",
        category="Peristiwa",
        weight=6,
        season=MappingProxyType(
            {11: 3.0, 12: 3.4, 1: 3.6, 2: 3.2, 3: 2.4, 5: 0.4, 6: 0.3, 7: 0.25, 8: 0.25, 9: 0.3}
        ),
        officials=(
            "Kepala Pelaksana BPBD {place_short}",
            "Kepala BPBD {place_short}",
            "Kepala Bidang Kedaruratan BPBD {place_short}",
        ),
        titles=(
            "Banjir Rendam {n} Desa di {place_short}, [Ratusan|Puluhan] Warga Mengungsi",
            "Hujan Deras Semalaman, {n_big} Rumah di {place_short} Terendam Banjir",
            "Sungai Meluap, Banjir [Setinggi|Hingga] {cm} Cm Landa {village}",
            "BPBD {place_short} Siagakan Perahu Karet Hadapi Banjir Susulan",
            "Banjir Kembali Terjang {district}, Akses Jalan Lumpuh",
            "Warga {village} Keluhkan Banjir Tahunan yang Tak Kunjung Teratasi",
            "{pemda} Tetapkan Status Tanggap Darurat Banjir",
            "[Ribuan|Ratusan] Warga {place_short} Terdampak Banjir, Bantuan Mulai Disalurkan",
        ),
        leads=(
            "Banjir merendam {n} desa di {district}, {place}, {province}, pada {hari} {tgl} setelah hujan deras mengguyur wilayah itu sejak sore hari.",
            "Sebanyak {n_big} rumah warga di {place} terendam banjir [setinggi|dengan ketinggian] {cm} sentimeter akibat meluapnya {river}.",
            "Hujan dengan intensitas tinggi yang mengguyur {place} sejak {hari} malam menyebabkan {river} meluap dan merendam permukiman warga di {village}.",
            "Ratusan warga {village}, {district}, {place}, terpaksa mengungsi setelah banjir kembali melanda kawasan tersebut.",
        ),
        body=(
            "Ketinggian air di sejumlah titik mencapai {cm} sentimeter sehingga warga harus menyelamatkan barang-barang berharga ke tempat yang lebih tinggi.",
            "{official} [mengatakan|menyebutkan] pihaknya telah menerjunkan tim reaksi cepat untuk membantu evakuasi warga, terutama lansia dan anak-anak.",
            "Para pengungsi untuk sementara ditampung di balai desa, masjid, dan gedung sekolah terdekat.",
            "Selain merendam rumah, banjir juga menggenangi {ha} hektare sawah yang baru saja ditanami padi.",
            "Petugas gabungan dari BPBD, TNI, Polri, dan relawan mendirikan dapur umum untuk memenuhi kebutuhan makan para pengungsi.",
            "Berdasarkan data sementara, tidak ada korban jiwa dalam peristiwa tersebut, namun kerugian material diperkirakan mencapai {rp_mid}.",
            "BMKG memprakirakan hujan dengan intensitas sedang hingga lebat masih akan terjadi dalam beberapa hari ke depan.",
            "Warga menyebut banjir kali ini merupakan yang terparah dalam [lima|sepuluh] tahun terakhir.",
            "Sejumlah ruas jalan penghubung antardesa tidak dapat dilalui kendaraan roda dua karena tergenang air.",
            "Menurut warga, pendangkalan sungai dan saluran drainase yang tersumbat sampah menjadi penyebab air cepat meluap.",
            "Pemerintah daerah berencana melakukan normalisasi {river} tahun depan dengan anggaran sekitar {rp_big}.",
            "Bantuan berupa beras, mi instan, air bersih, dan selimut mulai didistribusikan ke posko pengungsian.",
        ),
        quotes=(
            '"Air mulai naik sekitar pukul {jam} dan dalam waktu satu jam sudah masuk ke dalam rumah," [kata|ujar|tutur] {resident}, warga setempat.',
            '"Kami mengimbau warga yang tinggal di bantaran sungai untuk tetap waspada karena curah hujan masih tinggi," [kata|ujar] {official}.',
            '"Kami sudah berkali-kali mengusulkan pembangunan tanggul, tapi sampai sekarang belum ada realisasi," keluh {resident}.',
            '"Posko pengungsian kami buka 24 jam dan kebutuhan logistik untuk tiga hari ke depan masih aman," [kata|jelas] {head}.',
        ),
        english=(
            "Floods submerge {n} villages in {place}",
            "Hundreds evacuated as river overflows in {place}, {province}",
            "Heavy rain since {day_en} evening caused the river to overflow, flooding homes in {village}.",
            "The local disaster mitigation agency deployed rubber boats to evacuate elderly residents and children.",
            "No casualties were reported, but officials estimated losses at {rp_mid}.",
        ),
    ),
    "harga_pangan": Theme(
        label="Harga pangan",
        category="Ekonomi",
        weight=7,
        officials=(
            "Kepala Dinas Perindustrian dan Perdagangan {place_short}",
            "Kepala Disperindag {place_short}",
            "Kepala Bidang Perdagangan Disperindag {place_short}",
            "Kepala Dinas Ketahanan Pangan {place_short}",
        ),
        titles=(
            "Harga {commodity} di {place_short} Naik Jadi {price} per Kilogram",
            "Jelang {occasion}, Harga {commodity} di Pasar {market} Merangkak Naik",
            "Harga {commodity} Turun, Pedagang di {place_short} Mengeluh Sepi Pembeli",
            "{pemda} Gelar Operasi Pasar Murah untuk Tekan Harga {commodity}",
            "Disperindag {place_short} Pastikan Stok {commodity} Aman hingga Akhir Tahun",
            "Harga {commodity} Melonjak, Ibu Rumah Tangga di {place_short} Kurangi Belanja",
            "Pasar Murah Diserbu Warga, {n_big} Paket Sembako Ludes dalam Dua Jam",
            "Inflasi {province} Dipicu Kenaikan Harga {commodity}",
        ),
        leads=(
            "Harga {commodity} di sejumlah pasar tradisional di {place}, {province}, terpantau naik dalam sepekan terakhir dan kini mencapai {price} per kilogram.",
            "{pemda} menggelar operasi pasar murah di {village} pada {hari} {tgl} untuk menekan lonjakan harga {commodity} yang dikeluhkan warga.",
            "Pedagang di Pasar {market}, {place}, mengeluhkan turunnya daya beli masyarakat setelah harga {commodity} terus bergerak naik.",
            "Menjelang {occasion}, harga sejumlah bahan pokok di {place} mulai merangkak naik, terutama {commodity}.",
        ),
        body=(
            "Sebelumnya, harga {commodity} masih berada di kisaran {price2} per kilogram.",
            "Kenaikan harga dipicu berkurangnya pasokan dari daerah sentra produksi akibat cuaca yang tidak menentu.",
            "Berdasarkan pantauan di lapangan, antrean warga sudah mengular sejak pagi sebelum operasi pasar dibuka.",
            "Dalam operasi pasar tersebut, pemerintah menyediakan {n_big} paket sembako yang dijual di bawah harga pasar.",
            "Setiap warga hanya diperbolehkan membeli maksimal dua paket agar distribusi merata.",
            "Tim pemantau harga akan turun ke pasar setiap hari untuk memastikan tidak ada penimbunan.",
            "Badan Pusat Statistik mencatat inflasi {province} pada bulan lalu sebesar {pct_small} persen secara tahunan.",
            "Selain {commodity}, kenaikan harga juga terjadi pada telur ayam ras dan bawang merah.",
            "Pemerintah daerah juga berkoordinasi dengan Bulog untuk menambah pasokan beras ke pasar-pasar tradisional.",
            "Pedagang berharap pemerintah segera turun tangan agar harga kembali stabil.",
            "Satgas Pangan Polres {place_short} turut memantau gudang distributor untuk mencegah praktik penimbunan.",
        ),
        quotes=(
            '"Biasanya saya beli satu kilo, sekarang cuma setengah karena harganya naik terus," [kata|ujar|tutur] {resident}, seorang ibu rumah tangga.',
            '"Stok {commodity} untuk kebutuhan masyarakat {place_short} dipastikan aman hingga beberapa bulan ke depan," [kata|ujar] {official}.',
            '"Pembeli sepi, kami jualnya juga jadi serba salah," keluh {resident}, pedagang di Pasar {market}.',
            '"Operasi pasar ini akan kami gelar bergiliran di setiap kecamatan," [kata|jelas] {head}.',
        ),
        english=(
            "Price of {commodity} climbs to {price} per kilogram in {place}",
            "{place} holds cheap market to curb food prices",
            "Traders at Pasar {market} said supplies from producing regions had fallen because of erratic weather.",
            "The local government sold {n_big} packages of staple food below market prices.",
            "Officials said stocks would be sufficient for the coming months.",
        ),
    ),
    "pilkada": Theme(
        label="Pilkada",
        category="Politik",
        weight=5,
        officials=(
            "Ketua KPU {place_short}",
            "Ketua Bawaslu {place_short}",
            "Komisioner KPU {place_short} Divisi Teknis",
        ),
        titles=(
            "KPU {place_short} Tetapkan {n_small} Pasangan Calon {head_office}",
            "Bawaslu {place_short} Temukan Dugaan Pelanggaran Kampanye di {district}",
            "Rekapitulasi Suara Pilkada {place_short} Rampung, Paslon Nomor Urut {n_small} Unggul",
            "Sengketa Hasil Pilkada {place_short} Bergulir ke Mahkamah Konstitusi",
            "Debat Publik Calon {head_office} {place_short} Soroti Lapangan Kerja",
            "Partisipasi Pemilih di {place_short} Capai {pct} Persen",
            "Pemungutan Suara Ulang Digelar di {n_small} TPS di {place_short}",
            "Pelantikan {head_office} {place_short} Terpilih Dijadwalkan Bulan Depan",
        ),
        leads=(
            "Komisi Pemilihan Umum (KPU) {place} menggelar rapat pleno terbuka rekapitulasi hasil penghitungan suara Pilkada pada {hari} {tgl}.",
            "Badan Pengawas Pemilu (Bawaslu) {place}, {province}, menindaklanjuti laporan dugaan politik uang yang terjadi di {village} menjelang pemungutan suara.",
            "Tahapan Pilkada di {place} memasuki babak akhir setelah seluruh saksi pasangan calon menandatangani berita acara rekapitulasi.",
            "Sebanyak {n_big} petugas KPPS di {place} mengikuti bimbingan teknis jelang pemungutan suara ulang.",
        ),
        body=(
            "Rapat pleno dihadiri saksi dari masing-masing pasangan calon, Bawaslu, serta unsur kepolisian.",
            "Dari hasil rekapitulasi, pasangan nomor urut {n_small} memperoleh {n_big} suara atau {pct} persen dari total suara sah.",
            "Bawaslu mencatat sedikitnya {n} laporan dugaan pelanggaran selama masa kampanye, sebagian besar terkait pemasangan alat peraga.",
            "Tingkat partisipasi pemilih tahun ini tercatat {pct} persen, sedikit lebih rendah dibandingkan pilkada sebelumnya.",
            "Pasangan calon yang kalah menyatakan akan menempuh jalur hukum dengan mengajukan gugatan ke Mahkamah Konstitusi.",
            "Pengamanan rapat pleno melibatkan {n_big} personel gabungan TNI dan Polri.",
            "KPU mengimbau seluruh pendukung pasangan calon untuk menjaga kondusivitas dan menghormati hasil rekapitulasi.",
            "Dugaan politik uang tersebut dilaporkan warga disertai barang bukti berupa amplop berisi uang tunai.",
            "Sejumlah aparatur sipil negara juga dilaporkan karena diduga tidak netral selama masa kampanye.",
            "Logistik pemilihan berupa surat suara dan kotak suara telah didistribusikan ke seluruh kecamatan.",
        ),
        quotes=(
            '"Kami memastikan seluruh tahapan berjalan sesuai aturan dan terbuka untuk diawasi publik," [kata|ujar] {official}.',
            '"Setiap laporan masyarakat akan kami tindak lanjuti sesuai prosedur," [kata|tegas] {official}.',
            '"Siapa pun yang terpilih, kami berharap bisa membawa perubahan untuk daerah ini," [kata|ujar] {resident}, seorang pemilih di {village}.',
        ),
        english=(
            "Election commission in {place} finalises vote count",
            "Poll watchdog probes vote-buying claims in {place}",
            "The commission said turnout reached {pct} percent.",
            "Witnesses from every candidate pair signed the recapitulation report.",
            "The losing pair said they would challenge the result at the Constitutional Court.",
        ),
    ),
    "jalan_rusak": Theme(
        label="Jalan rusak",
        category="Daerah",
        weight=7,
        officials=(
            "Kepala Dinas PUPR {place_short}",
            "Kabid Bina Marga Dinas PUPR {place_short}",
            "Kepala UPT Jalan dan Jembatan {province}",
        ),
        titles=(
            "Jalan Rusak di {district} Tak Kunjung Diperbaiki, Warga Tanam Pohon Pisang",
            "Ruas Jalan {road} Rusak Parah, Kendaraan Harus Antre",
            "Warga {village} Swadaya Tambal Jalan Berlubang",
            "Dinas PUPR {place_short} Alokasikan {rp_big} untuk Perbaikan Jalan",
            "Jalan Penghubung Antarkecamatan di {place_short} Putus Tergerus Longsor",
            "Viral Video Jalan Berlumpur di {place_short}, Pemda Janji Perbaiki Tahun Ini",
            "Perbaikan Jalan {road} Ditargetkan Rampung Akhir Tahun",
            "Jembatan Gantung di {village} Rusak, Siswa Terpaksa Seberangi Sungai",
        ),
        leads=(
            "Kondisi ruas jalan {road} di {district}, {place}, rusak parah dengan lubang di sejumlah titik sehingga membahayakan pengendara.",
            "Warga {village}, {place}, {province}, menanam pohon pisang di tengah jalan sebagai bentuk protes atas jalan rusak yang tak kunjung diperbaiki.",
            "Dinas Pekerjaan Umum dan Penataan Ruang (PUPR) {place} mulai memperbaiki jalan sepanjang {km} kilometer yang rusak di {district}.",
            "Sebuah video yang memperlihatkan kendaraan terjebak lumpur di jalan penghubung desa di {place} ramai dibagikan di media sosial.",
        ),
        body=(
            "Kerusakan jalan tersebut sudah berlangsung lebih dari dua tahun dan semakin parah saat musim hujan.",
            "Lubang-lubang di badan jalan memiliki kedalaman hingga {cm} sentimeter dan kerap tertutup genangan air.",
            "Sejumlah pengendara sepeda motor dilaporkan terjatuh saat melintasi ruas jalan tersebut pada malam hari.",
            "Jalan itu merupakan akses utama warga untuk mengangkut hasil pertanian ke pasar.",
            "Perbaikan akan dilakukan menggunakan konstruksi beton dengan lebar enam meter.",
            "Anggaran perbaikan bersumber dari Dana Alokasi Khusus dan APBD {place_short} tahun {year}.",
            "{official} menyebut panjang jalan daerah dalam kondisi rusak berat masih mencapai {km} kilometer.",
            "Truk bermuatan berat yang melintas setiap hari disebut mempercepat kerusakan jalan.",
            "Warga sempat bergotong royong menimbun lubang dengan batu dan tanah merah.",
            "DPRD {place_short} meminta perbaikan jalan menjadi prioritas dalam pembahasan anggaran perubahan.",
        ),
        quotes=(
            '"Kalau hujan, jalannya seperti kubangan kerbau. Anak-anak ke sekolah harus jalan kaki," [kata|ujar|tutur] {resident}.',
            '"Perbaikan sudah masuk perencanaan dan kami targetkan selesai sebelum akhir tahun," [kata|ujar] {official}.',
            '"Kami sudah bosan dijanjikan setiap tahun," kata {resident}, warga {village}.',
        ),
        english=(
            "Residents protest damaged road in {place}",
            "{place} allocates {rp_big} for road repairs",
            "The road has been damaged for more than two years and worsens in the rainy season.",
            "Residents planted banana trees in potholes as a protest.",
            "The public works agency said repairs would start this year.",
        ),
    ),
    "stunting": Theme(
        label="Stunting dan gizi anak",
        category="Kesehatan",
        weight=4,
        officials=(
            "Kepala Dinas Kesehatan {place_short}",
            "Kepala Dinkes {place_short}",
            "Kepala DP3AKB {place_short}",
            "Ketua Tim Percepatan Penurunan Stunting {place_short}",
        ),
        titles=(
            "Angka Stunting di {place_short} Turun Jadi {pct_small} Persen",
            "{pemda} Targetkan Prevalensi Stunting di Bawah 14 Persen",
            "Ribuan Balita di {place_short} Ikuti Pengukuran Serentak",
            "Cegah Stunting, Posyandu di {district} Bagikan Makanan Tambahan",
            "Gerakan Bapak Asuh Anak Stunting Digagas di {place_short}",
            "{n_big} Balita di {place_short} Masih Alami Stunting",
            "Kader Posyandu {village} Dilatih Deteksi Dini Gizi Buruk",
        ),
        leads=(
            "Prevalensi stunting di {place}, {province}, turun menjadi {pct_small} persen berdasarkan hasil survei status gizi terbaru.",
            "{pemda} menggelar pengukuran serentak terhadap balita di seluruh posyandu untuk memetakan kasus stunting.",
            "Sebanyak {n_big} balita di {place} tercatat mengalami stunting dan mendapat pendampingan khusus dari tenaga kesehatan.",
            "Posyandu di {village}, {district}, membagikan makanan tambahan bergizi kepada balita dan ibu hamil pada {hari} {tgl}.",
        ),
        body=(
            "Pemberian makanan tambahan berupa telur, susu, dan ikan diberikan selama 90 hari kepada balita berisiko.",
            "Kader posyandu juga melakukan kunjungan rumah untuk memantau pola asuh dan sanitasi keluarga.",
            "Penurunan angka stunting tidak lepas dari kolaborasi puskesmas, pemerintah desa, dan organisasi masyarakat.",
            "Pemerintah daerah menargetkan setiap desa memiliki rumah desa sehat dan kader pembangunan manusia.",
            "Ibu hamil diminta rutin memeriksakan kandungan minimal enam kali selama masa kehamilan.",
            "Faktor penyebab stunting antara lain kurangnya asupan gizi, pernikahan dini, dan akses air bersih yang terbatas.",
            "Program bapak asuh melibatkan pejabat, pengusaha, dan BUMN untuk membantu kebutuhan gizi anak.",
            "Data hasil pengukuran dimasukkan ke aplikasi pencatatan gizi berbasis masyarakat.",
            "Puskesmas di {district} mencatat {n} balita dengan berat badan kurang dalam tiga bulan terakhir.",
        ),
        quotes=(
            '"Stunting bukan hanya soal tinggi badan, tapi juga perkembangan otak anak," [kata|jelas] {official}.',
            '"Kami ingin tidak ada lagi anak stunting baru di {place_short}," [kata|tegas] {head}.',
            '"Setiap bulan anak saya ditimbang dan diberi telur serta susu," [kata|tutur] {resident}, warga {village}.',
        ),
        english=(
            "Stunting rate in {place} falls to {pct_small} percent",
            "{place} measures thousands of toddlers to map stunting",
            "Health workers visit homes to monitor nutrition and sanitation.",
            "Supplementary food such as eggs, milk and fish is given for 90 days.",
            "Officials aim to cut the prevalence below 14 percent.",
        ),
    ),
    "dbd": Theme(
        label="Demam berdarah",
        category="Kesehatan",
        weight=4,
        season=MappingProxyType({1: 1.7, 2: 1.8, 3: 1.6, 4: 1.4, 8: 0.6, 9: 0.6}),
        officials=(
            "Kepala Dinas Kesehatan {place_short}",
            "Kabid Pencegahan dan Pengendalian Penyakit Dinkes {place_short}",
            "Kepala Puskesmas {district_name}",
        ),
        titles=(
            "Kasus DBD di {place_short} Melonjak, {n} Warga Dirawat",
            "Dinkes {place_short} Gencarkan Fogging di {district}",
            "Waspada Demam Berdarah, {n_big} Kasus Tercatat Sejak Awal Tahun",
            "Balita di {village} Meninggal Diduga Akibat DBD",
            "Gerakan 3M Plus Digalakkan untuk Tekan Kasus DBD di {place_short}",
            "Rumah Sakit di {place_short} Kewalahan Tangani Pasien DBD",
            "Satu Rumah Satu Jumantik Diterapkan di {place_short}",
        ),
        leads=(
            "Kasus demam berdarah dengue (DBD) di {place}, {province}, meningkat tajam dalam sebulan terakhir seiring tingginya curah hujan.",
            "Dinas Kesehatan {place} melakukan pengasapan atau fogging di {village} setelah ditemukan {n} warga positif DBD.",
            "Sebanyak {n_big} kasus demam berdarah tercatat di {place} sejak Januari, {n_small} di antaranya meninggal dunia.",
            "Seorang balita warga {village}, {district}, {place}, meninggal dunia setelah sempat dirawat di rumah sakit karena demam berdarah.",
        ),
        body=(
            "Fogging hanya membunuh nyamuk dewasa sehingga pemberantasan sarang nyamuk tetap menjadi langkah paling efektif.",
            "Warga diminta menguras tempat penampungan air, menutup wadah, dan mendaur ulang barang bekas.",
            "Petugas juga membagikan bubuk larvasida secara gratis kepada warga di lingkungan yang terdapat kasus.",
            "Sebagian besar pasien merupakan anak usia sekolah dengan gejala demam tinggi, mual, dan bintik merah di kulit.",
            "Rumah sakit daerah menambah ruang perawatan untuk mengantisipasi lonjakan pasien.",
            "Juru pemantau jentik akan memeriksa rumah warga setiap pekan.",
            "Masyarakat diminta segera membawa anggota keluarga yang demam lebih dari dua hari ke fasilitas kesehatan.",
            "Jumlah kasus tahun ini lebih tinggi dibandingkan periode yang sama tahun lalu.",
            "Dinas kesehatan menyiapkan stok cairan infus dan alat tes cepat di seluruh puskesmas.",
        ),
        quotes=(
            '"Kunci pencegahan DBD ada di rumah masing-masing, yaitu 3M Plus," [kata|ujar] {official}.',
            '"Anak saya demam tinggi tiga hari, setelah dicek trombositnya turun," [kata|tutur] {resident}.',
            '"Kami minta warga tidak panik dan segera ke puskesmas jika ada gejala," [kata|jelas] {official}.',
        ),
        english=(
            "Dengue cases surge in {place}",
            "Health office fogs villages in {place} after dengue deaths",
            "Most patients are school-age children with high fever.",
            "Residents were urged to drain water containers and cover them.",
            "The hospital added beds to cope with the rise in patients.",
        ),
    ),
    "pendidikan": Theme(
        label="Pendidikan dan PPDB",
        category="Pendidikan",
        weight=6,
        season=MappingProxyType({6: 2.2, 7: 2.4}),
        officials=(
            "Kepala Dinas Pendidikan {place_short}",
            "Kepala Disdikbud {place_short}",
            "Sekretaris Dinas Pendidikan {place_short}",
        ),
        titles=(
            "PPDB {place_short} Dibuka, Orang Tua Keluhkan Sistem Zonasi",
            "Ratusan Calon Siswa di {place_short} Tak Tertampung di Sekolah Negeri",
            "Gedung {school} Rusak, Siswa Belajar di Teras",
            "{pemda} Rekrut {n_big} Guru PPPK Tahun Ini",
            "Dugaan Pungli PPDB di {place_short} Dilaporkan ke Ombudsman",
            "Kekurangan Guru, Satu Guru di {district} Ajar Tiga Kelas Sekaligus",
            "Beasiswa untuk {n_big} Pelajar Kurang Mampu di {place_short} Disalurkan",
            "Hari Pertama Sekolah, Siswa Baru di {place_short} Ikuti Masa Pengenalan",
        ),
        leads=(
            "Penerimaan peserta didik baru (PPDB) tingkat {level} di {place}, {province}, resmi dibuka pada {hari} {tgl} dan langsung diserbu pendaftar.",
            "Sejumlah orang tua calon siswa di {place} mengeluhkan sistem zonasi karena anak mereka tidak diterima di sekolah terdekat.",
            "Kondisi ruang kelas {school} di {village}, {place}, memprihatinkan dengan atap yang nyaris ambruk.",
            "Dinas Pendidikan {place} mencatat kekurangan {n_big} guru di jenjang {level} yang tersebar di sejumlah kecamatan.",
        ),
        body=(
            "Daya tampung sekolah negeri di wilayah itu hanya sekitar {pct} persen dari jumlah lulusan tahun ini.",
            "Pendaftaran dilakukan secara daring melalui laman resmi dan diverifikasi oleh panitia di sekolah.",
            "Orang tua diminta tidak memalsukan dokumen kependudukan demi mendapatkan kursi di sekolah favorit.",
            "Posko pengaduan dibuka di kantor dinas untuk melayani kendala teknis pendaftaran.",
            "Sekolah swasta diharapkan dapat menampung calon siswa yang tidak diterima di sekolah negeri.",
            "Rehabilitasi ruang kelas akan dianggarkan melalui Dana Alokasi Khusus tahun depan.",
            "Sebagian guru honorer telah mengabdi lebih dari sepuluh tahun dengan honor di bawah upah minimum.",
            "Para siswa terpaksa belajar bergantian karena jumlah ruang kelas tidak mencukupi.",
            "Ombudsman menerima {n} laporan terkait dugaan pungutan liar dalam proses penerimaan siswa.",
        ),
        quotes=(
            '"Rumah kami dekat sekolah, tapi anak saya malah tidak diterima," [keluh|kata] {resident}, orang tua calon siswa.',
            '"Kami pastikan prosesnya transparan dan tidak ada titipan," [kata|tegas] {official}.',
            '"Kalau hujan, kami terpaksa memindahkan siswa ke ruang guru," [kata|tutur] {resident}, guru di sekolah tersebut.',
        ),
        english=(
            "School admissions open in {place}, parents complain about zoning",
            "{place} short of {n_big} teachers",
            "Parents said their children were rejected by the nearest state school.",
            "Registration is done online and verified at schools.",
            "The education office said classrooms would be rebuilt next year.",
        ),
    ),
    "pariwisata": Theme(
        label="Pariwisata",
        category="Wisata",
        weight=6,
        season=MappingProxyType({6: 1.5, 7: 1.5, 12: 1.6}),
        officials=(
            "Kepala Dinas Pariwisata {place_short}",
            "Kepala Disparbud {place_short}",
            "Kepala Dinas Kepemudaan, Olahraga dan Pariwisata {place_short}",
        ),
        titles=(
            "Libur Panjang, {n_big} Wisatawan Serbu {site}",
            "{site} di {place_short} Jadi Destinasi Favorit Baru",
            "Festival Budaya {place_short} Digelar, Hotel Penuh",
            "Pengelola {site} Benahi Fasilitas Jelang Libur Sekolah",
            "Kunjungan Wisatawan ke {place_short} Naik {pct} Persen",
            "Desa Wisata {village_name} Masuk Daftar Desa Wisata Terbaik",
            "Pungli di Objek Wisata {site} Dikeluhkan Pengunjung",
        ),
        leads=(
            "Objek wisata {site} di {place}, {province}, dipadati ribuan pengunjung selama libur panjang akhir pekan.",
            "Dinas Pariwisata {place} mencatat kunjungan wisatawan sepanjang tahun ini mencapai {n_big} orang, naik {pct} persen dibandingkan tahun lalu.",
            "Pemerintah {village} di {place} mengembangkan desa wisata berbasis alam dan budaya untuk menggerakkan ekonomi warga.",
            "Festival budaya tahunan di {place} resmi dibuka pada {hari} {tgl} dengan pawai seni dan pameran kuliner.",
        ),
        body=(
            "Sebagian besar pengunjung datang dari luar daerah dengan kendaraan pribadi.",
            "Pengelola menambah petugas keamanan dan penjaga pantai untuk mengantisipasi kecelakaan.",
            "Tingkat hunian hotel dan homestay di sekitar lokasi mencapai {pct} persen.",
            "Pelaku usaha kuliner dan cendera mata di sekitar objek wisata mengaku omzetnya meningkat tajam.",
            "Harga tiket masuk dibanderol Rp {price_small} per orang pada hari libur.",
            "Akses jalan menuju lokasi wisata yang sempit kerap menyebabkan kemacetan panjang.",
            "Pemerintah daerah berencana membangun area parkir dan toilet umum yang lebih memadai.",
            "Festival tersebut menampilkan tarian tradisional, lomba perahu, dan pameran produk kerajinan.",
            "Promosi wisata kini banyak dilakukan melalui media sosial dengan menggandeng pemengaruh lokal.",
        ),
        quotes=(
            '"Pemandangannya bagus dan harganya terjangkau untuk keluarga," [kata|ujar] {resident}, pengunjung asal {other_place}.',
            '"Kami ingin pariwisata menjadi penggerak ekonomi masyarakat desa," [kata|ujar] {official}.',
            '"Omzet kami naik dua kali lipat saat libur panjang," [kata|tutur] {resident}, pedagang di kawasan wisata.',
        ),
        english=(
            "Thousands of tourists flock to {site} in {place}",
            "Tourist arrivals in {place} up {pct} percent",
            "Hotel occupancy around the site reached {pct} percent.",
            "Local food vendors reported a sharp rise in sales.",
            "The tourism office plans to build more parking and public toilets.",
        ),
    ),
    "umkm": Theme(
        label="UMKM",
        category="Ekonomi",
        weight=6,
        officials=(
            "Kepala Dinas Koperasi dan UMKM {place_short}",
            "Kepala Diskopukm {place_short}",
            "Ketua Dekranasda {place_short}",
        ),
        titles=(
            "Produk {product} Asal {place_short} Tembus Pasar Ekspor",
            "{n_big} Pelaku UMKM di {place_short} Terima Bantuan Modal",
            "Bazar UMKM {place_short} Raup Transaksi {rp_mid}",
            "Pelaku UMKM {place_short} Didorong Manfaatkan Penjualan Daring",
            "Perajin {product} di {village} Kewalahan Layani Pesanan",
            "Sertifikasi Halal Gratis untuk UMKM {place_short}",
            "Kredit Usaha Rakyat di {province} Tersalurkan {rp_big}",
        ),
        leads=(
            "Produk {product} buatan pelaku usaha di {village}, {place}, kini dipasarkan hingga ke luar negeri.",
            "{pemda} menyalurkan bantuan modal usaha kepada {n_big} pelaku usaha mikro, kecil, dan menengah (UMKM) pada {hari} {tgl}.",
            "Bazar produk UMKM yang digelar di alun-alun {place_short}, {province}, selama tiga hari mencatatkan transaksi hingga {rp_mid}.",
            "Perajin {product} di {district}, {place}, mengaku kebanjiran pesanan menjelang akhir tahun.",
        ),
        body=(
            "Bantuan diberikan dalam bentuk peralatan produksi dan pelatihan pengemasan.",
            "Pelaku usaha juga didampingi untuk mengurus nomor induk berusaha dan sertifikat halal.",
            "Sebagian besar pelaku UMKM masih terkendala modal dan akses pemasaran.",
            "Penjualan melalui lokapasar dan media sosial kini menyumbang lebih dari separuh omzet.",
            "Usaha tersebut mempekerjakan {n} warga sekitar, sebagian besar ibu rumah tangga.",
            "Bahan baku diperoleh dari petani lokal sehingga turut menggerakkan ekonomi desa.",
            "Pemerintah daerah mewajibkan hotel dan kantor pemerintahan menggunakan produk UMKM lokal.",
            "Penyaluran kredit usaha rakyat di daerah itu terus meningkat setiap tahun.",
            "Kurasi produk dilakukan agar kualitas kemasan memenuhi standar pasar modern.",
        ),
        quotes=(
            '"Awalnya kami hanya jualan di sekitar rumah, sekarang pesanan datang dari luar pulau," [kata|tutur] {resident}, pemilik usaha.',
            '"UMKM adalah tulang punggung ekonomi daerah, jadi harus terus kita dorong naik kelas," [kata|ujar] {head}.',
            '"Kendala kami sekarang di modal dan bahan baku yang harganya naik," [kata|ujar] {resident}.',
        ),
        english=(
            "{product} from {place} reaches export markets",
            "{n_big} small businesses in {place} receive capital aid",
            "Most small businesses still struggle with capital and market access.",
            "Online sales now account for more than half of turnover.",
            "The business employs {n} local residents, mostly housewives.",
        ),
    ),
    "narkoba": Theme(
        label="Narkoba",
        category="Hukum",
        weight=6,
        officials=(
            "Kapolres {place_short}",
            "Kasat Resnarkoba Polres {place_short}",
            "Kepala BNNK {place_short}",
            "Kepala BNN Provinsi {province}",
        ),
        titles=(
            "Polres {place_short} Ringkus Pengedar {drug}, Barang Bukti {gram} Gram Disita",
            "Ungkap Jaringan Antarprovinsi, Polisi Amankan {n} Tersangka Narkoba",
            "BNNK {place_short} Gelar Tes Urine Mendadak di {office}",
            "Oknum ASN di {place_short} Ditangkap Diduga Konsumsi {drug}",
            "Rumah di {village} Dijadikan Tempat Pesta {drug}",
            "{n} Kilogram Ganja Dimusnahkan di Mapolres {place_short}",
            "Kampung Bebas Narkoba Dicanangkan di {district}",
        ),
        leads=(
            "Satuan Reserse Narkoba Polres {place_short} menangkap seorang pria berinisial {initials} ({age}) yang diduga mengedarkan {drug} di {village}, {place}.",
            "Kepolisian Resor {place_short}, {province}, berhasil mengungkap jaringan peredaran {drug} antarprovinsi dengan barang bukti seberat {gram} gram.",
            "Badan Narkotika Nasional (BNN) {place_short} menggelar tes urine mendadak terhadap pegawai di {office} pada {hari} {tgl}.",
            "Polisi menggerebek sebuah rumah di {district}, {place}, yang diduga dijadikan tempat transaksi {drug}.",
        ),
        body=(
            "Penangkapan bermula dari informasi masyarakat yang resah dengan aktivitas mencurigakan di rumah tersebut.",
            "Dari tangan tersangka, polisi menyita {drug} yang dikemas dalam {n} paket kecil, timbangan digital, dan telepon genggam.",
            "Tersangka mengaku mendapatkan barang haram tersebut dari seseorang yang kini masih dalam pengejaran.",
            "Tersangka dijerat Pasal 114 dan Pasal 112 Undang-Undang Nomor 35 Tahun 2009 tentang Narkotika dengan ancaman hukuman maksimal 20 tahun penjara.",
            "Barang bukti rencananya akan dimusnahkan setelah mendapat penetapan dari kejaksaan.",
            "Hasil tes urine menunjukkan {n_small} pegawai terindikasi positif dan akan menjalani asesmen lanjutan.",
            "Polisi masih mendalami kemungkinan keterlibatan pihak lain dalam jaringan tersebut.",
            "Peredaran narkoba di wilayah itu disebut menyasar kalangan pelajar dan buruh.",
            "Sepanjang tahun ini, polres telah mengungkap {n} kasus narkoba dengan {n2} tersangka.",
        ),
        quotes=(
            '"Kami tidak akan memberi ruang bagi pengedar narkoba di wilayah hukum kami," [tegas|kata] {official}.',
            '"Tersangka sudah beberapa kali bertransaksi sebelum akhirnya kami tangkap," [kata|ujar] {official}.',
            '"Warga sudah lama curiga karena banyak orang tak dikenal keluar masuk rumah itu," [kata|ujar] {resident}, warga setempat.',
        ),
        english=(
            "Police arrest alleged {drug} dealer in {place}",
            "Anti-narcotics agency runs surprise urine tests in {place}",
            "Police seized {gram} grams of drugs packed in small bags.",
            "The suspect faces up to 20 years in prison under the narcotics law.",
            "Officers are still hunting for the supplier.",
        ),
    ),
    "kecelakaan": Theme(
        label="Kecelakaan lalu lintas",
        category="Peristiwa",
        weight=7,
        officials=(
            "Kasat Lantas Polres {place_short}",
            "Kanit Gakkum Satlantas Polres {place_short}",
            "Kapolsek {district_name}",
        ),
        titles=(
            "Tabrakan {vehicle} dan {vehicle2} di {road}, {n_small} Orang Tewas",
            "Kecelakaan Beruntun di {road} Akibat Rem Blong",
            "{vehicle} Terjun ke Jurang di {district}, Sopir Selamat",
            "Pengendara Motor Tewas Tertabrak Truk di {place_short}",
            "Jalan Licin, {vehicle} Terguling di Tikungan {village_name}",
            "Angka Kecelakaan di {place_short} Naik {pct} Persen",
            "Polisi Selidiki Penyebab Kecelakaan Maut di {road}",
        ),
        leads=(
            "Kecelakaan lalu lintas melibatkan {vehicle} dan {vehicle2} terjadi di ruas {road}, {place}, {province}, pada {hari} {tgl} sekitar pukul {jam} {zone}.",
            "Seorang pengendara sepeda motor tewas setelah tertabrak truk di {road}, {district}, {place}.",
            "Sebuah {vehicle} mengalami kecelakaan tunggal dan terguling di tikungan tajam di {village}, {place}.",
            "Kecelakaan beruntun melibatkan {n_small} kendaraan terjadi di {road}, {place}, diduga akibat truk mengalami rem blong.",
        ),
        body=(
            "Korban meninggal dunia di lokasi kejadian akibat luka parah di bagian kepala.",
            "Korban luka-luka dilarikan ke rumah sakit terdekat untuk mendapatkan perawatan.",
            "Polisi telah melakukan olah tempat kejadian perkara dan meminta keterangan sejumlah saksi.",
            "Diduga pengemudi kurang berhati-hati saat mendahului kendaraan di depannya.",
            "Arus lalu lintas di lokasi sempat tersendat selama dua jam hingga kendaraan dievakuasi.",
            "Kedua kendaraan mengalami kerusakan parah di bagian depan.",
            "Sopir truk telah diamankan di Mapolres untuk menjalani pemeriksaan.",
            "Ruas jalan tersebut dikenal rawan kecelakaan karena banyak tikungan tajam dan minim penerangan.",
            "Sepanjang tahun ini tercatat {n2} kecelakaan di ruas jalan yang sama.",
            "Polisi mengimbau pengendara memeriksa kondisi kendaraan sebelum melakukan perjalanan jauh.",
        ),
        quotes=(
            '"Kami masih mendalami penyebab pasti kecelakaan, termasuk memeriksa kondisi rem kendaraan," [kata|ujar] {official}.',
            '"Saya dengar suara benturan keras, lalu warga langsung berlarian menolong," [kata|tutur] {resident}, saksi mata.',
            '"Pengendara diimbau mengurangi kecepatan saat melintas di jalur tersebut," [kata|imbau] {official}.',
        ),
        english=(
            "{n_small} killed as {vehicle} collides with {vehicle2} in {place}",
            "Motorcyclist killed in {place} road accident",
            "Police examined the scene and questioned witnesses.",
            "The injured were taken to the nearest hospital.",
            "The stretch of road is known for sharp bends and poor lighting.",
        ),
    ),
    "kebakaran": Theme(
        label="Kebakaran",
        category="Peristiwa",
        weight=5,
        season=MappingProxyType({8: 1.8, 9: 2.0, 10: 1.6}),
        officials=(
            "Kepala Dinas Pemadam Kebakaran {place_short}",
            "Kepala Damkar {place_short}",
            "Kapolsek {district_name}",
        ),
        titles=(
            "Kebakaran Hanguskan {fire_object} di {district}, Kerugian {rp_mid}",
            "Si Jago Merah Lalap {n_small} Rumah di {village}",
            "Korsleting Listrik Diduga Picu Kebakaran {fire_object} di {place_short}",
            "{n_small} Mobil Damkar Dikerahkan Padamkan Api di {place_short}",
            "Kebakaran Lahan di {district} Meluas hingga {ha} Hektare",
            "Pasar {market} Terbakar, Ratusan Pedagang Kehilangan Lapak",
            "Lansia di {village} Tewas dalam Kebakaran Rumah",
        ),
        leads=(
            "Kebakaran melanda {fire_object} di {village}, {district}, {place}, pada {hari} {tgl} sekitar pukul {jam} {zone}.",
            "Sebanyak {n_small} rumah warga di {village}, {place}, {province}, ludes terbakar dalam kebakaran yang terjadi dini hari.",
            "Kebakaran yang diduga berasal dari korsleting listrik menghanguskan {fire_object} di {place} dan dengan cepat merambat ke bangunan di sekitarnya.",
            "Kebakaran hutan dan lahan di {district}, {place}, terus meluas dan kini mencapai {ha} hektare.",
        ),
        body=(
            "Petugas pemadam kebakaran baru berhasil memadamkan api setelah berjibaku selama kurang lebih tiga jam.",
            "Sebanyak {n_small} unit mobil pemadam dikerahkan ke lokasi kejadian.",
            "Tidak ada korban jiwa dalam peristiwa itu, namun kerugian ditaksir mencapai {rp_mid}.",
            "Warga sempat berusaha memadamkan api menggunakan ember sebelum petugas tiba.",
            "Sempitnya akses jalan membuat mobil pemadam kesulitan menjangkau titik api.",
            "Polisi masih menyelidiki penyebab pasti kebakaran dengan memeriksa sejumlah saksi.",
            "Korban kebakaran untuk sementara menumpang di rumah kerabat.",
            "Pemerintah desa bersama relawan membuka posko bantuan untuk korban kebakaran.",
            "Asap tebal dari lahan yang terbakar mulai mengganggu aktivitas warga dan jarak pandang.",
            "Dinas pemadam mencatat {n2} kejadian kebakaran sejak awal tahun, sebagian besar akibat korsleting listrik.",
        ),
        quotes=(
            '"Api sudah besar waktu saya keluar rumah, saya hanya sempat menyelamatkan anak-anak," [kata|tutur] {resident}.',
            '"Kami imbau warga memeriksa instalasi listrik dan tidak meninggalkan kompor dalam keadaan menyala," [kata|ujar] {official}.',
            '"Angin kencang membuat api cepat merambat," [kata|jelas] {official}.',
        ),
        english=(
            "Fire destroys {fire_object} in {place}",
            "Firefighters battle blaze in {place} for three hours",
            "An electrical short circuit is suspected to have caused the fire.",
            "No one was killed, but losses were estimated at {rp_mid}.",
            "Narrow roads made it hard for fire engines to reach the site.",
        ),
    ),
    "pertanian": Theme(
        label="Pertanian dan panen",
        category="Ekonomi",
        weight=6,
        season=MappingProxyType({3: 1.5, 4: 1.6}),
        officials=(
            "Kepala Dinas Pertanian {place_short}",
            "Kepala Distan {place_short}",
            "Kepala Dinas Ketahanan Pangan dan Pertanian {place_short}",
        ),
        titles=(
            "Panen Raya {crop} di {place_short}, Produksi Capai {ton} Ton",
            "Petani {village} Keluhkan Kelangkaan Pupuk Bersubsidi",
            "Serangan Hama Wereng Ancam {ha} Hektare Sawah di {district}",
            "Harga Gabah Anjlok Saat Panen, Petani {place_short} Merugi",
            "{pemda} Salurkan Bantuan Alsintan untuk Kelompok Tani",
            "Kemarau Panjang, Ratusan Hektare Sawah di {place_short} Gagal Panen",
            "Petani Milenial {place_short} Sukses Budidaya {crop} Organik",
        ),
        leads=(
            "Petani di {village}, {place}, {province}, mulai memanen {crop} pada {hari} {tgl} dengan hasil rata-rata {ton_small} ton per hektare.",
            "Kelompok tani di {district}, {place}, mengeluhkan sulitnya mendapatkan pupuk bersubsidi menjelang musim tanam.",
            "Serangan hama wereng dan tikus merusak sekitar {ha} hektare tanaman padi di {place}.",
            "Harga gabah kering panen di tingkat petani di {place} turun hingga Rp {price_small} per kilogram saat panen raya.",
        ),
        body=(
            "Luas lahan yang dipanen pada musim ini mencapai {ha} hektare.",
            "Pupuk bersubsidi hanya dapat ditebus petani yang terdaftar dalam rencana kebutuhan kelompok.",
            "Petani berharap pemerintah menambah kuota pupuk agar produktivitas tidak menurun.",
            "Dinas pertanian menurunkan petugas untuk melakukan pengendalian hama secara serentak.",
            "Bantuan alat dan mesin pertanian berupa traktor tangan dan mesin pompa air diserahkan kepada kelompok tani.",
            "Irigasi yang rusak membuat sebagian sawah hanya bisa ditanami sekali dalam setahun.",
            "Bulog menyerap gabah petani sesuai harga pembelian pemerintah.",
            "Produksi tahun ini diperkirakan meningkat dibandingkan tahun lalu berkat cuaca yang mendukung.",
            "Sebagian petani mulai beralih menanam komoditas hortikultura yang dinilai lebih menguntungkan.",
        ),
        quotes=(
            '"Hasil panen tahun ini lumayan, tapi harga jualnya yang bikin kami pusing," [kata|ujar] {resident}, petani setempat.',
            '"Kami terus mengawal distribusi pupuk agar tepat sasaran," [kata|ujar] {official}.',
            '"Kalau pupuk telat datang, hasil panen pasti berkurang," [kata|keluh] {resident}, ketua kelompok tani.',
        ),
        english=(
            "Farmers in {place} harvest {crop}",
            "Fertiliser shortage worries farmers in {place}",
            "The harvested area this season reached {ha} hectares.",
            "Farmers asked the government to raise the subsidised fertiliser quota.",
            "Bulog is buying unhusked rice at the government purchase price.",
        ),
    ),
    "investasi": Theme(
        label="Investasi dan industri",
        category="Ekonomi",
        weight=4,
        officials=(
            "Kepala DPMPTSP {place_short}",
            "Kepala Dinas Penanaman Modal dan PTSP {place_short}",
            "Kepala Bappeda {place_short}",
        ),
        titles=(
            "Realisasi Investasi di {place_short} Tembus {rp_big}",
            "{company} Bangun Pabrik {sector} di {place_short}, Serap {n_big} Tenaga Kerja",
            "Investor Asing Lirik Kawasan Industri di {place_short}",
            "{pemda} Permudah Perizinan untuk Tarik Investor",
            "Pembebasan Lahan Kawasan Industri di {district} Picu Protes Warga",
            "Peletakan Batu Pertama Pabrik {sector} di {place_short}",
        ),
        leads=(
            "Realisasi investasi di {place}, {province}, hingga triwulan ini mencapai {rp_big}, melampaui target yang ditetapkan.",
            "{company} resmi memulai pembangunan pabrik {sector} di {district}, {place}, yang ditargetkan menyerap {n_big} tenaga kerja lokal.",
            "{pemda} menawarkan kemudahan perizinan dan insentif pajak untuk menarik investor ke kawasan industri baru.",
            "Warga {village}, {place}, memprotes proses pembebasan lahan untuk pembangunan kawasan industri.",
        ),
        body=(
            "Sebagian besar investasi berasal dari penanaman modal dalam negeri di sektor {sector}.",
            "Perizinan kini dapat diurus secara daring melalui sistem perizinan berusaha terintegrasi.",
            "Pemerintah daerah meminta perusahaan memprioritaskan tenaga kerja lokal.",
            "Pembangunan pabrik ditargetkan rampung dalam dua tahun.",
            "Nilai investasi proyek tersebut mencapai {rp_big}.",
            "Warga menilai harga ganti rugi lahan yang ditawarkan terlalu rendah.",
            "Kawasan industri tersebut dilengkapi akses jalan tol dan pelabuhan.",
            "Pemerintah daerah juga menyiapkan balai latihan kerja untuk menyiapkan tenaga terampil.",
        ),
        quotes=(
            '"Kami ingin investasi yang masuk benar-benar menyerap tenaga kerja dari warga sekitar," [kata|tegas] {head}.',
            '"Kemudahan perizinan menjadi kunci agar investor betah menanamkan modalnya," [kata|ujar] {official}.',
            '"Kami tidak menolak pabrik, tapi ganti ruginya harus adil," [kata|ujar] {resident}, warga terdampak.',
        ),
        english=(
            "Investment in {place} reaches {rp_big}",
            "{company} to build {sector} plant in {place}",
            "Most investment came from domestic investors.",
            "The local government asked the company to hire local workers.",
            "Residents said the compensation offered for land was too low.",
        ),
    ),
    "sampah": Theme(
        label="Sampah",
        category="Lingkungan",
        weight=5,
        officials=(
            "Kepala Dinas Lingkungan Hidup {place_short}",
            "Kepala DLH {place_short}",
            "Kabid Persampahan DLH {place_short}",
        ),
        titles=(
            "TPA {landfill} Kelebihan Kapasitas, Sampah Menggunung",
            "Sampah Menumpuk di Pasar {market}, Warga Keluhkan Bau Menyengat",
            "DLH {place_short} Tambah Armada Pengangkut Sampah",
            "Warga Tolak Rencana Pembangunan TPA di {village}",
            "Bank Sampah {village_name} Ubah Sampah Jadi Rupiah",
            "Sungai di {district} Dipenuhi Sampah Plastik",
            "Produksi Sampah {place_short} Capai {ton} Ton per Hari",
        ),
        leads=(
            "Tempat pembuangan akhir (TPA) {landfill} di {place}, {province}, sudah melebihi kapasitas sehingga sampah menggunung hingga ke badan jalan.",
            "Tumpukan sampah di Pasar {market}, {place}, dikeluhkan warga karena menimbulkan bau tidak sedap dan mengundang lalat.",
            "Produksi sampah di {place} mencapai {ton} ton per hari, namun baru sekitar {pct} persen yang terangkut ke TPA.",
            "Warga {village}, {place}, mengelola bank sampah yang kini memiliki ratusan nasabah.",
        ),
        body=(
            "Keterbatasan armada truk pengangkut membuat sampah tidak terangkut setiap hari.",
            "Pemerintah daerah berencana menerapkan sistem sanitary landfill untuk mengurangi pencemaran.",
            "Sampah plastik mendominasi timbulan sampah rumah tangga.",
            "Warga diminta memilah sampah organik dan anorganik dari rumah.",
            "Pemerintah daerah juga menyiapkan lahan baru untuk perluasan tempat pembuangan akhir.",
            "Bank sampah menerima botol plastik, kertas, dan kaleng yang kemudian dijual ke pengepul.",
            "Air lindi dari tumpukan sampah dikhawatirkan mencemari sumur warga.",
            "Satpol PP akan menindak warga yang membuang sampah sembarangan.",
            "Program pengolahan sampah menjadi pupuk kompos mulai diterapkan di tingkat kelurahan.",
        ),
        quotes=(
            '"Baunya sampai ke rumah, apalagi kalau habis hujan," [keluh|kata] {resident}, warga sekitar.',
            '"Masalah sampah tidak bisa hanya diserahkan ke pemerintah, harus dimulai dari rumah tangga," [kata|ujar] {official}.',
            '"Dari sampah kami bisa menabung untuk biaya sekolah anak," [kata|tutur] {resident}, nasabah bank sampah.',
        ),
        english=(
            "Landfill in {place} over capacity",
            "Waste piles up at Pasar {market} in {place}",
            "Limited garbage trucks mean waste is not collected every day.",
            "Residents were asked to separate organic and inorganic waste.",
            "Leachate from the landfill may pollute residents' wells.",
        ),
    ),
    "gempa": Theme(
        label="Gempa bumi",
        category="Peristiwa",
        weight=2,
        officials=(
            "Kepala Stasiun Geofisika BMKG {province}",
            "Kepala Pelaksana BPBD {place_short}",
            "Kepala BPBD Provinsi {province}",
        ),
        titles=(
            "Gempa Magnitudo {mag} Guncang {place_short}, Warga Berhamburan",
            "Gempa M{mag} di {place_short} Tidak Berpotensi Tsunami",
            "{n_small} Rumah Rusak Akibat Gempa di {district}",
            "Warga {village} Masih Bertahan di Tenda Pengungsian Pascagempa",
            "BMKG Catat {n2} Gempa Susulan di {place_short}",
            "Simulasi Gempa dan Tsunami Digelar di Sekolah-sekolah {place_short}",
            "Rehabilitasi Rumah Korban Gempa di {place_short} Belum Tuntas",
        ),
        leads=(
            "Gempa bumi bermagnitudo {mag} mengguncang wilayah {place}, {province}, pada {hari} {tgl} pukul {jam} {zone}.",
            "Badan Meteorologi, Klimatologi, dan Geofisika (BMKG) menyebut pusat gempa yang mengguncang {place} berada pada kedalaman {depth} kilometer, {km} kilometer arah {direction} {place_short}.",
            "Sejumlah rumah warga di {village}, {place}, mengalami kerusakan akibat gempa yang terjadi {hari} dini hari.",
            "Warga terdampak gempa di {place} masih bertahan di tenda pengungsian karena khawatir gempa susulan.",
        ),
        body=(
            "Guncangan gempa dirasakan cukup kuat selama beberapa detik sehingga warga panik dan berhamburan keluar rumah.",
            "BMKG memastikan gempa tersebut tidak berpotensi tsunami.",
            "Gempa dipicu aktivitas sesar lokal yang masih aktif di wilayah itu.",
            "Tim BPBD masih melakukan pendataan kerusakan di sejumlah desa.",
            "Sebanyak {n} rumah dilaporkan rusak ringan, sementara {n_small} rumah rusak berat.",
            "Warga diminta tidak mudah percaya isu gempa susulan yang lebih besar yang beredar di media sosial.",
            "Wilayah ini pernah dilanda gempa kuat beberapa tahun lalu sehingga warga masih trauma.",
            "Pemerintah daerah menyiapkan tenda darurat, selimut, dan makanan siap saji bagi pengungsi.",
            "Sekolah-sekolah diminta rutin menggelar simulasi evakuasi gempa.",
        ),
        quotes=(
            '"Guncangannya kuat sekali, lemari di rumah sampai roboh," [kata|tutur] {resident}.',
            '"Kami mengimbau masyarakat tetap tenang dan menghindari bangunan yang retak," [kata|ujar] {official}.',
            '"Hingga saat ini tercatat {n2} kali gempa susulan dengan magnitudo lebih kecil," [kata|jelas] {official}.',
        ),
        english=(
            "Magnitude {mag} quake jolts {place}",
            "Quake damages {n_small} houses in {place}, no tsunami threat",
            "BMKG said the quake had no tsunami potential.",
            "Residents ran out of their homes in panic.",
            "The disaster agency is still assessing the damage.",
        ),
    ),
    "tambang": Theme(
        label="Pertambangan",
        category="Lingkungan",
        weight=2,
        officials=(
            "Kepala Dinas ESDM {province}",
            "Kepala Dinas Lingkungan Hidup {place_short}",
            "Kasat Reskrim Polres {place_short}",
        ),
        titles=(
            "Tambang {mineral} Ilegal di {district} Digerebek Polisi",
            "Lubang Bekas Tambang di {place_short} Kembali Telan Korban",
            "Warga {village} Protes Debu dan Limbah Tambang {mineral}",
            "Izin Usaha Pertambangan di {place_short} Dievaluasi",
            "Smelter {mineral} di {place_short} Serap {n_big} Pekerja",
            "Air Sungai Keruh, Warga {place_short} Duga Tercemar Limbah Tambang",
            "Truk Tambang Rusak Jalan Desa di {district}",
        ),
        leads=(
            "Polres {place_short} menggerebek lokasi penambangan {mineral} tanpa izin di {district}, {place}, {province}, pada {hari} {tgl}.",
            "Warga {village}, {place}, memprotes aktivitas tambang {mineral} yang dinilai mencemari sungai dan lahan pertanian.",
            "Seorang anak tewas tenggelam di lubang bekas tambang {mineral} di {place} yang dibiarkan terbuka tanpa reklamasi.",
            "Pemerintah provinsi mengevaluasi {n} izin usaha pertambangan di {place} menyusul keluhan masyarakat.",
        ),
        body=(
            "Dari lokasi, polisi menyita {n_small} unit ekskavator dan mengamankan {n} orang pekerja.",
            "Aktivitas tambang tersebut sudah berlangsung beberapa bulan tanpa mengantongi izin.",
            "Perusahaan wajib melakukan reklamasi dan pascatambang sesuai dokumen lingkungan.",
            "Debu dari truk pengangkut hasil tambang menyebabkan warga mengalami gangguan pernapasan.",
            "Air sungai yang biasa digunakan warga untuk mandi dan mencuci kini berwarna kecokelatan.",
            "Pemerintah daerah meminta perusahaan menghentikan sementara kegiatan sampai hasil uji laboratorium keluar.",
            "Lubang bekas tambang yang tidak direklamasi telah menelan sejumlah korban dalam beberapa tahun terakhir.",
            "Sektor pertambangan menyumbang porsi terbesar pendapatan daerah.",
            "Organisasi lingkungan mendesak penegakan hukum terhadap perusahaan yang lalai.",
        ),
        quotes=(
            '"Sungai kami dulu jernih, sekarang keruh dan ikannya banyak yang mati," [kata|keluh] {resident}.',
            '"Kami akan menindak tegas setiap aktivitas pertambangan tanpa izin," [tegas|kata] {official}.',
            '"Perusahaan harus bertanggung jawab menutup lubang-lubang bekas galian," [kata|ujar] {official}.',
        ),
        english=(
            "Police raid illegal {mineral} mine in {place}",
            "Residents of {place} protest mining pollution",
            "Police seized excavators and detained workers at the site.",
            "River water used for bathing has turned brown.",
            "Companies are required to rehabilitate former mining pits.",
        ),
    ),
    "nelayan": Theme(
        label="Nelayan dan kelautan",
        category="Daerah",
        weight=3,
        officials=(
            "Kepala Dinas Kelautan dan Perikanan {place_short}",
            "Kepala DKP Provinsi {province}",
            "Ketua HNSI {place_short}",
        ),
        titles=(
            "Cuaca Buruk, Nelayan {place_short} Tak Melaut Sepekan",
            "Nelayan {village} Keluhkan Sulitnya Dapat Solar Bersubsidi",
            "Hasil Tangkapan Ikan {fish} Melimpah, Harga di TPI Anjlok",
            "Perahu Nelayan Terbalik Dihantam Ombak di Perairan {place_short}",
            "{n} Kapal Nelayan Terima Bantuan Alat Tangkap dari {pemda}",
            "Nelayan {place_short} Tolak Aktivitas Kapal Pukat",
            "Kampung Nelayan {village_name} Ditata Jadi Kawasan Modern",
        ),
        leads=(
            "Ratusan nelayan di {village}, {place}, {province}, memilih tidak melaut karena gelombang tinggi mencapai {wave} meter.",
            "Nelayan di pesisir {place} mengeluhkan sulitnya mendapatkan solar bersubsidi di stasiun pengisian khusus nelayan.",
            "Hasil tangkapan ikan {fish} nelayan di {place} melimpah dalam sepekan terakhir, namun harga di tempat pelelangan ikan justru turun.",
            "Sebuah perahu nelayan terbalik dihantam ombak di perairan {place}, {province}, pada {hari} {tgl}.",
        ),
        body=(
            "BMKG memperingatkan potensi gelombang tinggi di perairan setempat dalam beberapa hari ke depan.",
            "Selama tidak melaut, nelayan memperbaiki jaring dan perahu di pinggir pantai.",
            "Harga ikan {fish} di tempat pelelangan turun hingga Rp {price_small} per kilogram.",
            "Pemerintah daerah menyalurkan bantuan beras kepada keluarga nelayan yang terdampak cuaca buruk.",
            "Tim SAR gabungan masih mencari {n_small} nelayan yang dilaporkan hilang.",
            "Nelayan meminta pemerintah menambah kuota solar di stasiun pengisian bahan bakar khusus nelayan.",
            "Kartu nelayan diperlukan untuk mendapatkan asuransi dan bantuan alat tangkap.",
            "Abrasi pantai juga mengancam permukiman nelayan di sepanjang pesisir.",
            "Penggunaan alat tangkap yang merusak dikhawatirkan mengancam ekosistem terumbu karang.",
        ),
        quotes=(
            '"Kalau ombak setinggi ini, kami tidak berani melaut. Dapur jadi tidak ngebul," [kata|tutur] {resident}, nelayan setempat.',
            '"Kami sudah mengajukan tambahan kuota solar untuk nelayan kecil," [kata|ujar] {official}.',
            '"Ikan banyak, tapi harganya jatuh. Tetap saja kami rugi," [keluh|kata] {resident}.',
        ),
        english=(
            "Fishers in {place} stay ashore amid high waves",
            "Fishers in {place} struggle to get subsidised diesel",
            "Waves reached {wave} metres, according to BMKG.",
            "Fishers spent the time repairing nets and boats.",
            "The fish auction price dropped despite the big catch.",
        ),
    ),
    "mudik": Theme(
        label="Mudik Lebaran",
        category="Nasional",
        weight=2,
        officials=(
            "Kepala Dinas Perhubungan {place_short}",
            "Kasat Lantas Polres {place_short}",
            "Kapolres {place_short}",
        ),
        titles=(
            "Arus Mudik di {road} Mulai Padat, Polisi Terapkan Rekayasa Lalu Lintas",
            "Puncak Arus Mudik, {n_big} Kendaraan Melintas di {place_short}",
            "Posko Mudik Lebaran Didirikan di {n} Titik di {place_short}",
            "{terminal} Dipadati Pemudik",
            "Pemudik Sepeda Motor di {place_short} Diminta Istirahat Tiap Dua Jam",
            "Arus Balik Lebaran, {place_short} Siapkan Jalur Alternatif",
            "Mudik Gratis {pemda} Berangkatkan {n_big} Warga",
        ),
        leads=(
            "Arus mudik Lebaran di jalur {road}, {place}, {province}, mulai dipadati kendaraan pemudik sejak {hari} {tgl}.",
            "Polres {place_short} mendirikan {n} pos pengamanan dan pelayanan untuk mendukung kelancaran arus mudik Lebaran tahun ini.",
            "{terminal} di {place} dipadati ribuan pemudik yang hendak pulang ke kampung halaman.",
            "{pemda} memberangkatkan {n_big} warga dalam program mudik gratis menggunakan {n} bus.",
        ),
        body=(
            "Volume kendaraan meningkat hingga {pct} persen dibandingkan hari biasa.",
            "Polisi menerapkan sistem satu arah secara situasional untuk mengurai kepadatan.",
            "Posko dilengkapi tenaga kesehatan, mekanik, dan tempat istirahat bagi pemudik.",
            "Pemudik diimbau memastikan kondisi kendaraan prima dan tidak memaksakan diri berkendara saat lelah.",
            "Harga tiket bus antarkota melonjak menjelang hari raya.",
            "Jalur alternatif disiapkan untuk menghindari kemacetan di pusat kota.",
            "Puncak arus balik diperkirakan terjadi tiga hari setelah Lebaran.",
            "Petugas juga mengawasi kelaikan bus melalui pemeriksaan kendaraan di terminal.",
        ),
        quotes=(
            '"Kami sudah berangkat sejak subuh supaya tidak kena macet," [kata|tutur] {resident}, pemudik tujuan {other_place}.',
            '"Personel kami siaga 24 jam selama operasi pengamanan Lebaran," [kata|ujar] {official}.',
            '"Pemudik yang lelah silakan beristirahat di posko, jangan dipaksakan," [imbau|kata] {official}.',
        ),
        english=(
            "Homecoming traffic builds up on {road}",
            "{place} sets up posts for Lebaran travellers",
            "Traffic volume rose by {pct} percent compared with normal days.",
            "Police applied one-way traffic at times to ease congestion.",
            "Travellers were advised to rest every two hours.",
        ),
    ),
    "keracunan": Theme(
        label="Keracunan makanan",
        category="Kesehatan",
        weight=1,
        officials=(
            "Kepala Dinas Kesehatan {place_short}",
            "Kepala Puskesmas {district_name}",
            "Kapolres {place_short}",
        ),
        titles=(
            "{n2} Warga {village} Keracunan Usai Santap {meal}",
            "Keracunan Massal di {place_short}, Puluhan Siswa Dilarikan ke Puskesmas",
            "Dinkes {place_short} Uji Sampel Makanan Penyebab Keracunan",
            "Korban Keracunan {meal} di {district} Bertambah Jadi {n2} Orang",
            "{pemda} Tetapkan KLB Keracunan Pangan",
            "Siswa {school} Mual dan Muntah Setelah Makan Siang di Sekolah",
        ),
        leads=(
            "Sebanyak {n2} warga {village}, {place}, {province}, mengalami mual, muntah, dan pusing setelah menyantap {meal} pada {hari} {tgl}.",
            "Puluhan siswa {school} di {place} dilarikan ke puskesmas setelah mengalami gejala keracunan usai menyantap makan siang di sekolah.",
            "Dinas Kesehatan {place} mengambil sampel {meal} untuk diuji di laboratorium menyusul kasus keracunan massal di {district}.",
        ),
        body=(
            "Para korban mulai merasakan gejala sekitar dua jam setelah makan.",
            "Sebagian korban menjalani rawat inap, sementara lainnya diperbolehkan pulang setelah mendapat penanganan.",
            "Sampel makanan dan muntahan korban dikirim ke laboratorium kesehatan daerah.",
            "Petugas juga memeriksa dapur penyedia makanan dan cara penyimpanan bahan baku.",
            "Dugaan sementara, makanan terkontaminasi bakteri karena disimpan terlalu lama sebelum disajikan.",
            "Pemerintah daerah menanggung seluruh biaya pengobatan korban.",
            "Polisi turut menyelidiki kasus ini dengan memeriksa penyedia makanan.",
            "Sekolah menghentikan sementara penyajian makan siang hingga hasil uji laboratorium keluar.",
        ),
        quotes=(
            '"Anak saya pulang sekolah langsung muntah-muntah dan lemas," [kata|tutur] {resident}, orang tua siswa.',
            '"Kami masih menunggu hasil laboratorium untuk memastikan penyebabnya," [kata|ujar] {official}.',
            '"Penyedia makanan wajib memenuhi standar higiene dan sanitasi," [tegas|kata] {official}.',
        ),
        english=(
            "Dozens fall ill after eating {meal} in {place}",
            "Students in {place} treated for suspected food poisoning",
            "Victims began to feel sick about two hours after eating.",
            "Food samples were sent to the regional health laboratory.",
            "The school suspended lunches until the test results are out.",
        ),
    ),
    "motor_listrik": Theme(
        label="Kendaraan listrik",
        category="Otomotif",
        weight=4,
        officials=(
            "Kepala Dinas Perhubungan {place_short}",
            "Kepala Dinas ESDM {province}",
            "Manajer PLN UP3 {place_short}",
        ),
        titles=(
            "Program Konversi Motor Listrik Dibuka di {place_short}, Kuota {n_big} Unit",
            "SPKLU Pertama Hadir di {place_short}",
            "Bengkel Konversi Motor Listrik di {district} Kebanjiran Pesanan",
            "Ojek Daring di {place_short} Mulai Beralih ke Motor Listrik",
            "{pemda} Ganti Kendaraan Dinas dengan Mobil Listrik",
            "Warga {place_short} Antusias Ikuti Subsidi Motor Listrik",
            "Stasiun Penukaran Baterai Dibangun di {n} Titik di {place_short}",
        ),
        leads=(
            "Program konversi sepeda motor berbahan bakar minyak ke motor listrik resmi dibuka di {place}, {province}, dengan kuota {n_big} unit.",
            "Stasiun pengisian kendaraan listrik umum (SPKLU) pertama di {place} mulai beroperasi pada {hari} {tgl}.",
            "Minat warga {place} terhadap motor listrik meningkat seiring hadirnya subsidi pembelian dan konversi.",
            "{pemda} mulai mengganti sebagian kendaraan dinas dengan kendaraan listrik untuk menekan belanja bahan bakar.",
        ),
        body=(
            "Biaya konversi satu unit motor ditanggung sebagian oleh pemerintah melalui program subsidi.",
            "Pengisian baterai hingga penuh membutuhkan waktu sekitar tiga jam.",
            "Stasiun penukaran baterai memungkinkan pengendara mengganti baterai kosong dalam hitungan menit.",
            "Bengkel konversi harus tersertifikasi dan diawasi oleh Kementerian Perhubungan.",
            "Biaya operasional motor listrik disebut jauh lebih murah dibandingkan motor berbahan bakar bensin.",
            "PLN memberikan diskon tarif untuk pengisian daya di rumah pada malam hari.",
            "Pengemudi ojek daring menjadi kelompok paling banyak mendaftar program ini.",
            "Keterbatasan jumlah SPKLU masih menjadi kendala bagi pengguna untuk perjalanan jauh.",
        ),
        quotes=(
            '"Sebulan saya bisa hemat ratusan ribu rupiah untuk bensin," [kata|tutur] {resident}, pengemudi ojek daring.',
            '"Kami targetkan setiap kecamatan punya minimal satu titik pengisian daya," [kata|ujar] {official}.',
            '"Kuota tahun ini cepat habis karena antusiasme warga sangat tinggi," [kata|ujar] {official}.',
        ),
        english=(
            "Electric motorcycle conversion programme opens in {place}",
            "{place} gets its first public EV charging station",
            "Charging a battery fully takes about three hours.",
            "Online motorcycle taxi drivers are the biggest group of applicants.",
            "The limited number of charging stations remains an obstacle.",
        ),
    ),
}

#: Sentences any story may use, so that themes share words as real news does.
GENERIC: tuple[str, ...] = (
    "Kegiatan tersebut turut dihadiri unsur Forkopimda {place_short}, camat, serta tokoh masyarakat setempat.",
    "Pihaknya berharap masyarakat ikut berperan aktif dan tidak mudah terpancing informasi yang belum jelas kebenarannya.",
    "{pemda} [berkomitmen|berjanji] menindaklanjuti persoalan tersebut dalam waktu dekat.",
    "Menurut {official}, koordinasi lintas sektor menjadi kunci agar penanganan di lapangan berjalan efektif.",
    "Hingga berita ini diturunkan, pihak terkait masih melakukan pendataan di lapangan.",
    "{head} juga meminta camat dan kepala desa aktif memantau kondisi warganya.",
    "Anggaran untuk kegiatan tersebut bersumber dari APBD {place_short} tahun {year}.",
    "Sebelumnya, persoalan serupa juga sempat dikeluhkan warga di sejumlah kecamatan lain.",
    "DPRD {place_short} meminta pemerintah daerah bergerak cepat dan tidak saling lempar tanggung jawab.",
    "Data tersebut akan menjadi bahan evaluasi dalam rapat koordinasi berikutnya.",
    "Warga berharap pemerintah tidak hanya memberikan janji, tetapi juga tindakan nyata.",
    "Pihaknya juga membuka layanan pengaduan melalui nomor WhatsApp yang dapat diakses masyarakat selama 24 jam.",
    "Ketua DPRD {place_short} menilai persoalan ini perlu dibahas bersama dalam rapat dengar pendapat.",
    "Pemerintah Provinsi {province} disebut siap memberikan dukungan anggaran jika diperlukan.",
    "Langkah tersebut sejalan dengan program prioritas {head_office} dan wakilnya dalam lima tahun ke depan.",
    "Camat {district_name} menyebut pihaknya terus berkoordinasi dengan pemerintah desa.",
    "Informasi tersebut juga telah disampaikan melalui akun media sosial resmi pemerintah daerah.",
    "Situasi di lokasi hingga {hari} sore terpantau kondusif.",
    '"Kami akan terus [memantau|mengawal] perkembangan di lapangan dan segera mengambil langkah yang diperlukan," [kata|ujar] {head}.',
    '"Pemerintah hadir untuk masyarakat. Kalau ada kendala, silakan sampaikan langsung," [kata|tegas] {head}.',
    '"Semua pihak harus bergerak bersama, tidak bisa hanya pemerintah," [kata|ujar] {official}.',
    '"Kami berharap kejadian seperti ini tidak terulang lagi," [kata|tutur] {resident}.',
)

GENERIC_ENGLISH: tuple[str, ...] = (
    "The local government said it would follow up on the matter soon.",
    "Officials from the regional police and military attended the event.",
    "Residents hoped the authorities would act quickly rather than make promises.",
    "The budget comes from the {place_short} regional budget for {year}.",
    "Until this report was published, officials were still collecting data in the field.",
    "The provincial government of {province} said it was ready to provide support if needed.",
    '"We will keep monitoring the situation on the ground," said {head}.',
    "Similar complaints had earlier been raised in several other districts.",
    "The information was also shared on the local government's official social media accounts.",
    "The situation at the site was reported calm as of {day_en} afternoon.",
    "Local legislators urged the administration to move quickly and stop passing the buck.",
    "Village heads were asked to keep a close eye on conditions in their areas.",
    "A complaints hotline on WhatsApp is open around the clock, officials said.",
    "The figures will be reviewed at the next coordination meeting, an official said.",
    "Community leaders, the district head and police representatives attended the meeting.",
    "Residents interviewed on {day_en} said they had heard similar promises before.",
)

#: Sentences only stories of the planted burst carry.
BURST_SENTENCES: tuple[str, ...] = (
    "Kasus ini menambah panjang daftar {event} yang terjadi di {province} dalam beberapa pekan terakhir.",
    "Dalam sepekan terakhir, kejadian serupa juga dilaporkan di sejumlah kabupaten dan kota lain di {province}.",
    "Pemerintah Provinsi {province} membentuk tim investigasi gabungan untuk menelusuri rangkaian {event}.",
)

#: Slot values; a value may itself hold slots and [a|b] choices.
VOCAB: dict[str, tuple[str, ...]] = {
    "river": ("Sungai {village_name}", "aliran sungai di {district}", "sungai setempat", "Kali {village_name}"),
    "commodity": (
        "beras medium", "beras premium", "cabai rawit merah", "cabai merah keriting", "bawang merah",
        "bawang putih", "telur ayam ras", "daging ayam ras", "minyak goreng curah", "gula pasir",
        "daging sapi",
    ),
    "occasion": ("Ramadan", "Lebaran", "Natal dan Tahun Baru", "Iduladha", "tahun ajaran baru"),
    "market": ("Baru", "Induk", "Lama", "Sentral", "Kota", "{village_name}"),
    "road": (
        "Jalan Raya {district_name}", "ruas {village_name}-{village_name2}", "jalan provinsi {district_name}",
        "jalur lintas {province}", "Jalan Poros {district_name}",
    ),
    "drug": ("sabu", "ganja", "tembakau sintetis", "pil ekstasi", "obat keras"),
    "office": ("kantor Sekretariat Daerah", "kantor Dinas Perhubungan", "kantor kecamatan", "kantor Satpol PP"),
    "vehicle": ("truk bermuatan pasir", "minibus", "sepeda motor", "bus antarkota", "mobil bak terbuka", "truk tangki"),
    "vehicle2": ("sepeda motor", "mobil pribadi", "angkutan kota", "truk boks"),
    "fire_object": (
        "rumah warga", "kios di Pasar {market}", "gudang mebel", "bengkel motor", "rumah makan", "lahan kosong",
    ),
    "crop": ("padi", "jagung", "cabai", "kopi", "kakao", "bawang merah"),
    "site": (
        "Pantai {beach}", "Air Terjun {scenic}", "Bukit {scenic}", "Danau {scenic}", "Desa Wisata {village_name}",
    ),
    "beach": ("Pasir Panjang", "Tanjung Biru", "Batu Putih", "Pelangi", "Teluk Indah"),
    "scenic": ("Lembah Hijau", "Seribu Batu", "Kabut Pagi", "Mutiara", "Pelangi Senja"),
    "product": ("keripik pisang", "kopi bubuk", "batik tulis", "anyaman bambu", "sambal kemasan", "tenun ikat", "madu hutan"),
    "company": ("PT {company_a} {company_b}",),
    "company_a": ("Sinar", "Mitra", "Karya", "Cahaya", "Prima", "Anugerah", "Graha"),
    "company_b": ("Abadi Sentosa", "Mandiri Utama", "Lestari Makmur", "Sejahtera Raya", "Nusa Perkasa"),
    "sector": ("pengolahan makanan", "pergudangan", "panel surya", "alas kaki", "pakan ternak", "komponen otomotif"),
    "landfill": ("{village_name}", "Bukit {scenic}", "Regional {place_short}"),
    "mineral": ("nikel", "batu bara", "emas", "pasir", "bijih besi"),
    "fish": ("tongkol", "cakalang", "teri", "kerapu", "tuna", "kembung"),
    "school": ("SDN {n_small} {village_name}", "SMPN {n_small} {place_short}", "SMAN {n_small} {place_short}", "SMKN {n_small} {place_short}"),
    "level": ("SD", "SMP", "SMA", "SMK"),
    "meal": ("nasi kotak hajatan", "menu makan siang sekolah", "takjil", "nasi bungkus", "jajanan sekolah"),
    "terminal": ("Terminal {village_name}", "Terminal Tipe A {place_short}", "Pelabuhan {village_name}"),
    "direction": ("barat laut", "timur laut", "barat daya", "tenggara", "utara", "selatan", "timur", "barat"),
}  # fmt: skip

VILLAGES: tuple[str, ...] = (
    "Sukamaju", "Sukajaya", "Mekarsari", "Sindangsari", "Karangsari", "Margamulya", "Tanjungsari",
    "Sumberejo", "Mulyorejo", "Tegalsari", "Wonosari", "Suka Damai", "Harapan Jaya", "Tanah Merah",
    "Pasir Putih", "Kampung Baru", "Sidomulyo", "Bojongsari", "Sinar Harapan", "Bukit Indah",
    "Lembah Sari", "Air Hitam", "Sungai Rengas", "Padang Sari", "Kuala Baru", "Cempaka Putih",
    "Mekarjaya", "Karya Mukti", "Sido Makmur", "Teluk Jaya",
)  # fmt: skip
DISTRICTS: tuple[str, ...] = (
    "Sukaresmi", "Kalianyar", "Tanjung Raya", "Sungai Lilin", "Bunga Mayang", "Gunung Sari",
    "Muara Jaya", "Bukit Kemuning", "Karang Tengah", "Pasir Jambu", "Sukadana Baru", "Lembah Damai",
    "Rawa Indah", "Mekar Baru", "Batu Ampar Jaya", "Sumber Harapan", "Ciherang Hilir", "Talang Jaya",
)  # fmt: skip
GIVEN_NAMES: tuple[str, ...] = (
    "Ahmad", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Iwan", "Joko", "Rudi", "Slamet", "Agus", "Andi",
    "Rahmat", "Yusuf", "Wahyu", "Dimas", "Bayu", "Arif", "Hasan", "Teguh", "Yohanes", "Markus",
    "Ketut", "Wayan", "Asep", "Ujang", "Rizky", "Taufik", "Ilham", "Firman", "Siti", "Dewi", "Rina",
    "Nur", "Sri", "Lestari", "Maria", "Ratna", "Wulan", "Yuni", "Fitri", "Intan", "Euis", "Novita",
)  # fmt: skip
FAMILY_NAMES: tuple[str, ...] = (
    "Santoso", "Hidayat", "Saputra", "Pratama", "Wijaya", "Nasution", "Siregar", "Harahap", "Lubis",
    "Sinaga", "Tanjung", "Ginting", "Tarigan", "Kurniawan", "Setiawan", "Gunawan", "Hakim", "Rahman",
    "Syahputra", "Mahendra", "Permana", "Wibowo", "Pasaribu", "Lamba", "Rumbiak", "Sembiring",
    "Effendi", "Maulana", "Fauzi", "Nugroho", "Susanto", "Purnomo", "Hasibuan", "Salim", "Sopacua",
)  # fmt: skip

#: Word swaps an outlet makes when it runs another outlet's story.
EDITS: tuple[tuple[str, str], ...] = (
    (" mengatakan ", " menuturkan "), (" warga ", " masyarakat "), (" sejumlah ", " beberapa "),
    (" kata ", " ujar "), (" saat ini ", " kini "), (" tersebut", " itu"), (" terpantau ", " tampak "),
    (" sekitar ", " kurang lebih "), (" juga ", " pun "), (" segera ", " secepatnya "),
)  # fmt: skip

TITLE_EDITS: tuple[tuple[str, str], ...] = (
    (" Jadi ", " Menjadi "), (" Tak ", " Tidak "), (" Warga ", " Masyarakat "), (", ", ": "),
)  # fmt: skip

# --- outlets, their house styles, the files they end up in ---------------------------------------


class Outlet(NamedTuple):
    """An invented news outlet."""

    name: str
    domain: str
    province_code: str  # home province
    regency_code: str  # home city or regency, "" when none
    house: str
    weight: float
    national: bool = False
    date_format: str = ""  # overrides the house's


OUTLETS: tuple[Outlet, ...] = (
    Outlet("Warta Banten", "wartabanten.example.id", "36", "", "tribun", 5.0),
    Outlet("Kabar Cilegon", "kabarcilegon.example.id", "36", "36.72", "wp", 2.0),
    Outlet("Kabar Serang Raya", "kabarserangraya.example.id", "36", "36.73", "kompas", 4.0),
    Outlet("Suara Tangerang Kini", "suaratangerangkini.example.id", "36", "36.71", "detak", 3.0),
    Outlet("Lebak Sepekan", "lebaksepekan.example.id", "36", "36.02", "pemda", 1.5),
    Outlet("Serang Hari Ini", "seranghariini.example.id", "36", "36.73", "pemda", 2.0),
    Outlet("Kabar Jakarta Sepekan", "kabarjakartasepekan.example.id", "31", "", "detak", 2.0, date_format="naive"),
    Outlet("Warta Priangan Timur", "wartapriangantimur.example.id", "32", "", "kompas", 3.0),
    Outlet("Kabar Bogor Raya", "kabarbogorraya.example.id", "32", "32.01", "detak", 2.0),
    Outlet("Suara Cirebon Pesisir", "suaracirebonpesisir.example.id", "32", "32.74", "wp", 1.5),
    Outlet("Warta Garut Kini", "wartagarutkini.example.id", "32", "32.05", "okezone", 1.5),
    Outlet("Jateng Terkini", "jatengterkini.example.id", "33", "", "tribun", 3.0),
    Outlet("Kabar Banyumasan", "kabarbanyumasan.example.id", "33", "33.02", "wp", 1.5),
    Outlet("Suara Semarang Raya", "suarasemarangraya.example.id", "33", "33.74", "kompas", 2.0),
    Outlet("Warta Jogja Istimewa", "wartajogjaistimewa.example.id", "34", "", "slash", 1.5),
    Outlet("Kabar Jatim Kulon", "kabarjatimkulon.example.id", "35", "", "detak", 3.0),
    Outlet("Kabar Surabaya Kota", "kabarsurabayakota.example.id", "35", "35.78", "tribun", 2.0),
    Outlet("Suara Tapal Kuda", "suaratapalkuda.example.id", "35", "35.10", "wp", 1.5),
    Outlet("Kabar Tanah Rencong", "kabartanahrencong.example.id", "11", "", "slash", 1.5),
    Outlet("Medan Pagi Ini", "medanpagiini.example.id", "12", "12.75", "tribun", 2.0),
    Outlet("Suara Minang Baru", "suaraminangbaru.example.id", "13", "", "wp", 1.5),
    Outlet("Riau Terkini Pos", "riauterkinipos.example.id", "14", "", "okezone", 1.5),
    Outlet("Kabar Batanghari", "kabarbatanghari.example.id", "15", "", "pemda", 1.0, date_format="iso_date"),
    Outlet("Palembang Sepekan", "palembangsepekan.example.id", "16", "16.71", "kompas", 1.5),
    Outlet("Warta Rafflesia", "wartarafflesia.example.id", "17", "", "wp", 0.8, date_format="dash"),
    Outlet("Suara Lampung Raya", "suaralampungraya.example.id", "18", "", "tribun", 2.0),
    Outlet("Kabar Serumpun Babel", "kabarserumpunbabel.example.id", "19", "", "pemda", 0.8),
    Outlet("Kepri Pesisir News", "kepripesisir.example.id", "21", "", "slash", 0.8),
    Outlet("Bali Dwipa Warta", "balidwipawarta.example.id", "51", "", "eastern", 1.5),
    Outlet("Lombok Sepekan", "lomboksepekan.example.id", "52", "", "eastern", 1.2),
    Outlet("Kabar Flobamora Sepekan", "kabarflobamora.example.id", "53", "", "eastern", 1.0),
    Outlet("Kabar Khatulistiwa Barat", "kabarkhatulistiwa.example.id", "61", "", "okezone", 1.2),
    Outlet("Warta Tambun Bungai", "wartatambunbungai.example.id", "62", "", "pemda", 0.8),
    Outlet("Banjar Hari Ini", "banjarhariini.example.id", "63", "", "eastern", 1.2),
    Outlet("Kabar Mahakam Digital", "kabarmahakam.example.id", "64", "", "iso", 1.5),
    Outlet("Kabar Perbatasan Utara", "kabarperbatasan.example.id", "65", "", "eastern", 0.6),
    Outlet("Manado Nyiur Sepekan", "manadonyiur.example.id", "71", "", "eastern", 1.0),
    Outlet("Palu Bangkit", "palubangkit.example.id", "72", "72.71", "iso", 1.2),
    Outlet("Warta Anging Mammiri", "wartaangingmammiri.example.id", "73", "", "eastern", 2.0),
    Outlet("Kendari Sepekan", "kendarisepekan.example.id", "74", "74.71", "iso", 1.0),
    Outlet("Gorontalo Kini", "gorontalokini.example.id", "75", "", "eastern", 0.6),
    Outlet("Suara Mandar Raya", "suaramandarraya.example.id", "76", "", "eastern", 0.5),
    Outlet("Kabar Seribu Pulau", "kabarseribupulau.example.id", "81", "", "eastern", 0.8),
    Outlet("Warta Kie Raha", "wartakieraha.example.id", "82", "", "iso", 0.6),
    Outlet("Kabar Tanah Papua", "kabartanahpapua.example.id", "91", "", "eastern", 0.8),
    Outlet("Kabar Nusa Nasional", "kabarnusa.example.id", "31", "", "kompas", 6.0, national=True),
    Outlet("Kantor Berita Nusa", "beritanusa.example.id", "31", "", "antara", 5.0, national=True),
    Outlet("Sorot Daerah Harian", "sorotdaerah.example.id", "31", "", "okezone", 4.0, national=True),
    Outlet("Archipelago Herald", "archipelagoherald.example.id", "31", "", "english", 0.95, national=True),
)  # fmt: skip


class House(NamedTuple):
    """How an outlet dresses a story: dateline, date, URL, boilerplate."""

    dateline: str  # str.format with place, PLACE, outlet, OUTLET
    date_format: str
    url: str  # str.format with domain, section, year, month, day, id, slug
    joiner: str  # between paragraphs
    category: str  # "theme", "" (none) or a fixed rubric
    extras: tuple[str, ...]  # boilerplate kinds, see BOILERPLATE
    signoff: str  # str.format with ini, ini2, editor, reporter, outlet, year
    typographic: bool = False
    glued: bool = False  # words glued where links were removed
    source_is_domain: bool = False
    language: str = "id"


HOUSES: dict[str, House] = {
    "detak": House(
        "{place} - ", "day_short", "https://{section}.{domain}/berita/d-{id}/{slug}", "\n",
        "theme", ("ad_scroll", "read_also"), "({ini}/{ini2})",
    ),
    "kompas": House(
        "{PLACE}, {OUTLET} - ", "outlet_slash", "https://regional.{domain}/read/{year}/{month}/{day}/{id}/{slug}",
        "\n", "Regional", ("read_also_break",), "",
    ),
    "antara": House(
        "{place} ({OUTLET}) - ", "day_long_dash", "https://{domain}/berita/{id}/{slug}", "\n\n",
        "theme", (), "Pewarta: {reporter}\nEditor: {editor}\nCopyright \u00a9 {outlet} {year}",
        source_is_domain=True,
    ),
    "tribun": House(
        "{OUTLET}, {PLACE} - ", "day_long", "https://{domain}/{year}/{month}/{day}/{slug}", "\n\n",
        "theme", ("read_also", "read_also", "first_published"), "",
    ),
    "wp": House(
        "", "long", "https://{domain}/{year}/{month}/{day}/{slug}/", "\n\n",
        "Berita", ("share",), "Editor: {editor}",
    ),
    "okezone": House(
        "{PLACE} - ", "epoch", "https://{domain}/read/{year}/{month}/{day}/{section_id}/{id}/{slug}", "\n",
        "theme", ("advertisement",), "({ini})", glued=True, source_is_domain=True,
    ),
    "pemda": House(
        "{kind_place} ({outlet}) - ", "short", "https://{domain}/berita/{id}/{slug}", "\n\n",
        "", ("repeat_title",), "(*)",
    ),
    "eastern": House(
        "{PLACE} \u2013 ", "day_pipe", "https://{domain}/{section}/{slug}-{id}", "\n",
        "theme", ("read_also",), "(*/{ini})", typographic=True,
    ),
    "iso": House(
        "{outlet}, {PLACE} - ", "iso", "https://{domain}/news/{id}/{slug}", "\n\n",
        "theme", ("advertisement",), "Editor: {editor}",
    ),
    "slash": House(
        "{PLACE} - ", "slash_zone", "https://{domain}/{section}/{slug}-{id}", "\n",
        "theme", ("read_also",), "({ini})",
    ),
    "english": House(
        "{PLACE} ({outlet}) - ", "english", "https://{domain}/news/{year}/{month}/{day}/{slug}", "\n\n",
        "News", (), "", language="en",
    ),
}  # fmt: skip


class OutputFile(NamedTuple):
    """One raw input file of the sample: its format and its header for each raw column."""

    name: str
    delimiter: str  # "" for JSON Lines
    encoding: str
    header: Mapping[str, str]  # raw column -> column name in the file


FILES: dict[str, OutputFile] = {
    "jawa": OutputFile(
        "warta_jawa_banten.csv", ",", "utf-8",
        {"title": "title", "text": "text", "date": "date", "url": "url", "source": "source", "category": "category"},
    ),
    "sumatera": OutputFile(
        "berita_sumatera.csv", ";", "utf-8-sig",
        {"title": "judul", "text": "isi", "date": "tanggal", "url": "link", "source": "sumber", "category": "kategori"},
    ),
    "timur": OutputFile(
        "kliping_indonesia_timur.tsv", "\t", "cp1252",
        {"title": "Judul", "text": "Isi", "date": "Tanggal", "url": "URL", "source": "Sumber", "category": "Kategori"},
    ),
    "nasional": OutputFile(
        "feed_nasional.jsonl", "", "utf-8",
        {"title": "title", "text": "content", "date": "date", "url": "link", "source": "source", "category": "category"},
    ),
    "tautan": OutputFile(
        "tautan_dibagikan.csv", ",", "utf-8",
        {"title": "judul", "text": "isi", "date": "tanggal", "url": "url", "source": "sumber"},
    ),
}  # fmt: skip

TRACKING: tuple[str, ...] = (
    "?utm_source=whatsapp&utm_medium=social",
    "?utm_source=facebook&utm_medium=share&utm_campaign=berita",
    "?fbclid=IwAR0{id}",
    "?utm_source=twitter",
    "?amp=1&utm_source=telegram",
)
NO_TEXT: tuple[tuple[bool, str], ...] = (  # (title kept, text) of a row whose scrape lost the body
    (False, ""), (False, " \n "), (True, ""), (True, "ADVERTISEMENT\n\nSCROLL TO CONTINUE WITH CONTENT"),
)  # fmt: skip
UNDATED: tuple[str, ...] = ("", "", "Tidak Ditemukan", "-")

PROVINCE_WEIGHTS: dict[str, float] = {  # people, millions, rounded
    "11": 5.3, "12": 14.8, "13": 5.5, "14": 6.4, "15": 3.5, "16": 8.5, "17": 2.0, "18": 9.0,
    "19": 1.5, "21": 2.1, "31": 10.6, "32": 48.3, "33": 36.5, "34": 3.7, "35": 41.0, "36": 11.9,
    "51": 4.3, "52": 5.3, "53": 5.3, "61": 5.4, "62": 2.7, "63": 4.1, "64": 3.8, "65": 0.7,
    "71": 2.6, "72": 3.0, "73": 9.1, "74": 2.6, "75": 1.2, "76": 1.4, "81": 1.8, "82": 1.3,
    "91": 1.0, "92": 0.6, "93": 0.5, "94": 1.3, "95": 1.4, "96": 0.6,
}  # fmt: skip
WITA_PROVINCES = frozenset({"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"})
WIT_PROVINCES = frozenset({"81", "82", "91", "92", "93", "94", "95", "96"})
FILE_BY_ISLANDS: dict[str, str] = {  # first digit of the outlet's province code -> file key
    "1": "sumatera", "2": "sumatera", "3": "jawa", "5": "timur", "6": "timur", "7": "timur",
    "8": "timur", "9": "timur",
}  # fmt: skip
REGION_FACTORS: dict[tuple[str, str], float] = {  # (first digit of province code, theme) -> factor
    ("6", "tambang"): 2.0, ("7", "tambang"): 2.0, ("3", "tambang"): 0.4,
    ("7", "gempa"): 1.6, ("5", "gempa"): 1.6, ("9", "nelayan"): 1.5, ("8", "nelayan"): 1.5,
}  # fmt: skip
SPECIALITY_WEIGHT = 20.0  # added to the theme's weight in its province, multiplying it at least
SPECIALITY_FACTOR = 6.0  # by this
BURST_SHARE = 0.005  # stories of the planted burst, at least BURST_MIN, besides the theme's usual
BURST_MIN = 15
AROUND_LEBARAN: tuple[tuple[str, int, int, float, float], ...] = (
    # theme, first and last day relative to Lebaran, weight factor inside and outside those days
    ("mudik", -21, 7, 14.0, 0.25),
    ("kecelakaan", -21, 7, 1.5, 1.0),
    ("harga_pangan", -35, 0, 1.5, 1.0),
)
WEEKDAY_WEIGHTS = (1.0, 1.05, 1.05, 1.0, 0.95, 0.7, 0.6)

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
SMALL_WORDS = frozenset(
    {"di", "ke", "dari", "dan", "yang", "untuk", "per", "pada", "dengan", "atau",
     "of", "in", "to", "the", "and", "at", "for", "as", "on", "a", "an"}
)  # fmt: skip
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
SECTION_IDS: dict[str, int] = {"Peristiwa": 340, "Ekonomi": 320, "Politik": 337, "Daerah": 525}


# --- a tiny template engine ------------------------------------------------------------------------


class _Slot(NamedTuple):
    """{name} in a template."""

    name: str


class _Choice(NamedTuple):
    """[a|b] in a template."""

    options: tuple[tuple, ...]


_TOKEN = re.compile(r"\{(\w+)\}|\[([^\[\]]+)\]")


def _compiled(template: str) -> tuple:
    """A template as literal strings, slots ({name}) and choices ([a|b])."""
    tokens: list = []
    position = 0
    for match in _TOKEN.finditer(template):
        if match.start() > position:
            tokens.append(template[position : match.start()])
        if match[1]:
            tokens.append(_Slot(match[1]))
        else:
            tokens.append(_Choice(tuple(_compiled(option) for option in match[2].split("|"))))
        position = match.end()
    if position < len(template):
        tokens.append(template[position:])
    return tuple(tokens)


class _Library(NamedTuple):
    """Every template, compiled once."""

    titles: dict[str, tuple]
    leads: dict[str, tuple]
    body: dict[str, tuple]
    quotes: dict[str, tuple]
    officials: dict[str, tuple]
    english: dict[str, tuple]
    generic: tuple
    generic_english: tuple
    burst: tuple
    vocab: dict[str, tuple]


@cache
def _library() -> _Library:
    """The compiled templates."""

    def each(field: Callable[[Theme], tuple[str, ...]]) -> dict[str, tuple]:
        return {key: tuple(map(_compiled, field(theme))) for key, theme in THEMES.items()}

    return _Library(
        titles=each(lambda theme: theme.titles),
        leads=each(lambda theme: theme.leads),
        body=each(lambda theme: theme.body),
        quotes=each(lambda theme: theme.quotes),
        officials=each(lambda theme: theme.officials),
        english=each(lambda theme: theme.english),
        generic=tuple(map(_compiled, GENERIC)),
        generic_english=tuple(map(_compiled, GENERIC_ENGLISH)),
        burst=tuple(map(_compiled, BURST_SENTENCES)),
        vocab={key: tuple(map(_compiled, values)) for key, values in VOCAB.items()},
    )


# --- places and names ------------------------------------------------------------------------------


class Place(NamedTuple):
    """A regency or city as stories name it."""

    code: str
    province_code: str
    province: str
    short: str  # Lebak
    long: str  # Kabupaten Lebak
    kota: bool


def _place(code: str, name: str, kind: str, province_code: str, province: str) -> Place:
    """A Place from one row of the regions list."""
    short = name.removeprefix("Administrasi ")
    long = (
        short if province_code == "31" else f"{'Kota' if kind == 'kota' else 'Kabupaten'} {short}"
    )
    return Place(code, province_code, province, short, long, kind == "kota")


@cache
def _places() -> tuple[Place, ...]:
    """Every regency and city, in code order."""
    names = dict(zip(provinces()["province_code"], provinces()["province"], strict=True))
    frame = regencies()
    return tuple(
        _place(code, name, kind, province_code, names[province_code])
        for code, name, kind, province_code in zip(
            frame["regency_code"], frame["name"], frame["kind"], frame["province_code"], strict=True
        )
    )


def _zone(province_code: str) -> tuple[str, int]:
    """The time zone (label, hours ahead of UTC) of a province."""
    if province_code in WITA_PROVINCES:
        return "WITA", 8
    return ("WIT", 9) if province_code in WIT_PROVINCES else ("WIB", 7)


def _person(key: str) -> tuple[str, str]:
    """A stable invented full name for a role (same key, same name) and how stories refer to it."""
    digest = zlib.crc32(key.encode())
    given = GIVEN_NAMES[digest % len(GIVEN_NAMES)]
    family = FAMILY_NAMES[(digest // len(GIVEN_NAMES)) % len(FAMILY_NAMES)]
    return f"{given} {family}", given if digest % 3 == 0 else family


def _thousands(number: int) -> str:
    """An integer written the Indonesian way: 12.500."""
    return f"{number:,}".replace(",", ".")


def _headline(text: str) -> str:
    """A title in headline case, small words and words that are not lowercase left alone."""
    words = text.split(" ")
    return " ".join(
        word[:1].upper() + word[1:] if i == 0 or word not in SMALL_WORDS else word
        for i, word in enumerate(words)
    )


# --- one story -------------------------------------------------------------------------------------


class _Story(NamedTuple):
    """What an article says, before an outlet dresses it."""

    story: int
    theme: str
    place: Place
    day: date
    minute: int  # minutes after local midnight
    title: str
    paragraphs: tuple[str, ...]
    language: str


class _Writer:
    """Fills the slots of one story's templates; a slot keeps its value within the story."""

    __slots__ = (
        "corpus", "rng", "random", "theme", "place", "day", "values", "mentioned", "fresh_numbers",
    )  # fmt: skip

    def __init__(self, corpus: _Corpus, rng: random.Random, theme: str, place: Place, day: date):
        self.corpus = corpus
        self.rng = rng
        self.random = rng.random
        self.theme = theme
        self.place = place
        self.day = day
        self.values: dict[str, str] = {}
        self.mentioned: set[str] = set()
        self.fresh_numbers = False

    def pick(self, options: tuple):
        """One of options, uniformly."""
        return options[int(self.random() * len(options))]

    def between(self, low: int, high: int) -> int:
        """An integer from low to high inclusive."""
        return low + int(self.random() * (high - low + 1))

    def render(self, tokens: tuple) -> str:
        """A compiled template with its slots and choices filled."""
        parts = []
        append = parts.append
        for token in tokens:
            kind = type(token)
            if kind is str:
                append(token)
            elif kind is _Slot:
                append(self.values.get(token[0]) or self.slot(token[0]))
            else:
                options = token[0]
                append(self.render(options[int(self.random() * len(options))]))
        return "".join(parts)

    def slot(self, name: str) -> str:
        """The value of a slot: a person is named in full once, then by one name; a number, once
        the headline and lead are written, is drawn afresh each time."""
        value = self.values.get(name)
        if value is not None:
            return value
        if name in _PEOPLE:
            full, short = _PEOPLE[name]
            if name in self.mentioned:
                return self.slot(short)
            self.mentioned.add(name)
            return self.slot(full)
        maker = _MAKERS.get(name)
        value = maker(self) if maker else self.render(self.pick(_library().vocab[name]))
        if not (self.fresh_numbers and name in _NUMBERS):
            self.values[name] = value
        return value


def _official_title(writer: _Writer) -> str:
    """The title of the official a story quotes, e.g. Kepala BPBD Lebak."""
    return writer.render(writer.pick(_library().officials[writer.theme]))


def _head_name(writer: _Writer) -> tuple[str, str]:
    """The invented name of the place's bupati or wali kota, the same in every story."""
    return _person(f"{writer.place.code}:head")


_PEOPLE: dict[str, tuple[str, str]] = {
    "official": ("official_full", "official_short"),
    "head": ("head_full", "head_short"),
    "resident": ("resident_full", "resident_short"),
}

_NUMBERS = frozenset(
    ("n_small", "n", "n2", "n_big", "pct", "pct_small", "rp_big", "rp_mid", "price", "price2",
     "price_small", "km", "ha", "ton", "ton_small", "cm", "gram", "depth", "jam", "age")
)  # fmt: skip

_MAKERS: dict[str, Callable[[_Writer], str]] = {
    "place": lambda w: w.place.long,
    "place_short": lambda w: w.place.short,
    "province": lambda w: w.place.province,
    "pemda": lambda w: f"{'Pemkot' if w.place.kota else 'Pemkab'} {w.place.short}",
    "head_office": lambda w: "Wali Kota" if w.place.kota else "Bupati",
    "head_full": lambda w: f"{w.slot('head_office')} {w.place.short} {_head_name(w)[0]}",
    "head_short": lambda w: _head_name(w)[1],
    "official_full": lambda w: f"{_official_title(w)} {w.slot('official_name')}",
    "official_short": lambda w: w.slot("official_name").split(" ")[-1],
    "official_name": lambda w: f"{w.pick(GIVEN_NAMES)} {w.pick(FAMILY_NAMES)}",
    "editor": lambda w: f"{w.pick(GIVEN_NAMES)} {w.pick(FAMILY_NAMES)}",
    "reporter": lambda w: f"{w.pick(GIVEN_NAMES)} {w.pick(FAMILY_NAMES)}",
    "resident_full": lambda w: f"{w.slot('resident_short')} ({w.between(19, 68)})",
    "resident_short": lambda w: w.pick(GIVEN_NAMES),
    "village": lambda w: f"{'Kelurahan' if w.place.kota else 'Desa'} {w.slot('village_name')}",
    "village_name": lambda w: w.pick(VILLAGES),
    "village_name2": lambda w: w.pick(VILLAGES),
    "district": lambda w: f"Kecamatan {w.slot('district_name')}",
    "district_name": lambda w: w.pick(DISTRICTS),
    "other_place": lambda w: w.pick(w.corpus.places).short,
    "initials": lambda w: w.pick("ABDEFHIJKMNRSTWY") + w.pick("ABDEFHIJKMNRSTWY"),
    "age": lambda w: str(w.between(19, 56)),
    "n_small": lambda w: str(w.between(2, 6)),
    "n": lambda w: str(w.between(3, 40)),
    "n2": lambda w: str(w.between(11, 95)),
    "n_big": lambda w: _thousands(w.between(12, 480) * 10),
    "pct": lambda w: f"{w.between(11, 92)},{w.between(0, 9)}",
    "pct_small": lambda w: f"{w.between(2, 24)},{w.between(0, 9)}",
    "rp_big": lambda w: f"Rp {w.between(1, 95)},{w.between(1, 9)} miliar",
    "rp_mid": lambda w: f"Rp {w.between(5, 95) * 10} juta",
    "price": lambda w: f"Rp {_thousands(w.between(24, 190) * 500)}",
    "price2": lambda w: f"Rp {_thousands(w.between(20, 150) * 500)}",
    "price_small": lambda w: _thousands(w.between(6, 90) * 500),
    "km": lambda w: f"{w.between(1, 24)},{w.between(1, 9)}",
    "ha": lambda w: str(w.between(15, 900)),
    "ton": lambda w: str(w.between(20, 950)),
    "ton_small": lambda w: f"{w.between(4, 8)},{w.between(0, 9)}",
    "cm": lambda w: str(w.between(3, 18) * 10),
    "gram": lambda w: str(w.between(5, 950)),
    "mag": lambda w: f"{w.between(4, 6)},{w.between(0, 9)}",
    "depth": lambda w: str(w.between(5, 60)),
    "wave": lambda w: f"{w.between(2, 4)},{w.pick('05')}",
    "jam": lambda w: f"{w.between(6, 22):02d}.{w.pick(('00', '15', '30', '45'))}",
    "zone": lambda w: _zone(w.place.province_code)[0],
    "hari": lambda w: DAYS[w.day.weekday()],
    "day_en": lambda w: w.day.strftime("%A"),
    "tgl": lambda w: f"({w.day.day}/{w.day.month}/{w.day.year})",
    "year": lambda w: str(w.day.year),
    "event": lambda w: w.corpus.plan.burst.event.lower(),
}


def _sentences(writer: _Writer, words: int, burst: bool, lead: str) -> list[str]:
    """A lead (drawn unless given) and body sentences of a story, until it has about `words` words."""
    lib = _library()
    theme = writer.theme
    rand = writer.random
    body, quotes, generic = list(lib.body[theme]), list(lib.quotes[theme]), list(lib.generic)
    sentences = [lead or writer.render(writer.pick(lib.leads[theme]))]
    writer.fresh_numbers = True
    if burst:
        sentences.append(writer.render(writer.pick(lib.burst)))
    count = sum(sentence.count(" ") + 1 for sentence in sentences)
    while count < words:
        draw = rand()
        pool = (body if draw < 0.55 else quotes if draw < 0.75 else generic) or body or generic
        if not pool:
            break
        sentence = writer.render(pool.pop(int(rand() * len(pool))))
        if sentence[0].islower():
            sentence = sentence[0].upper() + sentence[1:]
        sentences.append(sentence)
        count += sentence.count(" ") + 1
    return sentences


def _paragraphs(sentences: list[str], rng: random.Random) -> tuple[str, ...]:
    """Sentences grouped into paragraphs of one to three sentences, a quote always alone."""
    paragraphs: list[str] = []
    current: list[str] = []
    for sentence in sentences:
        if current and (sentence.startswith('"') or len(current) >= 1 + int(rng.random() * 3)):
            paragraphs.append(" ".join(current))
            current = []
        current.append(sentence)
    paragraphs.append(" ".join(current))
    return tuple(paragraphs)


def _indonesian_story(
    corpus: _Corpus,
    rng: random.Random,
    attrs: _Attributes,
    burst: bool,
    title: str = "",
    lead: str = "",
) -> _Story:
    """An Indonesian story of a theme about a place on a day (its title and lead drawn unless given)."""
    writer = _Writer(corpus, rng, attrs.theme, attrs.place, attrs.day)
    title = title or _headline(writer.render(writer.pick(_library().titles[attrs.theme])))
    sentences = _sentences(writer, attrs.words, burst, lead)
    return _Story(
        attrs.story, attrs.theme, attrs.place, attrs.day, attrs.minute, title,
        _paragraphs(sentences, rng), "id",
    )  # fmt: skip


def _english_story(corpus: _Corpus, rng: random.Random, attrs: _Attributes) -> _Story:
    """A short English story of a theme about a place on a day."""
    lib = _library()
    writer = _Writer(corpus, rng, attrs.theme, attrs.place, attrs.day)
    english = lib.english[attrs.theme]
    generic = list(lib.generic_english)
    rng.shuffle(generic)
    sentences = [writer.render(tokens) for tokens in english[2:]] + [
        writer.render(tokens) for tokens in generic[: 9 + int(rng.random() * 5)]
    ]
    title = _headline(writer.render(writer.pick(english[:2])))
    return _Story(
        attrs.story, attrs.theme, attrs.place, attrs.day, attrs.minute, title,
        _paragraphs(sentences, rng), "en",
    )  # fmt: skip


def _edited(story: _Story, rng: random.Random) -> _Story:
    """Another outlet's version of a story: a few words swapped, the title sometimes reworded."""
    paragraphs = list(story.paragraphs)
    for _ in range(1 + int(rng.random() * 3)):
        old, new = EDITS[int(rng.random() * len(EDITS))]
        index = int(rng.random() * len(paragraphs))
        paragraphs[index] = paragraphs[index].replace(old, new, 1)
    title = story.title
    if rng.random() < 0.3:
        for old, new in TITLE_EDITS:
            title = title.replace(old, new, 1)
    return story._replace(title=title, paragraphs=tuple(paragraphs))


# --- how an outlet dresses a story -----------------------------------------------------------------


def _slug(title: str) -> str:
    """The URL slug of a title."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:90].rstrip("-")


def _typographic(text: str) -> str:
    """Straight double quotes turned into curly ones."""
    return re.sub(r'"([^"]*)"', "\u201c\\1\u201d", text)


def _glued(text: str, rng: random.Random) -> str:
    """Text with one or two spaces lost, as where a scraper removed a link."""
    for _ in range(1 + int(rng.random() * 2)):
        space = text.find(" ", int(rng.random() * len(text)))
        if space > 0:
            text = text[:space] + text[space + 1 :]
    return text


class _Moment(NamedTuple):
    """A local publication time and its zone."""

    day: date
    minute: int
    zone: str
    offset: int  # hours ahead of UTC

    @property
    def clock(self) -> str:
        """21:23."""
        return f"{self.minute // 60:02d}:{self.minute % 60:02d}"

    @property
    def epoch(self) -> int:
        """Seconds since 1970 (UTC)."""
        days = self.day.toordinal() - EPOCH_ORDINAL
        return days * 86_400 + self.minute * 60 - self.offset * 3_600


def _long_date(m: _Moment) -> str:
    """10 Juni 2025."""
    return f"{m.day.day} {MONTHS[m.day.month - 1]} {m.day.year}"


def _short_date(m: _Moment) -> str:
    """10 Jun 2025."""
    return f"{m.day.day:02d} {MONTHS_SHORT[m.day.month - 1]} {m.day.year}"


def _slash_date(m: _Moment) -> str:
    """10/06/2025, 21:23 WIB."""
    return f"{m.day.day:02d}/{m.day.month:02d}/{m.day.year}, {m.clock} {m.zone}"


DATE_FORMATS: dict[str, Callable[[_Moment, str], str]] = {
    "day_short": lambda m, o: f"{DAYS[m.day.weekday()]}, {_short_date(m)} {m.clock} {m.zone}",
    "outlet_slash": lambda m, o: f"{o} - {_slash_date(m)}",
    "day_long_dash": lambda m, o: f"{DAYS[m.day.weekday()]}, {_long_date(m)} - {m.clock} {m.zone}",
    "day_long": lambda m, o: f"{DAYS[m.day.weekday()]}, {_long_date(m)} {m.clock} {m.zone}",
    "long": lambda m, o: _long_date(m),
    "updated": lambda m, o: f"Diperbarui {_short_date(m)}, {m.clock} {m.zone}",
    "epoch": lambda m, o: str(m.epoch),
    "short": lambda m, o: _short_date(m),
    "day_pipe": lambda m, o: (
        f"{DAYS[m.day.weekday()]} {_long_date(m)} | {m.clock.replace(':', '.')} {m.zone}"
    ),
    "iso": lambda m, o: f"{m.day.isoformat()}T{m.clock}:00+{m.offset:02d}:00",
    "slash_zone": lambda m, o: _slash_date(m),
    "english": lambda m, o: f"{MONTHS_EN[m.day.month - 1]} {m.day.day}, {m.day.year}",
    "naive": lambda m, o: f"{m.day.isoformat()} {m.clock}:00",
    "iso_date": lambda m, o: m.day.isoformat(),
    "dash": lambda m, o: f"{m.day.day:02d}-{m.day.month:02d}-{m.day.year} {m.clock}",
}


def _read_also(story: _Story, writer: _Writer) -> str:
    """A "Baca juga" line pointing at another invented story of that day."""
    plan = writer.corpus.plan
    live = [key for key in THEMES if key != plan.new_theme or story.day >= plan.new_theme_first]
    other = writer.pick(live)
    title = _headline(writer.render(writer.pick(_library().titles[other])))
    return f"Baca juga: {title}"


BOILERPLATE: dict[str, Callable[[_Story, _Writer, Outlet], tuple[int, str]]] = {
    # kind -> (paragraph index to insert before, -1 = at the end; the block)
    "ad_scroll": lambda s, w, o: (2, "ADVERTISEMENT\n\nSCROLL TO CONTINUE WITH CONTENT"),
    "advertisement": lambda s, w, o: (1 + int(w.random() * 3), "Advertisement"),
    "read_also": lambda s, w, o: (1 + int(w.random() * 3), _read_also(s, w)),
    "read_also_break": lambda s, w, o: (2, _read_also(s, w).replace(": ", ":\n")),
    "first_published": lambda s, w, o: (
        -1,
        f'Artikel ini telah tayang di {o.domain} dengan judul "{s.title}"',
    ),
    "share": lambda s, w, o: (-1, "Bagikan: Facebook | X | WhatsApp | Telegram"),
    "repeat_title": lambda s, w, o: (0, s.title),
}


def _body(story: _Story, outlet: Outlet, house: House, rng: random.Random, corpus: _Corpus) -> str:
    """An outlet's text of a story: dateline, boilerplate, sign-off."""
    paragraphs = list(story.paragraphs)
    if house.dateline:
        place = story.place
        dateline = house.dateline.format(
            place=place.short, PLACE=place.short.upper(), outlet=outlet.name,
            OUTLET=outlet.name.upper(), kind_place=place.long,
        )  # fmt: skip
        paragraphs[0] = dateline + paragraphs[0]
    writer = _Writer(corpus, rng, story.theme, story.place, story.day)
    for kind in house.extras:
        if rng.random() < 0.65:
            index, block = BOILERPLATE[kind](story, writer, outlet)
            paragraphs.insert(len(paragraphs) if index < 0 else min(index, len(paragraphs)), block)
    if house.signoff:
        paragraphs.append(
            house.signoff.format(
                ini=writer.slot("initials").lower(), ini2=writer.pick(("ega", "rdr", "fay", "ain")),
                editor=writer.slot("editor"), reporter=writer.slot("reporter"),
                outlet=outlet.name, year=story.day.year,
            )
        )  # fmt: skip
    text = house.joiner.join(paragraphs)
    if house.typographic:
        text = _typographic(text)
    if house.glued:
        text = _glued(text, rng)
    return text


def _url(story: _Story, outlet: Outlet, house: House, row_id: int) -> str:
    """The outlet's URL of a story."""
    category = THEMES[story.theme].category
    return house.url.format(
        domain=outlet.domain, section=category.lower(), section_id=SECTION_IDS.get(category, 600),
        year=story.day.year, month=f"{story.day.month:02d}", day=f"{story.day.day:02d}",
        id=1_000_000 + (row_id * 7_919) % 8_999_999, slug=_slug(story.title),
    )  # fmt: skip


def _date_text(moment: _Moment, outlet: Outlet, house: House, rng: random.Random) -> str:
    """The date field as the outlet writes it, sometimes missing."""
    if rng.random() < UNDATED_SHARE:
        return UNDATED[int(rng.random() * len(UNDATED))]
    name = outlet.date_format or house.date_format
    if house.date_format == "long" and rng.random() < 0.3:
        name = "updated"
    return DATE_FORMATS[name](moment, outlet.name)


class _Row(NamedTuple):
    """One raw row and what it really is."""

    title: str
    text: str
    date: str
    url: str
    source: str
    category: str | None
    file: str  # key of FILES
    theme: str
    province_code: str
    regency_code: str
    epoch: int
    kind: str
    story: int
    language: str


def _row(
    story: _Story, outlet: Outlet, rng: random.Random, corpus: _Corpus, row_id: int, kind: str,
    minute: int | None = None, day: date | None = None,
) -> _Row:  # fmt: skip
    """A story as one outlet publishes it."""
    house = HOUSES[outlet.house]
    zone, offset = ("WIB", 7) if outlet.national else _zone(outlet.province_code)
    moment = _Moment(day or story.day, story.minute if minute is None else minute, zone, offset)
    category = THEMES[story.theme].category if house.category == "theme" else house.category
    return _Row(
        title=story.title,
        text=_body(story, outlet, house, rng, corpus),
        date=_date_text(moment, outlet, house, rng),
        url=_url(story._replace(day=moment.day), outlet, house, row_id),
        source=outlet.domain if house.source_is_domain else outlet.name,
        category=category,
        file="nasional" if outlet.national else FILE_BY_ISLANDS[outlet.province_code[0]],
        theme=story.theme,
        province_code=story.place.province_code,
        regency_code=story.place.code,
        epoch=moment.epoch,
        kind=kind,
        story=story.story,
        language=story.language,
    )


def _tracked(row: _Row, rng: random.Random, row_id: int) -> _Row:
    """The same article shared again, its URL with tracking parameters."""
    tracking = TRACKING[int(rng.random() * len(TRACKING))].format(id=row_id)
    return row._replace(url=row.url + tracking, file="tautan", category=None, kind="tracked_repeat")


def _updated(row: _Row, rng: random.Random) -> _Row:
    """The same URL again later, the article updated."""
    local = row.epoch + 3_600 * (7 + 1 + int(rng.random() * 6)) + 60 * int(rng.random() * 60)
    day = date.fromordinal(local // 86_400 + EPOCH_ORDINAL)
    moment = _Moment(day, local % 86_400 // 60, "WIB", 7)
    note = f"\n\n(Berita ini telah diperbarui pada pukul {moment.clock.replace(':', '.')} WIB)"
    return row._replace(
        date=DATE_FORMATS["updated"](moment, row.source),
        text=row.text + note,
        kind="updated_repeat",
    )


def _without_text(row: _Row, variant: int) -> _Row:
    """A row whose scrape lost the article body, and in some variants the title too."""
    title_kept, text = NO_TEXT[variant % len(NO_TEXT)]
    return row._replace(title=row.title if title_kept else "", text=text, kind="no_text")


# --- the corpus: who writes what, when and where ---------------------------------------------------


class _Attributes(NamedTuple):
    """What a story will be about, drawn before it is written."""

    story: int
    theme: str
    place: Place
    day: date
    minute: int
    words: int


class _Corpus:
    """Everything a generation run shares: the plan, the calendar, the weight tables."""

    def __init__(self, n_articles: int, seed: int, end: date, months: int) -> None:
        if n_articles < MIN_ARTICLES:
            raise ValueError(f"n_articles must be at least {MIN_ARTICLES} (got {n_articles})")
        self.n_articles = n_articles
        self.seed = seed
        self.plan = sample_plan(end, months)
        self.places = _places()
        self.themes = tuple(THEMES)
        self.outlets = OUTLETS
        self.days = tuple(
            self.plan.start + timedelta(days=i) for i in range((end - self.plan.start).days + 1)
        )
        self.province_codes = tuple(provinces()["province_code"])
        self.day_weights = self._day_weights()
        self.outlet_weights = _normalised(np.array([o.weight for o in OUTLETS]))
        self.national_weights = _normalised(
            np.sqrt([PROVINCE_WEIGHTS[code] for code in self.province_codes]) + 1.0
        )
        self.day_theme = self._day_theme_weights()
        self.province_theme = self._province_theme_weights()
        burst = self.plan.burst
        self.burst_days = np.flatnonzero([burst.start <= d <= burst.end for d in self.days])
        self.burst_provinces = np.flatnonzero(np.isin(self.province_codes, burst.provinces))
        self.burst_province_weights = _normalised(self.national_weights[self.burst_provinces])
        self.burst_outlets = np.array(
            [
                i
                for i, o in enumerate(OUTLETS)
                if HOUSES[o.house].language == "id"
                and (o.national or o.province_code in burst.provinces)
            ]
        )
        self.burst_outlet_weights = _normalised(self.outlet_weights[self.burst_outlets])
        self.outlet_national = np.array([o.national for o in OUTLETS])
        self.regency_index = self._regency_index()
        self.outlet_province = np.array(
            [self.province_codes.index(o.province_code) for o in OUTLETS]
        )
        self.outlet_regency = np.array(
            [
                next(i for i, p in enumerate(self.places) if p.code == o.regency_code)
                if o.regency_code
                else -1
                for o in OUTLETS
            ]
        )
        self.copy_outlets = tuple(
            i for i, o in enumerate(OUTLETS) if HOUSES[o.house].language == "id"
        )
        self.syndicated_story = self._syndicated_story()

    def _day_weights(self) -> np.ndarray:
        """How many stories each day gets, relatively: weekends quieter, a slow growth."""
        growth = np.linspace(1.0, 1.35, len(self.days))
        weekday = np.array([WEEKDAY_WEIGHTS[d.weekday()] for d in self.days])
        return _normalised(growth * weekday)

    def _day_theme_weights(self) -> np.ndarray:
        """Day x theme weight factors: base weight, season, holidays, the new and the fading theme."""
        plan = self.plan
        progress = np.linspace(0.0, 1.0, len(self.days))
        table = np.array(
            [
                [THEMES[key].weight * THEMES[key].season.get(day.month, 1.0) for key in self.themes]
                for day in self.days
            ]
        )
        column = self.themes.index
        to_lebaran = np.array([min(((d - h).days for h in LEBARAN), key=abs) for d in self.days])
        for theme, first, last, inside, outside in AROUND_LEBARAN:
            near = (to_lebaran >= first) & (to_lebaran <= last)
            table[:, column(theme)] *= np.where(near, inside, outside)
        table[:, column(plan.fading_theme)] *= 3.0 * np.exp(-3.0 * progress)
        first = np.array([day >= plan.new_theme_first for day in self.days])
        ramp = np.clip((progress - progress[first.argmax()]) * 8, 0, 1.5)
        table[:, column(plan.new_theme)] *= np.where(first, 1.0 + ramp, 0.0)
        return table

    def _province_theme_weights(self) -> np.ndarray:
        """Province x theme weight factors: regional leanings and specialities."""
        table = np.ones((len(self.province_codes), len(self.themes)))
        for (region, theme), factor in REGION_FACTORS.items():
            rows = [i for i, code in enumerate(self.province_codes) if code[0] == region]
            table[rows, self.themes.index(theme)] *= factor
        for code, theme in self.plan.specialities.items():
            weight = THEMES[theme].weight
            row, column = self.province_codes.index(code), self.themes.index(theme)
            table[row, column] *= max(SPECIALITY_FACTOR, (weight + SPECIALITY_WEIGHT) / weight)
        table[self.province_codes.index("95"), self.themes.index("nelayan")] = 0.0  # no coast
        return table

    def _regency_index(self) -> tuple[np.ndarray, np.ndarray]:
        """For each province, the first index of its places and how many it has."""
        codes = [p.province_code for p in self.places]
        first = np.array([codes.index(code) for code in self.province_codes])
        count = np.array([codes.count(code) for code in self.province_codes])
        return first, count

    def attributes(
        self, rng: np.random.Generator, count: int, first_story: int, burst: bool = False
    ) -> tuple[list[_Attributes], np.ndarray]:
        """What `count` new stories are about (theme, place, day, time, length) and their outlets;
        stories of the planted burst when `burst`."""
        if burst:
            outlets = rng.choice(self.burst_outlets, size=count, p=self.burst_outlet_weights)
            days = rng.choice(self.burst_days, size=count)
            elsewhere = rng.choice(self.burst_provinces, size=count, p=self.burst_province_weights)
        else:
            outlets = rng.choice(len(self.outlets), size=count, p=self.outlet_weights)
            days = rng.choice(len(self.days), size=count, p=self.day_weights)
            elsewhere = rng.choice(len(self.province_codes), size=count, p=self.national_weights)
        home_share = 1.0 if burst else HOME_SHARE
        at_home = ~self.outlet_national[outlets] & (rng.random(count) < home_share)
        provinces_ = np.where(at_home, self.outlet_province[outlets], elsewhere)
        first, size = self.regency_index
        regencies_ = first[provinces_] + (rng.random(count) * size[provinces_]).astype(int)
        home_regency = self.outlet_regency[outlets]
        use_home = at_home & (home_regency >= 0) & (rng.random(count) < HOME_REGENCY_SHARE)
        regencies_ = np.where(use_home, home_regency, regencies_)
        if burst:
            themes = np.full(count, self.themes.index(self.plan.burst.theme))
        else:
            cumulative = (self.day_theme[days] * self.province_theme[provinces_]).cumsum(axis=1)
            themes = (cumulative < rng.random(count)[:, None] * cumulative[:, -1:]).sum(axis=1)
        minutes = rng.integers(6 * 60, 23 * 60, size=count)
        words = rng.integers(WORDS[0] + 15, WORDS[1] - 40, size=count)
        return [
            _Attributes(
                first_story + i,
                self.themes[themes[i]],
                self.places[regencies_[i]],
                self.days[days[i]],
                int(minutes[i]),
                int(words[i]),
            )
            for i in range(count)
        ], outlets

    def in_burst(self, attrs: _Attributes) -> bool:
        """Whether a story belongs to the planted burst."""
        burst = self.plan.burst
        return (
            attrs.theme == burst.theme
            and burst.start <= attrs.day <= burst.end
            and attrs.place.province_code in burst.provinces
        )

    def _syndicated_story(self) -> _Story:
        """The one story the syndicated-only burst copies."""
        plan = self.plan.syndicated_burst
        place = next(p for p in self.places if p.code == plan.regency_code)
        attrs = _Attributes(-1, plan.theme, place, plan.start, 9 * 60, 260)
        rng = random.Random(self.seed * 7_919 + 17)
        return _indonesian_story(self, rng, attrs, False, plan.title, SYNDICATED_LEAD)


def _normalised(weights: np.ndarray) -> np.ndarray:
    """Weights scaled to sum to one."""
    weights = np.asarray(weights, dtype=float)
    return weights / weights.sum()


def _share_in(total: int, start: int, stop: int, n: int) -> int:
    """How many of `total` items spread evenly over n rows fall in rows [start, stop)."""
    return total * stop // n - total * start // n


def _block_rows(corpus: _Corpus, block: int, start: int, stop: int) -> list[_Row]:
    """The rows [start, stop) of the corpus, generated from their own seed, in shuffled order."""
    nrng = np.random.default_rng([corpus.seed, block])
    rng = random.Random(int(nrng.integers(2**62)))
    n = corpus.n_articles
    counts = {kind: _share_in(round(share * n), start, stop, n) for kind, share in SHARES.items()}
    copies = corpus.plan.syndicated_burst.copies(n)
    burst_copies = _share_in(copies, start, stop, n)
    burst_stories = _share_in(corpus.plan.burst.stories(n), start, stop, n)
    originals = stop - start - sum(counts.values()) - burst_copies
    usual = originals - burst_stories
    attrs, outlets = corpus.attributes(nrng, usual + counts["no_text"], start)
    planted, planted_outlets = corpus.attributes(nrng, burst_stories, start + len(attrs), True)
    attrs = attrs[:usual] + planted + attrs[usual:]
    outlets = np.concatenate([outlets[:usual], planted_outlets, outlets[usual:]])
    pairs = []
    for attr, outlet_index in zip(attrs, outlets, strict=True):
        outlet = corpus.outlets[outlet_index]
        if HOUSES[outlet.house].language == "en":
            story = _english_story(corpus, rng, attr)
        else:
            story = _indonesian_story(corpus, rng, attr, corpus.in_burst(attr))
        pairs.append((story, _row(story, outlet, rng, corpus, start + len(pairs), "original")))
    kept = pairs[:originals]
    rows = [row for _, row in kept] + [
        _without_text(row, i) for i, (_, row) in enumerate(pairs[originals:])
    ]
    indonesian = [pair for pair in kept if pair[0].language == "id"]
    for pair in _picks(indonesian, counts["syndicated"], rng):
        rows.append(_syndicated(corpus, pair, rng, start + len(rows)))
    for _, row in _picks(kept, counts["tracked_repeat"], rng):
        rows.append(_tracked(row, rng, start + len(rows)))
    rows += [_updated(row, rng) for _, row in _picks(kept, counts["updated_repeat"], rng)]
    first_copy = copies * start // n
    for copy in range(first_copy, first_copy + burst_copies):
        rows.append(_burst_copy(corpus, copy, rng, start + len(rows)))
    rng.shuffle(rows)
    return rows


def _picks(items: list, count: int, rng: random.Random) -> list:
    """count items drawn with replacement."""
    return [items[int(rng.random() * len(items))] for _ in range(count)]


def _syndicated(
    corpus: _Corpus, pair: tuple[_Story, _Row], rng: random.Random, row_id: int
) -> _Row:
    """A story run again by another outlet, lightly edited, a little later."""
    story, row = pair
    source = row.source
    candidates = [
        i for i in corpus.copy_outlets
        if corpus.outlets[i].name != source and corpus.outlets[i].domain != source
        and (corpus.outlets[i].national or corpus.outlets[i].province_code == story.place.province_code)
    ] or [i for i in corpus.copy_outlets if corpus.outlets[i].national]  # fmt: skip
    outlet = corpus.outlets[candidates[int(rng.random() * len(candidates))]]
    minute = story.minute + 20 + int(rng.random() * 300)
    day = story.day + timedelta(days=minute // 1440) if story.day < corpus.days[-1] else story.day
    return _row(_edited(story, rng), outlet, rng, corpus, row_id, "syndicated", minute % 1440, day)


def _burst_copy(corpus: _Corpus, copy: int, rng: random.Random, row_id: int) -> _Row:
    """Copy number `copy` of the syndicated-only story."""
    plan = corpus.plan.syndicated_burst
    order = sorted(corpus.copy_outlets, key=lambda i: corpus.outlets[i].name != plan.source)
    outlet = corpus.outlets[order[copy % len(order)]]
    story = corpus.syndicated_story if copy == 0 else _edited(corpus.syndicated_story, rng)
    span = (plan.end - plan.start).days + 1
    day = plan.start + timedelta(days=int(rng.random() * span)) if copy else plan.start
    minute = 9 * 60 if copy == 0 else 7 * 60 + int(rng.random() * 15 * 60)
    return _row(story, outlet, rng, corpus, row_id, "syndicated_burst", minute, day)


# --- public API ------------------------------------------------------------------------------------


def _blocks(corpus: _Corpus) -> Iterator[list[_Row]]:
    """The corpus rows, block after block."""
    n = corpus.n_articles
    count = -(-n // BLOCK_ROWS)
    for block in range(count):
        yield _block_rows(corpus, block, block * n // count, (block + 1) * n // count)


def _numbered(corpus: _Corpus) -> Iterator[tuple[_Row, int]]:
    """Every row with its 1-based record number inside its file."""
    numbers = dict.fromkeys(FILES, 0)
    for rows in _blocks(corpus):
        for row in rows:
            numbers[row.file] += 1
            yield row, numbers[row.file]


def _frame(numbered: list[tuple[_Row, int]]) -> pd.DataFrame:
    """Raw and truth columns of numbered rows."""
    rows = [row for row, _ in numbered]
    count = len(rows)
    columns = {
        "article_id": [None] * count,
        "title": [r.title for r in rows],
        "text": [r.text for r in rows],
        "date": [r.date for r in rows],
        "url": [r.url for r in rows],
        "source": [r.source for r in rows],
        "category": [r.category for r in rows],
        "region": [None] * count,
        "html_date": [None] * count,
        "file": [FILES[r.file].name for r in rows],
        "row": [number for _, number in numbered],
        "error": [None] * count,
        "truth_theme": [r.theme for r in rows],
        "truth_province_code": [r.province_code for r in rows],
        "truth_regency_code": [r.regency_code for r in rows],
        "truth_published_at": pd.to_datetime([r.epoch for r in rows], unit="s", utc=True),
        "truth_kind": [r.kind for r in rows],
        "truth_story": [r.story for r in rows],
        "truth_language": [r.language for r in rows],
    }
    object_columns = ("article_id", "category", "region", "html_date", "error")
    return pd.DataFrame(columns).astype(dict.fromkeys(object_columns, object))


def labelled_frames(
    n_articles: int = 20_000,
    seed: int = 42,
    end: date = DEFAULT_END,
    months: int = DEFAULT_MONTHS,
    chunk_rows: int = 5_000,
) -> Iterator[pd.DataFrame]:
    """The sample's raw rows (RAW_COLUMNS) with what each really is (TRUTH_COLUMNS), in chunks."""
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be at least 1 (got {chunk_rows})")
    corpus = _Corpus(n_articles, seed, end, months)
    chunk: list[tuple[_Row, int]] = []
    for numbered in _numbered(corpus):
        chunk.append(numbered)
        if len(chunk) == chunk_rows:
            yield _frame(chunk)
            chunk = []
    if chunk:
        yield _frame(chunk)


def sample_frames(
    n_articles: int = 20_000,
    seed: int = 42,
    end: date = DEFAULT_END,
    months: int = DEFAULT_MONTHS,
    chunk_rows: int = 5_000,
) -> Iterator[pd.DataFrame]:
    """The sample's raw rows as raw frames (RAW_COLUMNS), chunk_rows at a time, without files."""
    raw = list(RAW_COLUMNS)
    for frame in labelled_frames(n_articles, seed, end, months, chunk_rows):
        yield frame[raw]


def _record(row: _Row, spec: OutputFile) -> list[str]:
    """The cells of a row in a file's column order."""
    return [getattr(row, column) for column in spec.header]


def _writers(stack: ExitStack, out_dir: Path) -> dict[str, Callable[[_Row], object]]:
    """An open writer per output file, its header written."""
    writers: dict[str, Callable[[_Row], object]] = {}
    for key, spec in FILES.items():
        handle: TextIO = stack.enter_context(
            (out_dir / spec.name).open("w", encoding=spec.encoding, newline="")
        )
        if spec.delimiter:
            table = csv.writer(handle, delimiter=spec.delimiter, lineterminator="\n")
            table.writerow(spec.header.values())
            writers[key] = lambda row, table=table, spec=spec: table.writerow(_record(row, spec))
        else:
            writers[key] = lambda row, handle=handle, spec=spec: handle.write(
                json.dumps(
                    dict(zip(spec.header.values(), _record(row, spec), strict=True)),
                    ensure_ascii=False,
                )
                + "\n"
            )
    return writers


def write_sample(
    out_dir: Path,
    n_articles: int = 20_000,
    seed: int = 42,
    end: date = DEFAULT_END,
    months: int = DEFAULT_MONTHS,
) -> list[Path]:
    """Write the sample corpus as messy raw input files (CSV, TSV, JSON Lines) into out_dir."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus = _Corpus(n_articles, seed, end, months)
    with ExitStack() as stack:
        writers = _writers(stack, out_dir)
        for rows in _blocks(corpus):
            for row in rows:
                writers[row.file](row)
    return [out_dir / spec.name for spec in FILES.values()]


PLANTED: SamplePlan = sample_plan()
