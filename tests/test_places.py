"""Place tagging: region overrides, datelines, title and lead names, outlets, ambiguous names."""

from __future__ import annotations

import pandas as pd
import pytest

from data.places import (
    PLACE_COLUMNS,
    Outlet,
    OutletTable,
    Site,
    article_sites,
    load_outlets,
    resolve_region,
    tag_places,
)

#: Names shared by a kabupaten and a kota of the same province: (name, kabupaten, kota).
SHARED_NAMES = [
    ("Serang", "36.04", "36.73"),
    ("Tangerang", "36.03", "36.71"),
    ("Bandung", "32.04", "32.73"),
    ("Bogor", "32.01", "32.71"),
    ("Bekasi", "32.16", "32.75"),
    ("Sukabumi", "32.02", "32.72"),
    ("Cirebon", "32.09", "32.74"),
    ("Tasikmalaya", "32.06", "32.78"),
    ("Magelang", "33.08", "33.71"),
    ("Semarang", "33.22", "33.74"),
    ("Pekalongan", "33.26", "33.75"),
    ("Tegal", "33.28", "33.76"),
    ("Blitar", "35.05", "35.72"),
    ("Kediri", "35.06", "35.71"),
    ("Malang", "35.07", "35.73"),
    ("Probolinggo", "35.13", "35.74"),
    ("Pasuruan", "35.14", "35.75"),
    ("Mojokerto", "35.16", "35.76"),
    ("Madiun", "35.19", "35.77"),
    ("Solok", "13.02", "13.72"),
    ("Bima", "52.06", "52.72"),
    ("Kupang", "53.01", "53.71"),
    ("Gorontalo", "75.01", "75.71"),
    ("Jayapura", "91.03", "91.71"),
    ("Sorong", "96.01", "96.71"),
]


@pytest.fixture(autouse=True)
def _shipped_outlets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOROTAN_OUTLETS", raising=False)


def tag(
    title: str = "",
    text: str = "",
    source: str = "",
    url: str = "",
    region: str | None = None,
    **kwargs: object,
) -> dict:
    """The tags of one article."""
    frame = pd.DataFrame(
        [{"title": title, "text": text, "source": source, "url": url, "region": region}]
    )
    return tag_places(frame, **kwargs).iloc[0].to_dict()


def where(result: dict) -> tuple:
    """(province_code, regency_code, place_evidence) of one result."""
    return result["province_code"], result["regency_code"], result["place_evidence"]


# --- output shape ------------------------------------------------------------------------------


def test_output_keeps_index_and_columns_and_names_places() -> None:
    frame = pd.DataFrame(
        {
            "title": ["Wali Kota Serang Tinjau Pasar", None],
            "text": [None, float("nan")],
            "source": [None, None],
            "url": [None, None],
            "region": [None, None],
        },
        index=[10, 42],
    )
    result = tag_places(frame)
    assert list(result.columns) == list(PLACE_COLUMNS)
    assert list(result.index) == [10, 42]
    assert result.loc[10].tolist() == ["36", "Banten", "36.73", "Kota Serang", "title", "36.73"]
    assert result.loc[42].tolist() == [None, None, None, None, "none", ""]


def test_empty_frame_gives_empty_result() -> None:
    frame = pd.DataFrame(columns=["title", "text", "source", "url", "region"])
    result = tag_places(frame)
    assert list(result.columns) == list(PLACE_COLUMNS)
    assert result.empty


def test_missing_columns_read_as_blank() -> None:
    result = tag_places(pd.DataFrame({"title": ["Banjir Rendam Pandeglang"]}))
    assert result.loc[0, "regency_code"] == "36.01"


# --- explicit region --------------------------------------------------------------------------


def test_region_column_wins_over_everything() -> None:
    result = tag(title="Banjir di Surabaya", text="SURABAYA, KOMPAS.com - Banjir.", region="36.73")
    assert where(result) == ("36", "36.73", "region")
    assert result["places"] == "36.73;35.78"


