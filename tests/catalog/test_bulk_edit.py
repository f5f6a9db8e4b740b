"""Changing many SKUs at once: all or nothing, each bad code named, one audit entry per SKU that changed, and
the permissions of each field (price: change_price, cost: view_cost) on the API and the SKU list page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from shopops.catalog.models import Sku
from shopops.catalog.services import skus_bulk_update
from shopops.core.errors import InvalidInput
from shopops.core.models import AuditEntry

BULK = "/api/v1/skus/bulk"


def _skus(shop, n: int = 3) -> list[Sku]:
    return list(Sku.objects.filter(shop=shop).order_by("sku_code")[:n])


def _state(skus: list[Sku]) -> list[tuple]:
    return [tuple(Sku.objects.filter(pk=s.pk).values_list("price_fen", "cost_fen", "active").get()) for s in skus]


def test_price_cost_and_status_of_several_skus_with_audit(shop, user_of):
    skus = _skus(shop)
    skus_bulk_update(shop=shop, sku_codes=[skus[0].sku_code], price="10.00")  # one already at the new price
    before = AuditEntry.objects.filter(action="sku.update").count()
    result = skus_bulk_update(shop=shop, sku_codes=[s.sku_code for s in skus], price="10.00", cost="3.50",
                              active=False, actor=user_of("operator"))
    assert [s.sku_code for s in result.skus] == [s.sku_code for s in skus] and result.changed == 3
    assert _state(skus) == [(1000, 350, False)] * 3
    entries = AuditEntry.objects.filter(action="sku.update").order_by("pk")[before:]
    assert len(entries) == 3 and {e.actor for e in entries} == {user_of("operator")}
    first = next(e for e in entries if e.object_repr == skus[0].sku_code)
    assert "price" not in first.changes and first.changes["active"] == [True, False]
    again = skus_bulk_update(shop=shop, sku_codes=[s.sku_code for s in skus], price="10.00", active=False)
    assert again.changed == 0
    assert AuditEntry.objects.filter(action="sku.update").count() == before + 3


@pytest.mark.parametrize(("kwargs", "fields"), [
    ({"sku_codes": ["NO-SUCH-1", "{ok}", "NO-SUCH-2"], "price": "1.00"}, ["sku_codes[0]", "sku_codes[2]"]),
    ({"sku_codes": ["{ok}"], "price": "-1"}, ["price"]),
    ({"sku_codes": ["{ok}"], "cost": "1.001"}, ["cost"]),
    ({"sku_codes": [], "price": "1.00"}, ["sku_codes"]),
    ({"sku_codes": ["{ok}"]}, ["body"]),
])
def test_all_or_nothing_naming_each_problem(shop, kwargs, fields):
    skus = _skus(shop)
    ok = skus[0].sku_code
    codes = [ok if c == "{ok}" else c for c in kwargs.pop("sku_codes")]
    before, audits = _state(skus), AuditEntry.objects.count()
    with pytest.raises(InvalidInput) as exc:
        skus_bulk_update(shop=shop, sku_codes=codes, **kwargs)
    assert [e.field for e in exc.value.errors] == fields
    if "NO-SUCH-1" in codes:
        assert "NO-SUCH-1" in exc.value.errors[0].message
    assert _state(skus) == before and AuditEntry.objects.count() == audits


def test_api_changes_every_sku_or_none(api_as, shop):
    skus = _skus(shop)
    client = api_as("operator")
    response = client.post(BULK, {"sku_codes": [s.sku_code for s in skus], "price": "66.00", "active": False},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 3 and body["changed"] == 3 and {i["price"] for i in body["items"]} == {"66.00"}
    assert all(i["active"] is False for i in body["items"])
    before = _state(skus)
    bad = client.post(BULK, {"sku_codes": [skus[0].sku_code, "NOPE"], "cost": "1.00"},
                      content_type="application/json")
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["sku_codes[1]"]
    assert _state(skus) == before
    floats = client.post(BULK, {"sku_codes": [skus[0].sku_code], "price": 1.5}, content_type="application/json")
    assert floats.status_code == 422  # money travels as text


def test_api_permissions(api_as, shop):
    skus = _skus(shop, 1)
    body = {"sku_codes": [skus[0].sku_code], "active": False}
    for role in ("ads", "service", "viewer"):
        assert api_as(role).post(BULK, body, content_type="application/json").status_code == 403
    assert _state(skus)[0][2] is True


def test_a_price_needs_change_price_and_a_cost_needs_view_cost(api_as, shop, user_of):
    sku = _skus(shop, 1)[0]
    client = api_as("operator")
    group = user_of("operator").groups.get()
    price, cost = (Permission.objects.get(codename=c) for c in ("change_price", "view_cost"))
    group.permissions.remove(price, cost)
    response = client.post(BULK, {"sku_codes": [sku.sku_code], "price": "1.00", "cost": "1.00"},
                           content_type="application/json")
    assert response.status_code == 403
    assert client.post(BULK, {"sku_codes": [sku.sku_code], "active": False},
                       content_type="application/json").status_code == 200


def test_sku_list_page_selects_rows_and_changes_them(client_as, shop):
    skus = _skus(shop, 2)
    page = client_as("operator").get("/skus/")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="bulk-form"' in html and f'value="{skus[0].sku_code}"' in html
    response = client_as("operator").post("/skus/bulk/", {
        "sku_codes": [s.sku_code for s in skus], "price": "77.00", "cost": "", "active": "0", "next": "/skus/?q=x"})
    assert response.status_code == 302 and response["Location"] == "/skus/?q=x"
    assert _state(skus) == [(7700, skus[0].cost_fen, False), (7700, skus[1].cost_fen, False)]
    bad = client_as("operator").post("/skus/bulk/", {"sku_codes": [skus[0].sku_code, "NOPE"], "price": "1.00"},
                                     follow=True)
    assert "NOPE" in bad.content.decode() and _state(skus)[0][0] == 7700


def test_sku_list_without_the_right_to_change_has_no_selection(client_as, shop):
    html = client_as("viewer").get("/skus/").content.decode()
    assert 'id="bulk-form"' not in html and 'type="checkbox"' not in html
    assert client_as("viewer").post("/skus/bulk/", {"sku_codes": ["x"], "active": "0"}).status_code == 403
    assert "成本" not in client_as("service").get("/skus/").content.decode()  # no cost column without view_cost
