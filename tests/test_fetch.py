"""Live ingestion against a scripted local server: feeds, pages, politeness, state, scheduling."""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import socket
import time
from pathlib import Path

import pandas as pd
import pytest

from data.fetch import (
    AddressGuard,
    Feed,
    FeedsFileError,
    FetchError,
    FetchReport,
    HttpClient,
    HttpConfig,
    Item,
    Refused,
    allowed_hosts,
    decoded_text,
    feed_health,
    fetch,
    fetch_articles,
    interval_seconds,
    load_allow_hosts,
    load_feeds,
    page_fields,
    read_url_list,
    run_every,
)
from data.fetch.guard import BlockedAddress, not_public
from data.fetch.run import _interleaved
from data.store import Store
from tests.feedserver import STORIES, FeedServer, Reply, article_html, atom, gzipped, rss, story

LOCAL = ("127.0.0.1",)  # the test server's address, allowed as an intranet host would be
FAST = HttpConfig(
    timeout=2.0,
    total_timeout=10.0,
    retries=1,
    backoff=0.0,
    min_interval=0.0,
    max_bytes=200_000,
    allow_hosts=LOCAL,
)
HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/rss+xml"}
EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "feeds.example.toml"


@pytest.fixture
def server():
    with FeedServer().running() as srv:
        srv.add("/robots.txt", Reply(b"User-agent: *\nDisallow: /serang/privat/\n"))
        yield srv


@pytest.fixture
def store(tmp_path: Path, monkeypatch) -> Store:
    outlets = tmp_path / "outlets.toml"
    outlets.write_text("# no outlet homes: places come from the articles themselves\n")
    monkeypatch.setenv("SOROTAN_OUTLETS", str(outlets))
    return Store(tmp_path / "store")


def page(slug: str, **kwargs) -> Reply:
    """A fixture story as a UTF-8 page with a charset header."""
    title, paragraphs = story(slug)
    return Reply(article_html(title, paragraphs, **kwargs).encode(), headers=HTML)


def item(server: FeedServer, path: str, title: str, **extra: str) -> dict[str, str]:
    return {"link": server.url(path), "title": title, **extra}


