"""What one request's journey costs the database: the SQL statements intake and routing send
(transactions' BEGIN and COMMIT included) from the submit, through routing's offer, to the
member's accept recorded by intake — counted on the client side, per asyncio task, so the
services' once-a-second loops (escalation, service levels, sweeps) are left out. A ceiling, not
an exact figure: the relays may be woken once more or less, depending on timing."""

import asyncio
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

import asyncpg
import pytest

from services.platform import db
from tests.support import auth, caller, eventually

POOL = "pool-secretariaat"
# Statements of the whole journey (two services, 3 HTTP calls, about 5 events relayed and
# consumed): 43 measured. 53 before a decision read the members with who served the requester
# and their minutes today in one statement and the pool's holidays with the absences in
# another; before an offer claimed the member's room and wrote its event with the offer; before
# intake wrote a status change's event with the change, and a new request's with the request;
# and before an accept wrote the offer, the request's state and its event in one. 65 before an offer
# carried the expected pick-up itself (a PickupExpected less to store, relay and apply) and
# before a decision, its offer and the request's state were written in one statement, as a
# submitted request with its first timeline entry and every change with its entry; 85–91
# before the relay claimed and marked its rows in one statement and the submit stopped reading
# the request twice; about 20 more before pooled connections stopped being reset on release.
# 43 before the relay leased its rows (claim, and mark with the next claim: no BEGIN and COMMIT
# a round), a decision read its rota with its policy, and intake stored a request without files
# outside a transaction.
MOST_STATEMENTS = 43


class Statements:
    """Counts the statements sent on the services' pooled connections, by the task sending them."""

    def __init__(self) -> None:
        self.by_task: Counter[str] = Counter()
        self.texts: list[tuple[str, str]] = []
        self.counting = False

    def sent(self, query: str) -> None:
        task = asyncio.current_task()
        name = task.get_name() if task is not None else "?"
        if self.counting and query != "SELECT 1":  # the listener's health check is not the request's
            self.by_task[name] += 1
            self.texts.append((name, " ".join(query.split())[:80]))

    def of_the_journey(self, relays_and_consumers: set[str]) -> int:
        """Statements of the relays, the consumers and the HTTP handlers (the test client runs
        each call in a task of its portal; a server, in a task without a name of its own)."""
        return sum(
            n
            for name, n in self.by_task.items()
            if name in relays_and_consumers or name.startswith("Task-") or "BlockingPortal" in name
        )


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> Statements:
    counted = Statements()
    time_and_log = asyncpg.connection.Connection._time_and_log

    def logged(self: Any, query: str, args: Any, timeout: Any) -> Any:
        counted.sent(query)
        return time_and_log(self, query, args, timeout)

    monkeypatch.setattr(asyncpg.connection.Connection, "_time_and_log", logged)
    create_pool = asyncpg.create_pool

    def counting_pool(*args: Any, init: Any = None, **kwargs: Any) -> Any:
        async def logging_init(conn: asyncpg.Connection) -> None:
            conn.add_query_logger(lambda _: None)  # asyncpg times and logs only with a logger
            if init is not None:
                await init(conn)

        return create_pool(*args, init=logging_init, **kwargs)

    monkeypatch.setattr(db.asyncpg, "create_pool", counting_pool)
    return counted


async def test_one_request_from_submit_to_accept_stays_under_the_statement_ceiling(
    services: Callable[..., Any], statements: Statements, database_url: str
) -> None:
    clients = await services("intake", "routing", demo=True)
    intake, routing = clients["intake"], clients["routing"]
    staff = caller("staff", pools=(POOL,))
    quiet = await asyncpg.connect(database_url)
    try:

        async def pending() -> int:
            return int(
                await quiet.fetchval(
                    "SELECT (SELECT count(*) FROM intake.outbox WHERE status = 'pending')"
                    " + (SELECT count(*) FROM routing.outbox WHERE status = 'pending')"
                )
            )

        await eventually(pending, lambda n: n == 0, within=15)
        statements.counting = True
        body = {"type_id": "agenda-meeting", "description": "Plan the review", "idempotency_key": str(uuid.uuid4())}
        created = await intake.post("/v1/requests/", json=body, headers=auth(staff, "intake"))
        assert created.status_code == 201, created.text
        request_id = created.json()["id"]

        # Watched in the database, not through the services: their reads are not the journey's.
        async def status() -> str:
            return str(await quiet.fetchval("SELECT status FROM intake.requests WHERE id = $1", uuid.UUID(request_id)))

        async def offer() -> asyncpg.Record | None:
            return await quiet.fetchrow(
                "SELECT id, member_id FROM routing.offers WHERE request_id = $1 AND status = 'open'", request_id
            )

        await eventually(status, lambda s: s == "offered", within=15)
        made = await eventually(offer, lambda o: o is not None, within=15)
        assert made is not None
        member = caller("secretary", pools=(POOL,), account_id=made["member_id"])
        accepted = await routing.post(f"/v1/offers/{made['id']}/accept", headers=auth(member, "routing"))
        assert accepted.status_code == 200, accepted.text
        await eventually(status, lambda s: s == "in_progress", within=15)
        await eventually(pending, lambda n: n == 0, within=15)
        statements.counting = False
    finally:
        await quiet.close()

    journey = statements.of_the_journey({"outbox-relay", "outbox-relay-marks", "intake-routing", "routing-intake"})
    print(f"statements of one request's journey: {journey}", dict(statements.by_task))
    assert journey <= MOST_STATEMENTS, statements.texts
