"""`python -m data`: ingest files, fetch feeds, inspect and export the store, make the sample."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from data import cluster, readers
from data.cluster_ingest import ingest_paths
from data.pipeline import IngestReport
from data.schema import ARTICLE_COLUMNS
from data.spreadsheet import formula_safe
from data.stats import quality_summary, store_stats
from data.store import TABLES, Store, StoreError

EXPORT_TOPIC_COLUMNS = ["topic_id", "topic_label", "topic_confidence", "theme", "theme_label"]


class UserError(Exception):
    """A mistake in the command line or its inputs, reported without a traceback."""


class Stopped(UserError):
    """A command that stopped part-way (a full disk): why, and the report of what it did first."""

    def __init__(self, reason: str, report: dict[str, Any]) -> None:
        super().__init__(reason)
        self.report = report


def _progress(desc: str, quiet: bool) -> tqdm:
    return tqdm(desc=desc, unit=" rows", file=sys.stderr, disable=quiet, dynamic_ncols=True)


def _date_order_lines(date_order: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    """One line per date column whose numeric dates needed a day/month order."""
    return [
        f"date order   {file} [{column}]: {decided['order']} (by {decided['basis']})"
        for file, columns in date_order.items()
        for column, decided in columns.items()
        if decided["order"]
    ]


def _print_report(report: IngestReport) -> None:
    """The ingest counts as a short human-readable table."""
    counts = report.to_dict()
    print(f"files        {counts['files']}")
    print(f"read         {counts['read']:,}")
    print(f"added        {counts['added']:,}")
    kinds = ", ".join(f"{k} {v:,}" for k, v in counts["duplicates_by_kind"].items())
    print(f"duplicate    {counts['duplicate']:,}" + (f"  ({kinds})" if kinds else ""))
    print(f"quarantined  {counts['quarantined']:,}")
    for reason, n in sorted(counts["quarantined_by_reason"].items(), key=lambda kv: -kv[1]):
        print(f"  {n:>9,}  {reason}")
    print(f"undated      {counts['undated']:,}  (kept, flagged)")
    if counts["urls_not_web"]:
        print(
            f"not web URLs {counts['urls_not_web']:,}  (javascript:, data:, ...: not kept as URLs)"
        )
    for line in _date_order_lines(counts["date_order"]):
        print(line)
    for path, lines in counts["encodings"].items():
        print(f"encodings    {path}: " + ", ".join(f"{n:,} lines {e}" for e, n in lines.items()))
    for why in counts["unreadable_files"].values():
        print(f"unreadable   {why}", file=sys.stderr)


def _emit(report: IngestReport, as_json: bool) -> int:
    """Print a report; exit status 1 only when nothing at all could be read."""
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        _print_report(report)
    return 1 if report.read == 0 else 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest files, folders and article URLs; a missing or unreadable file is reported in the
    counts, and the others are ingested."""
    mapping = readers.parse_mapping(args.map) if args.map else None
    limits = readers.ReadLimits(args.max_rows, args.max_unpacked_mb)
    urls = [p for p in args.paths if p.startswith(("http://", "https://"))]
    paths = [Path(p) for p in args.paths if p not in urls]
    url_lists = [p for p in paths if p.suffix.lower() == ".urls"]
    paths = [p for p in paths if p not in url_lists]
    store = Store(args.store)
    report = IngestReport()
    with _progress("ingest", args.json) as bar:
        try:
            ingest_paths(
                paths,
                store,
                mapping=mapping,
                source=args.source,
                region=args.region,
                progress=bar.update,
                limits=limits,
                report=report,
            )
        except StoreError as exc:  # refused, or a write failed: what was committed stays
            raise Stopped(str(exc), report.to_dict()) from exc
    if url_lists:
        from data.fetch import read_url_list

        for path in url_lists:
            try:
                urls += read_url_list(path)
            except FileNotFoundError:
                report.unreadable_files[str(path)] = f"{path}: no such file"
            except (OSError, ValueError) as exc:  # unreadable, or a line that is not a URL
                report.unreadable_files[str(path)] = str(exc)
    if urls:
        from data.fetch import fetch_articles

        fetched = fetch_articles(store, urls)
        report.add(fetched.ingest)
        report.unreadable_files.update(
            {url: f"{url}: {why}" for url, why in fetched.errors.items()}
        )
    return _emit(report, args.json)


