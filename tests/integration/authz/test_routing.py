"""Routing's authorization, table-driven: every endpoint × every role × (own, a colleague's in
the pool, the other pool's) against services.platform.access_matrix. The pool's members are
written into routing's store as the demo loader does; intake is played by the test (requests
published into JetStream as intake's outbox would)."""

import uuid
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import msgspec
import nats
from litestar.testing import AsyncTestClient

from services.contracts.intake import RequestSubmitted
from services.platform import db
from services.platform.outbox import subject_of
from services.routing import records, store, store_members
from services.routing.app import create_app
from services.routing.shifts import ALWAYS
from tests.integration.authz.harness import Call, Cast, Once, Person, Spec, check_routes, on_pool, own_only, verdicts
from tests.support import auth, close_nats, close_pool, eventually

# Each pool member has a skill of their own, so a request needing it is offered to them alone.
SKILL = {"secretary": "alpha", "colleague-secretary": "beta"}
MEMBERS = ("secretary", "colleague-secretary")
WEEK = [[list(span) for span in day] for day in msgspec.to_builtins(ALWAYS)]
DAY = "2031-07-15"
ABSENCE = {"starts_at": "2031-03-03T09:00:00+01:00", "ends_at": "2031-03-04T09:00:00+01:00"}


class World:
    """Routing's objects for the cast, made on first use."""

    def __init__(self, client: AsyncTestClient[Any], cast: Cast, nats_url: str, pool: Any) -> None:
        self.client, self.cast, self.nats_url, self.pool = client, cast, nats_url, pool
        self.once = Once()

    async def call(self, who: Any, method: str, path: str, **kwargs: Any) -> Any:
        response = await self.client.request(method, path, headers=auth(who, "routing"), **kwargs)
        assert response.status_code < 300, (method, path, response.status_code, response.text)
        return response.json() if response.content else None

    async def enrol(self) -> None:
        async with self.pool.acquire() as conn:
            for pool_id in self.cast.pools:
                for role in MEMBERS:
                    who = self.cast.of(role, pool_id)
                    await store_members.upsert_member(
                        conn,
                        records.NewMember(
                            id=who.caller.account_id,
                            pool_id=pool_id,
                            name=role,
                            skills={SKILL[role]: 3},
                            languages=["nl", "en"],
                            capacity=50,
                            hours=ALWAYS,
                        ),
                    )

    async def submit(self, pool_id: str, skill: str) -> str:
        request_id, now = str(uuid.uuid4()), datetime.now(UTC)
        event = RequestSubmitted(
            event_id=uuid.uuid4(),
            occurred_at=now,
            request_id=request_id,
            version=1,
            pool_id=pool_id,
            requester_id=self.cast.of("colleague-staff", pool_id).caller.account_id,
            type_id="t",
            skill=skill,
            min_level=1,
            language="nl",
            urgency="normal",
            pickup_due_at=now + timedelta(hours=4),
            done_due_at=now + timedelta(days=2),
            work_minutes=30,
        )
        nc = await nats.connect(self.nats_url)
        try:
            await nc.jetstream().publish(
                subject_of(event), msgspec.json.encode(event), headers={"Nats-Msg-Id": str(event.event_id)}
            )
        finally:
            await close_nats(nc)
        return request_id

    async def offer(self, member: Person) -> str:
        """An open offer to `member` (a request needing their skill alone)."""
        request_id = await self.submit(member.pool, SKILL[member.role])

        async def offers() -> list[Any]:
            return list(
                await self.pool.fetch("SELECT id FROM offers WHERE request_id = $1 AND status = 'open'", request_id)
            )

        return str((await eventually(offers, bool, within=20))[0]["id"])

    async def waiting(self, pool_id: str) -> str:
        """A request nobody in the pool can take: it waits in the lead's queue, with its decision."""
        request_id = await self.submit(pool_id, "nobody-has-this")

        async def state() -> Any:
            async with self.pool.acquire() as conn:
                return await store.routed_request(conn, request_id)

        await eventually(state, lambda row: row is not None and row.state == "waiting", within=20)
        return request_id

    async def proposal(self, proposer: Person) -> str:
        about = self.cast.of(
            "secretary" if proposer.role == "colleague-secretary" else "colleague-secretary", proposer.pool
        )
        body = {"member_id": about.caller.account_id, "skill": "gamma", "level": 2, "why": "seen it"}
        return str((await self.call(proposer.caller, "POST", "/v1/skill-proposals", json=body))["id"])

    async def absence(self, member: Person) -> tuple[str, str]:
        made = await self.call(member.caller, "POST", f"/v1/members/{member.caller.account_id}/absences", json=ABSENCE)
        return member.caller.account_id, str(made["id"])

    async def trial(self, pool_id: str) -> tuple[str, str]:
        by = self.cast.of("colleague-secretary", pool_id).caller
        made = await self.call(
            by, "POST", f"/v1/pools/{pool_id}/policy/trials", json={"weeks": 1, "continuity_weight": 0.5}
        )
        return pool_id, str(made["id"])

    def member_of(self, person: Person, relation: str) -> Person | None:
        """The member a relation addresses: the person themself (if a member), the pool's other
        member, the other pool's person (if a member) or else its other member."""
        if relation == "own":
            return person if person.role in MEMBERS else None
        if relation == "pool":
            return self.cast.colleague(person, "secretary")
        there = self.cast.counterpart(person)
        return there if there.role in MEMBERS else self.cast.colleague(there, "secretary")

    def proposer(self, person: Person, relation: str) -> Person | None:
        if relation == "own":
            return person if person.role in ("secretary", "lead") else None
        if relation == "pool":
            return self.cast.colleague(person, "secretary")
        there = self.cast.counterpart(person)
        return there if there.role in ("secretary", "lead") else self.cast.colleague(there, "secretary")

    async def thing(self, kind: str, person: Person, relation: str, fresh: bool) -> Any:
        if kind in ("waiting", "trial"):
            if relation == "pool":
                return None
            pool_id = person.pool if relation == "own" else self.cast.other_pool(person.pool)
            maker = self.waiting if kind == "waiting" else self.trial
            return await self.once.get((kind, pool_id), lambda: maker(pool_id))
        who = self.proposer(person, relation) if kind == "proposal" else self.member_of(person, relation)
        if who is None:
            return None
        if kind == "member":
            return who.caller.account_id
        makers = {"offer": self.offer, "proposal": self.proposal, "absence": self.absence}
        make = makers[kind]
        return await make(who) if fresh else await self.once.get((kind, who.caller.account_id), lambda: make(who))


