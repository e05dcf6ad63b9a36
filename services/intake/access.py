"""Who may see and do what with a request (pure: the caller's token and the request's row).

Team figures, never personal ones: once a request is closed, only the people on it (its
requester, the member, buddy and helpers) still see who worked on it and how it was rated.
Everyone else in the pool — the lead included — sees the request without people or rating,
so no list of closed requests adds up to a per-person count, time or rating.
"""

from typing import TypeVar

from services.intake import records
from services.intake.domain import CLOSED
from services.platform.api_keys import INTEGRATION
from services.platform.errors import Forbidden, NotFound
from services.platform.tokens import Caller

Row = records.Request
R = TypeVar("R", bound=records.Request)


def is_requester(caller: Caller, row: Row) -> bool:
    return caller.account_id in (row.requester_id, row.on_behalf_of)


def works_on(caller: Caller, row: Row) -> bool:
    me = caller.account_id
    return me in (row.member_id, row.buddy_id) or me in (row.helper_ids or ())


def is_lead(caller: Caller, pool_id: str) -> bool:
    return caller.has("lead") and caller.in_pool(pool_id)


def is_pool_member(caller: Caller, pool_id: str) -> bool:
    """A secretary of the pool, or an integration's key for it (it reads what members read;
    its writes are limited by the platform, see services.platform.api_keys)."""
    return (caller.has("secretary") or caller.has(INTEGRATION)) and caller.in_pool(pool_id)


def sees_pool(caller: Caller, pool_id: str) -> bool:
    return is_lead(caller, pool_id) or is_pool_member(caller, pool_id)


def can_see(caller: Caller, row: Row) -> bool:
    return is_requester(caller, row) or works_on(caller, row) or sees_pool(caller, row.pool_id)


def sees_people(caller: Caller, row: Row) -> bool:
    """Whether the caller sees who worked on the request (and its rating)."""
    return row.status not in CLOSED or is_requester(caller, row) or works_on(caller, row)


def names_actor(caller: Caller, row: Row, actor_id: str | None) -> bool:
    """Whether the caller sees who took a step. Beyond sees_people: the requester's own steps
    (the request names its requester to everyone who may see it) and the caller's own."""
    return sees_people(caller, row) or (
        actor_id is not None and actor_id in (row.requester_id, row.on_behalf_of, caller.account_id)
    )


def visible(row: R | None, caller: Caller) -> R:
    """The request, if the caller may see it; 404 / 403 otherwise."""
    if row is None:
        raise NotFound("no such request")
    if not can_see(caller, row):
        raise Forbidden("this request belongs to someone else")
    return row


def require_pool_view(caller: Caller, pool_id: str) -> None:
    if not sees_pool(caller, pool_id):
        raise Forbidden(f"only members and leads of {pool_id} see its requests")


def require_lead(caller: Caller, pool_id: str) -> None:
    if not is_lead(caller, pool_id):
        raise Forbidden(f"only a lead of {pool_id} may do this")


def require_catalogue_keeper(caller: Caller, pool_id: str) -> None:
    """Request types are set by the pool's leads, and by admins (an organisation going live)."""
    if not (is_lead(caller, pool_id) or caller.has("admin")):
        raise Forbidden(f"only a lead of {pool_id} or an admin may do this")


def require_member_on(caller: Caller, row: Row) -> None:
    if caller.account_id != row.member_id:
        raise Forbidden("only the member on this request can change its status")


def require_requester(caller: Caller, row: Row, what: str) -> None:
    if not is_requester(caller, row):
        raise Forbidden(f"only the requester can {what}")


def comment_role(caller: Caller, row: Row) -> str:
    """The role a comment is written in; 403 for people who are not part of the request."""
    if is_requester(caller, row):
        return "requester"
    if works_on(caller, row):
        return "member"
    if is_lead(caller, row.pool_id):
        return "lead"
    raise Forbidden("only the requester, the people working on it and the pool's lead can write here")
