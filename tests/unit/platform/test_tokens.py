"""Service tokens: who is calling, for which service, for how long; signed by the pwa's
Ed25519 key, and nothing else is accepted."""

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
import pytest
from litestar import Request, get
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import DefineMiddleware
from litestar.testing import create_test_client

from services.platform.tokens import Caller, ServiceTokenMiddleware, new_key_pair, public_key, sign, verify

PRIVATE, PUBLIC = new_key_pair()
OTHER_PRIVATE, _ = new_key_pair()
OLD_SECRET = "s" * 32  # what the shared HS256 secret of older versions looked like
ANNA = Caller(account_id="a1", roles=("staff", "lead"), pools=("p1",), name="Anna")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256_with_public_key() -> str:
    """The algorithm-confusion attack: an HMAC token keyed with the (public) verification key."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64(json.dumps({"sub": "a1", "aud": "intake", "exp": int(time.time()) + 60}).encode())
    signature = hmac.new(PUBLIC.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{_b64(signature)}"


def unsigned() -> str:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    body = _b64(json.dumps({"sub": "a1", "aud": "intake", "exp": int(time.time()) + 60}).encode())
    return f"{header}.{body}."


def test_a_token_carries_the_caller_to_its_audience():
    assert verify(sign(ANNA, audience="intake", key=PRIVATE), audience="intake", key=PUBLIC) == ANNA


def test_a_token_is_signed_with_eddsa():
    assert jwt.get_unverified_header(sign(ANNA, audience="intake", key=PRIVATE))["alg"] == "EdDSA"


def test_a_token_for_one_service_is_refused_by_another():
    token = sign(ANNA, audience="intake", key=PRIVATE)
    with pytest.raises(NotAuthorizedException, match="invalid service token"):
        verify(token, audience="routing", key=PUBLIC)


def test_an_expired_token_is_refused_with_that_reason():
    token = sign(ANNA, audience="intake", key=PRIVATE, ttl_seconds=-5)
    with pytest.raises(NotAuthorizedException, match="expired"):
        verify(token, audience="intake", key=PUBLIC)


def test_a_token_signed_with_another_key_is_refused():
    with pytest.raises(NotAuthorizedException):
        verify(sign(ANNA, audience="intake", key=OTHER_PRIVATE), audience="intake", key=PUBLIC)


def test_a_public_key_cannot_sign():
    with pytest.raises(ValueError):
        sign(ANNA, audience="intake", key=PUBLIC)


@get("/v1/who", sync_to_thread=False)
def who_am_i(request: Request[Caller, str, Any]) -> dict[str, str]:
    return {"account_id": request.user.account_id}


FORGED = {
    "another key": lambda: sign(ANNA, audience="intake", key=OTHER_PRIVATE),
    "HS256 with the old shared secret": lambda: jwt.encode(
        {"sub": "a1", "aud": "intake", "exp": int(time.time()) + 60}, OLD_SECRET, algorithm="HS256"
    ),
    "HS256 keyed with the public key": hs256_with_public_key,
    "alg none": unsigned,
    "wrong audience": lambda: sign(ANNA, audience="routing", key=PRIVATE),
    "expired": lambda: sign(ANNA, audience="intake", key=PRIVATE, ttl_seconds=-5),
    "not a token": lambda: "garbage",
}


@pytest.mark.parametrize("kind", FORGED)
def test_a_service_answers_401_to_a_token_it_did_not_get_from_the_pwa(kind):
    middleware = DefineMiddleware(ServiceTokenMiddleware, audience="intake", key=public_key(PUBLIC))
    with create_test_client([who_am_i], middleware=[middleware]) as client:
        good = client.get("/v1/who", headers={"authorization": f"Bearer {sign(ANNA, audience='intake', key=PRIVATE)}"})
        assert (good.status_code, good.json()) == (200, {"account_id": "a1"})
        assert client.get("/v1/who", headers={"authorization": f"Bearer {FORGED[kind]()}"}).status_code == 401
        assert client.get("/v1/who").status_code == 401
