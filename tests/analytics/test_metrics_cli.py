"""The real `shopops` command (subprocess, tests/cli/test_cli.py's `run` helper) on a small demo install."""

from __future__ import annotations

import json

import pytest

from shopops.core.money import parse_fen
from tests.cli.test_cli import SMALL, run


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("metrics-demo")
    result = run("demo", *SMALL, "--password", "Demo-pass-2026", "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir, json.loads(result.stdout)


def test_shopops_metrics_json(demo):
    data_dir, _summary = demo
    result = run("metrics", "--from", "2026-11-01", "--to", "2026-11-20", "--by", "channel", "--json",
                 data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["rows"] and data["totals"]["orders"] > 0
    assert sum(parse_fen(r["gmv"]) for r in data["rows"]) == parse_fen(data["totals"]["gmv"])
    assert sum(r["buyers"] for r in data["rows"]) >= data["totals"]["buyers"]


def test_shopops_products_and_gmv_explain_json(demo):
    data_dir, _summary = demo
    products = run("products", "analyze", "--from", "2026-11-01", "--to", "2026-11-20", "--json", data_dir=data_dir)
    assert products.returncode == 0, products.stderr
    assert json.loads(products.stdout)["totals"]["skus_sold"] > 0
    explain = run("gmv", "explain", "--from", "2026-11-11", "--to", "2026-11-20", "--vs", "2026-11-01..2026-11-10",
                  "--by", "channel", "--json", data_dir=data_dir)
    assert explain.returncode == 0, explain.stderr
    data = json.loads(explain.stdout)
    assert sum(data["total"]["parts_fen"].values()) == data["total"]["change_fen"]


def test_shopops_metrics_bad_input_exits_2(demo):
    data_dir, _summary = demo
    result = run("metrics", "--from", "2026-11-01", "--to", "nope", "--json", data_dir=data_dir)
    assert result.returncode == 2 and "to" in result.stderr
    result = run("gmv", "explain", "--from", "2026-11-01", "--to", "2026-11-02", "--vs", "x", data_dir=data_dir)
    assert result.returncode == 2 and "vs" in result.stderr
