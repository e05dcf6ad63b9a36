"""What is not for anonymous users: `/metrics` answers only to the metrics token, on every
service and on the pwa's public port; a service's OpenAPI (document and viewers) only to a
valid service token, and declares that bearer scheme; the pwa has no OpenAPI at all."""

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from pwa.app import create_app as pwa_app
from services.platform.settings import Settings
from tests.support import METRICS, METRICS_TOKEN, auth, caller

SERVICES = ("intake", "routing", "recognition")
VIEWERS = (
    "/schema",
    "/schema/openapi.json",
    "/schema/openapi.yaml",
    "/schema/swagger",
    "/schema/redoc",
    "/schema/elements",
    "/schema/rapidoc",
)


@pytest.fixture
async def pwa(make_settings: Callable[..., Settings]) -> AsyncIterator[AsyncTestClient[Any]]:
    async with AsyncTestClient(app=pwa_app(make_settings("pwa"))) as client:
        yield client


def refused(status: int) -> bool:
    return status in (401, 404)


async def test_metrics_answer_only_to_the_metrics_token(services, pwa):
    clients = {**(await services(*SERVICES)), "pwa": pwa}
    for name, client in clients.items():
        assert (await client.get("/ready")).json() == {"status": "ready"}, name
        anonymous = await client.get("/metrics")
        assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("Bearer"), name
        assert (await client.get("/metrics", headers={"authorization": "Bearer wrong"})).status_code == 401
        assert (await client.get("/metrics", headers={"authorization": METRICS_TOKEN})).status_code == 401
        if name != "pwa":  # a service token is for calls, not for metrics
            assert (await client.get("/metrics", headers=auth(caller("admin"), name))).status_code == 401
        metrics = await client.get("/metrics", headers=METRICS)
        assert metrics.status_code == 200 and "secpool" in metrics.text, name


async def test_without_a_metrics_token_metrics_are_off_not_open(services):
    intake = (await services("intake", metrics_token=""))["intake"]
    assert (await intake.get("/metrics")).status_code == 404
    assert (await intake.get("/metrics", headers={"authorization": "Bearer "})).status_code == 404


async def test_a_service_openapi_needs_a_service_token_for_that_service(services):
    clients = await services(*SERVICES)
    for name, client in clients.items():
        for path in VIEWERS:
            assert (await client.get(path)).status_code == 401, (name, path)
            assert (await client.get(path, headers=METRICS)).status_code == 401, (name, path)
        other = "routing" if name != "routing" else "intake"
        assert (await client.get("/schema/openapi.json", headers=auth(caller(), other))).status_code == 401
        document = await client.get("/schema/openapi.json", headers=auth(caller(), name))
        assert document.status_code == 200, name
        doc = document.json()
        schemes = doc["components"]["securitySchemes"]
        assert schemes["serviceToken"]["type"] == "http" and schemes["serviceToken"]["scheme"] == "bearer"
        assert doc["security"] == [{"serviceToken": []}, {"apiKey": []}]
        assert not {"/health", "/ready", "/metrics"} & set(doc["paths"])


async def test_the_pwa_serves_no_openapi(pwa):
    for path in VIEWERS:
        assert (await pwa.get(path)).status_code == 404, path


async def test_a_path_that_merely_contains_a_public_name_is_not_public(services):
    """Public routes are public by their own flag, not by a pattern matched anywhere in a path."""
    clients = await services(*SERVICES)
    for name, client in clients.items():
        for path in ("/v1/requests/health", "/v1/kudos/metrics", "/v1/pools/ready", "/v1/x/schema/openapi.json"):
            response = await client.get(path)
            assert refused(response.status_code) or response.status_code in (400, 405), (
                name,
                path,
                response.status_code,
            )
