"""shopops shop create / list: several shops per install, each with channel accounts and an administrator."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from shopops.channels.domain import CHANNELS
from shopops.channels.models import ChannelAccount
from shopops.core.models import AuditEntry, Shop, ShopMembership
from shopops.core.selectors import user_role
from tests.cli.test_cli import run


def shop_cmd(*args: str) -> dict | str:
    out = io.StringIO()
    call_command("shop", *args, stdout=out)
    text = out.getvalue()
    return json.loads(text) if "--json" in args else text


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as exc:
        shop_cmd(*args)
    assert exc.value.returncode == 2, str(exc.value)
    return str(exc.value)


def _state() -> tuple:
    return (Shop.objects.count(), get_user_model().objects.count(), ShopMembership.objects.count(),
            ChannelAccount.objects.count(), AuditEntry.objects.count())


def test_create_makes_a_shop_its_channel_accounts_and_a_new_administrator(db):
    summary = shop_cmd("create", "--code", "jd-store", "--name", "山茶集京东店", "--admin-user", "jd-boss",
                       "--admin-password", "Jd-boss-pass-26", "--json")
    assert summary == {"shop": "jd-store", "name": "山茶集京东店", "timezone": "Asia/Shanghai",
                       "channel_accounts": len(CHANNELS), "admin": "jd-boss", "admin_created": True}
    shop = Shop.objects.get(code="jd-store")
    boss = get_user_model().objects.get(username="jd-boss")
    assert user_role(user=boss) == "admin" and boss.check_password("Jd-boss-pass-26")
    assert list(ShopMembership.objects.filter(shop=shop).values_list("user__username", flat=True)) == ["jd-boss"]
    assert ChannelAccount.objects.filter(shop=shop).count() == len(CHANNELS)
    # the new administrator works in the new shop only
    client = Client()
    client.force_login(boss)
    assert "山茶集京东店" in client.get("/").content.decode()
    assert client.get("/api/v1/orders").json()["count"] == 0
    assert client.post("/shop/", {"shop": "demo"}).status_code == 403


def test_an_existing_administrator_is_added_and_can_switch_between_the_shops(db, client_as):
    before = get_user_model().objects.count()
    summary = shop_cmd("create", "--code", "second", "--name", "第二家", "--admin-user", "admin", "--json")
    assert summary["admin_created"] is False and get_user_model().objects.count() == before
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("Test-pass-2026")  # untouched
    assert set(ShopMembership.objects.filter(user=admin).values_list("shop__code", flat=True)) == {"demo", "second"}
    browser = client_as("admin")
    assert browser.get("/api/v1/orders").json()["count"] > 0
    assert browser.post("/shop/", {"shop": "second", "next": "/orders/"}).status_code == 302
    assert browser.get("/api/v1/orders").json()["count"] == 0
    assert "第二家" in browser.get("/orders/").content.decode()
    # with the right password it works as well; with a wrong one nothing is written
    state = _state()
    message = refused("create", "--code", "third", "--name", "三店", "--admin-user", "admin",
                      "--admin-password", "Not-the-password-1")
    assert "password" in message and _state() == state
    shop_cmd("create", "--code", "third", "--name", "三店", "--admin-user", "admin",
             "--admin-password", "Test-pass-2026")
    assert ShopMembership.objects.filter(user=admin, shop__code="third").exists()


@pytest.mark.parametrize(("args", "field"), [
    (["--code", "demo", "--name", "重名", "--admin-user", "x-boss", "--admin-password", "X-boss-pass-26"], "code"),
    (["--code", "Bad Code!", "--name", "坏", "--admin-user", "x-boss", "--admin-password", "X-boss-pass-26"], "code"),
    (["--code=-lead", "--name", "坏", "--admin-user", "x-boss", "--admin-password", "X-boss-pass-26"], "code"),
    (["--code", "c" * 41, "--name", "坏", "--admin-user", "x-boss", "--admin-password", "X-boss-pass-26"], "code"),
    (["--code", "okay", "--name", "店" * 121, "--admin-user", "x-boss", "--admin-password", "X-boss-pass-26"],
     "name"),
    (["--code", "okay", "--name", "好店", "--admin-user", "x-boss", "--admin-password", "short"], "password"),
    (["--code", "okay", "--name", "好店", "--admin-user", "zhaoliu88", "--admin-password", "zhaoliu88"],
     "password"),  # like the user name
    (["--code", "okay", "--name", "好店", "--admin-user", "x-boss"], "password"),  # a new user needs one
    (["--code", "okay", "--name", "好店", "--admin-user", "operator"], "user"),  # not an administrator
    (["--code", "okay", "--name", "好店", "--admin-user", "bad name!", "--admin-password", "X-boss-pass-26"],
     "username"),
    (["--code", "okay", "--name", "好店", "--admin-user", "x-boss", "--admin-password", "X-boss-pass-26",
      "--timezone", "Mars/Olympus"], "timezone"),
    (["--name", "好店", "--admin-user", "x-boss", "--admin-password", "X-boss-pass-26"], "--code"),
    (["--code", "okay", "--name", "好店"], "--admin-user"),
])
def test_bad_input_exits_2_names_the_problem_and_writes_nothing(db, args, field):
    state = _state()
    message = refused("create", *args)
    assert field in message
    assert _state() == state


def test_a_deactivated_administrator_cannot_be_given_a_shop(db, user_of):
    from shopops.core.services import user_create

    gone = user_create(username="gone-admin", password="Gone-pass-2026", role="admin", shops=[], validate=False)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    state = _state()
    assert "已停用" in refused("create", "--code", "okay", "--name", "好店", "--admin-user", "gone-admin")
    assert _state() == state


def test_list_shows_every_shop_with_members_and_administrators(db):
    shop_cmd("create", "--code", "listed", "--name", "列表店", "--admin-user", "list-boss",
             "--admin-password", "List-boss-pass-26")
    rows = shop_cmd("list", "--json")
    by_code = {row["code"]: row for row in rows}
    assert by_code["demo"]["admins"] == ["admin"] and by_code["demo"]["members"] == 5
    assert by_code["listed"] == {"code": "listed", "name": "列表店", "timezone": "Asia/Shanghai", "members": 1,
                                 "admins": ["list-boss"]}
    text = shop_cmd("list")
    assert "listed" in text and "list-boss" in text


def test_the_shopops_command_has_shop_create_and_list(tmp_path):
    """Through the real `shopops` entry point, on an install made by `shopops init`."""
    assert run("shop", "list", data_dir=tmp_path).returncode == 2  # no install yet
    assert run("init", "--shop", "一店", "--code", "one", "--admin-password", "Admin-pass-2026",
               data_dir=tmp_path).returncode == 0
    created = run("shop", "create", "--code", "two", "--name", "二店", "--admin-user", "admin", "--json",
                  data_dir=tmp_path)
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["admin_created"] is False
    again = run("shop", "create", "--code", "two", "--name", "二店", "--admin-user", "admin", data_dir=tmp_path)
    assert again.returncode == 2 and "two" in again.stderr
    listed = json.loads(run("shop", "list", "--json", data_dir=tmp_path).stdout)
    assert [(row["code"], row["admins"]) for row in listed] == [("one", ["admin"]), ("two", ["admin"])]


def test_init_refuses_a_password_like_the_admin_user_name(tmp_path):
    result = run("init", "--shop", "一店", "--admin-password", "adminxyz9", data_dir=tmp_path)
    assert result.returncode == 2 and "password" in result.stderr
    assert not (tmp_path / "shopops.sqlite3").exists()  # refused before the data directory was touched
