"""The `conn` a route takes: a change is committed before its answer is sent, a refused one leaves
nothing behind, and a read runs outside any transaction."""

import uuid
from collections.abc import Callable

from litestar import Litestar, get, post
from litestar.exceptions import ClientException
from litestar.params import FromPath
from litestar.testing import AsyncTestClient

from services.platform.runtime import service_app
from services.platform.settings import Settings
from services.platform.unit_of_work import OWN_TRANSACTION, RequestConn

TABLE = f"uow_{uuid.uuid4().hex[:8]}"


@post("/notes/{text:str}", status_code=201)
async def write_note(conn: RequestConn, text: FromPath[str]) -> dict[str, int]:
    await conn.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (text text)")
    await conn.execute(f"INSERT INTO {TABLE} VALUES ($1)", text)
    if text == "refused":
        raise ClientException("a note may not say that")
    count = await conn.fetchval(f"SELECT count(*) FROM {TABLE}")
    return {"notes": int(count)}


@post("/notes/own/{text:str}", status_code=201, opt={OWN_TRANSACTION: True})
async def write_note_in_one_statement(conn: RequestConn, text: FromPath[str]) -> dict[str, object]:
    in_transaction = conn.is_in_transaction()
    await conn.execute(f"INSERT INTO {TABLE} VALUES ($1)", text)
    if text == "refused-after":
        raise ClientException("refused after its one statement")
    return {"in_transaction": in_transaction}


@get("/notes")
async def read_notes(conn: RequestConn) -> dict[str, object]:
    texts = [r[0] for r in await conn.fetch(f"SELECT text FROM {TABLE} ORDER BY text")]
    return {"texts": texts, "in_transaction": conn.is_in_transaction()}


def notes_app(make_settings: Callable[..., Settings]) -> Litestar:
    return service_app(
        settings=make_settings("recognition"),
        schema="recognition",
        package="services.recognition",
        title="test",
        route_handlers=[write_note, write_note_in_one_statement, read_notes],
        authenticate=False,
    )


async def test_a_change_is_committed_before_its_answer_and_a_refused_one_is_rolled_back(
    make_settings: Callable[..., Settings],
):
    async with AsyncTestClient(app=notes_app(make_settings)) as client:
        assert (await client.post("/notes/first")).json() == {"notes": 1}
        # The next request may get another connection: it sees the committed note at once.
        assert (await client.get("/notes")).json() == {"texts": ["first"], "in_transaction": False}
        refused = await client.post("/notes/refused")
        assert refused.status_code == 400
        assert (await client.get("/notes")).json()["texts"] == ["first"]


async def test_a_route_that_opens_its_own_transaction_gets_a_plain_connection(
    make_settings: Callable[..., Settings],
):
    async with AsyncTestClient(app=notes_app(make_settings)) as client:
        assert (await client.post("/notes/setup")).status_code == 201
        assert (await client.post("/notes/own/second")).json() == {"in_transaction": False}
        # Its one statement committed by itself: nothing rolls it back (so such a route opens a
        # transaction itself for anything that must be undone with it).
        assert (await client.post("/notes/own/refused-after")).status_code == 400
        assert set((await client.get("/notes")).json()["texts"]) >= {"second", "refused-after"}
