"""Figures derived from the benchmark's runs, the targets, and the tables printed for people.

    python -m bench.report RUN.json [RUN.json ...]   (repo root)

prints the tables of one or more `python -m bench --json` files together (for example a run at 10k
and 100k and another at 1M), with growth exponents and targets computed over all of them. Runs of
the same corpus are merged, a later file's jobs replacing an earlier one's.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from bench.measure import growth_exponent
from bench.stages import STAGE_NAMES, Result, rate, run_label
from bench.tables import rendered

MIN_SLOPE, MAX_SLOPE = 1.0, 2.0  # bounds of the time exponent used to extrapolate vanilla
TARGET_INGEST_RATE = 2_000
TARGET_BUILD_SIZE = 100_000
TARGET_BUILD_SECONDS = 300
#: How many times faster than vanilla BERTopic a build must be, by corpus size (issue 15).
TARGET_SPEEDUPS = {5_000: 3, 100_000: 10}
TARGET_UPDATE_SECONDS = 10
TARGET_VIEW_SIZE = 1_000_000
TARGET_VIEW_SECONDS = 0.2
TARGET_APP_MB = 3 * 1024
FLAT_MEMORY = 1.10  # many files may use at most 10% more memory than few


def stage_row(run: Result, job: str, result: Result) -> Result:
    """One table row: what a job processed, in how long, with how much memory."""
    items, seconds = result.get("items", 0), result.get("seconds", 0.0)
    return {
        "stage": job,
        "size": run.get("size"),
        "run": run_label(run),
        "items": items,
        "seconds": seconds,
        "items_per_s": rate(items, seconds),
        "cpu_seconds": result.get("cpu_seconds"),
        "items_per_cpu_s": rate(items, result.get("cpu_seconds")),
        "peak_rss_mb": result.get("peak_rss_mb"),
        "error": result.get("error"),
        "notes": result.get("notes", []),
    }


def stage_rows(runs: list[Result]) -> list[Result]:
    """Every job of every run as a row, vanilla fits included."""
    rows = []
    for run in runs:
        for job, result in run["jobs"].items():
            results = result if isinstance(result, list) else [result]
            rows += [stage_row(run, job, r) for r in results]
    return rows


def growth(runs: list[Result]) -> dict[str, Result]:
    """Per job: exponent of seconds and of peak RSS against the corpus size, over synthetic runs."""
    sized = [r for r in runs if r.get("size")]
    out = {}
    for job in STAGE_NAMES:
        points = [
            (run["size"], run["jobs"][job])
            for run in sized
            if isinstance(run["jobs"].get(job), dict) and not run["jobs"][job].get("error")
        ]
        if len({size for size, _ in points}) < 2:
            continue
        sizes = [size for size, _ in points]
        out[job] = {
            "sizes": sizes,
            "seconds": growth_exponent(sizes, [r["seconds"] for _, r in points]),
            "peak_rss_mb": growth_exponent(sizes, [r["peak_rss_mb"] for _, r in points]),
        }
    return out


def _extrapolated_vanilla(fits: list[Result], n: int) -> Result:
    """Vanilla seconds and peak RSS at n articles, extrapolated from fits on fewer."""
    # time: the exponent of the two largest fits (linear with one fit); memory: linear in the
    # articles (as measured with one fit)
    big = max(fits, key=lambda r: r["items"])
    if len(fits) < 2:
        slope, per_item = 1.0, 0.0
    else:
        small = sorted(fits, key=lambda r: -r["items"])[1]
        slope = math.log(big["seconds"] / small["seconds"]) / math.log(
            big["items"] / small["items"]
        )
        slope = min(MAX_SLOPE, max(MIN_SLOPE, slope))
        per_item = (big["peak_rss_mb"] - small["peak_rss_mb"]) / (big["items"] - small["items"])
    scale = (n / big["items"]) ** slope
    return {
        "seconds": big["seconds"] * scale,
        "cpu_seconds": big["cpu_seconds"] * scale,
        "peak_rss_mb": big["peak_rss_mb"] + max(0.0, per_item) * (n - big["items"]),
        "slope": round(slope, 2),
    }


def _quality_ratios(vanilla: Result) -> Result:
    """Product over vanilla NMI and ARI and both unassigned shares, per label source."""
    out = {}
    for source, v in vanilla.get("quality", {}).get("vanilla", {}).items():
        p = vanilla["quality"]["product"].get(source)
        if p is None:
            continue
        out[source] = {
            "n": v["n"],
            "nmi_product": p["nmi"],
            "nmi_vanilla": v["nmi"],
            "nmi_ratio": round(p["nmi"] / v["nmi"], 3) if v["nmi"] else None,
            "ari_product": p["ari"],
            "ari_vanilla": v["ari"],
            "ari_ratio": round(p["ari"] / v["ari"], 3) if v["ari"] else None,
            "outlier_share_product": p["outlier_share"],
            "outlier_share_vanilla": v["outlier_share"],
        }
    return out


def _embed_seconds(fit: Result, fits: list[Result], n: int) -> float:
    """Seconds to embed n articles: the build's own figure (its sample's embedding, and the
    reading, embedding and assignment of every article), else the vanilla job's rate."""
    if fit.get("build", {}).get("n_articles") == n and "embed" in fit["build"]["timings"]:
        timings = fit["build"]["timings"]
        return timings["embed"] + timings.get("assign", 0.0)
    part = fits[0]["parts"]["embed (the build's embedder)"]
    return n / (part["items"] / part["seconds"])


