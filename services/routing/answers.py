"""Routing's answers: how its records become the HTTP shapes of services/contracts/routing_api.py."""

from services.contracts.routing_api import (
    DecisionView,
    MemberView,
    MyProfile,
    OfferView,
    ProposalView,
    ReasonView,
    TrialView,
)
from services.routing import records


def member_view(m: records.Member, *, shift: str = "on shift") -> MemberView:
    return MemberView(
        id=m.id,
        pool_id=m.pool_id,
        name=m.name,
        skills=m.skills,
        learning=list(m.learning),
        languages=list(m.languages),
        capacity=m.capacity,
        presence=m.presence,
        shift=shift,
    )


def my_profile(m: records.Member) -> MyProfile:
    return MyProfile(
        id=m.id,
        pool_id=m.pool_id,
        name=m.name,
        skills=m.skills,
        learning=list(m.learning),
        languages=list(m.languages),
        capacity=m.capacity,
        presence=m.presence,
        experience=m.experience,
        open_count=m.open_count,
    )


def offer_view(r: records.MemberOffer) -> OfferView:
    return OfferView(
        id=r.id,
        request_id=r.request_id,
        member_id=r.member_id,
        status=r.status,
        development=r.development,
        buddy_id=r.buddy_id,
        expires_at=r.expires_at,
        skill=r.skill,
        urgency=r.urgency,
    )


def decision_view(d: records.RecordedDecision, earlier: int) -> DecisionView:
    return DecisionView(
        at=d.at,
        member_id=d.member_id,
        development=d.development,
        buddy_id=d.buddy_id,
        reasons=[ReasonView(r.code, r.minutes, r.skill, r.level, r.language) for r in d.reasons],
        others=d.others,
        offers_before=earlier,
    )


def proposal_view(r: records.Proposal) -> ProposalView:
    return ProposalView(
        id=r.id,
        member_id=r.member_id,
        skill=r.skill,
        level=r.level,
        proposed_by=r.proposed_by,
        why=r.why,
        status=r.status,
        confirmed_by=r.confirmed_by,
        created_at=r.created_at,
    )


def trial_view(t: records.Trial) -> TrialView:
    return TrialView(
        id=t.id,
        pool_id=t.pool_id,
        status=t.status,
        progress=t.progress,
        weeks=t.weeks,
        changes=t.changes,
        proposed=t.proposed,
        result=t.result,
        error=t.error,
        created_at=t.created_at,
    )
