"""Routing's HTTP API (v1) for the rota: a member's working hours per weekday and absences
(the member, their pool's lead or an admin), and a pool's public holidays (read by the pool,
changed by its lead or an admin)."""

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.contracts.routing_api import (
    AbsenceView,
    Holiday,
    HolidayName,
    Hours,
    HoursView,
    MemberView,
    NewAbsence,
    Profile,
)
from services.platform.db import Conn
from services.platform.errors import Forbidden, Invalid
from services.platform.ids import Id
from services.platform.runtime import Runtime
from services.platform.tokens import Caller
from services.platform.unit_of_work import RequestConn
from services.routing import assignment, availability, members, rota, shifts, store_rota
from services.routing.answers import member_view

CallerRequest = Request[Caller, str, Any]
MemberId = Id
PoolId = Id


def _aware(moment: datetime, field: str) -> datetime:
    if moment.tzinfo is None:
        raise Invalid(f"{field}: give a time zone (e.g. 2025-03-01T09:00:00+01:00)")
    return moment


async def _hours_view(conn: Conn, caller: Caller, member_id: str, zone: ZoneInfo) -> HoursView:
    pool_id = await rota.member_for(conn, caller, member_id)
    week = await store_rota.hours_of(conn, member_id) or [[] for _ in range(7)]
    now = assignment.now()
    found = (await availability.availability(conn, pool_id, {member_id: week}, now, zone))[member_id]
    days = await availability.holiday_days(conn, pool_id, [now.year, now.year + 1])
    away = [store_rota.as_absence(a) for a in await store_rota.absences_of(conn, [member_id], ending_after=now)]
    opening = shifts.next_opening(week, now, absences=away, holidays=days, zone=zone)
    return HoursView(member_id=member_id, pool_id=pool_id, days=week, state=found.state, next_opening=opening)


class RotaController(Controller):
    path = "/v1"
    tags = ["rota"]  # noqa: RUF012

    @get("/members/{member_id:str}/hours", summary="A member's working hours, and whether they are on shift now")
    async def hours(
        self,
        request: CallerRequest,
        runtime: NamedDependency[Runtime],
        conn: RequestConn,
        member_id: FromPath[MemberId],
    ) -> HoursView:
        return await _hours_view(conn, request.user, member_id, runtime.settings.zone)

    @put("/members/{member_id:str}/hours", summary="Set a member's working hours (the member, their lead, an admin)")
    async def set_hours(
        self,
        request: CallerRequest,
        runtime: NamedDependency[Runtime],
        conn: RequestConn,
        member_id: FromPath[MemberId],
        data: JSONBody[Hours],
    ) -> HoursView:
        await rota.set_hours(conn, request.user, member_id, data.days, zone=runtime.settings.zone)
        return await _hours_view(conn, request.user, member_id, runtime.settings.zone)

    @get("/members/{member_id:str}/absences", summary="A member's current and coming absences (no reasons)")
    async def absences(
        self,
        request: CallerRequest,
        conn: RequestConn,
        member_id: FromPath[MemberId],
    ) -> list[AbsenceView]:
        await rota.member_for(conn, request.user, member_id)
        rows = await store_rota.absences_of(conn, [member_id], ending_after=assignment.now())
        return [msgspec.convert(r, AbsenceView, from_attributes=True) for r in rows]

    @post("/members/{member_id:str}/absences", summary="Enter an absence: a period, no reason")
    async def add_absence(
        self,
        request: CallerRequest,
        conn: RequestConn,
        member_id: FromPath[MemberId],
        data: JSONBody[NewAbsence],
    ) -> AbsenceView:
        starts_at, ends_at = _aware(data.starts_at, "starts_at"), _aware(data.ends_at, "ends_at")
        absence_id = await rota.add_absence(conn, request.user, member_id, starts_at, ends_at)
        return AbsenceView(
            id=absence_id, member_id=member_id, starts_at=starts_at, ends_at=ends_at, entered_by=request.user.account_id
        )

    @delete("/members/{member_id:str}/absences/{absence_id:uuid}", summary="Take an absence back")
    async def remove_absence(
        self,
        request: CallerRequest,
        runtime: NamedDependency[Runtime],
        conn: RequestConn,
        member_id: FromPath[MemberId],
        absence_id: FromPath[UUID],
    ) -> None:
        await rota.remove_absence(conn, request.user, member_id, absence_id, zone=runtime.settings.zone)

    @put(
        "/members/{member_id:str}/profile",
        summary="Languages and capacity (the lead or an admin; the member: languages)",
    )
    async def profile(
        self,
        request: CallerRequest,
        runtime: NamedDependency[Runtime],
        conn: RequestConn,
        member_id: FromPath[MemberId],
        data: JSONBody[Profile],
    ) -> MemberView:
        return member_view(await members.set_profile(conn, request.user, member_id, data, zone=runtime.settings.zone))

    @get(
        "/pools/{pool_id:str}/holidays",
        summary="The pool's public holidays in a year (calendar days it works on are marked removed)",
    )
    async def holidays(
        self,
        request: CallerRequest,
        conn: RequestConn,
        pool_id: FromPath[PoolId],
        year: Annotated[int | None, QueryParameter(ge=2000, le=2100)] = None,
    ) -> list[Holiday]:
        if not (request.user.in_pool(pool_id) or request.user.has("admin")):
            raise Forbidden("you are not in this pool")
        return await availability.holidays_of(conn, pool_id, [year or assignment.now().year])

    @put("/pools/{pool_id:str}/holidays/{day:date}", summary="Make a day a public holiday for the pool (lead or admin)")
    async def add_holiday(
        self,
        request: CallerRequest,
        conn: RequestConn,
        pool_id: FromPath[PoolId],
        day: FromPath[date],
        data: JSONBody[HolidayName],
    ) -> list[Holiday]:
        await rota.add_holiday(conn, request.user, pool_id, day, data.name)
        return await availability.holidays_of(conn, pool_id, [day.year])

    @delete("/pools/{pool_id:str}/holidays/{day:date}", status_code=200, summary="The pool works on this day after all")
    async def remove_holiday(
        self,
        request: CallerRequest,
        runtime: NamedDependency[Runtime],
        conn: RequestConn,
        pool_id: FromPath[PoolId],
        day: FromPath[date],
    ) -> list[Holiday]:
        await rota.remove_holiday(conn, request.user, pool_id, day, zone=runtime.settings.zone)
        return await availability.holidays_of(conn, pool_id, [day.year])