def test_region_argument_applies_where_the_column_is_blank() -> None:
    frame = pd.DataFrame(
        {
            "title": ["Rapat Paripurna", "Rapat Paripurna"],
            "text": ["", ""],
            "source": ["", ""],
            "url": ["", ""],
            "region": ["Kabupaten Lebak", None],
        }
    )
    result = tag_places(frame, region="Kota Serang")
    assert result["regency_code"].tolist() == ["36.02", "36.73"]
    assert result["place_evidence"].tolist() == ["region", "region"]


def test_province_region_takes_the_regency_from_the_dateline() -> None:
    result = tag(text="CILEGON, KOMPAS.com - Pabrik baja menambah tenaga kerja.", region="Banten")
    assert where(result) == ("36", "36.72", "region")


def test_province_region_ignores_a_dateline_elsewhere() -> None:
    result = tag(text="SURABAYA, KOMPAS.com - Rapat koordinasi.", region="ID-BT")
    assert where(result) == ("36", None, "region")


def test_unknown_region_column_value_is_ignored() -> None:
    result = tag(title="Warga Pandeglang Panen Raya", region="Atlantis")
    assert where(result) == ("36", "36.01", "title")


def test_unknown_region_argument_raises() -> None:
    with pytest.raises(ValueError, match="Unknown region 'Serangg'.*'Serang'"):
        tag_places(pd.DataFrame({"title": ["Rapat"]}), region="Serangg")


# --- datelines --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "regency"),
    [
        ("SERANG, KOMPAS.com - Pemerintah kota menggelar pasar murah.", "36.73"),
        ("TRIBUNBANTEN.COM, SERANG - Pemerintah kota menggelar pasar murah.", "36.73"),
        ("Serang (ANTARA) - Pemerintah kota menggelar pasar murah.", "36.73"),
        ("Serang\n-\nPemerintah kota menggelar pasar murah.", "36.73"),
        ("Surabaya - Pemerintah kota menggelar pasar murah.", "35.78"),
        ("BANDUNG - Pemerintah kota menggelar pasar murah.", "32.73"),
        ("REPUBLIKA.CO.ID, SEMARANG -- Pemerintah kota menggelar pasar murah.", "33.74"),
        ("Liputan6.com, Cilegon - Pemerintah kota menggelar pasar murah.", "36.72"),
        ("TANGERANG SELATAN, KOMPAS.com - Pemerintah kota menggelar pasar murah.", "36.74"),
        ("KABUPATEN BOGOR, KOMPAS.com - Pemerintah daerah menggelar pasar murah.", "32.01"),
        ("Pandeglang, Senin (9/6/2025) - Pemerintah daerah menggelar pasar murah.", "36.01"),
        ("CIBINONG, KOMPAS.com - Pemerintah daerah menggelar pasar murah.", "32.01"),
        ("BATU, KOMPAS.com - Pemerintah kota menggelar pasar murah.", "35.79"),
        ("Daftar Isi\nPasar Murah\nSurabaya\n-\nPemerintah kota menggelar pasar murah.", "35.78"),
    ],
)
def test_dateline_names_the_place(text: str, regency: str) -> None:
    assert where(tag(title="Pasar Murah Digelar", text=text)) == (regency[:2], regency, "dateline")


def test_dateline_wins_over_title_and_lead() -> None:
    result = tag(
        title="Petani Garut Belajar Hidroponik",
        text="SUMEDANG, KOMPAS.com - Petani dari Garut dan Ciamis belajar hidroponik.",
    )
    assert where(result) == ("32", "32.11", "dateline")
    assert result["places"] == "32.11;32.05;32.07"


def test_bare_shared_name_in_dateline_gives_way_to_an_explicit_kabupaten() -> None:
    result = tag(text="SERANG, KOMPAS.com - Bupati Serang meninjau sawah yang kekeringan.")
    assert where(result) == ("36", "36.04", "dateline")


