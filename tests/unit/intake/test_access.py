"""Who sees what of a request: team figures only, people and ratings for those involved."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from services.intake import access, records
from services.intake.answers import request_view
from services.platform.errors import Forbidden, NotFound
from services.platform.tokens import Caller

POOL = "pool-a"
AT = datetime(2026, 11, 27, 9, tzinfo=UTC)
REQUESTER = Caller("req", ("staff",), (POOL,))
MANAGER = Caller("boss", ("staff",), (POOL,))
MEMBER = Caller("mem", ("secretary",), (POOL,))
BUDDY = Caller("bud", ("secretary",), (POOL,))
HELPER = Caller("help", ("secretary",), (POOL,))
COLLEAGUE = Caller("col", ("secretary",), (POOL,))
LEAD = Caller("lead", ("lead", "staff"), (POOL,))
OTHER_STAFF = Caller("oth", ("staff",), (POOL,))
OTHER_LEAD = Caller("ol", ("lead",), ("pool-b",))


def row(status: str) -> records.Request:
    return records.Request(
        **{
            "id": uuid4(),
            "pool_id": POOL,
            "requester_id": "req",
            "on_behalf_of": "boss",
            "type_id": "t",
            "type_name_nl": "T",
            "type_name_en": "T",
            "description": "d",
            "urgency": "normal",
            "wished_for": None,
            "language": "nl",
            "status": status,
            "member_id": "mem",
            "buddy_id": "bud",
            "helper_ids": ["help"],
            "version": 7,
            "submitted_at": AT,
            "pickup_due_at": AT,
            "done_due_at": AT,
            "picked_up_at": AT,
            "done_at": AT if status == "done" else None,
            "cancelled_at": None,
            "waiting_since": None,
            "rating": 5 if status == "done" else None,
            "rating_comment": "great" if status == "done" else None,
            "pickup_risk_at": None,
            "done_risk_at": None,
            "pickup_breach_at": None,
            "done_breach_at": None,
            "routing_version": 1,
            "rated_at": None,
            "minutes_saved": None,
            "expected_basis": None,
            "expected_from": None,
            "expected_to": None,
            "expected_reason": "",
            "skill": "s",
            "min_level": 1,
            "type_minutes_saved": 0,
            "work_minutes": 30,
        }
    )


def test_staff_see_only_their_own_requests_the_pool_sees_all_of_its_own():
    r = row("in_progress")
    for who in (REQUESTER, MANAGER, MEMBER, BUDDY, HELPER, COLLEAGUE, LEAD):
        assert access.visible(r, who) is r
    for who in (OTHER_STAFF, OTHER_LEAD):
        with pytest.raises(Forbidden):
            access.visible(r, who)
    with pytest.raises(NotFound):
        access.visible(None, LEAD)


@pytest.mark.parametrize("who", [REQUESTER, MANAGER, MEMBER, BUDDY, HELPER])
def test_the_people_involved_see_who_did_a_done_request_and_its_rating(who):
    view = request_view(row("done"), who)
    assert (view.member_id, view.buddy_id, view.helper_ids, view.rating) == ("mem", "bud", ["help"], 5)


@pytest.mark.parametrize("who", [LEAD, COLLEAGUE])
def test_the_lead_and_colleagues_see_a_closed_request_without_people_or_rating(who):
    for status in ("done", "cancelled"):
        view = request_view(row(status), who)
        assert (view.member_id, view.buddy_id, view.helper_ids, view.rating, view.rating_comment) == (
            None,
            None,
            [],
            None,
            None,
        )
    open_view = request_view(row("in_progress"), who)
    assert open_view.member_id == "mem"  # who is on open work is how the pool runs


def test_comment_roles_and_who_may_act():
    r = row("in_progress")
    assert [access.comment_role(w, r) for w in (REQUESTER, MANAGER, MEMBER, BUDDY, LEAD)] == [
        "requester",
        "requester",
        "member",
        "member",
        "lead",
    ]
    with pytest.raises(Forbidden):
        access.comment_role(COLLEAGUE, r)
    access.require_member_on(MEMBER, r)
    for who in (BUDDY, LEAD, REQUESTER):
        with pytest.raises(Forbidden):
            access.require_member_on(who, r)
    access.require_lead(LEAD, POOL)
    with pytest.raises(Forbidden):
        access.require_lead(OTHER_LEAD, POOL)


@pytest.mark.parametrize("who", [LEAD, COLLEAGUE])
def test_on_a_closed_request_others_see_the_requesters_steps_and_their_own_by_name_never_the_members(who):
    for status in ("done", "cancelled"):
        r = row(status)
        assert access.names_actor(who, r, "req") and access.names_actor(who, r, "boss")
        assert access.names_actor(who, r, who.account_id)
        assert not any(access.names_actor(who, r, actor) for actor in ("mem", "bud", "help", None))


def test_while_a_request_is_open_the_pool_sees_who_took_each_step():
    assert access.names_actor(COLLEAGUE, row("in_progress"), "mem")