def vanilla_comparison(run: Result) -> Result | None:
    """Vanilla BERTopic against the product's build on one run's articles, as ratios."""
    fit, fits = run["jobs"].get("fit"), run["jobs"].get("vanilla")
    if not fit or not fits or fit.get("error") or any(f.get("error") for f in fits):
        return None
    n = fit["items"]
    largest = max(fits, key=lambda r: r["items"])
    extrapolated = largest["items"] < n
    vanilla = (
        _extrapolated_vanilla(fits, n)
        if extrapolated
        else {key: largest[key] for key in ("seconds", "cpu_seconds", "peak_rss_mb")}
    )
    embed = _embed_seconds(fit, fits, n)
    fit_only = fit["seconds"] - embed
    return {
        "size": run.get("size"),
        "run": run_label(run),
        "articles": n,
        "vanilla_rows": [f["items"] for f in fits],
        "extrapolated": extrapolated,
        "slope": vanilla.get("slope"),
        "product_seconds": round(fit["seconds"], 1),
        "vanilla_seconds": round(embed + vanilla["seconds"], 1),
        "time_ratio": round((embed + vanilla["seconds"]) / fit["seconds"], 2),
        "fit_only_ratio": round(vanilla["seconds"] / fit_only, 2) if fit_only > 0 else None,
        "cpu_ratio_without_embedding": round(vanilla["cpu_seconds"] / fit["cpu_seconds"], 2),
        "product_rss_mb": fit["peak_rss_mb"],
        "vanilla_rss_mb": round(vanilla["peak_rss_mb"], 1),
        "memory_ratio": round(vanilla["peak_rss_mb"] / fit["peak_rss_mb"], 2),
        "vanilla_topics": largest.get("n_topics"),
        "vanilla_outlier_share": largest.get("outlier_share"),
        "product_topics": fit.get("build", {}).get("n_topics"),
        "quality": _quality_ratios(largest),
    }


def _target(name: str, run: str, value: str, met: bool | None) -> Result:
    return {"target": name, "run": run, "value": value, "met": met}


def _job_of(run: Result, job: str) -> Result | None:
    result = run["jobs"].get(job)
    return result if isinstance(result, dict) and not result.get("error") else None


