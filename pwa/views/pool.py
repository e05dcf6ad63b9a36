"""The pool's own pages: who is in it (skills, languages, presence — never performance),
my learning goals, and why any request went to whom. (The routing policy: policy.py.)
"""

import asyncio
import math

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from pwa.clients import Clients
from pwa.gateway import ServiceError
from pwa.records import Account
from pwa.views.common import AnyRequest, act, back_to, form_data, language_of, names, nothing, optional, page
from pwa.views.reasons import because_text, others_list
from services.platform.ids import Id
from services.platform.unit_of_work import RequestConn


def pool_of(account: Account) -> str:
    return account.pools[0] if account.pools else ""


def number(text: str) -> float | None:
    """A number as a person types it (a Dutch comma is fine); None when it is not one, and
    for "nan", "inf" and the like, which no field accepts."""
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class PoolPages(Controller):
    path = "/pool"

    @get("/")
    async def members(
        self, request: AnyRequest, account: NamedDependency[Account], clients: NamedDependency[Clients]
    ) -> Template:
        pool_id = pool_of(account)
        caller = account.caller()
        members, me, proposals = await asyncio.gather(
            optional(clients.routing.members(caller, pool_id)) if pool_id else nothing(),
            optional(clients.routing.me(caller)) if account.has("secretary") else nothing(),
            optional(clients.routing.proposals(caller, pool_id)) if pool_id else nothing(),
        )
        skills = sorted({s for m in members or [] for s in m.skills} | {s for m in members or [] for s in m.learning})
        open_proposals = [p for p in proposals or [] if p.status == "open"]
        names_by_id = {m.id: m.name for m in members or []}
        return page(
            request,
            "pool",
            account,
            members=members,
            me=me,
            skills=skills,
            proposals=open_proposals,
            people=names_by_id,
        )

    @post("/skill-proposals")
    async def propose(
        self, request: AnyRequest, account: NamedDependency[Account], clients: NamedDependency[Clients]
    ) -> Redirect:
        """A member proposes a colleague's level in a skill; another member confirms it."""
        form = await form_data(request)
        level = number(str(form.get("level", "")))
        body = {
            "member_id": str(form.get("member_id", "")),
            "skill": str(form.get("skill", "")),
            "level": int(level) if level is not None and level == int(level) else -1,
            "why": str(form.get("why", "")).strip()[:500],
        }
        return await act(
            clients.routing.propose_level(account.caller(), body),
            "/pool#levels",
            "proposed",
            refused="refused",
        )

    @post("/skill-proposals/{proposal_id:str}/confirm")
    async def confirm(
        self, account: NamedDependency[Account], clients: NamedDependency[Clients], proposal_id: FromPath[Id]
    ) -> Redirect:
        return await act(
            clients.routing.confirm_level(account.caller(), proposal_id),
            "/pool#levels",
            "confirmed",
            refused="refused",
        )

    @post("/learning")
    async def learning(
        self, request: AnyRequest, account: NamedDependency[Account], clients: NamedDependency[Clients]
    ) -> Redirect:
        form = await form_data(request)
        skills = [s for s in form.getall("skills", []) if s]
        try:
            await clients.routing.set_learning(account.caller(), skills)
        except ServiceError as exc:
            if exc.status >= 500:
                raise
            return back_to("/pool#learning", "refused")
        return back_to("/pool", "learning")

    @get("/requests")
    async def requests(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
        which: FromQuery[str] = "open",
    ) -> Template:
        """The pool's requests, to look up why any of them went to whom."""
        which = which if which in ("open", "closed") else "open"
        pool_id = pool_of(account)
        rows = await optional(clients.intake.pool_requests(account.caller(), pool_id, which, 50)) if pool_id else None
        people = await names(conn, [i for r in rows or [] for i in (r.requester_id, r.member_id)])
        return page(request, "pool_requests", account, rows=rows, which=which, people=people)

    @get("/requests/{request_id:str}")
    async def why(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
        request_id: FromPath[Id],
    ) -> Template:
        """Why the request went to whom: the chosen member's reasons, the others only counted."""
        item = await clients.intake.request(account.caller(), request_id)
        decisions = await optional(clients.routing.decisions(account.caller(), request_id))
        latest = decisions[-1] if decisions else None
        people = await names(conn, [item.requester_id] + ([latest.member_id, latest.buddy_id] if latest else []))
        lang = language_of(request, account)
        explained = None
        if latest is not None:
            explained = {
                **msgspec.structs.asdict(latest),
                "because": [because_text(lang, r) for r in latest.reasons],
                "others_said": others_list(lang, latest.others),
            }
        return page(
            request, "decision", account, item=item, decision=explained, people=people, unavailable=decisions is None
        )
