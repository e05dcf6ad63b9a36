"""The expected pick-up: now when someone can take it, after the queue ahead when everyone is
busy, when the pool opens when nobody is on shift, and no time when nobody can take it."""

from __future__ import annotations

from typing import Any

import pytest

from services.routing.decision import SECPOOL, Candidate, Routable
from services.routing.pickup import PLAYED, Ahead, expect


def member(member_id: str, **changes: Any) -> Candidate:
    fields: dict[str, Any] = {
        "member_id": member_id,
        "skills": {"agenda": 3},
        "learning": (),
        "languages": ("en", "nl"),
        "capacity": 4,
        "open_count": 0,
        "available": True,
        "queued_minutes": 0.0,
        "shift_left_minutes": 300.0,
        "off_shift_minutes": 900.0,
    }
    return Candidate(**(fields | changes))


REQUEST = Routable("r1", "staff-001", "agenda", 2, "nl", "normal", slack_minutes=500.0, base_minutes=20.0)


def test_someone_free_on_shift_means_now() -> None:
    expected = expect(REQUEST, [member("anouk")], SECPOOL)
    assert expected.basis == "now"
    assert expected.earliest == 0.0


def test_everyone_busy_means_when_the_first_list_runs_down() -> None:
    pool = [member("anouk", queued_minutes=120.0, open_count=3), member("bram", queued_minutes=80.0, open_count=2)]
    expected = expect(REQUEST, pool, SECPOOL)
    assert expected.basis == "queue"
    assert expected.minutes == pytest.approx(80.0 - SECPOOL.hold_after_minutes + 1)  # once less than the hold is left
    assert expected.earliest is not None and expected.latest is not None
    assert expected.earliest < expected.minutes < expected.latest


def test_requests_ahead_in_the_queue_come_first() -> None:
    pool = [member("anouk", queued_minutes=60.0, open_count=2)]
    alone = expect(REQUEST, pool, SECPOOL)
    behind_two = expect(REQUEST, pool, SECPOOL, [Ahead("agenda", 1, "nl", 20.0), Ahead("agenda", 1, "nl", 20.0)])
    assert alone.minutes is not None and behind_two.minutes is not None
    assert behind_two.minutes > alone.minutes + 20


def test_requests_ahead_that_nobody_here_could_take_do_not_delay_it() -> None:
    pool = [member("anouk", queued_minutes=60.0, open_count=2)]
    other = [Ahead("events", 1, "nl", 120.0), Ahead("agenda", 1, "fr", 60.0)]
    assert expect(REQUEST, pool, SECPOOL, other) == expect(REQUEST, pool, SECPOOL)


def test_a_long_queue_shared_out_past_the_first_requests_expects_what_playing_each_would() -> None:
    pool = [
        member("anouk", queued_minutes=60.0, open_count=2),
        member("bram", queued_minutes=20.0, open_count=1),
        member("carla", queued_minutes=90.0, open_count=3, skills={"agenda": 5}),
    ]
    one_by_one = [Ahead("agenda", 1, "nl", 30.0)] * 600
    shared = [*one_by_one[:PLAYED], Ahead("agenda", 1, "nl", 30.0 * 400, count=400)]
    played, estimated = expect(REQUEST, pool, SECPOOL, one_by_one), expect(REQUEST, pool, SECPOOL, shared)
    assert played.minutes is not None and estimated.minutes is not None
    assert estimated.basis == played.basis == "queue"
    assert abs(estimated.minutes - played.minutes) <= 0.05 * played.minutes, (estimated.minutes, played.minutes)


def test_a_long_queue_of_mixed_work_shared_out_stays_close_to_playing_each() -> None:
    """Work only some may take keeps those busy; the rest goes to the others (within 10 %, well
    inside the estimate's own range)."""
    pool = [
        member(f"m{k}", queued_minutes=10.0 * k, open_count=1, skills={"agenda": 1 + k % 5, "events": 1 + k * 3 % 5})
        for k in range(6)
    ]
    kinds = [("agenda", 1), ("agenda", 2), ("events", 1), ("agenda", 1), ("events", 3), ("agenda", 4)]
    queue = [Ahead(kinds[k % 6][0], kinds[k % 7 % 6][1], "nl", float(15 * (1 + k % 4))) for k in range(1000)]
    rest: dict[tuple[str, int], list[Ahead]] = {}
    for a in queue[PLAYED:]:
        rest.setdefault((a.skill, a.min_level), []).append(a)
    summed = [
        Ahead(skill, level, "nl", sum(a.base_minutes for a in same), count=len(same))
        for (skill, level), same in rest.items()
    ]
    played = expect(REQUEST, pool, SECPOOL, queue).minutes
    estimated = expect(REQUEST, pool, SECPOOL, [*queue[:PLAYED], *summed]).minutes
    assert played is not None and estimated is not None
    assert abs(estimated - played) <= 0.1 * played, (estimated, played)


def test_a_shared_out_rest_that_nobody_here_could_take_does_not_delay_it() -> None:
    pool = [member("anouk", queued_minutes=60.0, open_count=2)]
    rest = [Ahead("events", 1, "nl", 12_000.0, count=400), Ahead("agenda", 1, "fr", 6_000.0, count=200)]
    assert expect(REQUEST, pool, SECPOOL, rest) == expect(REQUEST, pool, SECPOOL)


def test_nobody_on_shift_means_when_the_pool_opens() -> None:
    pool = [
        member("anouk", shift="off shift", shift_left_minutes=0.0, off_shift_minutes=600.0),
        member("bram", shift="absent", shift_left_minutes=0.0, off_shift_minutes=840.0),
        member("carla", shift="no working hours", shift_left_minutes=None, off_shift_minutes=0.0),
    ]
    expected = expect(REQUEST, pool, SECPOOL)
    assert expected.basis == "pool_opens"
    assert expected.earliest == pytest.approx(600.0)


def test_nobody_who_may_take_it_means_no_time() -> None:
    pool = [
        member("anouk", skills={"agenda": 1}),
        member("bram", languages=("en",)),
        member("carla", available=False),  # away, with no shift to come back to
        member("daan"),
    ]
    assert expect(REQUEST, pool, SECPOOL, exclude=frozenset({"daan"})).basis == "nobody"


def test_someone_who_declined_is_not_counted_on() -> None:
    pool = [member("anouk"), member("bram", queued_minutes=200.0, open_count=4)]
    assert expect(REQUEST, pool, SECPOOL, exclude=frozenset({"anouk"})).basis == "queue"