def build_site(server: FeedServer) -> list[Feed]:
    """Two good feeds (RSS with ETag, Atom with Last-Modified), a broken one, and every page trap."""
    title, paragraphs = story("kafe-literasi")
    legacy = [
        paragraphs[0] + " Pemiliknya menyebutnya “rumah kedua” para penulis café.",
        *paragraphs[1:],
    ]
    server.add("/serang/berita/jembatan-ciujung", page("jembatan-ciujung"))
    server.add("/serang/berita/pasar-rau?utm_source=rss&utm_medium=feed", page("pasar-rau"))
    server.add("/serang/berita/pasar-rau", page("pasar-rau"))
    server.add(
        "/serang/berita/kafe-literasi",
        Reply(
            article_html(title, legacy, charset_meta=None).encode("cp1252"),
            headers={"Content-Type": "text/html"},
        ),
    )
    server.add("/serang/berita/besar", Reply(b"<p>" + b"berita " * 60_000, headers=HTML))
    server.add("/serang/privat/rahasia", page("sekolah-atap"))
    server.add("/serang/berita/tambak-udang", [Reply(b"galat", status=500), page("tambak-udang")])
    server.add("/serang/berita/lambat", Reply(b"terlambat", delay=5.0))
    server.add(
        "/serang/berita/putar-a", Reply(status=302, headers={"Location": "/serang/berita/putar-b"})
    )
    server.add("/serang/berita/putar-b", Reply(status=302, headers={"Location": "putar-a"}))
    server.add(
        "/serang/berita/alih",
        Reply(status=301, headers={"Location": "/serang/berita/lomba-perahu"}),
    )
    server.add("/serang/berita/lomba-perahu", page("lomba-perahu"))
    date = "Mon, 03 Nov 2025 08:00:00 +0700"
    server.add(
        "/serang/rss.xml",
        Reply(
            rss(
                "Kabar Serang",
                [
                    item(
                        server,
                        "/serang/berita/jembatan-ciujung",
                        "Perbaikan Jembatan Ciujung Dimulai Pekan Depan",
                        pubDate=date,
                        description="<p>Jembatan gantung akan diperbaiki.</p>",
                        category="Daerah",
                    ),
                    item(
                        server,
                        "/serang/berita/pasar-rau?utm_source=rss&utm_medium=feed",
                        "Harga Cabai Rawit di Pasar Rau Turun Menjelang Panen",
                        pubDate=date,
                    ),
                    item(
                        server,
                        "/serang/berita/pasar-rau",
                        "Harga Cabai Rawit di Pasar Rau Turun Menjelang Panen",
                        pubDate=date,
                    ),
                    item(server, "/serang/berita/kafe-literasi", title, pubDate=date),
                    item(server, "/serang/berita/hilang", "Berita yang Dihapus", pubDate=date),
                    item(
                        server,
                        "/serang/berita/besar",
                        "Laporan Panjang Anggaran Daerah",
                        pubDate=date,
                        description="Ringkasan: <b>anggaran</b> daerah naik tipis tahun depan.",
                    ),
                    item(server, "/serang/privat/rahasia", "Halaman Tertutup", pubDate=date),
                    item(
                        server,
                        "/serang/berita/tambak-udang",
                        "Petambak Udang Keluhkan Saluran Air Dangkal",
                        pubDate=date,
                    ),
                    item(server, "/serang/berita/lambat", "Server Lambat", pubDate=date),
                    item(server, "/serang/berita/putar-a", "Pengalihan Berputar", pubDate=date),
                    item(
                        server,
                        "/serang/berita/alih",
                        "Lomba Perahu Naga Meriahkan Hari Jadi Kota",
                        pubDate=date,
                    ),
                ],
            ),
            headers=XML,
            etag='"v1"',
        ),
    )
    festival_title, festival = story("festival-kopi")
    server.add(
        "/pandeglang/berita/festival-kopi",
        Reply(
            gzipped(article_html(festival_title, festival).encode()),
            headers={**HTML, "Content-Encoding": "gzip"},
        ),
    )
    server.add("/pandeglang/berita/sekolah-atap", page("sekolah-atap"))
    modified = "Mon, 03 Nov 2025 10:00:00 GMT"
    server.add(
        "/pandeglang/atom.xml",
        Reply(
            atom(
                "Warta Pandeglang",
                [
                    {
                        "link": server.url("/pandeglang/berita/festival-kopi"),
                        "title": festival_title,
                        "updated": "2025-11-02T09:00:00Z",
                    },
                    {
                        "link": server.url("/pandeglang/berita/sekolah-atap"),
                        "title": story("sekolah-atap")[0],
                        "updated": "2025-11-03T09:00:00Z",
                    },
                ],
            ),
            headers={"Content-Type": "application/atom+xml"},
            last_modified=modified,
        ),
    )
    server.add(
        "/rusak/rss.xml",
        Reply(
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>Rusak</title><<<<',
            headers=XML,
        ),
    )
    return [
        Feed("Kabar Serang", (server.url("/serang/rss.xml"),), region="36.04"),
        Feed("Warta Pandeglang", (server.url("/pandeglang/atom.xml"),), region="36.01"),
        Feed("Rusak", (server.url("/rusak/rss.xml"),)),
    ]


