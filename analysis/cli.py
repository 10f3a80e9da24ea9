"""`python -m analysis`: build topics, update them with new articles (one function per subcommand)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from tqdm import tqdm

from analysis.topics.build import BuildError, build_store
from analysis.topics.embeddings import DEFAULT_EMBEDDING, embedding_names
from analysis.topics.update import update_store
from data import cluster
from data.search.index import sync_index
from data.store import Store, StoreError


class TqdmProgress:
    """Progress as one tqdm bar per stage, on stderr."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.bar: tqdm | None = None

    def stage(self, name: str, total: int | None = None) -> None:
        """Close the previous stage's bar and open one for this stage."""
        self.close()
        self.bar = tqdm(
            desc=name,
            total=total,
            file=sys.stderr,
            disable=self.quiet,
            dynamic_ncols=True,
            bar_format=None if total else "{desc}: {elapsed}",
        )

    def advance(self, n: int) -> None:
        """Count n items done in the current stage."""
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        """Close the current bar, if any."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _emit(result: dict[str, Any], as_json: bool, summary: list[str]) -> None:
    """One JSON object on stdout, or a short human summary."""
    if as_json:
        print(json.dumps(result, ensure_ascii=False, default=str))
    else:
        print("\n".join(summary))


def cmd_build(args: argparse.Namespace) -> int:
    """Fit topics on every article in the store and publish a new build."""
    progress = TqdmProgress(args.quiet)
    info = build_store(
        Store(args.store),
        embedding=args.embedding,
        seed=args.seed,
        progress=progress,
        fast=args.fast,
    )
    progress.close()
    lineage = info["lineage"]
    _emit(
        info,
        args.json,
        [
            f"build {info['version']}: {info['n_articles']:,} articles, {info['n_topics']} topics "
            f"in {info['n_themes']} themes ({info['embedding']}, {info['clusterer']}, "
            f"seed {info['seed']})",
            f"unassigned {info['quality']['outlier_share']:.1%}, "
            f"low confidence {info['quality']['low_confidence_share']:.1%}",
            f"topics kept {len(lineage['kept'])}, new {len(lineage['new'])}, gone {len(lineage['gone'])}, "
            f"merged {len(lineage['merged'])}, split {len(lineage['split'])}",
            *guard_lines(info["splits"]),
            f"took {info['timings']['total']:.1f} s",
        ],
    )
    return 0


def guard_lines(splits: list[dict]) -> list[str]:
    """What the build's guard against collapse split, one line per topic."""
    return [
        f"collapse guard: a topic of {s['articles']:,} articles split into {s['into']}"
        for s in splits
    ]


