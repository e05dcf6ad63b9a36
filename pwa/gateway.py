"""How the pwa reaches the services: one HTTP client each, a fresh signed token per call for
the signed-in person. Only the typed clients in `pwa.clients` call it; they decode the bytes.

A refusal comes back as a `ServiceError` with its status and what the JSON error body says in
structure: the field it names and a code for the kind of refusal, so no page splits message
text. Every path is checked before it leaves: each segment a word, a UUID or a slug
(`ids.is_id`), so nothing a person typed can add a query, a fragment or a dot-segment to a
service path.
"""

import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import httpx
import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.platform.ids import is_id
from services.platform.tokens import Caller, SigningKey, sign

# The statuses of a service that is away (its proxy says so, or it is shedding load): the only
# answers a page may quietly do without (see `pwa.views.common.optional`).
DOWN_STATUSES = frozenset({502, 503, 504})

CODES = {
    400: "malformed",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "not_found",
    409: "conflict",
    413: "too_large",
    415: "unsupported",
    422: "invalid",
    429: "too_many",
}


class ErrorBody(msgspec.Struct):
    """A service's JSON error: services.platform.errors and Litestar's own (`extra` holds one
    entry per rejected value of a request body, query or path, each with its `key`)."""

    status_code: int = 0
    detail: str = ""
    extra: Any = None
    field: str | None = None  # the input a domain refusal names (services.platform.errors)


_error_body = msgspec.json.Decoder(ErrorBody)


class ServiceError(Exception):
    """A service said no or failed. `field` is the input it refused (None when the refusal is
    not about one field); `code` the kind of refusal (`CODES`, or `unavailable` for 5xx)."""

    def __init__(self, status: int, detail: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.field = field
        self.code = code or CODES.get(status, "unavailable" if status >= 500 else "refused")

    @property
    def down(self) -> bool:
        return self.status in DOWN_STATUSES


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
        # Keep every connection open for reuse (httpx keeps only 20 by default): under load the
        # rest were closed after each answer and reopened with a fresh TCP handshake on the next.
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
        self._clients = {
            name: httpx.AsyncClient(base_url=url, timeout=10.0, limits=limits) for name, url in urls.items()
        }
        self._key = key
        self._ttl = ttl_seconds
        # A token depends only on the caller, the audience, the key and the whole second it is
        # issued in (Ed25519 signs deterministically): this second's is the same bytes signed again.
        self._tokens: dict[tuple[str, Caller, Ed25519PrivateKey], str] = {}
        self._tokens_second = 0

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aclose()

    def _headers(self, service: str, caller: Caller) -> dict[str, str]:
        now = int(time.time())
        if now != self._tokens_second:
            self._tokens.clear()
            self._tokens_second = now
        signing = self._key.current()
        token = self._tokens.get((service, caller, signing))
        if token is None:
            token = sign(caller, audience=service, key=signing, ttl_seconds=self._ttl, issued_at=now)
            self._tokens[(service, caller, signing)] = token
        return {"authorization": f"Bearer {token}"}

    async def call(
        self,
        service: str,
        method: str,
        path: str,
        caller: Caller,
        *,
        body: object = None,
        params: dict[str, str | int | list[str]] | None = None,
    ) -> bytes:
        """The answer's bytes (empty for a 204); `body` (a Struct or plain data) goes as JSON."""
        headers = self._headers(service, caller)
        content = None
        if body is not None:
            content = msgspec.json.encode(body)
            headers["content-type"] = "application/json"
        response = await self._clients[service].request(
            method, checked(path), content=content, params=params, headers=headers
        )
        raise_for(response)
        return response.content

    async def send_file(
        self, service: str, path: str, caller: Caller, chunks: AsyncIterator[bytes], filename: str
    ) -> bytes:
        """POST a file as a streamed body (its name percent-encoded in `X-Filename`)."""
        headers = {
            **self._headers(service, caller),
            "x-filename": quote(filename, safe=""),
            "content-type": "application/octet-stream",
        }
        # A phone on a slow line sends slowly: only the connection is bounded tightly.
        timeout = httpx.Timeout(120.0, connect=5.0)
        response = await self._clients[service].post(checked(path), content=chunks, headers=headers, timeout=timeout)
        raise_for(response)
        return response.content

    async def open_file(self, service: str, path: str, caller: Caller) -> httpx.Response:
        """GET a file as a stream: the caller passes `aiter_raw()` on and must `aclose()` it."""
        client = self._clients[service]
        request = client.build_request("GET", checked(path), headers=self._headers(service, caller))
        response = await client.send(request, stream=True)
        if response.status_code >= 400:
            await response.aread()
            await response.aclose()
            raise_for(response)
        return response


def raise_for(response: httpx.Response) -> None:
    if response.status_code < 400:
        return
    try:
        error = _error_body.decode(response.content)
    except msgspec.DecodeError:
        raise ServiceError(response.status_code, response.text) from None
    detail = error.detail or response.text
    raise ServiceError(response.status_code, detail, field=field_of(error))


def field_of(error: ErrorBody) -> str | None:
    """The input a refusal names: a domain refusal's own `field`, or the `key` of Litestar's
    validation `extra`."""
    if error.field:
        return error.field
    if isinstance(error.extra, list):
        for item in error.extra:
            if isinstance(item, dict) and isinstance(key := item.get("key"), str) and key:
                return key
    return None
