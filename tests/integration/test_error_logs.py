"""Every 5xx logs one line with the traceback and a request id (which the answer repeats);
every 401/403 logs its reason; a lost dependency answers 503 with Retry-After."""

import json
from collections.abc import Callable

from litestar import get
from litestar.testing import AsyncTestClient

from services.platform.errors import Forbidden
from services.platform.runtime import service_app
from services.platform.settings import Settings
from tests.support import auth, caller


@get("/boom")
async def boom() -> None:
    raise RuntimeError("the ink ran out")


@get("/locked")
async def locked() -> None:
    raise Forbidden("only the pool's lead may see this")


@get("/away")
async def away() -> None:
    raise ConnectionRefusedError(111, "Connection refused")


def lines_with(text: str, words: str) -> list[dict]:
    found = []
    for line in text.splitlines():
        if words in line:
            found.append(json.loads(line))
    return found


async def test_a_500_logs_one_line_with_traceback_and_request_id_and_refusals_log_their_reason(
    make_settings: Callable[..., Settings], capfd
):
    app = service_app(
        settings=make_settings("recognition"),
        schema="recognition",
        package="services.recognition",
        title="test",
        route_handlers=[boom, locked, away],
    )
    headers = auth(caller("staff"), "recognition")
    async with AsyncTestClient(app=app) as client:
        failed = await client.get("/boom", headers={**headers, "x-request-id": "req-42"})
        assert failed.status_code == 500 and failed.headers["x-request-id"] == "req-42"
        assert "request id req-42" in failed.json()["detail"]
        down = await client.get("/away", headers=headers)
        assert down.status_code == 503 and down.headers["retry-after"] == "1"
        assert (await client.get("/locked", headers=headers)).status_code == 403
        assert (await client.get("/boom")).status_code == 401  # no token
    err = capfd.readouterr().err
    [line] = lines_with(err, '"request failed"')
    assert (
        line["request_id"] == "req-42" and "Traceback" in line["exception"] and "the ink ran out" in line["exception"]
    )
    assert lines_with(err, "a dependency is unavailable")
    reasons = [line["reason"] for line in lines_with(err, '"request refused"')]
    assert "only the pool's lead may see this" in reasons
    assert any("missing service token" in r for r in reasons)
