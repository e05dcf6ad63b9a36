"""A fake Web Push service on 127.0.0.1 and a fake browser subscribed to it.

The service records every push (headers and encrypted body) and answers 201 unless a test
scripted other answers for a path. The browser holds the subscription's private key and auth
secret, so it can decrypt what arrives (RFC 8291, aes128gcm) and check the VAPID token
(RFC 8292) against the pwa's public key — independently of the pwa's own code.
"""

import asyncio
import base64
import contextlib
import json
import os
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import http_ece
import jwt
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from msgspec import Struct


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


class Received(Struct, frozen=True):
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


class FakePushService:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self._scripts: dict[str, list[tuple[int, dict[str, str]]]] = {}
        self.origin = ""
        self.answering = asyncio.Event()  # cleared: pushes are received but not answered yet
        self.answering.set()

    def answer(self, path: str, *answers: tuple[int, dict[str, str]]) -> None:
        """The next answers for pushes to `path` (then 201 again)."""
        self._scripts.setdefault(path, []).extend(answers)

    def to(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        self.received.append(Received(path=scope["path"], headers=headers, body=body, at=time.monotonic()))
        await self.answering.wait()
        script = self._scripts.get(scope["path"])
        status, extra = script.pop(0) if script else (201, {})
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(k.encode(), v.encode()) for k, v in extra.items()],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator["FakePushService"]:
        server = uvicorn.Server(
            uvicorn.Config(self, host="127.0.0.1", port=0, lifespan="off", log_level="warning", ws="none")
        )
        task = asyncio.create_task(server.serve())
        while not server.started:
            assert not task.done(), "fake push service did not start"
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        self.origin = f"http://127.0.0.1:{port}"
        try:
            yield self
        finally:
            server.should_exit = True
            await task


class FakeBrowser:
    """A push subscription as `PushManager.subscribe()` would make it, on the fake service."""

    def __init__(self, service: FakePushService) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.path = f"/push/{uuid.uuid4().hex}"
        self.endpoint = service.origin + self.path

    def subscription(self) -> dict[str, Any]:
        point = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url(point), "auth": b64url(self.auth)},
        }

    def decrypt(self, push: Received) -> dict[str, Any]:
        assert push.headers["content-encoding"] == "aes128gcm"
        plain = http_ece.decrypt(push.body, private_key=self.key, auth_secret=self.auth, version="aes128gcm")
        payload: dict[str, Any] = json.loads(plain)
        return payload


def vapid_claims(push: Received, app_public_key: str, audience: str) -> dict[str, Any]:
    """Verify `Authorization: vapid t=<jwt>, k=<key>`: k is the app's key, and the ES256 JWT
    is signed by it for this audience and not expired. Returns the claims."""
    scheme, _, params = push.headers["authorization"].partition(" ")
    assert scheme.lower() == "vapid", push.headers["authorization"]
    parts = dict(p.strip().split("=", 1) for p in params.split(","))
    assert parts["k"] == app_public_key
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(parts["k"]))
    claims: dict[str, Any] = jwt.decode(
        parts["t"], key=public, algorithms=["ES256"], audience=audience, options={"require": ["exp", "aud", "sub"]}
    )
    return claims
