"""Campaign plans: checked whole (every problem at once, each naming its field), then written in one
transaction; changes of money and prices are audited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _

from shopops.campaigns import analysis, domain
from shopops.campaigns.inputs import CampaignIn, campaign_input
from shopops.campaigns.models import Campaign, CampaignSku
from shopops.campaigns.services.checklist import checklist_replace
from shopops.campaigns.services.problems import problems_add
from shopops.campaigns.services.scope import checklist_read, promotions_read, skus_read
from shopops.catalog import selectors as catalog_selectors
from shopops.core.errors import ErrorCollector
from shopops.core.models import Shop, User
from shopops.core.money import format_fen
from shopops.core.services import audit_record

PHASE_FIELDS = ("warmup_start", "main_start", "main_end", "return_end")
RATE_FIELDS = (("min_margin", "min_margin_bp"), ("default_floor", "floor_bp"))
AUDITED_MONEY = ("budget_fen", "goal_gmv_fen")


@dataclass
class _Draft:
    """What a save will write: model fields, and the lists that replace the campaign's (None: unchanged)."""

    plan: CampaignIn
    campaign: Campaign | None
    errors: ErrorCollector = field(default_factory=ErrorCollector)
    fields: dict[str, Any] = field(default_factory=dict)
    skus: list[dict] | None = None
    checklist: list[dict] | None = None

    @property
    def creating(self) -> bool:
        return self.campaign is None


@transaction.atomic
def campaign_save(*, shop: Shop, data: CampaignIn | Mapping[str, Any],
                  actor: User | AnonymousUser | None = None, campaign: Campaign | None = None) -> Campaign:
    """Create a campaign (``campaign`` None) or change the fields given in ``data``; all or nothing.

    ``data`` is a ``CampaignIn`` (a mapping is read through it): name, kind, preset (+ year: takes the calendar
    entry's dates and name when they are not given), the four phase dates, goals, budget, channels, promotions
    (pricing contract JSON), skus, checklist, costs, min_margin, default_floor, reference_days,
    reference_basis, notes. Problems come back at once, each naming its field (HTTP 422 / exit 2): first
    those of the fields' shapes, then those against the shop and between fields.
    """
    draft = _Draft(plan=campaign_input(data), campaign=campaign)
    preset = _preset_read(draft, shop)
    _name_read(draft, preset)
    _dates_read(draft, preset)
    _money_read(draft)
    _settings_read(draft)
    _lists_read(draft, shop)
    draft.errors.raise_if_any(_("The campaign was not saved: some fields are invalid."))
    return _write(draft, shop, actor)


def _preset_read(draft: _Draft, shop: Shop) -> dict | None:
    """The calendar entry the plan starts from (its year's dates, else the entry without a year)."""
    code = draft.plan.preset
    if not code:
        return None
    preset = (analysis.calendar_entry(shop=shop, code=code, year=draft.plan.year)
              or analysis.calendar_entry(shop=shop, code=code, year=None))
    if preset is None:
        draft.errors.add("preset", _("No calendar entry %(code)s for that year.") % {"code": code})
        return None
    draft.fields.update(preset=preset["code"], kind=preset["kind"])
    return preset


def _name_read(draft: _Draft, preset: dict | None) -> None:
    """A name is required, unless a preset names the campaign ("双12 2026")."""
    plan = draft.plan
    if not (plan.given("name") or draft.creating):
        return
    if plan.name or preset is None:
        if plan.name is None:
            draft.errors.add("name", _("Required."))
        draft.fields["name"] = plan.name
    else:
        draft.fields["name"] = f"{preset['name']} {preset['year'] or ''}".strip()


def _dates_read(draft: _Draft, preset: dict | None) -> None:
    """The phases: given, else the preset's, else the campaign's; in order and not too long."""
    plan, dates = draft.plan, {}
    for key in PHASE_FIELDS:
        value = getattr(plan, key)
        if value is None and preset is not None and not plan.given(key):
            value = preset.get(key)
        if value is None and draft.campaign is not None:
            value = getattr(draft.campaign, key)
        dates[key] = value
    problems_add(draft.errors, domain.phase_problems(**dates))
    draft.fields.update({k: v for k, v in dates.items() if v is not None})


