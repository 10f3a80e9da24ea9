"""The benchmark's figures as tables for people (Markdown, padded to read as plain text)."""

from __future__ import annotations

from typing import Any

from bench.stages import STAGE_NAMES, Result, rate, run_label


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table, padded so that it also reads well as plain text."""
    cells = [headers] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def _stage_table(rows: list[Result]) -> str:
    return table(
        ["stage", "size", "items", "seconds", "items/s", "CPU s", "items/CPU s", "peak RSS MB"],
        [
            [
                STAGE_NAMES.get(r["stage"], r["stage"]),
                r["run"],
                r["items"],
                r["seconds"] if not r["error"] else f"failed: {r['error']}",
                r["items_per_s"],
                r["cpu_seconds"],
                r["items_per_cpu_s"],
                r["peak_rss_mb"],
            ]
            for r in rows
        ],
    )


def _parts_table(runs: list[Result]) -> str:
    rows = []
    for run in runs:
        for job, result in run["jobs"].items():
            for r in result if isinstance(result, list) else [result]:
                for name, part in r.get("parts", {}).items():
                    rows.append(
                        [
                            STAGE_NAMES.get(job, job),
                            run_label(run),
                            name,
                            part["items"],
                            part["seconds"],
                            rate(part["items"], part["seconds"]),
                            part.get("cpu_seconds"),
                            part.get("extrapolated_seconds"),
                        ]
                    )
    headers = ["stage", "size", "part", "items", "seconds", "items/s", "CPU s", "extrapolated s"]
    return table(headers, rows)


def _vanilla_table(comparisons: list[Result]) -> str:
    return table(
        [
            "size",
            "vanilla fitted on",
            "product s",
            "vanilla s",
            "time ratio",
            "fit-only ratio",
            "CPU ratio, vanilla without embedding",
            "product MB",
            "vanilla MB",
            "memory ratio",
            "topics (product / vanilla)",
            "vanilla unassigned",
        ],
        [
            [
                c["run"],
                " + ".join(f"{n:,}" for n in c["vanilla_rows"])
                + (f" (extrapolated, exponent {c['slope']})" if c["extrapolated"] else ""),
                c["product_seconds"],
                c["vanilla_seconds"],
                c["time_ratio"],
                c["fit_only_ratio"],
                c["cpu_ratio_without_embedding"],
                c["product_rss_mb"],
                c["vanilla_rss_mb"],
                c["memory_ratio"],
                f"{c['product_topics']} / {c['vanilla_topics']}",
                c["vanilla_outlier_share"],
            ]
            for c in comparisons
        ],
    )


def _quality_table(comparisons: list[Result]) -> str:
    rows = [
        [
            c["run"],
            source,
            q["n"],
            q["nmi_product"],
            q["nmi_vanilla"],
            q["nmi_ratio"],
            q["ari_product"],
            q["ari_vanilla"],
            q["ari_ratio"],
            q["outlier_share_product"],
            q["outlier_share_vanilla"],
        ]
        for c in comparisons
        for source, q in c["quality"].items()
    ]
    return table(
        [
            "run",
            "labels",
            "articles",
            "NMI product",
            "NMI vanilla",
            "NMI ratio",
            "ARI product",
            "ARI vanilla",
            "ARI ratio",
            "unassigned product",
            "unassigned vanilla",
        ],
        rows,
    )


def _targets_table(checks: list[Result]) -> str:
    verdict = {True: "met", False: "MISSED", None: "(not at target size)"}
    return table(
        ["target", "run", "measured", "verdict"],
        [[t["target"], t["run"], t["value"], verdict[t["met"]]] for t in checks],
    )


def rendered(runs: list[Result], derived: Result) -> str:
    """Every table of a benchmark, as text."""
    from bench.cleaning import cleaning_lines

    sections = ["## Stages", _stage_table(derived["stages"])]
    if derived["growth"]:
        sections += [
            "## Growth exponents (slope of log time and log peak RSS against log corpus size)",
            table(
                ["stage", "sizes", "time exponent", "RSS exponent"],
                [
                    [
                        STAGE_NAMES[j],
                        ", ".join(f"{s:,}" for s in g["sizes"]),
                        g["seconds"],
                        g["peak_rss_mb"],
                    ]
                    for j, g in derived["growth"].items()
                ],
            ),
        ]
    sections += ["## Parts", _parts_table(runs)]
    if derived["vanilla"]:
        sections += [
            "## Vanilla BERTopic on the same articles and embeddings",
            _vanilla_table(derived["vanilla"]),
        ]
        if any(c["quality"] for c in derived["vanilla"]):
            sections += [
                "## Topic quality against labels (same articles)",
                _quality_table(derived["vanilla"]),
            ]
    for run in runs:
        cleaning = run["jobs"].get("cleaning")
        if cleaning and not cleaning.get("error"):
            ingest = run["jobs"].get("ingest", {})
            speed = {"articles_per_s": rate(ingest.get("items", 0), ingest.get("seconds", 0))}
            sections += ["## Cleaning quality", "\n".join(cleaning_lines(cleaning | speed))]
    notes = sorted(
        {
            f"{STAGE_NAMES.get(r['stage'], r['stage'])}: {n}"
            for r in derived["stages"]
            for n in r["notes"]
        }
    )
    if notes:
        sections += ["## Notes", "\n".join(f"- {n}" for n in notes)]
    sections += ["## Targets", _targets_table(derived["targets"])]
    return "\n\n".join(sections)
