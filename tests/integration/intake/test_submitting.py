"""Submitting: due times from the type and urgency, on behalf of someone else, idempotent,
and validation errors that name the field and say what is wrong."""

import uuid
from datetime import date, datetime, timedelta

from services.contracts.intake import RequestSubmitted
from tests.support import caller


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
        '{"status_code":422,"detail":"on_behalf_of: leave this empty when the request is for yourself"}',
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
