"""Recognition's pure rules (domain.py): who can be thanked, reactions, the daily allowance, prompts'
recipients; digest periods (whole weeks in local time, quick periods for tests) and their team-level figures."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.platform.errors import Invalid
from services.recognition import domain
from services.recognition.domain import Completion, PoolKudos

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
WEEK = 7 * 24 * 3600


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


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


def test_a_week_runs_monday_to_monday_in_local_time():
    wednesday = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)
    period = domain.period_of(wednesday, WEEK, AMSTERDAM)
    assert period.start == datetime(2026, 3, 8, 23, 0, tzinfo=UTC)  # Monday 9 March 00:00 CET
    assert period.end == datetime(2026, 3, 15, 23, 0, tzinfo=UTC)


def test_the_week_summer_time_starts_is_an_hour_shorter_and_the_next_one_starts_at_local_midnight():
    period = domain.period_of(datetime(2026, 3, 25, tzinfo=UTC), WEEK, AMSTERDAM)
    assert period.start == datetime(2026, 3, 22, 23, 0, tzinfo=UTC)  # CET
    assert period.end == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)  # CEST
    assert period.end - period.start == timedelta(days=7, hours=-1)


def test_the_last_finished_period_is_the_one_before_now():
    now = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)
    last = domain.last_finished_period(now, WEEK, AMSTERDAM)
    assert last.end == domain.period_of(now, WEEK, AMSTERDAM).start
    assert last.start == datetime(2026, 3, 1, 23, 0, tzinfo=UTC)


def test_periods_shorter_than_a_day_count_seconds_in_utc():
    period = domain.period_of(datetime(2026, 3, 11, 12, 0, 7, 500, tzinfo=UTC), 5, AMSTERDAM)
    assert (period.start, period.end) == (
        datetime(2026, 3, 11, 12, 0, 5, tzinfo=UTC),
        datetime(2026, 3, 11, 12, 0, 10, tzinfo=UTC),
    )


@given(
    at=st.datetimes(min_value=datetime(2024, 1, 2), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)),
    length=st.sampled_from([1, 7, 60, 3600, 24 * 3600, WEEK, 14 * 24 * 3600]),
)
def test_every_moment_falls_in_exactly_one_period_and_periods_tile(at, length):
    period = domain.period_of(at, length, AMSTERDAM)
    assert period.start <= at < period.end
    assert domain.period_of(period.end, length, AMSTERDAM).start == period.end


def test_figures_are_team_level_sums_and_highlight_the_most_reacted_kudos():
    completions = [
        Completion(request_id="r1", minutes_saved=20, on_time=True),
        Completion(request_id="r2", minutes_saved=30, on_time=False),
        Completion(request_id="r3", minutes_saved=0, on_time=True),
        Completion(request_id="r4", minutes_saved=10, on_time=False),
    ]
    kudos = [
        PoolKudos(kudos_id="k1", given_by_pool=True, received_by_pool=True, reactions=1, created_at=_at(10)),
        PoolKudos(kudos_id="k2", given_by_pool=False, received_by_pool=True, reactions=4, created_at=_at(11)),
        PoolKudos(kudos_id="k3", given_by_pool=True, received_by_pool=False, reactions=0, created_at=_at(12)),
        PoolKudos(kudos_id="k4", given_by_pool=False, received_by_pool=True, reactions=1, created_at=_at(13)),
    ]
    f = domain.figures(completions, kudos)
    assert (f.requests_handled, f.minutes_saved, f.requests_on_time, f.on_time_share) == (4, 60, 2, 0.5)
    assert (f.kudos_given, f.kudos_received) == (2, 3)
    assert f.highlight_kudos_ids == ["k2", "k4", "k1"]  # most reactions; a tie goes to the newer


def test_a_quiet_period_has_zeros_and_no_on_time_share():
    f = domain.figures([], [])
    assert (f.requests_handled, f.on_time_share, f.highlight_kudos_ids) == (0, None, [])
