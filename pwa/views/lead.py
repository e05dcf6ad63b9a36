"""The lead's pages: the lead queue (requests the pool could not take), request types and
their service levels, and team-level insights with server-rendered charts.

Management sets the *what* (types, service levels, value estimates); the pool's routing
policy is the pool's own (pwa/views/pool.py). Insights are team figures: never per person.
"""

from typing import Any

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from pwa.clients import Clients
from pwa.gateway import ServiceError
from pwa.people import store as people_store
from pwa.records import Account
from pwa.views import charts
from pwa.views.common import AnyRequest, act, back_to, language_of, names, optional, page
from pwa.views.offers import requests_by_id
from pwa.views.pool import number, pool_of
from pwa.views.reasons import because_text, others_list
from services.contracts.intake_api import PoolInsights, TypeView
from services.contracts.routing_api import QueuedView
from services.platform.db import Conn
from services.platform.ids import Id
from services.platform.unit_of_work import RequestConn

WEEKS = 8


def lead_only(account: Account) -> None:
    if not account.has("lead"):
        raise PermissionDeniedException("for the pool's lead")


def keeps_types(account: Account) -> None:
    """Request types: the pools' leads and admins."""
    if not (account.has("lead") or account.has("admin")):
        raise PermissionDeniedException("for leads and admins")


class AssignForm(msgspec.Struct):
    member_id: str = ""


class TypeForm(msgspec.Struct):
    pool_id: str = ""
    name_nl: str = ""
    name_en: str = ""
    description_nl: str = ""
    description_en: str = ""
    skill: str = ""
    min_level: str = "1"
    language: str = "any"
    pickup_minutes: str = ""
    complete_minutes: str = ""
    minutes_saved: str = "0"
    work_minutes: str = "30"


async def type_pools(conn: Conn, account: Account) -> dict[str, str]:
    """The pools whose request types this person keeps (an admin: every pool), id → name."""
    registered = await people_store.pools(conn)
    names = {p.id: p.name_nl for p in registered}
    if account.has("admin"):
        return names or {p: p for p in account.pools}
    return {p: names.get(p, p) for p in account.pools}


MINUTE_FIELDS = ("pickup_minutes", "complete_minutes", "minutes_saved", "work_minutes")


def type_form(t: TypeView) -> TypeForm:
    return TypeForm(
        name_nl=t.name["nl"],
        name_en=t.name["en"],
        description_nl=t.description["nl"],
        description_en=t.description["en"],
        skill=t.skill,
        min_level=str(t.min_level),
        language=t.language,
        **{f: str(getattr(t, f)) for f in MINUTE_FIELDS},
    )


