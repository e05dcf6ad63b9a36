"""Which account a person of the organisation's identity provider is: linked by the provider's
stable subject; the first time, an invited account with the same e-mail address is linked."""

from pwa import accounts
from pwa.records import Account
from services.platform.db import Conn


async def account_for(conn: Conn, *, subject: str, email: str) -> tuple[Account | None, bool]:
    """The account for this provider subject, and whether it was linked just now."""
    account_id = await conn.fetchval("SELECT id FROM accounts WHERE oidc_subject = $1", subject)
    if account_id is not None:
        return await accounts.usable(conn, account_id), False
    if not email:
        return None, False
    linked = await conn.fetchval(
        """UPDATE accounts SET oidc_subject = $2
           WHERE email = lower($1) AND oidc_subject IS NULL AND disabled_at IS NULL RETURNING id""",
        email,
        subject,
    )
    if linked is None:
        return None, False
    return await accounts.usable(conn, linked), True
