"""The transfer middleware on small inline apps: text compressed as the browser accepts it, a
stream passed on part by part (never buffered or compressed), ETags and 304s for pages."""

import asyncio
import gzip
from typing import Any

import brotli
from litestar import Litestar, MediaType, Response, get
from litestar.testing import AsyncTestClient
from litestar.types import Message, Receive, Scope, Send

from pwa.transfer import Transfer, accepted_encodings, compressible, etag_matches

PAGE = "<!doctype html><title>Aanvragen</title>" + "<p>Een aanvraag voor de pool.</p>" * 60


@get("/requests", media_type=MediaType.HTML, sync_to_thread=False)
def requests_page() -> Response[str]:
    return Response(PAGE, headers={"Cache-Control": "private, no-cache", "Vary": "HX-Request"})


@get("/tiny", media_type=MediaType.TEXT, sync_to_thread=False)
def tiny() -> str:
    return "ok"


@get("/icon", media_type="image/png", sync_to_thread=False)
def icon() -> bytes:
    return b"\x89PNG" + bytes(2000)


@get("/signed-in", media_type=MediaType.HTML, sync_to_thread=False)
def signed_in() -> Response[str]:
    response = Response(PAGE)
    response.set_cookie("secpool", "a-session")
    return response


@get("/private", media_type=MediaType.HTML, sync_to_thread=False)
def private() -> Response[str]:
    return Response(PAGE, headers={"Cache-Control": "no-store"})


def app() -> Litestar:
    return Litestar([requests_page, tiny, icon, signed_in, private], middleware=[Transfer])


def vary(value: str) -> set[str]:
    return {name.strip() for name in value.split(",")}


def test_accept_encoding_is_read_with_its_weights() -> None:
    assert accepted_encodings("gzip, deflate, br") == {"gzip", "deflate", "br"}
    assert accepted_encodings("gzip;q=0.5, br;q=0") == {"gzip"}
    assert accepted_encodings("") == set()


def test_text_is_compressible_but_an_event_stream_or_an_image_is_not() -> None:
    for media_type in (
        "text/html; charset=utf-8",
        "text/css",
        "text/javascript",
        "application/json",
        "application/manifest+json",
        "image/svg+xml",
    ):
        assert compressible(media_type), media_type
    for media_type in ("text/event-stream", "text/event-stream; charset=utf-8", "image/png", "application/pdf"):
        assert not compressible(media_type), media_type


def test_if_none_match_compares_weakly_and_takes_lists() -> None:
    assert etag_matches('W/"abc"', 'W/"abc"')
    assert etag_matches('"abc"', 'W/"abc"')
    assert etag_matches('W/"x", W/"abc"', 'W/"abc"')
    assert etag_matches("*", 'W/"abc"')
    assert not etag_matches('W/"abcd"', 'W/"abc"')


async def test_a_page_is_sent_with_brotli_when_accepted_else_gzip_else_as_it_is() -> None:
    async with AsyncTestClient(app()) as client:
        br = await client.get("/requests", headers={"Accept-Encoding": "gzip, deflate, br"})
        assert br.headers["content-encoding"] == "br"
        assert br.text == PAGE  # decoded by the client
        assert int(br.headers["content-length"]) < len(PAGE) / 4
        assert vary(br.headers["vary"]) == {"HX-Request", "Accept-Encoding"}

        zipped = await client.get("/requests", headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip" and zipped.text == PAGE

        plain = await client.get("/requests", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers and plain.text == PAGE
        assert "Accept-Encoding" in vary(plain.headers["vary"])  # a shared cache must still keep them apart


async def test_compressed_bodies_are_the_real_encodings() -> None:
    async with AsyncTestClient(app()) as client:
        async with client.stream("GET", "/requests", headers={"Accept-Encoding": "br"}) as response:
            raw = b"".join([part async for part in response.aiter_raw()])
        assert brotli.decompress(raw).decode() == PAGE
        async with client.stream("GET", "/requests", headers={"Accept-Encoding": "gzip"}) as response:
            raw = b"".join([part async for part in response.aiter_raw()])
        assert gzip.decompress(raw).decode() == PAGE


async def test_small_bodies_and_images_are_not_compressed() -> None:
    async with AsyncTestClient(app()) as client:
        for path in ("/tiny", "/icon"):
            response = await client.get(path, headers={"Accept-Encoding": "gzip, br"})
            assert "content-encoding" not in response.headers, path


async def test_an_unchanged_page_answers_304_without_a_body() -> None:
    async with AsyncTestClient(app()) as client:
        first = await client.get("/requests", headers={"Accept-Encoding": "br"})
        etag = first.headers["etag"]
        assert etag.startswith('W/"')
        again = await client.get("/requests", headers={"Accept-Encoding": "br", "If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        assert again.headers["cache-control"] == "private, no-cache"
        assert "content-encoding" not in again.headers
        other = await client.get("/requests", headers={"If-None-Match": 'W/"something-else"'})
        assert other.status_code == 200 and other.text == PAGE


async def test_an_answer_that_must_not_be_stored_gets_no_etag() -> None:
    async with AsyncTestClient(app()) as client:
        response = await client.get("/private", headers={"If-None-Match": "*"})
    assert response.status_code == 200 and "etag" not in response.headers


async def test_a_cookie_the_page_sets_travels_with_its_304() -> None:
    async with AsyncTestClient(app()) as client:
        first = await client.get("/signed-in")
        client.cookies.clear()
        again = await client.get("/signed-in", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.cookies["secpool"] == "a-session"


async def test_a_stream_passes_part_by_part_unbuffered_and_uncompressed() -> None:
    """What the live-updates SSE needs: the first event leaves while the stream stays open."""
    more = asyncio.Event()

    async def stream(scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"text/event-stream; charset=utf-8"), (b"cache-control", b"no-store")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send(
            {"type": "http.response.body", "body": b"event: request\ndata: " + b"x" * 900 + b"\n\n", "more_body": True}
        )
        await more.wait()
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    sent: list[Message] = []
    first_event = asyncio.Event()

    async def send(message: Message) -> None:
        sent.append(message)
        if message["type"] == "http.response.body":
            first_event.set()

    async def receive() -> Message:
        await asyncio.Event().wait()
        raise AssertionError("never")

    scope: Any = {
        "type": "http",
        "method": "GET",
        "path": "/events",
        "headers": [(b"accept-encoding", b"gzip, br"), (b"accept", b"text/event-stream")],
    }
    running = asyncio.create_task(Transfer(stream)(scope, receive, send))
    await asyncio.wait_for(first_event.wait(), 5)
    assert not running.done()  # the event arrived while the stream is still open
    start = sent[0]
    assert start["type"] == "http.response.start"
    assert not any(name == b"content-encoding" for name, _ in start["headers"])
    assert sent[1]["body"].startswith(b"event: request\ndata: x")
    more.set()
    await asyncio.wait_for(running, 5)
