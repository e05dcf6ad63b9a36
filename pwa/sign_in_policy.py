"""The organisation's sign-in rules, set by admins: how long a session may sit idle, how long it
may live at all, and whether leads and admins must use a second factor or a passkey."""

import msgspec

from services.platform.db import Conn

STRONG_METHODS = ("password+totp", "passkey", "oidc")


class SignInPolicy(msgspec.Struct, frozen=True, kw_only=True):
    idle_minutes: int = 4320
    absolute_hours: int = 720
    strong_for_leads: bool = False

    def wants_strong(self, roles: tuple[str, ...]) -> bool:
        """Whether a person with these roles must sign in with more than a password."""
        return self.strong_for_leads and bool({"lead", "admin"} & set(roles))


async def current(conn: Conn) -> SignInPolicy:
    row = await conn.fetchrow("SELECT idle_minutes, absolute_hours, strong_for_leads FROM sign_in_policy")
    if row is None:
        return SignInPolicy()
    return SignInPolicy(
        idle_minutes=row["idle_minutes"], absolute_hours=row["absolute_hours"], strong_for_leads=row["strong_for_leads"]
    )


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
