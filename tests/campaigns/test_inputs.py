"""One validation idiom: the API bodies are the typed inputs of ``campaigns.inputs`` (so the OpenAPI document
shows their fields), the pages build the same inputs, and a problem names its field with a message in the
user's language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation

from shopops.campaigns import inputs, selectors, services
from shopops.campaigns.models import Campaign, Lottery
from shopops.catalog.selectors import skus_by_code
from shopops.core.errors import InvalidInput
from shopops.core.models import AuditEntry
from shopops.demo.seed_campaigns import campaigns_demo_seed

PLAN = {"name": "输入测试", "warmup_start": "2026-10-20", "main_start": "2026-10-31", "main_end": "2026-11-11",
        "return_end": "2026-11-12"}


def _body_schema(document: dict, path: str, method: str) -> dict:
    ref = document["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return document["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_openapi_shows_the_fields_of_the_campaign_bodies(db):
    document = Client().get("/api/v1/openapi.json").json()
    create = _body_schema(document, "/api/v1/campaigns", "post")
    assert {"name", "preset", "year", "warmup_start", "main_start", "main_end", "return_end", "goals", "budget",
            "channels", "promotions", "skus", "checklist", "costs", "min_margin", "default_floor",
            "reference_days", "reference_basis", "notes"} <= set(create["properties"])
    assert create["additionalProperties"] is False
    assert {"type": "string", "format": "date"} in create["properties"]["warmup_start"]["anyOf"]
    assert _body_schema(document, "/api/v1/campaigns/{campaign_id}", "patch") == create
    lottery = _body_schema(document, "/api/v1/campaigns/{campaign_id}/lotteries", "post")
    assert {"name", "min_paid", "prizes"} <= set(lottery["properties"]) and "name" in lottery["required"]
    draw = _body_schema(document, "/api/v1/campaigns/{campaign_id}/lotteries/{lottery_id}/draw", "post")
    assert set(draw["properties"]) == {"seed"}


def test_shape_problems_name_their_fields_in_the_users_language(api_as):
    body = {**PLAN, "budget": 12.5, "bogus": 1, "goals": {"gmv": "abc", "extra": 1},
            "skus": [{"sku": "X", "floor": "1.234"}, 7], "checklist": [{"title": ""}], "min_margin": "2"}
    client = api_as("admin")
    errors = {}
    for language in ("zh-hans", "en"):
        response = client.post("/api/v1/campaigns", body, content_type="application/json",
                               HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 422, response.json()
        errors[language] = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(errors["en"]) == {"budget", "bogus", "goals.gmv", "goals.extra", "skus[0].floor", "skus[1]",
                                 "checklist[0].title", "min_margin"}
    assert errors["en"]["bogus"] == "Unknown field." and errors["zh-hans"]["bogus"] == "未知字段。"
    assert errors["en"]["budget"] == 'Send money as a string with two decimals, e.g. "129.00".'
    assert errors["en"]["skus[1]"] == "Expected a SKU code or an object {sku, floor, claimed_original}."
    assert errors["zh-hans"]["checklist[0].title"] != errors["en"]["checklist[0].title"]
    assert not Campaign.objects.filter(name="输入测试").exists()


def test_the_page_and_the_api_read_a_plan_through_the_same_input(api_as, client_as):
    """The same bad field gives the same field and message on the page as in the API."""
    api = api_as("operator").post("/api/v1/campaigns", {**PLAN, "budget": "1.999"}, content_type="application/json",
                                  HTTP_ACCEPT_LANGUAGE="zh-hans")
    message = next(e["message"] for e in api.json()["errors"] if e["field"] == "budget")
    page = client_as("operator").post("/campaigns/new/", {**PLAN, "budget": "1.999", "channels": ["tmall"]},
                                      HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 422 and "金额" in message
    assert message in page.content.decode() and "budget" in page.content.decode()
    assert not Campaign.objects.filter(name="输入测试").exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"channels": [{}]}, "channels"),  # not a code: no crash hashing it
    ({"promotions": [{"id": "g", "type": "gift", "threshold": "99.00", "gifts": [{"sku": ["A"]}]}]},
     "promotions[0].gifts[0].sku"),
])
def test_values_of_the_wrong_type_are_field_problems(api_as, change, field):
    response = api_as("admin").post("/api/v1/campaigns", {**PLAN, **change}, content_type="application/json")
    assert response.status_code == 422 and field in [e["field"] for e in response.json()["errors"]]


def test_a_change_writes_only_the_fields_given(shop):
    codes = sorted(skus_by_code(shop=shop))[:2]
    plan = inputs.CampaignIn(**PLAN, budget="100.00", skus=[codes[0], {"sku": codes[1], "floor": "9.90"}],
                             notes="备注", min_margin=0.2)
    campaign = services.campaign_save(shop=shop, data=plan)
    assert (campaign.budget_fen, campaign.notes, campaign.min_margin_bp) == (10_000, "备注", 2_000)
    assert {s.sku_code: s.floor_fen for s in campaign.skus.all()} == {codes[0]: None, codes[1]: 990}
    services.campaign_save(shop=shop, campaign=campaign, data=inputs.CampaignIn(notes=None))
    campaign.refresh_from_db()
    assert (campaign.budget_fen, campaign.notes, campaign.min_margin_bp) == (10_000, "", 2_000)
    assert campaign.skus.count() == 2 and str(campaign.main_end) == "2026-11-11"


def test_a_mapping_is_read_through_the_same_input(shop):
    with pytest.raises(InvalidInput) as exc:
        services.campaign_save(shop=shop, data={**PLAN, "reference_days": 91, "kind": None})
    assert [e.field for e in exc.value.errors] == ["kind", "reference_days"]
    with pytest.raises(InvalidInput) as exc:
        services.campaign_save(shop=shop, data={"preset": "double12", "year": 2026, "main_end": "2026-12-01"})
    assert [e.field for e in exc.value.errors] == ["main_end"]  # the shop's rules, once the shapes are right


def test_lottery_and_draw_bodies(api_as, shop):
    campaign = services.campaign_save(shop=shop, data=PLAN)
    client = api_as("operator")
    url = f"/api/v1/campaigns/{campaign.pk}/lotteries"
    missing = client.post(url, {"name": "抽奖"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 422
    assert missing.json()["errors"] == [{"field": "prizes", "message": "Expected a non-empty list."}]
    bad = client.post(url, {"name": "抽奖", "prizes": [{"name": "券", "value": "1.00", "count": 0}, "x"]},
                      content_type="application/json")
    assert [e["field"] for e in bad.json()["errors"]] == ["prizes[0].count", "prizes[1]"]
    made = client.post(url, {"name": "抽奖", "prizes": [{"name": "券", "value": "1.00"}]},
                       content_type="application/json")
    assert made.status_code == 201 and made.json()["prizes"] == [{"name": "券", "value": "1.00", "count": 1}]
    draw = f"{url}/{made.json()['id']}/draw"
    refused = client.post(draw, {"seed": 42}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "seed"
    assert Lottery.objects.get(pk=made.json()["id"]).drawn_at is None
    assert client.post(f"{url}/999999/draw", {}, content_type="application/json").status_code == 404


def test_the_calendar_form_reads_through_its_input(client_as, shop):
    response = client_as("operator").post("/campaigns/calendar/save/", {
        "code": "double11", "year": "2026", "warmup_start": "2026-13-01"}, follow=True)
    with translation.override("zh-hans"):
        expected = "warmup_start: " + translation.gettext("Expected a date like 2026-11-11.")
    assert expected in response.content.decode() and expected != "warmup_start: Expected a date like 2026-11-11."
    assert str(selectors.calendar_entry(shop=shop, code="double11", year=2026)["warmup_start"]) != "2026-13-01"


def test_the_demo_seed_writes_through_the_services(shop):
    done = campaigns_demo_seed(shop=shop, end_date=dt.date(2026, 11, 20))
    actions = set(AuditEntry.objects.filter(object_type="campaign", object_id=str(done["past"]))
                  .values_list("action", flat=True))
    assert actions == {"campaign.create", "campaign.update"}  # created, then its goal set from the review
    past = Campaign.objects.get(pk=done["past"])
    assert past.goal_gmv_fen is not None and past.goal_gmv_fen % 100_000 == 0 and past.goal_new_buyers == 800