def test_jakarta_dateline_of_a_national_desk_is_no_place() -> None:
    result = tag(
        title="Cara Memilih Ponsel Bekas",
        text="JAKARTA, KOMPAS.com - Membeli ponsel bekas perlu ketelitian.",
    )
    assert where(result) == (None, None, "none")
    assert result["places"] == ""


@pytest.mark.parametrize(
    "text",
    [
        "JAKARTA, KOMPAS.com - Genangan setinggi lutut merendam Kelapa Gading, Jakarta Utara.",
        "Jakarta, detikNews - Genangan setinggi lutut merendam Kelapa Gading, Jakarta Utara.",
    ],
)
def test_jakarta_dateline_holds_when_the_lead_is_in_jakarta(text: str) -> None:
    assert where(tag(title="Genangan di Kelapa Gading", text=text)) == ("31", "31.72", "dateline")


def test_province_dateline_yields_to_a_title_elsewhere() -> None:
    result = tag(
        title="Izin Tambang Nikel di Raja Ampat Dicabut",
        text="JAKARTA, KOMPAS.com - Pemerintah mencabut empat izin usaha tambang.",
    )
    assert where(result) == ("96", "96.03", "title")


def test_foreign_dateline_gives_no_place_and_mutes_lead_and_outlet() -> None:
    result = tag(
        title="Bank Sentral Amerika Tahan Suku Bunga",
        text="WASHINGTON, KOMPAS.com - Keputusan itu juga dipantau pasar di Jakarta.",
        url="https://banten.tribunnews.com/2025/06/10/bank-sentral",
    )
    assert where(result) == (None, None, "none")
    assert result["places"] == ""


def test_foreign_dateline_keeps_the_title() -> None:
    result = tag(
        title="Mahasiswa Asal Kendari Raih Penghargaan di Tokyo",
        text="TOKYO - Seorang mahasiswa menerima penghargaan riset.",
    )
    assert where(result) == ("74", "74.71", "title")


def test_outlet_name_is_not_a_foreign_dateline() -> None:
    result = tag(
        title="Dua Pengedar Ditangkap",
        text="POSMETRO – Dua pengedar ditangkap di Kecamatan Medan Baru.",
        source="posmetromedan.com",
    )
    assert where(result) == ("12", "12.71", "outlet")


# --- title and lead ---------------------------------------------------------------------------


def test_title_names_the_place() -> None:
    result = tag(title="Sawah Kekeringan, Petani Indramayu Gagal Panen", text="Petani mengeluh.")
    assert where(result) == ("32", "32.12", "title")


def test_lead_names_the_place() -> None:
    result = tag(title="Petani Gagal Panen", text="Ratusan petani di Kabupaten Klaten gagal panen.")
    assert where(result) == ("33", "33.10", "lead")


def test_name_deep_in_the_body_is_not_read() -> None:
    body = (
        "Petani mengeluh karena hujan tidak turun. " * 12
        + "Hal serupa terjadi di Kabupaten Klaten."
    )
    assert where(tag(title="Petani Gagal Panen", text=body)) == (None, None, "none")


def test_multi_place_story_names_the_strongest_first_and_lists_all() -> None:
    result = tag(
        title="Wali Kota Serang dan Bupati Pandeglang Bahas Air Bersih",
        text="Pertemuan di Kota Serang juga dihadiri pejabat Pemprov Banten dan Kabupaten Lebak.",
    )
    assert where(result) == ("36", "36.73", "title")
    assert result["places"] == "36.73;36.01;36;36.02"


def test_title_places_in_one_province_with_no_leader_give_the_province() -> None:
    result = tag(title="Banjir Rendam Garut dan Tasikmalaya", text="Ratusan rumah terendam.")
    assert where(result) == ("32", None, "title")
    assert result["places"] == "32;32.05"


def test_conflicting_provinces_of_equal_weight_give_nothing() -> None:
    result = tag(title="Harga Cabai di Surabaya dan Makassar Naik", text="Harga cabai naik.")
    assert where(result) == (None, None, "none")
    assert result["places"] == "35.78;73.71"


