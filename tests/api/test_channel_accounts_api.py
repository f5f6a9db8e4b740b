"""/api/v1/channel-accounts: the {"items", "count"} list, create, rename/deactivate; permissions and errors."""

from __future__ import annotations

import json

from shopops.channels.selectors import channel_accounts
from shopops.channels.services import channel_account_create
from shopops.core.models import AuditEntry
from shopops.core.services import shop_create


def _patch(client, url: str, body: dict):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def test_list_has_the_shops_accounts_with_their_channel_names(api_as, shop):
    body = api_as("viewer").get("/api/v1/channel-accounts").json()
    assert set(body) == {"items", "count"} and body["count"] == channel_accounts(shop=shop).count() > 0
    first = body["items"][0]
    assert set(first) == {"id", "channel", "channel_name", "name", "external_id", "active"}
    assert api_as("viewer").get("/api/v1/channel-accounts?limit=1").json()["items"] == [first]
    tmall = next((i for i in body["items"] if i["channel"] == "tmall"), None)
    assert tmall is None or tmall["channel_name"] in ("天猫", "Tmall")


def test_create_rename_and_deactivate_are_audited(api_as, shop):
    client = api_as("admin")
    created = client.post("/api/v1/channel-accounts", {"channel": "pdd", "name": " 拼多多新店 ", "external_id": "P-1"},
                          content_type="application/json")
    assert created.status_code == 201, created.content
    account = created.json()
    assert (account["channel"], account["name"], account["external_id"], account["active"]) == (
        "pdd", "拼多多新店", "P-1", True)
    url = f"/api/v1/channel-accounts/{account['id']}"
    renamed = _patch(client, url, {"name": "拼多多旗舰店"}).json()
    assert (renamed["name"], renamed["external_id"]) == ("拼多多旗舰店", "P-1")  # absent fields unchanged
    assert _patch(client, url, {"active": False}).json()["active"] is False
    assert list(AuditEntry.objects.filter(object_type="channel_account", object_id=str(account["id"]))
                .order_by("id").values_list("action", flat=True)) == [
        "channel_account.create", "channel_account.update", "channel_account.update"]


def test_bad_input_names_the_fields_and_writes_nothing(api_as, shop):
    client = api_as("admin")
    before = channel_accounts(shop=shop).count()
    taken = channel_accounts(shop=shop).first().name
    response = client.post("/api/v1/channel-accounts", {"channel": "myspace", "name": taken, "external_id": "x" * 81},
                           content_type="application/json")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["channel", "name", "external_id"]
    empty = _patch(client, f"/api/v1/channel-accounts/{channel_accounts(shop=shop).first().pk}", {"name": " "})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "name"
    assert channel_accounts(shop=shop).count() == before


def test_only_administrators_write_and_other_shops_accounts_are_not_found(api_as, shop):
    assert api_as("operator").post("/api/v1/channel-accounts", {"channel": "jd", "name": "x"},
                                   content_type="application/json").status_code == 403
    account = channel_accounts(shop=shop).first()
    assert _patch(api_as("viewer"), f"/api/v1/channel-accounts/{account.pk}", {"active": False}).status_code == 403
    assert api_as("service").get("/api/v1/channel-accounts").status_code == 403
    other = shop_create(code="other", name="别的店")
    foreign = channel_account_create(shop=other, channel="jd", name="别的京东店")
    assert _patch(api_as("admin"), f"/api/v1/channel-accounts/{foreign.pk}", {"name": "mine"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "别的京东店"
