"""Every lifecycle step over real PostgreSQL and NATS (lifecycle.py). Submitting: due times from
the type and urgency, on behalf of someone else, idempotent, and validation errors that name the
field and say what is wrong. Every transition: the legal ones with their timeline entries and
events (versions increasing), the illegal ones refused with 409 and a reason, and steps by the
wrong person refused with 403."""

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from services.contracts.intake import (
    RequestCancelled,
    RequestCommented,
    RequestCompleted,
    RequestRated,
    RequestStatusChanged,
    RequestSubmitted,
)
from tests.integration.intake.conftest import WITHIN
from tests.support import caller, eventually


async def test_a_submission_gets_its_due_times_and_announces_itself(desk):
    staff, manager = desk.staff(), desk.staff()
    request = await desk.submit(
        staff,
        type_id="letter-en",
        urgency="high",
        on_behalf_of=manager.account_id,
        wished_for=str(date.today() + timedelta(days=3)),
        language="nl",
    )
    submitted = datetime.fromisoformat(request["submitted_at"])
    # letter-en: pick up in 120 min, done in 480; high urgency halves both. Its language is fixed.
    assert datetime.fromisoformat(request["pickup_due_at"]) - submitted == timedelta(minutes=60)
    assert datetime.fromisoformat(request["done_due_at"]) - submitted == timedelta(minutes=240)
    assert (request["language"], request["on_behalf_of"]) == ("en", manager.account_id)
    (event,) = await desk.events_until(request["id"], lambda es: len(es) == 1)
    assert isinstance(event, RequestSubmitted)
    assert (event.skill, event.min_level, event.language, event.urgency, event.on_behalf_of, event.version) == (
        "correspondence",
        3,
        "en",
        "high",
        manager.account_id,
        1,
    )


