"""Role and channel names are said in the user's language: English msgids, Chinese (the default) from the
catalog, exactly as the pages showed them before."""

from __future__ import annotations

import pytest
from django.utils import translation

from shopops.channels.domain import CHANNELS
from shopops.channels.labels import channel_label


def test_profile_names_the_role_in_chinese_then_english(client_as):
    client = client_as("service")
    assert "<dd>客服</dd>" in client.get("/profile/").content.decode()
    client.post("/language/", {"language": "en", "next": "/profile/"})
    assert "<dd>Customer service</dd>" in client.get("/profile/").content.decode()


def test_user_list_offers_the_roles_in_the_language(client_as):
    client = client_as("admin")
    html = client.get("/users/").content.decode()
    assert all(f">{name}</option>" in html for name in ("管理员", "运营", "推广", "客服", "只读"))
    client.post("/language/", {"language": "en", "next": "/users/"})
    html = client.get("/users/").content.decode()
    assert all(f">{name}</option>" in html
               for name in ("Administrator", "Operator", "Ads", "Customer service", "Viewer"))


@pytest.mark.parametrize("info", CHANNELS, ids=lambda c: c.code)
def test_channel_label_is_the_stored_chinese_name_or_the_english_one(info):
    with translation.override("zh-hans"):
        assert channel_label(info.code) == info.name_zh
    with translation.override("en"):
        assert channel_label(info.code) == info.name.msgid
    assert channel_label("no-such-channel") == "no-such-channel"
