"""The clients build their paths and decode the answers; the few endpoints whose 404 means
"nothing there" answer None, any other 404 (a renamed endpoint) is raised."""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import msgspec
import pytest

from pwa.clients import Clients
from pwa.gateway import Gateway, ServiceError
from services.contracts.intake_api import Cancellation
from services.contracts.routing_api import OfferView
from services.platform.tokens import Caller

ANNA = Caller(account_id="a1", roles=("secretary",), pools=("p1",))


class StandIn(Gateway):
    """Records each call and answers with `reply(method, path)`."""

    def __init__(self, reply: Callable[[str, str], object]) -> None:
        self.calls: list[tuple[str, str, str, Any, Any]] = []
        self._reply = reply

    async def call(
        self,
        service: str,
        method: str,
        path: str,
        caller: Caller,
        *,
        body: object = None,
        params: dict[str, str | int] | None = None,
    ) -> bytes:
        self.calls.append((service, method, path, body, params))
        answer = self._reply(method, path)
        if isinstance(answer, ServiceError):
            raise answer
        return msgspec.json.encode(answer)


def test_a_client_calls_its_service_on_its_path() -> None:
    offer = OfferView(
        id=uuid4(),
        request_id="r1",
        member_id="a1",
        status="open",
        development=False,
        buddy_id=None,
        expires_at=datetime(2026, 11, 30, 12, tzinfo=UTC),
        skill="agenda",
        urgency="normal",
    )
    stand_in = StandIn(lambda method, path: [offer])
    found = asyncio.run(Clients.over(stand_in).routing.offers_for(ANNA))
    assert stand_in.calls == [("routing", "GET", "/v1/members/me/offers", None, None)]
    assert found == [offer]


def test_a_change_sends_its_body() -> None:
    stand_in = StandIn(lambda method, path: None)
    request_id = uuid4()
    asyncio.run(Clients.over(stand_in).intake.cancel(ANNA, request_id, "not needed"))
    assert stand_in.calls == [
        ("intake", "POST", f"/v1/requests/{request_id}/cancel", Cancellation(reason="not needed"), None)
    ]


def not_found(method: str, path: str) -> ServiceError:
    return ServiceError(404, "no such thing")


def test_not_a_member_is_no_profile() -> None:
    assert asyncio.run(Clients.over(StandIn(not_found)).routing.me(ANNA)) is None


def test_a_request_routing_has_not_heard_of_has_no_decisions_yet() -> None:
    assert asyncio.run(Clients.over(StandIn(not_found)).routing.decisions(ANNA, "r1")) is None


def test_a_trial_a_link_names_that_is_gone_is_none() -> None:
    assert asyncio.run(Clients.over(StandIn(not_found)).routing.find_trial(ANNA, "p1", uuid4())) is None


def test_any_other_404_is_raised() -> None:
    clients = Clients.over(StandIn(not_found))
    with pytest.raises(ServiceError):
        asyncio.run(clients.routing.members(ANNA, "p1"))
    with pytest.raises(ServiceError):
        asyncio.run(clients.intake.timeline(ANNA, uuid4()))
