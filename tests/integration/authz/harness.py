"""The authorization test's frame: two pools, in each one person per role (and a read and a
write API key) plus two bystanders; for every endpoint of a service (from its Litestar routes)
and every role, a call on the person's own object, on a colleague's in their pool and on the
other pool's person's; the verdict held against services.platform.access_matrix.

A service's test module says only how to call each endpoint (`Spec`: which object it addresses
and the path and body for it); the objects are made by the module's `World` on first use, and
once more for each allowed call that changes something (so a cancel or a hide does not change
what the next call sees).
"""

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from services.contracts.identity import ApiKeyIssued
from services.platform import api_key_store, api_keys
from services.platform.access_matrix import MATRIX, ROLES, Reach, platform_route
from services.platform.tokens import Caller
from tests.support import auth, endpoints, new_id

RELATIONS = ("own", "pool", "other")
# Intake adds a request sent by a colleague on the person's behalf: theirs as much as their own.
BEHALF = "behalf"
TOKEN_ROLES = {"staff": ("staff",), "secretary": ("secretary",), "lead": ("lead", "staff"), "admin": ("admin", "staff")}
# Answers that are not about who is calling: the gate let the call through and the rules of
# the thing itself (its state, the body) answered.
PASSED_THE_GATE = {400, 409, 413, 415, 422, 429}
CONCURRENCY = 8


KEY_SCOPES = {"integration-read": api_keys.READ, "integration-write": api_keys.WRITE}


@dataclass(frozen=True)
class Person:
    """Someone calling: a person with a service token, or an integration with an API key."""

    role: str  # a role of ROLES, or "colleague-staff" / "colleague-secretary" (bystanders)
    pool: str
    caller: Caller
    key: str = ""  # an integration's whole API key

    def headers(self, service: str) -> dict[str, str]:
        return {"x-api-key": self.key} if self.key else auth(self.caller, service)

    @property
    def integration(self) -> bool:
        return bool(self.key)


@dataclass
class Cast:
    """Two pools and the people in them."""

    pools: tuple[str, str] = field(default_factory=lambda: (new_id("pool-a-"), new_id("pool-b-")))
    people: dict[tuple[str, str], Person] = field(default_factory=dict)

    def __post_init__(self) -> None:
        kinds = {**TOKEN_ROLES, "colleague-staff": ("staff",), "colleague-secretary": ("secretary",)}
        for pool in self.pools:
            for role, roles in kinds.items():
                who = Caller(account_id=new_id(f"{role}-"), roles=roles, pools=(pool,), name=role)
                self.people[(role, pool)] = Person(role, pool, who)
            for role in KEY_SCOPES:
                key_id, key = api_keys.new_key()
                self.people[(role, pool)] = Person(role, pool, api_keys.caller(key_id, pool, role), key)

    def of(self, role: str, pool: str) -> Person:
        return self.people[(role, pool)]

    def other_pool(self, pool: str) -> str:
        return self.pools[1] if pool == self.pools[0] else self.pools[0]

    def counterpart(self, person: Person) -> Person:
        return self.of(person.role, self.other_pool(person.pool))

    def colleague(self, person: Person, kind: str = "staff") -> Person:
        return self.of(f"colleague-{kind}", person.pool)

    def owner(self, person: Person, relation: str, kind: str = "staff") -> Person | None:
        """Whose object a relation addresses: the person's own (an integration owns nothing), a
        colleague's in the pool, or the other pool's person's (else a colleague's there)."""
        if relation == "own":
            return None if person.integration else person
        if relation == "pool":
            return self.colleague(person, kind)
        there = self.counterpart(person)
        return self.colleague(there, kind) if there.integration else there

    async def register_keys(self, pool: Any) -> None:
        """The integrations' keys, as a service keeps them from the pwa's identity events."""
        async with pool.acquire() as conn:
            for person in self.people.values():
                if person.integration:
                    issued = ApiKeyIssued(
                        event_id=uuid.uuid4(),
                        occurred_at=datetime.now(UTC),
                        key_id=person.caller.account_id,
                        version=1,
                        pool_id=person.pool,
                        scope=KEY_SCOPES[person.role],  # type: ignore[arg-type]
                        secret_sha256=api_keys.secret_hash(person.key),
                        name=person.role,
                    )
                    await api_key_store.record_issued(conn, issued)


def allowed(reach: Reach, relation: str) -> bool:
    mine = relation in ("own", BEHALF)
    return reach == Reach.ALL or (reach == Reach.POOL and (mine or relation == "pool")) or (reach == Reach.OWN and mine)


