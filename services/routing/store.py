"""Routing's SQL about routed requests, offers and decisions.

A request's single live offer is guarded by a partial unique index (see sql/001), so
replicas never need SERIALIZABLE.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from services.contracts.base import Event
from services.platform import outbox
from services.platform.db import Conn, as_record, as_records
from services.routing import pickup, records, store_rota
from services.routing.decision import Decision, Reason
from services.routing.records import OFFER_COLUMNS, REQUEST_COLUMNS


def urgency_rank(of: str) -> str:
    """An urgency's place in the queue (`of`: the column or a parameter), as the index has it."""
    return f"CASE {of} WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END"


# The pool queue's order: most urgent first, then oldest (the request id only breaks ties).
URGENCY_RANK = urgency_rank("urgency")
QUEUE_ORDER = f"{URGENCY_RANK}, submitted_at, request_id"


async def insert_request(conn: Conn, r: records.NewRequest) -> records.RoutedRequest | None:
    """The new request as stored (and so locked until the commit); None if routing had it."""
    row = await conn.fetchrow(
        f"""INSERT INTO requests (request_id, pool_id, requester_id, skill, min_level, language, urgency,
               work_minutes, submitted_at, pickup_due_at, done_due_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT DO NOTHING RETURNING {REQUEST_COLUMNS}""",
        r.request_id,
        r.pool_id,
        r.requester_id,
        r.skill,
        r.min_level,
        r.language,
        r.urgency,
        r.work_minutes,
        r.submitted_at,
        r.pickup_due_at,
        r.done_due_at,
    )
    return None if row is None else as_record(records.RoutedRequest, row)


async def correct_request(
    conn: Conn, request_id: str, urgency: str, pickup_due_at: datetime | None, done_due_at: datetime | None
) -> str | None:
    """The requester's correction before pick-up: new urgency and due times (a due time the
    event leaves out stays as it was). Returns the request's state, None if unknown or picked up."""
    state: str | None = await conn.fetchval(
        """UPDATE requests SET urgency = $2, pickup_due_at = coalesce($3, pickup_due_at),
                  done_due_at = coalesce($4, done_due_at)
           WHERE request_id = $1 AND state IN ('waiting', 'offered') RETURNING state""",
        request_id,
        urgency,
        pickup_due_at,
        done_due_at,
    )
    return state


async def lock_request(conn: Conn, request_id: str, *, skip_locked: bool = False) -> records.RoutedRequest | None:
    """Lock the routed request; with skip_locked, None if another transaction holds it."""
    lock = "FOR UPDATE SKIP LOCKED" if skip_locked else "FOR UPDATE"
    row = await conn.fetchrow(f"SELECT {REQUEST_COLUMNS} FROM requests WHERE request_id = $1 {lock}", request_id)
    return None if row is None else as_record(records.RoutedRequest, row)


async def set_request_state(conn: Conn, request_id: str, state: str, *, lead_queue: bool | None = None) -> int:
    """Set the routed request's state; returns routing's new version for it."""
    version: int = await conn.fetchval(
        """UPDATE requests SET state = $2, version = version + 1,
               lead_queue = coalesce($3, lead_queue),
               queued_at = CASE WHEN $2 = 'waiting' THEN coalesce(queued_at, now()) ELSE NULL END
           WHERE request_id = $1 RETURNING version""",
        request_id,
        state,
        lead_queue,
    )
    return version


async def waiting_requests(conn: Conn, pool_id: str, limit: int = 50) -> list[records.Waiting]:
    """The pool queue, most urgent first, then oldest; skips rows another replica is routing."""
    rows = await conn.fetch(
        f"""SELECT request_id, skill, min_level, language,
               EXISTS (SELECT 1 FROM offers o WHERE o.request_id = r.request_id) AS refused
           FROM requests r WHERE pool_id = $1 AND state = 'waiting'
           ORDER BY {QUEUE_ORDER}
           LIMIT $2""",
        pool_id,
        limit,
    )
    return as_records(records.Waiting, rows)


async def insert_offer(
    conn: Conn,
    *,
    offer_id: UUID,
    request_id: str,
    member_id: str,
    status: str,
    development: bool,
    buddy_id: str | None,
    expires_at: datetime,
) -> None:
    """The offer carries its request's pool, skill and work estimate (what a decision reads)."""
    await conn.execute(
        "INSERT INTO offers (id, request_id, member_id, status, development, buddy_id, expires_at,"
        " pool_id, skill, work_minutes)"
        " SELECT $1, $2, $3, $4, $5, $6, $7, r.pool_id, r.skill, r.work_minutes FROM requests r WHERE r.request_id = $2",
        offer_id,
        request_id,
        member_id,
        status,
        development,
        buddy_id,
        expires_at,
    )


