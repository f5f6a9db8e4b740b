"""Every command that takes a file says what is wrong with it in one line and exits 2, never a traceback:
a missing file, a directory, an unreadable file, bad JSON, JSON nested too deep, a file in a missing folder."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_cli import SHOPOPS, SMALL, run


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("cli-errors")
    result = run("demo", *SMALL, "--password", "Demo-pass-2026", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("inputs")
    paths = {
        "missing": folder / "missing.json",
        "directory": folder,
        "bad_json": folder / "bad.json",
        "nested": folder / "nested.json",
        "not_utf8": folder / "gbk.json",
        "huge_int": folder / "huge-int.json",
        "empty": folder / "empty.json",
        "unreadable": folder / "unreadable.json",
        "under_a_file": folder / "bad.json" / "cart.json",
        "in_missing_folder": folder / "no-such-folder" / "out.csv",
    }
    paths["bad_json"].write_text("{not json", encoding="utf-8")
    paths["nested"].write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    paths["not_utf8"].write_bytes('{"lines": "购物车"}'.encode("gbk"))
    paths["huge_int"].write_text('{"lines": [{"qty": ' + "9" * 5000 + "}]}", encoding="utf-8")
    paths["empty"].write_text("", encoding="utf-8")
    paths["unreadable"].write_text("{}", encoding="utf-8")
    paths["unreadable"].chmod(0)
    return paths


def _assert_clean_exit_2(result: subprocess.CompletedProcess, mention: str = "") -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert mention in lines[0], lines[0]


@pytest.mark.parametrize("kind", ["missing", "directory", "bad_json", "nested", "not_utf8", "huge_int", "empty",
                                  "unreadable", "under_a_file"])
def test_price_quote_cart_file(kind, files, tmp_path):
    if kind == "unreadable" and os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = files[kind]
    _assert_clean_exit_2(run("price", "quote", "--cart", str(path), data_dir=tmp_path), path.name)


def test_price_quote_from_standard_input(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env["SHOPOPS_DATA_DIR"] = str(tmp_path)
    for text in ("{not json", "[" * 100_000):
        result = subprocess.run([SHOPOPS, "price", "quote", "--cart", "-"], input=text, capture_output=True,
                                text=True, env=env, timeout=120)
        _assert_clean_exit_2(result, "标准输入")  # the CLI speaks Chinese by default


def test_price_quote_still_reports_every_bad_field(tmp_path):
    cart = tmp_path / "cart.json"
    cart.write_text(json.dumps({"lines": [{"line": "1", "sku": "A", "shop": "S", "price": "99.00",
                                           "qty": 999_999_999_999}]}))
    result = run("price", "quote", "--cart", str(cart), data_dir=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "lines[0].qty" in result.stderr


@pytest.mark.parametrize("kind", ["missing", "directory", "unreadable", "under_a_file"])
def test_import_file(kind, files, installed):
    if kind == "unreadable" and os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = files[kind]
    _assert_clean_exit_2(run("import", "jd-orders", str(path), data_dir=installed), path.name)


def test_import_items_file(files, installed, tmp_path):
    orders = tmp_path / "taobao.csv"
    exported = run("export-sample", "taobao-orders", str(orders), data_dir=installed)
    assert exported.returncode == 0, exported.stderr
    _assert_clean_exit_2(run("import", "taobao-orders", str(orders), "--items", str(files["missing"]),
                             "--dry-run", data_dir=installed), files["missing"].name)


@pytest.mark.parametrize("kind", ["directory", "in_missing_folder"])
def test_export_sample_target(kind, files, installed):
    path = files[kind]
    _assert_clean_exit_2(run("export-sample", "jd-orders", str(path), data_dir=installed), path.name)


@pytest.mark.parametrize("kind", ["directory", "in_missing_folder"])
def test_campaign_review_xlsx_target(kind, files, installed):
    path = files[kind]
    _assert_clean_exit_2(run("campaign", "review", "1", "--xlsx", str(path), data_dir=installed), path.name)


def test_a_data_directory_that_cannot_be_created(files):
    data_dir = files["bad_json"] / "data"  # inside a file
    _assert_clean_exit_2(run("lake", "info", data_dir=data_dir), str(data_dir))
