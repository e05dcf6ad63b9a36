"""How the pwa calls the services: one HTTP client each, a fresh signed token per call for
the signed-in person. Service errors come back as `ServiceError` with the service's message.
"""

from typing import Any

import httpx

from services.platform.tokens import Caller, sign


class ServiceError(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class Gateway:
    def __init__(self, urls: dict[str, str], secret: str, *, ttl_seconds: int = 60) -> None:
        self._clients = {name: httpx.AsyncClient(base_url=url, timeout=10.0) for name, url in urls.items()}
        self._secret = secret
        self._ttl = ttl_seconds

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aclose()

    async def call(
        self, service: str, method: str, path: str, caller: Caller, *, json: Any = None, params: Any = None
    ) -> Any:
        token = sign(caller, audience=service, secret=self._secret, ttl_seconds=self._ttl)
        response = await self._clients[service].request(
            method, path, json=json, params=params, headers={"authorization": f"Bearer {token}"}
        )
        if response.status_code >= 400:
            try:
                detail = str(response.json().get("detail", response.text))
            except ValueError:
                detail = response.text
            raise ServiceError(response.status_code, detail)
        return response.json() if response.content else None
