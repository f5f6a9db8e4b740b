"""Writes of SOPs: scenarios with their checklists, reply templates (checked for unknown variables and for
广告法 words before a save: docs/rules/ad-law.md#matching), a shop's default scenarios on first use, and the
checklist items an agent ticks on a ticket. Each write is atomic and audited."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shopops.catalog.ad_law import ad_law_findings
from shopops.channels.domain import CHANNEL_CODES
from shopops.core.clock import now as clock_now
from shopops.core.errors import ErrorCollector, FieldError, InvalidInput, NotFound
from shopops.core.i18n import said_errors, say
from shopops.core.models import Shop, User
from shopops.core.services import audit_record
from shopops.service import templating
from shopops.service.models import ReplyTemplate, SopScenario, Ticket, TicketChecklistMark, TicketKind
from shopops.service.selectors.sop import scenario_applies

MAX_NAME, MAX_TITLE, MAX_BODY = 60, 80, 2000
MAX_ITEMS, MAX_ITEM = 30, 200

# the defaults a shop starts with (key, name, ticket type, checklist, templates): Chinese first, edited freely
DEFAULTS: tuple[tuple[str, str, str, tuple[str, ...], tuple[tuple[str, str], ...]], ...] = (
    ("logistics", "物流查询", TicketKind.LOGISTICS,
     ("核对订单号与收货地址", "查询物流轨迹", "超过 48 小时未更新：联系快递并登记", "告知买家预计送达时间"),
     (("物流进度", "亲，您的订单 {{order.no}} 已由 {{logistics.company}} 发出，运单号 {{logistics.no}}，"
                   "可在订单详情查看物流进度。有任何问题随时联系我们～"),
      ("物流延迟致歉", "亲，非常抱歉订单 {{order.no}} 的物流慢了，我们已联系快递加急处理，有新进展会第一时间告诉您。"))),
    ("return", "退换货", TicketKind.RETURN,
     ("确认订单与商品", "确认退换原因并核对照片", "告知退货地址与运费规则", "收货验货后及时退款或换货"),
     (("退货说明", "亲，{{sku.title}} 支持七天无理由退换。请在订单 {{order.no}} 中申请退货，寄回后请填写运单号，"
                   "我们收货验货后尽快处理。"),
      ("退款到账", "亲，订单 {{order.no}} 的退款 {{refund.amount}} 已原路退回，一般 1–3 个工作日到账，请注意查收。"))),
    ("bad_review", "差评安抚", TicketKind.BAD_REVIEW,
     ("24 小时内联系买家", "了解问题并致歉", "给出补偿或解决方案", "问题解决后礼貌邀请买家更新评价"),
     (("差评致歉", "{{customer.name}} 您好，我是{{shop.name}}的客服。看到您对 {{sku.title}} 的评价，非常抱歉给您"
                   "带来不好的体验，想了解一下具体情况，帮您处理。"),)),
    ("payment", "催付", TicketKind.INQUIRY,
     ("确认买家已拍下未付款", "了解未付款原因", "说明优惠与发货时间", "不反复催促：一次提醒即可"),
     (("催付提醒", "亲，您拍下的 {{sku.title}} 还没有付款哦，付款后我们会尽快为您安排发货，有疑问随时问我～"),)),
)


def _audit(shop: Shop, action: str, kind: str, pk: int, actor: User | None, name: str, changes: dict) -> None:
    audit_record(action=f"sop.{action}", object_type=kind, object_id=pk, shop=shop, actor=actor,
                 object_repr=name, changes=changes)


def sop_defaults_ensure(*, shop: Shop) -> None:
    """Seed the default scenarios and templates when the shop has no scenario (on first use of the SOP pages
    or API); a shop that has any keeps what it has."""
    if SopScenario.objects.filter(shop=shop).exists():
        return
    try:
        with transaction.atomic():
            for position, (key, name, kind, checklist, templates) in enumerate(DEFAULTS, start=1):
                scenario = SopScenario.objects.create(shop=shop, name=name, kind=kind, checklist=list(checklist),
                                                      position=position * 10, builtin=key)
                ReplyTemplate.objects.bulk_create(
                    ReplyTemplate(shop=shop, scenario=scenario, title=title, body=body, position=(i + 1) * 10)
                    for i, (title, body) in enumerate(templates))
    except IntegrityError:  # another request seeded them at the same time
        return


def _checklist(items: Sequence[str] | str, problems: ErrorCollector) -> list[str]:
    """Steps from a list or from text (one per line), blank lines dropped, duplicates once."""
    lines = items.splitlines() if isinstance(items, str) else list(items)
    steps = list(dict.fromkeys(s.strip() for s in lines if s and s.strip()))
    if len(steps) > MAX_ITEMS:
        problems.add("checklist", _("At most %(n)s steps.") % {"n": MAX_ITEMS})
    for number, step in enumerate(steps, start=1):
        if len(step) > MAX_ITEM:
            problems.add("checklist", _("Step %(number)s: at most %(n)s characters.") % {"number": number,
                                                                                       "n": MAX_ITEM})
    return steps


def _scenario(shop: Shop, scenario_id: int) -> SopScenario:
    scenario = SopScenario.objects.select_for_update().filter(shop=shop, pk=scenario_id).first()
    if scenario is None:
        raise NotFound(_("No such scenario."))
    return scenario


@transaction.atomic
def scenario_save(*, shop: Shop, actor: User | None, name: str, kind: str = "", channel: str = "",
                  checklist: Sequence[str] | str = (), position: int | None = None,
                  scenario_id: int | None = None) -> SopScenario:
    """Add a scenario (no ``scenario_id``) or change one; blank type or channel means any."""
    scenario = _scenario(shop, scenario_id) if scenario_id is not None else SopScenario(shop=shop)
    name = (name or "").strip()
    problems = ErrorCollector()
    if not name or len(name) > MAX_NAME:
        problems.add("name", _("Enter a name of at most %(n)s characters.") % {"n": MAX_NAME})
    elif SopScenario.objects.filter(shop=shop, name=name).exclude(pk=scenario.pk).exists():
        problems.add("name", _("Another scenario has this name."))
    if kind and kind not in TicketKind.values:
        problems.add("kind", _("Choose a ticket type from the list."))
    if channel and channel not in CHANNEL_CODES:
        problems.add("channel", _("Choose a channel from the list."))
    if position is not None and not 0 <= position <= 10_000:
        problems.add("position", _("Enter a number from 0 to 10000."))
    steps = _checklist(checklist, problems)
    problems.raise_if_any(_("The scenario was not saved."))
    action = "scenario_add" if scenario.pk is None else "scenario_change"
    scenario.name, scenario.kind, scenario.channel, scenario.checklist = name, kind, channel, steps
    if position is not None:
        scenario.position = position
    scenario.save()
    _audit(shop, action, "sop_scenario", scenario.pk, actor, name,
           {"type": kind, "channel": channel, "steps": len(steps)})
    return scenario


@transaction.atomic
def scenario_delete(*, shop: Shop, scenario_id: int, actor: User | None) -> None:
    """Delete a scenario with its templates and its ticks on tickets."""
    scenario = _scenario(shop, scenario_id)
    _audit(shop, "scenario_delete", "sop_scenario", scenario.pk, actor, scenario.name,
           {"templates": scenario.templates.count()})
    scenario.delete()


def body_problems(body: str, field: str = "body") -> list[FieldError]:
    """What keeps a template's text from being saved, in the user's language: unknown variables, unclosed
    ``{{``, and each 广告法 word with its position (counted from 1)."""
    problems: list[FieldError] = []
    try:
        templating.parse(body, field)
    except templating.TemplateProblem as exc:
        problems += said_errors(exc.problems)
    problems += [FieldError(field, _("Character %(at)s: %(reason)s Reword it before saving.")
                            % {"at": f.start + 1, "reason": say(f.reason)})
                 for f in ad_law_findings(body)]
    return problems


def _template(shop: Shop, template_id: int) -> ReplyTemplate:
    template = (ReplyTemplate.objects.select_for_update().select_related("scenario")
                .filter(shop=shop, pk=template_id).first())
    if template is None:
        raise NotFound(_("No such reply template."))
    return template


@transaction.atomic
def template_save(*, shop: Shop, actor: User | None, scenario_id: int, title: str, body: str,
                  position: int | None = None, template_id: int | None = None) -> ReplyTemplate:
    """Add a reply template to a scenario (no ``template_id``) or change one (also moving it to another
    scenario). Nothing is saved while the text has an unknown variable or a 广告法 word."""
    template = _template(shop, template_id) if template_id is not None else ReplyTemplate(shop=shop)
    scenario = SopScenario.objects.filter(shop=shop, pk=scenario_id).first()
    title, body = (title or "").strip(), (body or "").strip()
    problems = ErrorCollector()
    if scenario is None:
        problems.add("scenario", _("Choose a scenario from the list."))
    if not title or len(title) > MAX_TITLE:
        problems.add("title", _("Enter a title of at most %(n)s characters.") % {"n": MAX_TITLE})
    elif scenario is not None and (ReplyTemplate.objects.filter(scenario=scenario, title=title)
                                   .exclude(pk=template.pk).exists()):
        problems.add("title", _("This scenario has a template with this title already."))
    if not body:
        problems.add("body", _("This field is required."))
    elif len(body) > MAX_BODY:
        problems.add("body", _("At most %(n)s characters.") % {"n": MAX_BODY})
    else:
        problems.errors += body_problems(body)
    if position is not None and not 0 <= position <= 10_000:
        problems.add("position", _("Enter a number from 0 to 10000."))
    problems.raise_if_any(_("The reply template was not saved."))
    assert scenario is not None  # a missing scenario is a problem raised above
    action = "template_add" if template.pk is None else "template_change"
    template.scenario, template.title, template.body = scenario, title, body
    if position is not None:
        template.position = position
    template.save()
    _audit(shop, action, "reply_template", template.pk, actor, title,
           {"scenario": scenario.pk, "variables": templating.variables_of(body)})
    return template


@transaction.atomic
def template_delete(*, shop: Shop, template_id: int, actor: User | None) -> None:
    template = _template(shop, template_id)
    _audit(shop, "template_delete", "reply_template", template.pk, actor, template.title,
           {"scenario": template.scenario_id})
    template.delete()


@transaction.atomic
def ticket_checklist_mark(*, shop: Shop, ticket_id: int, scenario_id: int, item: str, done: bool,
                          actor: User | None = None) -> bool:
    """Tick (``done``) or untick one step of a scenario on a ticket; the scenario must apply to the ticket
    and have the step. Returns whether anything changed."""
    ticket = Ticket.objects.select_for_update().filter(shop=shop, pk=ticket_id).first()
    if ticket is None:
        raise NotFound(_("No ticket %(id)s.") % {"id": ticket_id})
    scenario = SopScenario.objects.filter(shop=shop, pk=scenario_id).first()
    if scenario is None or not scenario_applies(scenario, ticket):
        raise NotFound(_("No such scenario for this ticket."))
    item = (item or "").strip()
    if item not in scenario.checklist:
        raise InvalidInput(_("Nothing was changed."), [FieldError("item", _("This step is not in the checklist."))])
    marks = TicketChecklistMark.objects.filter(ticket=ticket, scenario=scenario, item=item)
    if done == marks.exists():
        return False
    if done:
        TicketChecklistMark.objects.create(shop=shop, ticket=ticket, scenario=scenario, item=item,
                                           done_at=clock_now(),
                                           done_by=actor if actor is not None and actor.is_authenticated else None)
    else:
        marks.delete()
    audit_record(action="ticket.checklist", object_type="ticket", object_id=ticket.pk, shop=shop, actor=actor,
                 object_repr=ticket.subject, changes={"scenario": scenario.pk, "item": item, "done": done})
    return True
