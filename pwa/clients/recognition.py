"""The pwa's client for recognition: the wall and kudos, reactions, invitations to thank,
digests, moderation and the organisation's values. One method per endpoint; the page never
builds a path."""

from typing import Any
from uuid import UUID

import msgspec

from pwa.clients.base import Params, ServiceClient
from services.contracts.recognition_api import (
    DigestView,
    KudosView,
    Moderation,
    NewReaction,
    NewReport,
    PromptView,
    ReportedKudos,
    ValueView,
    WallPage,
)
from services.platform.tokens import Caller

_any = msgspec.json.Decoder()
_wall = msgspec.json.Decoder(WallPage)
_kudos = msgspec.json.Decoder(KudosView)
_prompts = msgspec.json.Decoder(list[PromptView])
_digests = msgspec.json.Decoder(list[DigestView])
_reports = msgspec.json.Decoder(list[ReportedKudos])
_values = msgspec.json.Decoder(list[ValueView])


class RecognitionClient(ServiceClient):
    service = "recognition"

    # Kudos and the wall

    async def wall(self, caller: Caller, *, limit: int, before: UUID | None = None) -> WallPage:
        params: Params = {"limit": limit, **({"before": str(before)} if before else {})}
        return await self._get(_wall, "/v1/wall", caller, params)

    async def my_kudos(self, caller: Caller, *, limit: int) -> WallPage:
        return await self._get(_wall, "/v1/me/kudos", caller, {"limit": limit})

    async def kudos(self, caller: Caller, kudos_id: UUID) -> KudosView:
        return await self._get(_kudos, f"/v1/kudos/{kudos_id}", caller)

    async def give(self, caller: Caller, body: object) -> None:
        await self._do("POST", "/v1/kudos", caller, body)

    async def react(self, caller: Caller, kudos_id: UUID, emoji: str) -> KudosView:
        return await self._ask(_kudos, "PUT", f"/v1/kudos/{kudos_id}/reaction", caller, NewReaction(emoji=emoji))

    async def take_back_reaction(self, caller: Caller, kudos_id: UUID) -> KudosView:
        return await self._ask(_kudos, "DELETE", f"/v1/kudos/{kudos_id}/reaction", caller)

    async def report(self, caller: Caller, kudos_id: UUID, reason: str) -> None:
        await self._do("POST", f"/v1/kudos/{kudos_id}/reports", caller, NewReport(reason=reason))

    # Invitations to thank

    async def prompts(self, caller: Caller) -> list[PromptView]:
        return await self._get(_prompts, "/v1/prompts/", caller)

    async def thank(self, caller: Caller, prompt_id: UUID, body: object) -> None:
        await self._do("POST", f"/v1/prompts/{prompt_id}/kudos", caller, body)

    # Digests, moderation, values

    async def digests(self, caller: Caller, pool_id: str, *, limit: int) -> list[DigestView]:
        return await self._get(_digests, f"/v1/pools/{pool_id}/digests", caller, {"limit": limit})

    async def reports(self, caller: Caller) -> list[ReportedKudos]:
        return await self._get(_reports, "/v1/reports", caller)

    async def hide(self, caller: Caller, kudos_id: UUID, reason: str) -> None:
        await self._do("POST", f"/v1/kudos/{kudos_id}/hide", caller, Moderation(reason=reason))

    async def keep(self, caller: Caller, kudos_id: UUID) -> None:
        await self._do("POST", f"/v1/kudos/{kudos_id}/keep", caller)

    async def values(self, caller: Caller, *, include_retired: bool = False) -> list[ValueView]:
        return await self._get(_values, "/v1/values/", caller, {"include_retired": "true"} if include_retired else None)

    async def set_value(self, caller: Caller, value_id: str, body: object) -> None:
        await self._do("PUT", f"/v1/values/{value_id}", caller, body)

    async def retire_value(self, caller: Caller, value_id: str) -> None:
        await self._do("DELETE", f"/v1/values/{value_id}", caller)

    # Privacy

    async def my_data(self, caller: Caller) -> Any:
        return await self._get(_any, "/v1/people/me/data", caller)
