"""Recognition's service layer for kudos: give, react, report, hide, keep. Each function is one
change in the caller's transaction — state, audit entry and event (outbox) together, or nothing.
"""

from datetime import UTC, datetime
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from services.contracts.recognition import KudosGiven, KudosHidden, KudosReacted, KudosReported
from services.contracts.recognition_api import NewKudos
from services.platform import outbox
from services.platform.db import Conn
from services.platform.errors import Conflict, Forbidden, Invalid, NotFound
from services.platform.tokens import Caller
from services.recognition import domain, records, store, store_work
from services.recognition.config import RecognitionConfig


def now() -> datetime:
    return datetime.now(UTC)


async def give(
    conn: Conn,
    caller: Caller,
    body: NewKudos,
    config: RecognitionConfig,
    zone: ZoneInfo,
    *,
    prompt_id: UUID | None = None,
) -> records.Kudos:
    """Store a kudos and its KudosGiven; refuses self-thanks, unknown values, unfinished
    requests, and a giver past today's limit (LimitReached; today in the time zone `zone`)."""
    message = domain.check_message(body.message)
    recipient_ids = domain.recipients(caller.account_id, body.recipient_ids, body.pool_id)
    if body.value_id is not None and not await store.active_value(conn, body.value_id):
        raise Invalid(f"value_id: '{body.value_id}' is not one of the organisation's values")
    if body.pool_id is not None and body.pool_id not in caller.pools and await store.pool(conn, body.pool_id) is None:
        raise Invalid(f"pool_id: there is no pool '{body.pool_id}'")
    request = None
    if body.request_id is not None:
        request = await store_work.finished_request(conn, body.request_id)
        if request is None:
            raise Invalid("request_id: kudos can be tied to a finished request only, and this one is not (yet) done")
    await store.lock_giver(conn, caller.account_id)
    domain.check_allowance(
        await store.given_since(conn, caller.account_id, domain.day_start(now(), zone)), config.daily_limit
    )
    giver_pools = domain.working_pools(caller.roles, caller.pools)
    for pool_id in giver_pools:
        await store.note_members(conn, pool_id, [caller.account_id])
    addressed = [p for p in (body.pool_id, request.pool_id if request else None) if p]
    await store.note_pools(conn, addressed)
    to_pools = sorted({*await store.pools_of(conn, recipient_ids), *addressed})
    kudos_id = uuid4()
    given = await store.insert_kudos(
        conn,
        records.NewKudos(
            id=kudos_id,
            giver_id=caller.account_id,
            recipient_ids=recipient_ids,
            pool_id=body.pool_id,
            message=message,
            value_id=body.value_id,
            request_id=body.request_id,
            prompt_id=prompt_id,
            from_pools=giver_pools,
            to_pools=to_pools,
            pools=domain.pools_touched(giver_pools, to_pools, None),
        ),
    )
    await store.audit(conn, kudos_id, caller.account_id, "given")
    await outbox.add(
        conn,
        KudosGiven(
            event_id=uuid4(),
            occurred_at=given.created_at,
            kudos_id=str(kudos_id),
            version=1,
            giver_id=caller.account_id,
            recipient_ids=recipient_ids,
            pool_id=body.pool_id,
            request_id=body.request_id,
            value_id=body.value_id,
            prompt_id=str(prompt_id) if prompt_id else None,
            pool_ids=list(given.pools),
        ),
    )
    return given


async def _on_wall(conn: Conn, kudos_id: UUID) -> records.Kudos:
    """The kudos, locked for this change; hidden kudos are gone for everyone but moderators."""
    row = await store.get_kudos(conn, kudos_id, for_update=True)
    if row is None or row.hidden_at is not None:
        raise NotFound("no such kudos on the wall")
    return row


