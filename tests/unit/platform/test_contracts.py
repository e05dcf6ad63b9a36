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
        event_id=EVENT_ID, occurred_at=AT, request_id="r1", version=1, pool_id="p1", requester_id="a1",
        type_id="letter", skill="correspondence", min_level=2, language="nl", urgency="normal",
        pickup_due_at=AT, done_due_at=AT, work_minutes=20,
    )  # fmt: skip
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


def test_pickup_expected_has_stable_wire_bytes():
    event = routing.PickupExpected(
        event_id=EVENT_ID,
        occurred_at=AT,
        request_id="r1",
        version=3,
        pool_id="p1",
        basis="queue",
        earliest_at=AT,
        latest_at=AT,
        reason="all_busy",
    )
    assert msgspec.json.encode(event) == (
        b'{"type":"secpool.routing.request.pickup_expected","event_id":"00000000-0000-4000-8000-000000000001",'
        b'"occurred_at":"2026-11-27T09:30:00Z","request_id":"r1","version":3,"pool_id":"p1","basis":"queue",'
        b'"earliest_at":"2026-11-27T09:30:00Z","latest_at":"2026-11-27T09:30:00Z","reason":"all_busy"}'
    )


def test_request_queued_carries_reason_codes_and_counts_never_names():
    event = routing.RequestQueued(
        event_id=EVENT_ID,
        occurred_at=AT,
        request_id="r1",
        version=2,
        pool_id="p1",
        lead_queue=True,
        why="nobody",
        reasons=[routing.Reason(code="nobody", skill="agenda")],
        counts={"declined": 2},
    )
    assert msgspec.json.encode(event) == (
        b'{"type":"secpool.routing.request.queued","event_id":"00000000-0000-4000-8000-000000000001",'
        b'"occurred_at":"2026-11-27T09:30:00Z","request_id":"r1","version":2,"pool_id":"p1","lead_queue":true,'
        b'"why":"nobody","reasons":[{"code":"nobody","minutes":null,"skill":"agenda","level":null,"language":null}],'
        b'"counts":{"declined":2}}'
    )
    older = b'{"type":"secpool.routing.request.queued","event_id":"00000000-0000-4000-8000-000000000001",'
    older += b'"occurred_at":"2026-11-27T09:30:00Z","request_id":"r1","version":2,"pool_id":"p1"}'
    decoded = msgspec.json.decode(older, type=routing.RoutingEvent)
    assert isinstance(decoded, routing.RequestQueued) and decoded.reasons == [] and decoded.counts == {}
