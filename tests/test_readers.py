"""Readers: every input format into the canonical raw frame, on small hand-written files."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from data.readers import (
    READ_COLUMNS,
    ReaderError,
    ReadLimits,
    ReadNotes,
    iter_input_files,
    json_files,
    parse_mapping,
    read_path,
)
from data.readers.decoding import BLOCK_BYTES
from data.readers.frames import NUL_ERROR
from data.schema import RAW_COLUMNS

HEADLESS_ROWS = [
    (
        "0",
        "Jembatan Cibanten Diperbaiki Jelang Musim Hujan",
        "https://aset.contoh.id/foto/2018/01/02/jembatan.jpg",
        "https://daerah.contoh.id/baca/2018/01/02/101/jembatan-cibanten-diperbaiki",
        "2018-01-02",
    ),
    (
        "0",
        "Pasar Rau Ramai Pembeli Menjelang Tahun Baru",
        "https://aset.contoh.id/foto/2018/01/01/pasar.JPG",
        "https://ekonomi.contoh.id/baca/2018/01/01/202/pasar-rau-ramai-pembeli",
        "2018-01-01",
    ),
    (
        "0",
        "Festival Debus, Wisatawan Padati Alun-alun",
        "https://aset.contoh.id/foto/2017/12/31/debus.png?w=230",
        "https://wisata.contoh.id/baca/2017/12/31/303/festival-debus-wisatawan-padati",
        "2017-12-31",
    ),
]


def _read(path: Path, **kwargs: object) -> pd.DataFrame:
    """Every frame of a file, concatenated."""
    return pd.concat(list(read_path(path, **kwargs)), ignore_index=True)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write a text fixture and return its path."""
    path.write_bytes(text.encode(encoding))
    return path


