"""Searching requests: who searches what (requesters their own, members their pool's, leads
their pools'), and the filters a person may use (by person: only the pool's members and leads).
Closed requests found by the pool keep their people hidden, as everywhere (access.py)."""

from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from services.intake import access, store_search
from services.intake.store_search import Filters, Found, Scope
from services.platform.db import Conn
from services.platform.errors import Forbidden, Invalid
from services.platform.tokens import Caller

Which = Literal["open", "closed", "all"]
OPEN = ("submitted", "offered", "in_progress", "waiting_on_requester")
STATUSES = {"open": OPEN, "closed": ("done", "cancelled"), "all": ()}


def scope_of(caller: Caller) -> Scope:
    pools = tuple(p for p in caller.pools if access.sees_pool(caller, p))
    return Scope(account_id=caller.account_id, pools=pools)


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=tz)


async def find(
    conn: Conn,
    caller: Caller,
    *,
    words: str,
    tz: ZoneInfo,
    type_id: str | None = None,
    status: str | None = None,
    which: Which = "all",
    since: date | None = None,
    until: date | None = None,
    person: str | None = None,
    limit: int = 50,
) -> list[Found]:
    """Requests the caller may see matching the words (Dutch or English) and the filters;
    `since`/`until` are days in the organisation's time zone, both included."""
    scope = scope_of(caller)
    if person is not None and not scope.pools:
        raise Forbidden("only a pool's members and leads can look for someone else's requests")
    if since and until and until < since:
        raise Invalid("until: the period ends before it starts")
    statuses = (status,) if status else STATUSES[which]
    filters = Filters(
        words=words.strip(),
        type_id=type_id,
        statuses=statuses,
        person=person,
        limit=limit,
        since=_midnight(since, tz) if since else None,
        before=_midnight(until + timedelta(days=1), tz) if until else None,
    )
    return await store_search.search(conn, scope, filters)
