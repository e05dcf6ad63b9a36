"""Live signals: who sees which event, and the per-connection queue (bounded, oldest dropped,
coalesced, a `resync` after losses, quiet → heartbeat)."""

import asyncio
import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

import msgspec

from pwa.live.audience import RESYNC, Signal, signals_for
from pwa.live.hub import Connection, LiveHub
from pwa.records import Account
from services.contracts.intake import RequestCommented, RequestStatusChanged
from services.contracts.recognition import KudosGiven, KudosReacted, ThanksPrompted
from services.contracts.routing import RequestOffered, RequestQueued

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def person(id: str, *roles: str, pools: tuple[str, ...] = ("p",)) -> Account:
    return Account(id=id, email=f"{id}@x", name=id, roles=roles or ("staff",), pools=pools, language="en")


def changed(requester: str, request_id: str = "r1", member: str | None = "m") -> RequestStatusChanged:
    return RequestStatusChanged(
        event_id=uuid.uuid4(),
        occurred_at=NOW,
        request_id=request_id,
        version=2,
        pool_id="p",
        requester_id=requester,
        status="in_progress",
        previous="offered",
        member_id=member,
    )


def test_a_status_change_reaches_the_people_on_the_request_only() -> None:
    event = msgspec.structs.replace(
        changed("req"), status="waiting_on_requester", previous="in_progress", on_behalf_of="boss", buddy_id="bud"
    )
    expected = [Signal("request-r1", "r1"), Signal("request", "r1")]
    for who in ("req", "m", "boss", "bud"):
        assert signals_for(event, person(who)) == expected
    assert signals_for(event, person("someone")) == []


def test_when_a_request_leaves_the_queue_everyone_in_the_pool_hears_the_queue_moved() -> None:
    picked_up = changed("req")  # offered → in_progress
    assert signals_for(picked_up, person("someone")) == [Signal("pool-queue", "p")]
    assert Signal("pool-queue", "p") in signals_for(picked_up, person("req"))
    assert signals_for(picked_up, person("elsewhere", pools=("q",))) == []
    offered = msgspec.structs.replace(picked_up, status="offered", previous="submitted")
    assert signals_for(offered, person("someone")) == []


def test_offers_queue_kudos_and_prompts_have_their_audiences() -> None:
    offer = RequestOffered(
        event_id=uuid.uuid4(),
        occurred_at=NOW,
        request_id="r1",
        version=1,
        pool_id="p",
        offer_id="o1",
        member_id="m",
        expires_at=NOW,
    )
    assert signals_for(offer, person("m")) == [Signal("offer", "o1")] and signals_for(offer, person("x")) == []
    queued = RequestQueued(
        event_id=uuid.uuid4(), occurred_at=NOW, request_id="r1", version=1, pool_id="p", lead_queue=True
    )
    assert signals_for(queued, person("l", "lead")) == [Signal("queue", "r1")]
    assert signals_for(queued, person("l2", "lead", pools=("q",))) == signals_for(queued, person("s")) == []
    kudos = KudosGiven(
        event_id=uuid.uuid4(), occurred_at=NOW, kudos_id="k1", version=1, giver_id="g", recipient_ids=["a"]
    )
    assert signals_for(kudos, person("anyone")) == [Signal("kudos", "k1")]
    prompt = ThanksPrompted(
        event_id=uuid.uuid4(),
        occurred_at=NOW,
        prompt_id="pr1",
        version=1,
        request_id="r1",
        pool_id="p",
        requester_id="req",
        recipient_ids=["m"],
        expires_at=NOW,
    )
    assert signals_for(prompt, person("req")) == [Signal("prompt", "pr1")] and signals_for(prompt, person("m")) == []


def test_a_changed_reaction_refreshes_that_kudos_for_everyone_with_the_wall_open() -> None:
    reacted = KudosReacted(
        event_id=uuid.uuid4(), occurred_at=NOW, kudos_id="k1", version=2, account_id="r", emoji="👏", giver_id="g"
    )
    withdrawn = msgspec.structs.replace(reacted, withdrawn=True)
    for event in (reacted, withdrawn):
        assert signals_for(event, person("anyone")) == signals_for(event, person("r")) == [Signal("kudos-k1", "k1")]


async def test_a_full_connection_drops_its_oldest_signals_and_asks_for_a_resync() -> None:
    connection = Connection(person("req"), limit=3)
    connection.offer([Signal("request", str(n)) for n in range(5)])
    assert await connection.next(1) == [RESYNC, Signal("request", "2"), Signal("request", "3"), Signal("request", "4")]
    connection.offer([Signal("kudos", "k"), Signal("kudos", "k")])
    assert await connection.next(1) == [Signal("kudos", "k")]  # coalesced, and no resync now


async def test_a_quiet_connection_returns_none_for_a_heartbeat_and_wakes_on_a_signal() -> None:
    connection = Connection(person("req"), limit=8)
    assert await connection.next(0.01) is None
    waiting = asyncio.create_task(connection.next(5))
    await asyncio.sleep(0)
    connection.offer([Signal("offer", "o1")])
    assert await asyncio.wait_for(waiting, 1) == [Signal("offer", "o1")]


async def test_the_hub_routes_by_viewer_ignores_junk_and_forgets_closed_connections() -> None:
    hub = LiveHub()
    with hub.connect(person("req")) as mine, hub.connect(person("other", pools=("q",))) as theirs:
        assert len(hub) == 2
        await hub._on_message(SimpleNamespace(data=msgspec.json.encode(changed("req")), subject="s"))  # type: ignore[arg-type]
        await hub._on_message(SimpleNamespace(data=b'{"type": "secpool.unknown"}', subject="s"))  # type: ignore[arg-type]
        assert await mine.next(1) == [Signal("request-r1", "r1"), Signal("request", "r1"), Signal("pool-queue", "p")]
        assert await theirs.next(0.01) is None
    assert len(hub) == 0


def test_a_new_comment_refreshes_the_request_for_the_people_on_it_only() -> None:
    comment = RequestCommented(
        event_id=uuid.uuid4(),
        occurred_at=NOW,
        request_id="r9",
        version=4,
        pool_id="p",
        requester_id="req",
        comment_id=7,
        author_id="m",
        member_id="m",
    )
    assert signals_for(comment, person("req")) == [Signal("request-r9", "r9")]
    assert signals_for(comment, person("m")) == [Signal("request-r9", "r9")]
    assert signals_for(comment, person("someone-else")) == []
