"""Web Push end to end on the server side: services' events on real NATS JetStream → the
pwa's consumers → the delivery worker → a fake push service that decrypts what it gets and
checks the VAPID token, TTL and Urgency."""

import time
import uuid
from datetime import UTC, datetime, timedelta
from importlib import resources

import pytest

from pwa.notify import store as notify_store
from pwa.push import notices, store
from pwa.push.sender import LEASE_SECONDS
from services.contracts.intake import RequestStatusChanged
from services.contracts.recognition import KudosGiven
from services.contracts.routing import RequestOffered, RequestQueued
from tests.integration.pwa_push.conftest import POOL, Person, Pwa
from tests.integration.pwa_push.fake_push_service import FakeBrowser, FakePushService, vapid_claims
from tests.support import eventually, new_id

DESCRIPTION = "Book the notary for the director's private house sale"


def now() -> datetime:
    return datetime.now(UTC)


def offered(member_id: str, request_id: str) -> RequestOffered:
    return RequestOffered(
        event_id=uuid.uuid4(),
        occurred_at=now(),
        request_id=request_id,
        version=1,
        pool_id=POOL,
        offer_id=new_id("offer-"),
        member_id=member_id,
        expires_at=now() + timedelta(minutes=15),
    )


def status_changed(requester_id: str, request_id: str, status: str = "in_progress") -> RequestStatusChanged:
    return RequestStatusChanged(
        event_id=uuid.uuid4(),
        occurred_at=now(),
        request_id=request_id,
        version=3,
        pool_id=POOL,
        requester_id=requester_id,
        status=status,  # type: ignore[arg-type]
        previous="offered",
        member_id=new_id("acct-"),
    )


async def subscribe(pwa: Pwa, person_headers: dict[str, str], browser: FakeBrowser) -> None:
    response = await pwa.client.post("/push/subscriptions", json=browser.subscription(), headers=person_headers)
    assert response.status_code == 201, response.text


async def secretary_with_phone(pwa: Pwa, fake_push: FakePushService) -> tuple[Person, FakeBrowser]:
    """A pool member whose phone is subscribed to pushes."""
    member = await pwa.person("secretary")
    phone = FakeBrowser(fake_push)
    await subscribe(pwa, member.headers(), phone)
    return member, phone


async def queue_empties(pwa: Pwa) -> None:
    """Every delivery sent (or given up) has left the queue."""
    async with pwa.db() as conn:
        await eventually(lambda: store.pending_count(conn), lambda n: n == 0)


async def pushes_to(fake: FakePushService, browser: FakeBrowser, count: int, within: float = 10.0) -> list:
    async def probe() -> list:
        return fake.to(browser.path)

    return await eventually(probe, lambda got: len(got) >= count, within=within)


async def test_offer_status_change_and_kudos_arrive_encrypted_signed_and_without_request_text(
    pwa: Pwa, fake_push: FakePushService
) -> None:
    member, requester = await pwa.person("secretary"), await pwa.person("staff", language="nl")
    member_phone, requester_phone = FakeBrowser(fake_push), FakeBrowser(fake_push)
    await subscribe(pwa, member.headers(), member_phone)
    await subscribe(pwa, requester.headers(), requester_phone)
    request_id = str(uuid.uuid4())

    offer = offered(member.id, request_id)
    await pwa.publish(offer)
    [offer_push] = await pushes_to(fake_push, member_phone, 1)
    await pwa.publish(status_changed(requester.id, request_id))
    [status_push] = await pushes_to(fake_push, requester_phone, 1)
    kudos = KudosGiven(
        event_id=uuid.uuid4(),
        occurred_at=now(),
        kudos_id=new_id("kudos-"),
        version=1,
        giver_id=requester.id,
        recipient_ids=[member.id],
        request_id=request_id,
    )
    await pwa.publish(kudos)
    _, kudos_push = await pushes_to(fake_push, member_phone, 2)

    notice = member_phone.decrypt(offer_push)
    assert (notice["title"], notice["url"], notice["tag"]) == (
        "New request offered",
        "/offers",
        f"offer-{offer.offer_id}",
    )
    assert notice["body"] and notice["kind"] == "offer"
    status = requester_phone.decrypt(status_push)
    assert (status["url"], status["tag"], status["kind"]) == (
        f"/requests/{request_id}",
        f"request-{request_id}",
        "request",
    )
    assert status["title"] == "Je verzoek wordt opgepakt"  # the requester's language
    thanks = member_phone.decrypt(kudos_push)
    assert (thanks["url"], thanks["tag"]) == ("/wall", f"kudos-{kudos.kudos_id}")

    public_key = pwa.app.state.vapid_public_key
    for push, ttl_range, urgency in [
        (offer_push, (60, 3600), "high"),
        (status_push, (3600, 86400), "low"),
        (kudos_push, (3600, 86400), "low"),
    ]:
        plain = (member_phone if push is not status_push else requester_phone).decrypt(push)
        assert DESCRIPTION not in str(plain) and set(plain) == {"title", "body", "url", "tag", "kind"}
        assert ttl_range[0] <= int(push.headers["ttl"]) <= ttl_range[1]
        assert push.headers["urgency"] == urgency
        claims = vapid_claims(push, public_key, audience=fake_push.origin)
        assert time.time() < claims["exp"] <= time.time() + 24 * 3600
        assert claims["sub"].startswith("mailto:")


