"""API keys: their shape, the hash kept of them, and what a key of each scope may call."""

import uuid

import pytest

from services.platform import api_keys
from services.platform.api_keys import INTEGRATION, READ, WRITE


def test_a_new_key_carries_its_id_and_256_random_bits():
    key_id, whole = api_keys.new_key()
    presented = api_keys.parse(whole)
    assert presented is not None and presented.key_id == key_id and uuid.UUID(key_id)
    assert whole.startswith("spk_") and len(presented.secret) == 43  # 32 bytes, base64url
    assert api_keys.new_key()[1] != whole


@pytest.mark.parametrize(
    "text",
    [
        "",
        "spk_",
        "Bearer x",
        "spk_" + "0" * 32,
        "spk_" + "g" * 32 + "_" + "a" * 43,
        "spk_" + "0" * 32 + "_short",
        "spk_" + "0" * 32 + "_" + "a" * 42 + "!",
    ],
)
def test_anything_else_is_not_a_key(text):
    assert api_keys.parse(text) is None
    with pytest.raises(ValueError):
        api_keys.secret_hash(text)


def test_only_the_secrets_hash_is_kept_and_only_the_secret_matches_it():
    _, whole = api_keys.new_key()
    stored = api_keys.secret_hash(whole)
    presented = api_keys.parse(whole)
    assert presented is not None and len(stored) == 64 and presented.secret not in stored
    assert api_keys.matches(presented, stored)
    _, other = api_keys.new_key()
    wrong = api_keys.parse(other)
    assert wrong is not None and not api_keys.matches(wrong, stored)


def test_an_integration_acts_for_its_pool_alone():
    who = api_keys.caller("k1", "pool-a", "HR system")
    assert who.has(INTEGRATION) and who.in_pool("pool-a") and not who.in_pool("pool-b")
    assert not who.has("secretary") and not who.has("lead") and not who.has("admin")


@pytest.mark.parametrize(
    ("scope", "method", "route_writes", "allowed"),
    [
        (READ, "GET", False, True),
        (READ, "HEAD", False, True),
        (READ, "POST", True, False),
        (READ, "DELETE", False, False),
        (WRITE, "GET", False, True),
        (WRITE, "POST", True, True),
        (WRITE, "POST", False, False),
        (WRITE, "PUT", False, False),
        (WRITE, "PATCH", False, False),
    ],
)
def test_a_read_key_only_reads_and_a_write_key_also_calls_the_routes_open_to_it(scope, method, route_writes, allowed):
    why = api_keys.refusal(scope, method, route_writes)
    assert (why is None) == allowed
    if scope == READ and not allowed:
        assert "only read" in (why or "")