async def react(conn: Conn, caller: Caller, kudos_id: UUID, emoji: str) -> None:
    """Set (or change) the caller's one reaction; the same reaction again changes nothing."""
    chosen = domain.reaction(emoji)
    row = await _on_wall(conn, kudos_id)
    if await store.set_reaction(conn, kudos_id, caller.account_id, chosen) == chosen:
        return
    version = await store.bump_version(conn, kudos_id)
    await outbox.add(
        conn,
        KudosReacted(
            event_id=uuid4(),
            occurred_at=now(),
            kudos_id=str(kudos_id),
            version=version,
            account_id=caller.account_id,
            emoji=chosen,
            giver_id=row.giver_id,
        ),
    )


async def take_back(conn: Conn, caller: Caller, kudos_id: UUID) -> None:
    """Remove the caller's reaction, if any (taking back twice is harmless)."""
    row = await _on_wall(conn, kudos_id)
    removed = await store.delete_reaction(conn, kudos_id, caller.account_id)
    if removed is None:
        return
    version = await store.bump_version(conn, kudos_id)
    await outbox.add(
        conn,
        KudosReacted(
            event_id=uuid4(),
            occurred_at=now(),
            kudos_id=str(kudos_id),
            version=version,
            account_id=caller.account_id,
            emoji=removed,
            withdrawn=True,
            giver_id=row.giver_id,
        ),
    )


async def report(conn: Conn, caller: Caller, kudos_id: UUID, reason: str) -> tuple[records.Report, bool]:
    """Ask the moderators to look; one report per person per kudos (again returns the first)."""
    await _on_wall(conn, kudos_id)
    created = await store.insert_report(conn, uuid4(), kudos_id, caller.account_id, reason)
    if created is None:
        existing = await store.report_by(conn, kudos_id, caller.account_id)
        assert existing is not None
        return existing, False
    version = await store.bump_version(conn, kudos_id)
    await store.audit(conn, kudos_id, caller.account_id, "reported", reason)
    await outbox.add(
        conn,
        KudosReported(
            event_id=uuid4(), occurred_at=now(), kudos_id=str(kudos_id), version=version, report_id=str(created.id)
        ),
    )
    return created, True


def _moderator(caller: Caller) -> None:
    if not domain.may_moderate(caller.roles):
        raise Forbidden("only a lead or an admin can moderate kudos")


async def hide(conn: Conn, caller: Caller, kudos_id: UUID, reason: str) -> None:
    """Take a kudos off the wall (it stays in the audit trail); the giver is told by KudosHidden."""
    _moderator(caller)
    row = await store.get_kudos(conn, kudos_id, for_update=True)
    if row is None:
        raise NotFound("no such kudos")
    _moderates(caller, row)
    if row.hidden_at is not None:
        raise Conflict("this kudos is already hidden")
    version = await store.hide(conn, kudos_id, caller.account_id, reason)
    await store.resolve_reports(conn, kudos_id, "hidden", caller.account_id)
    await store.audit(conn, kudos_id, caller.account_id, "hidden", reason)
    await outbox.add(
        conn,
        KudosHidden(
            event_id=uuid4(),
            occurred_at=now(),
            kudos_id=str(kudos_id),
            version=version,
            giver_id=row.giver_id,
            hidden_by=caller.account_id,
            recipient_ids=list(row.recipient_ids),
        ),
    )


async def keep(conn: Conn, caller: Caller, kudos_id: UUID) -> None:
    """A moderator looked and the kudos stays: its open reports are closed."""
    _moderator(caller)
    row = await store.get_kudos(conn, kudos_id, for_update=True)
    if row is None:
        raise NotFound("no such kudos")
    _moderates(caller, row)
    if await store.resolve_reports(conn, kudos_id, "kept", caller.account_id):
        await store.audit(conn, kudos_id, caller.account_id, "kept")


def _moderates(caller: Caller, row: records.Kudos) -> None:
    if not domain.may_moderate_kudos(caller.roles, caller.pools, row.pools):
        raise Forbidden("only a lead of a pool this kudos touches, or an admin, can moderate it")
