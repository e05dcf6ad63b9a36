"""API keys for integrations: what a key looks like, how its secret is kept, and what a key may
do. Pure (no I/O): the store keeps the keys, the authentication middleware asks these rules.

A key is `spk_<key id>_<secret>`: the key id (a UUID, in hex) finds the row, the secret
proves the caller holds the key. Only the secret's SHA-256 is kept, in the pwa and in every
service. A fast, unsalted hash is enough here (unlike for passwords): the secret is 256 random
bits, so there is no dictionary to try and a brute force of 2^256 is out of reach whatever the
hash costs; a slow hash would only make every integration call slower.

What an integration may do (one pool, no person behind it): a read key reads what a member of
its pool may read of that pool; a write key also submits requests into it (the routes a service
marks with `opt={INTEGRATION_WRITES: True}`) and nothing else: no accepting, moderating or
changing other people's work. Its caller has the role `integration`, the key's pool, and the
key id as its account id (no person has that id).
"""

import hashlib
import hmac
import re
import secrets
import uuid
from typing import NamedTuple

from services.platform.tokens import Caller

PREFIX = "spk_"
INTEGRATION = "integration"
READ, WRITE = "read", "write"
SCOPES = (READ, WRITE)
# Route opt: an integration's write key may call this route (e.g. submit a request).
INTEGRATION_WRITES = "integration_writes"
READING_METHODS = frozenset({"GET", "HEAD"})
_KEY = re.compile(r"^spk_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$")


class PresentedKey(NamedTuple):
    """A key as presented: its id (a UUID string) and its secret."""

    key_id: str
    secret: str


def new_key() -> tuple[str, str]:
    """A fresh key: (key id as a UUID string, the whole key to show once)."""
    key_id = uuid.uuid4()
    return str(key_id), f"{PREFIX}{key_id.hex}_{secrets.token_urlsafe(32)}"


def parse(text: str) -> PresentedKey | None:
    """The key id (UUID string) and secret of a well-formed key, or None."""
    found = _KEY.match(text.strip())
    if found is None:
        return None
    return PresentedKey(str(uuid.UUID(hex=found.group(1))), found.group(2))


def secret_hash(key: str) -> str:
    """The hex SHA-256 of a whole key's secret, as stored (see the module docstring)."""
    presented = parse(key)
    if presented is None:
        raise ValueError("not an API key (spk_<id>_<secret>)")
    return _digest(presented.secret)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def matches(presented: PresentedKey, stored_hash: str) -> bool:
    return hmac.compare_digest(_digest(presented.secret), stored_hash)


def caller(key_id: str, pool_id: str, name: str) -> Caller:
    return Caller(account_id=key_id, roles=(INTEGRATION,), pools=(pool_id,), name=name)


def refusal(scope: str, method: str, route_writes: bool) -> str | None:
    """Why a key of `scope` may not make this call (for a 403), or None when it may."""
    if method.upper() in READING_METHODS:
        return None
    if scope != WRITE:
        return "this API key may only read (scope read): ask for a write key to submit requests"
    if not route_writes:
        return "an API key may read and submit requests only; this needs a person signed in to secpool"
    return None
