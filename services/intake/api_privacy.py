"""Intake's privacy API: what intake holds about me (for my data download), and the
organisation's retention of closed requests (admins)."""

from typing import Any

from litestar import Controller, Request, get, put
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.params import JSONBody

from services.contracts.intake_api import MyData, Retention
from services.intake import privacy, store_privacy
from services.intake.api_docs import errors
from services.platform.runtime import Runtime
from services.platform.tokens import Caller
from services.platform.unit_of_work import RequestConn


class PrivacyController(Controller):
    tags = ["privacy"]  # noqa: RUF012

    @get(
        "/v1/people/me/data",
        summary="Everything intake holds about me: my requests (also those made on my "
        "behalf) and what I wrote on requests",
        **errors(),
    )
    async def my_data(self, request: Request[Caller, str, Any], conn: RequestConn) -> MyData:
        return MyData(
            requests=await store_privacy.requests_of(conn, request.user.account_id),
            comments=await store_privacy.comments_of(conn, request.user.account_id),
        )

    @get("/v1/retention", summary="How long closed requests keep their text (days; null: no limit)", **errors())
    async def retention(self, conn: RequestConn) -> Retention:
        return Retention(closed_request_days=await store_privacy.retention_days(conn))

    @put("/v1/retention", summary="Admins: set how long closed requests keep their text", **errors(403, 422))
    async def set_retention(
        self, request: Request[Caller, str, Any], runtime: NamedDependency[Runtime], data: JSONBody[Retention]
    ) -> Retention:
        if not request.user.has("admin"):
            raise PermissionDeniedException("admins only")
        # Its own connection, not the request's: the setting must be committed before
        # apply_retention (its own connections) reads it, not when the answer leaves.
        async with runtime.pool.acquire() as conn:
            await store_privacy.set_retention_days(conn, data.closed_request_days)
        await privacy.apply_retention(runtime.pool)  # what is already due goes now, not in an hour
        return data
