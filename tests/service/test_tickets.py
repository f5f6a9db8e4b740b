"""Ticket services and selectors on the demo shop and on a new, empty shop: opening (joining the open ticket
of the same customer and order), assigning, replying, pausing and resuming (SLA due times recomputed),
resolving, merging, the audit log, SLA to-dos from ``sla_sweep`` and attainment per agent and channel."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from shopops.core.errors import Conflict, InvalidInput, NotFound
from shopops.core.models import AuditEntry
from shopops.core.services import shop_create
from shopops.orders.models import Order
from shopops.reports.models import TodoItem
from shopops.service import tasks
from shopops.service.models import BusinessCalendar, Ticket, TicketEvent
from shopops.service.selectors.calendars import calendar_for, policy_matching
from shopops.service.selectors.tickets import sla_attainment, ticket_list, ticket_sla, tickets_sla
from shopops.service.services import sla as sla_services
from shopops.service.services.calendars import calendar_default_ensure, calendar_save, sla_policy_create
from shopops.service.services.sla import TODO_SOURCE, sla_sweep
from shopops.service.services.tickets import (
    ticket_assign,
    ticket_close,
    ticket_customer_message,
    ticket_merge,
    ticket_note,
    ticket_open,
    ticket_pause,
    ticket_reply,
    ticket_resolve,
    ticket_resume,
)

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SH)


MONDAY = "2026-11-16"  # an ordinary working week in China


@pytest.fixture
def policy(shop):
    return sla_policy_create(shop=shop, name="标准", first_response=60, next_response=120, resolution=8 * 60)


@pytest.fixture
def new_shop(db):
    return shop_create(code="new-shop", name="新店", timezone="Asia/Shanghai")


def an_order(shop) -> Order:
    return Order.objects.filter(shop=shop).select_related("customer").order_by("id").first()


def test_a_ticket_opened_by_hand_gets_its_policy_due_times_history_and_audit(shop, policy, user_of):
    agent = user_of("service")
    ticket, created = ticket_open(shop=shop, subject="尺码咨询", actor=agent, channel="tmall",
                                  assignee_id=agent.pk, tags=["尺码", "尺码", " "], text="我165穿多大？",
                                  at=at(f"{MONDAY} 09:00"))
    assert created and ticket.policy == policy and ticket.tags == ["尺码"]
    assert ticket.first_response_due == at(f"{MONDAY} 10:00")
    assert ticket.resolution_due == at(f"{MONDAY} 17:00")
    assert ticket.sla_state == "ok"
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds == [TicketEvent.Kind.CREATED, TicketEvent.Kind.ASSIGNED]
    assert AuditEntry.objects.filter(shop=shop, object_type="ticket", object_id=str(ticket.pk),
                                     action="ticket.open").exists()


def test_a_request_about_an_order_joins_the_open_ticket_of_that_customer_and_order(shop, policy):
    order = an_order(shop)
    first, created = ticket_open(shop=shop, subject="物流太慢", kind="logistics", order_id=order.pk,
                                 at=at(f"{MONDAY} 09:00"))
    assert created and first.customer_id == order.customer_id and first.channel == order.channel
    again, created_again = ticket_open(shop=shop, subject="还没到", order_id=order.pk, tags=["催件"],
                                       text="三天了", at=at(f"{MONDAY} 10:00"))
    assert not created_again and again.pk == first.pk and again.tags == ["催件"]
    assert Ticket.objects.filter(shop=shop, order=order).count() == 1
    merged = first.events.get(kind=TicketEvent.Kind.MERGED)
    assert merged.text == "三天了" and merged.data["subject"] == "还没到"
    ticket_resolve(shop=shop, ticket_id=first.pk, at=at(f"{MONDAY} 11:00"))
    _later, created_later = ticket_open(shop=shop, subject="又有问题", order_id=order.pk, at=at(f"{MONDAY} 12:00"))
    assert created_later  # a resolved ticket is not joined


def test_bad_input_names_every_field_and_changes_nothing(shop, second_shop):
    before = Ticket.objects.count()
    other_order = Order.objects.filter(shop=second_shop.shop).first()
    with pytest.raises(InvalidInput) as bad:
        ticket_open(shop=shop, subject="", kind="spam", priority="now", channel="mars", order_id=other_order.pk,
                    assignee_id=second_shop.users["service"].pk, tags=["x" * 31])
    assert {e.field for e in bad.value.errors} == {"subject", "type", "priority", "channel", "order", "assignee",
                                                   "tags"}
    assert Ticket.objects.count() == before


def test_reply_pause_resume_and_resolve_move_the_sla(shop, policy, user_of):
    agent = user_of("service")
    ticket, _ = ticket_open(shop=shop, subject="质量问题", kind="quality", at=at(f"{MONDAY} 09:00"))
    ticket = ticket_reply(shop=shop, ticket_id=ticket.pk, text="请拍照", actor=agent, at=at(f"{MONDAY} 09:30"))
    assert ticket.first_response_at == at(f"{MONDAY} 09:30") and ticket.first_response_due is None
    ticket = ticket_pause(shop=shop, ticket_id=ticket.pk, actor=agent, at=at(f"{MONDAY} 10:00"))
    assert ticket.status == Ticket.Status.PENDING and ticket.resolution_due is None
    ticket = ticket_resume(shop=shop, ticket_id=ticket.pk, actor=agent, at=at("2026-11-17 10:00"))
    # one hour used on Monday, seven left from Tuesday 10:00: Tuesday 17:00 (the paused day does not count)
    assert ticket.status == Ticket.Status.OPEN and ticket.resolution_due == at("2026-11-17 17:00")
    ticket = ticket_customer_message(shop=shop, ticket_id=ticket.pk, text="照片", at=at("2026-11-17 11:00"))
    assert ticket.next_response_due == at("2026-11-17 13:00")
    ticket_note(shop=shop, ticket_id=ticket.pk, text="仓库确认批次问题", actor=agent, at=at("2026-11-17 11:10"))
    ticket = ticket_resolve(shop=shop, ticket_id=ticket.pk, actor=agent, at=at("2026-11-17 12:00"))
    assert ticket.resolved_at == at("2026-11-17 12:00") and ticket.resolution_due is None
    with pytest.raises(InvalidInput):
        ticket_resume(shop=shop, ticket_id=ticket.pk, at=at("2026-11-17 12:05"))  # resume is for pending tickets
    ticket = ticket_close(shop=shop, ticket_id=ticket.pk, at=at("2026-11-17 12:10"))
    with pytest.raises(InvalidInput):
        ticket_reply(shop=shop, ticket_id=ticket.pk, text="再见", at=at("2026-11-17 12:20"))
    with pytest.raises(InvalidInput):
        ticket_pause(shop=shop, ticket_id=ticket.pk, at=at("2026-11-17 12:20"))
    ticket = ticket_customer_message(shop=shop, ticket_id=ticket.pk, text="还是不行", at=at("2026-11-17 14:00"))
    assert ticket.status == Ticket.Status.OPEN and ticket.resolved_at is None


def test_assign_needs_a_user_of_the_shop(shop, policy, user_of, second_shop):
    ticket, _ = ticket_open(shop=shop, subject="发票", at=at(f"{MONDAY} 09:00"))
    ticket = ticket_assign(shop=shop, ticket_id=ticket.pk, assignee_id=user_of("operator").pk)
    assert ticket.assignee == user_of("operator")
    with pytest.raises(InvalidInput):
        ticket_assign(shop=shop, ticket_id=ticket.pk, assignee_id=second_shop.users["service"].pk)
    ticket.refresh_from_db()
    assert ticket.assignee == user_of("operator")
    with pytest.raises(NotFound):  # another shop's ticket is as absent as a missing one
        ticket_assign(shop=second_shop.shop, ticket_id=ticket.pk, assignee_id=None)


def test_merge_closes_the_source_and_points_it_at_the_target(shop, policy):
    order = an_order(shop)
    target, _ = ticket_open(shop=shop, subject="退货", kind="return", order_id=order.pk, at=at(f"{MONDAY} 09:00"))
    source, _ = ticket_open(shop=shop, subject="退货进度", customer_id=order.customer_id, tags=["退货"],
                            at=at(f"{MONDAY} 09:30"))
    merged = ticket_merge(shop=shop, source_id=source.pk, target_id=target.pk, at=at(f"{MONDAY} 10:00"))
    source.refresh_from_db()
    assert source.status == Ticket.Status.CLOSED and source.merged_into_id == target.pk
    assert merged.tags == ["退货"] and merged.events.filter(kind=TicketEvent.Kind.MERGED).exists()
    with pytest.raises(Conflict):
        ticket_reply(shop=shop, ticket_id=source.pk, text="x")
    with pytest.raises(InvalidInput):
        ticket_merge(shop=shop, source_id=target.pk, target_id=target.pk)
    assert source.pk not in set(ticket_list(shop=shop).values_list("pk", flat=True))


def test_the_most_specific_policy_wins(shop):
    general = sla_policy_create(shop=shop, name="通用", resolution=24 * 60)
    tmall = sla_policy_create(shop=shop, name="天猫", channel="tmall", resolution=12 * 60)
    tmall_urgent = sla_policy_create(shop=shop, name="天猫加急", channel="tmall", priority="urgent",
                                     first_response=10)
    complaint = sla_policy_create(shop=shop, name="投诉", kind="complaint", first_response=30)
    assert policy_matching(shop=shop, channel="jd", kind="inquiry", priority="normal") == general
    assert policy_matching(shop=shop, channel="tmall", kind="inquiry", priority="normal") == tmall
    assert policy_matching(shop=shop, channel="tmall", kind="inquiry", priority="urgent") == tmall_urgent
    assert policy_matching(shop=shop, channel="jd", kind="complaint", priority="low") == complaint
    with pytest.raises(InvalidInput) as bad:
        sla_policy_create(shop=shop, name="", channel="mars", kind="x", priority="y", first_response=0,
                          warn_percent=0, calendar="无此日历")
    assert {e.field for e in bad.value.errors} == {"name", "channel", "type", "priority", "first_response",
                                                   "warn_percent", "calendar"}
    with pytest.raises(Conflict):
        sla_policy_create(shop=shop, name="通用", resolution=60)


def test_sla_sweep_raises_and_closes_to_dos(shop, policy, user_of):
    agent = user_of("service")
    late, _ = ticket_open(shop=shop, subject="投诉", kind="complaint", assignee_id=agent.pk,
                          at=at(f"{MONDAY} 09:00"))
    soon, _ = ticket_open(shop=shop, subject="咨询", at=at(f"{MONDAY} 09:40"))
    counts = sla_sweep(shop=shop, now=at(f"{MONDAY} 10:30"))
    assert counts["breached"] == 1 and counts["warning"] == 1
    items = {i.key: i for i in TodoItem.objects.filter(shop=shop, source=TODO_SOURCE, status="open")}
    assert set(items) == {f"ticket:{late.pk}:first_response:breached", f"ticket:{soon.pk}:first_response:warning"}
    assert items[f"ticket:{late.pk}:first_response:breached"].severity == "critical"
    assert items[f"ticket:{late.pk}:first_response:breached"].assignee == agent
    assert items[f"ticket:{soon.pk}:first_response:warning"].role == "service"
    late.refresh_from_db()
    assert late.sla_state == "breached"
    ticket_reply(shop=shop, ticket_id=soon.pk, text="您好", at=at(f"{MONDAY} 10:35"))
    ticket_resolve(shop=shop, ticket_id=late.pk, at=at(f"{MONDAY} 10:40"))
    sla_sweep(shop=shop, now=at(f"{MONDAY} 10:45"))
    assert not TodoItem.objects.filter(shop=shop, source=TODO_SOURCE, status="open").exists()


def test_attainment_per_agent_and_channel(shop, policy, user_of):
    agent = user_of("service")
    met, _ = ticket_open(shop=shop, subject="a", channel="tmall", assignee_id=agent.pk, at=at(f"{MONDAY} 09:00"))
    ticket_reply(shop=shop, ticket_id=met.pk, text="好的", at=at(f"{MONDAY} 09:20"))
    late, _ = ticket_open(shop=shop, subject="b", channel="jd", assignee_id=agent.pk, at=at(f"{MONDAY} 09:00"))
    ticket_reply(shop=shop, ticket_id=late.pk, text="抱歉", at=at(f"{MONDAY} 11:00"))
    report = sla_attainment(shop=shop, date_from=dt.date(2026, 11, 16), date_to=dt.date(2026, 11, 16),
                            now=at(f"{MONDAY} 12:00"))
    (row,) = report["by_agent"]
    assert row["assignee"] == "service" and row["tickets"] == 2
    assert row["first_response"] == {"met": 1, "breached": 1, "running": 0, "rate": 0.5}
    channels = {r["channel"]: r for r in report["by_channel"]}
    assert channels["tmall"]["first_response"]["rate"] == 1.0 and channels["jd"]["first_response"]["rate"] == 0.0
    assert [(b["ticket"], b["target"]) for b in report["breaches"]] == [(late.pk, "first_response")]


def test_a_new_shop_measures_on_its_default_calendar_created_on_first_use(new_shop):
    new_shop.timezone = "Asia/Urumqi"
    new_shop.save()
    assert calendar_for(shop=new_shop).tz == "Asia/Urumqi"  # before first use: nothing written
    assert not BusinessCalendar.objects.filter(shop=new_shop).exists()
    ticket, _ = ticket_open(shop=new_shop, subject="第一张工单", at=at(f"{MONDAY} 09:00"))
    assert ticket.policy is None and ticket.sla_state == "" and ticket.resolution_due is None  # no policy yet
    policy = sla_policy_create(shop=new_shop, name="默认", resolution=60)
    record = BusinessCalendar.objects.get(shop=new_shop)
    assert record.is_default and record.timezone == "Asia/Urumqi" and policy.calendar == record
    assert record.week[:5] == ["09:00-18:00"] * 5 and record.week[5:] == ["", ""] and record.holidays == "cn"
    assert calendar_default_ensure(shop=new_shop) == record
    later, _ = ticket_open(shop=new_shop, subject="第二张", at=dt.datetime(2026, 11, 16, 9, 0,
                                                                        tzinfo=ZoneInfo("Asia/Urumqi")))
    assert later.resolution_due == dt.datetime(2026, 11, 16, 10, 0, tzinfo=ZoneInfo("Asia/Urumqi"))
    assert list(ticket_list(shop=new_shop, status="open").values_list("subject", flat=True)) == ["第二张", "第一张工单"]


def test_named_calendars_with_a_lunch_break(new_shop):
    calendar_save(shop=new_shop, name="客服班", week=["09:00-12:00, 13:30-18:00"] * 6, holidays="",
                  closed=[dt.date(2026, 11, 17)])
    policy = sla_policy_create(shop=new_shop, name="午休", first_response=60, calendar="客服班")
    assert policy.calendar.name == "客服班"
    ticket, _ = ticket_open(shop=new_shop, subject="x", at=at(f"{MONDAY} 11:30"))
    assert ticket.first_response_due == at(f"{MONDAY} 14:00")
    with pytest.raises(InvalidInput) as bad:
        calendar_save(shop=new_shop, name="坏", week=["18:00-09:00"])
    assert bad.value.errors[0].field == "week[0]"


def test_the_sweep_is_a_periodic_task_for_every_shop(shop, policy, new_shop, monkeypatch):
    task = tasks.sweep_sla.task_class()
    assert task.validate_datetime(dt.datetime(2026, 11, 24, 6, 5))
    assert not task.validate_datetime(dt.datetime(2026, 11, 24, 6, 7))
    ticket_open(shop=shop, subject="久等", at=at(f"{MONDAY} 09:00"))
    real = sla_services.sla_sweep

    def sweep(*, shop, now):
        if shop.code == new_shop.code:
            raise RuntimeError("broken")
        return real(shop=shop, now=now)

    monkeypatch.setattr(sla_services, "sla_sweep", sweep)
    result = sla_services.sla_sweep_all(now=at(f"{MONDAY} 12:00"))
    assert result[new_shop.code] == {"error": 1}
    assert result[shop.code]["breached"] == 1  # its first response (3 of its 8 resolution hours are used)


def test_the_batch_of_many_tickets_equals_each_ticket_on_its_own(new_shop):
    """``tickets_sla`` (one batch per calendar: the sweep and attainment) gives what ``ticket_sla`` gives."""
    calendar_save(shop=new_shop, name="午休", week=["09:00-12:00, 13:30-18:00"] * 6, holidays="cn")
    plain = sla_policy_create(shop=new_shop, name="标准", first_response=60, next_response=120, resolution=480)
    lunch = sla_policy_create(shop=new_shop, name="投诉", kind="complaint", first_response=30, resolution=240,
                              calendar="午休", warn_percent=50)
    assert plain.calendar_id != lunch.calendar_id
    made = []
    for hour, kind in [(8, "inquiry"), (9, "complaint"), (11, "inquiry"), (12, "complaint"), (17, "complaint")]:
        ticket, _ = ticket_open(shop=new_shop, subject=f"{kind} {hour}", kind=kind, at=at(f"{MONDAY} {hour:02}:40"))
        made.append(ticket)
    ticket_reply(shop=new_shop, ticket_id=made[0].pk, text="您好", at=at(f"{MONDAY} 09:20"))
    ticket_pause(shop=new_shop, ticket_id=made[0].pk, at=at(f"{MONDAY} 09:30"))
    ticket_customer_message(shop=new_shop, ticket_id=made[0].pk, text="还在吗", at=at(f"{MONDAY} 15:00"))
    ticket_reply(shop=new_shop, ticket_id=made[1].pk, text="抱歉", at=at(f"{MONDAY} 11:00"))
    ticket_pause(shop=new_shop, ticket_id=made[1].pk, at=at(f"{MONDAY} 11:10"))
    ticket_resume(shop=new_shop, ticket_id=made[1].pk, at=at("2026-11-17 14:00"))
    ticket_resolve(shop=new_shop, ticket_id=made[3].pk, at=at(f"{MONDAY} 16:00"))
    tickets = list(Ticket.objects.filter(shop=new_shop).select_related("policy", "policy__calendar")
                   .prefetch_related("events").order_by("id"))
    assert {t.policy_id for t in tickets} == {plain.pk, lunch.pk}
    now = at("2026-11-17 16:00")
    batch = tickets_sla(tickets, now)
    assert batch == [ticket_sla(t, now) for t in tickets]
    assert {s.state for states in batch for s in states.values()} >= {"met", "breached"}
