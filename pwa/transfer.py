"""How the pwa's answers travel: text compressed (brotli, else gzip, as the browser accepts),
and an unchanged answer replaced by a bodiless 304.

`Transfer` is an ASGI middleware. It looks only at answers sent in one piece: a stream (the
live-updates SSE at /events, file downloads) passes through untouched and unbuffered, so an
event leaves the moment it is written. An answer already encoded (the static files, compressed
once at start, see pwa/assets.py) is not compressed again.

ETags: an answer sent with 200 to a GET gets a weak ETag over its body unless it must not be
stored (`no-store`); any answer with an ETag (its own or that one) becomes a 304 when the
request's If-None-Match names it. Pages are rendered either way: the 304 saves the transfer.
A page's CSRF token is in its body, so a new token is a new ETag; a cookie the answer sets
travels with its 304 too.
"""

import gzip
import hashlib

import brotli
from litestar.datastructures import Headers, MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPResponseBodyEvent, HTTPResponseStartEvent, Message, Receive, Scope, Send

MINIMUM_SIZE = 500  # below this, the encoding's own overhead eats most of the saving
GZIP_LEVEL = 6  # per answer, so the usual speed/size balance, not the slowest
# Per answer too, so a fast level: 3 compresses a page in well under half of 5's time, for a few
# more bytes (a page's share of a visit is small: see `secpool bench --pages`).
BROTLI_QUALITY = 3
TEXT_TYPES = (
    "application/json",
    "application/javascript",
    "application/manifest+json",
    "image/svg+xml",
    "application/xml",
    "application/problem+json",
)
# Headers a 304 repeats from the 200 it stands for (RFC 9110, 15.4.5), and the cookies it
# sets; the security headers are added later for every answer.
KEPT_ON_304 = {b"cache-control", b"etag", b"vary", b"content-location", b"expires", b"date", b"set-cookie"}


def compressible(media_type: str) -> bool:
    """Text worth compressing; never an event stream (its events must leave one by one)."""
    kind = media_type.split(";", 1)[0].strip().lower()
    return kind != "text/event-stream" and (kind.startswith("text/") or kind in TEXT_TYPES)


def accepted_encodings(accept_encoding: str) -> set[str]:
    """The encodings an Accept-Encoding header allows (`br;q=0` refuses brotli)."""
    accepted = set()
    for item in accept_encoding.lower().split(","):
        name, _, params = item.strip().partition(";")
        q = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
        try:
            allowed = float(q) > 0
        except ValueError:
            allowed = False
        if name and allowed:
            accepted.add(name.strip())
    return accepted


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison, as If-None-Match uses: `W/"x"` and `"x"` are the same tag."""
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


def compress(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return bytes(brotli.compress(body, quality=BROTLI_QUALITY, mode=brotli.MODE_TEXT))
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


class Transfer:
    """The middleware; `minimum_size` is the smallest body worth compressing."""

    def __init__(self, app: ASGIApp, minimum_size: int = MINIMUM_SIZE) -> None:
        self.app = app
        self.minimum_size = minimum_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        request = Headers.from_scope(scope)
        accepted = accepted_encodings(request.get("accept-encoding", ""))
        encoding = "br" if "br" in accepted else "gzip" if "gzip" in accepted else None
        if_none_match = request.get("if-none-match", "")
        is_get = scope.get("method") == "GET"
        start: HTTPResponseStartEvent | None = None
        streaming = False

        async def send_wrapper(message: Message) -> None:
            nonlocal start, streaming
            if message["type"] == "http.response.start":
                start = message
                return
            if start is None or streaming or message["type"] != "http.response.body":
                await send(message)
                return
            if message.get("more_body", False):
                streaming = True  # a stream: its parts go out as they come
                await send(start)
                await send(message)
                return
            held, start = start, None
            await self.finish(held, message, send, encoding=encoding, if_none_match=if_none_match, is_get=is_get)

        await self.app(scope, receive, send_wrapper)

    async def finish(
        self,
        start: HTTPResponseStartEvent,
        message: HTTPResponseBodyEvent,
        send: Send,
        *,
        encoding: str | None,
        if_none_match: str,
        is_get: bool,
    ) -> None:
        headers = MutableScopeHeaders(start)
        body: bytes = message.get("body", b"")
        status = start["status"]
        etag = headers.get("etag")
        cache_control = (headers.get("cache-control") or "").lower()
        if etag is None and is_get and status == 200 and "no-store" not in cache_control:
            etag = f'W/"{hashlib.blake2b(body, digest_size=12).hexdigest()}"'
            headers["ETag"] = etag
        if etag is not None and is_get and status == 200 and if_none_match and etag_matches(if_none_match, etag):
            kept = [(name, value) for name, value in start["headers"] if name.lower() in KEPT_ON_304]
            not_modified: HTTPResponseStartEvent = {"type": "http.response.start", "status": 304, "headers": kept}
            await send(not_modified)
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        media_type = headers.get("content-type") or ""
        if compressible(media_type) and "content-encoding" not in headers:
            headers.extend_header_value("vary", "Accept-Encoding")
            if encoding is not None and len(body) >= self.minimum_size:
                body = compress(body, encoding)
                headers["Content-Encoding"] = encoding
                headers["Content-Length"] = str(len(body))
        await send(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})
