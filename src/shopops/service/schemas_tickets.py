"""Bodies and answers of /api/v1/service/tickets."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from shopops.core.schemas import MAX_DB_ID, PageParams
from shopops.service.services.tickets import MAX_SUBJECT, MAX_TAGS, MAX_TEXT


class TicketFilters(PageParams):
    status: str = Field("", pattern="^(|open|pending|resolved|closed)$")
    type: str = Field("", max_length=20)
    assignee: str = Field("", max_length=150, description="a username of the shop; “-” for unassigned")
    channel: str = Field("", max_length=20)
    sla_state: str = Field("", pattern="^(|ok|warning|breached|met)$")


class TargetOut(Schema):
    due: dt.datetime | None
    state: str
    used_minutes: int
    allowance_minutes: int
    met_at: dt.datetime | None


class TicketOut(Schema):
    id: int
    subject: str
    type: str
    priority: str
    status: str
    channel: str
    order: dict | None
    customer: dict | None
    assignee: str | None
    tags: list[str]
    policy: str | None
    sla_state: str
    first_response_due: dt.datetime | None
    next_response_due: dt.datetime | None
    resolution_due: dt.datetime | None
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None
    merged_into: int | None
    created_at: dt.datetime


class TicketPage(Schema):
    items: list[TicketOut]
    count: int


class EventOut(Schema):
    kind: str
    at: dt.datetime
    actor: str | None
    text: str
    data: dict


class TicketDetailOut(TicketOut):
    sla: dict[str, TargetOut]
    history: list[EventOut]


class TicketIn(Schema):
    subject: str = Field("", max_length=MAX_SUBJECT)
    type: str = Field("inquiry", max_length=20)
    priority: str = Field("normal", max_length=10)
    channel: str = Field("", max_length=20)
    order: int | None = Field(None, ge=1, le=MAX_DB_ID)
    customer: int | None = Field(None, ge=1, le=MAX_DB_ID)
    assignee: str | None = Field(None, max_length=150)
    tags: list[str] = Field(default_factory=list, max_length=MAX_TAGS)
    text: str = Field("", max_length=MAX_TEXT)


class AssignIn(Schema):
    assignee: str | None = Field(None, max_length=150)  # required: a username of the shop, null for nobody


class TextIn(Schema):
    text: str = Field("", max_length=MAX_TEXT)


class MergeIn(Schema):
    # required (checked after the ticket is found: another shop's ticket is 404 whatever the body says)
    into: int | None = Field(None, ge=1, le=MAX_DB_ID)

