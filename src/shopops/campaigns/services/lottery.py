"""Lotteries of a campaign: created with capped prizes, drawn once, reproducibly."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _

from shopops.campaigns import analysis, domain
from shopops.campaigns.inputs import LotteryIn, lottery_input
from shopops.campaigns.models import Campaign, Lottery
from shopops.campaigns.services.problems import problems_add
from shopops.core.clock import now
from shopops.core.errors import Conflict, ErrorCollector, InvalidInput
from shopops.core.models import User
from shopops.core.money import format_fen
from shopops.core.services import audit_record

MAX_SEED = 64


@transaction.atomic
def lottery_create(*, campaign: Campaign, data: LotteryIn | Mapping[str, Any],
                   actor: User | None = None) -> Lottery:
    """A lottery with prizes [{name, value, count}] and the eligibility threshold ``min_paid``.

    No prize may be worth more than ¥50,000 → 422 (《反不正当竞争法》 art. 10;
    docs/rules/campaigns.md#lottery-prize-cap).
    """
    lottery_in = lottery_input(data)
    prizes = None if lottery_in.prizes is None else [
        {"name": prize.name or "", "value_fen": prize.value, "count": prize.count} for prize in lottery_in.prizes]
    errors = ErrorCollector()
    if lottery_in.name is None:
        errors.add("name", _("Required."))
    problems_add(errors, domain.prize_problems(prizes))
    errors.raise_if_any(_("The lottery was not saved: some fields are invalid."))
    assert prizes is not None  # prize_problems refuses a missing list
    lottery = Lottery.objects.create(shop=campaign.shop, campaign=campaign, name=lottery_in.name,
                                     min_paid_fen=lottery_in.min_paid or 0, prizes=prizes)
    audit_record(action="lottery.create", object_type="lottery", object_id=lottery.pk, shop=campaign.shop,
                 actor=actor, object_repr=lottery_in.name,
                 changes={"prizes": [None, [{**p, "value_fen": format_fen(p["value_fen"])} for p in prizes]]})
    return lottery


@transaction.atomic
def lottery_draw(*, lottery: Lottery, seed: str = "", actor: User | AnonymousUser | None = None) -> Lottery:
    """Draw once: record the seed, the eligible-list hash and the winners. Anyone can re-run ``domain.draw``
    with the recorded seed on the same eligible list and get the same winners."""
    lottery = Lottery.objects.select_for_update().get(pk=lottery.pk)
    if lottery.drawn_at is not None:
        raise Conflict(_("This lottery was already drawn."))
    seed = (seed or "").strip() or secrets.token_hex(8)
    if len(seed) > MAX_SEED:
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
