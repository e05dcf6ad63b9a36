"""Recurring requests in the pwa: repeat a request of mine ("every Monday", "the first working
day of the month"), and the list of them with pause, resume and stop (plain forms)."""

from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from pwa.clients import Clients
from pwa.records import Account
from pwa.views.common import AnyRequest, act, back_to, page

ACTIONS = ("pause", "resume", "stop")


class RepeatForm(msgspec.Struct):
    when: str = ""  # "weekly-0" … "weekly-4" (Monday … Friday) or "first_working_day"


def rule_of(when: str) -> dict[str, Any] | None:
    if when == "first_working_day":
        return {"rule": "first_working_day"}
    kind, _, day = when.partition("-")
    if kind == "weekly" and day in ("0", "1", "2", "3", "4"):
        return {"rule": "weekly", "weekday": int(day)}
    return None


class RecurringPages(Controller):
    @get("/requests/recurring")
    async def mine(
        self, request: AnyRequest, account: NamedDependency[Account], clients: NamedDependency[Clients]
    ) -> Template:
        schedules = await clients.intake.recurring(account.caller())
        return page(request, "recurring", account, schedules=schedules)

    @post("/requests/{request_id:uuid}/repeat")
    async def repeat(
        self,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        request_id: FromPath[UUID],
        data: URLEncodedBody[RepeatForm],
    ) -> Redirect:
        rule = rule_of(data.when)
        if rule is None:
            return back_to(f"/requests/{request_id}#repeat", "pick_repeat")
        body = {"from_request_id": str(request_id), **rule}
        call = clients.intake.repeat(account.caller(), body)
        return await act(call, "/requests/recurring", "repeating")

    @post("/requests/recurring/{schedule_id:uuid}/{action:str}")
    async def change(
        self,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        schedule_id: FromPath[UUID],
        action: FromPath[str],
    ) -> Redirect:
        if action not in ACTIONS:
            return back_to("/requests/recurring", "refused")
        call = clients.intake.change_recurring(account.caller(), schedule_id, action)
        return await act(call, "/requests/recurring", f"recurring_{action}")