def _records(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    """Rows of the chosen columns as tuples."""
    return list(frame[list(columns)].itertuples(index=False, name=None))


def test_csv_with_header_keeps_quoted_newlines_and_numbers_records(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "berita.csv",
        "judul,isi,tanggal,link,sumber,kategori,id\n"
        'Warga Kasemen Gotong Royong,"SERANG - Warga membersihkan saluran.\nLurah ikut turun.",'
        "2024-02-12,https://kabar.contoh.id/a/1,Kabar Serang,Daerah,17\n"
        "Harga Cabai Turun,Pedagang di Pasar Rau lega.,13/02/2024,https://kabar.contoh.id/a/2,"
        "Kabar Serang,,18\n",
    )
    frame = _read(path)
    assert list(frame.columns) == list(READ_COLUMNS) == [*RAW_COLUMNS, "date_column"]
    assert {str(dtype) for f in read_path(path) for dtype in f.dtypes} == {"object"}
    assert _records(frame, "title", "text", "date", "url", "source", "category", "article_id") == [
        (
            "Warga Kasemen Gotong Royong",
            "SERANG - Warga membersihkan saluran.\nLurah ikut turun.",
            "2024-02-12",
            "https://kabar.contoh.id/a/1",
            "Kabar Serang",
            "Daerah",
            "17",
        ),
        (
            "Harga Cabai Turun",
            "Pedagang di Pasar Rau lega.",
            "13/02/2024",
            "https://kabar.contoh.id/a/2",
            "Kabar Serang",
            None,
            "18",
        ),
    ]
    assert _records(frame, "file", "row", "error", "html_date", "region", "date_column") == [
        (str(path), 1, None, None, None, "tanggal"),
        (str(path), 2, None, None, None, "tanggal"),
    ]


@pytest.mark.parametrize(
    ("name", "delimiter"), [("titik_koma.csv", ";"), ("tab.tsv", "\t"), ("pipa.txt", "|")]
)
def test_delimiters_are_sniffed(tmp_path: Path, name: str, delimiter: str) -> None:
    lines = [
        ["Judul", "Isi Berita", "Tgl"],
        ["Banjir di Cipocok, Jalan Ditutup", "Air setinggi 40 cm, warga mengungsi.", "12 Feb 2024"],
        ["Sekolah Baru Diresmikan", "Wali kota meresmikan gedung, Senin.", "13 Feb 2024"],
    ]
    path = _write(tmp_path / name, "".join(delimiter.join(line) + "\n" for line in lines))
    frame = _read(path)
    assert _records(frame, "title", "text", "date") == [tuple(line) for line in lines[1:]]


def test_headerless_file_is_recognised_by_content(tmp_path: Path) -> None:
    text = "".join(
        f'{i},"{title}",{image},{url},{day}\n' for i, title, image, url, day in HEADLESS_ROWS
    )
    frame = _read(_write(tmp_path / "judul_2018.csv", text))
    assert _records(frame, "title", "url", "date", "text", "article_id") == [
        (title, url, day, None, None) for _, title, _, url, day in HEADLESS_ROWS
    ]
    assert frame["row"].tolist() == [1, 2, 3]


def test_headerless_long_column_is_text(tmp_path: Path) -> None:
    body = "Pemerintah kota menyiapkan posko kesehatan di setiap kecamatan. " * 5
    text = "".join(f"Posko Kesehatan Dibuka {i},{body},2024-03-0{i}\n" for i in range(1, 4))
    frame = _read(_write(tmp_path / "tanpa_judul.csv", text))
    assert frame["title"].tolist() == [f"Posko Kesehatan Dibuka {i}" for i in range(1, 4)]
    assert frame["text"].tolist() == [body] * 3
    assert frame["date"].tolist() == ["2024-03-01", "2024-03-02", "2024-03-03"]


def test_cp1252_file_is_decoded(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "lama.csv",
        "title,content\nKafé ’Kopi Banten’ Dibuka,Pemilik kafé berkata: “Ramai.”\n",
        encoding="cp1252",
    )
    frame = _read(path)
    assert _records(frame, "title", "text") == [
        ("Kafé ’Kopi Banten’ Dibuka", "Pemilik kafé berkata: “Ramai.”")
    ]


def test_utf8_bom_and_utf16_are_decoded(tmp_path: Path) -> None:
    bom = _write(
        tmp_path / "bom.csv", "judul,isi\nPekan Raya Serang,Stan UMKM penuh.\n", "utf-8-sig"
    )
    utf16 = _write(
        tmp_path / "excel.txt", "Judul\tIsi\nPekan Raya Serang\tStan UMKM penuh.\n", "utf-16"
    )
    for path in (bom, utf16):
        assert _records(_read(path), "title", "text") == [("Pekan Raya Serang", "Stan UMKM penuh.")]


def test_xlsx_reads_every_non_empty_sheet_with_text_cells(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Berita"
    first.append(["No.", "Judul", "Isi", "Tanggal", "Kategori", "Link"])
    first.append(
        [
            1,
            "Bupati Resmikan Pasar",
            "Pasar baru di Pandeglang.",
            datetime(2024, 2, 12),
            "Daerah",
            "https://a.contoh.id/1",
        ]
    )
    first.append([2, "Jalan Tol Macet", "Antrean 5 km.", datetime(2024, 2, 13, 7, 30), None, None])
    book.create_sheet("Kosong")
    second = book.create_sheet("Arsip")
    second.append(["judul", "isi", "tgl", "id"])
    second.append(["Pawai Obor", "Ribuan warga ikut.", "10 Juni 2025 |04:01 WIB", 4410.0])
    notes = book.create_sheet("Catatan")
    notes.append(["catatan"])
    notes.append(["diambil dari situs resmi"])
    path = tmp_path / "berita.xlsx"
    book.save(path)

    frame = _read(path)
    assert _records(frame, "title", "text", "date", "category", "url", "article_id", "row") == [
        (
            "Bupati Resmikan Pasar",
            "Pasar baru di Pandeglang.",
            "2024-02-12",
            "Daerah",
            "https://a.contoh.id/1",
            None,
            1,
        ),
        ("Jalan Tol Macet", "Antrean 5 km.", "2024-02-13T07:30:00", None, None, None, 2),
        ("Pawai Obor", "Ribuan warga ikut.", "10 Juni 2025 |04:01 WIB", None, None, "4410", 3),
        (None, None, None, None, None, None, 4),
    ]
    assert frame["error"].tolist() == [
        None,
        None,
        None,
        "sheet 'Catatan' has no text or title column",
    ]


def test_json_list_and_wrapped_lists(tmp_path: Path) -> None:
    articles = [
        {
            "id": 7,
            "title": "Lomba Perahu Hias",
            "content": ["Paragraf satu.", "Paragraf dua."],
            "source": {"name": "Warta Pantai"},
            "tags": ["wisata", "laut"],
        },
        {
            "id": 8,
            "headline": "Nelayan Melaut Lagi",
            "body": "Cuaca membaik.",
            "published_at": None,
        },
    ]
    expected = [
        ("7", "Lomba Perahu Hias", "Paragraf satu.\nParagraf dua.", "Warta Pantai"),
        ("8", "Nelayan Melaut Lagi", "Cuaca membaik.", None),
    ]
    documents = {
        "daftar.json": articles,
        "bungkus.json": {"status": "ok", "articles": articles},
        "data.json": {"total": 2, "data": articles},
    }
    for name, document in documents.items():
        path = _write(tmp_path / name, json.dumps(document, indent=2))
        assert _records(_read(path), "article_id", "title", "text", "source") == expected


def test_large_json_document_streams_across_blocks(tmp_path: Path) -> None:
    body = "Kabupaten Lebak menyalurkan bantuan benih padi kepada kelompok tani. " * 60
    records = [{"judul": f"Bantuan Benih Tahap {i}", "isi": body} for i in range(300)]
    path = _write(tmp_path / "besar.json", json.dumps({"berita": records}, ensure_ascii=False))
    assert path.stat().st_size > 1 << 20
    frame = _read(path, chunk_rows=128)
    assert frame["title"].tolist() == [f"Bantuan Benih Tahap {i}" for i in range(300)]
    assert (frame["text"] == body).all()
    assert frame["row"].tolist() == list(range(1, 301))


def test_broken_json_document_keeps_records_before_the_break(tmp_path: Path) -> None:
    path = _write(tmp_path / "putus.json", '[{"judul": "Satu", "isi": "A."}, {"judul": "Dua", "is')
    frame = _read(path)
    assert frame["title"].tolist() == ["Satu", None]
    assert frame["error"][0] is None
    assert frame["error"][1].startswith("malformed JSON after record 1")


def test_json_lines_malformed_line_becomes_error_row(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "umpan.jsonl",
        '{"title": "Pelabuhan Merak Padat", "text": "Antrean truk mengular."}\n'
        "\n"
        '{"title": "Kapal Tertunda", "text": "Gelombang tinggi, "date": \n'
        '{"title": "Tiket Habis", "text": "Penumpang beralih ke bus.", "url": "https://b.contoh.id/3"}\n'
        "[1, 2]\n",
    )
    frame = _read(path)
    assert _records(frame, "row", "title", "text", "url") == [
        (1, "Pelabuhan Merak Padat", "Antrean truk mengular.", None),
        (2, "Kapal Tertunda", "Gelombang tinggi, ", None),
        (3, "Tiket Habis", "Penumpang beralih ke bus.", "https://b.contoh.id/3"),
        (4, None, None, None),
    ]
    errors = frame["error"].tolist()
    assert errors[0] is None and errors[2] is None
    assert errors[1].startswith("malformed JSON line:")
    assert errors[3] == "record is a JSON list, not an object"


def test_parquet(tmp_path: Path) -> None:
    path = tmp_path / "arsip.parquet"
    pd.DataFrame(
        {
            "article_id": [101, 102],
            "judul": ["Gerhana Terlihat di Anyer", "Festival Kuliner"],
            "konten": ["Warga berkumpul di pantai.", None],
            "published_at": [pd.Timestamp("2024-04-08 19:05"), pd.Timestamp("2024-04-09")],
        }
    ).to_parquet(path)
    frame = _read(path)
    assert _records(frame, "article_id", "title", "text", "date") == [
        ("101", "Gerhana Terlihat di Anyer", "Warga berkumpul di pantai.", "2024-04-08T19:05:00"),
        ("102", "Festival Kuliner", None, "2024-04-09"),
    ]


def test_saved_html_page(tmp_path: Path) -> None:
    paragraph = (
        "Pemerintah Kota Serang membuka pendaftaran pelatihan kerja gratis bagi pemuda di enam "
        "kecamatan. Pelatihan meliputi las, menjahit dan pemasaran daring selama dua pekan."
    )
    html = f"""<!doctype html><html lang="id"><head>
<title>Pelatihan Kerja Gratis Dibuka - Kabar Banten Kita</title>
<meta property="og:site_name" content="Kabar Banten Kita">
<meta property="og:url" content="https://kabarbanten.contoh.id/2024/05/pelatihan-kerja">
<meta property="article:published_time" content="2024-05-06T09:15:00+07:00">
</head><body><nav>Beranda | Daerah | Olahraga</nav>
<article><h1>Pelatihan Kerja Gratis Dibuka</h1><p>{paragraph}</p><p>{paragraph}</p></article>
<footer>Hak cipta Kabar Banten Kita</footer></body></html>"""
    frame = _read(_write(tmp_path / "halaman.html", html))
    page = frame.iloc[0]
    assert len(frame) == 1
    assert page["title"] == "Pelatihan Kerja Gratis Dibuka"
    assert paragraph in page["text"]
    assert "Beranda" not in page["text"]
    assert page["url"] == "https://kabarbanten.contoh.id/2024/05/pelatihan-kerja"
    assert page["source"] == "Kabar Banten Kita"
    assert page["html_date"] == "2024-05-06"
    assert page["date"] is None


def test_seed_like_text_page(tmp_path: Path) -> None:
    page = (
        "\n\nDinas Pertanian Gelar Pasar Murah di Taktakan\n\nIKLAN APLIKASI KEUANGAN\n\n"
        "Dinas Pertanian Gelar Pasar Murah di Taktakan\n\nSERANG - Ratusan warga antre beras murah.\n"
    )
    frame = _read(_write(tmp_path / "000_halaman.txt", page))
    assert _records(frame, "title", "text", "row") == [
        (
            "Dinas Pertanian Gelar Pasar Murah di Taktakan",
            "IKLAN APLIKASI KEUANGAN\n\nDinas Pertanian Gelar Pasar Murah di Taktakan\n\n"
            "SERANG - Ratusan warga antre beras murah.",
            1,
        )
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("kosong.csv", b"", "the file is empty"),
        ("spasi.csv", b"  \n\n", "the file is empty"),
        ("sampah.csv", bytes(range(256)) * 8, "binary content"),
        ("sampah.json", b"\x8b\x1f" + bytes(range(1, 32)) * 40, "binary content"),
        ("rusak.xlsx", b"PK\x03\x04" + bytes(40), "truncated or damaged zip archive"),
        ("rusak.parquet", b"PAR1 bukan parquet", "cannot be read"),
        ("lama.xls", b"\xd0\xcf\x11\xe0", "save it as .xlsx"),
        ("kosong.json", b"[]", "no records"),
        ("hanya_kepala.csv", b"judul,isi\n", "no records"),
        ("bukan.json", b'{"judul": banjir}', "not valid JSON"),
    ],
)
def test_whole_file_problems_raise_reader_error(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReaderError, match=message) as caught:
        read_path(path)
    assert str(path) in str(caught.value)


def test_missing_text_column_names_the_columns_found(tmp_path: Path) -> None:
    path = _write(tmp_path / "angka.csv", "kode,jumlah,wilayah\nA1,3,Serang\nA2,5,Cilegon\n")
    with pytest.raises(ReaderError) as caught:
        read_path(path)
    assert "no text or title column (columns found: kode, jumlah, wilayah)" in str(caught.value)


def test_map_overrides_recognised_columns(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "peta.csv",
        "judul,judul_asli,uraian,asal\nRingkas,Judul Lengkap Asli,Isi uraian panjang.,Kota Serang\n",
    )
    frame = _read(path, mapping=parse_mapping("title=judul_asli, text=URAIAN, region=asal"))
    assert _records(frame, "title", "text", "region") == [
        ("Judul Lengkap Asli", "Isi uraian panjang.", "Kota Serang")
    ]
    headless = _write(
        tmp_path / "tanpa.csv", "x1,Alpha Satu Dua,2024-01-01\nx2,Beta Tiga,2024-01-02\n"
    )
    frame = _read(headless, mapping={"title": "1", "text": "2"})
    assert _records(frame, "title", "text", "date") == [
        ("x1", "Alpha Satu Dua", "2024-01-01"),
        ("x2", "Beta Tiga", "2024-01-02"),
    ]


def test_map_column_not_in_file_raises(tmp_path: Path) -> None:
    path = _write(tmp_path / "peta.csv", "judul,isi\nA,B\n")
    with pytest.raises(ReaderError, match=r"'konten' given by --map text=konten .*judul, isi"):
        read_path(path, mapping={"text": "konten"})


def test_date_and_time_columns_are_joined(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "waktu.csv",
        "title,date,time,content\n"
        "A,06 Jun 2025,21:02,x\n"
        '"B","Warta - 10/06/2025, 21:23 WIB",21:23,y\n'
        "C,Tidak Ditemukan,,z\n"
        "D,,08:00,w\n"
        "E,,2025-06-11 07:45,v\n",
    )
    assert _read(path)["date"].tolist() == [
        "06 Jun 2025 21:02",
        "Warta - 10/06/2025, 21:23 WIB",
        "Tidak Ditemukan",
        None,
        "2025-06-11 07:45",
    ]


def test_chunks_stream_with_running_row_numbers(tmp_path: Path) -> None:
    path = _write(tmp_path / "lima.csv", "judul\n" + "".join(f"Berita {i}\n" for i in range(1, 6)))
    frames = list(read_path(path, chunk_rows=2))
    assert [len(f) for f in frames] == [2, 2, 1]
    assert [f["row"].tolist() for f in frames] == [[1, 2], [3, 4], [5]]
    assert pd.concat(frames)["title"].tolist() == [f"Berita {i}" for i in range(1, 6)]


def test_csv_row_with_wrong_field_count_is_kept_with_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "miring.csv", "judul,isi\nA,satu\nB,dua,lebih\nC\n")
    frame = _read(path)
    assert _records(frame, "title", "text", "error") == [
        ("A", "satu", None),
        ("B", "dua", "expected 2 fields, found 3"),
        ("C", None, "expected 2 fields, found 1"),
    ]


