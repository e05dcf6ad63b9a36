"""Routing's HTTP API (v1) for trying a policy before adopting it: start a trial of a proposed
policy on the pool's own last weeks, then poll it for progress and the figures side by side."""

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from services.contracts.routing_api import PolicyTrial, TrialView
from services.platform.errors import NotFound
from services.platform.ids import Id
from services.platform.tokens import Caller
from services.platform.unit_of_work import RequestConn
from services.routing import store_trials, trials
from services.routing.answers import trial_view
from services.routing.api import pool_member

CallerRequest = Request[Caller, str, Any]


class TrialController(Controller):
    path = "/v1/pools/{pool_id:str}/policy/trials"
    tags = ["members and policy"]  # noqa: RUF012

    @post("/", status_code=202, summary="Try a proposed policy on the pool's last weeks (members and lead)")
    async def start(
        self,
        request: CallerRequest,
        conn: RequestConn,
        pool_id: FromPath[Id],
        data: JSONBody[PolicyTrial],
    ) -> TrialView:
        pool_member(request.user, pool_id)
        trial_id = await trials.start(conn, pool_id, request.user.account_id, data)
        found = await store_trials.get(conn, trial_id)
        assert found is not None
        return trial_view(found)

    @get("/{trial_id:uuid}", summary="A policy trial: progress, then both policies' figures side by side")
    async def trial(
        self,
        request: CallerRequest,
        conn: RequestConn,
        pool_id: FromPath[Id],
        trial_id: FromPath[UUID],
    ) -> TrialView:
        pool_member(request.user, pool_id)
        found = await store_trials.get(conn, trial_id)
        if found is None or found.pool_id != pool_id:
            raise NotFound("no such trial in this pool")
        return trial_view(found)
