"""Recognition's HTTP API (v1) for privacy: what it holds about me, for my data download. (An
erased account's words are removed by the consumer in handlers.py.)"""

from typing import Any

from litestar import Controller, Request, get

from services.contracts.recognition_api import MyThanks
from services.platform.tokens import Caller
from services.platform.unit_of_work import RequestConn
from services.recognition import store_privacy


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
