"""`shopops service dsr [--from D --to D] [--json]`: the DSR contract {description, service, logistics, counted,
excluded}, its period, and bad input as a message with exit 2."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from shopops.service import services

SH = dt.timezone(dt.timedelta(hours=8))
SHOPOPS = str(Path(sys.executable).parent / "shopops")


@pytest.fixture
def vector(shop):
    """Buyer X rates 描述相符 5, 5, 5, 1 in March 2024; six other buyers 5, 4, 4, 5, 3, 5; one default review."""
    rows = [services.ReviewRow(f"X-{i}", "X", dt.datetime(2024, 3, 1 + i, 10, tzinfo=SH), description=s,
                               service=5, logistics=4) for i, s in enumerate((5, 5, 5, 1))]
    rows += [services.ReviewRow(f"O-{i}", f"B{i}", dt.datetime(2024, 3, 10 + i, 10, tzinfo=SH), description=s)
             for i, s in enumerate((5, 4, 4, 5, 3, 5))]
    rows.append(services.ReviewRow("D-1", "D", dt.datetime(2024, 3, 20, tzinfo=SH), text="系统默认好评"))
    services.reviews_upsert(shop=shop, channel="tmall", rows=rows)


def dsr(shop, *args: str) -> dict:
    out = io.StringIO()
    call_command("service", "dsr", "--shop", shop.code, "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_issue_vector_through_the_command(shop, vector):
    result = dsr(shop, "--to", "2024-04-01")
    assert {k: result[k] for k in ("description", "service", "logistics", "counted", "excluded")} == {
        "description": "4.56", "service": "5.00", "logistics": "4.00", "counted": 9, "excluded": 2}
    assert result["excluded_reasons"] == {"over_cap": 1, "default": 1}
    assert (result["from"], result["to"]) == ("2023-10-05", "2024-04-01")  # the 180-day window


def test_a_period_replaces_the_window(shop, vector):
    result = dsr(shop, "--from", "2024-03-10", "--to", "2024-03-31")
    assert (result["description"], result["service"], result["counted"], result["excluded"]) == ("4.33", None, 6, 1)


def test_no_ratings_give_null_scores(shop, vector):
    result = dsr(shop, "--to", "2025-06-01")
    assert (result["description"], result["service"], result["logistics"]) == (None, None, None)
    assert (result["counted"], result["excluded"]) == (0, 0)


def test_a_channel_filter(shop, vector):
    assert dsr(shop, "--to", "2024-04-01", "--channel", "jd")["counted"] == 0


def test_the_text_output_names_the_dimensions(shop, vector):
    out = io.StringIO()
    call_command("service", "dsr", "--shop", shop.code, "--to", "2024-04-01", "--language", "en", stdout=out)
    assert "Item as described (描述相符): 4.56" in out.getvalue() and "excluded: 2" in out.getvalue()


@pytest.mark.parametrize("args", [("--from", "2024-04-02", "--to", "2024-04-01"), ("--to", "tomorrow"),
                                  ("--from", "2024-02-30")])
def test_bad_dates_are_refused_with_exit_2(shop, args):
    with pytest.raises(CommandError) as refused:
        call_command("service", "dsr", "--shop", shop.code, *args, stdout=io.StringIO())
    assert refused.value.returncode == 2


def test_the_real_command_says_why_without_a_traceback(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env["SHOPOPS_DATA_DIR"] = str(tmp_path)
    run = lambda *a: subprocess.run([SHOPOPS, *a], capture_output=True, text=True, env=env, timeout=600)  # noqa: E731
    assert run("init", "--shop", "一店", "--code", "one", "--admin-password", "Admin-pass-2026").returncode == 0
    path = tmp_path / "评价.csv"
    path.write_text("订单编号,买家,评价时间,描述相符,服务态度,物流服务\n1,X,2024-03-01 10:00,5,5,5\n"
                    "2,X,2024-03-02 10:00,5,5,5\n3,X,2024-03-03 10:00,5,5,5\n4,X,2024-03-04 10:00,1,1,1\n",
                    encoding="utf-8")
    assert run("import", "reviews", str(path)).returncode == 0
    ok = run("service", "dsr", "--to", "2024-03-31", "--json")
    assert ok.returncode == 0, ok.stderr
    assert {k: json.loads(ok.stdout)[k] for k in ("description", "counted", "excluded")} == {
        "description": "5.00", "counted": 3, "excluded": 1}
    bad = run("service", "dsr", "--to", "2024-13-01")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and bad.stderr.strip()
    assert "service" in run("--help").stdout


def test_the_trend_and_the_effects_read_the_stored_reviews(shop, vector):
    from decimal import Decimal

    from shopops.service import selectors

    days = dict(selectors.shop_dsr_trend(shop=shop, start=dt.date(2024, 3, 3), end=dt.date(2024, 3, 16)))
    assert days[dt.date(2024, 3, 3)]["description"] == Decimal("5.00")
    assert days[dt.date(2024, 3, 16)]["description"] == Decimal("4.56")
    assert days[dt.date(2024, 3, 16)] == {"description": Decimal("4.56"), "service": Decimal("5.00"),
                                          "logistics": Decimal("4.00")}
    effects = selectors.bad_review_effects(shop=shop, as_of=dt.date(2024, 4, 1))
    assert [e.rating.order_no for e in effects] == ["X-3"]  # over the cap: removing it changes nothing
    assert effects[0].rise == {"description": Decimal("0.0000"), "service": Decimal("0.0000"),
                               "logistics": Decimal("0.0000")}
