"""The `conn` a route takes: a change is committed before its answer is sent, a refused one leaves
nothing behind, and a read runs outside any transaction."""

import uuid
from collections.abc import Callable

from litestar import get, post
from litestar.exceptions import ClientException
from litestar.params import FromPath
from litestar.testing import AsyncTestClient

from services.platform.runtime import service_app
from services.platform.settings import Settings
from services.platform.unit_of_work import RequestConn

TABLE = f"uow_{uuid.uuid4().hex[:8]}"


@post("/notes/{text:str}", status_code=201)
async def write_note(conn: RequestConn, text: FromPath[str]) -> dict[str, int]:
    await conn.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (text text)")
    await conn.execute(f"INSERT INTO {TABLE} VALUES ($1)", text)
    if text == "refused":
        raise ClientException("a note may not say that")
    count = await conn.fetchval(f"SELECT count(*) FROM {TABLE}")
    return {"notes": int(count)}


@get("/notes")
async def read_notes(conn: RequestConn) -> dict[str, object]:
    texts = [r[0] for r in await conn.fetch(f"SELECT text FROM {TABLE} ORDER BY text")]
    return {"texts": texts, "in_transaction": conn.is_in_transaction()}


async def test_a_change_is_committed_before_its_answer_and_a_refused_one_is_rolled_back(
    make_settings: Callable[..., Settings],
):
    app = service_app(
        settings=make_settings("recognition"),
        schema="recognition",
        package="services.recognition",
        title="test",
        route_handlers=[write_note, read_notes],
        authenticate=False,
    )
    async with AsyncTestClient(app=app) as client:
        assert (await client.post("/notes/first")).json() == {"notes": 1}
        # The next request may get another connection: it sees the committed note at once.
        assert (await client.get("/notes")).json() == {"texts": ["first"], "in_transaction": False}
        refused = await client.post("/notes/refused")
        assert refused.status_code == 400
        assert (await client.get("/notes")).json()["texts"] == ["first"]
