"""Event contracts on the wire: explicit subject tags, stable bytes, tolerant of new fields."""

from datetime import UTC, datetime
from uuid import UUID

import msgspec

from services.contracts import intake, recognition, routing
from services.contracts.base import Event
from services.contracts.streams import STREAMS

AT = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
EVENT_ID = UUID("00000000-0000-4000-8000-000000000001")


def all_events() -> list[type[Event]]:
    found = []
    for module in (intake, routing, recognition):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Event) and value is not Event:
                found.append(value)
    return found


def test_every_event_is_tagged_with_its_subject_inside_its_services_stream():
    prefixes = {"intake": "secpool.intake.", "routing": "secpool.routing.", "recognition": "secpool.recognition."}
    for event in all_events():
        tag = event.__struct_config__.tag
        service = event.__module__.rsplit(".", 1)[-1]
        assert isinstance(tag, str) and tag.startswith(prefixes[service]), event
        assert tag.count(".") >= 3
    assert set(STREAMS) == {"INTAKE", "ROUTING", "RECOGNITION", "IDENTITY"}


def test_request_submitted_has_stable_wire_bytes():
    event = intake.RequestSubmitted(
        event_id=EVENT_ID,
        occurred_at=AT,
        request_id="r1",
        version=1,
        pool_id="p1",
        requester_id="a1",
        type_id="letter",
        skill="correspondence",
        min_level=2,
        language="nl",
        urgency="normal",
        pickup_due_at=AT,
        done_due_at=AT,
        work_minutes=20,
    )
    assert msgspec.json.encode(event) == (
        b'{"type":"secpool.intake.request.submitted","event_id":"00000000-0000-4000-8000-000000000001",'
        b'"occurred_at":"2026-11-27T09:30:00Z","request_id":"r1","version":1,"pool_id":"p1",'
        b'"requester_id":"a1","on_behalf_of":null,"type_id":"letter","skill":"correspondence","min_level":2,'
        b'"language":"nl","urgency":"normal","pickup_due_at":"2026-11-27T09:30:00Z",'
        b'"done_due_at":"2026-11-27T09:30:00Z","work_minutes":20}'
    )


def test_an_older_consumer_reads_an_event_with_fields_it_does_not_know():
    newer = (
        b'{"type":"secpool.routing.request.queued","event_id":"00000000-0000-4000-8000-000000000001",'
        b'"occurred_at":"2026-11-27T09:30:00Z","request_id":"r1","version":2,"pool_id":"p1",'
        b'"added_later":{"anything":true}}'
    )
    decoded = msgspec.json.decode(newer, type=routing.RoutingEvent)
    assert isinstance(decoded, routing.RequestQueued) and decoded.version == 2 and decoded.lead_queue is False


def test_request_edited_has_stable_wire_bytes():
    event = intake.RequestEdited(
        event_id=EVENT_ID,
        occurred_at=AT,
        request_id="r1",
        version=3,
        pool_id="p1",
        requester_id="a1",
        changed=["description", "urgency"],
        urgency="high",
        pickup_due_at=AT,
        done_due_at=AT,
    )
    assert msgspec.json.encode(event) == (
        b'{"type":"secpool.intake.request.edited","event_id":"00000000-0000-4000-8000-000000000001",'
        b'"occurred_at":"2026-11-27T09:30:00Z","request_id":"r1","version":3,"pool_id":"p1",'
        b'"requester_id":"a1","changed":["description","urgency"],"urgency":"high",'
        b'"pickup_due_at":"2026-11-27T09:30:00Z","done_due_at":"2026-11-27T09:30:00Z",'
        b'"on_behalf_of":null,"member_id":null}'
    )


def test_attachment_added_has_stable_wire_bytes():
    event = intake.AttachmentAdded(
        event_id=EVENT_ID,
        occurred_at=AT,
        request_id="r1",
        version=4,
        pool_id="p1",
        requester_id="a1",
        attachment_id="f1",
        added_by="m1",
        author_role="member",
        member_id="m1",
    )
    assert msgspec.json.encode(event) == (
        b'{"type":"secpool.intake.request.attachment_added","event_id":"00000000-0000-4000-8000-000000000001",'
        b'"occurred_at":"2026-11-27T09:30:00Z","request_id":"r1","version":4,"pool_id":"p1",'
        b'"requester_id":"a1","attachment_id":"f1","added_by":"m1","author_role":"member",'
        b'"on_behalf_of":null,"member_id":"m1"}'
    )