async def test_a_subscription_the_push_service_says_is_gone_is_forgotten(pwa: Pwa, fake_push: FakePushService) -> None:
    member, phone = await secretary_with_phone(pwa, fake_push)
    fake_push.answer(phone.path, (410, {}))

    await pwa.publish(offered(member.id, str(uuid.uuid4())))
    await pushes_to(fake_push, phone, 1)

    async def endpoints() -> list[str]:
        async with pwa.db() as conn:
            return await store.endpoints_of(conn, member.id)

    await eventually(endpoints, lambda found: found == [])
    later = offered(member.id, str(uuid.uuid4()))
    await pwa.publish(later)
    await pwa.handled(later)
    async with pwa.db() as conn:
        assert await store.pending_count(conn) == 0
    assert len(fake_push.to(phone.path)) == 1


async def test_a_busy_push_service_is_retried_after_its_retry_after(pwa: Pwa, fake_push: FakePushService) -> None:
    member, phone = await secretary_with_phone(pwa, fake_push)
    fake_push.answer(phone.path, (429, {"retry-after": "1"}), (503, {"retry-after": "1"}))

    await pwa.publish(offered(member.id, str(uuid.uuid4())))
    first, second, third = await pushes_to(fake_push, phone, 3, within=15)
    assert second.at - first.at >= 0.9 and third.at - second.at >= 0.9
    assert phone.decrypt(third)["kind"] == "offer"
    await queue_empties(pwa)


async def test_leads_of_the_pool_hear_about_the_lead_queue_and_news_chosen_silent_stays_silent(
    pwa: Pwa, fake_push: FakePushService
) -> None:
    lead, other_lead = await pwa.person("lead", "secretary"), await pwa.person("lead", pools=("pool-elsewhere",))
    lead_phone, other_phone = FakeBrowser(fake_push), FakeBrowser(fake_push)
    await subscribe(pwa, lead.headers(), lead_phone)
    await subscribe(pwa, other_lead.headers(), other_phone)
    async with pwa.db() as conn:
        await notify_store.choose(conn, lead.id, "offered", "none")

    muted = offered(lead.id, str(uuid.uuid4()))
    await pwa.publish(muted)
    await pwa.handled(muted)
    request_id = str(uuid.uuid4())
    await pwa.publish(
        RequestQueued(
            event_id=uuid.uuid4(), occurred_at=now(), request_id=request_id, version=2, pool_id=POOL, lead_queue=True
        )
    )
    [queued] = await pushes_to(fake_push, lead_phone, 1)
    assert lead_phone.decrypt(queued)["tag"] == f"queue-{request_id}"
    await queue_empties(pwa)
    assert len(fake_push.to(lead_phone.path)) == 1 and fake_push.to(other_phone.path) == []


