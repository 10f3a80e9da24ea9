"""Live monitoring against real local servers: feeds, a webhook receiver and an SMTP server."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from email.utils import format_datetime
from pathlib import Path

import pandas as pd
import pytest

from analysis.i18n.strings import strings
from analysis.topics.build import build_store
from analysis.watch.alerts import Alert, emerging_alerts
from analysis.watch.clock import QuietHours, local_time, rebuild_allowed, rebuild_window_start
from analysis.watch.deliver import JsonLinesFile, Mail, Webhook, deliver, queued
from analysis.watch.freshness import Freshness, freshness_text, store_freshness
from analysis.watch.log import last_rounds
from analysis.watch.rising import Rising, rising_rows, rising_topics
from analysis.watch.rounds import (
    STATE_META,
    RoundBusy,
    WatchSettings,
    round_lock,
    run_round,
    topics_step,
)
from analysis.watch.watches import WatchError, add_watch, load_watches, remove_watch
from data.fetch import Feed, HttpClient, HttpConfig
from data.schema import ARTICLE_COLUMNS
from data.store import Store
from tests.feedserver import FeedServer, Reply, article_html, rss
from tests.receivers import WebhookReceiver, smtp_server
from tests.topic_fixtures import THEME_WORDS, theme_article

ROOT = Path(__file__).resolve().parents[1]
LOCAL = ("127.0.0.1",)
FAST = HttpConfig(timeout=5.0, total_timeout=20.0, retries=0, min_interval=0.0, allow_hosts=LOCAL)
PROVINCES = {"Banten": "36", "Jawa Barat": "32", "Jawa Timur": "35"}
NOW = pd.Timestamp.now("UTC").floor("min")


def base_articles(per_theme: int = 24, seed: int = 3) -> pd.DataFrame:
    """Invented articles over five themes, spread evenly over the 35 days before NOW."""
    rng = random.Random(seed)
    rows = []
    for theme in THEME_WORDS:
        for number in range(per_theme):
            row = theme_article(rng, theme, number, NOW)
            row["published_at"] = NOW - pd.Timedelta(hours=rng.uniform(2, 35 * 24))
            row["province_code"] = PROVINCES[row["province"]]
            row["ingested_at"] = NOW - pd.Timedelta(days=40)
            # the outlet the feed serves has been collected all along: its story is news, not a
            # newly collected outlet (whose rises are not alerted)
            row["source"] = {"kabar-serang": "Kabar Serang"}.get(row["source"], row["source"])
            rows.append(row)
    frame = pd.DataFrame(rows)
    return frame.assign(**{c: None for c in ARTICLE_COLUMNS if c not in frame.columns})[
        list(ARTICLE_COLUMNS)
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A store of 120 articles over five themes with a fast build of five topics."""
    store = Store(tmp_path_factory.mktemp("built") / "store")
    with store.writer():
        store.commit({"articles": base_articles()})
    store.write_meta("topic_settings", {"n_topics": 5})
    build_store(store, embedding="tfidf", seed=0, fast=True)
    return store.path


@pytest.fixture
def store(built: Path, tmp_path: Path, monkeypatch) -> Store:
    outlets = tmp_path / "outlets.toml"
    outlets.write_text("# no outlet homes: places come from the articles themselves\n")
    monkeypatch.setenv("SOROTAN_OUTLETS", str(outlets))
    shutil.copytree(built, tmp_path / "store")
    return Store(tmp_path / "store")


