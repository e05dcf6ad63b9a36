"""How the pwa reaches the services: one HTTP session each, a fresh signed token per call for
the signed-in person. Only the typed clients in `pwa.clients` call it; they decode the bytes.

The sessions are aiohttp's, not httpx's (which the pwa keeps for a few calls out of the
house): a page makes up to six of these calls, and httpx spends about six times aiohttp's CPU
on each (`benchmarks/service_call_bench.py`). A service that cannot be reached (refused,
reset, timed out) is a `ServiceUnreachable`: a 503 to a page, a transient failure to a consumer.

A refusal comes back as a `ServiceError` with its status and what the JSON error body says in
structure: the field it names and a code for the kind of refusal, so no page splits message
text. Every path is checked before it leaves: each segment a word, a UUID or a slug
(`ids.is_id`), so nothing a person typed can add a query, a fragment or a dot-segment to a
service path.
"""

import contextlib
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any
from urllib.parse import quote

import aiohttp
import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.platform.ids import is_id
from services.platform.tokens import Caller, SigningKey, sign

# The statuses of a service that is away (its proxy says so, or it is shedding load): the only
# answers a page may quietly do without (see `pwa.views.common.optional`).
DOWN_STATUSES = frozenset({502, 503, 504})

KEEP_ALIVE_SECONDS = 4.0  # below the services' (uvicorn's default 5 s), see Gateway._session

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


class ServiceUnreachable(ServiceError, ConnectionError):
    """No answer at all: refused, reset or timed out. `down` for a page (`optional` does
    without it), an OSError for `services.platform.failures` (retried, never dead-lettered)."""

    def __init__(self, service: str) -> None:
        super().__init__(503, f"{service} does not answer")


class FileStream:
    """A file on its way from a service: its headers (lower-case names), its bytes as sent
    (not decoded) and `aclose`, which the caller must await when done."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response
        self.headers = {name.lower(): value for name, value in response.headers.items()}

    async def aiter_raw(self) -> AsyncIterator[bytes]:
        async for chunk in self._response.content.iter_any():
            yield chunk

    async def aclose(self) -> None:
        self._response.release()


class Gateway:
    def __init__(
        self, urls: dict[str, str], key: SigningKey, *, ttl_seconds: int = 60, timeout_seconds: float = 10.0
    ) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._urls = {name: url.rstrip("/") for name, url in urls.items()}
        # Made on first use, inside the running loop (aiohttp binds a session to its loop).
        self._sessions: dict[str, aiohttp.ClientSession] = {}
        self._key = key
        self._ttl = ttl_seconds
        # A token depends only on the caller, the audience, the key and the whole second it is
        # issued in (Ed25519 signs deterministically): this second's is the same bytes signed again.
        self._tokens: dict[tuple[str, Caller, Ed25519PrivateKey], str] = {}
        self._tokens_second = 0

    def _session(self, service: str) -> aiohttp.ClientSession:
        session = self._sessions.get(service)
        if session is None or session.closed:
            # Keep every connection open for reuse (under load, closing them after each answer
            # meant a fresh TCP handshake on the next call), but shorter than uvicorn's 5 s: a
            # connection the service is closing at that moment would fail the call on it.
            session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=100, keepalive_timeout=KEEP_ALIVE_SECONDS),
                timeout=self._timeout,
                cookie_jar=aiohttp.DummyCookieJar(),  # a service's answer sets nothing in the pwa
            )
            self._sessions[service] = session
        return session

    def _url(self, service: str, path: str) -> str:
        return self._urls[service] + checked(path)

    async def close(self) -> None:
        sessions, self._sessions = self._sessions, {}
        for session in sessions.values():
            await session.close()

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
        url = self._url(service, path)
        headers = self._headers(service, caller)
        content = None
        if body is not None:
            content = msgspec.json.encode(body)
            headers["content-type"] = "application/json"
        with unreachable_as(service):
            async with self._session(service).request(
                method, url, data=content, params=query(params), headers=headers
            ) as response:
                answer = await response.read()
        raise_for(response.status, answer)
        return answer

    async def send_file(
        self, service: str, path: str, caller: Caller, chunks: AsyncIterator[bytes], filename: str
    ) -> bytes:
        """POST a file as a streamed body (its name percent-encoded in `X-Filename`)."""
        url = self._url(service, path)
        headers = {
            **self._headers(service, caller),
            "x-filename": quote(filename, safe=""),
            "content-type": "application/octet-stream",
        }
        # A phone on a slow line sends slowly: only the connection is bounded tightly.
        timeout = aiohttp.ClientTimeout(total=None, connect=5.0, sock_read=120.0)
        with unreachable_as(service):
            async with self._session(service).post(url, data=chunks, headers=headers, timeout=timeout) as response:
                answer = await response.read()
        raise_for(response.status, answer)
        return answer

    async def open_file(self, service: str, path: str, caller: Caller) -> FileStream:
        """GET a file as a stream: the caller passes `aiter_raw()` on and must `aclose()` it."""
        url = self._url(service, path)
        # No bound on the whole download (a phone on a slow line takes long), only on each wait.
        timeout = aiohttp.ClientTimeout(total=None, connect=5.0, sock_read=self._timeout.total)
        with unreachable_as(service):
            response = await self._session(service).get(
                url, headers=self._headers(service, caller), auto_decompress=False, timeout=timeout
            )
        if response.status >= 400:
            with unreachable_as(service):
                answer = await response.read()
            response.release()
            raise_for(response.status, answer)
        return FileStream(response)


def query(params: Mapping[str, str | int | list[str]] | None) -> list[tuple[str, str]] | None:
    """The query as pairs: a list value is the parameter repeated."""
    if params is None:
        return None
    return [(name, str(v)) for name, value in params.items() for v in (value if isinstance(value, list) else [value])]


@contextlib.contextmanager
def unreachable_as(service: str) -> Iterator[None]:
    """Turns a call that got no answer (refused, reset, cut short, timed out) into `ServiceUnreachable`."""
    try:
        yield
    except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, TimeoutError) as exc:
        raise ServiceUnreachable(service) from exc


def raise_for(status: int, body: bytes) -> None:
    if status < 400:
        return
    text = body.decode("utf-8", "replace")
    try:
        error = _error_body.decode(body)
    except msgspec.DecodeError:
        raise ServiceError(status, text) from None
    detail = error.detail or text
    raise ServiceError(status, detail, field=field_of(error))


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
