"""The pool's own pages: who is in it (skills, languages, presence — never performance),
my learning goals, the routing policy the pool sets (with its change history) and why any
request went to whom.
"""

import math
from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from pwa.accounts import Account
from pwa.gateway import Gateway, ServiceError
from pwa.views.common import AnyRequest, act, back_to, form_data, language_of, names, optional, page
from pwa.views.reasons import because_text, others_list
from services.platform.runtime import Runtime

# The policy fields the pool may change (routing's PolicyChange), with their bounds.
WEIGHTS = ("skill_weight", "capacity_weight", "continuity_weight", "fairness_weight", "growth_weight")
POLICY_FIELDS = (*WEIGHTS, "development_share", "offer_timeout_seconds", "auto_accept")


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


def policy_change(form: dict[str, str], current: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The fields that differ from the current policy, and per-field problems (message keys)."""
    change: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in WEIGHTS:
        value = number(form.get(name, ""))
        if value is None or not 0 <= value <= 10:
            errors[name] = "range_weight"
        elif value != current.get(name):
            change[name] = value
    share = number(form.get("development_share", ""))
    if share is None or not 0 <= share <= 50:
        errors["development_share"] = "range_share"
    elif round(share / 100, 4) != round(float(current.get("development_share", 0)), 4):
        change["development_share"] = round(share / 100, 4)
    timeout = number(form.get("offer_timeout_seconds", ""))
    if timeout is None or not 15 <= timeout <= 86400 or timeout != int(timeout):
        errors["offer_timeout_seconds"] = "range_timeout"
    elif int(timeout) != current.get("offer_timeout_seconds"):
        change["offer_timeout_seconds"] = int(timeout)
    auto = form.get("auto_accept") == "1"
    if auto != bool(current.get("auto_accept")):
        change["auto_accept"] = auto
    if len(form.get("why", "").strip()) < 3:
        errors["why"] = "why"
    return change, errors


def history(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each change with what it changed (field, old, new), newest first. Routing records that with
    the change; for older entries it is worked out from the policy before it."""
    ordered = sorted(changes, key=lambda c: str(c["at"]))
    shown: list[dict[str, Any]] = []
    before: dict[str, Any] | None = None
    for c in ordered:
        policy: dict[str, Any] = c.get("policy") or {}
        recorded: dict[str, Any] = c.get("changes") or {}
        if recorded:
            diff = [(k, old, new) for k, (old, new) in sorted(recorded.items(), key=lambda kv: _field_order(kv[0]))]
        elif before is not None:
            diff = [(k, before.get(k), policy.get(k)) for k in POLICY_FIELDS if before.get(k) != policy.get(k)]
        else:
            diff = []
        shown.append({**c, "diff": diff, "first": before is None and not recorded})
        before = policy
    return list(reversed(shown))


def _field_order(name: str) -> int:
    return POLICY_FIELDS.index(name) if name in POLICY_FIELDS else len(POLICY_FIELDS)


class PoolPages(Controller):
    path = "/pool"

    @get("/")
    async def members(self, request: AnyRequest, account: NamedDependency[Account],
                      gateway: NamedDependency[Gateway]) -> Template:  # fmt: skip
        pool_id = pool_of(account)
        members = await optional(gateway, "routing", f"/v1/pools/{pool_id}/members", account)
        me = await optional(gateway, "routing", "/v1/members/me", account) if account.has("secretary") else None
        skills = sorted(
            {s for m in members or [] for s in m["skills"]} | {s for m in members or [] for s in m["learning"]}
        )
        proposals = await optional(gateway, "routing", f"/v1/pools/{pool_id}/skill-proposals", account)
        open_proposals = [p for p in proposals or [] if p["status"] == "open"]
        names_by_id = {m["id"]: m["name"] for m in members or []}
        return page(request, "pool", account, members=members, me=me, skills=skills, proposals=open_proposals,
                    people=names_by_id)  # fmt: skip

    @post("/skill-proposals")
    async def propose(self, request: AnyRequest, account: NamedDependency[Account],
                      gateway: NamedDependency[Gateway]) -> Redirect:  # fmt: skip
        """A member proposes a colleague's level in a skill; another member confirms it."""
        form = await form_data(request)
        level = number(str(form.get("level", "")))
        body = {"member_id": str(form.get("member_id", "")), "skill": str(form.get("skill", "")),
                "level": int(level) if level is not None and level == int(level) else -1,
                "why": str(form.get("why", "")).strip()[:500]}  # fmt: skip
        return await act(
            gateway.call("routing", "POST", "/v1/skill-proposals", account.caller(), json=body),
            "/pool#levels",
            "proposed",
            refused="refused",
        )

    @post("/skill-proposals/{proposal_id:str}/confirm")
    async def confirm(self, account: NamedDependency[Account], gateway: NamedDependency[Gateway],
                      proposal_id: FromPath[str]) -> Redirect:  # fmt: skip
        return await act(
            gateway.call("routing", "POST", f"/v1/skill-proposals/{proposal_id}/confirm", account.caller()),
            "/pool#levels",
            "confirmed",
            refused="refused",
        )

    @post("/learning")
    async def learning(self, request: AnyRequest, account: NamedDependency[Account],
                       gateway: NamedDependency[Gateway]) -> Redirect:  # fmt: skip
        form = await form_data(request)
        skills = [s for s in form.getall("skills", []) if s]
        try:
            await gateway.call("routing", "PUT", "/v1/members/me/learning", account.caller(), json={"skills": skills})
        except ServiceError as exc:
            if exc.status >= 500:
                raise
            return back_to("/pool#learning", "refused")
        return back_to("/pool", "learning")

    @get("/policy")
    async def policy(self, request: AnyRequest, account: NamedDependency[Account], gateway: NamedDependency[Gateway],
                     runtime: NamedDependency[Runtime]) -> Template:  # fmt: skip
        return await self._policy_page(request, account, gateway, runtime, None, {}, 200)

    async def _policy_page(self, request: AnyRequest, account: Account, gateway: Gateway, runtime: Runtime,
                           form: dict[str, str] | None, errors: dict[str, str], status: int) -> Template:  # fmt: skip
        pool_id = pool_of(account)
        current = await optional(gateway, "routing", f"/v1/pools/{pool_id}/policy", account)
        changes = await optional(gateway, "routing", f"/v1/pools/{pool_id}/policy/changes", account) or []
        people = await names(runtime, [c.get("changed_by") for c in changes] + [(current or {}).get("updated_by")])
        values = dict((current or {}).get("policy", {}))
        if form is None:
            form = {k: str(v) for k, v in values.items()}
            form["development_share"] = f"{float(values.get('development_share', 0)) * 100:g}"
            form["auto_accept"] = "1" if values.get("auto_accept") else ""
        can_edit = account.has("secretary") or account.has("lead")
        return page(request, "policy", account, status_code=status, current=current, form=form, errors=errors,
                    history=history(changes), people=people, can_edit=can_edit)  # fmt: skip

    @post("/policy")
    async def change_policy(self, request: AnyRequest, account: NamedDependency[Account],
                            gateway: NamedDependency[Gateway], runtime: NamedDependency[Runtime]) -> Template | Redirect:  # fmt: skip
        form = {k: v for k, v in (await form_data(request)).items() if isinstance(v, str)}
        current = await gateway.call("routing", "GET", f"/v1/pools/{pool_of(account)}/policy", account.caller())
        change, errors = policy_change(form, current["policy"])
        if not errors and not change:
            errors["form"] = "no_change"
        if errors:
            return await self._policy_page(request, account, gateway, runtime, form, errors, 422)
        try:
            await gateway.call("routing", "PUT", f"/v1/pools/{pool_of(account)}/policy", account.caller(),
                               json={**change, "why": form["why"].strip()})  # fmt: skip
        except ServiceError as exc:
            if exc.status >= 500 or exc.status == 404:
                raise
            return await self._policy_page(request, account, gateway, runtime, form, {"form": "refused"}, 422)
        return back_to("/pool/policy", "policy")

    @get("/requests")
    async def requests(self, request: AnyRequest, account: NamedDependency[Account], gateway: NamedDependency[Gateway],
                       runtime: NamedDependency[Runtime], which: FromQuery[str] = "open") -> Template:  # fmt: skip
        """The pool's requests, to look up why any of them went to whom."""
        which = which if which in ("open", "closed") else "open"
        rows = await optional(gateway, "intake", f"/v1/pools/{pool_of(account)}/requests", account,
                              params={"which": which, "limit": 50})  # fmt: skip
        people = await names(runtime, [r.get(k) for r in rows or [] for k in ("requester_id", "member_id")])
        return page(request, "pool_requests", account, rows=rows, which=which, people=people)

    @get("/requests/{request_id:str}")
    async def why(self, request: AnyRequest, account: NamedDependency[Account], gateway: NamedDependency[Gateway],
                  runtime: NamedDependency[Runtime], request_id: FromPath[str]) -> Template:  # fmt: skip
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
            explained = {**latest, "because": [because_text(lang, r) for r in latest.get("reasons", [])],
                         "others_said": others_list(lang, latest.get("others", {}))}  # fmt: skip
        return page(request, "decision", account, item=item, decision=explained, people=people,
                    unavailable=decisions is None)  # fmt: skip