def test_lead_breaks_a_tie_in_the_title() -> None:
    result = tag(
        title="Harga Cabai di Surabaya dan Makassar Naik",
        text="Pedagang di Pasar Keputran, Surabaya, menaikkan harga.",
    )
    assert where(result) == ("35", "35.78", "title")


def test_parent_province_counts_for_the_new_province() -> None:
    result = tag(title="Polres Jayawijaya di Papua Sita Petasan", text="Petasan disita.")
    assert where(result) == ("95", "95.01", "title")


# --- names shared by a city and a regency -----------------------------------------------------


KABUPATEN_WORDS = ("Kabupaten", "Kab.", "Bupati", "Pemkab", "Pemerintah Kabupaten (Pemkab)")
KOTA_WORDS = ("Kota", "Wali Kota", "Walikota", "Pemkot", "Pemerintah Kota (Pemkot)")


@pytest.mark.parametrize(("name", "kabupaten", "kota"), SHARED_NAMES)
def test_shared_name_follows_its_qualifier(name: str, kabupaten: str, kota: str) -> None:
    titles = [f"{word} {name} Raih Penghargaan" for word in KABUPATEN_WORDS + KOTA_WORDS]
    result = tag_places(pd.DataFrame({"title": titles}))
    assert result["regency_code"].tolist() == [kabupaten] * 5 + [kota] * 5


@pytest.mark.parametrize(("name", "kabupaten", "kota"), SHARED_NAMES)
def test_bare_shared_name_gives_the_province_only(name: str, kabupaten: str, kota: str) -> None:
    result = tag(title=f"Warga {name} Gelar Doa Bersama", text="Doa bersama digelar malam ini.")
    assert where(result) == (kota[:2], None, "title")


@pytest.mark.parametrize(("name", "kabupaten", "kota"), SHARED_NAMES)
def test_bare_shared_name_in_a_dateline_is_the_kota(name: str, kabupaten: str, kota: str) -> None:
    result = tag(text=f"{name.upper()}, KOMPAS.com - Doa bersama digelar malam ini.")
    assert where(result) == (kota[:2], kota, "dateline")


def test_bare_shared_name_follows_an_explicit_mention_elsewhere() -> None:
    result = tag(title="Warga Serang Gelar Doa Bersama", text="Pemkab Serang menyiapkan tenda.")
    assert where(result) == ("36", "36.04", "title")


def test_kabupaten_dan_kota_names_both() -> None:
    result = tag(title="Banjir Landa Kabupaten dan Kota Mojokerto", text="Air naik.")
    assert where(result) == ("35", None, "title")
    assert result["places"] == "35;35.16;35.76"


def test_name_shared_across_provinces_needs_support() -> None:
    assert where(tag(title="Warga Banjar Gelar Doa Bersama")) == (None, None, "none")
    result = tag(title="Warga Banjar Gelar Doa Bersama", text="Tokoh Kalsel ikut hadir.")
    assert where(result) == ("63", "63.03", "title")
    assert tag(title="Wali Kota Banjar Gelar Doa Bersama")["regency_code"] == "32.79"


# --- risky names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Israel Serang Gaza Lagi",
        "Polisi Buru Pelaku Pembacokan",
        "Tambang Batu Bara Ilegal Ditutup",
        "Ekspor Batubara Naik",
        "Lemparan Batu Pecahkan Kaca Bus",
        "Satu Juta Batang Bibit Kopi Dibagikan",
        "Laporan Diterima Polda Metro Jaya",
        "Puncak Arus Mudik Diprediksi Sabtu",
        "Nasib Malang Pedagang Kaki Lima",
        "Bima Arya Hadiri Pelantikan",
        "Restoran Nasi Padang Ramai Pembeli",
        "Konser Solo Perdana Sang Gitaris",
        "Medan Perang Baru di Pasar Ponsel",
        "Harga batu bata naik, nasib pedagang malang di kota serang",
    ],
)
def test_common_words_are_not_places(title: str) -> None:
    result = tag(title=title, text="Berita lengkap menyusul.")
    assert where(result) == (None, None, "none")


