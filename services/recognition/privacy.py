"""Privacy in recognition: what it holds about me (for my data download), and the consumer of
identity's `AccountErased` that removes the erased person's words."""

from typing import Any

from litestar import Controller, Request, get

from services.contracts.identity import AccountErased
from services.contracts.recognition_api import MyThanks
from services.platform.db import Conn
from services.platform.tokens import Caller
from services.platform.unit_of_work import RequestConn
from services.recognition import store_privacy

ERASED_SUBJECTS = ["secpool.identity.account.erased"]


async def on_erased(conn: Conn, event: AccountErased) -> None:
    await store_privacy.erase(conn, event.account_id)


class PrivacyController(Controller):
    tags = ["privacy"]  # noqa: RUF012

    @get(
        "/v1/people/me/data", summary="Everything recognition holds about me: thanks I gave and received, my reactions"
    )
    async def my_data(self, request: Request[Caller, str, Any], conn: RequestConn) -> MyThanks:
        me = request.user.account_id
        return MyThanks(
            given=await store_privacy.kudos_given(conn, me),
            received=await store_privacy.kudos_received(conn, me),
            reactions=await store_privacy.reactions_of(conn, me),
        )