def cmd_update(args: argparse.Namespace) -> int:
    """Assign articles added since the current build to its topics, without refitting."""
    progress = TqdmProgress(args.quiet)
    report = update_store(Store(args.store), progress=progress)
    report["search_index"] = sync_index(Store(args.store))
    progress.close()
    lines = [
        f"assigned {report['n_new']:,} new articles in {report['seconds']:.1f} s, "
        f"{report['low_confidence_share']:.1%} with low confidence"
    ]
    lines += [f"rebuild due: {reason}" for reason in report["rebuild_reasons"]]
    _emit(report, args.json, lines)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write the briefing of a period as a PowerPoint deck, an HTML page or a PDF."""
    from analysis.briefing.content import ReportError
    from analysis.briefing.report import write_report  # plotly and python-pptx load only here

    try:
        path = write_report(
            Store(args.store),
            args.out,
            period=args.period,
            as_of=args.as_of,
            lang=args.lang,
            region=args.region,
            with_map=not args.no_map,
        )
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _emit({"out": str(path.resolve())}, args.json, [f"wrote {path.resolve()}"])
    return 0


EMERGING_FIELDS = [
    "topic_id", "topic_label", "status", "effect", "p_value", "p_adjusted",
    "articles", "outlets", "provinces", "new_source", "outside_share", "baseline_days",
    "explanation_id", "explanation_en",
]  # fmt: skip


def baseline_words(ranked: pd.DataFrame, args: argparse.Namespace) -> str:
    """'the 28d before', or the shorter baseline used where outlets were added inside it."""
    from analysis.trends.emerging import used_baseline_days

    asked = pd.Timedelta(args.baseline.upper()).days
    used = used_baseline_days(ranked, asked)
    if used == asked:
        return f"the {args.baseline} before"
    return (
        f"the {used}d before (not {args.baseline}: outlets added inside it are compared "
        "like for like from the day they were added)"
    )


def cmd_emerging(args: argparse.Namespace) -> int:
    """Print the topics rising (or fading) in a recent window against a baseline, ranked."""
    from analysis.briefing import content
    from analysis.trends.cube import coverage_cube
    from analysis.trends.emerging import emerging_topics

    store = Store(args.store)
    try:
        topics, assignments, _ = content.visible_topics_and_assignments(store)
        as_of = content.checked_day(args.as_of) if args.as_of else content.latest_day(store)
        filters = content.region_filter(args.region)
    except content.ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    articles = content.topic_articles(store, assignments)
    cube = coverage_cube(articles.assign(topic_id=articles["topic_id"].fillna(-1).astype(int)))
    ranked = emerging_topics(
        cube, as_of, args.window.upper(), args.baseline.upper(), topics=topics, **filters
    )
    ranked = ranked[ranked["topic_id"] >= 0][EMERGING_FIELDS]
    if args.json:
        print(json.dumps(ranked.to_dict("records"), ensure_ascii=False, default=float))
        return 0
    explanation = "explanation_en" if args.lang == "en" else "explanation_id"
    print(f"as of {as_of:%Y-%m-%d}: last {args.window} against {baseline_words(ranked, args)}")
    for row in ranked.head(args.top).itertuples():
        print(f"{row.status:<10} {row.topic_label[:48]:<48} {getattr(row, explanation)}")
    return 0


def watch_channels(args: argparse.Namespace) -> list:
    """Where the watcher's alerts go: a JSON Lines file, a webhook, e-mail (any of them)."""
    from analysis.watch.deliver import JsonLinesFile, Mail, Webhook

    channels: list = [JsonLinesFile(Path(args.alerts))] if args.alerts else []
    channels += [Webhook(args.webhook)] if args.webhook else []
    if args.smtp:
        host, _, port = args.smtp.partition(":")
        if not args.mail_to or not args.mail_from:
            raise ValueError("--smtp needs --mail-from and at least one --mail-to")
        password = os.environ.get("SOROTAN_SMTP_PASSWORD")
        mail = Mail(
            host,
            int(port or 25),
            args.mail_from,
            tuple(args.mail_to),
            user=args.smtp_user,
            password=password,
            starttls=args.smtp_starttls,
        )
        channels.append(mail)
    return channels


def cmd_watch(args: argparse.Namespace) -> int:
    """Keep the store fresh and send alerts: a round now, then every interval."""
    from analysis.watch.clock import QuietHours
    from analysis.watch.rounds import WatchSettings, watch
    from data.fetch import Feed, interval_seconds, load_allow_hosts, load_feeds

    try:
        feeds = (load_feeds(Path(args.feeds)) if args.feeds else []) + [
            Feed.from_url(url) for url in args.feed or []
        ]
        interval_seconds(args.every or "30m")  # a malformed interval is a user error here
        settings = WatchSettings(
            feeds=tuple(feeds),
            allow_hosts=tuple(load_allow_hosts(Path(args.feeds)) if args.feeds else ()),
            every=args.every or "30m",
            lang=args.lang,
            window=args.window,
            baseline=args.baseline,
            rebuild_hour=args.rebuild_hour,
            quiet_hours=QuietHours.parse(args.quiet_hours) if args.quiet_hours else None,
            timezone=args.timezone,
            fast=args.fast,
        )
        channels = watch_channels(args)
    except ValueError as exc:  # a feeds file, an interval, quiet hours or e-mail settings
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not channels:
        print(
            "no alert channel: alerts are counted, not sent (--alerts, --webhook, --smtp)",
            file=sys.stderr,
        )
    runs = args.runs if args.runs is not None else (None if args.every else 1)
    failed = watch(
        Store(args.store), settings, channels, lambda line: print(line, flush=True), runs=runs
    )
    return 1 if failed else 0


