"""The synthetic sample corpus: deterministic, complete, messy, and carrying its planted structure."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from data.regions import provinces, regencies
from data.sample import (
    DISTRICTS,
    FILES,
    OUTLETS,
    PLANTED,
    SYNTHETIC_NOTICE,
    THEMES,
    TRUTH_COLUMNS,
    VILLAGES,
    is_sample,
    labelled_frames,
    sample_frames,
    sample_plan,
    write_sample,
)
from data.schema import RAW_COLUMNS

N = 2_000
SEED = 7

READ_OPTIONS = {  # how plain pandas reads each file
    "warta_jawa_banten.csv": {"sep": ",", "encoding": "utf-8"},
    "berita_sumatera.csv": {"sep": ";", "encoding": "utf-8-sig"},
    "kliping_indonesia_timur.tsv": {"sep": "\t", "encoding": "cp1252"},
    "tautan_dibagikan.csv": {"sep": ",", "encoding": "utf-8"},
}


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    """The labelled rows of a small sample."""
    return pd.concat(labelled_frames(N, seed=SEED, chunk_rows=700), ignore_index=True)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> list:
    """The files of the same small sample."""
    return write_sample(tmp_path_factory.mktemp("sample"), N, seed=SEED)


def _wib_day(rows: pd.DataFrame) -> pd.Series:
    return rows["truth_published_at"].dt.tz_convert("Asia/Jakarta").dt.date


def _originals(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["truth_kind"] == "original"]


def _read(path) -> pd.DataFrame:
    if path.suffix == ".jsonl":
        return pd.read_json(path, lines=True, dtype=False)
    return pd.read_csv(path, dtype=str, keep_default_na=False, **READ_OPTIONS[path.name])


# --- determinism and shape -------------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files_and_another_seed_does_not(tmp_path, written):
    again = write_sample(tmp_path / "again", N, seed=SEED)
    other = write_sample(tmp_path / "other", N, seed=SEED + 1)
    assert [p.name for p in again] == [p.name for p in written]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(again, written, strict=True))
    assert all(a.read_bytes() != b.read_bytes() for a, b in zip(other, written, strict=True))


def test_frames_have_raw_columns_exact_row_count_and_do_not_depend_on_chunk_rows(rows):
    chunks = list(sample_frames(N, seed=SEED, chunk_rows=333))
    assert [len(c) for c in chunks] == [333] * 6 + [2]
    assert all(tuple(c.columns) == RAW_COLUMNS for c in chunks)
    frame = pd.concat(chunks, ignore_index=True)
    assert frame.equals(rows[list(RAW_COLUMNS)])
    assert list(rows.columns) == [*RAW_COLUMNS, *TRUTH_COLUMNS]
    assert len(pd.concat(sample_frames(1_001, seed=1))) == 1_001


def test_each_file_holds_exactly_its_rows_in_order_and_pandas_reads_it(rows, written):
    assert [p.name for p in written] == [spec.name for spec in FILES.values()]
    for path, spec in zip(written, FILES.values(), strict=True):
        table = _read(path)
        expected = rows[rows["file"] == spec.name]
        assert list(table.columns) == list(spec.header.values())
        assert expected["row"].tolist() == list(range(1, len(expected) + 1))
        for column, header in spec.header.items():
            got = table[header].astype(str).str.strip().tolist()
            assert got == expected[column].astype(str).str.strip().tolist(), (path.name, column)
    assert sum(len(_read(p)) for p in written) == N


def test_the_eastern_file_is_cp1252_and_the_sumatra_file_has_a_bom(written):
    by_name = {p.name: p for p in written}
    eastern = by_name["kliping_indonesia_timur.tsv"].read_bytes()
    assert "\u201c".encode("cp1252") in eastern
    with pytest.raises(UnicodeDecodeError):
        eastern.decode("utf-8")
    assert by_name["berita_sumatera.csv"].read_bytes().startswith(b"\xef\xbb\xbfjudul;isi;")
    first = json.loads(by_name["feed_nasional.jsonl"].read_text(encoding="utf-8").splitlines()[0])
    assert set(first) == {"title", "content", "date", "link", "source", "category"}


# --- coverage --------------------------------------------------------------------------------------


def test_covers_forty_outlets_all_38_provinces_and_24_months(rows):
    assert rows["source"].nunique() >= 40
    assert len(OUTLETS) >= 40
    assert set(rows["truth_province_code"]) == set(provinces()["province_code"])
    months = {(d.year, d.month) for d in _wib_day(rows)}
    assert len(months) == 24
    assert min(months) == (2024, 11) and max(months) == (2026, 10)
    assert set(rows["truth_theme"]) == set(THEMES) == set(PLANTED.themes)


def test_every_domain_is_fake_and_the_notice_speaks_both_languages(rows):
    hosts = rows["url"].str.extract(r"^https://([^/?]+)")[0]
    assert hosts.str.endswith(".example.id").all()
    assert all(outlet.domain.endswith(".example.id") for outlet in OUTLETS)
    assert "sintetis" in SYNTHETIC_NOTICE and "Synthetic" in SYNTHETIC_NOTICE


def test_stories_name_their_place_and_are_120_to_400_words(rows):
    originals = _originals(rows)
    names = regencies().set_index("regency_code")["name"].str.removeprefix("Administrasi ")
    named = [
        name.lower() in (title + text).lower()
        for name, title, text in zip(
            originals["truth_regency_code"].map(names), originals["title"], originals["text"],
            strict=True,
        )
    ]  # fmt: skip
    assert all(named)
    words = originals["text"].str.split().str.len()
    assert words.between(120, 440).all()
    assert words.median() > 200


def test_invented_villages_and_districts_are_not_regency_names():
    names = set(regencies()["name"].str.lower())
    assert not {v.lower() for v in (*VILLAGES, *DISTRICTS)} & names


# --- the planted structure -------------------------------------------------------------------------


def test_the_burst_has_many_more_rows_of_its_theme_in_its_window_and_provinces(rows):
    burst = PLANTED.burst
    day = _wib_day(rows)
    in_window = (day >= burst.start) & (day <= burst.end)
    theme = _originals(rows)["truth_theme"].reindex(rows.index) == burst.theme
    here = rows["truth_province_code"].isin(burst.provinces)
    window_days = (burst.end - burst.start).days + 1
    other_days = (PLANTED.end - PLANTED.start).days + 1 - window_days
    inside = (theme & here & in_window).sum() / window_days
    outside = (theme & here & ~in_window).sum() / other_days
    assert (theme & here & in_window).sum() >= burst.stories(N) == 15
    assert inside > 20 * outside
    mentions = rows["text"].str.contains(burst.event.lower(), regex=False)
    assert mentions.sum() >= 2
    assert (in_window & here)[mentions].all()


def test_the_new_theme_has_no_row_before_its_first_date(rows):
    day = _wib_day(rows)
    theme = rows["truth_theme"] == PLANTED.new_theme
    assert PLANTED.new_theme_first == date(2026, 5, 1)
    assert not (theme & (day < PLANTED.new_theme_first)).any()
    assert (theme & (day >= PLANTED.new_theme_first)).sum() >= 20
    words = rows["text"].str.contains("motor listrik|SPKLU", case=False)
    assert not (words & (day < PLANTED.new_theme_first)).any()


def test_floods_peak_in_the_rainy_months(rows):
    originals = _originals(rows)
    month = _wib_day(originals).map(lambda d: d.month)
    flood = originals["truth_theme"] == PLANTED.seasonal_theme
    rainy = flood[month.isin(PLANTED.seasonal_months)].mean()
    dry = flood[month.isin((6, 7, 8, 9))].mean()
    assert rainy > 5 * dry
    assert originals[flood]["text"].str.contains("banjir", case=False).mean() > 0.9


def test_specialities_are_over_represented_in_their_province(rows):
    originals = _originals(rows)
    ratios = []
    for code, theme in PLANTED.specialities.items():
        here = originals["truth_province_code"] == code
        share_here = (originals.loc[here, "truth_theme"] == theme).mean()
        share_elsewhere = (originals.loc[~here, "truth_theme"] == theme).mean()
        assert here.sum() < 50 or share_here > 2 * share_elsewhere, (code, theme)
        ratios.append(share_here / share_elsewhere)
    assert sorted(ratios)[len(ratios) // 2] > 4


def test_the_syndicated_burst_is_one_story_copied_across_many_outlets(rows):
    plan = PLANTED.syndicated_burst
    copies = rows[rows["truth_kind"] == "syndicated_burst"]
    assert len(copies) == plan.copies(N) == 40
    assert (copies["truth_story"] == -1).all()
    assert copies["source"].nunique() >= 35
    assert _wib_day(copies).between(plan.start, plan.end).all()
    assert (copies["title"] == plan.title).mean() > 0.4
    assert copies["title"].str.startswith("Kawasan Industri Hijau Rp 12,4 Triliun").all()
    lead = copies["text"].str.contains("kawasan industri hijau senilai Rp 12,4 triliun")
    assert lead.mean() > 0.9 and copies["text"].str.contains("Grobogan").all()
    day = _wib_day(rows)
    same_theme = _originals(rows)["truth_theme"].reindex(rows.index) == plan.theme
    distinct = (same_theme & day.between(plan.start, plan.end)).sum()
    assert len(copies) > 10 * max(distinct, 1)


def test_the_fading_and_holiday_themes_follow_their_calendars(rows):
    originals = _originals(rows)
    day = _wib_day(originals)
    first_quarter = day < date(2025, 5, 1)
    last_quarter = day >= date(2026, 5, 1)
    fading = originals["truth_theme"] == PLANTED.fading_theme
    assert fading[first_quarter].mean() > 3 * fading[last_quarter].mean()
    assert PLANTED.holidays == (date(2025, 3, 31), date(2026, 3, 20))
    near = day.map(lambda d: any(-21 <= (d - h).days <= 7 for h in PLANTED.holidays))
    mudik = originals["truth_theme"] == PLANTED.holiday_theme
    assert mudik[near].mean() > 10 * mudik[~near].mean()


def test_the_plan_follows_the_window():
    plan = sample_plan(date(2025, 12, 31), 12)
    assert plan.start == date(2025, 1, 1)
    assert plan.start < plan.burst.start < plan.burst.end < plan.new_theme_first < plan.end
    assert plan.holidays == (date(2025, 3, 31),)
    assert sample_plan() == PLANTED


# --- the mess --------------------------------------------------------------------------------------


def test_syndicated_copies_are_other_outlets_lightly_edited(rows):
    copies = rows[rows["truth_kind"] == "syndicated"]
    assert len(copies) == round(0.07 * N)
    originals = _originals(rows).set_index("truth_story")
    source = originals.loc[copies["truth_story"]]
    assert (source["source"].to_numpy() != copies["source"].to_numpy()).all()
    assert (source["url"].to_numpy() != copies["url"].to_numpy()).all()
    overlap = [
        len(set(a.split()) & set(b.split())) / len(set(a.split()) | set(b.split()))
        for a, b in zip(source["text"], copies["text"], strict=True)
    ]
    assert min(overlap) > 0.6
    assert (source["text"].to_numpy() != copies["text"].to_numpy()).all()


def test_repeats_share_a_url_with_tracking_params_or_exactly(rows):
    tracked = rows[rows["truth_kind"] == "tracked_repeat"]
    assert len(tracked) == round(0.02 * N)
    assert tracked["url"].str.contains(r"\?(?:utm_|fbclid|amp)").all()
    bare = set(rows.loc[rows["truth_kind"] == "original", "url"])
    assert tracked["url"].str.split("?").str[0].isin(bare).all()
    updated = rows[rows["truth_kind"] == "updated_repeat"]
    assert len(updated) == 10 and updated["url"].isin(bare).all()
    assert updated["date"].str.startswith("Diperbarui ").all()


def test_undated_rows_no_text_rows_and_english_rows(rows):
    undated = rows["date"].isin(["", "-", "Tidak Ditemukan"])
    assert 0.015 < undated.mean() < 0.05
    assert {"", "Tidak Ditemukan"} <= set(rows.loc[undated, "date"])
    url_dated = rows.loc[undated, "url"].str.contains(r"/20\d\d/\d\d/\d\d/")
    assert url_dated.any() and not url_dated.all()
    no_text = rows[rows["truth_kind"] == "no_text"]
    assert len(no_text) == 8
    assert (no_text["title"] == "").any() and (no_text["title"] != "").any()
    assert (
        no_text["text"]
        .str.replace("ADVERTISEMENT|SCROLL TO CONTINUE WITH CONTENT", "", regex=True)
        .str.strip()
        .eq("")
        .all()
    )
    english = rows["truth_language"] == "en"
    assert 0.005 < english.mean() < 0.02
    assert (
        rows.loc[english & (rows["truth_kind"] != "no_text"), "text"]
        .str.contains(r"\b(?:the|was|were|said)\b")
        .all()
    )


def test_text_carries_boilerplate_and_a_dozen_date_formats(rows):
    text = rows["text"]
    for marker in (
        "ADVERTISEMENT\n\nSCROLL TO CONTINUE WITH CONTENT", "\nAdvertisement\n", "Baca juga: ",
        "Baca juga:\n", "Editor: ", "Pewarta: ", "(*)", "Artikel ini telah tayang di ",
        "Bagikan: ", "\u201c",
    ):  # fmt: skip
        assert text.str.contains(marker, regex=False).any(), marker
    assert text.str.contains(r"\n\((?:\*/)?[a-z]{2}(?:/[a-z]{3})?\)$").any()
    shapes = rows["date"].str.replace(r"\d", "9", regex=True)
    shapes = shapes.str.replace(r"[A-Z][a-z]+", "W", regex=True)
    assert shapes[~rows["date"].isin(["", "-", "Tidak Ditemukan"])].nunique() >= 12
    assert rows["date"].str.fullmatch(r"\d{10}").any()
    assert rows["date"].str.contains(r"WITA|WIT$").any()


def test_bad_arguments_are_refused_with_a_message():
    with pytest.raises(ValueError, match="n_articles must be at least"):
        next(sample_frames(10))
    with pytest.raises(ValueError, match="months must be at least"):
        next(sample_frames(N, months=6))
    with pytest.raises(ValueError, match="chunk_rows must be at least"):
        next(sample_frames(N, chunk_rows=0))


def test_is_sample_means_every_url_is_on_the_sample_domain():
    assert is_sample(pd.Series(["https://a.example.id/x", "http://b.c.example.id/y", None]))
    assert not is_sample(pd.Series(["https://a.example.id/x", "https://news.example.com/y"]))
    assert not is_sample(pd.Series(["https://notexample.id/x"]))
    assert not is_sample(pd.Series([], dtype=object))


def test_a_store_is_the_sample_when_every_part_holds_only_its_urls(tmp_path: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from data.sample import is_sample_store

    def part(name: str, urls: list) -> Path:
        pq.write_table(pa.table({"url": pa.array(urls, pa.string())}), tmp_path / name)
        return tmp_path / name

    sample = part("a.parquet", ["https://a.example.id/x", None, "http://b.example.id/y"])
    other = part("b.parquet", ["https://a.example.id/z", "https://news.example.com/y"])
    empty = part("c.parquet", [None])
    assert is_sample_store([sample, empty], batch_rows=1)
    assert not is_sample_store([sample, other], batch_rows=1)
    assert not is_sample_store([empty])
    assert not is_sample_store([])
