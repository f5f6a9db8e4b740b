"""Writes for campaigns: plans (validated whole, then written in one transaction, audited where money or
prices change), checklists mirrored into the to-do list, simulation and review snapshots, lotteries, the
calendar and the demo campaigns."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shopops.campaigns import analysis, domain
from shopops.campaigns.models import CalendarPreset, Campaign, CampaignSku, ChecklistItem, Lottery
from shopops.catalog import selectors as catalog_selectors
from shopops.core import roles
from shopops.core import selectors as core_selectors
from shopops.core.clock import now
from shopops.core.domain import AmountTooLarge, parse_amount
from shopops.core.errors import Conflict, ErrorCollector, InvalidInput
from shopops.core.models import Shop
from shopops.core.money import MoneyError, format_fen, parse_fen
from shopops.core.schemas import amount_too_large_message
from shopops.core.services import audit_record
from shopops.pricing.contract import MAX_PROMOTIONS
from shopops.reports.services import todo_close, todo_upsert

TODO_SOURCE = "campaign"
MAX_SKUS = 100_000
MAX_CHECKLIST = 200

_PROBLEMS = {
    "required": gettext_lazy("Required."),
    "after_main_start": gettext_lazy("The warm-up cannot start after the main period."),
    "before_main_start": gettext_lazy("The main period cannot end before it starts."),
    "before_main_end": gettext_lazy("The return period cannot end before the main period."),
    "too_long": gettext_lazy("A campaign lasts at most 120 days."),
    "object": gettext_lazy("Expected an object."),
    "channel": gettext_lazy("Not one of the campaign's channels."),
    "unknown": gettext_lazy("Unknown field."),
    "range": gettext_lazy("Out of range."),
    "list": gettext_lazy("Expected a non-empty list."),
    "amount": gettext_lazy("Expected an amount of 0.00 or more."),
    "cap": gettext_lazy("A lottery prize may be worth at most ¥50,000 (Anti-Unfair Competition Law, art. 10)."),
    "count": gettext_lazy("Expected a whole number from 1 to 10000."),
}


def _problem(errors: ErrorCollector, field: str, code: str) -> None:
    errors.add(field, str(_PROBLEMS.get(code, code)))


# --- reading input -----------------------------------------------------------------------------------------


class _Input:
    """Reads one field at a time from the submitted dict, collecting every problem with its field name."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.errors = ErrorCollector()

    def has(self, key: str) -> bool:
        return key in self.data

    def text(self, key: str, *, max_length: int, required: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.errors.add(key, _("Required."))
            return None if required else ""
        if not isinstance(value, str) or len(value.strip()) > max_length:
            self.errors.add(key, _("Expected text of at most %(n)s characters.") % {"n": max_length})
            return None
        return value.strip()

    def date(self, key: str, value: object = None) -> dt.date | None:
        value = self.data.get(key) if value is None else value
        if value in (None, ""):
            return None
        try:
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        except ValueError:
            self.errors.add(key, _("Expected a date like 2026-11-11."))
            return None
        if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
            self.errors.add(key, _("Expected a date between 2000 and 2100."))
            return None
        return day

    def money(self, key: str, value: object, *, required: bool = False) -> int | None:
        if value in (None, ""):
            if required:
                self.errors.add(key, _("Required."))
            return None
        if isinstance(value, float):
            self.errors.add(key, _('Send money as a string with two decimals, e.g. "129.00".'))
            return None
        try:
            return parse_amount(value)
        except AmountTooLarge:
            self.errors.add(key, amount_too_large_message())
            return None
        except MoneyError:
            self.errors.add(key, _("Expected an amount like 129.00 (not negative, at most two decimals)."))
            return None

    def count(self, key: str, value: object, *, low: int = 0, high: int = 10**9) -> int | None:
        if value in (None, ""):
            return None
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.errors.add(key, _("Expected a whole number from %(low)s to %(high)s.") % {"low": low, "high": high})
            return None
        return value

    def rate(self, key: str, *, low: Decimal = Decimal(0), high: Decimal = Decimal(1)) -> int | None:
        """A rate 0..1 (number or text) as basis points."""
        value = self.data.get(key)
        if value in (None, ""):
            return None
        try:
            amount = Decimal(str(value)) if not isinstance(value, bool) else None
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or not low <= amount <= high:
            self.errors.add(key, _("Expected a rate from %(low)s to %(high)s, e.g. 0.1 for 10%%.")
                            % {"low": low, "high": high})
            return None
        return int((amount * 10_000).to_integral_value())


# --- campaigns -----------------------------------------------------------------------------------------------


def _todo_url(campaign: Campaign) -> str:
    try:
        return reverse("web:campaign_detail", args=[campaign.pk])
    except NoReverseMatch:  # pages not mounted (a worker without the web app)
        return ""


def _sync_todo(item: ChecklistItem, *, reopen: bool = False) -> None:
    """A checklist item is a to-do item for its owner (source "campaign", key "<campaign>:<item>") until done."""
    campaign = item.campaign
    key = f"{campaign.pk}:{item.pk}"
    if item.done:
        todo_close(shop=campaign.shop, source=TODO_SOURCE, key=key)
        return
    todo_upsert(shop=campaign.shop, source=TODO_SOURCE, key=key, title=f"{campaign.name}: {item.title}",
                detail=str(item.get_kind_display()), assignee=item.owner, role="" if item.owner else roles.OPERATOR,
                due_date=item.due_date, url=_todo_url(campaign),
                data={"campaign": campaign.pk, "item": item.pk}, reopen=reopen)


def _read_skus(reader: _Input, raw: object, catalog: Mapping[str, Any]) -> list[dict] | None:
    """SKUs in scope: codes, or {sku, floor, claimed_original} objects; each must exist in the catalog."""
    if not isinstance(raw, list):
        reader.errors.add("skus", _("Expected a list of SKU codes."))
        return None
    if len(raw) > MAX_SKUS:
        reader.errors.add("skus", _("At most %(n)s SKUs per campaign.") % {"n": MAX_SKUS})
        return None
    out, seen = [], set()
    for index, item in enumerate(raw):
        path = f"skus[{index}]"
        entry = {"sku": item} if isinstance(item, str) else item
        if not isinstance(entry, Mapping):
            reader.errors.add(path, _("Expected a SKU code or an object {sku, floor, claimed_original}."))
            continue
        unknown = set(entry) - {"sku", "floor", "claimed_original"}
        for key in sorted(unknown, key=str):
            reader.errors.add(f"{path}.{key}", _("Unknown field."))
        code = entry.get("sku")
        if not isinstance(code, str) or code.strip() not in catalog:
            reader.errors.add(f"{path}.sku", _("Unknown SKU %(sku)s.") % {"sku": code})
            continue
        code = code.strip()
        if code in seen:
            reader.errors.add(f"{path}.sku", _("SKU %(sku)s is listed twice.") % {"sku": code})
            continue
        seen.add(code)
        floor = reader.money(f"{path}.floor", entry.get("floor"))
        claimed = reader.money(f"{path}.claimed_original", entry.get("claimed_original"))
        out.append({"sku": code, "floor": floor, "claimed": claimed})
    return out


def _read_promotions(reader: _Input, raw: object, shop: Shop, scope: set[str], catalog: Mapping[str, Any]
                     ) -> list[dict] | None:
    """Promotions in the pricing contract's JSON, each validated by ``pricing.contract`` (errors keep the
    contract's field path under ``promotions[i]``); SKUs they name must be in the campaign's scope."""
    if not isinstance(raw, list):
        reader.errors.add("promotions", _("Expected a list of promotions."))
        return None
    if len(raw) > MAX_PROMOTIONS:
        reader.errors.add("promotions", _("At most %(n)s promotions per campaign.") % {"n": MAX_PROMOTIONS})
        return None
    prices = {code: catalog[code].price_fen for code in scope}
    out, ids = [], set()
    for index, item in enumerate(raw):
        path = f"promotions[{index}]"
        if not isinstance(item, Mapping):
            reader.errors.add(path, _("Expected an object."))
            continue
        item = dict(item)
        pid = item.get("id")
        if isinstance(pid, str) and pid.strip() in ids:
            reader.errors.add(f"{path}.id", _("Duplicate promotion id %(id)s.") % {"id": pid})
            continue
        order_level = item.get("type") in ("threshold_off", "every_off", "coupon", "gift")
        shop_level = item.get("level", "shop" if order_level else "item") == "shop"
        if shop_level and item.get("shop") in (None, ""):
            item["shop"] = shop.code  # a campaign belongs to one shop: its shop-level offers are that shop's
        if shop_level and item.get("shop") != shop.code:
            reader.errors.add(f"{path}.shop", _("A shop-level offer of this campaign belongs to shop %(shop)s.")
                              % {"shop": shop.code})
            continue
        skus = item.get("skus") or []
        bad = False
        if isinstance(skus, list):
            for j, sku in enumerate(skus):
                if not isinstance(sku, str) or sku.strip() not in scope:
                    reader.errors.add(f"{path}.skus[{j}]", _("SKU %(sku)s is not in the campaign's SKUs.")
                                      % {"sku": sku})
                    bad = True
        for j, gift in enumerate(item.get("gifts") or [] if item.get("type") == "gift" else []):
            if isinstance(gift, Mapping) and gift.get("sku") not in catalog:
                reader.errors.add(f"{path}.gifts[{j}].sku", _("Unknown SKU %(sku)s.") % {"sku": gift.get("sku")})
                bad = True
        promotion, problems = analysis.promotion_parse(shop_code=shop.code, item=item, prices=prices)
        for field, message in problems:
            if field.startswith("skus") and bad:
                continue
            reader.errors.add(f"{path}.{field}" if field else path, message)
        if promotion is None or bad:
            continue
        ids.add(promotion.id)
        out.append(item)
    return out


def _read_checklist(reader: _Input, raw: object, shop: Shop) -> list[dict] | None:
    if not isinstance(raw, list) or len(raw) > MAX_CHECKLIST:
        reader.errors.add("checklist", _("Expected a list of at most %(n)s items.") % {"n": MAX_CHECKLIST})
        return None
    users = {u.get_username(): u for u in core_selectors.users_of_shop(shop=shop)}
    out = []
    for index, item in enumerate(raw):
        path = f"checklist[{index}]"
        if not isinstance(item, Mapping):
            reader.errors.add(path, _("Expected an object {kind, title, owner, due_date}."))
            continue
        kind = item.get("kind", ChecklistItem.Kind.OTHER)
        if kind not in ChecklistItem.Kind.values:
            reader.errors.add(f"{path}.kind", _("Expected one of %(kinds)s.")
                              % {"kinds": ", ".join(ChecklistItem.Kind.values)})
        title = item.get("title")
        if not isinstance(title, str) or not title.strip() or len(title) > 160:
            reader.errors.add(f"{path}.title", _("Expected text of 1 to 160 characters."))
        owner = item.get("owner")
        if owner not in (None, "") and owner not in users:
            reader.errors.add(f"{path}.owner", _("No user %(name)s works in this shop.") % {"name": owner})
        due = reader.date(f"{path}.due_date", item.get("due_date") or "")
        done = item.get("done", False)
        if not isinstance(done, bool):
            reader.errors.add(f"{path}.done", _("Expected true or false."))
        out.append({"kind": kind, "title": (title or "").strip(), "owner": users.get(owner or ""), "due_date": due,
                    "done": bool(done)})
    return out


@transaction.atomic
def campaign_save(*, shop: Shop, data: Mapping[str, Any], actor: AbstractBaseUser | None = None,
                  campaign: Campaign | None = None) -> Campaign:
    """Create a campaign (``campaign`` None) or change the fields present in ``data``; all or nothing.

    Fields: name, kind, preset (+ year: takes the calendar entry's dates and name when they are not given),
    warmup_start, main_start, main_end, return_end, goals {gmv, uv, new_buyers}, budget, channels,
    promotions (pricing contract JSON), skus, checklist, costs, min_margin, default_floor, reference_days,
    reference_basis, notes. Every problem comes back at once, each naming its field (HTTP 422 / exit 2).
    """
    if not isinstance(data, Mapping):
        raise InvalidInput(_("Invalid campaign."), [])
    r = _Input(data)
    known = {"name", "kind", "preset", "year", "warmup_start", "main_start", "main_end", "return_end", "goals",
             "budget", "channels", "promotions", "skus", "checklist", "costs", "min_margin", "default_floor",
             "reference_days", "reference_basis", "notes"}
    for key in sorted(set(data) - known, key=str):
        r.errors.add(str(key), _("Unknown field."))
    creating = campaign is None
    fields: dict[str, Any] = {}
    preset = None
    if r.has("preset") and data.get("preset"):
        year = r.count("year", data.get("year"), low=2000, high=2100)
        preset = analysis.calendar_entry(shop=shop, code=str(data["preset"]), year=year)
        if preset is None:
            preset = analysis.calendar_entry(shop=shop, code=str(data["preset"]), year=None)
        if preset is None:
            r.errors.add("preset", _("No calendar entry %(code)s for that year.") % {"code": data["preset"]})
        else:
            fields["preset"] = preset["code"]
            fields["kind"] = preset["kind"]
    if r.has("name") or creating:
        name = r.text("name", max_length=120, required=preset is None)
        if name or preset is None:
            fields["name"] = name
        elif preset is not None:
            fields["name"] = f"{preset['name']} {preset['year'] or ''}".strip()
    if r.has("kind"):
        if data["kind"] not in Campaign.Kind.values:
            r.errors.add("kind", _("Expected one of %(kinds)s.") % {"kinds": ", ".join(Campaign.Kind.values)})
        else:
            fields["kind"] = data["kind"]
    dates = {}
    for key in ("warmup_start", "main_start", "main_end", "return_end"):
        value = r.date(key) if r.has(key) else None
        if value is None and preset is not None and not r.has(key):
            value = preset.get(key)
        if value is None and not creating:
            value = getattr(campaign, key)
        dates[key] = value
    for field, code in domain.phase_problems(**dates):
        if not any(e.field == field for e in r.errors.errors):
            _problem(r.errors, field, code)
    fields.update({k: v for k, v in dates.items() if v is not None})
    if r.has("goals"):
        goals = data["goals"]
        if not isinstance(goals, Mapping):
            r.errors.add("goals", _("Expected an object {gmv, uv, new_buyers}."))
        else:
            for key in sorted(set(goals) - {"gmv", "uv", "new_buyers"}, key=str):
                r.errors.add(f"goals.{key}", _("Unknown field."))
            fields["goal_gmv_fen"] = r.money("goals.gmv", goals.get("gmv"))
            fields["goal_uv"] = r.count("goals.uv", goals.get("uv"))
            fields["goal_new_buyers"] = r.count("goals.new_buyers", goals.get("new_buyers"))
    if r.has("budget"):
        fields["budget_fen"] = r.money("budget", data["budget"]) or 0
    channels = list(campaign.channels) if campaign else []
    if r.has("channels"):
        raw = data["channels"]
        if not isinstance(raw, list) or any(c not in domain.DEFAULT_CHANNEL_COSTS for c in raw):
            r.errors.add("channels", _("Expected a list of channel codes among %(codes)s.")
                         % {"codes": ", ".join(domain.DEFAULT_CHANNEL_COSTS)})
        else:
            channels = list(dict.fromkeys(raw))
            fields["channels"] = channels
    if r.has("costs"):
        for field, code in domain.cost_override_problems(data["costs"], channels):
            _problem(r.errors, field, code)
        fields["costs"] = data["costs"]
    for key, model_field in (("min_margin", "min_margin_bp"), ("default_floor", "floor_bp")):
        if r.has(key):
            value = r.rate(key, low=Decimal(-1) if key == "min_margin" else Decimal(0))
            if value is not None:
                fields[model_field] = value
    if r.has("reference_days"):
        days = r.count("reference_days", data["reference_days"], low=1, high=90)
        if days is not None:
            fields["reference_days"] = days
    if r.has("reference_basis"):
        if data["reference_basis"] not in Campaign.ReferenceBasis.values:
            r.errors.add("reference_basis", _("Expected paid or unit."))
        else:
            fields["reference_basis"] = data["reference_basis"]
    if r.has("notes"):
        fields["notes"] = r.text("notes", max_length=5000) or ""
    catalog = catalog_selectors.skus_by_code(shop=shop)
    skus = None
    if r.has("skus"):
        skus = _read_skus(r, data["skus"], catalog)
    scope = {s["sku"] for s in skus} if skus is not None else (
        {row.sku_code for row in analysis.campaign_skus(campaign=campaign)} if campaign else set())
    if r.has("promotions"):
        promotions = _read_promotions(r, data["promotions"], shop, scope, catalog)
        if promotions is not None:
            fields["promotions"] = promotions
    elif skus is not None and campaign is not None and campaign.promotions:
        _read_promotions(r, campaign.promotions, shop, scope, catalog)  # narrowing the scope must keep them valid
    checklist = _read_checklist(r, data["checklist"], shop) if r.has("checklist") else None
    r.errors.raise_if_any(_("The campaign was not saved: some fields are invalid."))

    before = {k: getattr(campaign, k) for k in ("budget_fen", "goal_gmv_fen", "promotions")} if campaign else {}
    if creating:
        campaign = Campaign(shop=shop, created_by=actor if actor is not None and actor.is_authenticated else None,
                            channels=["tmall"])
    assert campaign is not None
    for key, value in fields.items():
        setattr(campaign, key, value)
    campaign.save()
    changes = {k: [_show(before.get(k)), _show(getattr(campaign, k))] for k in ("budget_fen", "goal_gmv_fen")
               if creating or before.get(k) != getattr(campaign, k)}
    if creating or before.get("promotions") != campaign.promotions:
        changes["promotions"] = [None if creating else [p.get("id") for p in before["promotions"]],
                                 [p.get("id") for p in campaign.promotions]]
    if skus is not None:
        changes.update(_replace_skus(campaign, skus))
    if checklist is not None:
        _replace_checklist(campaign, checklist)
    if changes:
        audit_record(action="campaign.create" if creating else "campaign.update", object_type="campaign",
                     object_id=campaign.pk, shop=shop, actor=actor, object_repr=campaign.name, changes=changes)
    return campaign


def _show(value: object) -> object:
    return format_fen(value) if isinstance(value, int) else value


def _replace_skus(campaign: Campaign, skus: list[dict]) -> dict[str, list]:
    """Replace the SKU scope; returns the audit changes of floors and claimed 原价 (prices of the campaign)."""
    old = {row.sku_code: (row.floor_fen, row.claimed_fen) for row in analysis.campaign_skus(campaign=campaign)}
    CampaignSku.objects.filter(campaign=campaign).delete()
    CampaignSku.objects.bulk_create(
        [CampaignSku(shop=campaign.shop, campaign=campaign, sku_code=s["sku"], floor_fen=s["floor"],
                     claimed_fen=s["claimed"]) for s in skus], batch_size=2000)
    new = {s["sku"]: (s["floor"], s["claimed"]) for s in skus}
    changed = sorted(code for code in set(old) | set(new) if old.get(code) != new.get(code))
    out: dict[str, list] = {}
    if set(old) != set(new):
        out["skus"] = [len(old), len(new)]
    none = (None, None)
    priced = [c for c in changed if old.get(c, none) != none or new.get(c, none) != none]
    if priced:
        out["sku_prices"] = [{c: [_show(v) for v in old.get(c, (None, None))] for c in priced[:50]},
                             {c: [_show(v) for v in new.get(c, (None, None))] for c in priced[:50]}]
    return out


def _replace_checklist(campaign: Campaign, items: list[dict]) -> None:
    for old in ChecklistItem.objects.filter(campaign=campaign):
        todo_close(shop=campaign.shop, source=TODO_SOURCE, key=f"{campaign.pk}:{old.pk}", status="dismissed")
        old.delete()
    for item in items:
        checklist_item_add(campaign=campaign, kind=item["kind"], title=item["title"], owner=item["owner"],
                           due_date=item["due_date"], done=item["done"])


@transaction.atomic
def campaign_delete(*, campaign: Campaign, actor: AbstractBaseUser | None = None) -> None:
    for item in ChecklistItem.objects.filter(campaign=campaign):
        todo_close(shop=campaign.shop, source=TODO_SOURCE, key=f"{campaign.pk}:{item.pk}", status="dismissed")
    audit_record(action="campaign.delete", object_type="campaign", object_id=campaign.pk, shop=campaign.shop,
                 actor=actor, object_repr=campaign.name, changes={"budget_fen": [_show(campaign.budget_fen), None]})
    campaign.delete()


# --- checklist ---------------------------------------------------------------------------------------------


@transaction.atomic
def checklist_item_add(*, campaign: Campaign, title: str, kind: str = ChecklistItem.Kind.OTHER,
                       owner: AbstractBaseUser | None = None, due_date: dt.date | None = None,
                       done: bool = False) -> ChecklistItem:
    errors = ErrorCollector()
    if kind not in ChecklistItem.Kind.values:
        errors.add("kind", _("Expected one of %(kinds)s.") % {"kinds": ", ".join(ChecklistItem.Kind.values)})
    if not title or not title.strip() or len(title.strip()) > 160:
        errors.add("title", _("Expected text of 1 to 160 characters."))
    if owner is not None and core_selectors.user_in_shop(shop=campaign.shop, pk=owner.pk) is None:
        errors.add("owner", _("This user does not work in this shop."))
    errors.raise_if_any(_("The checklist item was not saved."))
    item = ChecklistItem.objects.create(shop=campaign.shop, campaign=campaign, kind=kind, title=title.strip(),
                                        owner=owner, due_date=due_date, done=done, done_at=now() if done else None)
    _sync_todo(item)
    return item


@transaction.atomic
def checklist_item_set_done(*, item: ChecklistItem, done: bool) -> ChecklistItem:
    """Tick an item off (its to-do item closes) or back on (its to-do item reopens)."""
    if item.done != done:
        item.done = done
        item.done_at = now() if done else None
        item.save(update_fields=["done", "done_at"])
    _sync_todo(item, reopen=not done)
    return item


@transaction.atomic
def checklist_item_delete(*, item: ChecklistItem) -> None:
    todo_close(shop=item.shop, source=TODO_SOURCE, key=f"{item.campaign_id}:{item.pk}", status="dismissed")
    item.delete()


# --- snapshots ---------------------------------------------------------------------------------------------


SNAPSHOT_ROWS = 200


@transaction.atomic
def campaign_simulate(*, campaign: Campaign, as_of: dt.date | None = None) -> dict:
    """Run the simulation and keep its summary and riskiest rows on the campaign (for the pages and the demo)."""
    report = analysis.campaign_simulation(campaign=campaign, as_of=as_of)
    campaign.simulation = {**report, "rows": report["rows"][:SNAPSHOT_ROWS]}
    campaign.simulated_at = now()
    campaign.save(update_fields=["simulation", "simulated_at", "updated_at"])
    return report


@transaction.atomic
def campaign_review_save(*, campaign: Campaign) -> dict:
    report = analysis.campaign_review(campaign=campaign)
    campaign.review = report
    campaign.reviewed_at = now()
    campaign.save(update_fields=["review", "reviewed_at", "updated_at"])
    return report


# --- lottery -----------------------------------------------------------------------------------------------


@transaction.atomic
def lottery_create(*, campaign: Campaign, data: Mapping[str, Any], actor: AbstractBaseUser | None = None) -> Lottery:
    """A lottery with prizes [{name, value, count}] and the eligibility threshold ``min_paid``.

    No prize may be worth more than ¥50,000 → 422 (《反不正当竞争法》 art. 10;
    docs/rules/campaigns.md#lottery-prize-cap).
    """
    if not isinstance(data, Mapping):
        raise InvalidInput(_("Invalid lottery."), [])
    r = _Input(data)
    name = r.text("name", max_length=120, required=True)
    min_paid = r.money("min_paid", data.get("min_paid")) or 0
    raw = data.get("prizes")
    prizes = []
    if isinstance(raw, list):
        for index, prize in enumerate(raw):
            if isinstance(prize, Mapping):
                value = r.money(f"prizes[{index}].value", prize.get("value"), required=True)
                prizes.append({"name": str(prize.get("name") or "").strip(), "value_fen": value,
                               "count": r.count(f"prizes[{index}].count", prize.get("count", 1), low=1, high=10_000)})
            else:
                prizes.append(prize)
    else:
        prizes = raw
    for field, code in domain.prize_problems(prizes):
        if not any(e.field == field for e in r.errors.errors):
            _problem(r.errors, field, code)
    r.errors.raise_if_any(_("The lottery was not saved: some fields are invalid."))
    lottery = Lottery.objects.create(shop=campaign.shop, campaign=campaign, name=name, min_paid_fen=min_paid,
                                     prizes=prizes)
    audit_record(action="lottery.create", object_type="lottery", object_id=lottery.pk, shop=campaign.shop,
                 actor=actor, object_repr=name or "",
                 changes={"prizes": [None, [{**p, "value_fen": format_fen(p["value_fen"])} for p in prizes]]})
    return lottery


@transaction.atomic
def lottery_draw(*, lottery: Lottery, seed: str = "", actor: AbstractBaseUser | None = None) -> Lottery:
    """Draw once: record the seed, the eligible-list hash and the winners. Anyone can re-run ``domain.draw``
    with the recorded seed on the same eligible list and get the same winners."""
    lottery = Lottery.objects.select_for_update().get(pk=lottery.pk)
    if lottery.drawn_at is not None:
        raise Conflict(_("This lottery was already drawn."))
    seed = (seed or "").strip() or secrets.token_hex(8)
    if len(seed) > 64:
        raise InvalidInput(_("Invalid seed."), [])
    eligible = analysis.lottery_eligible(campaign=lottery.campaign, min_paid_fen=lottery.min_paid_fen)
    winners = domain.draw(seed=seed, eligible=eligible, prizes=lottery.prizes)
    lottery.seed = seed
    lottery.eligible_hash = domain.eligible_hash(eligible)
    lottery.eligible_count = len(eligible)
    lottery.winners = [{**w, "customer_code": eligible[w["customer_id"]]["code"]} for w in winners]
    lottery.drawn_at = now()
    lottery.drawn_by = actor if actor is not None and actor.is_authenticated else None
    lottery.save()
    audit_record(action="lottery.draw", object_type="lottery", object_id=lottery.pk, shop=lottery.shop, actor=actor,
                 object_repr=lottery.name, changes={"seed": [None, seed], "eligible_hash": [None, lottery.eligible_hash],
                                                    "winners": [None, len(winners)]})
    return lottery


# --- calendar ----------------------------------------------------------------------------------------------


@transaction.atomic
def calendar_entry_save(*, shop: Shop, data: Mapping[str, Any], actor: AbstractBaseUser | None = None
                        ) -> CalendarPreset:
    """Edit a calendar entry for this shop (dates of a platform event of a year, or a store theme's day);
    the shipped preset stays as it is for other shops."""
    r = _Input(data)
    code = r.text("code", max_length=40, required=True)
    year = r.count("year", data.get("year"), low=2000, high=2100)
    current = analysis.calendar_entry(shop=shop, code=code or "", year=year) if code else None
    name = r.text("name", max_length=80) or (current or {}).get("name") or ""
    if not name:
        r.errors.add("name", _("Required."))
    kind = data.get("kind") or (current or {}).get("kind") or CalendarPreset.Kind.PLATFORM
    if kind not in CalendarPreset.Kind.values:
        r.errors.add("kind", _("Expected platform or store."))
    values: dict[str, Any] = {}
    for key in ("warmup_start", "main_start", "main_end", "return_end"):
        values[key] = r.date(key) if r.has(key) else (current or {}).get(key)
    if year is not None:
        for field, problem in domain.phase_problems(**values):
            if not any(e.field == field for e in r.errors.errors):
                _problem(r.errors, field, problem)
    day = r.count("day_of_month", data.get("day_of_month"), low=1, high=31) if r.has("day_of_month") else (
        (current or {}).get("day_of_month"))
    length = r.count("length_days", data.get("length_days"), low=1, high=31) or (current or {}).get("length_days") or 1
    note = r.text("note", max_length=200) if r.has("note") else (current or {}).get("note", "")
    hidden = bool(data.get("hidden", (current or {}).get("hidden", False)))
    r.errors.raise_if_any(_("The calendar entry was not saved."))
    preset, _created = CalendarPreset.objects.update_or_create(
        shop=shop, code=code, year=year,
        defaults={"name": name, "kind": kind, **values, "day_of_month": day, "length_days": length,
                  "note": note or "", "hidden": hidden})
    audit_record(action="calendar.save", object_type="calendar", object_id=preset.pk, shop=shop, actor=actor,
                 object_repr=str(preset), changes={k: [str((current or {}).get(k)), str(v)] for k, v in values.items()
                                                   if (current or {}).get(k) != v})
    return preset


# --- demo --------------------------------------------------------------------------------------------------


def _preset_for(shop: Shop, code: str, year: int) -> dict:
    entry = analysis.calendar_entry(shop=shop, code=code, year=year)
    if entry is not None:
        return entry
    template = analysis.calendar_entry(shop=shop, code=code, year=2026)
    assert template is not None
    shifted = {k: template[k].replace(year=year) for k in ("warmup_start", "main_start", "main_end", "return_end")}
    return {**template, **shifted, "year": year}


def _users_by_role(shop: Shop) -> dict[str, AbstractBaseUser]:
    out: dict[str, AbstractBaseUser] = {}
    for user in core_selectors.users_of_shop(shop=shop):
        role = core_selectors.user_role(user=user)
        if role and role not in out:
            out[role] = user
    return out


@transaction.atomic
def campaigns_demo_seed(*, shop: Shop, end_date: dt.date) -> dict[str, Any]:
    """The demo's campaigns: the last 双11 before ``end_date`` (inside the order history, with its review and a
    drawn lottery) and the next 双12 (promotions, SKUs, checklist, simulation). Idempotent by name."""
    past_year = end_date.year if end_date >= dt.date(end_date.year, 11, 13) else end_date.year - 1
    past_preset = _preset_for(shop, "double11", past_year)
    upcoming_year = end_date.year if end_date < dt.date(end_date.year, 12, 8) else end_date.year + 1
    next_preset = _preset_for(shop, "double12", upcoming_year)
    catalog = catalog_selectors.skus_by_code(shop=shop)
    codes = sorted(code for code, sku in catalog.items() if sku.active)
    cheapest = min(codes, key=lambda c: (catalog[c].cost_fen, c)) if codes else None
    users = _users_by_role(shop)
    done: dict[str, Any] = {}

    past_name = f"双11 {past_year}"
    past = Campaign.objects.filter(shop=shop, name=past_name).first()
    if past is None:
        past = campaign_save(shop=shop, data={
            "name": past_name, "preset": "double11", "year": past_year, "kind": "platform",
            **{k: past_preset[k].isoformat() for k in ("warmup_start", "main_start", "main_end", "return_end")},
            "channels": ["tmall", "jd", "douyin", "pdd", "xiaohongshu", "own-site", "wecom"],
            "goals": {"gmv": "400000.00", "new_buyers": 800}, "budget": "60000.00",
            "skus": codes,
            "promotions": [  # the labels the demo's orders carry (shopops/demo/gen_calendar.py: _promo_for)
                {"id": "d11-item", "name": "双11 单品直降", "type": "item_discount", "percent_off": 15},
                {"id": "d11-cross", "name": "双11 跨店每满300减50", "type": "every_off", "level": "platform",
                 "every": "300.00", "off": "50.00"},
                {"id": "d11-coupon", "name": "店铺券 满399减40", "type": "coupon", "level": "shop",
                 "threshold": "399.00", "off": "40.00"},
            ],
            "checklist": [
                {"kind": "assets", "title": "主图与详情页 双11 版", "owner": _name(users, roles.OPERATOR),
                 "due_date": (past_preset["warmup_start"] - dt.timedelta(days=5)).isoformat(), "done": True},
                {"kind": "stock", "title": "爆款备货", "owner": _name(users, roles.OPERATOR),
                 "due_date": (past_preset["warmup_start"] - dt.timedelta(days=3)).isoformat(), "done": True},
            ],
        })
        review = campaign_review_save(campaign=past)
        gmv = parse_fen(review["kpis"]["gmv"])
        past.goal_gmv_fen = max(100_000, gmv * 9 // 10 // 100_000 * 100_000)  # a goal the demo nearly beat
        past.save(update_fields=["goal_gmv_fen"])
        campaign_review_save(campaign=past)
        lottery = lottery_create(campaign=past, data={
            "name": "双11 晒单抽奖", "min_paid": "300.00",
            "prizes": [{"name": "一等奖 护肤礼盒", "value": "1299.00", "count": 1},
                       {"name": "二等奖 正装精华", "value": "399.00", "count": 3},
                       {"name": "三等奖 旅行装", "value": "59.00", "count": 10}]})
        lottery_draw(lottery=lottery, seed=f"demo-{past_year}")
    done["past"] = past.pk

    next_name = f"双12 {upcoming_year}"
    upcoming = Campaign.objects.filter(shop=shop, name=next_name).first()
    if upcoming is None:
        top = codes[:60]
        skus: list[Any] = list(top)
        if len(top) >= 3:  # two SKUs whose claimed 原价 and floor the simulation should flag
            skus[0] = {"sku": top[0], "claimed_original": format_fen(catalog[top[0]].price_fen * 12 // 10)}
            skus[1] = {"sku": top[1], "floor": format_fen(catalog[top[1]].price_fen * 95 // 100)}
        promotions: list[dict] = [
            {"id": "d12-item", "name": "双12 单品直降", "type": "item_discount", "percent_off": 8},
            {"id": "d12-platform", "name": "双12 满200减20", "type": "threshold_off", "level": "platform",
             "tiers": [{"threshold": "200.00", "off": "20.00"}]},
            {"id": "d12-coupon", "name": "店铺券 满199减15", "type": "coupon", "level": "shop",
             "threshold": "199.00", "off": "15.00"},
            {"id": "d12-member", "name": "会员价", "type": "member_price", "skus": top[2:4],
             "price": format_fen(catalog[top[2]].price_fen * 80 // 100)} if len(top) >= 4 else None,
        ]
        if cheapest:
            promotions.append({"id": "d12-gift", "name": "满299赠小样", "type": "gift", "level": "shop",
                               "threshold": "299.00", "gifts": [{"sku": cheapest, "qty": 1}]})
        warm = next_preset["warmup_start"]
        upcoming = campaign_save(shop=shop, data={
            "name": next_name, "preset": "double12", "year": upcoming_year, "kind": "platform",
            **{k: next_preset[k].isoformat() for k in ("warmup_start", "main_start", "main_end", "return_end")},
            "channels": ["tmall", "jd", "douyin", "pdd"],
            "goals": {"gmv": "150000.00", "uv": 60000, "new_buyers": 300}, "budget": "20000.00",
            "skus": skus, "promotions": [p for p in promotions if p], "min_margin": "0.15",
            "checklist": [
                {"kind": "assets", "title": "双12 主图/海报素材", "owner": _name(users, roles.OPERATOR),
                 "due_date": (warm - dt.timedelta(days=7)).isoformat()},
                {"kind": "storefront", "title": "店铺首页 双12 装修", "owner": _name(users, roles.OPERATOR),
                 "due_date": (warm - dt.timedelta(days=3)).isoformat()},
                {"kind": "stock", "title": "活动库存核对", "owner": _name(users, roles.ADMIN),
                 "due_date": (warm - dt.timedelta(days=4)).isoformat()},
                {"kind": "cs_scripts", "title": "客服话术：满减与赠品规则", "owner": _name(users, roles.SERVICE),
                 "due_date": (warm - dt.timedelta(days=2)).isoformat()},
            ],
        })
        campaign_simulate(campaign=upcoming, as_of=end_date)
    done["upcoming"] = upcoming.pk
    return done


def _name(users: Mapping[str, AbstractBaseUser], role: str) -> str | None:
    user = users.get(role)
    return user.get_username() if user is not None else None