def test_a_run_fetches_feeds_and_pages_politely_and_records_what_failed(server, store):
    feeds = build_site(server)
    report = fetch(store, feeds, client=HttpClient(FAST), max_attempts=2)

    assert (report.feeds_ok, report.feeds_unchanged, report.feeds_failed) == (2, 0, 1)
    assert report.errors[server.url("/rusak/rss.xml")].startswith("not a readable feed")
    assert (report.items_new, report.items_seen, report.items_retried) == (12, 1, 0)
    assert (report.items_failed, report.items_from_summary) == (5, 1)
    assert report.requests == len(server.log) == 19
    assert report.ingest.read == 8 and report.ingest.added == 8

    hits = {
        path: server.hits(path)
        for path in (
            "/robots.txt",
            "/serang/berita/tambak-udang",
            "/serang/berita/hilang",
            "/serang/privat/rahasia",
            "/serang/berita/lambat",
            "/serang/berita/pasar-rau",
            "/serang/berita/alih",
        )
    }
    assert hits == {
        "/robots.txt": 1,
        "/serang/berita/tambak-udang": 2,
        "/serang/berita/hilang": 1,
        "/serang/privat/rahasia": 0,
        "/serang/berita/lambat": 2,
        "/serang/berita/pasar-rau": 0,
        "/serang/berita/alih": 1,
    }
    assert all(h["User-Agent"].startswith("Sorotan/0.1 (+https://") for _, h in server.log)

    articles = store.articles().set_index("title")
    assert sorted(articles.index) == sorted(
        [
            "Perbaikan Jembatan Ciujung Dimulai Pekan Depan",
            "Harga Cabai Rawit di Pasar Rau Turun Menjelang Panen",
            "Kafe Literasi Ajak Remaja Menulis Cerita Kampung",
            "Laporan Panjang Anggaran Daerah",
            "Petambak Udang Keluhkan Saluran Air Dangkal",
            "Lomba Perahu Naga Meriahkan Hari Jadi Kota",
            "Festival Kopi Rakyat Hadirkan Tiga Puluh Kedai",
            "Atap Ruang Kelas Ambruk, Murid Belajar di Musala",
        ]
    )
    assert set(articles["source"]) == {"Kabar Serang", "Warta Pandeglang"}
    assert articles.loc["Lomba Perahu Naga Meriahkan Hari Jadi Kota", "url"] == server.url(
        "/serang/berita/lomba-perahu"
    )
    assert (
        "“rumah kedua” para penulis café"
        in articles.loc["Kafe Literasi Ajak Remaja Menulis Cerita Kampung", "text"]
    )
    assert articles.loc["Laporan Panjang Anggaran Daerah", "text"] == (
        "Ringkasan: anggaran daerah naik tipis tahun depan."
    )
    assert (
        "tukang akan mengganti tiga puluh papan"
        in articles.loc["Perbaikan Jembatan Ciujung Dimulai Pekan Depan", "text"]
    )
    assert "kopi robusta" in articles.loc["Festival Kopi Rakyat Hadirkan Tiga Puluh Kedai", "text"]
    assert articles.loc["Perbaikan Jembatan Ciujung Dimulai Pekan Depan", "published_at"] == (
        pd.Timestamp("2025-11-03 01:00", tz="UTC")
    )

    failures = store.read_meta("fetch_failures")
    reasons = {
        entry["link"].removeprefix(server.base): entry["reason"] for entry in failures.values()
    }
    assert reasons == {
        "/serang/berita/hilang": "HTTP 404",
        "/serang/privat/rahasia": "disallowed by robots.txt",
        "/serang/berita/lambat": "timed out after 2 s",
        "/serang/berita/putar-a": f"redirect loop at {server.url('/serang/berita/putar-a')}",
    }
    assert {entry["attempts"] for entry in failures.values()} == {1}

    # second run: feeds unchanged (one conditional request each), only the failures are retried
    server.log.clear()
    again = fetch(store, feeds, client=HttpClient(FAST), max_attempts=2)
    assert (again.feeds_ok, again.feeds_unchanged, again.not_modified) == (2, 2, 2)
    assert (again.items_new, again.items_retried, again.items_failed) == (0, 4, 4)
    assert again.ingest.read == 0 and len(store.articles()) == 8
    conditional = dict(server.log)
    assert conditional["/serang/rss.xml"]["If-None-Match"] == '"v1"'
    assert (
        conditional["/pandeglang/atom.xml"]["If-Modified-Since"] == "Mon, 03 Nov 2025 10:00:00 GMT"
    )
    assert "/robots.txt" not in conditional  # cached in the store for a day
    assert again.requests == len(server.log) == 3 + 1 + 2 + 2
    failures = store.read_meta("fetch_failures")
    assert {(e["attempts"], e.get("gave_up")) for e in failures.values()} == {(2, True)}

    # third run: nothing left to retry; each feed costs one request
    server.log.clear()
    third = fetch(store, feeds, client=HttpClient(FAST), max_attempts=2)
    assert (third.requests, third.not_modified, third.items_new, third.items_retried) == (
        3,
        2,
        0,
        0,
    )
    assert "feeds 2 ok (2 unchanged), 1 failed; items 0 new" in third.summary()

    health = feed_health(store).set_index("feed")
    assert list(health.columns) == [
        "url",
        "last_success",
        "last_error",
        "last_error_at",
        "items_total",
        "items_per_day",
    ]
    assert health.loc["Kabar Serang", "items_total"] == 6
    assert health.loc["Warta Pandeglang", "items_per_day"] == 2.0
    assert pd.isna(health.loc["Rusak", "last_success"])
    assert health.loc["Rusak", "last_error"].startswith("not a readable feed")


