"""Privacy in routing: what it holds about me (for my data download), and the consumer of
identity's `AccountErased`: an erased member goes off duty (open offers and accepted work go
back to the pool at once) and loses their name and the words written about them."""

from typing import Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get

from services.contracts.identity import AccountErased
from services.contracts.routing_api import MyMembership
from services.platform.db import Conn
from services.platform.tokens import Caller
from services.platform.unit_of_work import RequestConn
from services.routing import members, store_privacy

ERASED_SUBJECTS = ["secpool.identity.account.erased"]


async def on_erased(conn: Conn, event: AccountErased, *, zone: ZoneInfo) -> None:
    """Idempotent: off duty again and an empty name again change nothing."""
    if await store_privacy.member(conn, event.account_id) is not None:
        await members.set_presence(conn, event.account_id, "off_duty", hand_back_work=True, zone=zone)
    await store_privacy.erase(conn, event.account_id)


class PrivacyController(Controller):
    tags = ["privacy"]  # noqa: RUF012

    @get("/v1/people/me/data", summary="Everything routing holds about me as a pool member")
    async def my_data(self, request: Request[Caller, str, Any], conn: RequestConn) -> MyMembership:
        me = request.user.account_id
        return MyMembership(
            member=await store_privacy.member(conn, me),
            absences=await store_privacy.absences(conn, me),
            skill_proposals=await store_privacy.proposals(conn, me),
        )