def watch_target(args: argparse.Namespace) -> tuple[str, str | None]:
    """The kind and value of the watch `watches add` was given."""
    if args.everywhere:
        return "region", None
    kind = next(k for k in ("query", "topic", "region") if getattr(args, k) is not None)
    return kind, getattr(args, kind)


def cmd_watches(args: argparse.Namespace) -> int:
    """Add, list or remove the store's watches."""
    from analysis.watch.watches import WatchError, add_watch, load_watches, remove_watch

    store = Store(args.store)
    try:
        if args.action == "add":
            kind, value = watch_target(args)
            watches = [add_watch(store, kind, value, args.name)]
        elif args.action == "remove":
            watches = [remove_watch(store, args.id)]
        else:
            watches = load_watches(store)
    except WatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rows = [watch.to_dict() for watch in watches]
    lines = [f"{w.id:<5} {w.kind:<6} {w.value or '*':<24} {w.name}" for w in watches]
    _emit(rows if args.action == "list" else rows[0], args.json, lines or ["no watches"])
    return 0


WIB = "Asia/Jakarta"


def _topic_names(store: Store) -> pd.DataFrame:
    """article_id, topic_id and topic (its name, with the user's edits) of every assigned article;
    no rows before the first build."""
    from analysis.briefing import content

    if store.current_build() is None:
        return pd.DataFrame({"article_id": [], "topic_id": [], "topic": []})
    topics, assignments, _ = content.visible_topics_and_assignments(store)
    names = topics.set_index("topic_id")["label"]
    return assignments.assign(topic=assignments["topic_id"].map(names))[
        ["article_id", "topic_id", "topic"]
    ]


def _search_rows(found: pd.DataFrame, topics: pd.DataFrame) -> list[dict[str, Any]]:
    """Search results as JSON records, best first."""
    joined = found.merge(topics, on="article_id", how="left")
    return [
        {
            "rank": rank,
            "score": round(float(row.score), 4),
            "title": row.title,
            "title_highlights": [list(span) for span in row.title_snippet.marks],
            "snippet": row.snippet.text,
            "highlights": [list(span) for span in row.snippet.marks],
            "date": None
            if pd.isna(row.published_at)
            else pd.Timestamp(row.published_at).tz_convert(WIB).isoformat(),
            "outlet": row.source,
            "url": row.url,
            "topic_id": None if pd.isna(row.topic_id) else int(row.topic_id),
            "topic": row.topic if isinstance(row.topic, str) else None,
            "article_id": row.article_id,
        }
        for rank, row in enumerate(joined.itertuples(), start=1)
    ]


def _search_error(message: str, as_json: bool) -> int:
    """Say why a search cannot run (one JSON object with --json); exit code 2."""
    if as_json:
        print(json.dumps({"error": message}, ensure_ascii=False))
    else:
        print(f"error: {message}", file=sys.stderr)
    return 2


