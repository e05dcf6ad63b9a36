"""What a person signs in with beyond a password: a TOTP secret (with the last time step used,
against replay) and passkeys (WebAuthn public keys with their signature counters)."""

from pwa.records import Factors, Passkey, Totp
from services.platform.db import Conn, as_record, as_records

# The columns of a `Passkey` record.
_PASSKEY = "credential_id, account_id, public_key, sign_count, name, created_at, last_used_at"


async def of_account(conn: Conn, account_id: str) -> Factors:
    row = await conn.fetchrow(
        """SELECT totp_secret IS NOT NULL AS totp,
                  (SELECT count(*) FROM passkeys WHERE account_id = $1) AS passkeys
           FROM accounts WHERE id = $1""",
        account_id,
    )
    return Factors(totp=False, passkeys=0) if row is None else as_record(Factors, row)


async def totp(conn: Conn, account_id: str) -> Totp | None:
    row = await conn.fetchrow(
        "SELECT totp_secret AS secret, totp_last_step AS last_step FROM accounts"
        " WHERE id = $1 AND totp_secret IS NOT NULL",
        account_id,
    )
    return None if row is None else as_record(Totp, row)


async def set_totp(conn: Conn, account_id: str, secret: str | None, *, step: int | None = None) -> None:
    """Turn TOTP on (with the step just used to confirm it) or off (`secret=None`)."""
    await conn.execute(
        "UPDATE accounts SET totp_secret = $2, totp_last_step = $3 WHERE id = $1", account_id, secret, step
    )


async def use_step(conn: Conn, account_id: str, step: int) -> bool:
    """Record a used time step; False if it (or a later one) was used already (a replayed code)."""
    result: str = await conn.execute(
        """UPDATE accounts SET totp_last_step = $2
           WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)""",
        account_id,
        step,
    )
    return result.endswith(" 1")


async def passkeys(conn: Conn, account_id: str) -> list[Passkey]:
    rows = await conn.fetch(f"SELECT {_PASSKEY} FROM passkeys WHERE account_id = $1 ORDER BY created_at", account_id)
    return as_records(Passkey, rows)


async def passkey(conn: Conn, credential_id: bytes) -> Passkey | None:
    row = await conn.fetchrow(f"SELECT {_PASSKEY} FROM passkeys WHERE credential_id = $1", credential_id)
    return None if row is None else as_record(Passkey, row)


async def add_passkey(
    conn: Conn, *, account_id: str, credential_id: bytes, public_key: bytes, sign_count: int, name: str
) -> None:
    await conn.execute(
        """INSERT INTO passkeys (credential_id, account_id, public_key, sign_count, name)
           VALUES ($1, $2, $3, $4, $5)""",
        credential_id,
        account_id,
        public_key,
        sign_count,
        name,
    )


async def passkey_used(conn: Conn, credential_id: bytes, sign_count: int) -> None:
    await conn.execute(
        "UPDATE passkeys SET sign_count = $2, last_used_at = now() WHERE credential_id = $1", credential_id, sign_count
    )


async def remove_passkey(conn: Conn, account_id: str, credential_id: bytes) -> bool:
    result: str = await conn.execute(
        "DELETE FROM passkeys WHERE account_id = $1 AND credential_id = $2", account_id, credential_id
    )
    return result.endswith(" 1")


async def reset(conn: Conn, account_id: str) -> None:
    """An admin resets a person's second factors (lost phone): TOTP off, passkeys gone."""
    await conn.execute("UPDATE accounts SET totp_secret = NULL, totp_last_step = NULL WHERE id = $1", account_id)
    await conn.execute("DELETE FROM passkeys WHERE account_id = $1", account_id)
