"""Recognition's pure rules: who may be thanked, reactions, the daily allowance, prompts,
digest periods and a digest's team-level figures. No I/O.

Messages are kept exactly as typed (no trimming, no normalisation, no HTML handling):
JSON carries them as data and the pwa escapes them when it renders.
"""

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import msgspec

from services.contracts.recognition_api import MESSAGE_MAX
from services.platform.refusals import Invalid

REACTIONS: tuple[str, ...] = ("👏", "❤️", "🎉", "🙏")
# A heart typed without its emoji variation selector is the same reaction.
_REACTION_ALIASES = {"❤": "❤️"}
# Roles whose holders work in the pools their token names (staff only send requests there).
POOL_ROLES = frozenset({"secretary", "lead"})
# Periods are counted from a Monday, so weekly digests run Monday to Monday.
PERIOD_ANCHOR = date(2024, 1, 1)
DAY = 24 * 3600
# What the one-tap thanks says when the requester types nothing.
SUGGESTED_THANKS = {"nl": "Dank je wel voor je hulp!", "en": "Thank you for your help!"}


class LimitReached(Exception):
    """The giver used up today's kudos (HTTP 429); the message says when they can give again."""


def may_moderate(roles: Iterable[str]) -> bool:
    return bool({"lead", "admin"}.intersection(roles))


def may_moderate_kudos(roles: Iterable[str], caller_pools: Iterable[str], kudos_pools: Iterable[str]) -> bool:
    """An admin moderates any kudos; a lead only one that touches a pool they lead (given from,
    received in or addressed to it), so a lead of another pool cannot hide this pool's thanks."""
    roles = set(roles)
    return "admin" in roles or ("lead" in roles and bool(set(caller_pools).intersection(kudos_pools)))


def moderated_pools(roles: Iterable[str], caller_pools: Iterable[str]) -> list[str] | None:
    """The pools whose reports a moderator sees: None for an admin (all of them)."""
    return None if "admin" in set(roles) else sorted(caller_pools)


def check_message(message: str) -> str:
    if not 1 <= len(message) <= MESSAGE_MAX:
        raise Invalid(f"message: write 1 to {MESSAGE_MAX} characters")
    if not message.strip():
        raise Invalid("message: write a few words of thanks, not only spaces")
    if "\x00" in message:
        raise Invalid("message: contains a NUL character, which cannot be stored")
    return message


def recipients(giver_id: str, recipient_ids: Iterable[str], pool_id: str | None) -> list[str]:
    """The colleagues thanked, each once, in the order given; refuses thanking yourself."""
    unique = list(dict.fromkeys(recipient_ids))
    if giver_id in unique:
        raise Invalid("recipient_ids: kudos are for others, not for yourself")
    if not unique and pool_id is None:
        raise Invalid("recipient_ids: name at least one colleague, or give pool_id to thank a whole pool")
    return unique


def reaction(emoji: str) -> str:
    canonical = _REACTION_ALIASES.get(emoji, emoji)
    if canonical not in REACTIONS:
        raise Invalid(f"emoji: choose one of {' '.join(REACTIONS)}")
    return canonical


def working_pools(roles: Iterable[str], pools: Iterable[str]) -> list[str]:
    """The pools someone works in, judged by their token: members and leads, not staff."""
    return sorted(pools) if POOL_ROLES.intersection(roles) else []


def pools_touched(giver_pools: Iterable[str], recipient_pools: Iterable[str], pool_id: str | None) -> list[str]:
    return sorted({*giver_pools, *recipient_pools, *([pool_id] if pool_id else [])})


def prompt_recipients(requester_id: str, member_id: str | None, helper_ids: Sequence[str]) -> list[str]:
    """Everyone who worked on a request (member, buddy, whoever handed over), each once,
    never the requester themself."""
    workers = [member_id, *helper_ids] if member_id else list(helper_ids)
    return [w for w in dict.fromkeys(workers) if w and w != requester_id]


def day_start(now: datetime, zone: ZoneInfo) -> datetime:
    """Local midnight of `now`'s day in the organisation's time zone, in UTC."""
    local = now.astimezone(zone)
    return datetime.combine(local.date(), time(0), zone).astimezone(UTC)


def check_allowance(given_today: int, limit: int) -> None:
    if given_today >= limit:
        raise LimitReached(f"You have given {limit} kudos today, the most for one day. You can give more tomorrow.")


class Period(msgspec.Struct, frozen=True):
    start: datetime
    end: datetime


def period_of(at: datetime, length_seconds: int, zone: ZoneInfo) -> Period:
    """The digest period holding `at`. Whole-day lengths follow the local calendar (so a week
    is Monday 00:00 to Monday 00:00 local time, across summer time); others count seconds in UTC."""
    if length_seconds % DAY == 0:
        days = length_seconds // DAY
        k = (at.astimezone(zone).date() - PERIOD_ANCHOR).days // days
        first = PERIOD_ANCHOR + timedelta(days=k * days)
        start = datetime.combine(first, time(0), zone)
        end = datetime.combine(first + timedelta(days=days), time(0), zone)
        return Period(start.astimezone(UTC), end.astimezone(UTC))
    epoch = datetime.combine(PERIOD_ANCHOR, time(0), UTC)
    k = int((at - epoch).total_seconds() // length_seconds)
    start = epoch + timedelta(seconds=k * length_seconds)
    return Period(start, start + timedelta(seconds=length_seconds))


def last_finished_period(now: datetime, length_seconds: int, zone: ZoneInfo) -> Period:
    current = period_of(now, length_seconds, zone)
    return period_of(current.start - timedelta(microseconds=1), length_seconds, zone)


class Completion(msgspec.Struct, frozen=True):
    request_id: str
    minutes_saved: int
    on_time: bool  # intake's verdict: done by the (pause-adjusted) due time


class PoolKudos(msgspec.Struct, frozen=True):
    kudos_id: str
    given_by_pool: bool
    received_by_pool: bool
    reactions: int
    created_at: datetime


class Figures(msgspec.Struct, frozen=True):
    requests_handled: int
    minutes_saved: int
    requests_on_time: int
    on_time_share: float | None
    kudos_given: int
    kudos_received: int
    highlight_kudos_ids: list[str]


def figures(completions: Sequence[Completion], kudos: Sequence[PoolKudos], highlights: int = 3) -> Figures:
    """A pool's period in team-level numbers; the on-time share is of the requests handled.
    Highlights: most reactions, then newest."""
    on_time = sum(1 for c in completions if c.on_time)
    ranked = sorted(kudos, key=lambda k: (-k.reactions, -k.created_at.timestamp(), k.kudos_id))
    return Figures(
        requests_handled=len(completions),
        minutes_saved=sum(c.minutes_saved for c in completions),
        requests_on_time=on_time,
        on_time_share=round(on_time / len(completions), 4) if completions else None,
        kudos_given=sum(1 for k in kudos if k.given_by_pool),
        kudos_received=sum(1 for k in kudos if k.received_by_pool),
        highlight_kudos_ids=[k.kudos_id for k in ranked[:highlights]],
    )