async def lock_offer(conn: Conn, offer_id: UUID) -> records.Offer | None:
    row = await conn.fetchrow(f"SELECT {OFFER_COLUMNS} FROM offers WHERE id = $1 FOR UPDATE", offer_id)
    return None if row is None else as_record(records.Offer, row)


async def live_offer(conn: Conn, request_id: str) -> records.Offer | None:
    row = await conn.fetchrow(
        f"SELECT {OFFER_COLUMNS} FROM offers WHERE request_id = $1 AND status IN ('open', 'accepted') FOR UPDATE",
        request_id,
    )
    return None if row is None else as_record(records.Offer, row)


async def answer_offer(conn: Conn, offer_id: UUID, status: str, reason: str = "") -> None:
    await conn.execute(
        "UPDATE offers SET status = $2, reason = $3, answered_at = now() WHERE id = $1",
        offer_id,
        status,
        reason,
    )


async def accept_offer(conn: Conn, offer_id: UUID, request_id: str, accepted: Event) -> int:
    """The member takes the offer on: the offer is accepted, the request assigned and the event
    `accepted` written to the outbox in one statement; returns routing's new version of the
    request (call with it locked: the event names that version already)."""
    version: int = await conn.fetchval(
        f"""WITH answered AS (UPDATE offers SET status = 'accepted', reason = '', answered_at = now() WHERE id = $1),
                announced AS ({outbox.INSERT_INTO} VALUES ($3, $4, $5))
           UPDATE requests SET state = 'assigned', version = version + 1, queued_at = NULL
           WHERE request_id = $2 RETURNING version""",
        offer_id,
        request_id,
        *outbox.row(accepted),
    )
    return version


async def expired_offers(conn: Conn, now: datetime, limit: int = 50) -> list[records.Offer]:
    rows = await conn.fetch(
        f"SELECT {OFFER_COLUMNS} FROM offers WHERE status = 'open' AND expires_at <= $1"
        " ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED",
        now,
        limit,
    )
    return as_records(records.Offer, rows)


async def open_offers_of(conn: Conn, member_id: str, *, with_accepted: bool = False) -> list[records.Offer]:
    """The member's open offers (and, if asked, the work they accepted), locked."""
    statuses = ["open", "accepted"] if with_accepted else ["open"]
    rows = await conn.fetch(
        f"SELECT {OFFER_COLUMNS} FROM offers WHERE member_id = $1 AND status = ANY($2) ORDER BY created_at FOR UPDATE",
        member_id,
        statuses,
    )
    return as_records(records.Offer, rows)


async def offers_for_member(conn: Conn, member_id: str) -> list[records.MemberOffer]:
    rows = await conn.fetch(
        """SELECT o.id, o.request_id, o.member_id, o.status, o.development, o.buddy_id, o.expires_at,
               r.skill, r.urgency
           FROM offers o JOIN requests r USING (request_id)
           WHERE o.member_id = $1 AND o.status IN ('open', 'accepted') ORDER BY o.created_at""",
        member_id,
    )
    return as_records(records.MemberOffer, rows)


