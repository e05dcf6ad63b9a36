"""SQL for a person's privacy in the pwa: the account as it stands (for the data download) and
erasure: what identifies them goes (name, address, sign-in means, sessions, devices), the id
stays as a pseudonym so the pool's figures in the services do not change."""

import secrets

from pwa.records import HeldAccount, TrailEntry
from services.platform.db import Conn, as_record, as_records

ERASED_NAME = "—"


async def account(conn: Conn, account_id: str) -> HeldAccount | None:
    row = await conn.fetchrow(
        """SELECT id, name, email, roles, pools, language, created_at,
                  oidc_subject IS NOT NULL AS signs_in_with_organisation_account
           FROM accounts WHERE id = $1 AND erased_at IS NULL""",
        account_id,
    )
    return None if row is None else as_record(HeldAccount, row)


async def push_devices(conn: Conn, account_id: str) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM push_subscriptions WHERE account_id = $1", account_id))


async def trail(conn: Conn, account_id: str) -> list[TrailEntry]:
    """What the audit log holds about the person: sign-ins, failures, changes made to them."""
    rows = await conn.fetch(
        "SELECT at, action, detail, ip FROM audit_log WHERE subject_id = $1 ORDER BY id", account_id
    )
    return as_records(TrailEntry, rows)


async def erase(conn: Conn, account_id: str) -> int | None:
    """Erase the account in place; its new identity version, or None if it was erased already.
    Run in a transaction with the `AccountErased` event, so every service hears of it."""
    erased: int | None = await conn.fetchval(
        """UPDATE accounts SET name = $2, email = $3, password_hash = NULL, totp_secret = NULL,
                  totp_last_step = NULL, oidc_subject = NULL, roles = '{}', pools = '{}', erased_at = now(),
                  version = version + 1, updated_at = now()
           WHERE id = $1 AND erased_at IS NULL RETURNING version""",
        account_id,
        ERASED_NAME,
        f"erased-{secrets.token_hex(8)}@invalid",
    )
    if erased is None:
        return None
    await conn.execute("DELETE FROM passkeys WHERE account_id = $1", account_id)
    await conn.execute("DELETE FROM push_subscriptions WHERE account_id = $1", account_id)
    await conn.execute("DELETE FROM push_preferences WHERE account_id = $1", account_id)
    await conn.execute("DELETE FROM sign_in_challenges WHERE account_id = $1", account_id)
    await conn.execute("DELETE FROM sessions WHERE account_id = $1", account_id)
    return erased
