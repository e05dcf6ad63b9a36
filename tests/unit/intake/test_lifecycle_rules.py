"""The request lifecycle's pure rules: which steps are legal, for whom, and why not."""

import pytest

from services.intake.domain import (
    CLOSED,
    MEMBER_STEPS,
    NOT_STARTED,
    TRANSITIONS,
    TransitionRefused,
    check_cancel,
    check_conversation_open,
    check_member_step,
    check_rating,
    check_transition,
)

STATUSES = list(TRANSITIONS)


def test_the_lifecycle_is_the_issues_graph():
    edges = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert edges == {
        ("submitted", "offered"),
        ("submitted", "in_progress"),
        ("submitted", "cancelled"),
        ("offered", "submitted"),
        ("offered", "offered"),
        ("offered", "in_progress"),
        ("offered", "cancelled"),
        ("in_progress", "waiting_on_requester"),
        ("in_progress", "done"),
        ("in_progress", "cancelled"),
        ("waiting_on_requester", "in_progress"),
        ("waiting_on_requester", "cancelled"),
    }
    assert all(not TRANSITIONS[s] for s in CLOSED)


@pytest.mark.parametrize("current", STATUSES)
@pytest.mark.parametrize("target", STATUSES)
def test_an_illegal_transition_names_both_states(current, target):
    if target in TRANSITIONS[current]:
        check_transition(current, target)
        return
    with pytest.raises(TransitionRefused) as refused:
        check_transition(current, target)
    assert current.replace("_", " ") in str(refused.value) and target.replace("_", " ") in str(refused.value)


@pytest.mark.parametrize("current", STATUSES)
@pytest.mark.parametrize("target", STATUSES)
def test_the_member_takes_only_their_three_steps(current, target):
    if (current, target) in MEMBER_STEPS:
        assert check_member_step(current, target) == MEMBER_STEPS[(current, target)]
    else:
        with pytest.raises(TransitionRefused):
            check_member_step(current, target)


def test_the_member_is_told_why_a_step_is_refused():
    def reason(current: str, target: str) -> str:
        with pytest.raises(TransitionRefused) as refused:
            check_member_step(current, target)
        return str(refused.value)

    assert reason("offered", "in_progress") == "the request has not been picked up yet: accept its offer first"
    assert reason("in_progress", "in_progress") == "the request is already in progress"
    assert "cancel" in reason("in_progress", "cancelled")
    assert reason("waiting_on_requester", "done") == "a request that is waiting on requester cannot become done"


@pytest.mark.parametrize("current", STATUSES)
def test_the_requester_cancels_only_before_work_starts_the_lead_until_it_is_closed(current):
    for by_lead, allowed in ((False, current in NOT_STARTED), (True, current not in CLOSED)):
        if allowed:
            check_cancel(current, by_lead=by_lead)
        else:
            with pytest.raises(TransitionRefused):
                check_cancel(current, by_lead=by_lead)


def test_rating_is_for_done_requests_once_and_conversations_close_with_the_request():
    check_rating("done", already_rated=False)
    with pytest.raises(TransitionRefused, match="once it is done"):
        check_rating("in_progress", already_rated=False)
    with pytest.raises(TransitionRefused, match="given once"):
        check_rating("done", already_rated=True)
    check_conversation_open("waiting_on_requester")
    for status in CLOSED:
        with pytest.raises(TransitionRefused, match="closed"):
            check_conversation_open(status)
