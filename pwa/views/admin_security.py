"""For admins: the audit log (who did what to whom, newest first), the organisation's sign-in
rules, and the sign-in part of a person's admin page (end their sessions, reset their second
step after a lost phone). Everything here is admins only and itself audited."""

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from pwa import accounts, audit, factors, sign_in_policy
from pwa.clients import Clients
from pwa.records import Account, SignInPolicy
from pwa.views.common import AnyRequest, back_to, names, optional, page
from pwa.views.sign_in_steps import client_ip
from services.platform.ids import Id
from services.platform.unit_of_work import RequestConn

PAGE_SIZE = 50


class RulesForm(msgspec.Struct):
    idle_hours: int = 72
    absolute_days: int = 30
    strong_for_leads: str = ""


def admin_only(account: Account) -> None:
    if not account.has("admin"):
        raise PermissionDeniedException("admins only")


class AdminSecurityPages(Controller):
    path = "/admin"

    @get("/audit")
    async def audit_log(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        before: FromQuery[int | None] = None,
        person: FromQuery[str | None] = None,
    ) -> Template:
        admin_only(account)
        entries = await audit.recent(conn, limit=PAGE_SIZE, before_id=before, subject_id=person)
        people = await names(conn, [i for e in entries for i in (e.actor_id, e.subject_id)])
        older = entries[-1].id if len(entries) == PAGE_SIZE else None
        return page(request, "admin_audit", account, entries=entries, people=people, older=older, person=person)

    @get("/sign-in")
    async def rules(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        clients: NamedDependency[Clients],
    ) -> Template:
        admin_only(account)
        policy = await sign_in_policy.current(conn)
        retention = await optional(clients.intake.retention(account.caller()))
        return page(request, "admin_sign_in", account, policy=policy, error=None, retention=retention)

    @post("/sign-in")
    async def change_rules(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        data: URLEncodedBody[RulesForm],
    ) -> Template | Redirect:
        admin_only(account)
        if not (1 <= data.idle_hours <= 24 * 90 and 1 <= data.absolute_days <= 365):
            current = SignInPolicy(idle_minutes=data.idle_hours * 60, absolute_hours=data.absolute_days * 24)
            return page(request, "admin_sign_in", account, status_code=400, policy=current, error="range")
        policy = SignInPolicy(
            idle_minutes=data.idle_hours * 60,
            absolute_hours=data.absolute_days * 24,
            strong_for_leads=bool(data.strong_for_leads),
        )
        before = await sign_in_policy.current(conn)
        await sign_in_policy.change(conn, policy, by=account.id)
        await audit.record(
            conn,
            "sign_in_rules.changed",
            actor_id=account.id,
            ip=client_ip(request),
            detail={"before": msgspec.to_builtins(before), "after": msgspec.to_builtins(policy)},
        )
        return back_to("/admin/sign-in", "sign_in_rules")

    @post("/people/{person_id:str}/sessions/end")
    async def end_sessions(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        person_id: FromPath[Id],
    ) -> Redirect:
        admin_only(account)
        if await accounts.get(conn, person_id) is None:
            return back_to("/admin/audit", "refused")
        ended = await accounts.end_all_sessions(conn, person_id)
        await audit.record(
            conn,
            "sessions.ended",
            actor_id=account.id,
            subject_id=person_id,
            detail={"sessions": ended, "by": "admin"},
            ip=client_ip(request),
        )
        return back_to(person_page(request, person_id), "sessions_ended")

    @post("/people/{person_id:str}/second-factor/reset")
    async def reset_second_factor(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        person_id: FromPath[Id],
    ) -> Redirect:
        admin_only(account)
        if await accounts.get(conn, person_id) is None:
            return back_to("/admin/audit", "refused")
        await factors.reset(conn, person_id)
        await accounts.end_all_sessions(conn, person_id)
        await audit.record(
            conn, "second_factor.reset", actor_id=account.id, subject_id=person_id, ip=client_ip(request)
        )
        return back_to(person_page(request, person_id), "second_factor_reset")


def person_page(request: AnyRequest, person_id: str) -> str:
    """Back to the admin page the form was on (the person's page), else their audit trail."""
    referer: str = request.headers.get("referer", "")
    path = referer.split(request.url.netloc, 1)[-1] if request.url.netloc in referer else ""
    return path.split("?")[0] if path.startswith("/admin/") else f"/admin/audit?person={person_id}"
