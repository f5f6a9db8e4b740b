"""The SOP on a ticket's page: the "insert template" control beside the reply box lists the templates of the
scenarios that apply to the ticket (its type and channel) and fills the reply box with the escaped rendered
text; the checklist's tick boxes save (audited) for those who serve customers, are read-only for others, and
another shop's ticket is 404."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from shopops.core.models import AuditEntry
from shopops.members.models import Customer
from shopops.orders.models import Order
from shopops.service.models import Ticket, TicketChecklistMark, TicketKind
from shopops.service.services.sop import scenario_save, template_save
from shopops.service.services.tickets import ticket_open


@pytest.fixture
def ticket(shop) -> Ticket:
    order = Order.objects.filter(shop=shop).order_by("id").first()
    Customer.objects.filter(pk=order.customer_id).update(name="<b>x</b>")
    ticket, _new = ticket_open(shop=shop, subject="退货咨询", order_id=order.pk, kind=TicketKind.RETURN)
    return ticket


@pytest.fixture
def scenarios(shop):
    """One scenario for returns on the ticket's channel, one for returns elsewhere, one for bad reviews."""
    ticket_channel = Order.objects.filter(shop=shop).order_by("id").first().channel
    other = "jd" if ticket_channel != "jd" else "douyin"
    mine = scenario_save(shop=shop, actor=None, name="退货场景", kind=TicketKind.RETURN, channel=ticket_channel,
                         checklist="核对订单\n联系买家")
    elsewhere = scenario_save(shop=shop, actor=None, name="别的渠道", kind=TicketKind.RETURN, channel=other,
                              checklist=["别的渠道步骤"])
    review = scenario_save(shop=shop, actor=None, name="差评场景", kind=TicketKind.BAD_REVIEW, checklist=["致歉"])
    return {
        "mine": template_save(shop=shop, actor=None, scenario_id=mine.pk, title="称呼买家",
                              body="您好 {{customer.name}}"),
        "elsewhere": template_save(shop=shop, actor=None, scenario_id=elsewhere.pk, title="别渠道模板", body="好"),
        "review": template_save(shop=shop, actor=None, scenario_id=review.pk, title="差评模板", body="抱歉"),
        "scenario": mine,
    }


def page(client, ticket) -> str:
    response = client.get(reverse("web:service_ticket", args=[ticket.pk]))
    assert response.status_code == 200
    return response.content.decode()


def tick(client, ticket, scenario, *items):
    return client.post(reverse("web:service_ticket_checklist", args=[ticket.pk]),
                       {"scenario": scenario.pk, "item": list(items)})


def test_the_insert_control_lists_the_templates_that_apply(client_as, ticket, scenarios):
    body = page(client_as("service"), ticket)
    render = reverse("web:service_template_render", args=[ticket.pk, scenarios["mine"].pk])
    assert f'hx-get="{render}"' in body and 'hx-target="#reply-text"' in body
    assert re.search(r'<textarea name="text" id="reply-text"', body)
    assert "称呼买家" in body
    assert "别渠道模板" not in body and "差评模板" not in body
    assert 'class="sop-insert"' not in page(client_as("viewer"), ticket)


def test_inserting_gives_the_escaped_text(client_as, ticket, scenarios):
    response = client_as("service").get(reverse("web:service_template_render",
                                                args=[ticket.pk, scenarios["mine"].pk]))
    assert response.content.decode().strip() == "您好 &lt;b&gt;x&lt;/b&gt;"


def test_ticking_persists_and_is_audited(client_as, shop, ticket, scenarios):
    client, scenario = client_as("service"), scenarios["scenario"]
    response = tick(client, ticket, scenario, "联系买家")
    assert response.status_code == 302 and response.url.endswith(f"/{ticket.pk}/#checklist")
    marks = TicketChecklistMark.objects.filter(ticket=ticket, scenario=scenario)
    assert list(marks.values_list("item", flat=True)) == ["联系买家"]
    assert AuditEntry.objects.filter(shop=shop, action="ticket.checklist", object_id=str(ticket.pk)).count() == 1
    body = page(client, ticket)
    assert re.search(r'name="item" value="联系买家" checked>', body)
    assert re.search(r'name="item" value="核对订单">', body)
    tick(client, ticket, scenario, "核对订单")  # 联系买家 unticked, 核对订单 ticked
    assert list(marks.values_list("item", flat=True)) == ["核对订单"]
    assert "别的渠道步骤" not in body  # a scenario for another channel does not apply


def test_ticking_needs_serve_customers_and_is_read_only_for_others(client_as, ticket, scenarios):
    scenario = scenarios["scenario"]
    assert tick(client_as("viewer"), ticket, scenario, "联系买家").status_code == 403
    assert not TicketChecklistMark.objects.filter(ticket=ticket).exists()
    body = page(client_as("viewer"), ticket)
    assert "联系买家" in body and 'name="item"' not in body
    assert "service_ticket_checklist" not in body and "/checklist/" not in body


def test_a_scenario_that_does_not_apply_or_another_shops_ticket_is_404(client, client_as, shop, second_shop,
                                                                       ticket, scenarios):
    review_scenario = scenarios["review"].scenario
    assert tick(client_as("service"), ticket, review_scenario, "致歉").status_code == 404
    assert tick(client_as("service"), ticket, scenarios["scenario"], "联系买家").status_code == 302
    client.force_login(second_shop.users["service"])
    assert tick(client, ticket, scenarios["scenario"], "核对订单").status_code == 404
    assert client.get(reverse("web:service_template_render",
                              args=[ticket.pk, scenarios["mine"].pk])).status_code == 404
    assert list(TicketChecklistMark.objects.filter(ticket=ticket).values_list("item", flat=True)) == ["联系买家"]