async def decision_context(
    conn: Conn, request_id: str, pool_id: str, at: datetime, window: int = 100
) -> records.DecisionContext:
    """What a decision reads besides the members, in one round trip: the pool's policy (None:
    the defaults), who refused this request, `development_share`'s figure, the work the
    pool's members hold (open offers and accepted work, summed per member and skill, and the
    piece each accepted first), and the pool's rota at `at` (its holidays, its active members'
    absences not ended yet)."""
    row = await conn.fetchrow(
        f"""SELECT (SELECT policy FROM policies WHERE pool_id = $2) AS policy,
                  coalesce((SELECT array_agg(member_id) FROM offers
                            WHERE request_id = $1 AND status IN ('declined', 'expired', 'withdrawn')), '{{}}') AS refused,
                  (SELECT coalesce(avg(CASE WHEN development THEN 1.0 ELSE 0.0 END), 0)::float8 FROM (
                       SELECT development FROM decisions WHERE pool_id = $2 AND member_id IS NOT NULL
                       ORDER BY id DESC LIMIT $3) d) AS development_share,
                  coalesce((SELECT jsonb_agg(h) FROM (
                       SELECT member_id, skill, sum(work_minutes)::float8 AS minutes,
                              coalesce(sum(work_minutes) FILTER (WHERE status = 'accepted'), 0)::float8 AS accepted_minutes
                       FROM offers WHERE pool_id = $2 AND status IN ('open', 'accepted') GROUP BY member_id, skill) h),
                           '[]') AS held,
                  coalesce((SELECT jsonb_agg(s) FROM (
                       SELECT DISTINCT ON (member_id) member_id, skill, work_minutes::float8 AS work_minutes,
                              coalesce(answered_at, created_at) AS accepted_at
                       FROM offers WHERE pool_id = $2 AND status = 'accepted'
                       ORDER BY member_id, coalesce(answered_at, created_at), id) s), '[]') AS started,
                  {store_rota.rota_columns("$2", "IN (SELECT id FROM members WHERE pool_id = $2 AND active)", "$4")}""",
        request_id,
        pool_id,
        window,
        at,
    )
    assert row is not None
    found = dict(row)
    found["rota"] = {name: found.pop(name) for name in ("country", "changes", "absences")}
    return msgspec.convert(found, records.DecisionContext)  # times and days in jsonb come as ISO text


# A decision as kept: only codes and counts, never a score per person, never who declined.
# Its eight values ($1–$8): decision_values. store_offered.offer_made writes them with its offer.
DECISION_INTO = "INSERT INTO decisions (request_id, pool_id, member_id, development, buddy_id, why, reasons, others)"
INSERT_DECISION = f"{DECISION_INTO} VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"


def decision_values(request_id: str, pool_id: str, decision: Decision) -> tuple[Any, ...]:
    return (
        request_id,
        pool_id,
        decision.member_id,
        decision.development,
        decision.buddy_id,
        decision.why(),
        decision.reasons,
        decision.others,
    )


async def record_decision(conn: Conn, request_id: str, pool_id: str, decision: Decision) -> None:
    await conn.execute(INSERT_DECISION, *decision_values(request_id, pool_id, decision))


async def latest_decision(conn: Conn, request_id: str) -> records.RecordedDecision | None:
    row = await conn.fetchrow(
        "SELECT at, member_id, development, buddy_id, reasons, others FROM decisions"
        " WHERE request_id = $1 ORDER BY id DESC LIMIT 1",
        request_id,
    )
    if row is None:
        return None
    found = as_record(records.RecordedDecision, row)
    return msgspec.structs.replace(found, reasons=msgspec.convert(found.reasons, list[Reason]))


async def count_decisions(conn: Conn, request_id: str) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM decisions WHERE request_id = $1", request_id))


async def announced_pickup(conn: Conn, request_id: str) -> records.Announced:
    row = await conn.fetchrow(
        "SELECT pickup_basis AS basis, pickup_earliest AS earliest, pickup_latest AS latest,"
        " pickup_announced_at AS at FROM requests WHERE request_id = $1",
        request_id,
    )
    if row is None:
        return records.Announced(basis=None, earliest=None, latest=None, at=None)
    return as_record(records.Announced, row)


def announced_in(req: records.RoutedRequest) -> records.Announced:
    """The announced pick-up a request holds (the locked row: no second read)."""
    return records.Announced(
        basis=req.pickup_basis, earliest=req.pickup_earliest, latest=req.pickup_latest, at=req.pickup_announced_at
    )


async def set_pickup(
    conn: Conn, request_id: str, *, basis: str, earliest: datetime | None, latest: datetime | None
) -> int:
    """Remember the announced pick-up; returns routing's new version for the request."""
    version: int = await conn.fetchval(
        """UPDATE requests SET pickup_basis = $2, pickup_earliest = $3, pickup_latest = $4,
               pickup_announced_at = now(), version = version + 1
           WHERE request_id = $1 RETURNING version""",
        request_id,
        basis,
        earliest,
        latest,
    )
    return version


async def touch_pickup(conn: Conn, request_id: str) -> None:
    """The estimate held: note that it was checked, without announcing it again."""
    await conn.execute("UPDATE requests SET pickup_announced_at = now() WHERE request_id = $1", request_id)


