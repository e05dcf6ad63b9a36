"""Recognition's authorization, table-driven: every endpoint × every role × (own, a colleague's
in the pool, the other pool's) against services.platform.access_matrix. Intake is played by
the test (completed requests published into JetStream as intake's outbox would)."""

import uuid
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import msgspec
import nats
from litestar.testing import AsyncTestClient

from services.contracts.intake import RequestCompleted
from services.platform import db
from services.platform.outbox import subject_of
from services.recognition import digests, domain
from services.recognition.app import create_app
from services.recognition.config import RecognitionConfig
from tests.integration.authz.harness import Call, Cast, Once, Person, Spec, check_routes, on_pool, own_only, verdicts
from tests.support import auth, close_nats, close_pool, eventually


class World:
    """Recognition's objects for the cast, made through its API (and, for digests, its
    service layer) on first use."""

    def __init__(self, client: AsyncTestClient[Any], cast: Cast, nats_url: str, pool: Any) -> None:
        self.client, self.cast, self.nats_url, self.pool = client, cast, nats_url, pool
        self.once = Once()
        self.admin = cast.of("admin", cast.pools[0]).caller

    async def call(self, who: Any, method: str, path: str, **kwargs: Any) -> Any:
        response = await self.client.request(method, path, headers=auth(who, "recognition"), **kwargs)
        assert response.status_code < 300, (method, path, response.status_code, response.text)
        return response.json() if response.content else None

    async def kudos(self, giver: Person) -> str:
        """Thanks from `giver` to a member of their pool, addressed to the pool: it touches the pool."""
        to = self.cast.colleague(giver, "secretary")
        body = {"message": f"thanks from {giver.role}", "recipient_ids": [to.caller.account_id], "pool_id": giver.pool}
        return str((await self.call(giver.caller, "POST", "/v1/kudos", json=body))["id"])

    async def reported(self, giver: Person) -> str:
        kudos_id = await self.kudos(giver)
        reporter = self.cast.colleague(giver)
        await self.call(reporter.caller, "POST", f"/v1/kudos/{kudos_id}/reports", json={"reason": "unkind"})
        return kudos_id

    async def prompt(self, requester: Person) -> str:
        """An invitation to thank: `requester`'s request was completed by a member of the pool."""
        request_id = str(uuid.uuid4())
        member = self.cast.colleague(requester, "secretary")
        event = RequestCompleted(
            event_id=uuid.uuid4(),
            occurred_at=datetime.now(UTC),
            request_id=request_id,
            version=5,
            pool_id=requester.pool,
            requester_id=requester.caller.account_id,
            member_id=member.caller.account_id,
        )
        nc = await nats.connect(self.nats_url)
        try:
            await nc.jetstream().publish(
                subject_of(event), msgspec.json.encode(event), headers={"Nats-Msg-Id": str(event.event_id)}
            )
        finally:
            await close_nats(nc)

        async def mine() -> list[Any]:
            found = await self.call(requester.caller, "GET", "/v1/prompts")
            return [p["id"] for p in found if p["request_id"] == request_id]

        return str((await eventually(mine, bool, within=20))[0])

    async def digest(self, pool_id: str) -> str:
        end = datetime.now(UTC).replace(microsecond=0)
        async with self.pool.acquire() as conn, conn.transaction():
            row = await digests.publish(conn, pool_id, domain.Period(start=end - timedelta(days=7), end=end))
        assert row is not None
        return str(row.id)

    async def value(self) -> str:
        value_id = f"v-{uuid.uuid4().hex[:10]}"
        await self.call(self.admin, "PUT", f"/v1/values/{value_id}", json={"nl": "Moed", "en": "Courage"})
        return value_id

    async def thing(self, kind: str, person: Person, relation: str, fresh: bool) -> Any:
        who = self.cast.owner(person, relation)
        if who is None:
            return None
        makers = {
            "kudos": lambda: self.kudos(who),
            "reported": lambda: self.reported(who),
            "prompt": lambda: self.prompt(who),
        }
        make = makers[kind]
        return await make() if fresh else await self.once.get((kind, who.caller.account_id), make)