@pytest.mark.parametrize(
    ("title", "regency"),
    [
        ("Wisatawan Padati Kota Batu", "35.79"),
        ("Bupati Buru Resmikan Pelabuhan", "81.04"),
        ("Pemkab Agam Salurkan Bantuan", "13.06"),
        ("Kabupaten Batu Bara Gelar Festival", "12.19"),
        ("Wali Kota Metro Tinjau Pasar", "18.72"),
        ("Kabupaten Puncak Diguncang Gempa", "94.05"),
        ("Banjir Rendam Rumah Warga di Batang", "33.25"),
        ("Macet Panjang di Tol Pemalang-Batang", None),
        ("Longsor Tutup Jalan di Kuningan, Jawa Barat", "32.08"),
    ],
)
def test_risky_names_count_in_context(title: str, regency: str | None) -> None:
    result = tag(title=title)
    assert result["place_evidence"] == "title"
    if regency:
        assert result["regency_code"] == regency
    else:
        assert (result["province_code"], result["places"]) == ("33", "33;33.27;33.25")


def test_risky_name_before_its_province_counts() -> None:
    assert where(tag(title="Gempa Guncang Serang, Banten")) == ("36", None, "title")


def test_street_names_are_not_places() -> None:
    result = tag(title="Kecelakaan di Jalan Malang", text="Dua motor bertabrakan di Jl. Surabaya.")
    assert where(result) == (None, None, "none")


# --- provinces and Jakarta ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "province"),
    [
        ("Jabar", "32"), ("Jatim", "35"), ("Jateng", "33"), ("Jogja", "34"), ("Yogyakarta", "34"),
        ("DIY", "34"), ("DKI", "31"), ("DKI Jakarta", "31"), ("Jakarta", "31"), ("NTB", "52"),
        ("NTT", "53"), ("Sulsel", "73"), ("Sumut", "12"), ("Sumbar", "13"), ("Kalbar", "61"),
        ("Kaltim", "64"), ("Babel", "19"), ("Kepri", "21"), ("Jawa Barat", "32"),
        ("Nusa Tenggara Timur", "53"), ("Papua Barat Daya", "96"), ("Papua", "91"), ("Aceh", "11"),
    ],
)  # fmt: skip
def test_province_names_and_aliases(alias: str, province: str) -> None:
    assert where(tag(title=f"Inflasi di {alias} Melandai")) == (province, None, "title")


@pytest.mark.parametrize(
    ("name", "regency"),
    [
        ("Jakarta Pusat", "31.71"), ("Jakarta Utara", "31.72"), ("Jakarta Barat", "31.73"),
        ("Jakarta Selatan", "31.74"), ("Jakarta Timur", "31.75"), ("Jaksel", "31.74"),
        ("Kepulauan Seribu", "31.01"),
    ],
)  # fmt: skip
def test_jakarta_cities(name: str, regency: str) -> None:
    assert where(tag(title=f"Genangan di {name} Surut")) == ("31", regency, "title")


def test_province_and_capital_sharing_a_name() -> None:
    assert where(tag(title="Banjir di Jambi")) == ("15", None, "title")
    assert where(tag(title="Banjir di Kota Jambi")) == ("15", "15.71", "title")
    assert where(tag(text="JAMBI, KOMPAS.com - Banjir.")) == ("15", "15.71", "dateline")


