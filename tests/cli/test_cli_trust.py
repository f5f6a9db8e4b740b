"""The `shopops` command as a new user meets it, through the real entry point (subprocesses):

* a bad file, shop, channel account or argument is one message and exit 2, never a traceback, and an import
  that is refused before it starts leaves no import job behind;
* `shopops --help` lists the product's commands first, grouped; Django's own sit behind `shopops django`;
* without SHOPOPS_DATA_DIR a command run in some folder never creates `./shopops-data` there.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands
from django.utils import translation
from django.utils.translation import gettext

from tests.cli.test_cli import SHOPOPS

ADMIN_PASSWORD = "Admin-pass-2026"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SHOPOPS_DATA_DIR", "XDG_DATA_HOME")}
    env.update(extra)
    return env


def shopops(*args: str, data_dir: Path | None = None, cwd: Path | None = None,
            **env: str) -> subprocess.CompletedProcess:
    if data_dir is not None:
        env["SHOPOPS_DATA_DIR"] = str(data_dir)
    return subprocess.run([SHOPOPS, *args], capture_output=True, text=True, env=_env(**env), cwd=cwd, timeout=300)


def _clean_exit_2(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert result.stderr.strip() or result.stdout.strip()
    assert "CommandError" not in result.stderr, result.stderr  # the message alone, not Django's class name
    return result.stderr.strip()


@pytest.fixture(scope="module")
def install(tmp_path_factory) -> Path:
    """An empty install (`shopops init`): enough for every check made before an import starts."""
    data_dir = tmp_path_factory.mktemp("trust")
    result = shopops("init", "--shop", "新店", "--code", "new", "--admin-password", ADMIN_PASSWORD, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir


def _jobs(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "shopops.sqlite3") as con:
        return con.execute("SELECT count(*) FROM channels_importjob").fetchone()[0]


def _said(msgid: str, **params: object) -> str:
    """``msgid`` as the CLI says it (Chinese by default): 文件不存在：… once the catalog has it."""
    with translation.override("zh-hans"):
        return gettext(msgid) % params


# ------------------------------------------------------------------------------------------------ files


def test_importing_a_missing_file_says_so_and_records_no_job(install):
    before = _jobs(install)
    message = _clean_exit_2(shopops("import", "jd-orders", "/nonexistent.csv", data_dir=install))
    assert message == _said("File not found: %(path)s", path="/nonexistent.csv")
    english = _clean_exit_2(shopops("import", "jd-orders", "/nonexistent.csv", "--language", "en", data_dir=install))
    assert english == "File not found: /nonexistent.csv"
    assert _jobs(install) == before


@pytest.fixture
def orders_file(tmp_path) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text("订单号,下单时间\n1,2026-11-01 10:00:00\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("case", ["directory", "unreadable", "under_a_file", "items_missing", "unknown_shop",
                                  "unknown_account", "unknown_format", "no_path"])
def test_import_refusals_are_one_message_and_no_job(case, install, orders_file, tmp_path):
    if case == "unreadable" and os.geteuid() == 0:
        pytest.skip("root reads every file")
    unreadable = tmp_path / "locked.csv"
    unreadable.write_text("x")
    unreadable.chmod(0)
    args = {
        "directory": ["jd-orders", str(tmp_path)],
        "unreadable": ["jd-orders", str(unreadable)],
        "under_a_file": ["jd-orders", str(orders_file / "x.csv")],
        "items_missing": ["taobao-orders", str(orders_file), "--items", str(tmp_path / "none.csv")],
        "unknown_shop": ["jd-orders", str(orders_file), "--shop", "nope"],
        "unknown_account": ["jd-orders", str(orders_file), "--channel-account", "没有这个账号"],
        "unknown_format": ["no-such-format", str(orders_file)],
        "no_path": ["jd-orders"],
    }[case]
    before = _jobs(install)
    message = _clean_exit_2(shopops("import", *args, data_dir=install))
    assert _jobs(install) == before, message
    if case in ("directory", "unreadable", "under_a_file"):
        assert args[1] in message and len(message.splitlines()) == 1
    if case == "items_missing":
        assert message == _said("File not found: %(path)s", path=str(tmp_path / "none.csv"))
    if case == "unknown_shop":
        assert "nope" in message


# A walk over the product commands' other inputs: every refusal is a message and exit 2.
BAD_INPUTS = [
    ["export-sample", "no-such-format", "x.csv"],
    ["stock", "show", "--sku", "NO-SUCH-SKU"],
    ["stock", "move", "--sku", "NO-SUCH-SKU", "--qty", "abc", "--ref", "r1"],
    ["metrics", "--from", "2026-13-01", "--to", "2026-11-02"],
    ["funnel", "--steps", "pv", "--from", "2026-11-01", "--to", "2026-11-02"],
    ["paths", "--from", "2026-11-01", "--to", "2026-11-02", "--limit", "many"],
    ["retention", "--from", "2026-11-01", "--to", "2026-11-02", "--period", "year"],
    ["products", "analyze", "--from", "x", "--to", "y"],
    ["gmv", "explain", "--from", "2026-11-01", "--to", "2026-11-02", "--vs", "yesterday"],
    ["alerts", "run", "--date", "someday"],
    ["campaign", "simulate", "999"],
    ["replenish", "--shop", "nope"],
    ["token", "create", "--user", "nobody"],
    ["shop", "create", "--code", "Bad Code!", "--name", "x", "--admin-user", "x"],
    ["price", "quote", "--cart", "/nonexistent.json"],
    ["imports", "clean", "--older-than", "-1"],
    ["service", "dsr", "--from", "2026-11-30", "--to", "2026-11-01"],
    ["service", "experience", "--to", "someday"],
]


@pytest.mark.parametrize("args", BAD_INPUTS, ids=lambda a: " ".join(a))
def test_bad_input_to_any_product_command_is_a_message(args, install, tmp_path):
    _clean_exit_2(shopops(*args, data_dir=install, cwd=tmp_path))


def test_a_rejected_userbehavior_file_exits_2_and_says_how_to_widen_the_window(install, tmp_path):
    path = tmp_path / "ub.csv"
    path.write_text("".join(f"{i},2,3,pv,1514764800\n" for i in range(1, 26)))  # 2018-01-01: all outside
    result = shopops("import", "taobao-userbehavior", str(path), "--language", "en", data_dir=install)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "rejected" in result.stdout and "2017-11-25..2017-12-03" in result.stdout
    assert "--date-from" in result.stdout
    widened = shopops("import", "taobao-userbehavior", str(path), "--date-from", "2018-01-01", "--date-to",
                      "2018-01-02", "--json", data_dir=install)
    assert widened.returncode == 0, widened.stdout + widened.stderr
    assert '"inserted": 25' in widened.stdout


# ------------------------------------------------------------------------------------------------- help


def _product_commands() -> set[str]:
    return {name for name, app in get_commands().items() if app.startswith("shopops")}


@pytest.mark.parametrize("args", [["--help"], ["help"], ["-h"], []], ids=lambda a: " ".join(a) or "(none)")
def test_help_lists_the_products_commands_not_djangos(args, tmp_path):
    result = shopops(*args, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    words = {line.split()[0] for line in text.splitlines() if line.startswith("  ") and line.split()}
    assert _product_commands() <= words, _product_commands() - words
    for django_command in ("flush", "dbshell", "migrate", "sqlflush", "runserver", "startapp"):
        assert django_command not in words
    assert text.index("  import") < text.index("shopops django --help")


def test_djangos_commands_are_behind_shopops_django(tmp_path):
    listing = shopops("django", "--help", data_dir=tmp_path)
    assert listing.returncode == 0, listing.stderr
    for name in ("flush", "dbshell", "migrate", "createsuperuser", "axes_reset_username"):
        assert f"  {name}\n" in listing.stdout
    assert "  import\n" not in listing.stdout
    check = shopops("django", "check", data_dir=tmp_path)
    assert check.returncode == 0, check.stderr
    assert "no issues" in check.stdout


def test_every_command_name_still_works(tmp_path):
    """Names are contracts: a Django command keeps working by its plain name, a product command's help too."""
    assert shopops("showmigrations", "core", data_dir=tmp_path).returncode == 0
    own = shopops("help", "import", data_dir=tmp_path)
    assert own.returncode == 0 and "--channel-account" in own.stdout
    unknown = shopops("django", "no-such-command", data_dir=tmp_path)
    assert _clean_exit_2(unknown)