def test_a_run_that_dies_half_way_keeps_what_it_committed(server, store):
    for slug in ("jembatan-ciujung", "pasar-rau", "tambak-udang"):
        server.add(f"/b/{slug}", page(slug))
    server.add(
        "/feed.xml",
        Reply(
            rss(
                "Kabar Serang",
                [
                    item(server, f"/b/{slug}", story(slug)[0])
                    for slug in ("jembatan-ciujung", "pasar-rau", "tambak-udang")
                ],
            ),
            headers=XML,
            etag='"e1"',
        ),
    )
    feeds = [Feed("Kabar Serang", (server.url("/feed.xml"),))]

    def die(_rows: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fetch(store, feeds, client=HttpClient(FAST), batch_size=1, progress=die)
    assert len(store.articles()) == 1
    assert "etag" not in store.read_meta("feeds", {}).get(server.url("/feed.xml"), {})

    report = fetch(store, feeds, client=HttpClient(FAST), batch_size=1)
    assert (report.items_seen, report.items_new, report.ingest.added) == (1, 2, 2)
    assert len(store.articles()) == 3
    # robots.txt again (the state was not saved), the feed in full (no ETag kept), two pages
    assert report.requests == 4


def test_since_skips_older_items_and_home_region_is_opt_in(server, store, tmp_path):
    server.add("/b/posyandu-balita", page("posyandu-balita"))
    server.add("/b/festival-kopi", page("festival-kopi"))
    entries = [
        {"link": server.url("/b/posyandu-balita"), "title": story("posyandu-balita")[0],
         "updated": "2025-11-03T09:00:00Z"},
        {"link": server.url("/b/festival-kopi"), "title": story("festival-kopi")[0],
         "updated": "2025-10-01T09:00:00Z"},
    ]  # fmt: skip
    server.add("/feed.xml", Reply(atom("Warta Kota", entries), headers=XML))
    feeds = [Feed("Warta Kota", (server.url("/feed.xml"),), region="36.73")]
    since = pd.Timestamp("2025-11-01")
    report = fetch(store, feeds, since=since, client=HttpClient(FAST))
    assert (report.items_new, report.items_too_old) == (1, 1)
    assert server.hits("/b/festival-kopi") == 0
    assert store.articles()["regency_code"].tolist() == ["36.02"]  # its dateline: LEBAK

    homed = Store(tmp_path / "homed")
    fetch(homed, feeds, since=since, client=HttpClient(FAST), home_region=True)
    assert homed.articles()["regency_code"].tolist() == ["36.73"]  # the outlet's home wins


def test_fetch_articles_skips_tracking_variants_and_known_pages(server, store):
    server.add("/b/jembatan-ciujung", page("jembatan-ciujung"))
    server.add("/b/pasar-rau", page("pasar-rau"))
    urls = [
        server.url("/b/jembatan-ciujung"),
        server.url("/b/jembatan-ciujung?utm_campaign=x#atas"),
    ]
    first = fetch_articles(store, urls, client=HttpClient(FAST))
    assert (first.items_new, first.items_seen, first.ingest.added, first.requests) == (1, 1, 1, 2)
    second = fetch_articles(store, [*urls, server.url("/b/pasar-rau")], client=HttpClient(FAST))
    assert (second.items_new, second.items_seen, second.ingest.added) == (1, 2, 1)
    assert store.articles()["source"].tolist() == ["Kabar Banten Contoh", "Kabar Banten Contoh"]


def test_ingest_command_takes_a_file_of_article_urls(server, store, tmp_path, capsys, monkeypatch):
    from data.cli import main

    monkeypatch.setenv("SOROTAN_ALLOW_HOSTS", "127.0.0.1")
    server.add("/b/jembatan-ciujung", page("jembatan-ciujung"))
    server.add("/b/pasar-rau", page("pasar-rau"))
    listing = tmp_path / "bacaan.urls"
    listing.write_text(
        f"# dibagikan warga\n{server.url('/b/jembatan-ciujung')}\n\n{server.url('/b/pasar-rau')}\n"
    )
    assert main(["ingest", str(listing), "--store", str(store.path), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert (counts["read"], counts["added"]) == (2, 2)
    assert len(store.articles()) == 2


# -- the HTTP client ----------------------------------------------------------------------------


def test_client_retries_5xx_but_not_4xx(server):
    server.add("/mati", Reply(status=503))
    server.add("/dilarang", Reply(status=403))
    client = HttpClient(HttpConfig(allow_hosts=LOCAL, retries=2, backoff=0.0, min_interval=0.0))
    with pytest.raises(FetchError) as dead:
        client.get(server.url("/mati"))
    assert (dead.value.reason, dead.value.attempts, dead.value.permanent) == ("HTTP 503", 3, False)
    with pytest.raises(FetchError) as forbidden:
        client.get(server.url("/dilarang"))
    assert (forbidden.value.attempts, forbidden.value.permanent) == (1, True)
    assert (server.hits("/mati"), server.hits("/dilarang")) == (3, 1)


def test_client_caps_streamed_and_compressed_bodies(server):
    server.add("/aliran", Reply(b"x" * 50_000, length=False))
    server.add("/bom", Reply(gzipped(b"0" * 5_000_000), headers={"Content-Encoding": "gzip"}))
    server.add("/kecil", Reply(gzipped(b"halo " * 100), headers={"Content-Encoding": "gzip"}))
    client = HttpClient(
        HttpConfig(allow_hosts=LOCAL, max_bytes=20_000, min_interval=0.0, backoff=0.0)
    )
    for path in ("/aliran", "/bom"):
        with pytest.raises(FetchError, match="larger than 20,000 bytes"):
            client.get(server.url(path))
    assert client.get(server.url("/kecil")).body == b"halo " * 100


def test_client_spaces_requests_to_one_host(server):
    server.add("/a", Reply(b"a"))
    client = HttpClient(HttpConfig(allow_hosts=LOCAL, min_interval=0.15))
    client.get(server.url("/a"))  # robots.txt and the page: the clock starts here
    started = time.monotonic()
    for _ in range(3):
        client.get(server.url("/a"))
    assert time.monotonic() - started >= 0.44
    assert client.requests == 5


def test_robots_crawl_delay_and_unreachable_robots(server):
    server.routes["/robots.txt"] = Reply(b"User-agent: sorotan\nCrawl-delay: 1\nDisallow: /x\n")
    server.add("/a", Reply(b"a"))
    client = HttpClient(HttpConfig(allow_hosts=LOCAL, min_interval=0.0))
    started = time.monotonic()
    client.get(server.url("/a"))
    client.get(server.url("/a"))
    assert time.monotonic() - started >= 1.0  # whole seconds: all urllib.robotparser reads
    assert not client.allowed(server.url("/x/y"))
    server.routes["/robots.txt"] = Reply(status=500)
    fresh = HttpClient(HttpConfig(allow_hosts=LOCAL, min_interval=0.0, retries=0))
    assert not fresh.allowed(server.url("/a"))
    assert fresh.robots_cache() == {}


# -- decoding -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ("<p>Café “baru”</p>".encode("cp1252"), "text/html", "<p>Café “baru”</p>"),
        (
            "<p>Café “baru”</p>".encode("cp1252"),
            "text/html; charset=ISO-8859-1",
            "<p>Café “baru”</p>",
        ),
        ("<p>Café</p>".encode(), None, "<p>Café</p>"),
        (
            '<meta charset="windows-1252"><p>Café</p>'.encode("cp1252"),
            "text/html",
            '<meta charset="windows-1252"><p>Café</p>',
        ),
        ("<p>Café “baru”</p>".encode("cp1252"), "text/html; charset=utf-8", "<p>Café “baru”</p>"),
        ("<p>Kafé</p>".encode("utf-16"), "text/html; charset=utf-16", "<p>Kafé</p>"),
    ],
)
def test_decoded_text(body, content_type, expected):
    assert decoded_text(body, content_type) == expected


# -- feeds file, URL lists, scheduling ------------------------------------------------------------


def test_example_feeds_file_loads():
    feeds = load_feeds(EXAMPLE)
    assert len(feeds) >= 5
    assert all(feed.urls and feed.language for feed in feeds)
    assert all(feed.region is None or feed.region[:2].isdigit() for feed in feeds)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[feed]]\nname = "A"\n', "feed 1 (A): give 'url' or 'urls'"),
        ('[[feed]]\nname = "A"\nurl = "ftp://x"\n', "must be an http(s) URL"),
        ('[[feed]]\nname = "A"\nurl = "https://a.test/rss"\nkota = "x"\n', "unknown key(s) kota"),
        ('[[feed]]\nname = "A"\nurl = "https://a.test/rss"\nregion = "Atlantis"\n', "feed 1 (A)"),
        ('[[feed]\nname = "A"\n', "not valid TOML"),
        ("", "no [[feed]] entries"),
        (
            '[[feed]]\nname = "A"\nurl = "https://a.test/rss"\nselector = "div..x"\n',
            "not valid CSS",
        ),
        (
            '[[feed]]\nname = "A"\nurl = "https://a.test/1"\n[[feed]]\nname = "A"\nurl = "https://a.test/2"\n',
            "feed names must be unique: A",
        ),
    ],
)
def test_feeds_file_mistakes_are_explained(tmp_path, text, message):
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FeedsFileError, match=None) as error:
        load_feeds(path)
    assert message in str(error.value)