def specs(world: World) -> dict[str, Spec]:
    cast = world.cast

    def on(kind: str, method: str, template: str, **kwargs: Any) -> Spec:
        async def make(person: Person, relation: str, fresh: bool) -> Call | None:
            found = await world.thing(kind, person, relation, fresh)
            return None if found is None else Call(method, template.format(found), dict(kwargs))

        return make

    pool = partial(on_pool, cast)

    plain = own_only

    def mine(path: str, kind: str) -> Spec:
        """A list of the caller's own: nothing of a colleague's or of the other pool's person's."""

        async def make(person: Person, relation: str, fresh: bool) -> Call | None:
            if relation != "own":
                return None
            leaks = [await world.thing(kind, person, r, False) for r in ("pool", "other")]
            return Call("GET", path, leaks=tuple(x for x in leaks if x))

        return make

    async def reports(person: Person, relation: str, fresh: bool) -> Call | None:
        """A lead sees the reports of their pool only; an admin all of them."""
        if relation != "own":
            return None
        leaks = () if person.role == "admin" else (await world.thing("reported", person, "other", False),)
        await world.thing("reported", person, "own", False)
        return Call("GET", "/v1/reports?limit=200", leaks=leaks)

    async def digest(person: Person, relation: str, fresh: bool) -> Call | None:
        if relation == "pool":
            return None
        target = person.pool if relation == "own" else cast.other_pool(person.pool)
        return Call("GET", f"/v1/digests/{await world.once.get(('digest', target), lambda: world.digest(target))}")

    async def value(method: str, person: Person, relation: str, fresh: bool) -> Call | None:
        if relation != "own":
            return None
        value_id = await world.value() if method == "DELETE" else f"v-{uuid.uuid4().hex[:10]}"
        body = {"json": {"nl": "Zorg", "en": "Care"}} if method == "PUT" else {}
        return Call(method, f"/v1/values/{value_id}", body)

    async def give(person: Person, relation: str, fresh: bool) -> Call | None:
        if relation == "pool":
            return None
        target = person.pool if relation == "own" else cast.other_pool(person.pool)
        to = cast.of("colleague-secretary", target).caller.account_id
        return Call("POST", "/v1/kudos", {"json": {"message": "thank you", "recipient_ids": [to], "pool_id": target}})

    async def put_value(person: Person, relation: str, fresh: bool) -> Call | None:
        return await value("PUT", person, relation, fresh)

    async def retire_value(person: Person, relation: str, fresh: bool) -> Call | None:
        return await value("DELETE", person, relation, fresh)

    return {
        "POST /v1/kudos": give,
        "GET /v1/wall": plain("GET", "/v1/wall"),
        "GET /v1/kudos/{kudos_id:uuid}": on("kudos", "GET", "/v1/kudos/{}"),
        "PUT /v1/kudos/{kudos_id:uuid}/reaction": on("kudos", "PUT", "/v1/kudos/{}/reaction", json={"emoji": "👏"}),
        "DELETE /v1/kudos/{kudos_id:uuid}/reaction": on("kudos", "DELETE", "/v1/kudos/{}/reaction"),
        "POST /v1/kudos/{kudos_id:uuid}/reports": on("kudos", "POST", "/v1/kudos/{}/reports", json={"reason": "x"}),
        "GET /v1/me/kudos": plain("GET", "/v1/me/kudos"),
        "GET /v1/reports": reports,
        "POST /v1/kudos/{kudos_id:uuid}/hide": on("kudos", "POST", "/v1/kudos/{}/hide", json={"reason": "unkind"}),
        "POST /v1/kudos/{kudos_id:uuid}/keep": on("reported", "POST", "/v1/kudos/{}/keep"),
        "GET /v1/kudos/{kudos_id:uuid}/audit": on("kudos", "GET", "/v1/kudos/{}/audit"),
        "GET /v1/values": plain("GET", "/v1/values"),
        "PUT /v1/values/{value_id:str}": put_value,
        "DELETE /v1/values/{value_id:str}": retire_value,
        "GET /v1/prompts": mine("/v1/prompts", "prompt"),
        "POST /v1/prompts/{prompt_id:uuid}/kudos": on("prompt", "POST", "/v1/prompts/{}/kudos"),
        "POST /v1/prompts/{prompt_id:uuid}/dismiss": on("prompt", "POST", "/v1/prompts/{}/dismiss"),
        "GET /v1/pools/{pool_id:str}/digests": pool("GET", "/v1/pools/{}/digests"),
        "GET /v1/digests/{digest_id:uuid}": digest,
        "GET /v1/pools/{pool_id:str}/digest-schedule": pool("GET", "/v1/pools/{}/digest-schedule"),
        "PUT /v1/pools/{pool_id:str}/digest-schedule": pool(
            "PUT", "/v1/pools/{}/digest-schedule", json={"every_days": 7}
        ),
        "GET /v1/people/me/data": plain("GET", "/v1/people/me/data"),
    }


async def hidden_kudos(world: World) -> list[str]:
    """Once hidden, a kudos is seen only by its giver, its recipients and its moderators: the
    leads of a pool it touches and admins, not a lead of another pool."""
    cast, (here, there) = world.cast, world.cast.pools
    giver = cast.of("staff", here)
    kudos_id = await world.kudos(giver)
    await world.call(cast.of("lead", here).caller, "POST", f"/v1/kudos/{kudos_id}/hide", json={"reason": "unkind"})
    sees = {
        ("staff", here): True,
        ("colleague-secretary", here): True,
        ("lead", here): True,
        ("admin", there): True,
        ("lead", there): False,
        ("colleague-staff", here): False,
        ("secretary", here): False,
        ("secretary", there): False,
    }
    failures = []
    for (role, pool_id), expect in sees.items():
        who = cast.of(role, pool_id).caller
        response = await world.client.get(f"/v1/kudos/{kudos_id}", headers=auth(who, "recognition"))
        if (response.status_code == 200) != expect or response.status_code not in (200, 404):
            failures.append(f"hidden kudos as {role} of {pool_id}: {response.status_code}")
    return failures


async def test_every_recognition_endpoint_answers_each_role_as_the_matrix_says(make_settings, database_url):
    cast = Cast()
    settings = make_settings("recognition", demo=False)
    app = create_app(settings, RecognitionConfig(daily_limit=10_000))
    async with AsyncTestClient(app=app) as client:
        pool = await db.connect(database_url, "recognition", min_size=1, max_size=2)
        try:
            await cast.register_keys(pool)
            world = World(client, cast, settings.nats_url, pool)
            table = specs(world)
            check_routes("recognition", app, table)
            made, failures = await verdicts("recognition", client, cast, table)
            failures += await hidden_kudos(world)
        finally:
            await close_pool(pool)
    assert not failures, f"{len(failures)} of {made} calls disagree with the matrix:\n" + "\n".join(sorted(failures))
    assert made > 200