# --- outlets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "url", "home"),
    [
        ("", "https://banten.tribunnews.com/2025/06/10/rapat", ("36", None)),
        ("TribunBanten.com", "", ("36", None)),
        ("Tribun Banten", "", ("36", None)),
        ("", "https://www.tribunbanten.co.id/rapat", ("36", None)),
        ("", "https://www.detik.com/jatim/berita/d-1/rapat", ("35", None)),
        ("", "https://jatim.antaranews.com/berita/1/rapat", ("35", None)),
        ("", "https://radarbanten.co.id/rapat", ("36", None)),
        ("", "https://serangkota.go.id/berita/rapat", ("36", "36.73")),
        ("", "https://diskominfo.serangkab.go.id/rapat", ("36", "36.04")),
        ("", "https://jabarprov.go.id/berita/rapat", ("32", None)),
    ],
)
def test_outlet_home_is_the_last_resort(source: str, url: str, home: tuple) -> None:
    result = tag(
        title="Rapat Koordinasi Digelar", text="Rapat digelar pagi ini.", source=source, url=url
    )
    assert where(result) == (*home, "outlet")
    assert result["places"] == ""


@pytest.mark.parametrize(
    "url",
    [
        "https://regional.kompas.com/read/2025/06/10/rapat",
        "https://news.detik.com/berita/d-1/rapat",
        "https://www.detik.com/sumbagsel/berita/d-1/rapat",
        "https://example.org/rapat",
    ],
)
def test_outlets_without_a_home_give_nothing(url: str) -> None:
    assert where(tag(title="Rapat Koordinasi Digelar", url=url)) == (None, None, "none")


def test_outlet_home_decides_a_bare_shared_name() -> None:
    result = tag(title="Warga Serang Gelar Doa Bersama", url="https://serangkota.go.id/berita/1")
    assert where(result) == ("36", "36.73", "title")


def test_outlet_table_can_be_passed_in() -> None:
    table = OutletTable([Outlet("Kabar Desa", ("kabardesa.id",), "33", "33.10")])
    result = tag(title="Rapat Koordinasi", url="https://kabardesa.id/1", outlets=table)
    assert where(result) == ("33", "33.10", "outlet")


def test_shipped_outlet_table_loads() -> None:
    table = load_outlets()
    assert len(table) > 100
    assert table.match("", "https://jabar.tribunnews.com/x").name == "Tribun Jabar"


