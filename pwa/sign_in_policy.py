"""The organisation's sign-in rules, set by admins: how long a session may sit idle, how long it
may live at all, and whether leads and admins must use a second factor or a passkey."""

from pwa.records import SignInPolicy
from services.platform.db import Conn, as_record

STRONG_METHODS = ("password+totp", "passkey", "oidc")


async def current(conn: Conn) -> SignInPolicy:
    row = await conn.fetchrow("SELECT idle_minutes, absolute_hours, strong_for_leads FROM sign_in_policy")
    return SignInPolicy() if row is None else as_record(SignInPolicy, row)


async def change(conn: Conn, policy: SignInPolicy, *, by: str) -> None:
    await conn.execute(
        """INSERT INTO sign_in_policy (only_row, idle_minutes, absolute_hours, strong_for_leads, updated_at, updated_by)
           VALUES (true, $1, $2, $3, now(), $4)
           ON CONFLICT (only_row) DO UPDATE SET idle_minutes = $1, absolute_hours = $2, strong_for_leads = $3,
               updated_at = now(), updated_by = $4""",
        policy.idle_minutes,
        policy.absolute_hours,
        policy.strong_for_leads,
        by,
    )