async def test_where_news_has_a_channel_choice_that_choice_alone_decides_the_push(
    pwa: Pwa, fake_push: FakePushService
) -> None:
    member, phone = await secretary_with_phone(pwa, fake_push)
    async with pwa.db() as conn:
        await store.set_muted_kinds(conn, member.id, ["offer", "request"])  # "offer": an old mute
        await notify_store.choose(conn, member.id, "offered", "push")
    picked_up = status_changed(member.id, str(uuid.uuid4()), "in_progress")  # no channel: the mute decides
    await pwa.publish(picked_up)
    await pwa.handled(picked_up)
    await pwa.publish(offered(member.id, str(uuid.uuid4())))
    [arrived] = await pushes_to(fake_push, phone, 1)
    assert phone.decrypt(arrived)["kind"] == "offer"
    await queue_empties(pwa)
    assert len(fake_push.to(phone.path)) == 1


async def test_an_old_mute_of_offers_becomes_the_choice_nothing_when_the_choices_arrive(pwa: Pwa) -> None:
    member = await pwa.person("secretary")
    migration = resources.files("pwa").joinpath("sql/008_one_notification_choice.sql").read_text()
    async with pwa.db() as conn:
        await store.set_muted_kinds(conn, member.id, ["offer", "buddy"])
        await conn.execute(migration)
        assert (await notify_store.choices_of(conn, member.id))["offered"] == "none"
        assert await store.muted_kinds(conn, member.id) == {"buddy"}


async def test_deliveries_due_together_are_all_sent_and_leave_the_queue_and_no_log_names_an_endpoint(
    pwa: Pwa, fake_push: FakePushService, caplog: pytest.LogCaptureFixture
) -> None:
    member = await pwa.person("secretary")
    phones = [FakeBrowser(fake_push) for _ in range(3)]  # a phone, a tablet and a laptop
    for phone in phones:
        await subscribe(pwa, member.headers(), phone)

    offer = offered(member.id, str(uuid.uuid4()))
    await pwa.publish(offer)
    for phone in phones:
        [pushed] = await pushes_to(fake_push, phone, 1)
        assert phone.decrypt(pushed)["tag"] == f"offer-{offer.offer_id}"
    await queue_empties(pwa)
    # An endpoint is a capability: whoever reads it can push to that phone.
    assert [r.getMessage() for r in caplog.records if any(p.path in r.getMessage() for p in phones)] == []


async def test_a_delivery_left_leased_by_a_process_that_died_before_sending_is_sent_when_its_lease_ends(
    pwa: Pwa, fake_push: FakePushService
) -> None:
    member, phone = await secretary_with_phone(pwa, fake_push)
    [announcement] = notices.announcements(offered(member.id, str(uuid.uuid4())))
    async with pwa.db() as conn:
        # As a consumer of another process queues it for that process's own sender, which died.
        [left] = await store.queue(conn, announcement, lease_seconds=2.0)
    started = time.monotonic()
    assert left.attempts == 1 and left.ttl_left == announcement.ttl
    [pushed] = await pushes_to(fake_push, phone, 1, within=20)
    assert time.monotonic() - started >= 1.5, "no sender may take a leased delivery before its lease ends"
    assert phone.decrypt(pushed)["kind"] == "offer"
    await queue_empties(pwa)


async def test_a_delivery_the_consumer_queued_goes_straight_to_the_sender_without_a_claim(
    pwa: Pwa, fake_push: FakePushService
) -> None:
    member, phone = await secretary_with_phone(pwa, fake_push)
    fake_push.answering.clear()  # the push service takes its time: the delivery is still queued
    try:
        await pwa.publish(offered(member.id, str(uuid.uuid4())))
        await pushes_to(fake_push, phone, 1)
        async with pwa.db() as conn:
            # Queued leased for the sender of the consumer's own process, in the consumer's
            # transaction: a claim (a later transaction) would have leased it from a later now().
            lease = await conn.fetchval(
                "SELECT extract(epoch FROM not_before - created_at) FROM push_deliveries WHERE endpoint = $1",
                phone.endpoint,
            )
        assert lease == LEASE_SECONDS
    finally:
        fake_push.answering.set()
    await queue_empties(pwa)
