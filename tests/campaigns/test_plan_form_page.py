"""The campaign plan form without JSON: promotions as rows per type, rates as percentages, costs as a table."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from shopops.campaigns import services
from shopops.campaigns.models import Campaign
from shopops.catalog.selectors import skus_by_code


@pytest.fixture
def codes(shop):
    return sorted(skus_by_code(shop=shop))[:4]


def plan_form(codes, *rows: dict[str, str], **extra: str) -> dict:
    form = {"name": "表单活动", "warmup_start": "2026-12-08", "main_start": "2026-12-12", "main_end": "2026-12-12",
            "return_end": "2026-12-13", "channels": ["tmall", "jd"], "skus": "\n".join(codes),
            "promo_rows": str(len(rows))}
    for index, values in enumerate(rows):
        form.update({f"promo-{index}-{name}": value for name, value in values.items()})
    return {**form, **extra}


MANJIAN = {"type": "threshold_off", "tiers": "满300减30，满400减50"}
ZHEKOU = {"type": "item_discount", "discount": "8.5折"}


def test_a_campaign_is_created_from_form_fields_only(client_as, shop, codes):
    form = plan_form(codes, MANJIAN, ZHEKOU, {}, min_margin="12%", default_floor="60",
                     **{"cost-tmall-commission_bp": "4.5%", "cost-jd-shipping_fen": "10"})
    assert not any(key in form for key in ("promotions", "costs"))  # nothing posted as JSON
    response = client_as("operator").post("/campaigns/new/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign = Campaign.objects.get(name="表单活动")
    assert campaign.promotions == [
        {"id": "p1", "type": "threshold_off", "level": "shop", "shop": shop.code,
         "tiers": [{"threshold": "300.00", "off": "30.00"}, {"threshold": "400.00", "off": "50.00"}]},
        {"id": "p2", "type": "item_discount", "percent_off": 15},
    ]
    assert (campaign.min_margin_bp, campaign.floor_bp) == (1_200, 6_000)
    assert campaign.costs == {"tmall": {"commission_bp": 450}, "jd": {"shipping_fen": 1_000}}


def test_the_edit_page_shows_the_rows_percentages_and_cost_table(client_as, shop, codes):
    campaign = services.campaign_save(shop=shop, data={
        "name": "编辑活动", "warmup_start": "2026-12-08", "main_start": "2026-12-12", "main_end": "2026-12-12",
        "return_end": "2026-12-13", "channels": ["tmall"], "skus": codes, "min_margin": "0.125",
        "costs": {"tmall": {"return_rate_bp": 1_500}},
        "promotions": [{"id": "big", "name": "大促满减", "type": "threshold_off", "level": "platform",
                        "tiers": [{"threshold": "300.00", "off": "30.00"}, {"threshold": "400.00", "off": "50.00"}]},
                       {"id": "zk", "type": "item_discount", "percent_off": 15, "skus": codes[:1]}]})
    page = client_as("operator").get(f"/campaigns/{campaign.pk}/").content.decode()
    assert 'value="满300减30，满400减50"' in page and 'value="8.5折"' in page
    assert 'name="promo-0-id" value="big"' in page and 'value="大促满减"' in page
    assert re.search(r'name="promo-0-level">.*?<option value="platform" selected>', page, re.S)
    assert 'name="min_margin" value="12.5%"' in page and 'name="default_floor" value="50%"' in page
    assert 'name="cost-tmall-return_rate_bp" value="15%"' in page and 'placeholder="5%"' in page
    assert 'name="promo_rows" value="4"' in page  # the two promotions and two blank rows
    assert "满减" in page and "折扣" in page and "跨店" in page


def test_a_bad_row_answers_422_naming_row_and_field_and_changes_nothing(client_as, shop, codes):
    client = client_as("operator")
    assert client.post("/campaigns/new/", plan_form(codes, MANJIAN, ZHEKOU)).status_code == 302
    campaign = Campaign.objects.get(name="表单活动")
    before = (campaign.promotions, campaign.budget_fen, campaign.min_margin_bp)
    response = client.post(f"/campaigns/{campaign.pk}/", plan_form(
        codes, {**MANJIAN, "id": "p1"}, {**ZHEKOU, "id": "p2", "discount": "12折"}, budget="999.00"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "第 2 行 · 折扣" in page and "10折" in page
    assert 'value="12折"' in page  # the row comes back as typed
    campaign.refresh_from_db()
    assert (campaign.promotions, campaign.budget_fen, campaign.min_margin_bp) == before


def test_the_pricing_contracts_problems_come_back_on_their_row(client_as, codes):
    coupon = {"type": "coupon", "threshold": "10", "off": "20"}  # off above the threshold
    response = client_as("operator").post("/campaigns/new/", plan_form(codes, {}, MANJIAN, coupon))
    assert response.status_code == 422
    page = response.content.decode()
    assert "第 3 行 · 券面额" in page and "promotions[" not in page
    assert not Campaign.objects.filter(name="表单活动").exists()


def test_bad_rates_and_cost_cells_are_named_in_chinese(client_as, codes):
    response = client_as("operator").post("/campaigns/new/", plan_form(
        codes, min_margin="abc", **{"cost-jd-commission_bp": "150%"}))
    assert response.status_code == 422
    page = response.content.decode()
    assert "最低毛利率" in page and "京东 · 佣金率" in page and "min_margin" not in re.sub(r'name="min_margin"', "", page)
    assert not Campaign.objects.filter(name="表单活动").exists()


def test_add_a_row_draws_one_more_row_and_saves_nothing(client_as, codes):
    response = client_as("operator").post("/campaigns/new/", plan_form(codes, MANJIAN, {}, add_row="1"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="promo_rows" value="4"' in page and 'name="promo-3-type"' in page  # 1 + 2 blank + 1 added
    assert 'value="满300减30，满400减50"' in page
    assert not Campaign.objects.filter(name="表单活动").exists()


def test_the_form_has_no_json_left(client_as):
    page = client_as("operator").get("/campaigns/new/").content.decode()
    assert "<textarea name=\"promotions\"" not in page and 'name="costs"' not in page
    assert "JSON" not in page and "{&#x27;" not in page and "0–1" not in page
    assert 'name="promo-0-type"' in page and 'name="cost-tmall-commission_bp"' in page
    assert "campaigns/plan_form.js" in page and not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert 'name="min_margin" value="10%"' in page and 'name="default_floor" value="50%"' in page
    for code in ("threshold_off", "item_discount"):
        assert f">{code}<" not in page  # types are offered by name, codes only as option values


def test_viewers_see_the_promotions_by_name(client_as, shop, codes):
    campaign = services.campaign_save(shop=shop, data={
        "name": "只读活动", "warmup_start": "2026-12-08", "main_start": "2026-12-12", "main_end": "2026-12-12",
        "return_end": "2026-12-13", "skus": codes,
        "promotions": [{"id": "c", "type": "coupon", "level": "platform", "threshold": "399.00", "off": "40.00"}]})
    page = client_as("viewer").get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "优惠券" in page and "跨店" in page and "券面额（元） 40" in page
    assert "coupon" not in page and '"threshold"' not in page and 'name="promo-0-type"' not in page


class _Form(HTMLParser):
    """The fields a browser would post from the page's plan form (the one holding ``promo_rows``)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append([])
        elif tag == "input" and a.get("name") and (a.get("type") not in ("checkbox", "submit") or "checked" in a):
            self.forms[-1].append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a:
            self.forms[-1].append((self.select, a.get("value") or ""))
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.forms[-1].append((self.textarea, ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            name, text = self.forms[-1][-1]
            self.forms[-1][-1] = (name, text + data)

    def plan(self) -> dict[str, list[str]]:
        fields = next(f for f in self.forms if any(name == "promo_rows" for name, _ in f))
        out: dict[str, list[str]] = {}
        for name, value in fields:
            out.setdefault(name, []).append(value.removeprefix("\n"))
        return out


def test_saving_the_edit_page_unchanged_keeps_every_promotion_and_cost(client_as, shop, codes):
    """Every type, as the API stored it, shown as rows and posted back by a browser, comes back the same."""
    promotions = [
        {"id": "d11-item", "name": "双11 单品直降", "type": "item_discount", "percent_off": 15},
        {"id": "d11-cross", "type": "every_off", "level": "platform", "every": "300.00", "off": "50.00",
         "cap": "200.00"},
        {"id": "coupon", "type": "coupon", "level": "shop", "shop": shop.code, "threshold": "399.00", "off": "40.00",
         "skus": codes[:2]},
        {"id": "tiers", "type": "threshold_off", "level": "shop", "shop": shop.code,
         "tiers": [{"threshold": "300.00", "off": "30.00"}, {"threshold": "400.00", "off": "50.00"}],
         "start": "2026-12-12T00:00:00+08:00", "end": "2026-12-13T00:00:00+08:00"},
        {"id": "flash", "type": "item_price", "price": "99.00", "skus": codes[:1]},
        {"id": "member", "type": "member_price", "price": "88.80", "skus": codes[1:2]},
        {"id": "gift", "type": "gift", "level": "platform", "threshold": "299.00",
         "gifts": [{"sku": codes[3], "qty": 2}, {"sku": codes[2], "qty": 1}]},
        {"id": "presale", "type": "presale", "deposit": "5.00", "deposit_worth": "10.00", "skus": codes[:1],
         "note": "定金膨胀"},
        {"id": "stack", "type": "item_discount", "percent_off": "12.5", "cap": "3.00", "stackable": True},
    ]
    costs = {"tmall": {"commission_bp": 450, "shipping_fen": 1_050}, "jd": {"return_rate_bp": 600}}
    campaign = services.campaign_save(shop=shop, data={
        "name": "原样保存", "warmup_start": "2026-12-08", "main_start": "2026-12-12", "main_end": "2026-12-12",
        "return_end": "2026-12-13", "channels": ["tmall", "jd"], "skus": codes, "promotions": promotions,
        "costs": costs, "min_margin": "-0.05", "default_floor": "0.655"})
    client = client_as("operator")
    parser = _Form()
    parser.feed(client.get(f"/campaigns/{campaign.pk}/").content.decode())
    response = client.post(f"/campaigns/{campaign.pk}/", parser.plan())
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign.refresh_from_db()
    assert campaign.promotions == promotions
    assert campaign.costs == costs
    assert (campaign.min_margin_bp, campaign.floor_bp) == (-500, 6_550)


@pytest.mark.parametrize("count", ["²", "99999999999", "-1", "abc", ""])
def test_a_hostile_row_count_reads_at_most_the_allowed_rows(client_as, codes, count):
    form = plan_form(codes, {**ZHEKOU, "start": "0001-01-01T00:00", "gift_qty": "①"})
    response = client_as("operator").post("/campaigns/new/", {**form, "promo_rows": count})
    assert response.status_code == 302
    campaign = Campaign.objects.get(name="表单活动")
    assert len(campaign.promotions) == (1 if count == "99999999999" else 0)