def _money_read(draft: _Draft) -> None:
    plan = draft.plan
    if plan.given("goals") and plan.goals is not None:
        draft.fields.update(goal_gmv_fen=plan.goals.gmv, goal_uv=plan.goals.uv,
                            goal_new_buyers=plan.goals.new_buyers)
    if plan.given("budget"):
        draft.fields["budget_fen"] = plan.budget or 0


def _settings_read(draft: _Draft) -> None:
    """Kind, channels and their cost overrides, the simulation's parameters, notes."""
    plan = draft.plan
    if plan.given("kind"):
        draft.fields["kind"] = plan.kind  # over the preset's
    channels = list(draft.campaign.channels) if draft.campaign else []
    if plan.given("channels") and plan.channels is not None:
        channels = draft.fields["channels"] = plan.channels
    if plan.given("costs"):
        problems_add(draft.errors, domain.cost_override_problems(plan.costs, channels))
        draft.fields["costs"] = plan.costs
    for key, model_field in RATE_FIELDS:
        if getattr(plan, key) is not None:
            draft.fields[model_field] = getattr(plan, key)
    if plan.reference_days is not None:
        draft.fields["reference_days"] = plan.reference_days
    if plan.given("reference_basis"):
        draft.fields["reference_basis"] = plan.reference_basis
    if plan.given("notes"):
        draft.fields["notes"] = plan.notes or ""


def _lists_read(draft: _Draft, shop: Shop) -> None:
    """SKUs, promotions and checklist against the shop. Narrowing the SKUs must keep the promotions valid."""
    plan, campaign = draft.plan, draft.campaign
    catalog: dict[str, Any] = {}
    if plan.skus is not None or plan.promotions is not None:
        catalog = catalog_selectors.skus_by_code(shop=shop)
    if plan.skus is not None:
        draft.skus = skus_read(draft.errors, plan.skus, catalog)
    if draft.skus is not None:
        scope = {s["sku"] for s in draft.skus}
    else:
        scope = {row.sku_code for row in analysis.campaign_skus(campaign=campaign)} if campaign else set()
    if plan.promotions is not None:
        draft.fields["promotions"] = promotions_read(draft.errors, plan.promotions, shop, scope, catalog)
    elif draft.skus is not None and campaign is not None and campaign.promotions:
        promotions_read(draft.errors, campaign.promotions, shop, scope, catalog)
    if plan.checklist is not None:
        draft.checklist = checklist_read(draft.errors, plan.checklist, shop)


# --- writing ------------------------------------------------------------------------------------------------


def _write(draft: _Draft, shop: Shop, actor: User | AnonymousUser | None) -> Campaign:
    before = {k: getattr(draft.campaign, k) for k in (*AUDITED_MONEY, "promotions")} if draft.campaign else {}
    campaign = draft.campaign or Campaign(
        shop=shop, created_by=actor if actor is not None and actor.is_authenticated else None, channels=["tmall"])
    for key, value in draft.fields.items():
        setattr(campaign, key, value)
    campaign.save()
    changes = {k: [_show(before.get(k)), _show(getattr(campaign, k))] for k in AUDITED_MONEY
               if draft.creating or before.get(k) != getattr(campaign, k)}
    if draft.creating or before.get("promotions") != campaign.promotions:
        changes["promotions"] = [None if draft.creating else [p.get("id") for p in before["promotions"]],
                                 [p.get("id") for p in campaign.promotions]]
    if draft.skus is not None:
        changes.update(_skus_replace(campaign, draft.skus))
    if draft.checklist is not None:
        checklist_replace(campaign=campaign, items=draft.checklist)
    if changes:
        audit_record(action="campaign.create" if draft.creating else "campaign.update", object_type="campaign",
                     object_id=campaign.pk, shop=shop, actor=actor, object_repr=campaign.name, changes=changes)
    return campaign


def _show(value: object) -> object:
    return format_fen(value) if isinstance(value, int) else value


def _skus_replace(campaign: Campaign, skus: list[dict]) -> dict[str, list]:
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
        out["sku_prices"] = [{c: [_show(v) for v in old.get(c, none)] for c in priced[:50]},
                             {c: [_show(v) for v in new.get(c, none)] for c in priced[:50]}]
    return out
