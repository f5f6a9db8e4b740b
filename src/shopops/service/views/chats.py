"""Chats (客服聊天): per agent and per channel over a period, the sessions, first response, 询单 and
询单转化率, 3-minute reply rate and 有效回复率 (docs/rules/service-chats.md); the shop's total first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shopops.channels.labels import channel_label
from shopops.core import roles
from shopops.core.errors import InvalidInput
from shopops.service.selectors.chats import chat_kpis_report
from shopops.service.views.common import TO, duration_text
from shopops.ui.params import tell_bad_query
from shopops.ui.permissions import page_requires


def _row(row: dict[str, Any], name: str) -> dict[str, Any]:
    return {**row, "name": name, "first_avg": duration_text(row["first_response_avg_seconds"]),
            "first_p50": duration_text(row["first_response_p50_seconds"]),
            "response_avg": duration_text(row["response_avg_seconds"])}


def chats_context(request: HttpRequest) -> dict[str, Any]:
    """The report of the period asked (the 30 days up to the last chat by default), its rows named."""
    shop = request.shop
    try:
        report = chat_kpis_report(shop=shop, date_from=request.GET.get("from"), date_to=request.GET.get("to"))
    except InvalidInput as exc:
        tell_bad_query(request, TO, " ".join(e.message for e in exc.errors) or exc.detail)
        report = chat_kpis_report(shop=shop)
    agents: list[dict[str, Any]] = report["agents"]  # type: ignore[assignment]
    channels: list[dict[str, Any]] = report["channels"]  # type: ignore[assignment]
    total = report["total"]
    return {"start": dt.date.fromisoformat(str(report["from"])), "end": dt.date.fromisoformat(str(report["to"])),
            "total": _row(total, "") if isinstance(total, dict) else None,
            "agents": [_row(r, r["agent"]) for r in agents],
            "channels": [_row(r, channel_label(r["channel"])) for r in channels]}


@page_requires(roles.VIEW_TICKETS)
def service_chats(request: HttpRequest) -> HttpResponse:
    return render(request, "service/chats.html", {"tab": "chats", **chats_context(request)})