async def stale_pickups(conn: Conn, older_than: datetime, limit: int = 50) -> list[str]:
    """Waiting requests whose announced pick-up is older than `older_than` (to announce again)."""
    rows = await conn.fetch(
        """SELECT request_id FROM requests WHERE state = 'waiting'
               AND (pickup_announced_at IS NULL OR pickup_announced_at <= $1)
           ORDER BY pickup_announced_at NULLS FIRST LIMIT $2""",
        older_than,
        limit,
    )
    return [request_id for (request_id,) in rows]


async def queue_of(conn: Conn, pool_id: str, *, lead_only: bool = False) -> list[records.RoutedRequest]:
    """The pool's waiting requests (or only the lead's), in the order they will be offered."""
    rows = await conn.fetch(
        f"""SELECT {REQUEST_COLUMNS} FROM requests WHERE pool_id = $1 AND state = 'waiting' AND ($2 = false OR lead_queue)
           ORDER BY {QUEUE_ORDER}""",
        pool_id,
        lead_only,
    )
    return as_records(records.RoutedRequest, rows)


_AHEAD = f"""FROM requests WHERE pool_id = $1 AND state = 'waiting'
              AND ({URGENCY_RANK}, submitted_at, request_id) < ({urgency_rank("$2::text")}, $3, $4)"""
# $1 pool, $2 urgency, $3 submitted at, $4 request id (the arrival's); $5 how many one by one.
NEEDS_AHEAD = f"""(SELECT true, skill, min_level, language, work_minutes::float8, 1 {_AHEAD} ORDER BY {QUEUE_ORDER} LIMIT $5)
    UNION ALL
    (SELECT false, skill, min_level, language, sum(work_minutes)::float8, count(*)::int {_AHEAD}
     GROUP BY skill, min_level, language)"""


async def needs_ahead(conn: Conn, req: records.RoutedRequest) -> list[pickup.Ahead]:
    """What the requests before `req` in its pool queue need: the first `pickup.PLAYED` in the
    order they will be offered, one by one, then the rest summed by their needs (see Ahead).
    The first are read in index order and the rest counted without sorting: a snowed-under
    pool's queue is not sorted on every arrival."""
    rows = await conn.fetch(
        NEEDS_AHEAD,
        req.pool_id,
        req.urgency,
        req.submitted_at,
        req.request_id,
        pickup.PLAYED,
    )
    first = [pickup.Ahead(*row[1:]) for row in rows if row[0]]
    # The totals count the first too: what is left of each kind is the rest.
    played: dict[tuple[str, int, str], tuple[float, int]] = {}
    for a in first:
        minutes, count = played.get((a.skill, a.min_level, a.language), (0.0, 0))
        played[(a.skill, a.min_level, a.language)] = (minutes + a.base_minutes, count + 1)
    rest = []
    for _, skill, min_level, language, minutes, count in sorted(row for row in rows if not row[0]):
        minutes_played, count_played = played.get((skill, min_level, language), (0.0, 0))
        if count > count_played:
            rest.append(pickup.Ahead(skill, min_level, language, minutes - minutes_played, count - count_played))
    return first + rest


async def due_for_lead(conn: Conn, older_than: datetime, limit: int = 50) -> list[records.RoutedRequest]:
    """Waiting requests not yet with the lead that waited too long or are at risk."""
    rows = await conn.fetch(
        f"""SELECT {REQUEST_COLUMNS} FROM requests WHERE state = 'waiting' AND NOT lead_queue
               AND (queued_at <= $1 OR sla_at_risk)
           ORDER BY submitted_at LIMIT $2 FOR UPDATE SKIP LOCKED""",
        older_than,
        limit,
    )
    return as_records(records.RoutedRequest, rows)


async def mark_sla_at_risk(conn: Conn, request_id: str) -> None:
    await conn.execute("UPDATE requests SET sla_at_risk = true WHERE request_id = $1", request_id)


async def routed_request(conn: Conn, request_id: str) -> records.RoutedRequest | None:
    row = await conn.fetchrow(f"SELECT {REQUEST_COLUMNS} FROM requests WHERE request_id = $1", request_id)
    return None if row is None else as_record(records.RoutedRequest, row)


async def pools_with_waiting(conn: Conn) -> list[str]:
    rows = await conn.fetch("SELECT DISTINCT pool_id FROM requests WHERE state = 'waiting'")
    return [pool_id for (pool_id,) in rows]