def test_feed_from_url_and_url_lists(tmp_path):
    assert Feed.from_url("https://www.kabar.test/rss") == Feed(
        "kabar.test", ("https://www.kabar.test/rss",)
    )
    with pytest.raises(FeedsFileError):
        Feed.from_url("kabar.test/rss")
    path = tmp_path / "daftar.urls"
    path.write_text("# artikel\nhttps://a.test/1\n\n  https://a.test/2  \n", encoding="utf-8")
    assert read_url_list(path) == ["https://a.test/1", "https://a.test/2"]


@pytest.mark.parametrize(
    ("text", "seconds"), [("90s", 90), ("30m", 1800), ("1h30m", 5400), ("1d", 86400)]
)
def test_interval_seconds(text, seconds):
    assert interval_seconds(text) == seconds


@pytest.mark.parametrize("text", ["", "30", "0s", "5x", "1h 30"])
def test_interval_seconds_rejects_nonsense(text):
    with pytest.raises(ValueError, match="interval"):
        interval_seconds(text)


def test_run_every_logs_each_run_and_survives_a_failing_one():
    now = [0.0]
    sleeps: list[float] = []
    lines: list[str] = []
    results = iter([FetchReport(items_new=3), RuntimeError("disk penuh"), FetchReport()])

    def job() -> FetchReport:
        now[0] += 10
        result = next(results)
        if isinstance(result, Exception):
            raise result
        return result

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    run_every("1m", job, lines.append, runs=3, sleep=sleep, clock=lambda: now[0])
    assert sleeps == [50.0, 50.0]
    assert "items 3 new" in lines[0]
    assert lines[1].endswith("run failed: RuntimeError: disk penuh")
    assert len(lines) == 3


