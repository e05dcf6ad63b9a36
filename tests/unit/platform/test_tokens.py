"""Service tokens: who is calling, for which service, for how long."""

import time

import jwt
import pytest
from litestar.exceptions import NotAuthorizedException

from services.platform.tokens import Caller, sign, verify

SECRET = "s" * 32


def test_a_token_carries_the_caller_to_its_audience():
    who = Caller(account_id="a1", roles=("staff", "lead"), pools=("p1",), name="Anna")
    assert verify(sign(who, audience="intake", secret=SECRET), audience="intake", secret=SECRET) == who


def test_a_token_for_one_service_is_refused_by_another():
    token = sign(Caller(account_id="a1"), audience="intake", secret=SECRET)
    with pytest.raises(NotAuthorizedException, match="invalid service token"):
        verify(token, audience="routing", secret=SECRET)


def test_an_expired_token_is_refused_with_that_reason():
    claims = {"sub": "a1", "aud": "intake", "exp": int(time.time()) - 5}
    with pytest.raises(NotAuthorizedException, match="expired"):
        verify(jwt.encode(claims, SECRET, algorithm="HS256"), audience="intake", secret=SECRET)


def test_a_token_signed_with_another_secret_is_refused():
    token = sign(Caller(account_id="a1"), audience="intake", secret="t" * 32)
    with pytest.raises(NotAuthorizedException):
        verify(token, audience="intake", secret=SECRET)
