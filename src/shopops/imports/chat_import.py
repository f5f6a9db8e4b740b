"""A chat export's import (``target="chats"``): read → convert → sessions (``formats.chat_formats``) → ONE
``service.services.chats.chat_sessions_import`` in one transaction (docs/formats.md#chat-formats).

All or nothing, always: a bad cell, an unknown sender or a session with two buyers rejects the file, each problem
named by row and column, and nothing is written. The same file again changes nothing (every row unchanged); the
summary's ``changes`` counts sessions and messages inserted, updated and unchanged and the sessions linked to a
customer by the buyer nick. A session of a customer with an open ticket about an order adds its messages to that
ticket (``service.services.chat_tickets``; ``ticket_messages`` counts them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.db import transaction

from shopops.core.errors import FieldError, ShopOpsError
from shopops.imports.formats.base import Format, RowProblem
from shopops.imports.formats.chat_formats import AGENT, BUYER, CONTENT, SENDER, SESSION, TIME, chat_sessions
from shopops.imports.models import ImportJob
from shopops.imports.order_import import read_groups
from shopops.imports.outcome import DryRunRollback, Outcome, Tally, rejected_file
from shopops.service.services import chats as chat_services
from shopops.service.services.chat_tickets import chat_tickets_attach

_COLUMN_OF = {"session_id": SESSION, "buyer": BUYER, "agent": AGENT, "side": SENDER, "sent_at": TIME,
              "text": CONTENT}


def run_chats(job: ImportJob, fmt: Format, progress: Callable[[float, str], None]) -> Outcome:
    tally = Tally()
    groups = read_groups(job.file_path, fmt.columns, BUYER, tally, job.shop.timezone,
                         progress=lambda f: progress(0.4 * f, "read"))
    records = sorted((r for rows in groups.values() for r in rows), key=lambda r: int(r["_row"]))  # type: ignore[call-overload]
    tally.rows = len(records)
    progress(0.45, "check")
    if tally.errors:
        return rejected_file(tally.rows, tally.errors)
    try:
        drafts = chat_sessions(records)
    except RowProblem as problem:
        return rejected_file(tally.rows, [FieldError(problem.column, problem.text, problem.row)])
    sessions = [chat_services.ChatSessionInput(
        session_id=d.session_id, buyer_nick=d.buyer, row=d.row,
        messages=tuple(chat_services.ChatMessageInput(side=m.side, sent_at=m.sent_at, agent=m.agent, text=m.text,
                                                      row=m.row) for m in d.messages)) for d in drafts]
    progress(0.5, "write")
    account = job.channel_account
    try:
        with transaction.atomic():
            channel = account.channel if account is not None else fmt.channel
            result = chat_services.chat_sessions_import(
                shop=job.shop, channel=channel, sessions=sessions,
                channel_account_id=account.pk if account is not None else None)
            attached = chat_tickets_attach(shop=job.shop, channel=channel, session_ids=[s.session_id for s in sessions])
            if job.options.get("dry_run"):
                raise DryRunRollback((result, attached))
    except DryRunRollback as rollback:
        result, attached = cast(tuple[chat_services.ChatImportResult, int], rollback.result)
    except ShopOpsError as refused:
        return rejected_file(tally.rows, [FieldError(_COLUMN_OF.get(e.field, e.field), e.message, e.row)
                                      for e in refused.errors or [FieldError("", refused.detail)]])
    return Outcome(rows=tally.rows, inserted=result.rows["inserted"], updated=result.rows["updated"],
                   unchanged=result.rows["unchanged"], changes={**result.as_dict(), "ticket_messages": attached})
