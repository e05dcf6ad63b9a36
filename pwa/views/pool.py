"""The pool's own pages: who is in it (skills, languages, presence — never performance),
my learning goals, and why any request went to whom. (The routing policy: policy.py.)
"""

import math

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from pwa.gateway import Gateway, ServiceError
from pwa.records import Account
from pwa.views.common import AnyRequest, act, back_to, form_data, language_of, names, optional, page
from pwa.views.reasons import because_text, others_list
from services.platform.ids import Id
from services.platform.runtime import Runtime


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
        self, request: AnyRequest, account: NamedDependency[Account], gateway: NamedDependency[Gateway]
    ) -> Template:
        pool_id = pool_of(account)
        members = await optional(gateway, "routing", f"/v1/pools/{pool_id}/members", account)
        me = await optional(gateway, "routing", "/v1/members/me", account) if account.has("secretary") else None
        skills = sorted(
            {s for m in members or [] for s in m["skills"]} | {s for m in members or [] for s in m["learning"]}
        )
        proposals = await optional(gateway, "routing", f"/v1/pools/{pool_id}/skill-proposals", account)
        open_proposals = [p for p in proposals or [] if p["status"] == "open"]
        names_by_id = {m["id"]: m["name"] for m in members or []}
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
        self, request: AnyRequest, account: NamedDependency[Account], gateway: NamedDependency[Gateway]
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
            gateway.call("routing", "POST", "/v1/skill-proposals", account.caller(), json=body),
            "/pool#levels",
            "proposed",
            refused="refused",
        )

    @post("/skill-proposals/{proposal_id:str}/confirm")
    async def confirm(
        self, account: NamedDependency[Account], gateway: NamedDependency[Gateway], proposal_id: FromPath[Id]
    ) -> Redirect:
        return await act(
            gateway.call("routing", "POST", f"/v1/skill-proposals/{proposal_id}/confirm", account.caller()),
            "/pool#levels",
            "confirmed",
            refused="refused",
        )

    @post("/learning")
    async def learning(
        self, request: AnyRequest, account: NamedDependency[Account], gateway: NamedDependency[Gateway]
    ) -> Redirect:
        form = await form_data(request)
        skills = [s for s in form.getall("skills", []) if s]
        try:
            await gateway.call("routing", "PUT", "/v1/members/me/learning", account.caller(), json={"skills": skills})
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
        gateway: NamedDependency[Gateway],
        runtime: NamedDependency[Runtime],
        which: FromQuery[str] = "open",
    ) -> Template:
        """The pool's requests, to look up why any of them went to whom."""
        which = which if which in ("open", "closed") else "open"
        rows = await optional(
            gateway, "intake", f"/v1/pools/{pool_of(account)}/requests", account, params={"which": which, "limit": 50}
        )
        people = await names(runtime, [r.get(k) for r in rows or [] for k in ("requester_id", "member_id")])
        return page(request, "pool_requests", account, rows=rows, which=which, people=people)

    @get("/requests/{request_id:str}")
    async def why(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        gateway: NamedDependency[Gateway],
        runtime: NamedDependency[Runtime],
        request_id: FromPath[Id],
    ) -> Template:
        """Why the request went to whom: the chosen member's reasons, the others only counted."""
        item = await gateway.call("intake", "GET", f"/v1/requests/{request_id}", account.caller())
        decisions = await optional(gateway, "routing", f"/v1/requests/{request_id}/decisions", account)
        latest = (decisions or [None])[-1]
        people = await names(
            runtime, [item.get("requester_id")] + ([latest.get("member_id"), latest.get("buddy_id")] if latest else [])
        )
        lang = language_of(request, account)
        explained = None
        if latest is not None:
            explained = {
                **latest,
                "because": [because_text(lang, r) for r in latest.get("reasons", [])],
                "others_said": others_list(lang, latest.get("others", {})),
            }
        return page(
            request, "decision", account, item=item, decision=explained, people=people, unavailable=decisions is None
        )
