"""A service checks a token's signature once and remembers it until it expires, without
loosening anything: a retired key, an expiry, another audience or a changed byte still refuse."""

import time

import pytest
from litestar.exceptions import NotAuthorizedException

from services.platform import tokens
from services.platform.checked_tokens import CheckedTokens
from services.platform.tokens import Caller, KeyRing, new_key_pair, public_key, sign

ANNA = Caller(account_id="a1", roles=("staff",), pools=("p1",))


def ring_and_key() -> tuple[KeyRing, str]:
    private, public = new_key_pair()
    return KeyRing.parse(public), private


def test_a_token_presented_again_is_not_verified_again(monkeypatch: pytest.MonkeyPatch) -> None:
    ring, private = ring_and_key()
    checked = CheckedTokens("intake", ring)
    token = sign(ANNA, audience="intake", key=private)
    assert checked.caller(token) == ANNA
    monkeypatch.setattr(tokens.jwt, "decode", lambda *a, **k: pytest.fail("verified twice"))
    assert checked.caller(token) == ANNA
    assert len(checked) == 1


def test_a_remembered_token_is_refused_once_it_expires() -> None:
    ring, private = ring_and_key()
    checked = CheckedTokens("intake", ring)
    token = sign(ANNA, audience="intake", key=private, ttl_seconds=60)
    assert checked.caller(token) == ANNA
    with pytest.raises(NotAuthorizedException, match="expired"):
        checked.caller(token, now=time.time() + 61)


def test_a_remembered_token_is_refused_once_its_key_is_retired() -> None:
    ring, private = ring_and_key()
    checked = CheckedTokens("intake", ring)
    token = sign(ANNA, audience="intake", key=private)
    assert checked.caller(token) == ANNA
    ring.not_after = {kid: time.time() - 1 for kid in ring.keys}  # `secpool keys rotate --overlap 0`
    with pytest.raises(NotAuthorizedException, match="retired"):
        checked.caller(token)


def test_a_changed_token_or_another_audience_is_refused_as_before() -> None:
    ring, private = ring_and_key()
    checked = CheckedTokens("intake", ring)
    token = sign(ANNA, audience="intake", key=private)
    assert checked.caller(token) == ANNA
    head, claims, signature = token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    with pytest.raises(NotAuthorizedException):
        checked.caller(f"{head}.{claims}.{flipped}")
    with pytest.raises(NotAuthorizedException):
        checked.caller(sign(ANNA, audience="routing", key=private))
    with pytest.raises(NotAuthorizedException):
        checked.caller(sign(ANNA, audience="intake", key=new_key_pair()[0]))


def test_the_memory_stays_bounded() -> None:
    ring, private = ring_and_key()
    checked = CheckedTokens("intake", ring, limit=5)
    for k in range(12):
        caller = Caller(account_id=f"a{k}", roles=("staff",), pools=("p1",))
        assert checked.caller(sign(caller, audience="intake", key=private)) == caller
        assert len(checked) <= 5


def test_a_public_key_alone_makes_a_ring_that_works_too() -> None:
    private, public = new_key_pair()
    checked = CheckedTokens("intake", KeyRing.of(public_key(public)))
    assert checked.caller(sign(ANNA, audience="intake", key=private)) == ANNA
