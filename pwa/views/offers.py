"""The member's home (`/offers`, where push notifications for offers lead): offers to accept
or decline (with a reason), my work, my presence, and the pool's queue.

Live: the offers-and-work part re-fetches itself on the `offer` and `request` SSE signals.
"""

import asyncio
from uuid import UUID

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from pwa.clients import Clients
from pwa.i18n import translations
from pwa.records import Account
from pwa.views.common import AnyRequest, act, back_to, language_of, names, nothing, optional, page
from services.contracts.intake_api import RequestView
from services.platform.unit_of_work import RequestConn

PRESENCES = ("available", "away", "off_duty")
WORKING = ("in_progress", "waiting_on_requester")
QUEUE_SHOWN = 10


class DeclineForm(msgspec.Struct):
    reason: str = ""
    detail: str = ""


class PresenceForm(msgspec.Struct):
    presence: str = ""
    hand_back_work: str = ""


async def requests_by_id(clients: Clients, account: Account, ids: list[str]) -> dict[str, RequestView]:
    """Intake's view of each request (the pool may read its requests); missing ones are left out.
    Asked in calls of at most 100 ids (intake's limit), together; none while intake is down."""
    unique = list(dict.fromkeys(ids))
    chunks = [unique[i : i + 100] for i in range(0, len(unique), 100)]
    found = await asyncio.gather(*(optional(clients.intake.requests(account.caller(), chunk)) for chunk in chunks))
    return {str(r.id): r for chunk in found for r in chunk or []}


def decline_reason(form: DeclineForm, language: str) -> str:
    """Routing keeps the reason as text for the pool, in the words of the member who declined."""
    _ = translations(language).gettext
    quick = {
        "busy": _("Too busy right now"),
        "skill": _("Not my skill"),
        "other_better": _("A colleague knows this better"),
    }
    parts = [quick.get(form.reason, ""), form.detail.strip()]
    return ": ".join(p for p in parts if p)[:500]


class OfferPages(Controller):
    @get("/offers")
    async def home(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
    ) -> Template:
        pool_id = account.pools[0] if account.pools else ""
        caller = account.caller()
        offers, me, assigned, queue = await asyncio.gather(
            optional(clients.routing.offers_for(caller)),
            optional(clients.routing.me(caller)),
            optional(clients.intake.assigned(caller)),
            optional(clients.intake.pool_queue(caller, pool_id)) if pool_id else nothing(),
        )
        open_offers = [o for o in offers or [] if o.status == "open"]
        details = await requests_by_id(clients, account, [o.request_id for o in open_offers])
        # Offered requests name me as their member too: my work is what I have accepted. Intake
        # learns of an acceptance a moment after routing does: show it as started already.
        accepted = {o.request_id for o in offers or [] if o.status == "accepted"}
        work = [
            r if r.status in WORKING else msgspec.structs.replace(r, status="in_progress")
            for r in assigned or []
            if r.status in WORKING or str(r.id) in accepted
        ]
        # Two services answer at slightly different moments: a request is either offered or in work.
        working = {str(r.id) for r in work}
        open_offers = [o for o in open_offers if o.request_id not in working]
        shown = (queue or [])[:QUEUE_SHOWN]
        rows = [*details.values(), *work, *shown]
        ids = [i for r in rows for i in (r.requester_id, r.on_behalf_of, r.member_id, r.buddy_id)]
        ids += [o.buddy_id for o in open_offers]
        return page(
            request,
            "offers",
            account,
            fragment="offers_live",
            open_offers=open_offers,
            work=work,
            details=details,
            me=me,
            queue=queue,
            queue_shown=shown,
            people=await names(conn, ids),
            me_id=account.id,
        )

    @post("/offers/{offer_id:uuid}/accept")
    async def accept(
        self, account: NamedDependency[Account], clients: NamedDependency[Clients], offer_id: FromPath[UUID]
    ) -> Redirect:
        return await act(
            clients.routing.accept(account.caller(), offer_id),
            "/offers",
            "accepted",
            refused="taken",
        )

    @post("/offers/{offer_id:uuid}/decline")
    async def decline(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        offer_id: FromPath[UUID],
        data: URLEncodedBody[DeclineForm],
    ) -> Redirect:
        reason = decline_reason(data, language_of(request, account))
        if not reason:
            return back_to(f"/offers#offer-{offer_id}", "no_reason")
        return await act(
            clients.routing.decline(account.caller(), offer_id, reason),
            "/offers",
            "declined",
            refused="taken",
        )

    @post("/offers/presence")
    async def presence(
        self, account: NamedDependency[Account], clients: NamedDependency[Clients], data: URLEncodedBody[PresenceForm]
    ) -> Redirect:
        if data.presence not in PRESENCES:
            return back_to("/offers", "refused")
        hand_back = data.hand_back_work == "1" and data.presence != "available"
        await clients.routing.set_presence(account.caller(), data.presence, hand_back_work=hand_back)
        return back_to("/offers", "presence")