def test_parse_mapping() -> None:
    assert parse_mapping("title=judul,text=isi, id = No Berita") == {
        "title": "judul",
        "text": "isi",
        "article_id": "No Berita",
    }
    for spec, message in [
        ("title", "not FIELD=COLUMN"),
        ("title=", "not FIELD=COLUMN"),
        ("judul=title", "unknown field 'judul'"),
        ("title=a,title=b", "twice"),
    ]:
        with pytest.raises(ReaderError, match=message):
            parse_mapping(spec)


def test_iter_input_files_expands_folders(tmp_path: Path) -> None:
    for name in [
        "b.csv",
        "a/z.jsonl",
        "a/halaman.html",
        "a/halaman_files/iklan.htm",
        "a/.tersembunyi.csv",
        ".git/x.csv",
        "catatan.md",
        "~$buku.xlsx",
        "c/d.xlsx",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    single = tmp_path / "catatan.md"
    found = list(iter_input_files([tmp_path, single]))
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "b.csv",
        "a/halaman.html",
        "a/z.jsonl",
        "c/d.xlsx",
        "catatan.md",
    ]
    with pytest.raises(ReaderError, match="no such file or folder"):
        list(iter_input_files([tmp_path / "hilang"]))
    assert _records(_read(single), "title", "text") == [("x", None)]  # named: read by content


