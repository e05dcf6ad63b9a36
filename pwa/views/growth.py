"""Growth made visible: "my growth", a private page for each member (their levels over time,
learning goals and how far along, development assignments and with which buddy, thanks
received), 404 for anyone else, the lead included; and the pool's skill coverage, counts only,
with skills that rest on one or two people flagged and a learning goal suggested there.
"""

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pwa.clients import Clients
from pwa.gateway import ServiceError
from pwa.records import Account
from pwa.views.common import AnyRequest, back_to, form_data, names, optional, page
from pwa.views.pool import pool_of
from services.contracts.recognition_api import KudosView, WallPage
from services.platform.ids import Id
from services.platform.unit_of_work import RequestConn

THANKS_SHOWN = 3


def mine_only(account: Account, member_id: str) -> None:
    """Someone else's growth page does not exist for you (the same 404 as a missing page)."""
    if account.id != member_id:
        raise NotFoundException()


def thanks_received(wall: WallPage | None, account_id: str) -> list[KudosView]:
    """Kudos naming this member (not those to the whole pool), newest first."""
    return [k for k in (wall.items if wall else []) if account_id in k.recipient_ids]


class GrowthPages(Controller):
    path = "/pool"

    @get("/growth")
    async def my_growth(self, account: NamedDependency[Account]) -> Redirect:
        return Redirect(f"/pool/growth/{account.id}")

    @get("/growth/{member_id:str}")
    async def growth(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
        member_id: FromPath[Id],
    ) -> Template:
        mine_only(account, member_id)
        try:
            found = await clients.routing.growth(account.caller(), member_id)
        except ServiceError as exc:
            if exc.status == 404:
                raise NotFoundException() from exc
            raise
        wall = await optional(clients.recognition.my_kudos(account.caller(), limit=50))
        thanks = thanks_received(wall, account.id)
        ids = [d.buddy_id for d in found.development] + [k.giver_id for k in thanks[:THANKS_SHOWN]]
        return page(
            request,
            "growth",
            account,
            growth=found,
            thanks=thanks,
            thanks_shown=thanks[:THANKS_SHOWN],
            thanks_unavailable=wall is None,
            people=await names(conn, ids),
        )

    @get("/coverage")
    async def coverage(
        self, request: AnyRequest, account: NamedDependency[Account], clients: NamedDependency[Clients]
    ) -> Template:
        pool_id, caller = pool_of(account), account.caller()
        found = await optional(clients.routing.coverage(caller, pool_id)) if pool_id else None
        me = await optional(clients.routing.me(caller)) if account.has("secretary") else None
        at_risk = [c for c in found or [] if c.at_risk]
        return page(request, "coverage", account, coverage=found, at_risk=at_risk, me=me)

    @post("/learning/add")
    async def add_goal(
        self, request: AnyRequest, account: NamedDependency[Account], clients: NamedDependency[Clients]
    ) -> Redirect:
        """Take a skill the pool is thin in as one of my learning goals."""
        skill = str((await form_data(request)).get("skill", ""))
        try:
            me = await clients.routing.me(account.caller())
            if me is None:
                return back_to("/pool/coverage", "refused")  # not a member: routing refuses it (404)
            skills = sorted({*me.learning, skill})
            await clients.routing.set_learning(account.caller(), skills)
        except ServiceError as exc:
            if exc.status >= 500:
                raise
            return back_to("/pool/coverage", "refused")
        return back_to("/pool/coverage", "learning")
