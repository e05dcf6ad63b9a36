"""Intake's authorization, table-driven: every endpoint × every role × (own, a colleague's in
the pool, the other pool's) against services.platform.access_matrix. Routing is played by the
test (offers published into JetStream as routing's outbox would)."""

import uuid
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import msgspec
import nats
from litestar.testing import AsyncTestClient

from services.contracts.base import Event
from services.contracts.routing import OfferAccepted, RequestOffered
from services.intake.app import create_app
from services.intake.config import IntakeConfig
from services.platform import db
from services.platform.objects import Objects, ObjectsConfig
from services.platform.outbox import subject_of
from tests.integration.authz.harness import (
    BEHALF,
    RELATIONS,
    Call,
    Cast,
    Once,
    Person,
    Spec,
    check_routes,
    on_pool,
    own_only,
    verdicts,
)
from tests.support import auth, close_nats, close_pool, eventually

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
TYPE = {
    "name_nl": "Brief",
    "name_en": "Letter",
    "skill": "letters",
    "min_level": 1,
    "pickup_minutes": 60,
    "complete_minutes": 480,
}


class World:
    """Intake's objects for the cast, made through its API on first use."""

    def __init__(self, client: AsyncTestClient[Any], cast: Cast, nats_url: str) -> None:
        self.client, self.cast, self.nats_url = client, cast, nats_url
        self.once = Once()
        self.admin = cast.of("admin", cast.pools[0]).caller

    async def call(self, who: Any, method: str, path: str, **kwargs: Any) -> Any:
        headers = {**auth(who, "intake"), **kwargs.pop("headers", {})}
        response = await self.client.request(method, path, headers=headers, **kwargs)
        assert response.status_code < 300, (method, path, response.status_code, response.text)
        return response.json() if response.content else None

    # --- request types -----------------------------------------------------------------------
    async def new_type(self, pool: str) -> str:
        made = await self.call(
            self.admin, "POST", "/v1/request-types", json={**TYPE, "pool_id": pool, "id": f"t-{uuid.uuid4().hex[:12]}"}
        )
        return str(made["id"])

    async def type_of(self, pool: str, fresh: bool = False) -> str:
        return await self.new_type(pool) if fresh else await self.once.get(("type", pool), lambda: self.new_type(pool))

    # --- requests ----------------------------------------------------------------------------
    async def submit(self, who: Person, for_whom: Person | None = None) -> str:
        body = {
            "type_id": await self.type_of(who.pool),
            "description": f"for {who.role}",
            "idempotency_key": str(uuid.uuid4()),
        }
        if for_whom is not None:
            body["on_behalf_of"] = for_whom.caller.account_id
        return str((await self.call(who.caller, "POST", "/v1/requests", json=body))["id"])

    async def publish(self, event: Event) -> None:
        nc = await nats.connect(self.nats_url)
        try:
            await nc.jetstream().publish(
                subject_of(event), msgspec.json.encode(event), headers={"Nats-Msg-Id": str(event.event_id)}
            )
        finally:
            await close_nats(nc)

    async def status_of(self, who: Person, request_id: str) -> str:
        return str((await self.call(who.caller, "GET", f"/v1/requests/{request_id}"))["status"])

    async def worked(self, requester: Person, member: Person, for_whom: Person | None = None) -> str:
        """A request of `requester`'s, offered to and accepted by `member`: in progress."""
        request_id = await self.submit(requester, for_whom)
        common = {"request_id": request_id, "pool_id": requester.pool, "offer_id": str(uuid.uuid4())}
        await self.publish(
            RequestOffered(
                event_id=uuid.uuid4(),
                occurred_at=datetime.now(UTC),
                version=1,
                member_id=member.caller.account_id,
                expires_at=datetime.now(UTC) + timedelta(hours=1),
                **common,
            )
        )
        await eventually(lambda: self.status_of(requester, request_id), lambda s: s == "offered", within=20)
        await self.publish(
            OfferAccepted(
                event_id=uuid.uuid4(),
                occurred_at=datetime.now(UTC),
                version=2,
                member_id=member.caller.account_id,
                **common,
            )
        )
        await eventually(lambda: self.status_of(requester, request_id), lambda s: s == "in_progress", within=20)
        return request_id

    async def done(self, requester: Person, member: Person, for_whom: Person | None = None) -> str:
        request_id = await self.worked(requester, member, for_whom)
        await self.call(member.caller, "POST", f"/v1/requests/{request_id}/status", json={"status": "done"})
        return request_id

    async def with_file(self, who: Person, for_whom: Person | None = None) -> tuple[str, str]:
        request_id = await self.submit(who, for_whom)
        made = await self.call(
            who.caller,
            "POST",
            f"/v1/requests/{request_id}/attachments",
            content=PDF,
            headers={"x-filename": "brief.pdf"},
        )
        return request_id, str(made["id"])

    async def upload(self, who: Person) -> str:
        made = await self.call(who.caller, "POST", "/v1/uploads", content=PDF, headers={"x-filename": "a.pdf"})
        return str(made["id"])

    async def schedule(self, who: Person) -> str:
        body = {"from_request_id": await self.submit(who), "rule": "weekly", "weekday": 2}
        return str((await self.call(who.caller, "POST", "/v1/recurring", json=body))["id"])

    # --- who owns what -----------------------------------------------------------------------
    async def thing(self, kind: str, person: Person, relation: str, fresh: bool) -> Any:
        """The `kind` of object the relation addresses (None: the person has none of it)."""
        if relation == BEHALF and person.integration:
            return None
        if relation == BEHALF:  # sent by a colleague on the person's behalf
            sender = self.cast.colleague(person)
            behalf: dict[str, Any] = {
                "request": lambda: self.submit(sender, person),
                "done": lambda: self.done(sender, self.cast.colleague(person, "secretary"), person),
                "file": lambda: self.with_file(sender, person),
            }
            if kind not in behalf:
                return None
            make_behalf = behalf[kind]
            return (
                await make_behalf()
                if fresh
                else await self.once.get((kind, BEHALF, person.caller.account_id), make_behalf)
            )
        who = self.cast.owner(person, relation)
        if who is None:
            return None
        makers = {
            "request": lambda: self.submit(who),
            "done": lambda: self.done(who, self.cast.colleague(who, "secretary")),
            "file": lambda: self.with_file(who),
            "upload": lambda: self.upload(who),
            "schedule": lambda: self.schedule(who),
        }
        if kind == "work":  # offered to and taken by a pool member: only secretaries work on requests
            worker = self.cast.owner(person, relation, "secretary")
            if worker is None or worker.role not in ("secretary", "colleague-secretary"):
                return None
            makers["work"] = lambda: self.worked(self.cast.colleague(worker), worker)
            who = worker
        make = makers[kind]
        return await make() if fresh else await self.once.get((kind, who.caller.account_id), make)

    async def mine_and_not(self, person: Person, kind: str, reach_pool: bool) -> tuple[str, ...]:
        """Ids of `kind` a "mine" list must not hold: the colleague's (unless the pool is the
        person's to see) and the other pool's person's."""
        relations = ("other",) if reach_pool else ("pool", "other")
        found = [await self.thing(kind, person, r, False) for r in relations]
        return tuple(str(f) for f in found if f is not None)


