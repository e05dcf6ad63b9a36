"""The wall (`/wall`): the kudos feed with reactions, sending kudos (pick people with
search), my thanks (kudos I received) and the pool's digest.

Kudos text comes back exactly as typed; templates escape it (autoescape), never `| safe`.
Live: the feed's first page re-fetches itself on the `kudos` SSE signal; each kudos on
`kudos-<id>` (a reaction changed), through `GET /wall/<id>`.
"""

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from pwa import accounts, limits
from pwa.clients import Clients
from pwa.gateway import ServiceError
from pwa.limits import Limits
from pwa.records import Account
from pwa.views.common import AnyRequest, back_to, form_data, names, optional, page, wants_fragment
from pwa.views.pool import pool_of
from pwa.views.sign_in_steps import too_many
from services.contracts.recognition_api import KudosView
from services.platform.db import Conn
from services.platform.runtime import Runtime
from services.platform.unit_of_work import RequestConn

REACTIONS = ("👏", "❤️", "🎉", "🙏")
MESSAGE_MAX = 500


def kudos_people(items: list[KudosView]) -> list[str | None]:
    return [i for k in items for i in (k.giver_id, *k.recipient_ids)]


class WallPages(Controller):
    path = "/wall"

    @get("/")
    async def feed(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
        before: Annotated[UUID | None, QueryParameter()] = None,
    ) -> Template:
        found = await optional(clients.recognition.wall(account.caller(), limit=20, before=before))
        items = found.items if found else []
        values = await optional(clients.recognition.values(account.caller())) or []
        return page(
            request,
            "wall",
            account,
            fragment="wall_feed",
            wall=found,
            items=items,
            older=before is not None,
            people=await names(conn, kudos_people(items)),
            values={v.id: v for v in values},
        )

    @get("/{kudos_id:uuid}")
    async def one(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
        kudos_id: FromPath[UUID],
    ) -> Template | Response[str] | Redirect:
        """One kudos as it is now (its reactions as this person sees them), for its live refresh;
        a kudos taken off the wall leaves the page (an empty answer replaces it)."""
        if not wants_fragment(request):
            return Redirect(f"/wall#kudos-{kudos_id}", status_code=303)
        try:
            kudos = await clients.recognition.kudos(account.caller(), kudos_id)
        except ServiceError as exc:
            if exc.status != 404:
                raise
            return Response("", media_type="text/html")
        return await self._kudos(request, account, clients, conn, kudos)

    async def _kudos(
        self, request: AnyRequest, account: Account, clients: Clients, conn: Conn, kudos: KudosView
    ) -> Template:
        values = await optional(clients.recognition.values(account.caller())) or []
        return page(
            request,
            "wall",
            account,
            fragment="kudos",
            k=kudos,
            people=await names(conn, kudos_people([kudos])),
            values={v.id: v for v in values},
        )

    @post("/{kudos_id:uuid}/reaction")
    async def react(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
        kudos_id: FromPath[UUID],
    ) -> Template | Redirect:
        """Tapping my current reaction takes it back; another one replaces it."""
        emoji = (await form_data(request)).get("emoji", "")
        current = await clients.recognition.kudos(account.caller(), kudos_id)
        if emoji not in REACTIONS:
            return back_to(f"/wall#kudos-{kudos_id}", "refused")
        if current.my_reaction == emoji:
            kudos = await clients.recognition.take_back_reaction(account.caller(), kudos_id)
        else:
            kudos = await clients.recognition.react(account.caller(), kudos_id, emoji)
        if wants_fragment(request):
            return await self._kudos(request, account, clients, conn, kudos)
        return Redirect(f"/wall#kudos-{kudos_id}", status_code=303)

    @post("/{kudos_id:uuid}/report")
    async def report(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        kudos_id: FromPath[UUID],
    ) -> Redirect:
        reason = str((await form_data(request)).get("reason", "")).strip()[:500]
        await clients.recognition.report(account.caller(), kudos_id, reason)
        return back_to("/wall", "reported")

    @get("/new")
    async def new(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
    ) -> Template:
        return await self._form(request, account, clients, conn, {"recipients": [], "message": ""}, {}, 200)

    async def _form(
        self,
        request: AnyRequest,
        account: Account,
        clients: Clients,
        conn: Conn,
        form: dict[str, Any],
        errors: dict[str, str],
        status: int,
    ) -> Template:
        everyone = [a for a in await accounts.directory(conn) if a.id != account.id]
        values = [v for v in await optional(clients.recognition.values(account.caller())) or [] if not v.retired]
        return page(
            request,
            "send_kudos",
            account,
            status_code=status,
            colleagues=everyone,
            values=values,
            form=form,
            errors=errors,
            pool_id=pool_of(account),
            message_max=MESSAGE_MAX,
        )

    @post("/kudos")
    async def send(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        runtime: NamedDependency[Runtime],
        rate_limits: NamedDependency[Limits],
    ) -> Response[Any]:
        # Its own connections, not the request's: the try is counted even when the service then fails.
        async with runtime.pool.acquire() as conn:
            tries = await limits.take(conn, rate_limits.kudos, account.id)
        if not tries.allowed:
            return too_many(request, account, tries.retry_after)
        raw = await form_data(request)
        recipients = [r for r in raw.getall("recipients", []) if r and r != account.id]
        message = str(raw.get("message", "")).strip()
        whole_pool = raw.get("whole_pool") == "1"
        form = {
            "recipients": recipients,
            "message": message,
            "value_id": raw.get("value_id", ""),
            "whole_pool": whole_pool,
        }
        errors = {}
        if not recipients and not whole_pool:
            errors["recipients"] = "people"
        if not message:
            errors["message"] = "message"
        elif len(message) > MESSAGE_MAX:
            errors["message"] = "too_long"
        if errors:
            async with runtime.pool.acquire() as conn:
                return await self._form(request, account, clients, conn, form, errors, 422)
        body: dict[str, Any] = {"message": message, "recipient_ids": recipients}
        if whole_pool and pool_of(account):
            body["pool_id"] = pool_of(account)
        if form["value_id"]:
            body["value_id"] = form["value_id"]
        try:
            await clients.recognition.give(account.caller(), body)
        except ServiceError as exc:
            if exc.status >= 500:
                raise
            key = "limit" if exc.status == 429 else "refused"
            async with runtime.pool.acquire() as conn:
                return await self._form(request, account, clients, conn, form, {"form": key}, 422)
        return back_to("/wall", "kudos")

    @get("/mine")
    async def mine(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
    ) -> Template:
        found = await optional(clients.recognition.my_kudos(account.caller(), limit=50))
        items = found.items if found else []
        values = await optional(clients.recognition.values(account.caller())) or []
        return page(
            request,
            "my_thanks",
            account,
            wall=found,
            items=items,
            people=await names(conn, kudos_people(items)),
            values={v.id: v for v in values},
        )

    @get("/digest")
    async def digest(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
    ) -> Template:
        pool_id = pool_of(account)
        digests = await optional(clients.recognition.digests(account.caller(), pool_id, limit=4)) if pool_id else None
        highlights = [k for d in digests or [] for k in d.highlights]
        values = await optional(clients.recognition.values(account.caller())) or []
        return page(
            request,
            "digest",
            account,
            digests=digests,
            people=await names(conn, kudos_people(highlights)),
            values={v.id: v for v in values},
        )


