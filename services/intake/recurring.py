"""Recurring requests (standing orders): the requester turns a request into "every Monday" or
"the first working day of the month"; each time it comes round intake sends a new request of the
same type and text, with copies of its files, as if the requester had sent it. The requester
pauses, resumes or stops it. Public holidays come from the `holidays` package (SECPOOL_HOLIDAYS).

Sending is safe with several replicas and after a restart: due schedules are claimed with
SKIP LOCKED, and each request's idempotency key is the schedule and its day.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from uuid import UUID, uuid4

import holidays as holiday_calendars
import msgspec
import structlog

from services.contracts.intake_api import NewRequest, Rule
from services.intake import access, changes, lifecycle, recurrence, store, store_attachments, store_recurring
from services.intake.records import Attachment, Schedule
from services.intake.recurrence import IsHoliday
from services.platform.db import Conn, Pool
from services.platform.errors import Conflict, Forbidden, Invalid, NotFound
from services.platform.objects import Objects
from services.platform.tokens import Caller

log = structlog.get_logger(__name__)
STATES = {"pause": "paused", "resume": "active", "stop": "stopped"}


def public_holidays(country: str) -> IsHoliday:
    calendar = holiday_calendars.country_holidays(country)
    return lambda day: day in calendar


async def _copy_files(conn: Conn, objects: Objects, files: Sequence[Attachment], **owner: object) -> None:
    """Copies of these files (their own objects), owned by a schedule or a new request."""
    copied: list[str] = []
    try:
        for f in files:
            key = f"attachments/{uuid4()}"
            await objects.copy(f.object_key, key)
            copied.append(key)
            copy = msgspec.structs.replace(
                f, id=uuid4(), object_key=key, created_at=changes.now(), request_id=None, schedule_id=None
            )
            await store_attachments.insert(conn, msgspec.structs.replace(copy, **owner))
    except BaseException:
        for key in copied:
            await objects.delete(key)
        raise


async def create(
    conn: Conn,
    objects: Objects,
    caller: Caller,
    from_request: UUID,
    rule: Rule,
    weekday: int,
    today: date,
    is_holiday: IsHoliday,
) -> Schedule:
    row = access.visible(await store.get_request(conn, from_request), caller)
    if caller.account_id != row.requester_id:
        raise Forbidden("only the person who sent the request can repeat it")
    schedule = Schedule(
        id=uuid4(),
        requester_id=row.requester_id,
        on_behalf_of=row.on_behalf_of,
        pool_id=row.pool_id,
        type_id=row.type_id,
        description=row.description,
        urgency=row.urgency,
        language=row.language,
        rule=rule,
        weekday=weekday,
        state="active",
        next_on=recurrence.next_on(rule, weekday, today, is_holiday),
        last_on=None,
        created_at=changes.now(),
        type_name_nl=row.type_name_nl,
        type_name_en=row.type_name_en,
    )
    await store_recurring.insert(conn, schedule)
    mine = [a for a in await store_attachments.of_request(conn, from_request) if a.author_role == "requester"]
    await _copy_files(conn, objects, mine, schedule_id=schedule.id)
    return schedule


async def change(
    conn: Conn, caller: Caller, schedule_id: UUID, action: str, today: date, is_holiday: IsHoliday
) -> Schedule:
    """Pause, resume or stop; a stopped order is gone (its files too)."""
    found = await store_recurring.get(conn, schedule_id, for_update=True)
    if found is None or found.requester_id != caller.account_id:
        raise NotFound("no such recurring request")
    if found.state == "stopped":
        raise Conflict("this recurring request has been stopped")
    next_on = found.next_on
    if action == "resume":
        after = today if found.last_on == today else today - timedelta(days=1)
        next_on = recurrence.next_on(found.rule, found.weekday, after, is_holiday)
    await store_recurring.update(conn, schedule_id, state=STATES[action], next_on=next_on, last_on=found.last_on)
    if action == "stop":
        for f in await store_attachments.of_schedule(conn, schedule_id):
            await store_attachments.delete(conn, f.id)
    updated = await store_recurring.get(conn, schedule_id)
    assert updated is not None
    return updated


async def _send(conn: Conn, objects: Objects, s: Schedule) -> None:
    caller = Caller(account_id=s.requester_id, roles=("staff",), pools=(s.pool_id,))
    body = msgspec.convert(
        {
            "type_id": s.type_id,
            "description": s.description,
            "idempotency_key": f"recurring-{s.id}-{s.next_on}",
            "urgency": s.urgency,
            "on_behalf_of": s.on_behalf_of,
            "language": s.language,
        },
        NewRequest,
    )
    row, created = await lifecycle.submit(conn, caller, body)
    if not created:
        return
    await store.add_timeline(conn, row.id, kind="recurring", actor_id=None, status=row.status, detail=s.rule)
    files = await store_attachments.of_schedule(conn, s.id)
    await _copy_files(conn, objects, files, request_id=row.id)


async def run_due(pool: Pool, objects: Objects, today: date, is_holiday: IsHoliday, *, batch: int = 50) -> int:
    """Send every standing order due on or before `today` (once, however long it was missed);
    returns how many were sent. An order whose type is gone, or whose pool no longer serves the
    requester, is paused instead."""
    sent = 0
    async with pool.acquire() as conn, conn.transaction():
        for s in await store_recurring.claim_due(conn, today, batch):
            state = "active"
            try:
                async with conn.transaction():
                    await _send(conn, objects, s)
                sent += 1
            except (Invalid, Forbidden) as exc:
                log.warning("recurring request paused", schedule=str(s.id), reason=str(exc))
                state = "paused"
            following = recurrence.next_on(s.rule, s.weekday, max(today, s.next_on), is_holiday)
            await store_recurring.update(conn, s.id, state=state, next_on=following, last_on=s.next_on)
    return sent
