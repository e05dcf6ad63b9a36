"""A multipart/form-data body read as a stream: text fields as short strings, files as chunks
that the caller passes on while they arrive (the `multipart` parser is push-based, no I/O).

Forms with files skip Litestar's CSRF middleware (it would read the whole body first): the
token is checked here, from the `X-CSRF-Token` header or the form's first field.
"""

from collections import deque
from collections.abc import AsyncIterator
from hmac import compare_digest
from typing import Any

import msgspec
from litestar import Request
from litestar.middleware.csrf import CSRF_SECRET_LENGTH, generate_csrf_hash
from multipart import MultipartError, MultipartSegment, PushMultipartParser, parse_options_header

from services.platform.errors import Invalid

MAX_FIELD = 64 * 1024  # a text field (a description is at most 4,000 characters)
CSRF_FIELD = "_csrf_token"


class Part(msgspec.Struct, frozen=True):
    name: str
    filename: str | None  # None: a text field; "": a file input left empty


def _decoded(token: str, secret: str) -> str | None:
    if len(token) <= CSRF_SECRET_LENGTH:
        return None
    plain, digest = token[:CSRF_SECRET_LENGTH], token[CSRF_SECRET_LENGTH:]
    return plain if compare_digest(digest, generate_csrf_hash(token=plain, secret=secret)) else None


def csrf_ok(request: Request[Any, Any, Any], sent: str | None) -> bool:
    """Litestar's double-submit check: the sent token and the cookie's, both signed, equal."""
    config = request.app.csrf_config
    assert config is not None
    cookie = request.cookies.get(config.cookie_name)
    if not sent or not cookie:
        return False
    ours, theirs = _decoded(sent, config.secret), _decoded(cookie, config.secret)
    return ours is not None and theirs is not None and compare_digest(ours, theirs)


class FormStream:
    """Parts in order: `async for part in form`, then `await form.text()` for a field or
    `form.chunks()` for a file (unread data is skipped when the next part is asked for)."""

    def __init__(self, body: AsyncIterator[bytes], boundary: str) -> None:
        self._body = body
        self._parser = PushMultipartParser(boundary, max_header_count=8, max_segment_count=100)
        self._events: deque[Any] = deque()
        self._in_part = False
        self._ended = False

    @classmethod
    def of(cls, request: Request[Any, Any, Any]) -> "FormStream":
        kind, options = parse_options_header(request.headers.get("content-type", ""))
        if kind != "multipart/form-data" or not options.get("boundary"):
            raise Invalid("form: send the form as multipart/form-data")
        return cls(request.stream(), options["boundary"])

    async def _event(self) -> Any:
        while not self._events:
            if self._ended:
                return StopAsyncIteration
            chunk = await anext(self._body, b"")
            try:
                self._events.extend(self._parser.parse(chunk))
                if not chunk:
                    self._ended = True
                    self._parser.close()
            except MultipartError as exc:
                raise Invalid(f"form: the upload broke off or is malformed ({exc})") from None
        return self._events.popleft()

    def __aiter__(self) -> "FormStream":
        return self

    async def __anext__(self) -> Part:
        if self._in_part:
            async for _ in self.chunks():
                pass
        event = await self._event()
        while event is not StopAsyncIteration and not isinstance(event, MultipartSegment):
            event = await self._event()
        if not isinstance(event, MultipartSegment):
            raise StopAsyncIteration
        self._in_part = True
        return Part(name=event.name or "", filename=event.filename)

    async def chunks(self) -> AsyncIterator[bytes]:
        """The current part's data as it arrives."""
        while self._in_part:
            event = await self._event()
            if event is None or event is StopAsyncIteration:
                self._in_part = False
            elif not isinstance(event, MultipartSegment):
                yield bytes(event)

    async def text(self) -> str:
        value = b""
        async for chunk in self.chunks():
            value += chunk
            if len(value) > MAX_FIELD:
                raise Invalid("form: a text field is too long")
        return value.decode("utf-8", "replace")
