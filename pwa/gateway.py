"""How the pwa calls the services: one HTTP client each, a fresh signed token per call for
the signed-in person. Service errors come back as `ServiceError` with the service's message.
Every path is checked before it leaves: each segment a word, a UUID or a slug (`ids.is_id`),
so nothing a person typed can add a query, a fragment or a dot-segment to a service path.
"""

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import httpx

from services.platform.ids import is_id
from services.platform.tokens import Caller, SigningKey, sign


class ServiceError(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def checked(path: str) -> str:
    """`path` if every segment is a word, UUID or slug (a trailing `/` allowed); otherwise the
    call is not made and the answer is 404, as for any id that names nothing."""
    head, *segments = path.split("/")
    if segments and segments[-1] == "":
        segments.pop()
    if head or not segments or not all(is_id(segment) for segment in segments):
        raise ServiceError(404, "no such thing")
    return path


class Gateway:
    def __init__(self, urls: dict[str, str], key: SigningKey, *, ttl_seconds: int = 60) -> None:
        self._clients = {name: httpx.AsyncClient(base_url=url, timeout=10.0) for name, url in urls.items()}
        self._key = key
        self._ttl = ttl_seconds

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aclose()

    async def call(
        self, service: str, method: str, path: str, caller: Caller, *, json: Any = None, params: Any = None
    ) -> Any:
        token = sign(caller, audience=service, key=self._key.current(), ttl_seconds=self._ttl)
        response = await self._clients[service].request(
            method, checked(path), json=json, params=params, headers={"authorization": f"Bearer {token}"}
        )
        _raise_for(response)
        return response.json() if response.content else None

    def _headers(self, service: str, caller: Caller) -> dict[str, str]:
        token = sign(caller, audience=service, key=self._key.current(), ttl_seconds=self._ttl)
        return {"authorization": f"Bearer {token}"}

    async def send_file(
        self, service: str, path: str, caller: Caller, chunks: AsyncIterator[bytes], filename: str
    ) -> Any:
        """POST a file as a streamed body (its name percent-encoded in `X-Filename`)."""
        headers = {
            **self._headers(service, caller),
            "x-filename": quote(filename, safe=""),
            "content-type": "application/octet-stream",
        }
        # A phone on a slow line sends slowly: only the connection is bounded tightly.
        timeout = httpx.Timeout(120.0, connect=5.0)
        response = await self._clients[service].post(checked(path), content=chunks, headers=headers, timeout=timeout)
        _raise_for(response)
        return response.json()

    async def open_file(self, service: str, path: str, caller: Caller) -> httpx.Response:
        """GET a file as a stream: the caller passes `aiter_raw()` on and must `aclose()` it."""
        client = self._clients[service]
        request = client.build_request("GET", checked(path), headers=self._headers(service, caller))
        response = await client.send(request, stream=True)
        if response.status_code >= 400:
            await response.aread()
            await response.aclose()
            _raise_for(response)
        return response


def _raise_for(response: httpx.Response) -> None:
    if response.status_code >= 400:
        try:
            detail = str(response.json().get("detail", response.text))
        except ValueError:
            detail = response.text
        raise ServiceError(response.status_code, detail)
