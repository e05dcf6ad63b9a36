"""Rate limits shared by every pwa replica, kept in PostgreSQL: each counted try is a row, and a
limit allows at most `tries` rows per bucket within its sliding window. Checking and counting
happen under a per-bucket advisory lock, so two replicas cannot both slip under the limit.

A refused try is not counted: the window frees up on its own, and `Retry-After` says when.
"""

import os
from collections.abc import Mapping

import msgspec

from pwa.records import RateCount
from services.platform.db import Conn, as_record


class Limit(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    tries: int
    seconds: int


class Verdict(msgspec.Struct, frozen=True, kw_only=True):
    allowed: bool
    retry_after: int = 0
    hit_ids: tuple[int, ...] = ()

    def __and__(self, other: "Verdict") -> "Verdict":
        """Both limits at once: allowed only if both allow; the longer wait otherwise."""
        return Verdict(
            allowed=self.allowed and other.allowed,
            retry_after=max(self.retry_after, other.retry_after),
            hit_ids=self.hit_ids + other.hit_ids,
        )


# Wrong sign-ins: per account (the e-mail typed, known or not) and per network address. An
# office behind one address signs in together at nine, hence the wider window per address.
SIGN_IN_ACCOUNT = Limit(name="sign-in-account", tries=10, seconds=60)
SIGN_IN_ADDRESS = Limit(name="sign-in-address", tries=50, seconds=300)
# A six-digit code: 5 tries a minute makes guessing one take weeks.
SECOND_FACTOR = Limit(name="second-factor", tries=5, seconds=60)
# Each passkey sign-in starts with a challenge row: bounded per address.
PASSKEY_OPTIONS = Limit(name="passkey-options", tries=30, seconds=60)
PASSWORD_RESET = Limit(name="password-reset", tries=5, seconds=3600)
PASSWORD_RESET_ADDRESS = Limit(name="password-reset-address", tries=20, seconds=3600)
# Bursts only: recognition keeps the daily kudos limit.
KUDOS = Limit(name="kudos", tries=20, seconds=60)
PUSH_SUBSCRIBE = Limit(name="push-subscribe", tries=10, seconds=60)


class Limits(msgspec.Struct, frozen=True, kw_only=True):
    """The limits a deployment may raise by environment (a load test, a test that sends many):
    SECPOOL_SIGN_IN_TRIES (per account per minute), SECPOOL_SIGN_IN_ADDRESS_TRIES (per address per
    five minutes), SECPOOL_KUDOS_PER_MINUTE."""

    sign_in_account: Limit = SIGN_IN_ACCOUNT
    sign_in_address: Limit = SIGN_IN_ADDRESS
    kudos: Limit = KUDOS

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Limits":
        env = os.environ if env is None else env

        def tries(name: str, limit: Limit) -> Limit:
            return msgspec.structs.replace(limit, tries=int(env.get(name, str(limit.tries))))

        return cls(
            sign_in_account=tries("SECPOOL_SIGN_IN_TRIES", SIGN_IN_ACCOUNT),
            sign_in_address=tries("SECPOOL_SIGN_IN_ADDRESS_TRIES", SIGN_IN_ADDRESS),
            kudos=tries("SECPOOL_KUDOS_PER_MINUTE", KUDOS),
        )


def _bucket(limit: Limit, key: str) -> str:
    return f"{limit.name}:{key.strip().lower()}"


async def take(conn: Conn, limit: Limit, key: str) -> Verdict:
    """Count one try for `key`, unless its window is full (then say when to come back)."""
    bucket = _bucket(limit, key)
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", bucket)
        await conn.execute(
            "DELETE FROM rate_hits WHERE bucket = $1 AND at <= clock_timestamp() - make_interval(secs => $2)",
            bucket,
            limit.seconds,
        )
        row = await conn.fetchrow(
            """SELECT count(*)::int AS n,
                      ceil(extract(epoch FROM min(at) + make_interval(secs => $2) - clock_timestamp())) AS wait
               FROM rate_hits WHERE bucket = $1""",
            bucket,
            limit.seconds,
        )
        assert row is not None
        window = as_record(RateCount, row)
        if window.n >= limit.tries:
            return Verdict(allowed=False, retry_after=max(1, int(window.wait or 1)))
        hit_id = await conn.fetchval("INSERT INTO rate_hits (bucket) VALUES ($1) RETURNING id", bucket)
    return Verdict(allowed=True, hit_ids=(hit_id,))


async def give_back(conn: Conn, *verdicts: Verdict) -> None:
    """Uncount tries that turned out fine (a right password is no attack)."""
    ids = [i for v in verdicts for i in v.hit_ids]
    if ids:
        await conn.execute("DELETE FROM rate_hits WHERE id = ANY($1::bigint[])", ids)


async def forget(conn: Conn, limit: Limit, key: str) -> None:
    """Empty a bucket (a person signed in, so earlier typos no longer count against them)."""
    await conn.execute("DELETE FROM rate_hits WHERE bucket = $1", _bucket(limit, key))


async def prune(conn: Conn, *, older_than_seconds: int = 86400) -> int:
    """Drop tries older than any window (buckets nobody touches again)."""
    result: str = await conn.execute(
        "DELETE FROM rate_hits WHERE at < clock_timestamp() - make_interval(secs => $1)", older_than_seconds
    )
    return int(result.split()[-1])