def specs(world: World) -> dict[str, Spec]:
    cast = world.cast

    def on(kind: str, method: str, template: str, **kwargs: Any) -> Spec:
        async def make(person: Person, relation: str, fresh: bool) -> Call | None:
            found = await world.thing(kind, person, relation, fresh)
            if found is None:
                return None
            return Call(method, template.format(*(found if isinstance(found, tuple) else (found,))), dict(kwargs))

        return make

    pool = partial(on_pool, cast)

    def member_me(method: str, path: str, **kwargs: Any) -> Spec:
        """About "me" as a pool member: only members have a record to answer with."""

        async def make(person: Person, relation: str, fresh: bool) -> Call | None:
            if relation != "own":
                return None
            if person.role not in MEMBERS:
                return None
            return Call(method, path, dict(kwargs))

        return make

    plain = own_only

    async def my_offers(person: Person, relation: str, fresh: bool) -> Call | None:
        if relation != "own":
            return None
        leaks = [await world.thing("offer", person, r, False) for r in ("pool", "other")]
        return Call("GET", "/v1/members/me/offers", leaks=tuple(x for x in leaks if x))

    async def assign(person: Person, relation: str, fresh: bool) -> Call | None:
        request_id = await world.thing("waiting", person, relation, fresh)
        if request_id is None:
            return None
        member = cast.of("secretary", person.pool).caller.account_id
        return Call("POST", f"/v1/requests/{request_id}/assign", {"json": {"member_id": member}})

    async def propose(person: Person, relation: str, fresh: bool) -> Call | None:
        member = await world.thing("member", person, relation, fresh)
        if member is None:
            return None
        body = {"member_id": member, "skill": "delta", "level": 1, "why": "seen it"}
        return Call("POST", "/v1/skill-proposals", {"json": body})

    policy = {"why": "try something else", "continuity_weight": 0.5}
    return {
        "GET /v1/members/me/offers": my_offers,
        "POST /v1/offers/{offer_id:uuid}/accept": on("offer", "POST", "/v1/offers/{}/accept"),
        "POST /v1/offers/{offer_id:uuid}/decline": on(
            "offer", "POST", "/v1/offers/{}/decline", json={"reason": "busy"}
        ),
        "GET /v1/pools/{pool_id:str}/queue": pool("GET", "/v1/pools/{}/queue"),
        "GET /v1/pools/{pool_id:str}/lead-queue": pool("GET", "/v1/pools/{}/lead-queue"),
        "POST /v1/requests/{request_id:str}/assign": assign,
        "GET /v1/requests/{request_id:str}/decisions": on("waiting", "GET", "/v1/requests/{}/decisions"),
        "GET /v1/pools/{pool_id:str}/members": pool("GET", "/v1/pools/{}/members"),
        "GET /v1/members/me": member_me("GET", "/v1/members/me"),
        "PUT /v1/members/me/presence": member_me("PUT", "/v1/members/me/presence", json={"presence": "available"}),
        "PUT /v1/members/me/learning": member_me("PUT", "/v1/members/me/learning", json={"skills": ["epsilon"]}),
        "GET /v1/members/{member_id:str}/growth": on("member", "GET", "/v1/members/{}/growth"),
        "POST /v1/skill-proposals": propose,
        "POST /v1/skill-proposals/{proposal_id:uuid}/confirm": on("proposal", "POST", "/v1/skill-proposals/{}/confirm"),
        "GET /v1/pools/{pool_id:str}/skill-proposals": pool("GET", "/v1/pools/{}/skill-proposals"),
        "GET /v1/pools/{pool_id:str}/coverage": pool("GET", "/v1/pools/{}/coverage"),
        "GET /v1/pools/{pool_id:str}/policy": pool("GET", "/v1/pools/{}/policy"),
        "PUT /v1/pools/{pool_id:str}/policy": pool("PUT", "/v1/pools/{}/policy", json=policy),
        "GET /v1/pools/{pool_id:str}/policy/changes": pool("GET", "/v1/pools/{}/policy/changes"),
        "POST /v1/pools/{pool_id:str}/policy/trials": pool(
            "POST", "/v1/pools/{}/policy/trials", json={"weeks": 1, "continuity_weight": 0.5}
        ),
        "GET /v1/pools/{pool_id:str}/policy/trials/{trial_id:uuid}": on(
            "trial", "GET", "/v1/pools/{}/policy/trials/{}"
        ),
        "GET /v1/members/{member_id:str}/hours": on("member", "GET", "/v1/members/{}/hours"),
        "PUT /v1/members/{member_id:str}/hours": on("member", "PUT", "/v1/members/{}/hours", json={"days": WEEK}),
        "GET /v1/members/{member_id:str}/absences": on("member", "GET", "/v1/members/{}/absences"),
        "POST /v1/members/{member_id:str}/absences": on("member", "POST", "/v1/members/{}/absences", json=ABSENCE),
        "DELETE /v1/members/{member_id:str}/absences/{absence_id:uuid}": on(
            "absence", "DELETE", "/v1/members/{}/absences/{}"
        ),
        "PUT /v1/members/{member_id:str}/profile": on(
            "member", "PUT", "/v1/members/{}/profile", json={"languages": ["en", "nl"]}
        ),
        "GET /v1/pools/{pool_id:str}/holidays": pool("GET", "/v1/pools/{}/holidays"),
        "PUT /v1/pools/{pool_id:str}/holidays/{day:date}": pool(
            "PUT", "/v1/pools/{}/holidays/" + DAY, json={"name": "Feest"}
        ),
        "DELETE /v1/pools/{pool_id:str}/holidays/{day:date}": pool("DELETE", "/v1/pools/{}/holidays/" + DAY),
        "GET /v1/people/me/data": plain("GET", "/v1/people/me/data"),
    }


async def test_every_routing_endpoint_answers_each_role_as_the_matrix_says(make_settings, database_url):
    cast = Cast()
    settings = make_settings("routing", demo=False)
    app = create_app(settings)
    async with AsyncTestClient(app=app) as client:
        pool = await db.connect(database_url, "routing", min_size=1, max_size=4, decode_json=True)
        try:
            await cast.register_keys(pool)
            world = World(client, cast, settings.nats_url, pool)
            await world.enrol()
            table = specs(world)
            check_routes("routing", app, table)
            made, failures = await verdicts("routing", client, cast, table)
        finally:
            await close_pool(pool)
    assert not failures, f"{len(failures)} of {made} calls disagree with the matrix:\n" + "\n".join(sorted(failures))
    assert made > 300
