"""Recognition's read side: kudos as people see them — the public wall, one kudos, my thanks —
with reactions tallied per kudos and the finished request each belongs to."""

from collections.abc import Sequence
from uuid import UUID

from services.contracts.recognition_api import AuditEntry, KudosView, ReportedKudos, WallPage
from services.platform.db import Conn
from services.platform.errors import Forbidden, NotFound
from services.platform.tokens import Caller
from services.recognition import domain, records, store, store_work
from services.recognition.answers import kudos_view


async def present(
    conn: Conn, rows: Sequence[records.Kudos], viewer: Caller, *, show_hidden: bool = False
) -> list[KudosView]:
    ids = [r.id for r in rows]
    tallies = await store.reaction_tallies(conn, ids)
    mine = await store.reactions_of(conn, viewer.account_id, ids)
    requests = await store_work.finished_requests(conn, [r.request_id for r in rows if r.request_id])
    return [
        kudos_view(
            r,
            tallies=tallies.get(r.id),
            mine=mine.get(r.id),
            request=requests.get(r.request_id or ""),
            show_hidden=show_hidden,
        )
        for r in rows
    ]


async def page(
    conn: Conn, viewer: Caller, *, limit: int, before: UUID | None, pool_id: str | None, value_id: str | None
) -> WallPage:
    rows = await store.wall(conn, limit=limit + 1, before=before, pool_id=pool_id, value_id=value_id)
    items = await present(conn, rows[:limit], viewer)
    return WallPage(items=items, next_before=items[-1].id if len(rows) > limit else None)


async def one(conn: Conn, viewer: Caller, kudos_id: UUID) -> KudosView:
    """A kudos on the wall; once hidden, only its giver, its recipients and moderators see it
    (with who hid it and why)."""
    row = await store.get_kudos(conn, kudos_id)
    if row is None:
        raise NotFound("no such kudos")
    if row.hidden_at is not None:
        involved = viewer.account_id == row.giver_id or viewer.account_id in row.recipient_ids
        if not (involved or domain.may_moderate_kudos(viewer.roles, viewer.pools, row.pools)):
            raise NotFound("no such kudos")
    return (await present(conn, [row], viewer, show_hidden=True))[0]


async def received(conn: Conn, viewer: Caller, *, limit: int, before: UUID | None) -> WallPage:
    """My thanks: kudos naming me, or thanking a pool I work in; private to me."""
    pools = domain.working_pools(viewer.roles, viewer.pools)
    rows = await store.received_by(conn, viewer.account_id, pools, limit=limit + 1, before=before)
    items = await present(conn, rows[:limit], viewer)
    return WallPage(items=items, next_before=items[-1].id if len(rows) > limit else None)


async def reported(conn: Conn, viewer: Caller, limit: int) -> list[ReportedKudos]:
    rows = await store.open_reports(conn, limit, domain.moderated_pools(viewer.roles, viewer.pools))
    views = await present(conn, rows, viewer, show_hidden=True)
    return [
        ReportedKudos(kudos=v, reasons=[x for x in r.reasons if x], first_reported_at=r.first_reported_at)
        for v, r in zip(views, rows, strict=True)
    ]


async def audit_trail(conn: Conn, viewer: Caller, kudos_id: UUID) -> list[AuditEntry]:
    row = await store.get_kudos(conn, kudos_id)
    if row is None:
        raise NotFound("no such kudos")
    if not domain.may_moderate_kudos(viewer.roles, viewer.pools, row.pools):
        raise Forbidden("only a lead of a pool this kudos touches, or an admin, can read its audit trail")
    return [
        AuditEntry(at=a.at, actor_id=a.actor_id, action=a.action, detail=a.detail)
        for a in await store.audit_of(conn, kudos_id)
    ]
