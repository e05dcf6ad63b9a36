"""`secpool bench`'s fake Web Push service and the phones subscribed to it.

The service runs as a process of its own (`python -m services.cli.bench_push PORT`), so
receiving pushes takes no CPU from the load generator: it answers 201 to every push and
keeps when (CLOCK_MONOTONIC, the same clock in every process on the machine), where and
what arrived. The bench fetches them (`GET /received?after=N`) and each `Phone` decrypts
its own (RFC 8291, aes128gcm) with the subscription's private key, as a browser would.
"""

import base64
import json
import os
import sys
import time
import uuid
from typing import Any

import http_ece
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Received:
    __slots__ = ("at", "body", "path")

    def __init__(self, at: float, path: str, body: bytes) -> None:
        self.at, self.path, self.body = at, path, body


class PushService:
    """The ASGI app: records pushes, lists them."""

    def __init__(self) -> None:
        self.received: list[tuple[float, str, str]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        at = time.monotonic()
        if scope["method"] == "GET":
            after = int(
                dict(p.split("=", 1) for p in scope["query_string"].decode().split("&") if "=" in p).get("after", "0")
            )
            answer = json.dumps(self.received[after:]).encode()
            await send(
                {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]}
            )
            await send({"type": "http.response.body", "body": answer})
            return
        self.received.append((at, scope["path"], base64.b64encode(body).decode()))
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def decode_received(rows: list[list[Any]]) -> list[Received]:
    return [Received(float(at), str(path), base64.b64decode(body)) for at, path, body in rows]


class Phone:
    """A push subscription as `PushManager.subscribe()` makes it, on the fake service."""

    def __init__(self, origin: str) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.path = f"/push/{uuid.uuid4().hex}"
        self.endpoint = origin + self.path

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
        plain = http_ece.decrypt(push.body, private_key=self.key, auth_secret=self.auth, version="aes128gcm")
        notice: dict[str, Any] = json.loads(plain)
        return notice


if __name__ == "__main__":
    uvicorn.run(
        PushService(),
        host="127.0.0.1",
        port=int(sys.argv[1]),
        lifespan="off",
        log_level="warning",
        ws="none",
        access_log=False,
    )
