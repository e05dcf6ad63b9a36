"""Which events become pushes, for whom, and what the notice may say (ids and generic text)."""

import uuid
from datetime import UTC, datetime, timedelta

import msgspec

from pwa.push.notices import HOUR, announcements
from services.contracts.intake import RequestStatusChanged
from services.contracts.recognition import KudosGiven, ThanksPrompted
from services.contracts.routing import OfferAccepted, RequestOffered, RequestQueued

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def base() -> dict[str, object]:
    return {"event_id": uuid.uuid4(), "occurred_at": NOW}


def status(new: str, actor: str | None = None) -> RequestStatusChanged:
    return RequestStatusChanged(
        **base(),
        request_id="r1",
        version=2,
        pool_id="p",
        requester_id="req",  # type: ignore[arg-type]
        status=new,
        previous="offered",
        member_id="m",
        actor_id=actor,
    )


def test_an_offer_goes_to_the_member_urgently_and_lives_until_the_offer_expires() -> None:
    offer = RequestOffered(
        **base(),
        request_id="r1",
        version=1,
        pool_id="p",
        offer_id="o1",
        member_id="m",  # type: ignore[arg-type]
        expires_at=NOW + timedelta(minutes=20),
        why="skill fit: the description says…",
    )
    [a] = announcements(offer)
    assert (a.kind, a.account_ids, a.urgency, a.ttl) == ("offer", ("m",), "high", 20 * 60)
    assert a.notices["en"].url == "/offers" and a.notices["en"].tag == "offer-o1"
    assert a.notices["nl"].title == "Nieuw verzoek aangeboden"
    assert "description" not in msgspec.json.encode(a.notices).decode()  # nothing of the event's text
    far = msgspec.structs.replace(offer, expires_at=NOW + timedelta(days=3))
    assert announcements(far)[0].ttl == HOUR


def test_status_changes_worth_telling_go_to_the_requester() -> None:
    [a] = announcements(status("done"))
    assert (a.kind, a.account_ids, a.notices["en"].url) == ("request", ("req",), "/requests/r1")
    assert announcements(status("waiting_on_requester"))[0].urgency == "normal"
    assert announcements(status("in_progress"))[0].urgency == "low"


def test_a_request_made_on_someones_behalf_tells_them_too_unless_they_did_it() -> None:
    for_boss = msgspec.structs.replace(status("done"), on_behalf_of="boss")
    assert announcements(for_boss)[0].account_ids == ("req", "boss")
    boss_cancelled = msgspec.structs.replace(status("cancelled", actor="boss"), on_behalf_of="boss")
    assert announcements(boss_cancelled)[0].account_ids == ("req",)


def test_no_push_for_what_the_requester_did_or_for_moments_after_submitting() -> None:
    assert announcements(status("cancelled", actor="req")) == []
    assert announcements(status("offered")) == []


def test_kudos_go_to_each_recipient_but_not_to_the_giver() -> None:
    kudos = KudosGiven(**base(), kudos_id="k1", version=1, giver_id="g", recipient_ids=["a", "g", "b", "a"])  # type: ignore[arg-type]
    [a] = announcements(kudos)
    assert a.account_ids == ("a", "b") and a.urgency == "low" and a.notices["en"].url == "/wall"
    assert announcements(msgspec.structs.replace(kudos, recipient_ids=["g"])) == []


def test_a_buddy_hears_when_the_learner_accepts() -> None:
    accepted = OfferAccepted(
        **base(),
        request_id="r1",
        version=2,
        pool_id="p",
        offer_id="o1",
        member_id="m",  # type: ignore[arg-type]
        buddy_id="bud",
        development=True,
    )
    [a] = announcements(accepted)
    assert (a.kind, a.account_ids) == ("buddy", ("bud",))
    assert announcements(msgspec.structs.replace(accepted, buddy_id=None)) == []


def test_the_lead_queue_reaches_the_pools_leads_and_the_plain_queue_nobody() -> None:
    queued = RequestQueued(**base(), request_id="r1", version=2, pool_id="p", lead_queue=True)  # type: ignore[arg-type]
    [a] = announcements(queued)
    assert (a.kind, a.leads_of_pool, a.account_ids) == ("lead_queue", "p", ())
    assert announcements(msgspec.structs.replace(queued, lead_queue=False)) == []


def test_a_thank_you_prompt_replaces_the_done_notice_on_the_requesters_phone() -> None:
    prompt = ThanksPrompted(
        **base(),
        prompt_id="pr1",
        version=1,
        pool_id="p",
        request_id="r1",
        requester_id="req",  # type: ignore[arg-type]
        recipient_ids=["m"],
        expires_at=NOW + timedelta(days=7),
    )
    [a] = announcements(prompt)
    assert (a.kind, a.account_ids, a.ttl) == ("prompt", ("req",), 24 * HOUR)
    assert a.notices["en"].tag == announcements(status("done"))[0].notices["en"].tag == "request-r1"


def test_every_notice_has_the_fields_the_service_worker_reads_in_both_languages() -> None:
    for a in announcements(status("done")):
        assert set(a.notices) == {"en", "nl"}
        for notice in a.notices.values():
            assert set(msgspec.to_builtins(notice)) == {"title", "body", "url", "tag", "kind"}
            assert notice.url.startswith("/") and not notice.url.startswith("//")
