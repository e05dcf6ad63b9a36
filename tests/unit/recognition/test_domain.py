"""Recognition's pure rules: who can be thanked, reactions, the daily allowance, prompts' recipients."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from services.platform.errors import Invalid
from services.recognition import domain

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_recipients_are_kept_once_each_in_the_order_given():
    assert domain.recipients("me", ["b", "a", "b"], None) == ["b", "a"]


def test_nobody_can_thank_themself():
    with pytest.raises(Invalid, match="not for yourself"):
        domain.recipients("me", ["a", "me"], None)


def test_a_kudos_needs_a_colleague_or_a_pool():
    with pytest.raises(Invalid, match="recipient_ids"):
        domain.recipients("me", [], None)
    assert domain.recipients("me", [], "pool-1") == []


@pytest.mark.parametrize("message", ["x", "a" * 500, "  hi  ", "<script>alert(1)</script>", "\u202eevil"])
def test_messages_are_kept_exactly_as_typed(message):
    assert domain.check_message(message) == message


@pytest.mark.parametrize("message", ["", "a" * 501, "   \n\t", "nul\x00byte"])
def test_empty_blank_overlong_or_nul_messages_are_refused(message):
    with pytest.raises(Invalid, match="message"):
        domain.check_message(message)


def test_reactions_are_a_small_fixed_set_and_a_plain_heart_counts_as_the_heart():
    assert [domain.reaction(e) for e in ("👏", "❤️", "❤", "🎉", "🙏")] == ["👏", "❤️", "❤️", "🎉", "🙏"]
    with pytest.raises(Invalid, match="emoji"):
        domain.reaction("👍")


def test_the_daily_allowance_stops_at_the_limit_with_a_clear_message():
    domain.check_allowance(19, 20)
    with pytest.raises(domain.LimitReached, match=r"20 kudos today.*tomorrow"):
        domain.check_allowance(20, 20)


def test_a_day_starts_at_local_midnight():
    late_evening_utc = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # already 2 July in Amsterdam
    assert domain.day_start(late_evening_utc, AMSTERDAM) == datetime(2026, 7, 1, 22, 0, tzinfo=UTC)


def test_a_prompt_thanks_the_member_and_helpers_once_each_but_never_the_requester():
    assert domain.prompt_recipients("req", "m", ["buddy", "m", "req", "handover"]) == ["m", "buddy", "handover"]
    assert domain.prompt_recipients("req", None, ["buddy"]) == ["buddy"]
    assert domain.prompt_recipients("req", "req", []) == []


def test_only_members_and_leads_work_in_the_pools_their_token_names():
    assert domain.working_pools(["secretary"], ["p2", "p1"]) == ["p1", "p2"]
    assert domain.working_pools(["lead", "staff"], ["p1"]) == ["p1"]
    assert domain.working_pools(["staff"], ["p1"]) == []


def test_moderators_are_leads_and_admins():
    assert domain.may_moderate(["lead"]) and domain.may_moderate(["admin", "staff"])
    assert not domain.may_moderate(["secretary", "staff"])


def test_a_lead_moderates_only_kudos_that_touch_a_pool_they_lead():
    assert domain.may_moderate_kudos(("lead",), ("p1",), ("p1", "p2"))
    assert not domain.may_moderate_kudos(("lead",), ("p3",), ("p1", "p2"))
    assert not domain.may_moderate_kudos(("lead",), ("p1",), ())
    assert not domain.may_moderate_kudos(("secretary",), ("p1",), ("p1",))
    assert domain.may_moderate_kudos(("admin",), (), ())
    assert domain.moderated_pools(("lead",), ("p2", "p1")) == ["p1", "p2"]
    assert domain.moderated_pools(("admin", "lead"), ("p1",)) is None
