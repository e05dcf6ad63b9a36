"""A member's rota page: working hours per weekday, absences (a period, no reason asked) and,
for the pool's lead or an admin, languages and capacity. The member sets her own hours and
absences here too; routing checks who may."""

import re
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, PathParameter, URLEncodedBody
from litestar.response import Redirect, Template

from pwa.clients import Clients
from pwa.gateway import ServiceError
from pwa.records import Account
from pwa.views.common import AnyRequest, act, audited, back_to, form_data, names, page
from services.contracts.routing_api import Span
from services.platform.db import Conn
from services.platform.runtime import Runtime
from services.platform.unit_of_work import RequestConn

MemberId = Annotated[str, PathParameter(pattern=r"^[A-Za-z0-9-]{1,64}$")]
SPAN = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*[-–]\s*(\d{1,2})(?:[:.](\d{2}))?$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def spans_of(text: str) -> list[list[int]] | None:
    """'8:30-13:00, 13:30-17' → [[510, 780], [810, 1020]]; None if it cannot be read."""
    found = []
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        m = SPAN.match(part)
        if m is None:
            return None
        start = int(m[1]) * 60 + int(m[2] or 0)
        end = int(m[3]) * 60 + int(m[4] or 0)
        if not 0 <= start < end <= 1440 or int(m[2] or 0) > 59 or int(m[4] or 0) > 59:
            return None
        found.append([start, end])
    return sorted(found)


def span_text(spans: list[Span]) -> str:
    return ", ".join(f"{s.start // 60}:{s.start % 60:02d}-{s.end // 60}:{s.end % 60:02d}" for s in spans)


class AbsenceForm(msgspec.Struct):
    first_day: str = ""
    last_day: str = ""


def absence_period(form: AbsenceForm, zone: ZoneInfo) -> tuple[datetime, datetime] | None:
    """Whole days in `zone` (the organisation's time zone), the last one included."""
    try:
        first = date.fromisoformat(form.first_day)
        last = date.fromisoformat(form.last_day or form.first_day)
    except ValueError:
        return None
    if last < first:
        return None
    start = datetime.combine(first, time(0), tzinfo=zone)
    return start, datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)


class RotaPages(Controller):
    path = "/members"

    @get("/{member_id:str}")
    async def rota(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
        member_id: FromPath[MemberId],
    ) -> Template:
        return await self._page(request, account, clients, conn, member_id, None, {}, 200)

    async def _page(
        self,
        request: AnyRequest,
        account: Account,
        clients: Clients,
        conn: Conn,
        member_id: str,
        typed: dict[str, str] | None,
        errors: dict[str, str],
        status: int,
    ) -> Template:
        caller = account.caller()
        hours = await clients.routing.hours(caller, member_id)
        absences = await clients.routing.absences(caller, member_id)
        found = await clients.routing.members(caller, hours.pool_id)
        member = next((m for m in found if m.id == member_id), None)
        days = typed or {d: span_text(s) for d, s in zip(WEEKDAYS, hours.days, strict=True)}
        people = await names(conn, [member_id, *(a.entered_by for a in absences)])
        arranges = account.has("admin") or (account.has("lead") and hours.pool_id in account.pools)
        return page(
            request,
            "rota",
            account,
            status_code=status,
            member_id=member_id,
            hours=hours,
            days=days,
            absences=absences,
            member=member,
            people=people,
            errors=errors,
            arranges=arranges,
            weekdays=WEEKDAYS,
        )

    @post("/{member_id:str}/hours")
    async def set_hours(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
        member_id: FromPath[MemberId],
    ) -> Template | Redirect:
        form = await form_data(request)
        typed = {d: str(form.get(d, "")) for d in WEEKDAYS}
        week = [spans_of(typed[d]) for d in WEEKDAYS]
        errors = {d: "hours" for d, spans in zip(WEEKDAYS, week, strict=True) if spans is None}
        if not errors:
            try:
                await clients.routing.set_hours(account.caller(), member_id, week)
            except ServiceError as exc:
                if exc.status >= 500 or exc.status == 403:
                    raise
                errors = {"form": "hours"}
        if errors:
            return await self._page(request, account, clients, conn, member_id, typed, errors, 422)
        return back_to(f"/members/{member_id}", "hours_saved")

    @post("/{member_id:str}/absences")
    async def add_absence(
        self,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        runtime: NamedDependency[Runtime],
        conn: RequestConn,
        member_id: FromPath[MemberId],
        data: URLEncodedBody[AbsenceForm],
    ) -> Redirect:
        period = absence_period(data, runtime.settings.zone)
        if period is None:
            return back_to(f"/members/{member_id}#absence", "bad_period")
        body = {"starts_at": period[0].isoformat(), "ends_at": period[1].isoformat()}
        call = clients.routing.add_absence(account.caller(), member_id, body)
        return await act(
            audited(call, conn, account, "member.absence_added", member_id, body),
            f"/members/{member_id}",
            "absence_saved",
        )

    @post("/{member_id:str}/absences/{absence_id:uuid}/remove")
    async def remove_absence(
        self,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
        member_id: FromPath[MemberId],
        absence_id: FromPath[Any],
    ) -> Redirect:
        call = clients.routing.remove_absence(account.caller(), member_id, absence_id)
        detail = {"absence_id": str(absence_id)}
        return await act(
            audited(call, conn, account, "member.absence_removed", member_id, detail),
            f"/members/{member_id}",
            "absence_removed",
        )

    @post("/{member_id:str}/profile")
    async def profile(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
        member_id: FromPath[MemberId],
    ) -> Redirect:
        form = await form_data(request)
        languages = [x for x in form.getall("languages", []) if x in ("nl", "en")]
        body: dict[str, Any] = {"languages": languages}
        capacity = str(form.get("capacity", "")).strip()
        if capacity:
            if not capacity.isdigit() or int(capacity) > 50:
                return back_to(f"/members/{member_id}", "bad_capacity")
            body["capacity"] = int(capacity)
        call = clients.routing.set_profile(account.caller(), member_id, body)
        return await act(
            audited(call, conn, account, "member.profile", member_id, body), f"/members/{member_id}", "profile_saved"
        )
