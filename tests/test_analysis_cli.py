"""`python -m analysis emerging`: the ranked list for scripts and scheduled alerts."""

from __future__ import annotations

import json

import pytest

from analysis.cli import main
from data.sample import PLANTED
from tests.dashboard_fixture import dashboard_store


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    return dashboard_store(tmp_path_factory)


def test_emerging_json_is_one_ranked_list(store_path, capsys):
    as_of = PLANTED.burst.end.isoformat()
    assert (
        main(
            ["emerging", "--store", str(store_path), "--as-of", as_of, "--window", "14d", "--json"]
        )
        == 0
    )
    rows = json.loads(capsys.readouterr().out)
    assert set(rows[0]) == {
        "topic_id", "topic_label", "status", "effect", "p_value", "p_adjusted",
        "articles", "outlets", "provinces", "new_source", "outside_share", "baseline_days",
        "explanation_id", "explanation_en",
    }  # fmt: skip
    assert {r["baseline_days"] for r in rows} == {28}  # the sample's outlets are collected alike
    assert all(r["new_source"] is (r["status"] == "new_source") for r in rows)
    order = {"new": 0, "rising": 0, "new_source": 1, "steady": 2, "fading": 3}
    assert [order[r["status"]] for r in rows] == sorted(order[r["status"]] for r in rows)
    assert all(r["explanation_en"] and r["explanation_id"] for r in rows)


def test_emerging_errors_are_one_line(store_path, capsys):
    assert main(["emerging", "--store", str(store_path), "--region", "99"]) == 2
    assert "unknown region" in capsys.readouterr().err
