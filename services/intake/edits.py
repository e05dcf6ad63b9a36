"""The requester corrects a request before anyone picks it up: its text, wished-for date or
urgency (files: attachments.py). Each edit is a change like any other — a new version, a timeline
entry naming what changed, and `RequestEdited` — in one transaction. Once a member has accepted
it, changes go through the conversation instead."""

from datetime import timedelta
from typing import Any
from uuid import UUID

from services.contracts.intake_api import RequestEdit
from services.intake import access, attachments, changes, domain, store_catalogue
from services.intake.domain import TransitionRefused
from services.platform import outbox
from services.platform.db import Conn
from services.platform.errors import Invalid
from services.platform.tokens import Caller

FIELDS = ("description", "urgency", "wished_for")


async def edit(conn: Conn, caller: Caller, request_id: UUID, body: RequestEdit) -> list[str]:
    """Apply the requester's corrections; returns the names of the fields that changed."""
    row = access.visible(await changes.locked(conn, request_id), caller)
    access.require_requester(caller, row, "change this request")
    if row.status not in domain.NOT_STARTED:
        raise TransitionRefused("work has started: write what changed in the conversation instead")
    wanted: dict[str, Any] = {}
    if body.description is not None:
        wanted["description"] = body.description.strip()
        if not wanted["description"]:
            raise Invalid("description: describe what you need")
    if body.urgency is not None:
        wanted["urgency"] = body.urgency
    if body.wished_for is not None or not body.keep_wished_for:
        if body.wished_for is not None and body.wished_for < (changes.now() - timedelta(days=1)).date():
            raise Invalid("wished_for: the wished-for date is in the past")
        wanted["wished_for"] = body.wished_for
    changed = {k: v for k, v in wanted.items() if getattr(row, k) != v}
    if not changed:
        return []
    if "urgency" in changed:
        rtype = await store_catalogue.get_type(conn, row.type_id)
        assert rtype is not None
        level = domain.ServiceLevel(rtype.pickup_minutes, rtype.complete_minutes)
        changed["pickup_due_at"], changed["done_due_at"] = domain.due_times(row.submitted_at, level, changed["urgency"])
    names = [f for f in FIELDS if f in changed]
    version = await changes.mark(
        conn, row, kind="edited", actor_id=caller.account_id, detail=",".join(names), **changed
    )
    edited = await changes.locked(conn, request_id)
    await outbox.add(conn, attachments.edited_event(edited, version, names))
    return names
