"""The pwa's client for routing: offers, members and their rota, skills and growth, the
pool's policy and its trials, holidays, the lead's queue and why a request went to whom. One
method per endpoint; the page never builds a path."""

from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from pwa.clients.base import ServiceClient
from pwa.gateway import ServiceError
from services.contracts.routing_api import (
    AbsenceView,
    Coverage,
    DecisionView,
    Decline,
    Holiday,
    HolidayName,
    HoursView,
    LeadAssignment,
    Learning,
    MemberView,
    MyGrowth,
    MyProfile,
    OfferView,
    PolicyChangeView,
    PolicyView,
    ProposalView,
    QueuedView,
    TrialView,
)
from services.platform.tokens import Caller

_any = msgspec.json.Decoder()
_offers = msgspec.json.Decoder(list[OfferView])
_queue = msgspec.json.Decoder(list[QueuedView])
_decisions = msgspec.json.Decoder(list[DecisionView])
_me = msgspec.json.Decoder(MyProfile)
_members = msgspec.json.Decoder(list[MemberView])
_proposals = msgspec.json.Decoder(list[ProposalView])
_growth = msgspec.json.Decoder(MyGrowth)
_coverage = msgspec.json.Decoder(list[Coverage])
_hours = msgspec.json.Decoder(HoursView)
_absences = msgspec.json.Decoder(list[AbsenceView])
_holidays = msgspec.json.Decoder(list[Holiday])
_policy = msgspec.json.Decoder(PolicyView)
_policy_changes = msgspec.json.Decoder(list[PolicyChangeView])
_trial = msgspec.json.Decoder(TrialView)