# -- pages ----------------------------------------------------------------------------------------


def test_page_fields_follow_a_css_hint_and_fall_back_without_a_match():
    title, paragraphs = story("tambak-udang")
    html = article_html(title, paragraphs, date="2025-11-04T07:30:00+07:00")
    hinted = page_fields(html, "https://contoh.test/a", "div.isi-berita")
    assert hinted == {
        "title": title,
        "text": "\n".join(paragraphs),
        "date": "2025-11-04",
        "sitename": "Kabar Banten Contoh",
    }
    fallback = page_fields(html, "https://contoh.test/a", "div.tidak-ada")
    assert fallback["text"].startswith(title + "\n" + paragraphs[0])
    assert fallback["date"] == "2025-11-04"


def test_items_are_spread_over_hosts():
    items = [
        Item(link=f"https://{host}.test/{n}", key=f"{host}{n}", source=None, feed_url=None, row=n)
        for host, count in (("a", 3), ("b", 1), ("c", 2))
        for n in range(count)
    ]
    order = [item.key for item in _interleaved(items)]
    assert order == ["a0", "b0", "c0", "a1", "c1", "a2"]


def test_client_follows_at_most_five_redirects(server):
    for n in range(7):
        server.add(f"/r{n}", Reply(status=301, headers={"Location": f"/r{n + 1}"}))
    server.add("/r7", Reply(b"akhir"))
    client = HttpClient(HttpConfig(allow_hosts=LOCAL, min_interval=0.0))
    assert client.get(server.url("/r2")).url == server.url("/r7")
    with pytest.raises(FetchError, match="more than 5 redirects"):
        client.get(server.url("/r0"))


def test_feed_health_of_a_store_without_feeds(store):
    health = feed_health(store)
    assert health.empty and list(health.columns) == [
        "feed", "url", "last_success", "last_error", "last_error_at", "items_total", "items_per_day"
    ]  # fmt: skip
    assert str(health["items_per_day"].dtype) == "float64"


# -- addresses that are not public --------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("169.254.169.254", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("10.1.2.3", "a private address"),
        ("192.168.1.1", "a private address"),
        ("fd00::1", "a private address"),
        ("100.64.0.1", "not a public address"),
        ("224.0.0.1", "a multicast address"),
        ("0.0.0.0", "an unspecified address"),
        ("240.0.0.1", "a private address"),
        ("::ffff:127.0.0.1", "a loopback address"),  # IPv4 mapped into IPv6
        ("64:ff9b::a01:203", "a private address"),  # NAT64 of 10.1.2.3
        ("2002:7f00:1::", "a loopback address"),  # 6to4 of 127.0.0.1
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_not_public(address, kind):
    assert not_public(ipaddress.ip_address(address)) == kind


@pytest.fixture
def resolver(monkeypatch, server):
    """Invented names resolving as a hostile DNS would: every name maps to a list of answers,
    given in turn (the last one repeats); other names go to the test's guarded lookup."""
    real = socket.getaddrinfo
    names: dict[str, list[str]] = {}

    def lookup(host, port, *args, **kwargs):
        if host not in names:
            return real(host, port, *args, **kwargs)
        address = names[host].pop(0) if len(names[host]) > 1 else names[host][0]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    return names


