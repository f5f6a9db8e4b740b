"""SOPs and reply templates: defaults on first use, the 广告法 check and unknown variables blocking a save
(nothing saved, word and position said), rendering from a real ticket with an order in both worlds (a new
shop with a shipped return; the demo shop), checklist ticks, the audit log, another shop's records absent,
and the SOP page and its render fragment for the roles."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from shopops.core.errors import InvalidInput, NotFound
from shopops.core.models import AuditEntry, Shop
from shopops.core.services import shop_create
from shopops.orders.models import Order
from shopops.service import services as service_services
from shopops.service.models import ReplyTemplate, SopScenario, TicketKind
from shopops.service.selectors.sop import reply_templates_for_ticket, template_render, ticket_checklists
from shopops.service.services.sop import (
    DEFAULTS,
    body_problems,
    scenario_delete,
    scenario_save,
    sop_defaults_ensure,
    template_delete,
    template_save,
    ticket_checklist_mark,
)
from shopops.service.services.tickets import ticket_open
from tests.service.returns_world import new_shop_with_order

ALL = "订单 {{order.no}}｜{{sku.title}}｜{{logistics.company}} {{logistics.no}}｜{{refund.amount}}｜{{customer.name}}｜{{shop.name}}"


@pytest.fixture
def scenario(shop):
    return scenario_save(shop=shop, actor=None, name="测试场景", kind="", checklist="核对订单\n联系买家\n")


def test_defaults_seeded_once_and_clean(shop):
    sop_defaults_ensure(shop=shop)
    sop_defaults_ensure(shop=shop)
    names = list(SopScenario.objects.filter(shop=shop).values_list("name", flat=True))
    assert names == [d[1] for d in DEFAULTS] == ["物流查询", "退换货", "差评安抚", "催付"]
    for template in ReplyTemplate.objects.filter(shop=shop):
        assert body_problems(template.body) == [], template.title


def test_ad_law_word_blocks_the_save_with_word_and_position(shop, scenario):
    with translation.override("en"), pytest.raises(InvalidInput) as caught:
        template_save(shop=shop, actor=None, scenario_id=scenario.pk, title="好评", body="亲，这是全网最好的保温杯")
    (problem,) = caught.value.errors
    assert problem.field == "body" and "最好" in problem.message and "Character 7" in problem.message
    assert not ReplyTemplate.objects.filter(shop=shop, title="好评").exists()


def test_allowed_words_and_unknown_variables(shop, scenario):
    template_save(shop=shop, actor=None, scenario_id=scenario.pk, title="进度", body="最近第一时间为您处理 {{order.no}}")
    with pytest.raises(InvalidInput) as caught:
        template_save(shop=shop, actor=None, scenario_id=scenario.pk, title="坏变量", body="单号 {{order.id}}")
    assert "{{order.id}}" in caught.value.errors[0].message
    assert not ReplyTemplate.objects.filter(shop=shop, title="坏变量").exists()


def test_crud_is_audited(shop, scenario):
    template = template_save(shop=shop, actor=None, scenario_id=scenario.pk, title="T", body="您好 {{customer.name}}")
    template_save(shop=shop, actor=None, template_id=template.pk, scenario_id=scenario.pk, title="T2", body="您好")
    template_delete(shop=shop, template_id=template.pk, actor=None)
    scenario_delete(shop=shop, scenario_id=scenario.pk, actor=None)
    actions = list(AuditEntry.objects.filter(shop=shop, action__startswith="sop.").order_by("id").values_list("action", flat=True))
    assert actions == ["sop.scenario_add", "sop.template_add", "sop.template_change", "sop.template_delete",
                       "sop.scenario_delete"]
    with pytest.raises(InvalidInput) as caught:
        scenario_save(shop=shop, actor=None, name="", kind="nope", channel="mars", position=-1)
    assert {e.field for e in caught.value.errors} == {"name", "kind", "channel", "position"}


@pytest.mark.django_db(transaction=False)
def test_render_from_a_new_shop_ticket_with_a_shipped_return():
    world = new_shop_with_order("sop-new")
    shop = Shop.objects.get(code=world["shop"])
    order = Order.objects.get(shop=shop, order_no="RT-1")
    line = order.lines.order_by("id").first()
    request, _ = service_services.return_request(shop=shop, order_id=order.pk, kind="return_refund", reason="size",
                                                 lines=[service_services.ReturnLineInput(line.pk, 1)])
    service_services.return_approve(shop=shop, return_id=request.pk)
    service_services.return_ship(shop=shop, return_id=request.pk, logistics_company="顺丰", logistics_no="SF100")
    ticket, _ = ticket_open(shop=shop, subject="退货", kind=TicketKind.RETURN, order_id=order.pk)
    scenario = scenario_save(shop=shop, actor=None, name="退货", kind=TicketKind.RETURN, checklist=["核对"])
    template = template_save(shop=shop, actor=None, scenario_id=scenario.pk, title="全", body=ALL)
    text = template_render(shop=shop, ticket_id=ticket.pk, template_id=template.pk)
    # 3 × RT-A at 100.00 with its share of the 35.00 coupon: one unit asked back at its 到手价 (90.00)
    assert text == "订单 RT-1｜退货测试商品 A｜顺丰 SF100｜¥90.00｜买家甲｜退货测试店"
    assert [t.pk for t in reply_templates_for_ticket(shop=shop, ticket=ticket)] == [template.pk]


def test_render_from_a_demo_ticket_shows_gaps(shop, scenario):
    order = Order.objects.filter(shop=shop, lines__isnull=False, refunded_fen=0).order_by("id").first()
    ticket, _ = ticket_open(shop=shop, subject="物流", kind=TicketKind.LOGISTICS, order_id=order.pk)
    template = template_save(shop=shop, actor=None, scenario_id=scenario.pk, title="全", body=ALL)
    with translation.override("en"):
        text = template_render(shop=shop, ticket_id=ticket.pk, template_id=template.pk)
    first = order.lines.order_by("id").first()
    assert text.startswith(f"订单 {order.order_no}｜{first.title}｜【logistics company: not known】")
    assert "【refund amount: not known】" in text and text.endswith(f"｜{order.customer.name}｜{shop.name}")


def test_another_shops_records_are_absent(shop, scenario):
    other = shop_create(code="sop-other", name="别家")
    template = template_save(shop=shop, actor=None, scenario_id=scenario.pk, title="T", body="您好")
    ticket, _ = ticket_open(shop=other, subject="x")
    with pytest.raises(NotFound):
        template_render(shop=other, ticket_id=ticket.pk, template_id=template.pk)
    with pytest.raises(InvalidInput):
        template_save(shop=other, actor=None, scenario_id=scenario.pk, title="T", body="您好")
    with pytest.raises(NotFound):
        template_delete(shop=other, template_id=template.pk, actor=None)


def test_checklist_ticks(shop, scenario, user_of):
    ticket, _ = ticket_open(shop=shop, subject="咨询")
    agent = user_of("service")
    assert ticket_checklist_mark(shop=shop, ticket_id=ticket.pk, scenario_id=scenario.pk, item="联系买家",
                                 done=True, actor=agent)
    assert not ticket_checklist_mark(shop=shop, ticket_id=ticket.pk, scenario_id=scenario.pk, item="联系买家",
                                     done=True, actor=agent)
    state = next(c for c in ticket_checklists(shop=shop, ticket_id=ticket.pk) if c["scenario"].pk == scenario.pk)
    assert [(s["item"], s["done"], s["by"]) for s in state["steps"]] == [("核对订单", False, None),
                                                                         ("联系买家", True, "service")]
    with pytest.raises(InvalidInput):
        ticket_checklist_mark(shop=shop, ticket_id=ticket.pk, scenario_id=scenario.pk, item="别的", done=True)
    narrow = scenario_save(shop=shop, actor=None, name="只差评", kind=TicketKind.BAD_REVIEW, checklist=["致歉"])
    with pytest.raises(NotFound):
        ticket_checklist_mark(shop=shop, ticket_id=ticket.pk, scenario_id=narrow.pk, item="致歉", done=True)
    assert ticket_checklist_mark(shop=shop, ticket_id=ticket.pk, scenario_id=scenario.pk, item="联系买家",
                                 done=False, actor=agent)


@pytest.mark.parametrize(("role", "status"), [("admin", 200), ("operator", 200), ("service", 200),
                                              ("viewer", 200), ("ads", 403)])
def test_sop_page_for_the_roles(client_as, role, status):
    response = client_as(role).get(reverse("web:service_sop"))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "物流查询" in body and "{{order.no}}" in body
        assert ("service/sop/templates/" in body) == (role != "viewer")


def test_page_form_refuses_an_ad_law_word(client_as, shop, scenario):
    client = client_as("service")
    response = client.post(reverse("web:service_sop_template_add"),
                           {"scenario": scenario.pk, "title": "夸张", "body": "顶级面料"}, follow=True)
    page = response.content.decode()  # the operator's language: Chinese by default
    assert "顶级" in page and "第 1 个字符" in page
    assert not ReplyTemplate.objects.filter(shop=shop, title="夸张").exists()
    client.post(reverse("web:service_sop_template_add"),
                {"scenario": scenario.pk, "title": "正常", "body": "您好 {{customer.name}}"})
    assert ReplyTemplate.objects.filter(shop=shop, title="正常").exists()


def test_render_fragment_escapes_and_needs_serve(client_as, shop, scenario):
    from shopops.members.models import Customer

    order = Order.objects.filter(shop=shop).order_by("id").first()
    Customer.objects.filter(pk=order.customer_id).update(name="<b>x</b>")
    ticket, _ = ticket_open(shop=shop, subject="x", order_id=order.pk)
    template = template_save(shop=shop, actor=None, scenario_id=scenario.pk, title="T", body="{{customer.name}}")
    url = reverse("web:service_template_render", args=[ticket.pk, template.pk])
    response = client_as("service").get(url)
    assert response.status_code == 200 and response.content.decode().strip() == "&lt;b&gt;x&lt;/b&gt;"
    assert client_as("viewer").get(url).status_code == 403
    assert client_as("service").get(reverse("web:service_template_render", args=[ticket.pk, 10**9])).status_code == 404


def test_api_list_and_render(api_as, shop, scenario):
    template = template_save(shop=shop, actor=None, scenario_id=scenario.pk, title="T", body="单号 {{order.no}}")
    order = Order.objects.filter(shop=shop).order_by("id").first()
    ticket, _ = ticket_open(shop=shop, subject="x", order_id=order.pk)
    listed = api_as("viewer").get("/api/v1/service/templates", {"ticket": ticket.pk}).json()
    mine = next(t for t in listed["items"] if t["id"] == template.pk)
    assert mine["variables"] == ["order.no"] and mine["scenario"]["name"] == "测试场景"
    assert api_as("viewer").get(f"/api/v1/service/templates/{template.pk}/render",
                                {"ticket": ticket.pk}).status_code == 403
    rendered = api_as("service").get(f"/api/v1/service/templates/{template.pk}/render", {"ticket": ticket.pk})
    assert rendered.json() == {"template": template.pk, "ticket": ticket.pk, "text": f"单号 {order.order_no}"}
    assert api_as("service").get("/api/v1/service/templates", {"ticket": 10**9}).status_code == 404
