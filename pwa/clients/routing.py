"""The pwa's client for routing: offers, members and their rota, skills and growth, the
pool's policy and its trials, holidays, the lead's queue and why a request went to whom. One
method per endpoint; the page never builds a path."""

from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from pwa.clients.base import ROW, ROWS, Row, ServiceClient
from pwa.gateway import ServiceError
from services.platform.tokens import Caller

_any = msgspec.json.Decoder()


class RoutingClient(ServiceClient):
    service = "routing"

    # Offers

    async def offers_for(self, caller: Caller) -> list[Row]:
        return await self._get(ROWS, "/v1/members/me/offers", caller)

    async def accept(self, caller: Caller, offer_id: UUID) -> None:
        await self._do("POST", f"/v1/offers/{offer_id}/accept", caller)

    async def decline(self, caller: Caller, offer_id: UUID, reason: str) -> None:
        await self._do("POST", f"/v1/offers/{offer_id}/decline", caller, {"reason": reason})

    async def lead_queue(self, caller: Caller, pool_id: str) -> list[Row]:
        return await self._get(ROWS, f"/v1/pools/{pool_id}/lead-queue", caller)

    async def assign(self, caller: Caller, request_id: str, member_id: str) -> None:
        await self._do("POST", f"/v1/requests/{request_id}/assign", caller, {"member_id": member_id})

    async def decisions(self, caller: Caller, request_id: str) -> list[Row] | None:
        """Why the request went to whom; None while routing has not heard of the request (it
        learns of a new one a moment after intake: a 404 then means "nothing yet")."""
        try:
            return await self._get(ROWS, f"/v1/requests/{request_id}/decisions", caller)
        except ServiceError as exc:
            if exc.status == 404:
                return None
            raise

    # Members

    async def me(self, caller: Caller) -> Row | None:
        """My member profile; None when I am not a member of a pool (routing's 404 for that)."""
        try:
            return await self._get(ROW, "/v1/members/me", caller)
        except ServiceError as exc:
            if exc.status == 404:
                return None
            raise

    async def members(self, caller: Caller, pool_id: str) -> list[Row]:
        return await self._get(ROWS, f"/v1/pools/{pool_id}/members", caller)

    async def set_presence(self, caller: Caller, presence: str, *, hand_back_work: bool) -> None:
        body = {"presence": presence, "hand_back_work": hand_back_work}
        await self._do("PUT", "/v1/members/me/presence", caller, body)

    async def set_learning(self, caller: Caller, skills: list[str]) -> None:
        await self._do("PUT", "/v1/members/me/learning", caller, {"skills": skills})

    async def propose_level(self, caller: Caller, body: object) -> None:
        await self._do("POST", "/v1/skill-proposals", caller, body)

    async def confirm_level(self, caller: Caller, proposal_id: str) -> None:
        await self._do("POST", f"/v1/skill-proposals/{proposal_id}/confirm", caller)

    async def proposals(self, caller: Caller, pool_id: str) -> list[Row]:
        return await self._get(ROWS, f"/v1/pools/{pool_id}/skill-proposals", caller)

    async def growth(self, caller: Caller, member_id: str) -> Row:
        return await self._get(ROW, f"/v1/members/{member_id}/growth", caller)

    async def coverage(self, caller: Caller, pool_id: str) -> list[Row]:
        return await self._get(ROWS, f"/v1/pools/{pool_id}/coverage", caller)

    # Rota

    async def hours(self, caller: Caller, member_id: str) -> Row:
        return await self._get(ROW, f"/v1/members/{member_id}/hours", caller)

    async def set_hours(self, caller: Caller, member_id: str, days: object) -> None:
        await self._do("PUT", f"/v1/members/{member_id}/hours", caller, {"days": days})

    async def absences(self, caller: Caller, member_id: str) -> list[Row]:
        return await self._get(ROWS, f"/v1/members/{member_id}/absences", caller)

    async def add_absence(self, caller: Caller, member_id: str, body: object) -> None:
        await self._do("POST", f"/v1/members/{member_id}/absences", caller, body)

    async def remove_absence(self, caller: Caller, member_id: str, absence_id: object) -> None:
        await self._do("DELETE", f"/v1/members/{member_id}/absences/{absence_id}", caller)

    async def set_profile(self, caller: Caller, member_id: str, body: object) -> None:
        await self._do("PUT", f"/v1/members/{member_id}/profile", caller, body)

    async def holidays(self, caller: Caller, pool_id: str, year: int) -> list[Row]:
        return await self._get(ROWS, f"/v1/pools/{pool_id}/holidays", caller, {"year": year})

    async def set_holiday(self, caller: Caller, pool_id: str, day: date, name: str) -> None:
        await self._do("PUT", f"/v1/pools/{pool_id}/holidays/{day.isoformat()}", caller, {"name": name})

    async def remove_holiday(self, caller: Caller, pool_id: str, day: date) -> None:
        await self._do("DELETE", f"/v1/pools/{pool_id}/holidays/{day.isoformat()}", caller)

    # Policy

    async def policy(self, caller: Caller, pool_id: str) -> Row:
        return await self._get(ROW, f"/v1/pools/{pool_id}/policy", caller)

    async def change_policy(self, caller: Caller, pool_id: str, body: object) -> None:
        await self._do("PUT", f"/v1/pools/{pool_id}/policy", caller, body)

    async def policy_changes(self, caller: Caller, pool_id: str) -> list[Row]:
        return await self._get(ROWS, f"/v1/pools/{pool_id}/policy/changes", caller)

    async def start_trial(self, caller: Caller, pool_id: str, body: object) -> Row:
        return await self._ask(ROW, "POST", f"/v1/pools/{pool_id}/policy/trials", caller, body)

    async def trial(self, caller: Caller, pool_id: str, trial_id: UUID) -> Row:
        return await self._get(ROW, f"/v1/pools/{pool_id}/policy/trials/{trial_id}", caller)

    async def find_trial(self, caller: Caller, pool_id: str, trial_id: UUID) -> Row | None:
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
