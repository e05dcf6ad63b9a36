"""Intake's HTTP API (v1) for recurring requests: the requester repeats a request of theirs
("every Monday", "the first working day of the month"), lists, pauses, resumes and stops them."""

from datetime import date
from typing import Any, Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from services.contracts.intake_api import NewRecurring, RecurringView
from services.intake import recurring, store_attachments, store_recurring
from services.intake.api_docs import errors
from services.intake.records import Schedule
from services.intake.recurrence import IsHoliday
from services.platform.db import Conn
from services.platform.objects import Objects
from services.platform.runtime import Runtime
from services.platform.tokens import Caller
from services.platform.unit_of_work import RequestConn

CallerRequest = Request[Caller, str, Any]
Clock = Any  # () -> datetime, see app.create_app


async def _view(conn: Conn, s: Schedule) -> RecurringView:
    files = len(await store_attachments.of_schedule(conn, s.id))
    return RecurringView(
        id=s.id,
        type_id=s.type_id,
        type_name={"nl": s.type_name_nl, "en": s.type_name_en},
        description=s.description,
        urgency=s.urgency,
        rule=s.rule,
        weekday=s.weekday,
        state=s.state,
        next_on=s.next_on,
        last_on=s.last_on,
        files=files,
    )


def today(zone: ZoneInfo, clock: Clock) -> date:
    """Today in the organisation's time zone (the platform setting)."""
    return clock().astimezone(zone).date()  # type: ignore[no-any-return]


class RecurringController(Controller):
    path = "/v1/recurring"
    tags = ["recurring requests"]  # noqa: RUF012

    @post(
        "/",
        status_code=201,
        summary="Repeat a request of mine: every given weekday, or the first working day "
        "of each month (public holidays move it to the next working day); same type, text and files",
        **errors(403, 404, 422),
    )
    async def create(
        self,
        request: CallerRequest,
        runtime: NamedDependency[Runtime],
        conn: RequestConn,
        objects: NamedDependency[Objects],
        clock: NamedDependency[Clock],
        holidays: NamedDependency[IsHoliday],
        data: JSONBody[NewRecurring],
    ) -> RecurringView:
        s = await recurring.create(
            conn,
            objects,
            request.user,
            data.from_request_id,
            data.rule,
            data.weekday,
            today(runtime.settings.zone, clock),
            holidays,
        )
        return await _view(conn, s)

    @get("/", summary="My recurring requests (not the stopped ones)", **errors())
    async def mine(self, request: CallerRequest, conn: RequestConn) -> list[RecurringView]:
        return [await _view(conn, s) for s in await store_recurring.of_requester(conn, request.user.account_id)]

    @post(
        "/{schedule_id:uuid}/{action:str}",
        status_code=200,
        summary="pause, resume or stop one of mine",
        **errors(404, 409),
    )
    async def change(
        self,
        request: CallerRequest,
        runtime: NamedDependency[Runtime],
        conn: RequestConn,
        clock: NamedDependency[Clock],
        holidays: NamedDependency[IsHoliday],
        schedule_id: FromPath[UUID],
        action: FromPath[Literal["pause", "resume", "stop"]],
    ) -> RecurringView:
        s = await recurring.change(
            conn, request.user, schedule_id, action, today(runtime.settings.zone, clock), holidays
        )
        return await _view(conn, s)
