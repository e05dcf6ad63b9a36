"""Event contracts on the wire: explicit subject tags, stable bytes, tolerant of new fields."""

from datetime import UTC, datetime
from uuid import UUID

import msgspec

from services.contracts import identity, intake, recognition, routing
from services.contracts.base import Event
from services.contracts.streams import STREAMS

AT = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
EVENT_ID = UUID("00000000-0000-4000-8000-000000000001")


def all_events() -> list[type[Event]]:
    found = []
    for module in (intake, routing, recognition, identity):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Event) and value is not Event:
                found.append(value)
    return found


def test_every_event_is_tagged_with_its_subject_inside_its_services_stream():
    prefixes = {
        "intake": "secpool.intake.",
        "routing": "secpool.routing.",
        "recognition": "secpool.recognition.",
        "identity": "secpool.identity.",
    }
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


HEAD = b'"event_id":"00000000-0000-4000-8000-000000000001","occurred_at":"2026-11-27T09:30:00Z"'
PERSON = {
    "name": "Sanne de Vries",
    "email": "sanne@example.org",
    "roles": ["secretary"],
    "pools": ["secretariaat"],
    "language": "nl",
}
PERSON_BYTES = (
    b'"name":"Sanne de Vries","email":"sanne@example.org","roles":["secretary"],"pools":["secretariaat"],'
    b'"language":"nl"}'
)


def test_identity_events_have_stable_wire_bytes():
    common = {"event_id": EVENT_ID, "occurred_at": AT}
    expected = [
        (
            identity.AccountCreated(**common, account_id="a1", version=1, **PERSON),
            b'{"type":"secpool.identity.account.created",' + HEAD + b',"account_id":"a1","version":1,' + PERSON_BYTES,
        ),
        (
            identity.AccountUpdated(**common, account_id="a1", version=2, **PERSON),
            b'{"type":"secpool.identity.account.updated",' + HEAD + b',"account_id":"a1","version":2,' + PERSON_BYTES,
        ),
        (
            identity.AccountDisabled(**common, account_id="a1", version=3),
            b'{"type":"secpool.identity.account.disabled",' + HEAD + b',"account_id":"a1","version":3}',
        ),
        (
            identity.AccountEnabled(**common, account_id="a1", version=4, **PERSON),
            b'{"type":"secpool.identity.account.enabled",' + HEAD + b',"account_id":"a1","version":4,' + PERSON_BYTES,
        ),
        (
            identity.PoolCreated(
                **common, pool_id="secretariaat", version=1, name_nl="Secretariaat", name_en="Secretariat"
            ),
            b'{"type":"secpool.identity.pool.created",' + HEAD + b',"pool_id":"secretariaat","version":1,'
            b'"name_nl":"Secretariaat","name_en":"Secretariat","public_holidays":"NL"}',
        ),
        (
            identity.PoolUpdated(
                **common,
                pool_id="secretariaat",
                version=2,
                name_nl="Secretariaat",
                name_en="Secretariat",
                public_holidays="",
            ),
            b'{"type":"secpool.identity.pool.updated",' + HEAD + b',"pool_id":"secretariaat","version":2,'
            b'"name_nl":"Secretariaat","name_en":"Secretariat","public_holidays":""}',
        ),
    ]
    for event, wire in expected:
        assert msgspec.json.encode(event) == wire
        assert msgspec.json.decode(wire, type=identity.IdentityEvent) == event


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


HEAD = b'"event_id":"00000000-0000-4000-8000-000000000001","occurred_at":"2026-11-27T09:30:00Z"'
PERSON = {
    "name": "Sanne de Vries",
    "email": "sanne@example.org",
    "roles": ["secretary"],
    "pools": ["secretariaat"],
    "language": "nl",
}
PERSON_BYTES = (
    b'"name":"Sanne de Vries","email":"sanne@example.org","roles":["secretary"],"pools":["secretariaat"],'
    b'"language":"nl"}'
)


def test_account_erased_has_stable_wire_bytes():
    event = identity.AccountErased(event_id=EVENT_ID, occurred_at=AT, account_id="a1", version=2)
    assert msgspec.json.encode(event) == (
        b'{"type":"secpool.identity.account.erased","event_id":"00000000-0000-4000-8000-000000000001",'
        b'"occurred_at":"2026-11-27T09:30:00Z","account_id":"a1","version":2}'
    )
