"""Routing's service layer for members: presence, learning goals, skill levels set by the
pool (one member proposes, another confirms) or grown by completed work."""

from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from services.contracts.routing_api import Profile
from services.platform.db import Conn
from services.platform.errors import Conflict, Forbidden, Invalid, NotFound
from services.platform.tokens import Caller
from services.routing import assignment, domain, records, rota, store, store_members


async def set_presence(
    conn: Conn, member_id: str, presence: str, *, hand_back_work: bool = False, zone: ZoneInfo
) -> records.Member:
    """Going away or off duty hands back open offers at once, to the next candidates; with
    `hand_back_work` (the member's consent) accepted work too."""
    row = await store_members.set_presence(conn, member_id, presence)
    if row is None:
        raise NotFound("you are not a member of a pool")
    if presence != "available":
        for offer in await store.open_offers_of(conn, member_id, with_accepted=hand_back_work):
            req = await store.lock_request(conn, offer.request_id)
            assert req is not None
            reason = f"member went {presence.replace('_', ' ')}"
            await assignment.hand_back(conn, offer, req, status="withdrawn", reason=reason, zone=zone)
    else:
        await assignment.drain_queue(conn, row.pool_id, zone=zone)
    return row


async def set_profile(
    conn: Conn, caller: Caller, member_id: str, profile: Profile, *, zone: ZoneInfo
) -> records.Member:
    """The lead or an admin sets languages and capacity; a member may set their own languages."""
    pool_id = await rota.member_for(conn, caller, member_id)
    arranges = caller.has("admin") or (caller.has("lead") and caller.in_pool(pool_id))
    if profile.capacity is not None and not arranges:
        raise Forbidden("only the pool's lead or an admin sets a member's capacity")
    languages = None if profile.languages is None else sorted(set(profile.languages))
    row = await store_members.set_profile(conn, member_id, languages, profile.capacity)
    assert row is not None
    await assignment.drain_queue(conn, pool_id, zone=zone)
    return row


async def set_learning(conn: Conn, member_id: str, skills: list[str]) -> records.Member:
    row = await store_members.set_learning(conn, member_id, sorted(set(skills)))
    if row is None:
        raise NotFound("you are not a member of a pool")
    return row


async def _of_pool(conn: Conn, caller: Caller, pool_id: str) -> bool:
    """A member of the pool, or its lead: both may propose and confirm levels (never their own proposal)."""
    if caller.has("lead") and caller.in_pool(pool_id):
        return True
    me = await store_members.member(conn, caller.account_id)
    return me is not None and me.active and me.pool_id == pool_id


async def propose_level(
    conn: Conn, caller: Caller, member_id: str, skill: str, level: int, why: str
) -> records.Proposal:
    subject = await store_members.member(conn, member_id)
    if subject is None:
        raise NotFound("no such member")
    if not await _of_pool(conn, caller, subject.pool_id):
        raise Forbidden("only members and leads of the same pool propose skill levels")
    return await store_members.propose_skill(
        conn,
        records.NewProposal(
            id=uuid4(),
            pool_id=subject.pool_id,
            member_id=member_id,
            skill=skill,
            level=level,
            proposed_by=caller.account_id,
            why=why,
        ),
    )


async def confirm_level(conn: Conn, caller: Caller, proposal_id: UUID, *, zone: ZoneInfo) -> records.Proposal:
    """Another member of the pool confirms; the proposer cannot confirm their own proposal."""
    proposal = await store_members.lock_proposal(conn, proposal_id)
    if proposal is None:
        raise NotFound("no such proposal")
    if proposal.status != "open":
        raise Conflict(f"this proposal is already {proposal.status}")
    if not await _of_pool(conn, caller, proposal.pool_id):
        raise Forbidden("only members and leads of the same pool confirm skill levels")
    if caller.account_id == proposal.proposed_by:
        raise Invalid("confirmed_by: another member must confirm what you proposed")
    await store_members.set_skill_level(conn, proposal.member_id, proposal.skill, proposal.level)
    decided = await store_members.decide_proposal(conn, proposal_id, "confirmed", caller.account_id)
    assert decided is not None  # locked above
    await assignment.drain_queue(conn, proposal.pool_id, zone=zone)
    return decided


async def record_completion(conn: Conn, member_id: str, requester_id: str, skill: str) -> None:
    """Completed work feeds continuity and experience; enough experience raises the level."""
    done = await store_members.record_service(conn, member_id, requester_id, skill)
    row = await store_members.member(conn, member_id)
    if row is None:
        return
    level = int(row.skills.get(skill, 0))
    raised = domain.level_after_completion(level, done)
    if raised != level:
        await store_members.set_skill_level(conn, member_id, skill, raised, source="experience")