def moderator(account: Account) -> None:
    if not (account.has("lead") or account.has("admin")):
        raise PermissionDeniedException("for leads and admins")


class Moderation(Controller):
    """Reported kudos, for a lead or an admin: take one off the wall (with a reason) or keep it."""

    path = "/wall/moderation"

    @get("/")
    async def reports(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
    ) -> Template:
        moderator(account)
        reported = await optional(clients.recognition.reports(account.caller()))
        people = await names(conn, kudos_people([r.kudos for r in reported or []]))
        return page(request, "moderation", account, reported=reported, people=people, values={})

    @post("/{kudos_id:uuid}/hide")
    async def hide(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        kudos_id: FromPath[UUID],
    ) -> Redirect:
        moderator(account)
        reason = str((await form_data(request)).get("reason", "")).strip()[:500]
        if not reason:
            return back_to("/wall/moderation", "no_reason")
        await clients.recognition.hide(account.caller(), kudos_id, reason)
        return back_to("/wall/moderation", "hidden")

    @post("/{kudos_id:uuid}/keep")
    async def keep(
        self, account: NamedDependency[Account], clients: NamedDependency[Clients], kudos_id: FromPath[UUID]
    ) -> Redirect:
        moderator(account)
        await clients.recognition.keep(account.caller(), kudos_id)
        return back_to("/wall/moderation", "kept")
