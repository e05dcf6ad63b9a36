"""The hand-over between the push consumers and the sender of the same process."""

from pwa.push.sender import Handover
from pwa.records import Due


def due(n: int) -> Due:
    return Due(
        id=n,
        endpoint=f"https://push.example/{n}",
        notice=b"{}",
        urgency="high",
        attempts=1,
        p256dh="k",
        auth="a",
        ttl_left=60,
    )


def test_deliveries_are_queued_leased_only_while_a_sender_runs_in_this_process() -> None:
    handover = Handover(lease_seconds=30)
    assert handover.lease == 0.0, "nobody would send them: they must be due at once, for any replica"
    handover.sending(True)
    assert handover.lease == 30
    handover.sending(False)
    assert handover.lease == 0.0


def test_handed_deliveries_wake_the_sender_and_are_taken_in_order_a_batch_at_a_time() -> None:
    handover = Handover()
    handover.hand([])
    assert not handover.wake.is_set(), "nothing handed, nothing to wake for"
    handover.hand([due(1), due(2)])
    handover.hand([due(3)])
    assert handover.wake.is_set()
    assert handover.waiting == 3
    assert [d.id for d in handover.take(2)] == [1, 2]
    assert [d.id for d in handover.take(2)] == [3]
    assert handover.take(2) == []
