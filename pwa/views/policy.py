"""The routing policy the pool sets itself: the form, its change history (who, when, why and
what: field old → new), and trying a proposed policy on the pool's own last weeks beside the
current one before saving it (progress while it runs: the trial part polls itself with htmx,
and has a plain link without JavaScript).
"""

from typing import Any
from uuid import UUID

import msgspec
from babel import numbers
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from pwa.clients import Clients
from pwa.gateway import ServiceError
from pwa.i18n import FORMAT_LOCALES, translations
from pwa.records import Account
from pwa.views import charts
from pwa.views.common import AnyRequest, back_to, form_data, language_of, names, optional, page, wants_fragment
from pwa.views.pool import number, pool_of
from services.contracts.routing_api import Comparison, PolicyChangeView
from services.platform.db import Conn
from services.platform.unit_of_work import RequestConn

# The policy fields the pool may change (routing's PolicyChange), with their bounds.
WEIGHTS = ("skill_weight", "capacity_weight", "continuity_weight", "fairness_weight", "growth_weight")
POLICY_FIELDS = (*WEIGHTS, "development_share", "offer_timeout_seconds", "auto_accept")
TRIAL_WEEKS = 4


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


def history(changes: list[PolicyChangeView]) -> list[dict[str, Any]]:
    """Each change with what it changed (field, old, new), newest first. Routing records that with
    the change; for older entries it is worked out from the policy before it."""
    ordered = sorted(changes, key=lambda c: c.at)
    shown: list[dict[str, Any]] = []
    before: dict[str, Any] | None = None
    for c in ordered:
        policy = c.policy
        recorded = c.changes
        if recorded:
            diff = [(k, old, new) for k, (old, new) in sorted(recorded.items(), key=lambda kv: _field_order(kv[0]))]
        elif before is not None:
            diff = [(k, before.get(k), policy.get(k)) for k in POLICY_FIELDS if before.get(k) != policy.get(k)]
        else:
            diff = []
        shown.append({**msgspec.structs.asdict(c), "diff": diff, "first": before is None and not recorded})
        before = policy
    return list(reversed(shown))


def _field_order(name: str) -> int:
    return POLICY_FIELDS.index(name) if name in POLICY_FIELDS else len(POLICY_FIELDS)


def typed(value: Any, language: str) -> str:
    """A number as a person of this language writes it in a field: a decimal comma in Dutch, no
    thousands separator (it would read as a decimal one); `number` reads it back."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return str(numbers.format_decimal(value, format="0.####", locale=FORMAT_LOCALES.get(language, language)))


def form_of(values: dict[str, Any], language: str) -> dict[str, str]:
    """A policy as the form shows it (the development share in per cent)."""
    form = {k: typed(v, language) for k, v in values.items() if k in POLICY_FIELDS}
    form["development_share"] = typed(round(float(values.get("development_share", 0)) * 100, 4), language)
    form["auto_accept"] = "1" if values.get("auto_accept") else ""
    return form


def trial_chart(result: Comparison | None, fmt: dict[str, Any]) -> charts.Chart | None:
    """Mean completion per week of the trial (its result; None until it is done), current
    beside proposed (team figures)."""
    if result is None or not result.weeks:
        return None
    weeks = result.weeks
    _ = translations(str(fmt["lang"])).gettext
    labels = [_("week %(n)s") % {"n": w.week + 1} for w in weeks]
    series = [[w.current_mean_minutes for w in weeks], [w.proposed_mean_minutes for w in weeks]]
    return charts.bar_chart(labels, series, lambda v: str(fmt["number"](v)), whole=True)


class PolicyPages(Controller):
    path = "/pool/policy"

    @get("/")
    async def policy(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
        trial: FromQuery[UUID | None] = None,
    ) -> Template:
        return await self._page(request, account, clients, conn, None, {}, 200, trial)

    async def _page(
        self,
        request: AnyRequest,
        account: Account,
        clients: Clients,
        conn: Conn,
        form: dict[str, str] | None,
        errors: dict[str, str],
        status: int,
        trial_id: UUID | None = None,
    ) -> Template:
        pool_id = pool_of(account)
        caller = account.caller()
        current = await optional(clients.routing.policy(caller, pool_id)) if pool_id else None
        changes = (await optional(clients.routing.policy_changes(caller, pool_id)) if pool_id else None) or []
        people = await names(conn, [c.changed_by for c in changes] + [current.updated_by if current else None])
        trial = None
        if trial_id is not None and pool_id:
            trial = await optional(clients.routing.find_trial(caller, pool_id, trial_id))
        if form is None:
            policy = trial.proposed if trial else dict(current.policy if current else {})
            form = form_of(policy, language_of(request, account))
        can_edit = account.has("secretary") or account.has("lead")
        response = page(
            request,
            "policy",
            account,
            status_code=status,
            current=current,
            form=form,
            errors=errors,
            history=history(changes),
            people=people,
            can_edit=can_edit,
            trial=trial,
            trial_chart=None,
        )
        if trial is not None:
            response.context["trial_chart"] = trial_chart(trial.result, response.context)
        return response

    @post("/")
    async def change_policy(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
    ) -> Template | Redirect:
        form = {k: v for k, v in (await form_data(request)).items() if isinstance(v, str)}
        current = await clients.routing.policy(account.caller(), pool_of(account))
        change, errors = policy_change(form, current.policy)
        if not errors and not change:
            errors["form"] = "no_change"
        if errors:
            return await self._page(request, account, clients, conn, form, errors, 422)
        try:
            await clients.routing.change_policy(
                account.caller(), pool_of(account), {**change, "why": form["why"].strip()}
            )
        except ServiceError as exc:
            if exc.status >= 500 or exc.status == 404:
                raise
            return await self._page(request, account, clients, conn, form, {"form": "refused"}, 422)
        return back_to("/pool/policy", "policy")

    @post("/try")
    async def try_policy(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
    ) -> Template | Redirect:
        """Try the form's policy on the pool's last weeks: no reason needed, nothing is saved."""
        form = {k: v for k, v in (await form_data(request)).items() if isinstance(v, str)}
        pool_id = pool_of(account)
        current = await clients.routing.policy(account.caller(), pool_id)
        change, errors = policy_change(form, current.policy)
        errors.pop("why", None)
        if not errors and not change:
            errors["form"] = "no_change_to_try"
        if errors:
            return await self._page(request, account, clients, conn, form, errors, 422)
        try:
            trial = await clients.routing.start_trial(account.caller(), pool_id, {**change, "weeks": TRIAL_WEEKS})
        except ServiceError as exc:
            if exc.status >= 500 or exc.status == 404:
                raise
            return await self._page(request, account, clients, conn, form, {"form": "refused"}, 422)
        return Redirect(f"/pool/policy?trial={trial.id}#trial", status_code=303)

    @get("/trials/{trial_id:uuid}")
    async def trial(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        trial_id: FromPath[UUID],
    ) -> Template | Redirect:
        """The trial part of the policy page, polled while it runs (a page load goes to the page)."""
        if not wants_fragment(request):
            return Redirect(f"/pool/policy?trial={trial_id}#trial")
        found = await clients.routing.trial(account.caller(), pool_of(account), trial_id)
        response = page(request, "policy", account, fragment="policy_trial", trial=found, trial_chart=None)
        response.context["trial_chart"] = trial_chart(found.result, response.context)
        return response
