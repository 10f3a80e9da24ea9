"""The benchmark's smallest path runs end to end and writes the figures it promises."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from bench.cleaning import marker_shares, reference_day
from bench.measure import growth_exponent
from bench.quality import article_labels, partition_quality
from bench.report import targets, vanilla_comparison

ROOT = Path(__file__).resolve().parents[1]
ROW_KEYS = {
    "stage",
    "size",
    "run",
    "items",
    "seconds",
    "items_per_s",
    "cpu_seconds",
    "items_per_cpu_s",
    "peak_rss_mb",
    "error",
    "notes",
}


@pytest.fixture(scope="module")
def smallest_run(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("bench")
    out = work / "bench.json"
    command = [
        sys.executable,
        "-m",
        "bench",
        "--sizes",
        "300",
        "--stages",
        "ingest,aggregate",
        "--part-rows",
        "0",
        "--work",
        str(work),
        "--json",
        str(out),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return {"stdout": done.stdout, "json": json.loads(out.read_text())}


def test_smallest_run_has_a_row_per_job(smallest_run):
    rows = smallest_run["json"]["stages"]
    assert [r["stage"] for r in rows] == ["corpus", "ingest", "aggregate"]
    assert all(set(r) == ROW_KEYS for r in rows)
    assert all(r["size"] == 300 and r["error"] is None for r in rows)


def test_smallest_run_counts_every_row_and_measures_each_process(smallest_run):
    rows = {r["stage"]: r for r in smallest_run["json"]["stages"]}
    assert rows["ingest"]["items"] == 300
    counts = smallest_run["json"]["runs"][0]["jobs"]["ingest"]["counts"]
    assert counts["read"] == counts["added"] + counts["duplicate"] + counts["quarantined"]
    assert rows["aggregate"]["items"] == counts["added"]
    for row in rows.values():
        assert row["seconds"] > 0 and row["peak_rss_mb"] > 10 and row["cpu_seconds"] > 0
        assert row["items_per_s"] == round(row["items"] / row["seconds"], 1)
    run = smallest_run["json"]["runs"][0]["jobs"]["ingest"]
    assert run["process_seconds"] >= run["seconds"] and run["process_cpu_seconds"] > 0


def test_smallest_run_reports_targets_and_prints_tables(smallest_run):
    data = smallest_run["json"]
    assert set(data) == {"meta", "options", "runs", "stages", "growth", "vanilla", "targets"}
    assert [t["target"] for t in data["targets"]] == ["ingest >= 2,000 articles/s"]
    assert data["growth"] == {} and data["vanilla"] == []
    assert "| ingest (end to end)" in smallest_run["stdout"]


def test_bad_stage_is_a_user_error():
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--stages", "ingest,bake"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: unknown stage(s) bake")


def test_growth_exponent_is_the_log_log_slope():
    assert growth_exponent([1_000, 10_000, 100_000], [1.0, 10.0, 100.0]) == 1.0
    assert growth_exponent([1_000, 10_000], [2.0, 200.0]) == 2.0
    assert growth_exponent([1_000], [1.0]) is None


def test_reference_day_reads_the_plain_formats():
    assert reference_day("06 Jun 2025 21:02") == "2025-06-06"
    assert reference_day("Kamis, 10 Juni 2025 |04:01 WIB") == "2025-06-10"
    assert reference_day("Koran - 10/06/2025, 21:23 WIB") == "2025-06-10"
    assert reference_day("2018-12-31") == "2018-12-31"
    assert reference_day("June 9, 2025") == "2025-06-09"
    assert reference_day("Tidak Ditemukan") is None
    assert reference_day("31/02/2025") is None


def test_marker_shares_ignore_case():
    raw = pd.Series(["Isi. BACA JUGA: lain", "Isi. advertisement", "Isi."])
    cleaned = pd.Series(["Isi. baca juga lain", "Isi.", "Isi."])
    shares = marker_shares(raw, cleaned)
    assert shares["Baca juga"] == {"before": round(1 / 3, 4), "after": round(1 / 3, 4), "left": 1}
    assert shares["ADVERTISEMENT"] == {"before": round(1 / 3, 4), "after": 0.0, "left": 0}


def test_labels_come_from_category_then_url_section():
    articles = pd.DataFrame(
        {
            "article_id": ["a", "b", "c", "d"],
            "url": [
                "https://cekfakta.example.id/1",
                "https://regional.kompas.com/read/2018/01/02/x",
                "https://www.kompas.com/read/2018/01/02/y",
                "https://nasional.kompas.com/read/2018/01/03/z",
            ],
            "category": [" Politik ", None, "", "Hukum"],
            "file": ["/in/fakta.csv", "/in/t/q1.csv", "/in/t/q1.csv", "/in/t/q2.csv"],
        }
    )
    labels = article_labels(articles)
    assert labels.to_dict("list") == {
        "article_id": ["a", "b", "d"],
        "label": ["politik", "regional", "hukum"],
        "label_source": ["fakta.csv", "kompas URL section", "q2.csv"],
    }


def test_partition_quality_counts_unassigned_as_one_cluster():
    labels = pd.Series(["x", "x", "y", "y"])
    perfect = partition_quality(labels, pd.Series([0, 0, 1, 1]))
    assert perfect == {
        "n": 4,
        "n_labels": 2,
        "n_topics": 2,
        "nmi": 1.0,
        "ari": 1.0,
        "nmi_assigned": 1.0,
        "outlier_share": 0.0,
    }
    unassigned = partition_quality(labels, pd.Series([0, -1, 1, -1]))
    assert unassigned["outlier_share"] == 0.5 and unassigned["nmi"] < 1.0
    assert unassigned["nmi_assigned"] == 1.0


def _run_with_fits(size: int, fits: list[tuple[int, float, float]]) -> dict:
    fit = {
        "items": size,
        "seconds": 200.0,
        "cpu_seconds": 180.0,
        "peak_rss_mb": 2_000.0,
        "build": {"n_articles": size, "n_topics": 90, "timings": {"embed": 50.0}},
    }
    vanilla = [
        {
            "items": n,
            "seconds": s,
            "cpu_seconds": s / 2,
            "peak_rss_mb": mb,
            "n_topics": 300,
            "outlier_share": 0.4,
        }
        for n, s, mb in fits
    ]
    return {"size": size, "jobs": {"fit": fit, "vanilla": vanilla}}


def test_vanilla_is_extrapolated_with_the_exponent_of_its_two_fits():
    run = _run_with_fits(100_000, [(20_000, 100.0, 1_000.0), (10_000, 40.0, 600.0)])
    comparison = vanilla_comparison(run)
    slope = math.log(100 / 40) / math.log(2)
    vanilla_fit = 100 * 5**slope
    assert comparison["extrapolated"] and comparison["slope"] == round(slope, 2)
    assert comparison["vanilla_seconds"] == round(50 + vanilla_fit, 1)
    assert comparison["time_ratio"] == round((50 + vanilla_fit) / 200, 2)
    assert comparison["fit_only_ratio"] == round(vanilla_fit / 150, 2)
    assert comparison["vanilla_rss_mb"] == 1_000 + 0.04 * 80_000
    assert comparison["memory_ratio"] == round(4_200 / 2_000, 2)
    assert comparison["cpu_ratio_without_embedding"] == round(vanilla_fit / 2 / 180, 2)


def test_vanilla_on_every_article_is_not_extrapolated():
    comparison = vanilla_comparison(_run_with_fits(10_000, [(10_000, 300.0, 900.0)]))
    assert not comparison["extrapolated"]
    assert comparison["time_ratio"] == round(350 / 200, 2)
    assert comparison["memory_ratio"] == 0.45


def test_speed_targets_are_3x_at_5k_and_10x_at_100k_only():
    runs = [
        _run_with_fits(5_000, [(5_000, 550.0, 900.0)]),  # (50 + 550) / 200: 3x
        _run_with_fits(10_000, [(10_000, 3_000.0, 900.0)]),
        _run_with_fits(100_000, [(20_000, 100.0, 1_000.0), (10_000, 50.0, 600.0)]),
    ]
    comparisons = [vanilla_comparison(r) for r in runs]
    checks = [t for t in targets(runs, comparisons) if t["target"].startswith("build >=")]
    assert [(t["target"], t["run"], t["met"]) for t in checks] == [
        ("build >= 3x faster than vanilla", "5,000", True),
        ("build >= 3x faster than vanilla", "10,000", None),
        ("build >= 10x faster than vanilla", "100,000", False),
    ]
    assert checks[0]["value"] == "3.0x (CPU 1.5x)"
