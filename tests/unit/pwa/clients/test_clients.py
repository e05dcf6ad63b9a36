"""The clients build their paths and decode the answers; the few endpoints whose 404 means
"nothing there" answer None, any other 404 (a renamed endpoint) is raised."""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import msgspec
import pytest

from pwa.clients import Clients
from pwa.gateway import Gateway, ServiceError
from pwa.records import Account
from pwa.views.offers import requests_by_id
from services.contracts.intake_api import Cancellation, RequestView
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
        params: dict[str, str | int | list[str]] | None = None,
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


def a_request(request_id: str) -> RequestView:
    at = datetime(2026, 11, 30, 12, tzinfo=UTC)
    return RequestView(
        id=UUID(request_id), pool_id="p1", requester_id="s1", on_behalf_of=None, type_id="letter",
        type_name={"en": "Letter"}, description="Brief", urgency="normal", wished_for=None, language="nl",
        status="submitted", member_id=None, buddy_id=None, helper_ids=[], version=1, submitted_at=at,
        pickup_due_at=at, done_due_at=at, picked_up_at=None, done_at=None, cancelled_at=None,
        waiting_since=None, rating=None, rating_comment=None, pickup_at_risk=False, done_at_risk=False,
        pickup_breached=False, done_breached=False,
    )  # fmt: skip


def test_a_page_listing_requests_asks_intake_once_per_hundred() -> None:
    ids = [str(uuid4()) for _ in range(150)]
    stand_in = StandIn(lambda method, path: [a_request(ids[0]), a_request(ids[149])])
    lead = Account(id="l1", email="l1@x", name="Lea", roles=["lead"], pools=["p1"], language="en")
    found = asyncio.run(requests_by_id(Clients.over(stand_in), lead, [*ids, ids[0]]))
    asked = [(path, len(params["id"])) for _, _, path, _, params in stand_in.calls]
    assert asked == [("/v1/requests/by-id", 100), ("/v1/requests/by-id", 50)]
    assert set(found) == {ids[0], ids[149]}
    down = StandIn(lambda method, path: ServiceError(503, "intake is restarting"))
    assert asyncio.run(requests_by_id(Clients.over(down), lead, ids)) == {}
