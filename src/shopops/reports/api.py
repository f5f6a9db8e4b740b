"""/api/v1/todos: the signed-in person's to-do items (as on /todos/): list, status, snooze, assign, due date,
comments. Every role has its own list (``VIEW_DASHBOARD``, which every role holds); an item the person does
not see answers 404, as on the page."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from shopops.core.api_auth import current_shop, needs
from shopops.core.errors import FieldError, InvalidInput
from shopops.core.roles import VIEW_DASHBOARD
from shopops.core.schemas import ERRORS, MAX_DB_ID
from shopops.core.selectors import users_of_shop
from shopops.reports import selectors, services
from shopops.reports.models import TodoComment, TodoItem
from shopops.reports.services import MAX_COMMENT_CHARS

router = Router(tags=["reports"])


class CommentOut(Schema):
    id: int
    author: str
    text: str
    created_at: dt.datetime


class TodoOut(Schema):
    id: int
    source: str
    key: str
    title: str
    detail: str
    severity: str
    status: str
    assignee: str | None
    role: str
    due_date: dt.date | None
    snoozed_until: dt.date | None
    url: str
    data: dict
    created_at: dt.datetime
    closed_at: dt.datetime | None


class TodoFilters(Schema):
    status: str = Field("open", pattern="^(open|snoozed|done|dismissed|all)$")
    source: str = Field("", max_length=40)


# Bodies are checked after the item is found (another shop's or person's item is 404 whatever the body says):
# their fields have defaults here and are required by the endpoint (``_given``) or refused by the service.


class StatusIn(Schema):
    status: str = Field("", max_length=20)


class SnoozeIn(Schema):
    until: dt.date | None = None  # required; null wakes the item up


class AssignIn(Schema):
    assignee: str | None = Field(None, max_length=150)  # required: a username of the shop, null for nobody


class DueDateIn(Schema):
    due_date: dt.date | None = None  # required; null clears it


class CommentIn(Schema):
    text: str = Field("", max_length=MAX_COMMENT_CHARS)


def _todo_out(item: TodoItem) -> dict:
    return {"id": item.pk, "source": item.source, "key": item.key, "title": item.title, "detail": item.detail,
            "severity": item.severity, "status": item.status,
            "assignee": item.assignee.get_username() if item.assignee else None, "role": item.role,
            "due_date": item.due_date, "snoozed_until": item.snoozed_until, "url": item.url, "data": item.data,
            "created_at": item.created_at, "closed_at": item.closed_at}


def _comment_out(comment: TodoComment) -> dict:
    return {"id": comment.pk, "author": comment.author.get_username() if comment.author else "",
            "text": comment.text, "created_at": comment.created_at}


def _mine(request: HttpRequest, item_id: int) -> TodoItem:
    item = selectors.todos_for(shop=current_shop(request), user=request.auth, status=None).filter(
        pk=item_id).first()
    if item is None:
        raise HttpError(404, _("No such to-do item."))
    return item


def _given(payload: Schema, name: str) -> None:
    """Refuse a body that leaves out ``name`` (null is a value: it clears)."""
    if name not in payload.model_fields_set:
        raise InvalidInput(_("Invalid input."), [FieldError(name, _("This field is required."))])


def _user_id(request: HttpRequest, username: str | None) -> int | None:
    """The id of the shop's user named ``username`` (0 for none such: the service refuses it by name)."""
    if username is None:
        return None
    return users_of_shop(shop=current_shop(request)).filter(username=username).values_list(
        "pk", flat=True).first() or 0


@router.get("", response={200: list[TodoOut], **ERRORS}, auth=needs(VIEW_DASHBOARD))
def list_todos(request: HttpRequest, filters: Query[TodoFilters]) -> list[dict]:
    """My items (assigned to me, to my role or to nobody); ``status=snoozed`` lists the snoozed open ones."""
    status = None if filters.status == "all" else filters.status
    items = selectors.todos_for(shop=current_shop(request), user=request.auth, status=status,
                                source=filters.source or None)[:500]
    return [_todo_out(item) for item in items]


@router.post("/{item_id}/status", response={200: TodoOut, **ERRORS}, auth=needs(VIEW_DASHBOARD))
def set_status(request: HttpRequest, payload: StatusIn, item_id: int = Path(..., ge=1, le=MAX_DB_ID)) -> dict:
    _mine(request, item_id)
    return _todo_out(services.todo_set_status(shop=current_shop(request), item_id=item_id, status=payload.status,
                                              actor=request.auth))


@router.post("/{item_id}/snooze", response={200: TodoOut, **ERRORS}, auth=needs(VIEW_DASHBOARD))
def snooze(request: HttpRequest, payload: SnoozeIn, item_id: int = Path(..., ge=1, le=MAX_DB_ID)) -> dict:
    _mine(request, item_id)
    _given(payload, "until")
    return _todo_out(services.todo_snooze(shop=current_shop(request), item_id=item_id, until=payload.until,
                                          actor=request.auth))


@router.post("/{item_id}/assign", response={200: TodoOut, **ERRORS}, auth=needs(VIEW_DASHBOARD))
def assign(request: HttpRequest, payload: AssignIn, item_id: int = Path(..., ge=1, le=MAX_DB_ID)) -> dict:
    _mine(request, item_id)
    _given(payload, "assignee")
    return _todo_out(services.todo_assign(shop=current_shop(request), item_id=item_id, actor=request.auth,
                                          assignee_id=_user_id(request, payload.assignee)))


@router.post("/{item_id}/due", response={200: TodoOut, **ERRORS}, auth=needs(VIEW_DASHBOARD))
def set_due_date(request: HttpRequest, payload: DueDateIn, item_id: int = Path(..., ge=1, le=MAX_DB_ID)) -> dict:
    _mine(request, item_id)
    _given(payload, "due_date")
    return _todo_out(services.todo_set_due_date(shop=current_shop(request), item_id=item_id,
                                                due_date=payload.due_date, actor=request.auth))


@router.get("/{item_id}/comments", response={200: list[CommentOut], **ERRORS}, auth=needs(VIEW_DASHBOARD))
def list_comments(request: HttpRequest, item_id: int = Path(..., ge=1, le=MAX_DB_ID)) -> list[dict]:
    _mine(request, item_id)
    comments = selectors.todo_comments(shop=current_shop(request), item_ids=[item_id])[item_id]
    return [_comment_out(c) for c in comments]


@router.post("/{item_id}/comments", response={201: CommentOut, **ERRORS}, auth=needs(VIEW_DASHBOARD))
def add_comment(request: HttpRequest, payload: CommentIn, item_id: int = Path(..., ge=1, le=MAX_DB_ID)) -> tuple[int, dict]:
    _mine(request, item_id)
    comment = services.todo_comment_add(shop=current_shop(request), item_id=item_id, text=payload.text,
                                        author=request.auth)
    return 201, _comment_out(comment)