TRICKS = {
    "loopback": ("http://127.0.0.1:{port}/rahasia", "refused: 127.0.0.1 is a loopback address"),
    "localhost": ("http://localhost:{port}/rahasia", "is a loopback address"),
    "IPv6 loopback": ("http://[::1]:{port}/rahasia", "refused: ::1 is a loopback address"),
    "mapped": ("http://[::ffff:127.0.0.1]:{port}/rahasia", "is a loopback address"),
    "metadata": ("http://169.254.169.254/latest/meta-data/", "is a link-local address"),
    "private": ("http://10.1.2.3/admin", "refused: 10.1.2.3 is a private address"),
    "name to private": ("http://intranet.test/", "intranet.test (10.0.0.5) is a private"),
    "redirect": ("http://feeds.test:{port}/pindah", "refused: 127.0.0.1 is a loopback"),
}


def test_the_default_client_refuses_every_address_that_is_not_public(server, resolver):
    resolver.update({"feeds.test": ["127.0.0.1"], "intranet.test": ["10.0.0.5"]})
    server.add("/rahasia", Reply(b"kata sandi"))
    server.add("/pindah", Reply(status=302, headers={"Location": server.url("/rahasia")}))
    client = HttpClient(HttpConfig(min_interval=0.0, allow_hosts=("feeds.test",)))
    for name, (url, reason) in TRICKS.items():
        with pytest.raises(Refused) as refused:
            client.get(url.format(port=server.base.rsplit(":", 1)[1]))
        assert reason in refused.value.reason, name
        assert "SOROTAN_ALLOW_HOSTS" in refused.value.reason and refused.value.permanent
    assert server.hits("/rahasia") == 0
    assert client.get(server.url("/rahasia").replace("127.0.0.1", "feeds.test")).status == 200


def test_a_name_that_resolves_elsewhere_on_connecting_is_refused(server, resolver):
    resolver["rebind.test"] = ["93.184.216.34", "93.184.216.34", "127.0.0.1"]
    server.add("/a", Reply(b"a"))
    client = HttpClient(HttpConfig(min_interval=0.0))
    port = server.base.rsplit(":", 1)[1]
    with pytest.raises(Refused, match=r"rebind.test \(127.0.0.1\) is a loopback address"):
        client.get(f"http://rebind.test:{port}/a")
    assert server.log == []


def test_a_feed_whose_items_point_inward_gets_none_of_them_fetched(server, resolver, store):
    resolver.update({"feeds.test": ["127.0.0.1"], "intranet.test": ["10.0.0.5"]})
    port = server.base.rsplit(":", 1)[1]
    server.add("/rahasia", Reply(b"kata sandi", headers=HTML))
    server.add("/pindah", Reply(status=302, headers={"Location": server.url("/rahasia")}))
    server.add("/berita/pasar-rau", page("pasar-rau"))
    links = [url.format(port=port) for url, _ in TRICKS.values()]
    links.append(f"http://feeds.test:{port}/berita/pasar-rau")
    server.add("/rss.xml", Reply(rss("Kabar", [{"link": u, "title": u} for u in links])))
    feed = Feed.from_url(f"http://feeds.test:{port}/rss.xml")
    config = dataclasses.replace(FAST, allow_hosts=("feeds.test",))
    report = fetch(store, [feed], client=HttpClient(config))
    assert report.items_failed == len(TRICKS) and report.ingest.added == 1
    for (url, reason), link in zip(TRICKS.values(), links, strict=False):
        assert reason in report.errors[link], url
    assert server.hits("/rahasia") == 0
    assert store.articles()["url"].tolist() == [links[-1]]


