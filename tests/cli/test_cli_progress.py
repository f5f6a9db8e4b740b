"""The long commands say their steps on stderr (``[alerts] 1/2 …``, then ``done in … s``), in the command's
``--language``, silent with ``-v 0``; stdout keeps the ``--json`` output alone, the same with or without the
progress; refusals still exit 2 with a one-line message. The real ``shopops`` command on a small demo install."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from shopops.analytics.services.alerts import ALERT_SOURCE, alerts_todos_apply
from shopops.reports.selectors import todos_of_source
from tests.cli.test_cli import SMALL, run

LONG_COMMANDS = {
    "alerts": ["alerts", "run", "--date", "2026-11-19"],
    "metrics": ["metrics", "--from", "2026-11-10", "--to", "2026-11-20", "--by", "channel"],
    "gmv": ["gmv", "explain", "--from", "2026-11-11", "--to", "2026-11-20", "--vs", "2026-11-01..2026-11-10"],
    "campaign-simulate": ["campaign", "simulate", "1", "--limit", "20"],
    "campaign-review": ["campaign", "review", "1"],
}


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("progress-demo")
    result = run("demo", *SMALL, "--password", "Demo-pass-2026", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir


def _progress_lines(stderr: str, name: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(f"[{name}] ")]


@pytest.mark.parametrize("key", LONG_COMMANDS)
def test_long_command_shows_progress_and_keeps_its_json(demo_dir, key):
    args = LONG_COMMANDS[key]
    name = args[0]
    shown = run(*args, "--json", "--language", "en", data_dir=demo_dir)
    assert shown.returncode == 0, shown.stderr
    lines = _progress_lines(shown.stderr, name)
    assert len(lines) >= 2, shown.stderr
    assert all(line.endswith("…") for line in lines[:-1]), lines
    assert lines[-1].startswith(f"[{name}] done in ") and lines[-1].endswith(" s"), lines
    assert "Traceback" not in shown.stderr

    quiet = run(*args, "--json", "-v", "0", data_dir=demo_dir)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""
    # stdout is the JSON alone, the same whether the steps were shown or not (and in whatever language)
    assert json.loads(shown.stdout) == json.loads(quiet.stdout)
    assert shown.stdout == quiet.stdout


def test_alerts_run_reports_both_halves_and_dry_run_one(demo_dir):
    result = run("alerts", "run", "--date", "2026-11-19", "--language", "en", data_dir=demo_dir)
    assert result.returncode == 0, result.stderr
    lines = _progress_lines(result.stderr, "alerts")
    assert lines[0] == "[alerts] 1/2 Checking the metrics of 2026-11-19…"
    assert lines[1] == "[alerts] 2/2 Updating the to-do list…"
    assert "to-do:" in result.stdout
    dry = run("alerts", "run", "--date", "2026-11-19", "--dry-run", "--json", "--language", "en",
              data_dir=demo_dir)
    assert dry.returncode == 0, dry.stderr
    assert _progress_lines(dry.stderr, "alerts")[0] == "[alerts] Checking the metrics of 2026-11-19…"
    assert "todos" not in json.loads(dry.stdout)


def test_review_to_xlsx_is_a_second_step(demo_dir, tmp_path):
    target = tmp_path / "review.xlsx"
    result = run("campaign", "review", "1", "--xlsx", str(target), "--language", "en", data_dir=demo_dir)
    assert result.returncode == 0, result.stderr
    lines = _progress_lines(result.stderr, "campaign")
    assert lines[1] == f"[campaign] 2/2 Writing {target}…"
    assert target.stat().st_size > 0


@pytest.mark.parametrize(("args", "names"), [
    (["alerts", "run", "--date", "2026-13-01"], "--date"),
    (["alerts", "run", "--date", "1969-12-31", "--dry-run"], "1970-01-01"),
    (["metrics", "--from", "2026-11-01", "--to", "nope", "--json"], "to"),
    (["gmv", "explain", "--from", "2026-11-01", "--to", "2026-11-02", "--vs", "x", "--json"], "vs"),
    (["campaign", "simulate", "9999", "--json"], "9999"),
    (["campaign", "review", "--json"], "campaign list"),
])
def test_refusals_still_exit_2_with_a_message(demo_dir, args, names):
    result = run(*args, "--language", "en", data_dir=demo_dir)
    assert result.returncode == 2, result.stdout + result.stderr
    assert names in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_language_reaches_the_refusals(demo_dir):
    english = run("campaign", "simulate", "9999", "--language", "en", data_dir=demo_dir)
    chinese = run("campaign", "simulate", "9999", data_dir=demo_dir)
    assert english.returncode == chinese.returncode == 2
    assert english.stderr.strip() == "No campaign 9999."
    assert chinese.stderr.strip() != english.stderr.strip() and "9999" in chinese.stderr


def test_alert_todos_link_to_the_dashboard(shop):
    """The to-do link names the dashboard without importing the URL table (``settings.LOGIN_REDIRECT_URL``):
    it must still be the dashboard's address."""
    day = dt.date(2026, 11, 19)
    alert = {"metric": "gmv", "channel": "tmall", "value": 100_00, "baseline": 200_00, "change": -0.5, "z": -4.2,
             "direction": "down", "severity": "warning", "promotion": [], "baseline_days": ["2026-11-12"],
             "baseline_kind": "weekday"}
    out = alerts_todos_apply(shop=shop, date=day, result={"alerts": [alert]})
    assert out["todos"] == {"raised": 1, "closed": 0}
    item = todos_of_source(shop=shop, source=ALERT_SOURCE, status="open").get(key="2026-11-19:gmv:tmall")
    assert item.url == f"{reverse('web:dashboard')}?date=2026-11-19&days=1"


