"""The audit log's entries in words: what was done, to what, and each change as ``name: old → new``.

The log keeps codes (``sku.update``, ``{"price": ["12.00", "15.00"]}``, see ``core.services.audit_record``);
this is the one place that names them for people. An action or field added elsewhere without a name here still
shows, by its code, until it gets one.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from shopops.channels.labels import channel_label
from shopops.core import roles
from shopops.core.i18n import say
from shopops.core.models import AuditEntry
from shopops.ui.changes import change_lines, value_text

ACTIONS = {
    "shop.create": _("Shop created"), "user.create": _("User created"), "user.role": _("Role changed"),
    "user.active": _("User enabled or disabled"), "user.shop": _("User added to the shop"),
    "user.password": _("Password changed"), "token.create": _("API token created"),
    "token.revoke": _("API token revoked"), "product.create": _("Product created"), "sku.update": _("SKU changed"),
    "category.create": _("Category created"), "category.rename": _("Category renamed"),
    "category.move": _("Category moved"), "category.delete": _("Category deleted"),
    "campaign.create": _("Campaign created"), "campaign.update": _("Campaign changed"),
    "calendar.save": _("Calendar entry saved"), "lottery.create": _("Lottery created"),
    "lottery.draw": _("Lottery drawn"), "briefing.setting": _("Daily briefing settings"),
    "briefing.robot_add": _("Robot added"), "briefing.robot_change": _("Robot changed"),
    "briefing.robot_delete": _("Robot deleted"),
}
OBJECTS = {
    "shop": _("Shop"), "user": _("User"), "product": _("Product"), "sku": _("SKU"), "category": _("Category"),
    "campaign": _("Campaign"), "calendar": _("Calendar"), "lottery": _("Lottery"),
    "briefing_setting": _("Daily briefing"), "robot": _("Robot"),
}
FIELDS = {
    "price": _("Price"), "cost": _("Cost"), "active": _("Active"), "name": _("Name"), "parent": _("Parent category"),
    "role": _("Role"), "shop": _("Shop"), "token": _("Token"), "enabled": _("Enabled"), "send_time": _("Send time"),
    "kind": _("Kind"), "address_changed": _("Address changed"), "secret_changed": _("Secret changed"),
    "prizes": _("Prizes"), "budget_fen": _("Budget"), "goal_gmv_fen": _("GMV goal"), "promotions": _("Promotions"),
    "skus": _("SKUs in scope"), "sku_prices": _("SKU price floor / claimed original price"), "seed": _("Seed"),
    "eligible_hash": _("Fingerprint of the eligible list"), "winners": _("Winners"),
    "warmup_start": _("Warm-up starts"), "main_start": _("Main sale starts"), "main_end": _("Main sale ends"),
    "return_end": _("Return period ends"), "channel": _("Channel"), "channels": _("Channels"),
}


# The robots' platforms as briefing.models.RobotTarget.Kind names them (same msgids: one translation); this page
# sits below briefing in the layers, so it cannot read that model.
ROBOT_KINDS = {"wecom": _("WeCom group robot"), "dingtalk": _("DingTalk group robot"),
               "feishu": _("Feishu group robot")}


def _role(value: object) -> str:
    return say(roles.ROLE_LABELS[value]) if value in roles.ROLE_LABELS else value_text(value)


def _channels(value: object) -> str:
    if isinstance(value, list | tuple):
        return "、".join(channel_label(str(v)) for v in value) or "—"
    return channel_label(str(value)) if value else "—"


def _prizes(value: object) -> str:
    """[{name, value_fen, count}] → 礼盒 ¥199.00 × 2、…"""
    if not isinstance(value, list):
        return value_text(value)
    return "、".join(f"{p.get('name', '')} {value_text(p.get('value_fen'))} × {p.get('count', '')}"
                    if isinstance(p, Mapping) else value_text(p) for p in value) or "—"


def _sku_prices(value: object) -> str:
    """{SKU code: [floor, claimed]} → SKU-1 ¥10.00 / ¥12.00; …"""
    if not isinstance(value, Mapping):
        return value_text(value)
    return "; ".join(f"{code} {value_text(pair[0])} / {value_text(pair[1])}"
                     if isinstance(pair, list | tuple) and len(pair) == 2 else f"{code} {value_text(pair)}"
                     for code, pair in value.items()) or "—"


def _kind(value: object) -> str:
    return str(ROBOT_KINDS[value]) if value in ROBOT_KINDS else value_text(value)


def _day(value: object) -> str:
    """A calendar date as the calendar entry recorded it (``str`` of a date, or ``"None"`` for no date)."""
    return "—" if value in (None, "", "None") else value_text(value)


VALUES = {**dict.fromkeys(("warmup_start", "main_start", "main_end", "return_end"), _day), "kind": _kind,
          "role": _role, "channel": _channels, "channels": _channels, "prizes": _prizes, "sku_prices": _sku_prices}


# what the log keeps to re-check a lottery draw (a seed, a list's hash): for the lottery's own page, not for
# people reading the log
HIDDEN = ("seed", "eligible_hash")


def audit_row(entry: AuditEntry, shop_names: Mapping[str, str] | None = None) -> dict[str, object]:
    """One entry as the page shows it: action and object in words, the changes as lines; a shop by its name
    (``shop_names``: code → name; the log keeps the code)."""
    names = shop_names or {}
    changes = entry.changes if isinstance(entry.changes, Mapping) else {"": entry.changes}
    shown = entry.object_repr
    if entry.object_type == "shop":
        shown = names.get(shown, shown)
    return {
        "entry": entry,
        "action": ACTIONS.get(entry.action, entry.action),
        "object": f"{OBJECTS.get(entry.object_type, entry.object_type)} {shown}".strip(),
        "changes": change_lines(changes, labels=FIELDS, hidden=HIDDEN,
                                values={**VALUES, "shop": lambda code: names.get(str(code), value_text(code))}),
    }