def test_allowed_hosts_come_from_the_environment_the_data_page_and_the_feeds_file(
    store, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOROTAN_ALLOW_HOSTS", " 127.0.0.1 , Intranet.Example ")
    store.write_meta("allow_hosts", ["10.0.0.0/8"])
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('allow_hosts = ["[::1]"]\n[[feed]]\nname = "A"\nurl = "http://a.test/"\n')
    assert allowed_hosts(store, load_allow_hosts(feeds)) == (
        "127.0.0.1",
        "intranet.example",
        "10.0.0.0/8",
        "[::1]",
    )
    guard = AddressGuard(allowed_hosts(store, load_allow_hosts(feeds)))
    for address in ("127.0.0.1", "10.9.8.7", "::1"):
        guard.check(f"http://[{address}]/" if ":" in address else f"http://{address}/")
    with pytest.raises(BlockedAddress):
        guard.check("http://192.168.1.1/")
    monkeypatch.setenv("SOROTAN_ALLOW_HOSTS", "http://intranet/")
    with pytest.raises(ValueError, match="SOROTAN_ALLOW_HOSTS: 'http://intranet/' is neither"):
        allowed_hosts(store)
    feeds.write_text('allow_hosts = ["intra net"]\n[[feed]]\nname = "A"\nurl = "http://a.test/"\n')
    with pytest.raises(FeedsFileError, match="allow_hosts: 'intra net' is neither"):
        load_allow_hosts(feeds)


def test_ingest_command_refuses_a_local_article_url_and_says_why(server, store, capsys):
    from data.cli import main

    server.add("/b/pasar-rau", page("pasar-rau"))
    url = server.url("/b/pasar-rau")
    assert main(["ingest", url, "--store", str(store.path), "--json"]) == 1
    counts = json.loads(capsys.readouterr().out)
    assert counts["unreadable_files"] == {
        url: f"{url}: refused: 127.0.0.1 is a loopback address; "
        "to fetch from it, allow it with $SOROTAN_ALLOW_HOSTS"
    }
    assert server.log == []


def test_fetch_command_refuses_a_local_feed_unless_the_feeds_file_allows_it(
    server, store, tmp_path, capsys
):
    from data.cli import main

    server.add("/berita/pasar-rau", page("pasar-rau"))
    server.add("/rss.xml", Reply(rss("Kabar", [{"link": server.url("/berita/pasar-rau")}])))
    feeds = tmp_path / "feeds.toml"
    entry = f'[[feed]]\nname = "Kabar Lokal"\nurl = "{server.url("/rss.xml")}"\n'
    feeds.write_text(entry)
    assert main(["fetch", "--feeds", str(feeds), "--store", str(store.path)]) == 1
    err = capsys.readouterr().err
    assert f"failed  {server.url('/rss.xml')}: refused: 127.0.0.1 is a loopback address" in err
    assert server.log == []
    feeds.write_text('allow_hosts = ["127.0.0.1"]\n' + entry)
    assert main(["fetch", "--feeds", str(feeds), "--store", str(store.path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ingest"]["added"] == 1


# -- slow servers, long feeds, broken feeds -----------------------------------------------------


@pytest.mark.parametrize("headers", [True, False], ids=["dripping headers", "dripping body"])
def test_a_dripping_server_is_cut_off_at_the_total_deadline(server, headers):
    server.add("/pelan", Reply(b"x" * 500, drip=0.05, drip_headers=headers))
    config = HttpConfig(
        timeout=5.0, total_timeout=1.0, retries=0, min_interval=0.0, allow_hosts=LOCAL
    )
    client = HttpClient(config)
    client.allowed(server.url("/pelan"))  # robots.txt first, outside the clock
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"took longer than 1 s in all"):
        client.get(server.url("/pelan"))
    assert time.monotonic() - started < 2.5  # the whole reply would take 25 s


def test_a_feed_gives_at_most_max_items_per_run_and_the_rest_next_time(server, store):
    slugs = [slug for slug, _, _ in STORIES[:5]]
    for slug in slugs:
        server.add(f"/berita/{slug}", page(slug))
    items = [{"link": server.url(f"/berita/{slug}"), "title": slug} for slug in slugs]
    server.add("/rss.xml", Reply(rss("Kabar", items), headers=XML))
    feeds = [Feed.from_url(server.url("/rss.xml"))]
    first = fetch(store, feeds, client=HttpClient(FAST), max_items=2)
    assert (first.items_new, first.items_deferred, first.ingest.added) == (2, 3, 2)
    second = fetch(store, feeds, client=HttpClient(FAST), max_items=2)
    assert (second.items_new, second.items_seen, second.items_deferred) == (2, 2, 1)
    assert [server.hits(f"/berita/{slug}") for slug in slugs] == [1, 1, 1, 1, 0]


def test_malformed_feed_xml_is_the_feeds_error_and_its_readable_items_are_kept(server, store):
    server.add("/berita/pasar-rau", page("pasar-rau"))
    whole = rss("Kabar", [{"link": server.url("/berita/pasar-rau"), "title": "Pasar"}] * 2)
    server.add("/patah.xml", Reply(whole[: whole.rindex(b"<item>") + 10], headers=XML))
    server.add("/sampah.xml", Reply(b"<rss><channel>\x00\x01", headers=XML))
    feeds = [Feed.from_url(server.url("/patah.xml")), Feed.from_url(server.url("/sampah.xml"))]
    report = fetch(store, feeds, client=HttpClient(FAST))
    assert (report.feeds_ok, report.feeds_failed, report.ingest.added) == (0, 2, 1)
    assert report.errors[server.url("/patah.xml")].startswith("malformed XML at line 1, column")
    assert report.errors[server.url("/patah.xml")].endswith(
        "(1 linked items read before or around it)"
    )
    assert report.errors[server.url("/sampah.xml")].startswith("not a readable feed: malformed XML")
    health = feed_health(store).set_index("url")
    assert health.loc[server.url("/patah.xml"), "last_error"].startswith("malformed XML")
