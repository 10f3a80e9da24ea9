"""Indonesian date parsing: every format seen in news sources, zones, relative dates, fallbacks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data.dates import (
    DAY_FIRST,
    MONTH_FIRST,
    DateOrder,
    OrderEvidence,
    absolute_ns,
    date_order,
    parse_date,
    published_dates,
    url_ns,
)

NOW = pd.Timestamp("2025-06-11T12:00:00Z")  # 19:00 WIB on Wednesday 11 June 2025


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("06 Jun 2025", "2025-06-05T17:00"),  # date only: midnight WIB
        ("10 Juni 2025 |04:01 WIB", "2025-06-09T21:01"),
        ("Selasa, 10 Juni 2025 - 07:00 WIB", "2025-06-10T00:00"),
        ("Diperbarui 06 Jun 2025, 14:15 WIB", "2025-06-06T07:15"),
        ("Kompas.com - 10/06/2025, 21:23 WIB", "2025-06-10T14:23"),
        ("Selasa, 3 Juni 2025-  13:35 WIB", "2025-06-03T06:35"),
        ("06 Jun 2025 21:02", "2025-06-06T14:02"),  # date and time columns joined, naive = WIB
        ("Sabtu, 24 Mei  2025 16:40 WIB", "2025-05-24T09:40"),
        ("Senin, 9 Jun 2025 - 18:28 WIB_x0000_", "2025-06-09T11:28"),  # Excel escape left in
        ("Jum'at, 06 Juni 2025 - 20:25 WIB", "2025-06-06T13:25"),
        ("Ahad, 08 Juni 2025", "2025-06-07T17:00"),
        ("2025-06-10T07:00:00+07:00", "2025-06-10T00:00"),
        ("2025-06-10T07:00:00Z", "2025-06-10T07:00"),
        ("2025-06-10T07:00:00.250+0000", "2025-06-10T07:00:00.250"),
        ("2025-06-10 07:00:00", "2025-06-10T00:00"),  # naive ISO = WIB
        ("2024-02-12", "2024-02-11T17:00"),
        ("10/06/2025", "2025-06-09T17:00"),  # day first
        ("10-06-2025 08.30", "2025-06-10T01:30"),
        ("10.06.2025", "2025-06-09T17:00"),  # dots between date parts are not a time
        ("2025/06/10", "2025-06-09T17:00"),
        ("06/13/2024", "2024-06-12T17:00"),  # only month-first is possible
        ("1749513600", "2025-06-10T00:00"),  # epoch seconds
        ("1749513600000", "2025-06-10T00:00"),  # epoch milliseconds
        ("20250610", "2025-06-09T17:00"),
        ("Rabu, 1 Januari 2025", "2024-12-31T17:00"),
        ("14 Februari 2024", "2024-02-13T17:00"),
        ("5 Pebruari 2024", "2024-02-04T17:00"),
        ("17 Maret 2025", "2025-03-16T17:00"),
        ("Kamis, 17 April 2025", "2025-04-16T17:00"),
        ("20 Mei 2025", "2025-05-19T17:00"),
        ("4 Juli 2024", "2024-07-03T17:00"),
        ("17 Agustus 2024", "2024-08-16T17:00"),
        ("17 Agu 2024", "2024-08-16T17:00"),
        ("17 Agt 2024", "2024-08-16T17:00"),
        ("17 Agus 2024", "2024-08-16T17:00"),
        ("9 Sept 2024", "2024-09-08T17:00"),
        ("9 Sep 2024", "2024-09-08T17:00"),
        ("Senin, 28 Oktober 2024", "2024-10-27T17:00"),
        ("28 Okt 2024", "2024-10-27T17:00"),
        ("10 Nov 2024", "2024-11-09T17:00"),
        ("25 Desember 2024", "2024-12-24T17:00"),
        ("25 Des 2024", "2024-12-24T17:00"),
        ("Monday, 9 June 2025 10:15", "2025-06-09T03:15"),
        ("June 10, 2025 7:00 PM", "2025-06-10T12:00"),
        ("Dec 25, 2024", "2024-12-24T17:00"),
        ("10 Juni 2025 pukul 07.00", "2025-06-10T00:00"),
        ("07.00 WIB, 10 Juni 2025", "2025-06-10T00:00"),
    ],
)
def test_formats(text: str, expected: str) -> None:
    assert parse_date(text, NOW) == utc(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 Juni 2025 07:00 WIB", "2025-06-10T00:00"),
        ("10 Juni 2025 07:00 WITA", "2025-06-09T23:00"),
        ("10 Juni 2025 07:00 WIT", "2025-06-09T22:00"),
        ("10 Juni 2025 07:00 UTC", "2025-06-10T07:00"),
        ("10 Juni 2025 07:00 GMT+8", "2025-06-09T23:00"),
        ("10 Juni 2025 07:00 +09:00", "2025-06-09T22:00"),
        ("2025-06-10T07:00:00-03:00", "2025-06-10T10:00"),
    ],
)
def test_zones(text: str, expected: str) -> None:
    assert parse_date(text, NOW) == utc(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 jam yang lalu", "2025-06-11T10:00"),
        ("30 menit lalu", "2025-06-11T11:30"),
        ("3 hari lalu", "2025-06-08T12:00"),
        ("sehari yang lalu", "2025-06-10T12:00"),
        ("dua minggu lalu", "2025-05-28T12:00"),
        ("5 hours ago", "2025-06-11T07:00"),
        ("kemarin", "2025-06-10T12:00"),
        ("Kemarin, 14:00 WIB", "2025-06-10T07:00"),
        ("hari ini 08.15", "2025-06-11T01:15"),
        ("baru saja", "2025-06-11T12:00"),
    ],
)
def test_relative(text: str, expected: str) -> None:
    assert parse_date(text, NOW) == utc(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Tidak Ditemukan",
        "Tidak ditemukan",
        "Gulir terus untuk lanjut membaca",
        "",
        "   ",
        "junk 12:30",
        "2025",
        "32 Juni 2025",
        "29 Februari 2025",
        "10 Juni 2027",  # in the future
        "13 Juni 2025",  # more than a day after now
        "31 Desember 1989",  # before 1990
        None,
    ],
)
def test_unusable(text: str | None) -> None:
    assert parse_date(text, NOW) is None


def test_a_day_of_slack_for_clocks_ahead() -> None:
    assert parse_date("12 Juni 2025 10:00 WIB", NOW) == utc("2025-06-12T03:00")


def test_naive_now_is_utc() -> None:
    assert parse_date("2 jam yang lalu", pd.Timestamp("2025-06-11T12:00")) == utc(
        "2025-06-11T10:00"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example.co.id/read/2025/06/10/40/3145942/judul", "2025-06-09T17:00"),
        ("https://example.id/2024/11/07/judul-berita/", "2024-11-06T17:00"),
        ("https://example.com/berita/20250610/judul", "2025-06-09T17:00"),
        ("https://example.com/2025-06-10/judul", "2025-06-09T17:00"),
    ],
)
def test_url_dates(url: str, expected: str) -> None:
    assert url_ns(url) == utc(expected).value


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/berita/d-7952581/judul",
        "https://example.com/2025/06/judul/",  # month only
        "https://example.com/read/2025/13/40/judul",  # not a date
        "https://example.com/read/21233191/judul",
    ],
)
def test_urls_without_a_date(url: str) -> None:
    assert url_ns(url) is None


def test_published_dates_order_of_sources() -> None:
    index = pd.Index([10, 11, 12, 13, 14, 15, 16])
    dates = pd.Series(
        ["06 Jun 2025", "3 jam lalu", "Tidak Ditemukan", None, "junk", "10 Juni 2025", np.nan],
        index=index,
    )
    urls = pd.Series(
        [
            "https://x.id/read/2025/01/01/a",
            "https://x.id/read/2025/01/01/b",
            "https://x.id/read/2025/06/09/c",
            "https://x.id/d",
            None,
            "https://x.id/read/2099/01/01/f",
            None,
        ],
        index=index,
    )
    html = pd.Series(
        ["2024-01-01", None, "2025-06-01", "2025-06-02T10:00:00+07:00", None, None, "x"],
        index=index,
    )
    result = published_dates(dates, urls, html, NOW)
    assert list(result.columns) == ["published_at", "date_source"]
    assert result.index.equals(index)
    assert str(result["published_at"].dtype) == "datetime64[ns, UTC]"
    assert result["date_source"].tolist() == [
        "field", "relative", "url", "html", "none", "field", "none",
    ]  # fmt: skip
    assert result["published_at"].tolist()[:4] == [
        utc("2025-06-05T17:00"),
        utc("2025-06-11T09:00"),
        utc("2025-06-08T17:00"),
        utc("2025-06-02T03:00"),
    ]
    assert result["published_at"].isna().tolist() == [False] * 4 + [True, False, True]


def test_published_dates_future_url_is_unusable() -> None:
    result = published_dates(
        pd.Series([None]), pd.Series(["https://x.id/read/2026/01/01/a"]), pd.Series([None]), NOW
    )
    assert result["date_source"].tolist() == ["none"]


def test_published_dates_accepts_datetime_values() -> None:
    dates = pd.Series(
        [pd.Timestamp("2025-06-10 07:00"), pd.Timestamp("2025-06-10 07:00", tz="UTC")]
    )
    nothing = pd.Series([None, None])
    result = published_dates(dates, nothing, nothing, NOW)
    assert result["published_at"].tolist() == [utc("2025-06-10T00:00"), utc("2025-06-10T07:00")]
    assert result["date_source"].tolist() == ["field", "field"]


def test_published_dates_empty() -> None:
    empty = pd.Series([], dtype=object)
    result = published_dates(empty, empty, empty, NOW)
    assert len(result) == 0
    assert list(result.columns) == ["published_at", "date_source"]


def test_each_distinct_string_is_parsed_once() -> None:
    absolute_ns.cache_clear()
    values = pd.Series(["Selasa, 10 Juni 2025 - 07:00 WIB"] * 1000 + ["06 Jun 2025"] * 1000)
    nothing = pd.Series([None] * len(values))
    published_dates(values, nothing, nothing, NOW)
    assert absolute_ns.cache_info().misses == 2


# --- day/month order of a date column ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day_first", "month_first"),
    [
        ("8/1/2025 9:39", "2025-01-08T02:39", "2025-08-01T02:39"),
        ("08-01-2025", "2025-01-07T17:00", "2025-07-31T17:00"),
        ("Warta - 08.01.2025, 21:23 WIB", "2025-01-08T14:23", "2025-08-01T14:23"),
        ("9/30/2025", "2025-09-29T17:00", "2025-09-29T17:00"),  # only month first is possible
        ("30/9/2025", "2025-09-29T17:00", "2025-09-29T17:00"),  # only day first is possible
        ("2025/08/01", "2025-07-31T17:00", "2025-07-31T17:00"),  # year first: no question
        ("8 Jan 2025", "2025-01-07T17:00", "2025-01-07T17:00"),
    ],
)
def test_a_numeric_date_reads_in_the_order_asked_where_both_are_possible(
    text: str, day_first: str, month_first: str
) -> None:
    assert absolute_ns(text) == utc(day_first).value
    assert absolute_ns(text, month_first=True) == utc(month_first).value


def _evidence(dates: list[str | None], urls: list[str | None] | None = None) -> OrderEvidence:
    evidence = OrderEvidence()
    evidence.add(dates, urls or [None] * len(dates))
    return evidence


def test_order_evidence_counts_proofs_ambiguous_dates_and_url_agreement() -> None:
    evidence = _evidence(
        ["8/1/2025 9:39", "9/30/2025", "13/1/2025", "5/5/2025", "2025-08-01", "kemarin", None],
        ["https://x.id/2025/08/01/a", None, None, None, None, None, None],
    )
    assert evidence.to_dict() == {
        "day_first": 1,
        "month_first": 1,
        "ambiguous": 1,
        "url_day_first": 0,
        "url_month_first": 1,
    }


@pytest.mark.parametrize(
    ("dates", "urls", "habit", "expected"),
    [
        (["8/1/2025 9:39", "9/30/2025"], None, None, DateOrder(MONTH_FIRST, "dates")),
        (["8/1/2025", "30/9/2025"], None, MONTH_FIRST, DateOrder(DAY_FIRST, "dates")),
        (["8/1/2025", "9/30/2025", "13/1/2025", "14/1/2025"], None, None, DateOrder(DAY_FIRST, "dates")),
        (["8/1/2025", "9/1/2025"], ["https://x.id/2025/08/01/a", None], None, DateOrder(MONTH_FIRST, "url")),
        (["8/1/2025", "9/1/2025"], ["https://x.id/2025/01/08/a", None], MONTH_FIRST, DateOrder(DAY_FIRST, "url")),
        (["8/1/2025", "9/1/2025"], None, MONTH_FIRST, DateOrder(MONTH_FIRST, "outlet")),
        (["8/1/2025", "9/1/2025"], None, None, DateOrder(DAY_FIRST, "default")),
        (["2025-08-01", "1 Agustus 2025", "5/5/2025"], None, MONTH_FIRST, DateOrder(None, "none")),
    ],
)  # fmt: skip
def test_date_order_is_decided_by_dates_then_urls_then_the_outlet_then_day_first(
    dates: list[str], urls: list[str | None] | None, habit: str | None, expected: DateOrder
) -> None:
    assert date_order(_evidence(dates, urls), habit) == expected


def test_published_dates_reads_month_first_rows_month_first() -> None:
    dates = pd.Series(["8/1/2024 9:39", "8/1/2024 9:39", "13/1/2025"], index=[5, 6, 7])
    nothing = pd.Series([None] * 3, index=dates.index)
    month_first = pd.Series([True, False, True], index=dates.index)
    result = published_dates(dates, nothing, nothing, NOW, month_first)
    assert result["published_at"].tolist() == [
        utc("2024-08-01T02:39"),
        utc("2024-01-08T02:39"),
        utc("2025-01-12T17:00"),
    ]
    assert result["date_source"].tolist() == ["field"] * 3