def type_fields(form: TypeForm, extra_skills: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Intake's TypeFields from the form, and per-field problems (message keys)."""
    fields: dict[str, Any] = {"extra_skills": extra_skills}
    errors: dict[str, str] = {}
    for name in MINUTE_FIELDS:
        value = number(getattr(form, name))
        low = 0 if name == "minutes_saved" else 1
        if value is None or value != int(value) or not low <= value <= 100_000:
            errors[name] = "range_minutes"
        else:
            fields[name] = int(value)
    for lang in ("nl", "en"):
        name, description = getattr(form, f"name_{lang}").strip(), getattr(form, f"description_{lang}").strip()
        if not name:
            errors["name"] = "name"
        fields[f"name_{lang}"], fields[f"description_{lang}"] = name, description
    if not form.skill.strip():
        errors["skill"] = "skill"
    fields["skill"] = form.skill.strip().lower()
    level = number(form.min_level)
    if level is None or level not in (1, 2, 3, 4, 5):
        errors["min_level"] = "level"
    else:
        fields["min_level"] = int(level)
    fields["language"] = form.language if form.language in ("any", "nl", "en") else "any"
    return fields, errors


def insight_charts(insights: PoolInsights, fmt: dict[str, Any]) -> dict[str, charts.Chart]:
    """The pool's weeks as charts; `fmt` holds the page's formatters (its language)."""
    weeks = insights.weeks
    labels = [fmt["day"](w.starts_on, "d MMM") for w in weeks]
    totals = [w.total for w in weeks]

    def whole(v: float) -> str:
        return str(fmt["number"](v))

    came_in = [t.requests_in for t in totals]
    done = [t.requests_done for t in totals]
    hours_saved = [round(t.minutes_saved / 60, 1) for t in totals]
    on_time = [None if t.on_time_share is None else t.on_time_share * 100 for t in totals]
    pickup = [t.median_pickup_minutes for t in totals]

    def decimal(v: float) -> str:  # hours saved, minutes to pick-up: one decimal when there is one
        return str(fmt["number"](v, 1 if v % 1 else 0))

    def share(v: float) -> str:
        return f"{fmt['number'](v)}%"

    return {
        "volume": charts.bar_chart(labels, [came_in, done], whole, whole=True),
        "saved": charts.bar_chart(labels, [hours_saved], decimal),
        "on_time": charts.line_chart(labels, on_time, share, top=100.0),
        # Minutes are measured, not counted: a median of 0.0 (picked up at once) is a figure.
        "pickup": charts.bar_chart(labels, [pickup], decimal),
    }


def why_here(lang: str, waiting: list[QueuedView]) -> dict[str, list[str]]:
    """Why each request is in the lead's queue, in the lead's words: routing's reason, and the
    members counted per reason they could not take it (never who)."""
    return {q.request_id: [because_text(lang, r) for r in q.reasons] + others_list(lang, q.others) for q in waiting}


class LeadPages(Controller):
    @get(["/lead", "/queue"])
    async def home(self) -> Redirect:
        return Redirect("/lead/queue")

    @get("/lead/queue")
    async def queue(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
    ) -> Template:
        lead_only(account)
        pool_id = pool_of(account)
        caller = account.caller()
        waiting = await optional(clients.routing.lead_queue(caller, pool_id)) if pool_id else None
        members = (await optional(clients.routing.members(caller, pool_id)) if pool_id else None) or []
        details = await requests_by_id(clients, account, [q.request_id for q in waiting or []])
        people = await names(conn, [d.requester_id for d in details.values()])
        why = why_here(language_of(request, account), waiting or [])
        return page(
            request,
            "lead_queue",
            account,
            fragment="lead_queue",
            waiting=waiting,
            details=details,
            why=why,
            members=members,
            people=people,
        )

    @post("/lead/queue/{request_id:str}/assign")
    async def assign(
        self,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        request_id: FromPath[Id],
        data: URLEncodedBody[AssignForm],
    ) -> Redirect:
        lead_only(account)
        return await act(
            clients.routing.assign(account.caller(), request_id, data.member_id),
            "/lead/queue",
            "assigned",
            refused="refused",
        )

    @get("/lead/insights")
    async def insights(
        self, request: AnyRequest, account: NamedDependency[Account], clients: NamedDependency[Clients]
    ) -> Template:
        lead_only(account)
        pool_id = pool_of(account)
        found = await optional(clients.intake.insights(account.caller(), pool_id, WEEKS)) if pool_id else None
        response = page(request, "insights", account, insights=found, charts={})
        if found is not None:
            response.context["charts"] = insight_charts(found, response.context)
        return response

    @get("/lead/types")
    async def types(
        self, request: AnyRequest, account: NamedDependency[Account], clients: NamedDependency[Clients]
    ) -> Template:
        keeps_types(account)
        types = await clients.intake.types(account.caller(), include_retired=True)
        return page(request, "types", account, types=types)

    @get("/lead/types/new")
    async def new_type(self, request: AnyRequest, account: NamedDependency[Account], conn: RequestConn) -> Template:
        keeps_types(account)
        return page(
            request,
            "type",
            account,
            rtype=None,
            form=TypeForm(),
            errors={},
            history=[],
            people={},
            pools=await type_pools(conn, account),
        )

    @post("/lead/types/new")
    async def create_type(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        clients: NamedDependency[Clients],
        data: URLEncodedBody[TypeForm],
    ) -> Template | Redirect:
        keeps_types(account)
        pools = await type_pools(conn, account)
        pool_id = data.pool_id if data.pool_id in pools else next(iter(pools), "")
        fields, errors = type_fields(data, [])
        if not errors:
            try:
                created = await clients.intake.create_type(account.caller(), {**fields, "pool_id": pool_id})
            except ServiceError as exc:
                if exc.status >= 500:
                    raise
                errors = {"form": "refused"}
            else:
                return back_to(f"/lead/types/{created.id}", "type_saved")
        return page(
            request,
            "type",
            account,
            status_code=422,
            rtype=None,
            form=data,
            errors=errors,
            history=[],
            people={},
            pools=pools,
        )

    @get("/lead/types/{type_id:str}")
    async def edit_type(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
        type_id: FromPath[Id],
    ) -> Template:
        keeps_types(account)
        found = await clients.intake.request_type(account.caller(), type_id)
        return await self._type_page(request, account, clients, conn, found, type_form(found), {}, 200)

    async def _type_page(
        self,
        request: AnyRequest,
        account: Account,
        clients: Clients,
        conn: Conn,
        rtype: TypeView,
        form: TypeForm,
        errors: dict[str, str],
        status: int,
    ) -> Template:
        changes = await optional(clients.intake.type_history(account.caller(), rtype.id)) or []
        people = await names(conn, [c.actor_id for c in changes])
        return page(
            request,
            "type",
            account,
            status_code=status,
            rtype=rtype,
            form=form,
            errors=errors,
            history=list(reversed(changes)),
            people=people,
        )

    @post("/lead/types/{type_id:str}")
    async def save_type(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
        type_id: FromPath[Id],
        data: URLEncodedBody[TypeForm],
    ) -> Template | Redirect:
        keeps_types(account)
        found = await clients.intake.request_type(account.caller(), type_id)
        fields, errors = type_fields(data, list(found.extra_skills))
        if not errors:
            try:
                await clients.intake.change_type(account.caller(), type_id, fields)
            except ServiceError as exc:
                if exc.status >= 500:
                    raise
                errors = {"form": "refused"}
            else:
                return back_to("/lead/types", "type_saved")
        return await self._type_page(request, account, clients, conn, found, data, errors, 422)

    @post("/lead/types/{type_id:str}/retire")
    async def retire_type(
        self, account: NamedDependency[Account], clients: NamedDependency[Clients], type_id: FromPath[Id]
    ) -> Redirect:
        keeps_types(account)
        found = await clients.intake.request_type(account.caller(), type_id)
        await clients.intake.retire_type(account.caller(), type_id, retired=not found.retired)
        return back_to(f"/lead/types/{type_id}", "type_saved")