async def test_the_same_idempotency_key_returns_the_first_request(desk):
    staff = desk.staff()
    body = {"type_id": "letter", "description": "Brief", "idempotency_key": str(uuid.uuid4())}
    first = await desk.call(staff, "POST", "/v1/requests/", json=body)
    again = await desk.call(staff, "POST", "/v1/requests/", json={**body, "description": "Changed"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["description"] == "Brief"
    # The key is the requester's own: someone else using it gets a request of their own.
    other = await desk.call(desk.staff(), "POST", "/v1/requests/", json=body)
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]


async def test_refusals_name_the_field_and_say_what_is_wrong(desk):
    staff = desk.staff()

    async def submit(**body: object) -> tuple[int, str]:
        full = {"type_id": "letter", "description": "Brief", "idempotency_key": str(uuid.uuid4()), **body}
        response = await desk.call(staff, "POST", "/v1/requests/", json=full)
        return response.status_code, response.text

    assert await submit(on_behalf_of=staff.account_id) == (
        422,
        '{"status_code":422,"detail":"on_behalf_of: leave this empty when the request is for yourself",'
        '"field":"on_behalf_of"}',
    )
    status, text = await submit(wished_for=str(date.today() - timedelta(days=3)))
    assert status == 422 and "wished_for: the wished-for date is in the past" in text
    status, text = await submit(description="")
    assert status == 400 and "description" in text
    status, text = await submit(idempotency_key="short")
    assert status == 400 and "idempotency_key" in text
    status, text = await submit(urgency="asap")
    assert status == 400 and "urgency" in text
    status, text = await submit(surprise=True)
    assert status == 400 and "surprise" in text
    status, text = await submit(description="null\x00byte")
    assert status == 400 and "description" in text
    outsider = caller("staff", pools=("pool-elsewhere",))
    response = await desk.call(
        outsider, "POST", "/v1/requests/", json={"type_id": "letter", "description": "x", "idempotency_key": "k" * 12}
    )
    assert response.status_code == 403 and "does not serve you" in response.json()["detail"]


def statuses(events: list[Any]) -> list[str]:
    return [e.status for e in events if isinstance(e, RequestStatusChanged)]


def assert_versions_increase(events: list[Any]) -> None:
    """Each change has its own version, higher than the one before; the events of one change
    (a status change and its completion or its comment, say) share it."""
    versions = [e.version for e in events]
    assert versions == sorted(versions), versions
    for kind in (RequestStatusChanged, RequestCommented, RequestRated):
        of_kind = [e.version for e in events if isinstance(e, kind)]
        assert of_kind == sorted(set(of_kind)), (kind, of_kind)


async def timeline(desk, who, request_id) -> list[str]:
    response = await desk.call(who, "GET", f"/v1/requests/{request_id}/timeline")
    return [e["kind"] for e in response.json()]


async def test_a_request_goes_from_submitted_to_done_through_every_working_state(desk):
    staff, member = desk.staff(), desk.member()
    request = await desk.submit(staff)
    rid = request["id"]
    assert (request["status"], request["version"]) == ("submitted", 1)

    await desk.offer(rid, member)
    offered = await desk.until_status(staff, rid, "offered")
    assert offered["member_id"] == member.account_id
    await desk.accept(rid, member)
    started = await desk.until_status(staff, rid, "in_progress")
    assert started["picked_up_at"] is not None

    asked = await desk.call(
        member,
        "POST",
        f"/v1/requests/{rid}/status",
        json={"status": "waiting_on_requester", "note": "Which room do you prefer?"},
    )
    assert asked.status_code == 200, asked.text
    assert asked.json()["status"] == "waiting_on_requester" and asked.json()["waiting_since"]

    answered = await desk.call(staff, "POST", f"/v1/requests/{rid}/comments", json={"body": "The big one, please"})
    assert answered.status_code == 201 and answered.json()["kind"] == "answer"
    assert (await desk.get(staff, rid))["status"] == "in_progress"

    paused = await desk.call(
        member, "POST", f"/v1/requests/{rid}/comments", json={"body": "And the catering?", "question": True}
    )
    assert paused.status_code == 201 and paused.json()["kind"] == "question"
    resumed = await desk.call(
        member,
        "POST",
        f"/v1/requests/{rid}/status",
        json={"status": "in_progress", "note": "Asked by phone: no catering"},
    )
    assert resumed.status_code == 200 and resumed.json()["status"] == "in_progress"

    done = await desk.call(member, "POST", f"/v1/requests/{rid}/status", json={"status": "done", "note": "Booked"})
    assert done.status_code == 200 and done.json()["status"] == "done" and done.json()["done_at"]

    events = await desk.events_until(rid, lambda es: any(isinstance(e, RequestCompleted) for e in es))
    assert isinstance(events[0], RequestSubmitted) and events[0].version == 1
    assert statuses(events) == [
        "offered",
        "in_progress",
        "waiting_on_requester",
        "in_progress",
        "waiting_on_requester",
        "in_progress",
        "done",
    ]
    assert_versions_increase(events)
    completed = next(e for e in events if isinstance(e, RequestCompleted))
    assert completed.member_id == member.account_id and completed.minutes_saved == 20
    assert completed.version == (await desk.get(staff, rid))["version"] == events[-1].version
    assert await timeline(desk, staff, rid) == [
        "submitted",
        "offered",
        "accepted",
        "question_asked",
        "answered",
        "question_asked",
        "resumed",
        "done",
    ]
    conversation = (await desk.call(staff, "GET", f"/v1/requests/{rid}/comments")).json()
    assert [(c["kind"], c["author_role"]) for c in conversation] == [
        ("question", "member"),
        ("answer", "requester"),
        ("question", "member"),
        ("comment", "member"),
        ("comment", "member"),
    ]


async def test_an_offer_declined_or_expired_puts_the_request_back_and_a_new_offer_moves_it_on(desk):
    staff, first, second = desk.staff(), desk.member(), desk.member()
    rid = (await desk.submit(staff))["id"]
    await desk.offer(rid, first)
    await desk.until_status(staff, rid, "offered")
    await desk.decline(rid, first)
    back = await desk.until_status(staff, rid, "submitted")
    assert back["member_id"] is None
    await desk.offer(rid, second)
    await desk.until_status(staff, rid, "offered")
    await desk.offer(rid, first)  # routing re-offers elsewhere: offered → offered
    again = await eventually_member(desk, staff, rid, first.account_id)
    assert again["status"] == "offered"
    await desk.decline(rid, first, expired=True)
    await desk.until_status(staff, rid, "submitted")
    events = await desk.events_until(rid, lambda es: len(statuses(es)) == 5)
    assert statuses(events) == ["offered", "submitted", "offered", "offered", "submitted"]
    assert_versions_increase(events)
    assert await timeline(desk, staff, rid) == [
        "submitted",
        "offered",
        "offer_declined",
        "offered",
        "offered",
        "offer_expired",
    ]


async def eventually_member(desk, who, rid, member_id) -> dict[str, Any]:
    return await eventually(lambda: desk.get(who, rid), lambda r: r["member_id"] == member_id, WITHIN)


async def test_routing_can_assign_directly_and_stale_routing_events_are_dropped(desk):
    staff, member, other = desk.staff(), desk.member(), desk.member()
    rid = (await desk.submit(staff))["id"]
    await desk.accept(rid, member)  # policy auto-accept: submitted → in_progress
    await desk.until_status(staff, rid, "in_progress")
    desk.routing_versions[rid] = 0  # a replayed, older offer
    stale = await desk.offer(rid, other)
    await eventually(lambda: desk.db.fetchval("SELECT count(*) FROM inbox WHERE event_id = $1", stale), bool, WITHIN)
    current = await desk.get(staff, rid)
    assert (current["status"], current["member_id"]) == ("in_progress", member.account_id)


async def test_the_requester_cancels_before_work_starts_but_not_after(desk):
    staff, member = desk.staff(), desk.member()
    waiting = (await desk.submit(staff))["id"]
    cancelled = await desk.call(staff, "POST", f"/v1/requests/{waiting}/cancel", json={"reason": "Not needed"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"

    offered = (await desk.submit(staff))["id"]
    await desk.offer(offered, member)
    await desk.until_status(staff, offered, "offered")
    assert (await desk.call(staff, "POST", f"/v1/requests/{offered}/cancel", json={})).status_code == 200

    started = (await desk.submit(staff))["id"]
    await desk.picked_up(started, member)
    refused = await desk.call(staff, "POST", f"/v1/requests/{started}/cancel", json={})
    assert refused.status_code == 409 and "only the pool's lead" in refused.json()["detail"]

    events = await desk.events_until(offered, lambda es: any(isinstance(e, RequestCancelled) for e in es))
    cancel = next(e for e in events if isinstance(e, RequestCancelled))
    assert (cancel.previous, cancel.actor_id, cancel.member_id) == ("offered", staff.account_id, member.account_id)
    assert statuses(events) == ["offered", "cancelled"]
    assert_versions_increase(events)
    first = await desk.events_until(waiting, lambda es: any(isinstance(e, RequestCancelled) for e in es))
    assert next(e for e in first if isinstance(e, RequestCancelled)).reason == "Not needed"


async def test_the_lead_cancels_work_in_progress_or_waiting_and_a_closed_request_stays_closed(desk):
    staff, member, lead = desk.staff(), desk.member(), desk.lead()
    in_progress = (await desk.submit(staff))["id"]
    await desk.picked_up(in_progress, member)
    response = await desk.call(lead, "POST", f"/v1/requests/{in_progress}/cancel", json={"reason": "Duplicate"})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"

    waiting = (await desk.submit(staff))["id"]
    await desk.picked_up(waiting, member)
    await desk.call(
        member, "POST", f"/v1/requests/{waiting}/status", json={"status": "waiting_on_requester", "note": "Which date?"}
    )
    assert (await desk.call(lead, "POST", f"/v1/requests/{waiting}/cancel", json={})).status_code == 200

    again = await desk.call(lead, "POST", f"/v1/requests/{waiting}/cancel", json={})
    assert again.status_code == 409 and again.json()["detail"] == "the request is already cancelled"
    stranger_lead = caller("lead", pools=("pool-other",))
    other = (await desk.submit(staff))["id"]
    assert (await desk.call(stranger_lead, "POST", f"/v1/requests/{other}/cancel", json={})).status_code == 403
    events = await desk.events_until(waiting, lambda es: any(isinstance(e, RequestCancelled) for e in es))
    assert statuses(events) == ["offered", "in_progress", "waiting_on_requester", "cancelled"]
    assert_versions_increase(events)


async def test_illegal_steps_get_409_with_the_reason(desk):
    staff, member = desk.staff(), desk.member()
    rid = (await desk.submit(staff))["id"]
    await desk.offer(rid, member)
    await desk.until_status(staff, rid, "offered")

    async def step(status: str, note: str = "") -> Any:
        return await desk.call(member, "POST", f"/v1/requests/{rid}/status", json={"status": status, "note": note})

    not_accepted = await step("in_progress")
    assert not_accepted.status_code == 409 and "accept its offer first" in not_accepted.json()["detail"]
    await desk.accept(rid, member)
    await desk.until_status(staff, rid, "in_progress")
    assert (await step("in_progress")).json()["detail"] == "the request is already in progress"
    back = await step("submitted")
    assert back.status_code == 409 and back.json()["detail"] == "a request that is in progress cannot become submitted"
    cancel = await step("cancelled")
    assert cancel.status_code == 409 and "cancel" in cancel.json()["detail"]
    no_question = await step("waiting_on_requester")
    assert no_question.status_code == 422 and no_question.json()["detail"].startswith("note:")
    assert (await step("waiting_on_requester", "Which room?")).status_code == 200
    done_while_waiting = await step("done")
    assert done_while_waiting.status_code == 409
    assert done_while_waiting.json()["detail"] == "a request that is waiting on requester cannot become done"
    assert (await step("in_progress")).status_code == 200
    assert (await step("done")).status_code == 200
    for status in ("in_progress", "waiting_on_requester", "done"):
        after = await step(status, "again")
        assert after.status_code == 409, status
    assert (await step("in_progress")).json()["detail"] == "a request that is done cannot become in progress"
    closed = await desk.call(staff, "POST", f"/v1/requests/{rid}/comments", json={"body": "Thanks!"})
    assert closed.status_code == 409 and "conversation is closed" in closed.json()["detail"]
    cancel_done = await desk.call(staff, "POST", f"/v1/requests/{rid}/cancel", json={})
    assert cancel_done.status_code == 409 and cancel_done.json()["detail"] == "the request is already done"


async def test_only_the_member_on_it_moves_it_and_only_the_requester_answers_and_rates(desk):
    staff, member, colleague, lead = desk.staff(), desk.member(), desk.member(), desk.lead()
    rid = (await desk.submit(staff))["id"]
    await desk.picked_up(rid, member)
    for who in (colleague, lead, staff):
        refused = await desk.call(who, "POST", f"/v1/requests/{rid}/status", json={"status": "done"})
        assert refused.status_code == 403 and "member on this request" in refused.json()["detail"]
    question = await desk.call(staff, "POST", f"/v1/requests/{rid}/comments", json={"body": "?", "question": True})
    assert question.status_code == 403
    outsider = await desk.call(colleague, "POST", f"/v1/requests/{rid}/comments", json={"body": "hi"})
    assert outsider.status_code == 403
    stranger = await desk.call(desk.staff(), "GET", f"/v1/requests/{rid}")
    assert stranger.status_code == 403
    early = await desk.call(staff, "POST", f"/v1/requests/{rid}/rating", json={"rating": 5})
    assert early.status_code == 409 and "once it is done" in early.json()["detail"]
    # A plain comment by the lead does not change the status.
    note = await desk.call(lead, "POST", f"/v1/requests/{rid}/comments", json={"body": "FYI: urgent for the board"})
    assert note.status_code == 201 and note.json()["author_role"] == "lead"
    assert (await desk.get(staff, rid))["status"] == "in_progress"
    await desk.call(member, "POST", f"/v1/requests/{rid}/status", json={"status": "done"})
    assert (await desk.call(member, "POST", f"/v1/requests/{rid}/rating", json={"rating": 5})).status_code == 403
    rated = await desk.call(staff, "POST", f"/v1/requests/{rid}/rating", json={"rating": 4, "comment": "Quick!"})
    assert rated.status_code == 201 and rated.json()["rating"] == 4
    twice = await desk.call(staff, "POST", f"/v1/requests/{rid}/rating", json={"rating": 5})
    assert twice.status_code == 409 and "once" in twice.json()["detail"]
    out_of_range = await desk.call(staff, "POST", f"/v1/requests/{rid}/rating", json={"rating": 6})
    assert out_of_range.status_code == 400 and "rating" in out_of_range.text
    view = await desk.get(staff, rid)
    assert (view["rating"], view["rating_comment"]) == (4, "Quick!")
    events = await desk.events_until(rid, lambda es: any(isinstance(e, RequestRated) for e in es))
    rating = next(e for e in events if isinstance(e, RequestRated))
    assert rating.rating == 4 and rating.version == view["version"]
    assert_versions_increase(events)


async def test_a_handover_and_a_buddy_make_helpers_of_the_completed_request(desk):
    staff, learner, buddy, next_member = desk.staff(), desk.member(), desk.member(), desk.member()
    rid = (await desk.submit(staff))["id"]
    started = await desk.picked_up(rid, learner, buddy)
    assert started["buddy_id"] == buddy.account_id
    await desk.accept(rid, next_member)  # routing hands the work over
    handed = await eventually_member(desk, staff, rid, next_member.account_id)
    assert handed["status"] == "in_progress" and set(handed["helper_ids"]) == {learner.account_id, buddy.account_id}
    assert (await desk.call(learner, "GET", f"/v1/requests/{rid}")).status_code == 200
    done = await desk.call(next_member, "POST", f"/v1/requests/{rid}/status", json={"status": "done"})
    assert done.status_code == 200
    events = await desk.events_until(rid, lambda es: any(isinstance(e, RequestCompleted) for e in es))
    completed = next(e for e in events if isinstance(e, RequestCompleted))
    assert completed.member_id == next_member.account_id
    assert sorted(completed.helper_ids) == sorted([learner.account_id, buddy.account_id])
    assert "handed_over" in await timeline(desk, staff, rid)
    assert_versions_increase(events)


async def test_a_request_on_behalf_of_a_manager_is_theirs_too(desk):
    assistant, manager = desk.staff(), desk.staff()
    rid = (await desk.submit(assistant, on_behalf_of=manager.account_id))["id"]
    mine = (await desk.call(manager, "GET", "/v1/requests/")).json()
    assert [r["id"] for r in mine] == [rid]
    cancelled = await desk.call(manager, "POST", f"/v1/requests/{rid}/cancel", json={})
    assert cancelled.status_code == 200
