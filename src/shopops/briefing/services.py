"""Writes of the daily report: its setting and robots (audited, secrets never logged), and the pushes.

``briefing_push`` sends the report of a day to robots and logs each attempt (``BriefingSend``) before the
call, so a crash mid-push still counts as a try; ``briefing_push_due`` is the worker's every-few-minutes
run: each shop whose send time has passed today gets yesterday's report on the robots that do not have it yet.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from shopops.briefing.domain import KINDS, SIGNED, judge_answer, robot_request, webhook_problem
from shopops.briefing.models import BriefingSend, BriefingSetting, RobotTarget
from shopops.briefing.render import robot_text
from shopops.briefing.selectors import briefing_report, briefing_setting, robot_target, targets_due
from shopops.briefing.transport import post_json
from shopops.core.clock import now
from shopops.core.errors import ErrorCollector, NotFound
from shopops.core.i18n import say
from shopops.core.models import Shop, User
from shopops.core.selectors import all_shops
from shopops.core.services import audit_record

log = logging.getLogger(__name__)
MAX_NAME = 60
MAX_SECRET = 200


@transaction.atomic
def briefing_setting_save(*, shop: Shop, enabled: bool, send_time: dt.time, actor: User | None) -> BriefingSetting:
    """Turn the daily push on or off and set its local send time."""
    setting, _created = BriefingSetting.objects.get_or_create(shop=shop)
    setting.enabled, setting.send_time = enabled, send_time.replace(second=0, microsecond=0, tzinfo=None)
    setting.save()
    audit_record(action="briefing.setting", object_type="briefing_setting", object_id=setting.pk, shop=shop,
                 actor=actor, changes={"enabled": enabled, "send_time": f"{setting.send_time:%H:%M}"})
    return setting


@transaction.atomic
def robot_target_save(*, shop: Shop, actor: User | None, target_id: int | None = None, kind: str, name: str,
                      webhook_url: str = "", secret: str = "", clear_secret: bool = False,
                      active: bool = True) -> RobotTarget:
    """Add a robot, or change one (``target_id``): an empty address or secret keeps the stored one, so a form
    never has to show them back; ``clear_secret`` removes the secret."""
    target = None
    if target_id is not None:
        target = robot_target(shop=shop, pk=target_id)
        if target is None:
            raise NotFound(_("No such group robot."))
    name, webhook_url, secret = name.strip(), webhook_url.strip(), secret.strip()
    problems = ErrorCollector()
    if kind not in KINDS:
        problems.add("kind", _("Choose WeCom, DingTalk or Feishu."))
    if not name or len(name) > MAX_NAME:
        problems.add("name", _("Enter a name of at most %(n)s characters.") % {"n": MAX_NAME})
    if webhook_url or target is None:
        problem = webhook_problem(webhook_url)
        if problem is not None:
            problems.add("webhook_url", say(problem))
    if secret and kind in KINDS and kind not in SIGNED:
        problems.add("secret", _("WeCom group robots are not signed: leave the secret empty."))
    if len(secret) > MAX_SECRET:
        problems.add("secret", _("At most %(n)s characters.") % {"n": MAX_SECRET})
    problems.raise_if_any(_("The group robot was not saved."))
    if target is None:
        target = RobotTarget(shop=shop)
    target.kind, target.name, target.active = kind, name, active
    if webhook_url:
        target.webhook_url = webhook_url
    if clear_secret or kind not in SIGNED:
        target.secret = ""
    if secret:
        target.secret = secret
    action = "briefing.robot_add" if target.pk is None else "briefing.robot_change"
    target.save()
    audit_record(action=action, object_type="robot", object_id=target.pk, shop=shop, actor=actor,
                 object_repr=name, changes={"kind": kind, "active": active, "address_changed": bool(webhook_url),
                                            "secret_changed": bool(secret) or clear_secret})
    return target


@transaction.atomic
def robot_target_delete(*, shop: Shop, target_id: int, actor: User | None) -> None:
    target = robot_target(shop=shop, pk=target_id)
    if target is None:
        raise NotFound(_("No such group robot."))
    audit_record(action="briefing.robot_delete", object_type="robot", object_id=target.pk, shop=shop,
                 actor=actor, object_repr=target.name)
    target.delete()


def report_link(day: dt.date) -> str:
    """The report page's address for the robots' link, when the install says where it is served."""
    base = str(getattr(settings, "SHOPOPS_PUBLIC_URL", "") or "").rstrip("/")
    return f"{base}/briefing/?date={day.isoformat()}" if base else ""


def briefing_push(*, shop: Shop, day: dt.date, targets: list[RobotTarget] | None = None,
                  manual: bool = True, language: str | None = None) -> list[dict]:
    """Push the report of ``day`` to ``targets`` (default: the shop's active robots); every attempt is logged
    with the platform's answer. ``[{"target", "kind", "ok", "answer"}]``."""
    if targets is None:
        targets = list(RobotTarget.objects.filter(shop=shop, active=True))
    if not targets:
        return []
    with translation.override(language or settings.LANGUAGE_CODE):
        text = robot_text(briefing_report(shop=shop, day=day), link=report_link(day))
    results = []
    for target in targets:
        send = BriefingSend.objects.create(shop=shop, date=day, target=target, manual=manual, answer="…")
        url, body = robot_request(target.kind, target.webhook_url, title=text.title, markdown=text.markdown,
                                  plain=text.plain, more=text.more, secret=target.secret, now_s=time.time())
        status, answer = post_json(url, body)
        send.ok, send.answer = judge_answer(target.kind, status, answer)
        send.save(update_fields=["ok", "answer"])
        if not send.ok:
            log.warning("daily report of %s to robot %s (%s) failed: %s", shop.code, target.pk, target.kind,
                        send.answer)
        results.append({"target": target.name, "kind": target.kind, "ok": send.ok, "answer": send.answer})
    return results


def briefing_push_due(*, at: dt.datetime | None = None) -> dict[str, list[dict]]:
    """Every shop whose daily push is on and whose local send time has passed today: yesterday's report to
    each active robot that does not have it yet (``selectors.targets_due``). One shop failing does not stop
    the others."""
    instant = at or now()
    out: dict[str, list[dict]] = {}
    for shop in all_shops():
        setting = briefing_setting(shop=shop)
        local = instant.astimezone(ZoneInfo(shop.timezone))
        if not setting.enabled or local.time() < setting.send_time:
            continue
        day = local.date() - dt.timedelta(days=1)
        targets = targets_due(shop=shop, day=day)
        if not targets:
            continue
        try:
            out[shop.code] = briefing_push(shop=shop, day=day, targets=targets, manual=False)
        except Exception:
            log.exception("daily report push failed for shop %s", shop.code)
    return out