class RoutingClient(ServiceClient):
    service = "routing"

    # Offers

    async def offers_for(self, caller: Caller) -> list[OfferView]:
        return await self._get(_offers, "/v1/members/me/offers", caller)

    async def accept(self, caller: Caller, offer_id: UUID) -> None:
        await self._do("POST", f"/v1/offers/{offer_id}/accept", caller)

    async def decline(self, caller: Caller, offer_id: UUID, reason: str) -> None:
        await self._do("POST", f"/v1/offers/{offer_id}/decline", caller, Decline(reason=reason))

    async def lead_queue(self, caller: Caller, pool_id: str) -> list[QueuedView]:
        return await self._get(_queue, f"/v1/pools/{pool_id}/lead-queue", caller)

    async def assign(self, caller: Caller, request_id: str, member_id: str) -> None:
        await self._do("POST", f"/v1/requests/{request_id}/assign", caller, LeadAssignment(member_id=member_id))

    async def decisions(self, caller: Caller, request_id: str) -> list[DecisionView] | None:
        """Why the request went to whom; None while routing has not heard of the request (it
        learns of a new one a moment after intake: a 404 then means "nothing yet")."""
        try:
            return await self._get(_decisions, f"/v1/requests/{request_id}/decisions", caller)
        except ServiceError as exc:
            if exc.status == 404:
                return None
            raise

    # Members

    async def me(self, caller: Caller) -> MyProfile | None:
        """My member profile; None when I am not a member of a pool (routing's 404 for that)."""
        try:
            return await self._get(_me, "/v1/members/me", caller)
        except ServiceError as exc:
            if exc.status == 404:
                return None
            raise

    async def members(self, caller: Caller, pool_id: str) -> list[MemberView]:
        return await self._get(_members, f"/v1/pools/{pool_id}/members", caller)

    async def set_presence(self, caller: Caller, presence: str, *, hand_back_work: bool) -> None:
        # A dict, not `Presence`: its Literal is the service's to check (the page checks it first).
        body = {"presence": presence, "hand_back_work": hand_back_work}
        await self._do("PUT", "/v1/members/me/presence", caller, body)

    async def set_learning(self, caller: Caller, skills: list[str]) -> None:
        await self._do("PUT", "/v1/members/me/learning", caller, Learning(skills=skills))

    async def propose_level(self, caller: Caller, body: object) -> None:
        await self._do("POST", "/v1/skill-proposals", caller, body)

    async def confirm_level(self, caller: Caller, proposal_id: str) -> None:
        await self._do("POST", f"/v1/skill-proposals/{proposal_id}/confirm", caller)

    async def proposals(self, caller: Caller, pool_id: str) -> list[ProposalView]:
        return await self._get(_proposals, f"/v1/pools/{pool_id}/skill-proposals", caller)

    async def growth(self, caller: Caller, member_id: str) -> MyGrowth:
        return await self._get(_growth, f"/v1/members/{member_id}/growth", caller)

    async def coverage(self, caller: Caller, pool_id: str) -> list[Coverage]:
        return await self._get(_coverage, f"/v1/pools/{pool_id}/coverage", caller)

    # Rota

    async def hours(self, caller: Caller, member_id: str) -> HoursView:
        return await self._get(_hours, f"/v1/members/{member_id}/hours", caller)

    async def set_hours(self, caller: Caller, member_id: str, days: object) -> None:
        await self._do("PUT", f"/v1/members/{member_id}/hours", caller, {"days": days})

    async def absences(self, caller: Caller, member_id: str) -> list[AbsenceView]:
        return await self._get(_absences, f"/v1/members/{member_id}/absences", caller)

    async def add_absence(self, caller: Caller, member_id: str, body: object) -> None:
        await self._do("POST", f"/v1/members/{member_id}/absences", caller, body)

    async def remove_absence(self, caller: Caller, member_id: str, absence_id: object) -> None:
        await self._do("DELETE", f"/v1/members/{member_id}/absences/{absence_id}", caller)

    async def set_profile(self, caller: Caller, member_id: str, body: object) -> None:
        await self._do("PUT", f"/v1/members/{member_id}/profile", caller, body)

    async def holidays(self, caller: Caller, pool_id: str, year: int) -> list[Holiday]:
        return await self._get(_holidays, f"/v1/pools/{pool_id}/holidays", caller, {"year": year})

    async def set_holiday(self, caller: Caller, pool_id: str, day: date, name: str) -> None:
        await self._do("PUT", f"/v1/pools/{pool_id}/holidays/{day.isoformat()}", caller, HolidayName(name=name))

    async def remove_holiday(self, caller: Caller, pool_id: str, day: date) -> None:
        await self._do("DELETE", f"/v1/pools/{pool_id}/holidays/{day.isoformat()}", caller)

    # Policy

    async def policy(self, caller: Caller, pool_id: str) -> PolicyView:
        return await self._get(_policy, f"/v1/pools/{pool_id}/policy", caller)

    async def change_policy(self, caller: Caller, pool_id: str, body: object) -> None:
        await self._do("PUT", f"/v1/pools/{pool_id}/policy", caller, body)

    async def policy_changes(self, caller: Caller, pool_id: str) -> list[PolicyChangeView]:
        return await self._get(_policy_changes, f"/v1/pools/{pool_id}/policy/changes", caller)

    async def start_trial(self, caller: Caller, pool_id: str, body: object) -> TrialView:
        return await self._ask(_trial, "POST", f"/v1/pools/{pool_id}/policy/trials", caller, body)

    async def trial(self, caller: Caller, pool_id: str, trial_id: UUID) -> TrialView:
        return await self._get(_trial, f"/v1/pools/{pool_id}/policy/trials/{trial_id}", caller)

    async def find_trial(self, caller: Caller, pool_id: str, trial_id: UUID) -> TrialView | None:
        """The trial a link names; None when it names none (a link from an old page)."""
        try:
            return await self.trial(caller, pool_id, trial_id)
        except ServiceError as exc:
            if exc.status == 404:
                return None
            raise

    # Privacy

    async def my_data(self, caller: Caller) -> Any:
        return await self._get(_any, "/v1/people/me/data", caller)