def test_outlet_table_from_the_environment(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        '[[outlet]]\nname = "Warta Desa"\nhosts = ["wartadesa.id"]\nregency_code = "36.02"\n'
    )
    monkeypatch.setenv("SOROTAN_OUTLETS", str(path))
    assert where(tag(title="Rapat", url="https://wartadesa.id/a")) == ("36", "36.02", "outlet")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[[outlet]]\nname = "A"\nprovince_code = "99"\n', "unknown province_code '99'"),
        ('[[outlet]]\nname = "A"\nregency_code = "36.99"\n', "unknown regency_code '36.99'"),
        (
            '[[outlet]]\nname = "A"\nprovince_code = "32"\nregency_code = "36.73"\n',
            "not in province",
        ),
        ('[[outlet]]\nname = "A"\nhost = ["a.id"]\n', "unknown field 'host'"),
        ('[[outlet]]\nhosts = ["a.id"]\n', "needs a name"),
        ("[[outlet]\n", "cannot be read"),
    ],
)
def test_bad_outlet_table_says_what_is_wrong(
    tmp_path: pytest.TempPathFactory, content: str, message: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        load_outlets(path)


def test_missing_outlet_table_is_a_clear_error(tmp_path: pytest.TempPathFactory) -> None:
    with pytest.raises(ValueError, match="cannot be read"):
        load_outlets(tmp_path / "none.toml")


# --- the outlet an article is counted under -------------------------------------------------------

SITES = OutletTable(
    [
        Outlet("Warta Nusa", ("wartanusa.co.id", "*.wartanusa.co.id")),
        Outlet("Warta Nusa Banten", ("banten.wartanusa.co.id",), "36"),
        Outlet("Kabar Desa", ("kabardesa.id", "kabardesa.id/jatim")),
    ]
)


@pytest.mark.parametrize(
    ("source", "url", "site"),
    [
        (None, "https://nasional.wartanusa.co.id/read/2018/01/02/1", Site("Warta Nusa", "nasional")),
        (None, "https://www.wartanusa.co.id/read/1", Site("Warta Nusa", None)),
        (None, "https://m.regional.wartanusa.co.id/read/1", Site("Warta Nusa", "regional")),
        (None, "https://banten.wartanusa.co.id/read/1", Site("Warta Nusa Banten", None)),
        (None, "https://kabardesa.id/jatim/berita/1", Site("Kabar Desa", "jatim")),
        (None, "https://olahraga.lain.or.id/a", Site("lain.or.id", "olahraga")),
        (None, "https://lain.web.id/a", Site("lain.web.id", None)),
        ("ekonomi.wartanusa.co.id", None, Site("Warta Nusa", "ekonomi")),
        ("WARTA NUSA", "https://nasional.wartanusa.co.id/1", Site("Warta Nusa", "nasional")),
        ("wartanusa", None, Site("Warta Nusa", None)),
        ("www.lain.com", None, Site("lain.com", None)),  # a host not in the table: as given
        ("berita.lain.com", None, Site("berita.lain.com", None)),
        ("Kabar Lain", "https://kabarlain.co.id/1", Site("Kabar Lain", None)),
        (" ", "javascript:void(0)", None),
        (None, None, None),
    ],
)  # fmt: skip
def test_site_names_one_outlet_per_site_and_keeps_the_section(
    source: str | None, url: str | None, site: Site | None
) -> None:
    assert SITES.site(source, url) == site


def test_article_sites_per_row_with_the_shipped_table() -> None:
    urls = pd.Series(
        [
            "https://nasional.kompas.com/read/2018/03/14/1/judul",
            "https://regional.kompas.com/read/2018/03/14/2/judul",
            None,
            "https://turnbackhoax.id/2025/06/13/judul/",
        ],
        index=[3, 4, 5, 6],
    )
    sources = pd.Series([None, None, "oto.detik.com", None], index=urls.index)
    sites = article_sites(sources, urls)
    assert sites.index.equals(urls.index)
    assert sites.to_dict("list") == {
        "outlet": ["Kompas.com", "Kompas.com", "detikcom", "TurnBackHoax"],
        "section": ["nasional", "regional", "oto", None],
    }


# --- resolve_region -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("36", ("36", None)),
        ("36.73", ("36", "36.73")),
        ("3673", ("36", "36.73")),
        ("ID-BT", ("36", None)),
        ("id-jk", ("31", None)),
        ("Banten", ("36", None)),
        ("Provinsi Banten", ("36", None)),
        ("Kota Serang", ("36", "36.73")),
        ("Kabupaten Serang", ("36", "36.04")),
        ("Kab. Serang", ("36", "36.04")),
        ("serang", ("36", None)),
        ("  KOTA   SERANG ", ("36", "36.73")),
        ("Jakarta Selatan", ("31", "31.74")),
        ("Kota Administrasi Jakarta Selatan", ("31", "31.74")),
        ("Daerah Khusus Ibukota Jakarta", ("31", None)),
        ("Kepulauan Seribu", ("31", "31.01")),
        ("Jabar", ("32", None)),
        ("Jogja", ("34", None)),
        ("Kota Yogyakarta", ("34", "34.71")),
        ("Banjar, Kalimantan Selatan", ("63", "63.03")),
        ("Pandeglang", ("36", "36.01")),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_resolve_region(value: str | None, expected: tuple) -> None:
    assert resolve_region(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Serangg", r"Unknown region 'Serangg'\. Did you mean 'Serang'"),
        ("Atlantis", "Unknown region 'Atlantis'.*Kemendagri code"),
        ("Banjar", "ambiguous: Kota Banjar .*Jawa Barat.* or Kabupaten Banjar"),
        ("99", "no province or regency has code 99"),
        ("36.99", "no province or regency has code 36.99"),
        ("ID-XX", "Unknown ISO 3166-2 code"),
    ],
)
def test_resolve_region_rejects_unknown_values(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        resolve_region(value)
    assert resolve_region(value, strict=False) == (None, None)