def targets(runs: list[Result], comparisons: list[Result]) -> list[Result]:
    """Each product target checked against every run that measures it."""
    out = []
    for run in runs:
        label = run_label(run)
        ingest = _job_of(run, "ingest")
        if ingest and ingest["seconds"]:
            rate = ingest["items"] / ingest["seconds"]
            out.append(
                _target(
                    "ingest >= 2,000 articles/s",
                    label,
                    f"{rate:,.0f}/s",
                    rate >= TARGET_INGEST_RATE,
                )
            )
        files = _job_of(run, "ingest_files")
        if ingest and files:
            ratio = files["peak_rss_mb"] / ingest["peak_rss_mb"]
            out.append(
                _target(
                    "ingest memory flat in number of files",
                    label,
                    f"{ingest['counts']['files']} files {ingest['peak_rss_mb']:.0f} MB, "
                    f"{files['files']} files {files['peak_rss_mb']:.0f} MB",
                    ratio <= FLAT_MEMORY,
                )
            )
        fit = _job_of(run, "fit")
        if fit and run.get("size") == TARGET_BUILD_SIZE:
            out.append(
                _target(
                    "build on 100k < 5 min",
                    label,
                    f"{fit['seconds']:,.0f} s",
                    fit["seconds"] < TARGET_BUILD_SECONDS,
                )
            )
        update = _job_of(run, "update")
        if update:
            out.append(
                _target(
                    "update of 1,000 < 10 s",
                    label,
                    f"{update['seconds']:.1f} s for {update['items']:,}",
                    update["seconds"] < TARGET_UPDATE_SECONDS,
                )
            )
        for job in ("views", "dashboard"):
            views = _job_of(run, job)
            if views:
                failed = views.get("failed", 0)
                fast = views["seconds"] < TARGET_VIEW_SECONDS and not failed
                out.append(
                    _target(
                        f"{STAGE_NAMES[job].split(' (')[0]} on 1M < 200 ms each",
                        label,
                        f"slowest {views['seconds'] * 1000:,.0f} ms"
                        + (f", {failed} failed" if failed else ""),
                        fast if (run.get("size") or 0) >= TARGET_VIEW_SIZE else None,
                    )
                )
        app = run["jobs"].get("app")
        if app:
            value = app.get("error") or f"{app['peak_rss_mb']:,.0f} MB"
            met = not app.get("error") and app["peak_rss_mb"] < TARGET_APP_MB
            out.append(_target("app RSS < 3 GB", label, value, met))
    for c in comparisons:
        speedup = TARGET_SPEEDUPS.get(c["size"])
        out.append(
            _target(
                f"build >= {speedup or min(TARGET_SPEEDUPS.values())}x faster than vanilla",
                c["run"],
                f"{c['time_ratio']:.1f}x (CPU {c['cpu_ratio_without_embedding']:.1f}x)"
                + (" (vanilla extrapolated)" if c["extrapolated"] else ""),
                c["time_ratio"] >= speedup if speedup else None,
            )
        )
        for source, q in c["quality"].items():
            out.append(
                _target(
                    f"NMI at least vanilla's ({source})",
                    c["run"],
                    f"{q['nmi_product']:.3f} vs {q['nmi_vanilla']:.3f}",
                    q["nmi_product"] >= q["nmi_vanilla"],
                )
            )
    return out


def summary(runs: list[Result]) -> Result:
    """Every derived figure of the runs: stage rows, growth, vanilla comparisons, targets."""
    comparisons = [c for c in map(vanilla_comparison, runs) if c is not None]
    return {
        "stages": stage_rows(runs),
        "growth": growth(runs),
        "vanilla": comparisons,
        "targets": targets(runs, comparisons),
    }


def merged_runs(runs: list[Result]) -> list[Result]:
    """Runs of the same corpus (size or data) as one, later jobs replacing earlier ones."""
    merged: dict[str, Result] = {}
    for run in runs:
        key = json.dumps([run.get("size"), run.get("data")])
        earlier = merged.get(key, {"jobs": {}})
        merged[key] = run | {"jobs": earlier["jobs"] | run["jobs"]}
    return list(merged.values())


def main(argv: list[str]) -> int:
    """Print the tables of several benchmark JSON files together."""
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    runs = merged_runs([run for path in argv for run in json.loads(Path(path).read_text())["runs"]])
    print(rendered(runs, summary(runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
