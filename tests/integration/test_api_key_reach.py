"""What an integration's API key reaches, endpoint by endpoint: for every route of intake,
routing and recognition (from their Litestar routes), a read key and a write key of one pool
call it on another pool's objects. A read key changes nothing (403 that says it only reads); a
write key submits requests and nothing else; no answer names the other pool's request, and
every route about the other pool is 403 or 404 (but what the authorization matrix gives
everyone in the organisation, such as a pool's digest schedule)."""

import re
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from services.contracts.identity import ApiKeyIssued
from services.platform import api_key_store, api_keys, db
from services.platform.access_matrix import MATRIX, Reach, platform_route
from services.platform.settings import Settings
from tests.support import auth, caller, close_pool, endpoints, new_id

POOL = "pool-secretariaat"  # the demo's pool: the other pool's objects, for the keys
PARAM = re.compile(r"\{(\w+):(\w+)\}")


def fill(path: str, request_id: str) -> str:
    """The path with each parameter given: the other pool's request, its pool, random ids."""

    def value(found: re.Match[str]) -> str:
        name, kind = found.groups()
        if name == "request_id":
            return request_id
        if name == "pool_id":
            return POOL
        if kind == "uuid":
            return str(uuid.uuid4())
        return date.today().isoformat() if kind == "date" else new_id("x-")

    return PARAM.sub(value, path)


async def issue(database_url: str, schema: str, pool_id: str, scope: str) -> str:
    """A key in a service's own copy of the keys, as the identity event would leave it."""
    key_id, whole = api_keys.new_key()
    event = ApiKeyIssued(
        event_id=uuid.uuid4(),
        occurred_at=datetime.now(UTC),
        key_id=key_id,
        version=1,
        pool_id=pool_id,
        scope="write" if scope == "write" else "read",
        secret_sha256=api_keys.secret_hash(whole),
        name=scope,
    )
    pool = await db.connect(database_url, schema)
    try:
        async with pool.acquire() as conn:
            await api_key_store.record_issued(conn, event)
    finally:
        await close_pool(pool)
    return whole


async def test_a_key_reaches_nothing_of_another_pool_and_writes_only_a_new_request(
    make_settings: Callable[..., Settings], services: Any, database_url: str
) -> None:
    clients = await services("intake", "routing", "recognition", demo=True)
    anna = caller("staff", pools=(POOL,))
    secret_words = "Confidential " + new_id()
    body = {"type_id": "agenda-meeting", "description": secret_words, "idempotency_key": str(uuid.uuid4())}
    made = await clients["intake"].post("/v1/requests/", json=body, headers=auth(anna, "intake"))
    assert made.status_code == 201, made.text
    request_id = made.json()["id"]
    mine = new_id("pool-k-")

    checked = 0
    for name, client in clients.items():
        keys = {scope: await issue(database_url, name, mine, scope) for scope in ("read", "write")}
        for endpoint in endpoints(client.app):
            method, path = endpoint.split(" ", 1)
            if platform_route(path):
                continue
            url = fill(path, request_id)
            asked = {"id": request_id} if path.endswith("/by-id") else None  # the request named in the query
            for scope, key in keys.items():
                answer = await client.request(method, url, headers={"x-api-key": key}, json={}, params=asked)
                where = f"{name} {endpoint} with a {scope} key: {answer.status_code} {answer.text[:200]}"
                checked += 1
                if method == "GET":
                    assert answer.status_code in (200, 403, 404), where
                    assert request_id not in answer.text and secret_words not in answer.text, where
                    everyones = MATRIX[name][endpoint].of("secretary") == Reach.ALL  # e.g. a digest's schedule
                    if ("{pool_id" in path or "{request_id" in path) and not everyones:
                        assert answer.status_code in (403, 404), where
                elif endpoint == "POST /v1/requests" and scope == "write":
                    assert answer.status_code in (400, 403, 422), where  # the gate passed; not into that pool
                    assert "API key" not in answer.text, where
                else:
                    assert answer.status_code == 403, where
                    reason = "only read" if scope == "read" else "submit requests"
                    assert reason in answer.json()["detail"], where
    assert checked > 100
