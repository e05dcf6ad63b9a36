"""What the three service clients share: a signed call through the gateway and a long-lived
msgspec decoder per answer shape (built once, at import; the clients themselves are built
once, in the pwa's create_app)."""

from typing import TypeVar

import msgspec

from pwa.gateway import Gateway
from services.platform.tokens import Caller

T = TypeVar("T")

Params = dict[str, str | int | list[str]]  # a list: the parameter repeated


class ServiceClient:
    service: str = ""

    def __init__(self, gateway: Gateway) -> None:
        self._gateway = gateway

    async def _get(
        self, decoder: msgspec.json.Decoder[T], path: str, caller: Caller, params: Params | None = None
    ) -> T:
        return decoder.decode(await self._gateway.call(self.service, "GET", path, caller, params=params))

    async def _ask(
        self, decoder: msgspec.json.Decoder[T], method: str, path: str, caller: Caller, body: object = None
    ) -> T:
        """A change whose answer the page reads."""
        return decoder.decode(await self._gateway.call(self.service, method, path, caller, body=body))

    async def _do(self, method: str, path: str, caller: Caller, body: object = None) -> None:
        """A change whose answer the page does not need."""
        await self._gateway.call(self.service, method, path, caller, body=body)