def cmd_stats(args: argparse.Namespace) -> int:
    """Print what the store holds."""
    store = Store(args.store)
    if not store.exists():
        raise UserError(f"{store.path} holds no store yet: run `python -m data ingest PATH` first")
    stats = store_stats(store)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
        return 0
    _print_tree(stats)
    return 0


def _print_tree(values: dict, indent: int = 0) -> None:
    """Nested figures as indented 'name  value' lines."""
    for key, value in values.items():
        if isinstance(value, dict):
            print(f"{' ' * indent}{key}:")
            _print_tree(value, indent + 2)
        else:
            print(f"{' ' * indent}{key:<{28 - indent}} {value}")


def export_frame(store: Store) -> pd.DataFrame:
    """One row per kept article, with the current build's topic columns when there is one."""
    articles = store.articles(list(ARTICLE_COLUMNS))
    topics = store.assignments()
    if topics.empty:
        return articles
    return articles.merge(
        topics[["article_id", *EXPORT_TOPIC_COLUMNS]], on="article_id", how="left"
    ).assign(topic_id=lambda f: f["topic_id"].fillna(-1).astype("int64"))


def cmd_export(args: argparse.Namespace) -> int:
    """Write every kept article to CSV or Parquet, with a data-quality summary beside it."""
    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".parquet"):
        raise UserError(f"--out must end in .csv or .parquet, not {out.name!r}")
    store = Store(args.store)
    if not store.exists():
        raise UserError(f"{store.path} holds no store yet: run `python -m data ingest PATH` first")
    frame = export_frame(store)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        formula_safe(frame).to_csv(out, index=False)  # no title runs as a spreadsheet formula
    else:
        frame.to_parquet(out, index=False)
    quality = quality_summary(frame, store.duplicates())
    summary = out.with_name(out.stem + ".quality.json")
    summary.write_text(json.dumps(quality, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {len(frame):,} articles to {out} and a data-quality summary to {summary}")
    return 0


def cmd_parts(args: argparse.Namespace) -> int:
    """Print the committed part files of a table (the Parquet dataset other tools should read),
    one path a line, or as a JSON list."""
    store = Store(args.store)
    if not store.exists():
        raise UserError(f"{store.path} holds no store yet: run `python -m data ingest PATH` first")
    paths = [str(path) for path in store.part_paths(args.table)]
    print(json.dumps(paths) if args.json else "\n".join(paths))
    return 0


def cmd_repair(args: argparse.Namespace) -> int:
    """Rebuild the manifest from the parts on disk, moving unreadable parts aside; say what it did."""
    store = Store(args.store)
    if not store.exists():
        raise UserError(f"{store.path} holds no store to repair")
    done = store.repair()
    if args.json:
        print(json.dumps(done, ensure_ascii=False))
        return 0
    print(f"manifest     {done['manifest']}; ingest log {done['ingest_log']}")
    for table, parts in done["parts"].items():
        print(f"{table:<12} {parts} parts, {done['rows'][table]:,} rows")
    for moved in done["set_aside"]:
        print(f"set aside    {moved['part']} -> {moved['moved_to']} ({moved['why']})")
    for path in done["missing"]:
        print(f"missing      {path} (listed, not on disk)")
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    """Generate the synthetic sample corpus and ingest it into a store."""
    from data.sample import write_sample

    store = Store(args.store)
    with tempfile.TemporaryDirectory() as tmp:
        print(
            f"generating {args.articles:,} synthetic articles (seed {args.seed})", file=sys.stderr
        )
        files = write_sample(Path(tmp), n_articles=args.articles, seed=args.seed)
        with _progress("ingest", args.json) as bar:
            report = ingest_paths(files, store, progress=bar.update)
    return _emit(report, args.json)


def cmd_fetch(args: argparse.Namespace) -> int:
    """Fetch feeds (once, or every interval) and ingest their new articles."""
    from data.fetch import Feed, fetch, load_allow_hosts, load_feeds, run_every

    feeds = (load_feeds(Path(args.feeds)) if args.feeds else []) + [
        Feed.from_url(url) for url in args.feed or []
    ]
    settings = {"allow_hosts": load_allow_hosts(Path(args.feeds)) if args.feeds else ()}
    if args.max_items is not None:
        settings["max_items"] = args.max_items
    if not feeds:
        raise UserError("nothing to fetch: give --feeds FILE or --feed URL")
    since = pd.Timestamp(args.since, tz="UTC") if args.since else None
    store = Store(args.store)

    def job() -> Any:
        with _progress("fetch", args.json) as bar:
            report = fetch(store, feeds, since=since, progress=bar.update, **settings)
        if args.json:
            print(json.dumps(report.to_dict(), ensure_ascii=False), flush=True)
        elif not args.every:  # run_every logs a summary line of every run itself
            print(report.summary(), flush=True)
            for url, why in report.errors.items():
                print(f"failed  {url}: {why}", file=sys.stderr)
        return report

    if args.every:
        run_every(args.every, job, log=lambda line: print(line, file=sys.stderr, flush=True))
        return 0
    report = job()
    return 0 if report.feeds_ok or not report.feeds_failed else 1


def parser() -> argparse.ArgumentParser:
    """The command line of the data layer."""
    top = argparse.ArgumentParser(prog="python -m data", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)

    def command(name: str, func: Callable[[argparse.Namespace], int], help_: str):
        p = sub.add_parser(name, help=help_, description=help_)
        p.add_argument("--store", help="store folder (default: $SOROTAN_STORE or ./store)")
        p.set_defaults(func=func)
        return p

    p = command("ingest", cmd_ingest, "ingest files, folders and article URLs into the store")
    cluster.add_cluster_options(p)
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="file, folder, article URL or FILE.urls (one URL a line)",
    )
    p.add_argument("--source", help="outlet name for every row (overrides the file's column)")
    p.add_argument("--region", help="province/regency for every row: code (36, 36.73) or name")
    p.add_argument("--map", help="column mapping, e.g. title=judul,text=isi")
    p.add_argument(
        "--max-rows",
        type=int,
        default=readers.MAX_ROWS,
        metavar="N",
        help=f"records read from one file; the rest is one quarantined record "
        f"(default {readers.MAX_ROWS:,})",
    )
    p.add_argument(
        "--max-unpacked-mb",
        type=int,
        default=readers.MAX_UNPACKED_MB,
        metavar="MB",
        help=f"what an .xlsx or Parquet file may unpack to (default {readers.MAX_UNPACKED_MB:,})",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object with the counts")

    p = command("stats", cmd_stats, "what the store holds, with a data-quality summary")
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = command("export", cmd_export, "write every kept article to CSV or Parquet")
    p.add_argument("--out", required=True, help="FILE.csv or FILE.parquet")

    p = command("parts", cmd_parts, "the committed Parquet parts of a table, for other tools")
    p.add_argument(
        "--table", choices=list(TABLES), default="articles", help="which table (default articles)"
    )
    p.add_argument("--json", action="store_true", help="print one JSON list")

    p = command("repair", cmd_repair, "rebuild the manifest from the parts, set damaged ones aside")
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = command("sample", cmd_sample, "generate the synthetic sample corpus and ingest it")
    cluster.add_cluster_options(p)
    p.add_argument("--articles", type=int, default=20_000, help="how many (default 20000)")
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument("--json", action="store_true", help="print one JSON object with the counts")

    p = command("fetch", cmd_fetch, "fetch RSS/Atom feeds and ingest new articles")
    cluster.add_cluster_options(p)
    p.add_argument("--feeds", help="feeds file (TOML), see data/feeds.example.toml")
    p.add_argument("--feed", action="append", metavar="URL", help="a feed URL (repeatable)")
    p.add_argument("--since", help="only items published after this date (YYYY-MM-DD)")
    p.add_argument("--every", help="keep running, fetching every interval (30m, 1h)")
    p.add_argument(
        "--max-items",
        type=int,
        metavar="N",
        help="new items fetched per feed per run; the rest wait for the next run (default 100)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object per run")
    return top


def main(argv: list[str] | None = None) -> int:
    """Run the command line; user errors print one clear line (with --json, also a JSON object
    {"error": ...} on standard output, beside the counts of an ingest that stopped part-way) and
    exit 2."""
    args = parser().parse_args(argv)
    try:
        with cluster.for_command(args):
            return args.func(args)
    except (
        UserError,
        StoreError,
        cluster.ClusterError,
        readers.ReaderError,
        ValueError,
        OSError,
    ) as exc:
        print(f"error: {exc}", file=sys.stderr)
        if getattr(args, "json", False):
            done = exc.report if isinstance(exc, Stopped) else {}
            print(json.dumps({**done, "error": str(exc)}, ensure_ascii=False))
        return 2
    except KeyboardInterrupt:
        print("interrupted: everything committed so far is kept", file=sys.stderr)
        return 130