def specs(world: World) -> dict[str, Spec]:
    """How to call each endpoint on the object a relation addresses."""

    def on(kind: str, method: str, template: str, **kwargs: Any) -> Spec:
        async def make(person: Person, relation: str, fresh: bool) -> Call | None:
            found = await world.thing(kind, person, relation, fresh)
            if found is None:
                return None
            ids = found if isinstance(found, tuple) else (found,)
            return Call(method, template.format(*ids), dict(kwargs))

        return make

    pool = partial(on_pool, world.cast)

    def type_call(method: str, template: str, **kwargs: Any) -> Spec:
        async def make(person: Person, relation: str, fresh: bool) -> Call | None:
            if relation not in ("own", "other"):
                return None
            target = person.pool if relation == "own" else world.cast.other_pool(person.pool)
            return Call(method, template.format(await world.type_of(target, fresh)), dict(kwargs))

        return make

    def mine(method: str, path: str, kind: str = "request", **kwargs: Any) -> Spec:
        async def make(person: Person, relation: str, fresh: bool) -> Call | None:
            if relation != "own":
                return None
            return Call(method, path, dict(kwargs), leaks=await world.mine_and_not(person, kind, False))

        return make

    plain = own_only

    async def submit(person: Person, relation: str, fresh: bool) -> Call | None:
        if relation not in ("own", "other"):
            return None
        target = person.pool if relation == "own" else world.cast.other_pool(person.pool)
        body = {"type_id": await world.type_of(target), "description": "x", "idempotency_key": str(uuid.uuid4())}
        return Call("POST", "/v1/requests", {"json": body})

    async def search(person: Person, relation: str, fresh: bool) -> Call | None:
        """Members and leads may name a person; someone of another pool is still out of reach."""
        if relation != "own":
            return None
        sees_pool = person.role in ("secretary", "lead") or person.integration
        path = "/v1/search?which=all&limit=200"
        if sees_pool and not person.integration:
            path += f"&person={world.cast.counterpart(person).caller.account_id}"
        return Call("GET", path, leaks=await world.mine_and_not(person, "request", sees_pool))

    async def several(person: Person, relation: str, fresh: bool) -> Call | None:
        """Anyone may ask for any ids: the answer holds only those the person may read."""
        if relation != "own":
            return None
        sees_pool = person.role in ("secretary", "lead") or person.integration
        asked = [await world.thing("request", person, r, False) for r in ("own", "pool", "other")]
        ids = [str(i) for i in asked if i is not None]
        return Call(
            "GET", "/v1/requests/by-id", {"params": {"id": ids}}, await world.mine_and_not(person, "request", sees_pool)
        )

    async def repeat(person: Person, relation: str, fresh: bool) -> Call | None:
        if relation == BEHALF:  # only the one who sent it repeats it (the matrix says so)
            return None
        request_id = await world.thing("request", person, relation, fresh)
        return Call("POST", "/v1/recurring", {"json": {"from_request_id": request_id, "rule": "weekly"}})

    async def new_type(person: Person, relation: str, fresh: bool) -> Call | None:
        if relation not in ("own", "other"):
            return None
        target = person.pool if relation == "own" else world.cast.other_pool(person.pool)
        body = {**TYPE, "pool_id": target, "id": f"t-{uuid.uuid4().hex[:12]}"}
        return Call("POST", "/v1/request-types", {"json": body})

    file = {"content": PDF, "headers": {"x-filename": "more.pdf"}}
    return {
        "POST /v1/requests": submit,
        "GET /v1/requests": mine("GET", "/v1/requests"),
        "GET /v1/requests/assigned": mine("GET", "/v1/requests/assigned?which=all", "work"),
        "GET /v1/requests/by-id": several,
        "GET /v1/requests/{request_id:uuid}": on("request", "GET", "/v1/requests/{}"),
        "GET /v1/requests/{request_id:uuid}/timeline": on("request", "GET", "/v1/requests/{}/timeline"),
        "PATCH /v1/requests/{request_id:uuid}": on(
            "request", "PATCH", "/v1/requests/{}", json={"description": "corrected"}
        ),
        "POST /v1/requests/{request_id:uuid}/status": on(
            "work", "POST", "/v1/requests/{}/status", json={"status": "done"}
        ),
        "POST /v1/requests/{request_id:uuid}/cancel": on(
            "request", "POST", "/v1/requests/{}/cancel", json={"reason": "no longer needed"}
        ),
        "POST /v1/requests/{request_id:uuid}/rating": on("done", "POST", "/v1/requests/{}/rating", json={"rating": 5}),
        "GET /v1/requests/{request_id:uuid}/comments": on("request", "GET", "/v1/requests/{}/comments"),
        "POST /v1/requests/{request_id:uuid}/comments": on(
            "request", "POST", "/v1/requests/{}/comments", json={"body": "a word"}
        ),
        "GET /v1/requests/{request_id:uuid}/attachments": on("request", "GET", "/v1/requests/{}/attachments"),
        "POST /v1/requests/{request_id:uuid}/attachments": on("request", "POST", "/v1/requests/{}/attachments", **file),
        "GET /v1/requests/{request_id:uuid}/attachments/{attachment_id:uuid}": on(
            "file", "GET", "/v1/requests/{}/attachments/{}"
        ),
        "DELETE /v1/requests/{request_id:uuid}/attachments/{attachment_id:uuid}": on(
            "file", "DELETE", "/v1/requests/{}/attachments/{}"
        ),
        "POST /v1/uploads": mine("POST", "/v1/uploads", "upload", **file),
        "DELETE /v1/uploads/{upload_id:uuid}": on("upload", "DELETE", "/v1/uploads/{}"),
        "GET /v1/search": search,
        "GET /v1/recurring": mine("GET", "/v1/recurring", "schedule"),
        "POST /v1/recurring": repeat,
        "POST /v1/recurring/{schedule_id:uuid}/{action:str}": on("schedule", "POST", "/v1/recurring/{}/pause"),
        "GET /v1/pools/{pool_id:str}/queue": pool("GET", "/v1/pools/{}/queue"),
        "GET /v1/pools/{pool_id:str}/requests": pool("GET", "/v1/pools/{}/requests"),
        "GET /v1/pools/{pool_id:str}/insights": pool("GET", "/v1/pools/{}/insights"),
        "GET /v1/request-types": plain("GET", "/v1/request-types"),
        "POST /v1/request-types": new_type,
        "GET /v1/request-types/{type_id:str}": type_call("GET", "/v1/request-types/{}"),
        "PUT /v1/request-types/{type_id:str}": type_call("PUT", "/v1/request-types/{}", json=TYPE),
        "POST /v1/request-types/{type_id:str}/retire": type_call("POST", "/v1/request-types/{}/retire"),
        "POST /v1/request-types/{type_id:str}/reinstate": type_call("POST", "/v1/request-types/{}/reinstate"),
        "GET /v1/request-types/{type_id:str}/history": type_call("GET", "/v1/request-types/{}/history"),
        "GET /v1/people/me/data": mine("GET", "/v1/people/me/data"),
        "GET /v1/retention": plain("GET", "/v1/retention"),
        "PUT /v1/retention": plain("PUT", "/v1/retention", json={"closed_request_days": None}),
    }


async def test_every_intake_endpoint_answers_each_role_as_the_matrix_says(make_settings, database_url, tmp_path):
    cast = Cast()
    settings = make_settings("intake", demo=False)
    objects = Objects(ObjectsConfig(url=(tmp_path / "objects").as_uri()))
    app = create_app(settings, IntakeConfig(), objects)
    async with AsyncTestClient(app=app) as client:
        pool = await db.connect(database_url, "intake", min_size=1, max_size=2)
        try:
            await cast.register_keys(pool)
        finally:
            await close_pool(pool)
        world = World(client, cast, settings.nats_url)
        table = specs(world)
        check_routes("intake", app, table)
        made, failures = await verdicts("intake", client, cast, table, (*RELATIONS, BEHALF))
    assert not failures, f"{len(failures)} of {made} calls disagree with the matrix:\n" + "\n".join(sorted(failures))
    assert made > 300