def cmd_search(args: argparse.Namespace) -> int:
    """Print the articles that best match a keyword query, with a snippet of each."""
    from analysis.trends.search import SearchError, day_number, parsed_query, search
    from data.search.index import Where

    store = Store(args.store)
    if not store.exists():
        return _search_error(
            f"no store at {store.path}; ingest news first (python -m data ingest PATH --store "
            f"{store.path})",
            args.json,
        )
    try:
        where = Where(
            day_number(args.since), day_number(args.until), args.province, args.language,
            tuple(args.outlet or ()),
        )  # fmt: skip
        parsed = parsed_query(args.query)
        topics = _topic_names(store)
        among = None
        if args.topic is not None:
            among = topics.loc[topics["topic_id"] == args.topic, "article_id"].tolist()
        found, total = search(store, args.query, where=where, limit=args.limit, among=among)
    except (SearchError, StoreError, ValueError) as exc:
        return _search_error(str(exc), args.json)
    rows = _search_rows(found, topics)
    if args.json:
        print(
            json.dumps(
                {"query": args.query, "read_as_words": parsed.as_words, "total": total,
                 "results": rows},
                ensure_ascii=False,
            )
        )  # fmt: skip
        return 0
    if parsed.as_words:
        print("the query's operators or parentheses do not parse: searched for its words")
    print(f"{total:,} articles match {args.query!r}" + (f", the best {len(rows)}:" if rows else ""))
    for row, found_row in zip(rows, found.itertuples(), strict=True):
        where_when = " · ".join(
            str(part)
            for part in ((row["date"] or "undated")[:10], row["outlet"], row["topic"])
            if part
        )
        print(f"{row['rank']:>3}. {found_row.title_snippet.marked('[', ']')}  ({row['score']:.2f})")
        print(f"     {where_when}")
        if found_row.snippet.text:
            print(f"     {found_row.snippet.marked('[', ']')}")
        if row["url"]:
            print(f"     {row['url']}")
    return 0