@dataclass(frozen=True)
class Call:
    """One HTTP call: `leaks` are ids that must not appear in an allowed answer."""

    method: str
    path: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    leaks: tuple[str, ...] = ()


# (person, relation, fresh) -> the call, or None when the relation has no object for this person
Spec = Callable[[Person, str, bool], Awaitable[Call | None]]


def on_pool(cast: Cast, method: str, template: str, **kwargs: Any) -> Spec:
    """A call about a pool: the person's own, or the other pool (a pool has no colleague's copy)."""

    async def make(person: Person, relation: str, fresh: bool) -> Call | None:
        if relation not in ("own", "other"):
            return None
        target = person.pool if relation == "own" else cast.other_pool(person.pool)
        return Call(method, template.format(target), dict(kwargs))

    return make


def own_only(method: str, path: str, **kwargs: Any) -> Spec:
    """A call about the caller themself (no object of someone else's to try)."""

    async def make(person: Person, relation: str, fresh: bool) -> Call | None:
        return Call(method, path, dict(kwargs)) if relation == "own" else None

    return make


class Once:
    """Objects made on first use and shared after: concurrent askers wait for the same one."""

    def __init__(self) -> None:
        self._made: dict[Any, asyncio.Future[Any]] = {}

    async def get(self, key: Any, make: Callable[[], Awaitable[Any]]) -> Any:
        if key not in self._made:
            self._made[key] = asyncio.ensure_future(make())
        return await self._made[key]


async def bounded(jobs: list[Callable[[], Awaitable[Any]]], limit: int = CONCURRENCY) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def run(job: Callable[[], Awaitable[Any]]) -> Any:
        async with gate:
            return await job()

    return list(await asyncio.gather(*(run(j) for j in jobs)))


def check_routes(service: str, app: Any, specs: dict[str, Spec]) -> None:
    """Every endpoint of the app has a row in the matrix and a way to call it here."""
    routed = [e for e in endpoints(app) if not platform_route(e.split(" ", 1)[1])]
    missing = [e for e in routed if e not in MATRIX[service]]
    assert not missing, f"endpoint(s) with no row in the authorization matrix: {missing}"
    untried = [e for e in routed if e not in specs]
    assert not untried, f"endpoint(s) the authorization test does not call: {untried}"


async def verdicts(
    service: str, client: Any, cast: Cast, specs: dict[str, Spec], relations: tuple[str, ...] = RELATIONS
) -> tuple[int, list[str]]:
    """Call every endpoint as every role on every relation; returns (calls made, failures).
    Reads first, then changes (each allowed change on an object of its own)."""
    rules = MATRIX[service]
    plans: list[tuple[str, Person, str, bool, bool]] = []
    for endpoint in specs:
        method = endpoint.split(" ", 1)[0]
        for role in ROLES:
            for pool in cast.pools:
                person = cast.of(role, pool)
                for relation in relations:
                    expect = allowed(rules[endpoint].of(role), relation)
                    fresh = expect and method != "GET"
                    plans.append((endpoint, person, relation, expect, fresh))
    failures: list[str] = []
    made = 0

    async def one(endpoint: str, person: Person, relation: str, expect: bool, fresh: bool) -> None:
        nonlocal made
        call = await specs[endpoint](person, relation, fresh)
        if call is None:
            return
        headers = {**person.headers(service), **call.kwargs.pop("headers", {})}
        response = await client.request(call.method, call.path, headers=headers, **call.kwargs)
        made += 1
        status = response.status_code
        where = f"{endpoint} as {person.role} on {relation}'s ({call.method} {call.path})"
        if status >= 500 or status == 401:
            failures.append(f"{where}: {status} {response.text[:200]}")
        elif expect and status in (403, 404):
            failures.append(f"{where}: refused ({status}) but the matrix allows it: {response.text[:200]}")
        elif expect and status >= 300 and status not in PASSED_THE_GATE:
            failures.append(f"{where}: {status} {response.text[:200]}")
        elif expect and (leaked := [i for i in call.leaks if i in response.text]):
            failures.append(f"{where}: the answer holds what is not theirs: {leaked}")
        elif not expect and status not in (403, 404):
            failures.append(f"{where}: {status}, but the matrix refuses it: {response.text[:200]}")

    reads = [p for p in plans if p[0].startswith("GET ")]
    changes = [p for p in plans if not p[0].startswith("GET ")]
    await bounded([lambda p=p: one(*p) for p in reads])
    await bounded([lambda p=p: one(*p) for p in changes if not p[3]])
    await bounded([lambda p=p: one(*p) for p in changes if p[3]])
    return made, failures