def test_a_bad_xlsx_target_is_refused_before_the_review(demo_dir, tmp_path):
    result = run("campaign", "review", "1", "--xlsx", str(tmp_path), "--language", "en", data_dir=demo_dir)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"Cannot use the file {tmp_path}: it is a folder, not a file."]


def _events_file(path, day: str, prefix: str) -> str:
    lines = ["ts,user_id,item_id,category_id,behavior,sku_id,channel,source,session_id,price"]
    lines += [f"{day} 12:00:{i:02d},{prefix}-{i // 3},ITEM1,cat,{('pv', 'cart', 'buy')[i % 3]},,own-site,search,"
              f"{prefix}-{i // 3}," for i in range(30)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _cached_results(data_dir) -> int:
    return sum(1 for _ in (data_dir / "cache" / "analytics").rglob("*.djcache"))


def test_import_computes_the_default_panels_unless_told_not_to(demo_dir, tmp_path):
    """Like the worker after an upload, the CLI import leaves the pages' panels in the result cache."""
    before = _cached_results(demo_dir)
    imported = run("import", "events", _events_file(tmp_path / "a.csv", "2026-11-19", "warm-a"), "--json",
                   "--language", "en", data_dir=demo_dir)
    assert imported.returncode == 0, imported.stderr
    summary = json.loads(imported.stdout)
    assert summary["inserted"] == 30
    assert summary["warm_up"] and set(summary["warm_up"].values()) == {"ok"}, summary["warm_up"]
    assert {"dashboard_kpis", "dashboard_month", "traffic_daily", "gmv_explain"} <= set(summary["warm_up"])
    assert any(line.startswith("[import] ") for line in imported.stderr.splitlines()), imported.stderr
    assert _cached_results(demo_dir) > before

    skipped = run("import", "events", _events_file(tmp_path / "b.csv", "2026-11-19", "warm-b"), "--json",
                  "--no-warm-up", data_dir=demo_dir)
    assert skipped.returncode == 0, skipped.stderr
    assert "warm_up" not in json.loads(skipped.stdout)

    # a dry run changes nothing, so it computes nothing either
    checked = run("import", "events", str(tmp_path / "a.csv"), "--dry-run", "--json", data_dir=demo_dir)
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["dry_run"] and "warm_up" not in json.loads(checked.stdout)