# --------------------------------------------------------------------------------------------- data dir


def test_a_command_run_elsewhere_creates_no_data_folder_there(tmp_path):
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    made = shopops("init", "--shop", "店", "--admin-password", ADMIN_PASSWORD, cwd=tmp_path, HOME=str(home))
    assert made.returncode == 0, made.stderr
    assert not (tmp_path / "shopops-data").exists()
    data_dir = home / ".local" / "share" / "shopops"
    assert (data_dir / "shopops.sqlite3").is_file()
    result = shopops("export-sample", "jd-orders", "x.csv", cwd=elsewhere, HOME=str(home))
    assert "Traceback" not in result.stderr, result.stderr
    assert not (elsewhere / "shopops-data").exists()
    listed = shopops("shop", "list", "--json", cwd=elsewhere, HOME=str(home))
    assert listed.returncode == 0 and '"code"' in listed.stdout, listed.stderr


def test_the_data_dir_follows_xdg_data_home_and_the_flag_still_wins(tmp_path):
    xdg, flag = tmp_path / "xdg", tmp_path / "flag"
    made = shopops("init", "--shop", "店", "--admin-password", ADMIN_PASSWORD, cwd=tmp_path, HOME=str(tmp_path),
                   XDG_DATA_HOME=str(xdg))
    assert made.returncode == 0, made.stderr
    assert (xdg / "shopops" / "shopops.sqlite3").is_file()
    again = shopops("init", "--shop", "店", "--admin-password", ADMIN_PASSWORD, "--data-dir", str(flag),
                    cwd=tmp_path, HOME=str(tmp_path), XDG_DATA_HOME=str(xdg))
    assert again.returncode == 0, again.stderr
    assert (flag / "shopops.sqlite3").is_file() and not (tmp_path / "shopops-data").exists()


def test_an_install_left_in_the_current_folder_by_an_earlier_version_is_still_used(tmp_path):
    legacy = tmp_path / "shopops-data"
    made = shopops("init", "--shop", "店", "--admin-password", ADMIN_PASSWORD, data_dir=legacy)
    assert made.returncode == 0, made.stderr
    listed = shopops("shop", "list", "--json", cwd=tmp_path, HOME=str(tmp_path / "home"))
    assert listed.returncode == 0 and '"code"' in listed.stdout, listed.stderr
    assert not (tmp_path / "home").exists()