# --- files as people really have them --------------------------------------------------------


def workbook(path: Path, rows: list[list[object]]) -> Path:
    """An .xlsx workbook with one sheet of rows, saved under any name."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    with path.open("wb") as handle:
        book.save(handle)
    return path


def test_lines_in_different_encodings_are_each_decoded_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "campur.csv"
    path.write_bytes(
        b"judul,isi\n"
        + "Kafé Baru di Anyer,Pemilik kafé menyambut tamu.\n".encode()
        + 'Kafé Lama Tutup,"“Sepi,” kata pemiliknya."\n'.encode("cp1252")
        + b"Harga Beras,Naik lagi pekan ini.\n"
        + "Jalan Rusak,Warga menambal lubang.\n".encode("cp1252")
    )
    notes = ReadNotes()
    frame = _read(path, notes=notes)
    assert _records(frame, "title", "text") == [
        ("Kafé Baru di Anyer", "Pemilik kafé menyambut tamu."),
        ("Kafé Lama Tutup", "“Sepi,” kata pemiliknya."),
        ("Harga Beras", "Naik lagi pekan ini."),
        ("Jalan Rusak", "Warga menambal lubang."),
    ]
    assert notes.encodings == {"utf-8": 1, "cp1252": 1}  # ASCII lines are either
    assert notes.lines_not_utf8 == 1


def test_a_utf8_character_split_across_reading_blocks_stays_whole(tmp_path: Path) -> None:
    cell = "é" * (BLOCK_BYTES // 2 + 7)  # one line longer than a block, cut inside a character
    path = _write(tmp_path / "panjang.csv", f"judul,isi\nKafé,{cell}\n")
    notes = ReadNotes()
    assert _records(_read(path, notes=notes), "title", "text") == [("Kafé", cell)]
    assert notes.lines_not_utf8 == 0


def test_a_nul_byte_quarantines_its_record_not_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"judul,isi\nSatu,Isi satu.\nDua,Isi\x00dua.\nTiga,Isi tiga.\n")
    frame = _read(path)
    assert frame["title"].tolist() == ["Satu", "Dua", "Tiga"]
    assert frame["error"].tolist() == [None, NUL_ERROR, None]


@pytest.mark.parametrize(
    ("name", "write"),
    [
        ("buku.csv", lambda p: workbook(p, [["Judul", "Isi"], ["Pasar Baru", "Ramai."]])),
        ("buku", lambda p: workbook(p, [["Judul", "Isi"], ["Pasar Baru", "Ramai."]])),
        (
            "arsip.csv",
            lambda p: pd.DataFrame({"judul": ["Pasar Baru"], "isi": ["Ramai."]}).to_parquet(p),
        ),
        ("data.txt", lambda p: p.write_text('[{"judul": "Pasar Baru", "isi": "Ramai."}]')),
        ("data.csv", lambda p: p.write_text('{"judul": "Pasar Baru", "isi": "Ramai."}\n' * 2)),
        ("tabel.xlsx", lambda p: p.write_text("judul;isi\nPasar Baru;Ramai.\n")),
        ("tabel.json", lambda p: p.write_text("judul\tisi\nPasar Baru\tRamai.\n")),
    ],
)
def test_formats_are_told_by_content_not_by_name(tmp_path: Path, name: str, write) -> None:
    path = tmp_path / name
    write(path)
    records = _records(_read(path), "title", "text")
    assert records[0] == ("Pasar Baru", "Ramai.")


def test_an_html_page_saved_as_text_is_read_as_a_page(tmp_path: Path) -> None:
    paragraph = "Warga Kasemen membersihkan saluran air bersama petugas kelurahan. " * 4
    html = (
        "<!DOCTYPE html><html><head><title>Kerja Bakti di Kasemen</title></head>"
        f"<body><article><h1>Kerja Bakti di Kasemen</h1><p>{paragraph}</p></article></body></html>"
    )
    frame = _read(_write(tmp_path / "halaman.txt", html))
    assert frame["title"].tolist() == ["Kerja Bakti di Kasemen"]
    assert paragraph.strip() in frame["text"][0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "old Excel .xls"),
        (b"\x1f\x8b\x08\x00" + bytes(64), "gzip-compressed: unpack it first"),
        (b"%PDF-1.7\n" + bytes(64), "a PDF document"),
    ],
)
def test_unread_formats_say_what_to_do_whatever_their_name(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "berita.csv"
    path.write_bytes(content)
    with pytest.raises(ReaderError, match=message):
        read_path(path)


def test_a_truncated_workbook_says_it_is_truncated(tmp_path: Path) -> None:
    whole = workbook(tmp_path / "utuh.xlsx", [["Judul", "Isi"], ["Pasar Baru", "Ramai."]])
    cut = tmp_path / "potong.xlsx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(ReaderError, match="truncated or damaged zip archive") as caught:
        read_path(cut)
    assert "old .xls" not in str(caught.value)


def test_a_zip_that_is_not_a_workbook_says_so(tmp_path: Path) -> None:
    path = tmp_path / "arsip.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("berita.csv", "judul,isi\nA,B\n")
    with pytest.raises(ReaderError, match="a zip archive, not an .xlsx workbook"):
        read_path(path)


def test_a_workbook_that_unpacks_past_the_limit_is_refused(tmp_path: Path) -> None:
    body = "Isi berita yang sama diulang-ulang. " * 30
    path = workbook(tmp_path / "bom.xlsx", [["Judul", "Isi"]] + [["Sama", body]] * 2000)
    assert path.stat().st_size < 1 << 20
    with pytest.raises(ReaderError, match=r"unpacks to [\d.]+ MB, more than the limit of 1 MB"):
        read_path(path, limits=ReadLimits(max_unpacked_mb=1))
    assert len(_read(path, limits=ReadLimits(max_unpacked_mb=10))) == 1000  # of 2,000 copies


def test_rows_past_the_limit_are_one_error_record(tmp_path: Path) -> None:
    path = _write(tmp_path / "banyak.csv", "judul\n" + "".join(f"Berita {i}\n" for i in range(9)))
    frame = _read(path, chunk_rows=2, limits=ReadLimits(max_rows=5))
    assert frame["title"].tolist() == [f"Berita {i}" for i in range(5)] + [None]
    assert frame["row"].tolist() == [1, 2, 3, 4, 5, 6]
    assert frame["error"].tolist()[:5] == [None] * 5
    assert frame["error"].iloc[-1].startswith("more than 5 records in the file (the --max-rows")
    exactly = _read(path, limits=ReadLimits(max_rows=9))
    assert len(exactly) == 9 and exactly["error"].isna().all()


def test_identical_records_past_the_first_thousand_are_counted_not_handed_on(
    tmp_path: Path,
) -> None:
    rows = ["Sama,Isi yang sama.\n"] * 2500 + ["Beda,Isi lain.\n", "Sama,Isi yang sama.\n"]
    path = _write(tmp_path / "ulang.csv", "judul,isi\n" + "".join(rows))
    notes = ReadNotes()
    frame = _read(path, chunk_rows=700, notes=notes)
    assert len(frame) == 1001 and notes.repeated_rows == 1501
    assert frame["title"].value_counts().to_dict() == {"Sama": 1000, "Beda": 1}
    assert frame["row"].iloc[-1] == 2501  # rows keep their numbers in the file


def test_a_json_record_nested_too_deep_is_one_error_record(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    document = f'[{{"judul": "Satu", "isi": "A."}}, {deep}, {{"judul": "Dua", "isi": "B."}}]'
    frame = _read(_write(tmp_path / "dalam.json", document))
    assert frame["title"].tolist() == ["Satu", None, "Dua"]
    assert frame["error"].tolist() == [None, "JSON record nested too deep to read", None]
    alone = _write(tmp_path / "hanya.json", '{"a": ' * 50_000 + "1" + "}" * 50_000)
    with pytest.raises(ReaderError, match="hanya.json: JSON record nested too deep to read"):
        read_path(alone)
    lines = '{"judul": "Satu", "isi": "A."}\n' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + "\n"
    frame = _read(_write(tmp_path / "dalam.jsonl", lines))
    assert frame["error"].tolist() == [None, "JSON record nested too deep to read"]


def test_a_json_record_larger_than_the_limit_is_skipped(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(json_files, "MAX_RECORD_CHARS", 3 << 20)
    huge = {"judul": "Besar", "isi": "kata " * (1 << 20), "lampiran": [{"x": [1, 2]}] * 10}
    records = [{"judul": "Satu", "isi": "A."}, huge, {"judul": "Dua", "isi": "B."}]
    path = _write(tmp_path / "besar.json", json.dumps({"meta": {"n": 3}, "hasil": records}))
    frame = _read(path)
    assert frame["title"].tolist() == ["Satu", None, "Dua"]
    assert frame["error"][1] == "JSON record larger than 3 MB"


def test_records_under_any_key_are_streamed(tmp_path: Path) -> None:
    records = [{"judul": f"Berita {i}", "isi": "Isi."} for i in range(3)]
    path = _write(tmp_path / "lain.json", json.dumps({"status": "ok", "hasil": records}))
    assert _read(path)["title"].tolist() == ["Berita 0", "Berita 1", "Berita 2"]