def parser() -> argparse.ArgumentParser:
    """The command line of `python -m analysis`."""
    top = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--store", help="store folder (default: $SOROTAN_STORE or ./store)")
        sub.add_argument("--json", action="store_true", help="print one JSON object on stdout")
        sub.add_argument("--quiet", action="store_true", help="no progress bars")

    build = commands.add_parser("build", help="fit topics on the whole store")
    cluster.add_cluster_options(build)
    common(build)
    build.add_argument(
        "--embedding",
        default=DEFAULT_EMBEDDING,
        help=f"embedding backend: {', '.join(embedding_names())} (default {DEFAULT_EMBEDDING})",
    )
    build.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    build.add_argument(
        "--fast",
        action="store_true",
        help="a quick first look: small LSA, PCA and k-means (seconds; coarser topics)",
    )
    build.set_defaults(run=cmd_build)

    update = commands.add_parser("update", help="assign new articles to the current topics")
    cluster.add_cluster_options(update)
    common(update)
    update.set_defaults(run=cmd_update)

    report = commands.add_parser("report", help="write the briefing of a period (pptx, html, pdf)")
    common(report)
    report.add_argument(
        "--period",
        default="7d",
        help="7d, 30d (ending on --as-of) or YYYY-MM-DD:YYYY-MM-DD (default 7d)",
    )
    report.add_argument("--as-of", help="last day of a 7d/30d period (default: latest article)")
    report.add_argument("--lang", choices=["id", "en"], default="id", help="language (default id)")
    report.add_argument("--region", help="province (36) or regency (36.73) code")
    report.add_argument("--out", required=True, help="FILE.pptx, FILE.html or FILE.pdf")
    report.add_argument("--no-map", action="store_true", help="no map picture in a deck (faster)")
    report.set_defaults(run=cmd_report)

    emerging = commands.add_parser("emerging", help="topics rising or fading, ranked")
    common(emerging)
    emerging.add_argument("--as-of", help="last day of the window (default: latest article)")
    emerging.add_argument("--window", default="7d", help="recent window (default 7d)")
    emerging.add_argument("--baseline", default="28d", help="baseline before it (default 28d)")
    emerging.add_argument("--region", help="province (36) or regency (36.73) code")
    emerging.add_argument("--lang", choices=["id", "en"], default="id", help="explanations")
    emerging.add_argument("--top", type=int, default=20, help="rows to print (default 20)")
    emerging.set_defaults(run=cmd_emerging)

    watch = commands.add_parser("watch", help="fetch, update, rebuild and alert, every interval")
    watch.add_argument("--store", help="store folder (default: $SOROTAN_STORE or ./store)")
    watch.add_argument("--feeds", help="feeds file (TOML), see data/feeds.example.toml")
    watch.add_argument("--feed", action="append", metavar="URL", help="a feed URL (repeatable)")
    watch.add_argument("--every", help="interval between rounds (30m, 1h); default: one round")
    watch.add_argument("--runs", type=int, help="stop after N rounds")
    watch.add_argument("--alerts", metavar="FILE.jsonl", help="append alerts to a JSON Lines file")
    watch.add_argument("--webhook", metavar="URL", help="POST each alert as JSON to this URL")
    watch.add_argument("--smtp", metavar="HOST[:PORT]", help="send alerts by e-mail via SMTP")
    watch.add_argument("--mail-from", help="the alerts' sender address")
    watch.add_argument("--mail-to", action="append", help="a recipient (repeatable)")
    watch.add_argument("--smtp-user", help="SMTP login ($SOROTAN_SMTP_PASSWORD: its password)")
    watch.add_argument("--smtp-starttls", action="store_true", help="STARTTLS before sending")
    watch.add_argument("--quiet-hours", metavar="22-06", help="hold webhook and e-mail alerts")
    watch.add_argument("--rebuild-hour", type=int, default=3, help="when a due rebuild may run")
    watch.add_argument("--timezone", default="Asia/Jakarta", help="of the hours (default WIB)")
    watch.add_argument("--lang", choices=["id", "en"], default="id", help="alerts' language")
    watch.add_argument("--window", default="7d", help="emerging: recent window (default 7d)")
    watch.add_argument("--baseline", default="28d", help="emerging: baseline (default 28d)")
    watch.add_argument("--fast", action="store_true", help="builds with `build --fast`")
    watch.set_defaults(run=cmd_watch)

    watches = commands.add_parser("watches", help="add, list or remove watches")
    actions = watches.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="save a watch on a query, a topic or a region")
    target = add.add_mutually_exclusive_group(required=True)
    target.add_argument("--query", help="keyword query: fires on new articles that match")
    target.add_argument("--topic", help="topic id: fires when the topic emerges")
    target.add_argument("--region", help="province/regency code: fires when a topic emerges there")
    target.add_argument("--everywhere", action="store_true", help="fires when any topic emerges")
    add.add_argument("--name", help="the watch's name (default: its query, topic or region)")
    remove = actions.add_parser("remove", help="remove a watch")
    remove.add_argument("id", help="the watch's id (w1, w2, ...)")
    listing = actions.add_parser("list", help="list the watches")
    for sub in (add, remove, listing):
        common(sub)
        sub.set_defaults(run=cmd_watches)

    find = commands.add_parser("search", help="articles that best match a keyword query")
    common(find)
    find.add_argument("query", help='words, "a phrase", AND/OR/NOT (DAN/ATAU/BUKAN), ( )')
    find.add_argument("--limit", type=int, default=10, help="results to show (default 10)")
    find.add_argument("--since", help="first day, YYYY-MM-DD (WIB)")
    find.add_argument("--until", help="last day, YYYY-MM-DD (WIB)")
    find.add_argument("--province", help="province code, e.g. 32")
    find.add_argument("--language", help="article language: id, ms, en, jv, other")
    find.add_argument("--outlet", action="append", help="an outlet's name (repeatable)")
    find.add_argument("--topic", type=int, help="a topic id of the current build")
    find.set_defaults(run=cmd_search)
    return top


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; user errors print a message and exit 2, never a traceback."""
    args = parser().parse_args(argv)
    try:
        with cluster.for_command(args):
            return args.run(args)
    except (BuildError, StoreError, cluster.ClusterError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (OSError, pa.ArrowException) as exc:  # a damaged build file, an unwritable --out
        print(
            f"error: {type(exc).__name__}: {exc}. A damaged topic build is replaced by "
            "`python -m analysis build`",
            file=sys.stderr,
        )
        return 2
