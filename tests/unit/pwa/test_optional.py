"""`optional` does without a service only while it is down: a refusal or a missing endpoint
(a renamed path) is raised, so it is seen."""

import asyncio

import pytest

from pwa.gateway import ServiceError, ServiceUnreachable
from pwa.views.common import optional
from services.platform.failures import is_transient


async def failing(exc: Exception) -> list[str]:
    raise exc


def run(exc: Exception) -> list[str] | None:
    return asyncio.run(optional(failing(exc)))


async def answer() -> list[str]:
    return ["a"]


def test_an_answer_passes_through() -> None:
    assert asyncio.run(optional(answer())) == ["a"]


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_service_that_is_away_gives_none(status: int) -> None:
    assert run(ServiceError(status, "away")) is None


def test_a_service_that_does_not_answer_at_all_gives_none() -> None:
    assert run(ServiceUnreachable("intake")) is None


def test_a_service_that_does_not_answer_is_a_transient_failure_to_a_consumer() -> None:
    unreachable = ServiceUnreachable("intake")
    assert (unreachable.status, unreachable.down, is_transient(unreachable)) == (503, True, True)


@pytest.mark.parametrize("status", [400, 403, 404, 405, 409, 422, 500, 501])
def test_anything_else_the_service_says_is_raised(status: int) -> None:
    with pytest.raises(ServiceError) as raised:
        run(ServiceError(status, "no"))
    assert raised.value.status == status