def serve_story(server: FeedServer, count: int, first: int = 0, seed: int = 11) -> list[dict]:
    """count new flood articles in Kota Serang (pages served, published an hour before NOW) as
    feed items."""
    rng = random.Random(seed + first)
    items = []
    for number in range(first, first + count):
        row = theme_article(rng, "banjir", 500 + number, NOW)
        title = f"{row['title'].split(' di ')[0]} di Kota Serang nomor {number}"
        body = row["text"].split(" ")
        paragraphs = [" ".join(body[i : i + 14]) + "." for i in range(0, len(body), 14)]
        paragraphs[0] = f"SERANG - {paragraphs[0]}"
        date = NOW - pd.Timedelta(hours=1)
        page = article_html(title, paragraphs, date=date.isoformat(), site="Kabar Serang")
        path = f"/berita/banjir-{number}"
        server.add(path, Reply(page.encode(), headers={"Content-Type": "text/html"}))
        items.append(
            {
                "link": server.url(path),
                "title": title,
                "pubDate": format_datetime(date.to_pydatetime()),
            }
        )
    return items


def alert_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def new_article_topics(store: Store) -> pd.Series:
    """The topic id of each fetched article (its URL on the local server)."""
    articles = store.articles(["article_id", "url"])
    fetched = articles.loc[articles["url"].str.startswith("http://127.0.0.1"), "article_id"]
    topics = store.assignments().set_index("article_id")["topic_id"]
    return fetched.map(topics)


def test_two_rounds_give_topics_and_one_alert_per_rising_story(store, tmp_path):
    feeds_path = "/rss.xml"
    with (
        FeedServer().running() as server,
        WebhookReceiver().running() as hook,
        smtp_server() as (mailbox, port),
    ):
        server.add("/robots.txt", Reply(b"User-agent: *\nAllow: /\n"))
        first = serve_story(server, 20)
        more = serve_story(server, 6, first=20)
        server.add(
            feeds_path,
            [Reply(rss("Kabar Serang", first)), Reply(rss("Kabar Serang", first + more))],
        )
        banjir = int(
            store.assignments()["topic_id"][
                store.assignments()["article_id"].str.startswith("banjir")
            ].mode()[0]
        )
        everywhere = add_watch(store, "region", None)
        banten = add_watch(store, "region", "36", "Banten")
        topic = add_watch(store, "topic", str(banjir))
        query = add_watch(store, "query", "banjir", "Banjir")
        channels = [
            JsonLinesFile(tmp_path / "alerts.jsonl"),
            Webhook(hook.url),
            Mail("127.0.0.1", port, "sorotan@redaksi.test", ("meja@redaksi.test",)),
        ]
        settings = WatchSettings(
            feeds=(Feed("Kabar Serang", (server.url(feeds_path),)),),
            client=HttpClient(FAST),
            fast=True,
            lang="en",
        )
        one = run_round(store, settings, channels, now=NOW)
        assert one.fetched.ingest.added == 20 and one.assigned == 20
        assert new_article_topics(store).notna().all()
        assert (new_article_topics(store) == banjir).mean() > 0.8

        rising = rising_topics(store, ["36"], NOW, "7d", "28d")
        everywhere_now = {row["topic_id"] for row in rising_rows(rising.ranked[None])}
        banten_now = {row["topic_id"] for row in rising_rows(rising.ranked["36"])}
        assert banjir in everywhere_now and banjir in banten_now
        expected = (
            {(everywhere.id, t) for t in everywhere_now}
            | {(banten.id, t) for t in banten_now}
            | {(topic.id, banjir), (query.id, None)}
        )
        lines = alert_lines(tmp_path / "alerts.jsonl")
        fired = {(a["watch"]["id"], a["figures"].get("topic_id")) for a in lines}
        assert fired == expected and len(lines) == len(expected) == one.alerts
        by_watch = {a["watch"]["id"]: a for a in lines}
        assert by_watch[query.id]["figures"]["articles"] == 20
        assert by_watch[topic.id]["subject"].endswith("is rising")
        assert len(by_watch[topic.id]["articles"]) == 3
        assert all(a["url"].startswith(server.base) for a in by_watch[topic.id]["articles"])

        two = run_round(store, settings, channels, now=NOW + pd.Timedelta(minutes=30))
        assert two.fetched.ingest.added == 6 and two.assigned == 6
        assert new_article_topics(store).notna().all() and len(new_article_topics(store)) == 26
        lines = alert_lines(tmp_path / "alerts.jsonl")
        again = lines[len(expected) :]
        assert [(a["watch"]["id"], a["figures"]["articles"]) for a in again] == [(query.id, 6)]

    ids = [a["id"] for a in lines]
    assert len(set(ids)) == len(ids)
    assert hook.ids == ids
    assert [m["Message-ID"] for m in mailbox.messages] == [f"<{i}@sorotan>" for i in ids]
    assert mailbox.recipients[0] == ["meja@redaksi.test"]
    assert "Top articles:" in mailbox.messages[0].get_payload(decode=True).decode()
    assert store.read_meta(STATE_META)["outbox"] == []
    assert [r["status"] for r in last_rounds(store)] == ["done", "done"]


