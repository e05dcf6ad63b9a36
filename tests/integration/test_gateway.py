"""The pwa's gateway against a real HTTP server: what it sends, how a refusal comes back, and
that a service that does not answer is told apart from one that says no."""

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pwa.gateway import Gateway, ServiceError, ServiceUnreachable
from pwa.views.common import optional
from services.platform.tokens import Caller, SigningKey

ANNA = Caller(account_id="a1", roles=("staff",), pools=("p1",))


class Service:
    """A stand-in service on a real socket that notes what it was asked."""

    def __init__(self) -> None:
        self.seen: list[web.Request] = []

    async def answer(self, request: web.Request) -> web.Response:
        self.seen.append(request)
        if request.path == "/v1/refused":
            return web.json_response(
                {"status_code": 422, "detail": "wished_for: the date has passed", "field": "wished_for"}, status=422
            )
        if request.path == "/v1/slow":
            await asyncio.sleep(2)  # past the gateway's timeout below, short for the teardown
        return web.json_response({"echo": await request.text(), "query": request.query_string})


@pytest.fixture
async def service() -> AsyncIterator[tuple[Service, str]]:
    stand_in = Service()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", stand_in.answer)
    runner = web.AppRunner(app, access_log=None)  # no log lines from the stand-in
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield stand_in, f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_a_call_carries_a_token_for_the_service_its_body_and_repeated_parameters(service: tuple[Service, str]):
    stand_in, url = service
    gateway = Gateway({"intake": url}, SigningKey(Ed25519PrivateKey.generate()))
    try:
        answer = await gateway.call(
            "intake", "POST", "/v1/requests", ANNA, body={"a": 1}, params={"status": ["submitted", "offered"], "n": 5}
        )
    finally:
        await gateway.close()
    assert answer == b'{"echo": "{\\"a\\":1}", "query": "status=submitted&status=offered&n=5"}'
    [seen] = stand_in.seen
    assert seen.headers["authorization"].startswith("Bearer ")
    assert seen.headers["content-type"] == "application/json"


async def test_a_refusal_comes_back_with_its_status_and_field(service: tuple[Service, str]):
    _, url = service
    gateway = Gateway({"intake": url}, SigningKey(Ed25519PrivateKey.generate()))
    try:
        with pytest.raises(ServiceError) as refused:
            await gateway.call("intake", "GET", "/v1/refused", ANNA)
    finally:
        await gateway.close()
    assert (refused.value.status, refused.value.field, refused.value.code) == (422, "wished_for", "invalid")
    assert not isinstance(refused.value, ServiceUnreachable)


async def test_a_service_that_refuses_the_connection_is_unreachable_and_a_page_does_without_it():
    gateway = Gateway({"intake": f"http://127.0.0.1:{closed_port()}"}, SigningKey(Ed25519PrivateKey.generate()))
    try:
        with pytest.raises(ServiceUnreachable) as unreachable:
            await gateway.call("intake", "GET", "/v1/requests", ANNA)
        assert await optional(gateway.call("intake", "GET", "/v1/requests", ANNA)) is None
    finally:
        await gateway.close()
    assert (unreachable.value.status, unreachable.value.down) == (503, True)


async def test_a_service_that_does_not_answer_in_time_is_unreachable(service: tuple[Service, str]):
    _, url = service
    gateway = Gateway({"intake": url}, SigningKey(Ed25519PrivateKey.generate()), timeout_seconds=0.3)
    try:
        with pytest.raises(ServiceUnreachable):
            await gateway.call("intake", "GET", "/v1/slow", ANNA)
    finally:
        await gateway.close()