def run_watch(store: Store, *args: str) -> subprocess.Popen:
    """`python -m analysis watch` on the store in a fresh process."""
    env = {
        "PATH": os.environ["PATH"],
        "HF_HUB_OFFLINE": "1",
        "SOROTAN_OUTLETS": os.environ["SOROTAN_OUTLETS"],
    }
    command = [sys.executable, "-m", "analysis", "watch", "--store", str(store.path), *args]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wait_for(condition, process: subprocess.Popen, seconds: float = 90) -> None:
    """Wait until condition() holds while process runs."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def killed(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    assert process.wait(30) == -signal.SIGKILL


def test_a_round_killed_at_any_point_loses_nothing(store, tmp_path):
    with FeedServer().running() as server, WebhookReceiver().running() as hook:
        server.add("/robots.txt", Reply(b"User-agent: *\nAllow: /\n"))
        items = serve_story(server, 3)
        stalled = server.url("/berita/banjir-2").removeprefix(server.base)
        page = server.routes[stalled]
        unblocked = threading.Event()

        def slow(_handler) -> Reply:
            unblocked.wait(60)
            return page

        server.add(stalled, slow)
        server.add("/rss.xml", Reply(rss("Kabar Serang", items)))
        feeds = tmp_path / "feeds.toml"
        feeds.write_text(
            f'allow_hosts = ["127.0.0.1"]\n[[feed]]\nname = "Kabar Serang"\n'
            f'url = "{server.url("/rss.xml")}"\n'
        )
        add_watch(store, "query", "banjir")
        alerts = tmp_path / "alerts.jsonl"
        args = ["--feeds", str(feeds), "--alerts", str(alerts), "--webhook", hook.url, "--fast"]

        # killed while fetching: the stalled page holds the round
        process = run_watch(store, *args)
        wait_for(lambda: server.hits(stalled) > 0, process)
        killed(process)
        assert last_rounds(store)[-1]["stage"] == "fetch"
        assert new_article_topics(store).empty
        unblocked.set()

        # killed while delivering: the webhook holds its answer
        hook.hold = True
        process = run_watch(store, *args)
        wait_for(hook.arrived.is_set, process)
        killed(process)
        assert len(new_article_topics(store)) == 3 and new_article_topics(store).notna().all()
        pending = store.read_meta(STATE_META)["outbox"]
        assert [entry["pending"] for entry in pending] == [["webhook"]]
        assert len(alert_lines(alerts)) == 1

        # the next round completes the work
        hook.hold = False
        process = run_watch(store, *args, "--runs", "1")
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert "round 3:" in out and "1 delivered" in out

    assert [r["status"] for r in last_rounds(store)] == ["interrupted", "interrupted", "done"]
    assert len(new_article_topics(store)) == 3 and new_article_topics(store).notna().all()
    lines = alert_lines(alerts)
    assert len(lines) == 1 and lines[0]["figures"]["articles"] == 3
    assert set(hook.ids) == {lines[0]["id"]}  # sent again after the kill, under the same id
    assert store.read_meta(STATE_META)["outbox"] == []


def test_rounds_never_overlap(store):
    with round_lock(store), pytest.raises(RoundBusy):
        run_round(store, WatchSettings(), [])
    assert last_rounds(store) == []


def test_a_failed_round_is_logged_and_the_next_one_runs(store, tmp_path):
    from analysis.watch.rounds import watch

    logged: list[str] = []
    (store.path / "meta" / "watches.json").write_text("{not json")
    failed = watch(store, WatchSettings(every="1s"), [], logged.append, runs=2, sleep=lambda _: 0)
    assert failed == 2 and len(logged) == 2 and all("run failed" in line for line in logged)
    assert [r["status"] for r in last_rounds(store)] == ["failed", "failed"]
    assert "watches" in last_rounds(store)[-1]["summary"]
    (store.path / "meta" / "watches.json").unlink()
    assert watch(store, WatchSettings(every="1s"), [], logged.append, runs=1) == 0
    assert "round 3: feeds 0 ok" in logged[-1]


def test_watches_are_added_listed_and_removed(store):
    topic = int(store.assignments()["topic_id"].iloc[0])
    first = add_watch(store, "query", '"tanggul jebol" ATAU banjir')
    second = add_watch(store, "topic", str(topic))
    third = add_watch(store, "region", "36.73", "Kota saya")
    assert [w.id for w in load_watches(store)] == ["w1", "w2", "w3"]
    assert third.name == "Kota saya" and second.name != f"topic {topic}"
    assert remove_watch(store, "w2") == second
    assert [w.id for w in load_watches(store)] == ["w1", "w3"]
    assert add_watch(store, "region", None).id == "w4"
    for kind, value, reason in [
        ("query", '"tanggul', "unclosed quote"),
        ("topic", "999", "not a visible topic"),
        ("topic", "banjir", "by its number"),
        ("region", "99", "unknown region"),
    ]:
        with pytest.raises(WatchError, match=reason):
            add_watch(store, kind, value)
    with pytest.raises(WatchError, match="no watch 'w9'"):
        remove_watch(store, "w9")
    assert first in load_watches(store)


def test_the_watches_command(store, capsys):
    from analysis.cli import main

    assert main(["watches", "add", "--region", "36", "--store", str(store.path)]) == 0
    assert (
        main(
            ["watches", "add", "--query", "banjir", "--name", "Banjir", "--store", str(store.path)]
        )
        == 0
    )
    assert main(["watches", "list", "--json", "--store", str(store.path)]) == 0
    listed = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert [(w["id"], w["kind"], w["value"], w["name"]) for w in listed] == [
        ("w1", "region", "36", "Banten"),
        ("w2", "query", "banjir", "Banjir"),
    ]
    assert main(["watches", "remove", "w1", "--store", str(store.path)]) == 0
    assert main(["watches", "remove", "w1", "--store", str(store.path)]) == 2
    assert "no watch 'w1'" in capsys.readouterr().err


def test_a_rise_alerts_once_until_it_has_ended_for_a_day(store):
    watch = add_watch(store, "region", None)
    ranked = pd.DataFrame(
        {
            "topic_id": [4, 7, -1],
            "topic_label": ["Banjir", "Pilkada", "?"],
            "status": ["rising", "steady", "new"],
            "effect": [3.0, 1.1, 9.0],
            "articles": [30, 5, 9],
            "baseline_articles": [10, 5, 0],
            "outlets": [3, 2, 1],
            "provinces": [2, 1, 1],
            "new_source": [False, False, False],
            "explanation_id": ["3x", "1x", "baru"],
            "explanation_en": ["3x", "1x", "new"],
            "baseline_days": [18, 18, 18],  # shortened: outlets were added inside the 28 days
        }
    )
    articles = base_articles().assign(topic_id=4)
    rising = Rising(pd.Timestamp(NOW.date()), "7D", "28D", articles, {None: ranked})
    first, rises = emerging_alerts([watch], rising, {}, NOW, "id")
    assert [a.figures["topic_id"] for a in first] == [4] and first[0].subject.endswith(
        "sedang naik"
    )
    assert "dalam 7 hari terakhir dibanding 18 hari sebelumnya: 3x." in first[0].why
    later = NOW + pd.Timedelta(hours=20)
    again, rises = emerging_alerts([watch], rising, rises, later, "id")
    assert again == [] and rises[f"{watch.id}:4"]["since"] == NOW.isoformat()
    calm = Rising(rising.as_of, "7D", "28D", articles, {None: ranked.assign(status="steady")})
    _, rises = emerging_alerts([watch], calm, rises, later + pd.Timedelta(hours=23), "id")
    assert list(rises) == [f"{watch.id}:4"]  # stopped rising less than a day ago: same rise
    _, rises = emerging_alerts([watch], calm, rises, later + pd.Timedelta(hours=25), "id")
    assert rises == {}
    renewed, _ = emerging_alerts([watch], rising, rises, later + pd.Timedelta(days=2), "id")
    assert len(renewed) == 1
    carried = Rising(rising.as_of, "7D", "28D", articles, {None: ranked.assign(new_source=True)})
    assert emerging_alerts([watch], carried, {}, NOW, "id")[0] == []


def test_rises_carried_by_outlets_not_collected_throughout_are_not_alerted():
    ranked = pd.DataFrame(
        {
            "topic_id": [1, 2, 3, -1],
            "status": ["rising", "new_source", "new", "rising"],
            "new_source": [False, True, False, False],
        }
    )
    assert [row["topic_id"] for row in rising_rows(ranked)] == [1, 3]


def test_quiet_hours_hold_webhook_and_mail_but_not_the_file(tmp_path):
    alert = Alert("a1", {"id": "w1"}, NOW.isoformat(), "id", "Subjek", "Karena", [], {})
    with WebhookReceiver().running() as hook:
        channels = [JsonLinesFile(tmp_path / "a.jsonl"), Webhook(hook.url)]
        outbox = queued([alert], channels)
        saved: list[list] = []
        quiet = deliver(outbox, channels, True, lambda o: saved.append(json.loads(json.dumps(o))))
        assert (quiet.delivered, quiet.held) == (1, 1) and hook.bodies == []
        assert outbox[0]["pending"] == ["webhook"] and saved[-1] == outbox
        awake = deliver(outbox, channels, False, lambda o: None)
        assert (awake.delivered, awake.held) == (1, 0) and outbox == []
        assert hook.bodies[0]["text"].startswith("Subjek") and hook.bodies[0]["id"] == "a1"
    assert len(alert_lines(tmp_path / "a.jsonl")) == 1


def test_a_failing_channel_is_retried_then_given_up(tmp_path):
    alert = Alert("a2", {"id": "w1"}, NOW.isoformat(), "en", "Subject", "Why", [], {})
    from tests.receivers import free_port

    channels = [Webhook(f"http://127.0.0.1:{free_port()}/hook", timeout=2)]
    outbox = queued([alert], channels)
    first = deliver(outbox, channels, False, lambda o: None)
    assert first.failed == 1 and "unreachable" in first.errors[0] and outbox[0]["attempts"] == 1
    for _ in range(9):
        done = deliver(outbox, channels, False, lambda o: None)
    assert done.dropped == 1 and outbox == []


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [("22-06", ["23:00", "05:59", "22:00"], ["06:00", "12:00"]),
     ("12:30-13:45", ["12:30", "13:44"], ["13:45", "12:29"])],
)  # fmt: skip
def test_quiet_hours(text, inside, outside):
    hours = QuietHours.parse(text)
    day = "2026-03-02 "
    assert all(hours.holds(pd.Timestamp(day + t)) for t in inside)
    assert not any(hours.holds(pd.Timestamp(day + t)) for t in outside)


@pytest.mark.parametrize("text", ["22", "25-06", "06-06", "6:70-7"])
def test_quiet_hours_reject_nonsense(text):
    with pytest.raises(ValueError):
        QuietHours.parse(text)


def test_a_due_rebuild_waits_for_the_rebuild_hour_once_a_day():
    wib = "Asia/Jakarta"
    at = lambda text: pd.Timestamp(text, tz=wib).tz_convert("UTC")  # noqa: E731
    assert rebuild_window_start(at("2026-03-02 03:10"), 3, 1800, wib) == pd.Timestamp(
        "2026-03-02 03:00", tz=wib
    )
    assert rebuild_window_start(at("2026-03-02 04:10"), 3, 1800, wib) is None
    assert rebuild_window_start(at("2026-03-02 04:10"), 3, 7200, wib) is not None  # 2 h rounds
    assert rebuild_allowed(at("2026-03-02 03:20"), None, 3, 1800, wib)
    assert not rebuild_allowed(at("2026-03-02 03:40"), at("2026-03-02 03:20"), 3, 1800, wib)
    assert rebuild_allowed(at("2026-03-03 03:05"), at("2026-03-02 03:20"), 3, 1800, wib)
    assert not rebuild_allowed(at("2026-03-02 14:00"), None, 3, 1800, wib)


def test_a_due_rebuild_runs_once_in_the_rebuild_hour(store):
    more = base_articles(per_theme=6, seed=9).assign(
        article_id=lambda f: "more-" + f["article_id"], ingested_at=NOW
    )
    with store.writer():
        store.commit({"articles": more})  # 30 new articles on 120: a rebuild is due
    hour = local_time(NOW).hour
    settings = WatchSettings(fast=True, rebuild_hour=hour)
    state = {"last_rebuild": None}
    before = store.current_build().name
    assert topics_step(store, settings, state, NOW) == (30, "rebuild", True)
    assert store.current_build().name != before and state["last_rebuild"] == NOW.isoformat()
    assert store.read_meta(STATE_META)["last_rebuild"] == NOW.isoformat()
    with store.writer():
        for copy in ("-b", "-c"):
            store.commit({"articles": more.assign(article_id=more["article_id"] + copy)})
    rebuilt = store.current_build().name
    assert topics_step(store, settings, state, NOW) == (60, "", True)  # rebuilt in this window
    assert store.current_build().name != rebuilt  # an update, not a rebuild
    off_hours = WatchSettings(fast=True, rebuild_hour=(hour + 12) % 24)
    assert topics_step(store, off_hours, {"last_rebuild": None}, NOW) == (0, "", True)


def test_freshness_line_in_both_languages(store):
    now = pd.Timestamp("2026-03-02 03:04", tz="UTC")  # 10:04 WIB
    fresh = Freshness(now - pd.Timedelta(minutes=4), pd.Timestamp("2026-03-02 03:30", tz="UTC"), 2)
    assert (
        freshness_text(fresh, now, "en") == "updated 4 min ago; next round 10:30; 2 feeds failing"
    )
    assert freshness_text(fresh, now, "id") == (
        "diperbarui 4 menit lalu; putaran berikutnya 10:30; 2 feed gagal"
    )
    late = Freshness(now - pd.Timedelta(hours=3), now - pd.Timedelta(hours=2), 1)
    assert freshness_text(late, now, "en") == (
        "updated 3 h ago; next round overdue (due 08:04); 1 feed failing"
    )
    assert freshness_text(Freshness(None, None, 0), now, "en") == "no monitoring round yet"
    assert store_freshness(store) == Freshness(None, None, 0)
    run_round(store, WatchSettings(), [], now=NOW, next_round_at=NOW + pd.Timedelta(minutes=30))
    fresh = store_freshness(store)
    assert fresh.next_round_at == NOW + pd.Timedelta(minutes=30)
    assert NOW <= fresh.updated_at < NOW + pd.Timedelta(minutes=1)


def test_watch_strings_exist_in_both_languages():
    table = strings("watch")
    assert set(table["id"]) == set(table["en"])
