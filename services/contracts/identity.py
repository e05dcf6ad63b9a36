"""Events published by the pwa, which owns identity: people (accounts: who exists, in which
roles and pools, enabled or not) and the pool registry (names, holiday calendar). Each entity's `version` increases with every change, so consumers drop stale events.

A secretary works in exactly one pool (`pools[0]`); a lead leads the pools listed; for staff
the list names the pools that serve them.
"""

from typing import Literal

from services.contracts.base import Event


class AccountCreated(Event, tag="secpool.identity.account.created", frozen=True, kw_only=True):
    account_id: str
    version: int
    name: str
    email: str
    roles: list[str]
    pools: list[str]
    language: str = "nl"


class AccountUpdated(Event, tag="secpool.identity.account.updated", frozen=True, kw_only=True):
    """Name, e-mail, roles, pools or language changed: the account's whole state after it."""

    account_id: str
    version: int
    name: str
    email: str
    roles: list[str]
    pools: list[str]
    language: str = "nl"


class AccountDisabled(Event, tag="secpool.identity.account.disabled", frozen=True, kw_only=True):
    """The person may no longer sign in; their open work goes back to the pool. Their requests
    and thanks stay."""

    account_id: str
    version: int


class AccountEnabled(Event, tag="secpool.identity.account.enabled", frozen=True, kw_only=True):
    """A disabled account is back, with its whole state."""

    account_id: str
    version: int
    name: str
    email: str
    roles: list[str]
    pools: list[str]
    language: str = "nl"


class PoolCreated(Event, tag="secpool.identity.pool.created", frozen=True, kw_only=True):
    """A pool in the registry. `public_holidays`: the country whose holiday calendar it follows
    ("NL"), or "" for none."""

    pool_id: str
    version: int
    name_nl: str
    name_en: str
    public_holidays: str = "NL"


class PoolUpdated(Event, tag="secpool.identity.pool.updated", frozen=True, kw_only=True):
    """A pool's names or holiday calendar changed: its whole state after it."""

    pool_id: str
    version: int
    name_nl: str
    name_en: str
    public_holidays: str = "NL"


class AccountErased(Event, tag="secpool.identity.account.erased", frozen=True, kw_only=True):
    """A person had their account erased (GDPR): each service removes what identifies them or
    what they wrote, and keeps what its figures count (ids stay as pseudonyms). Not in
    `AccountEvent` (it carries no state): consumers of `secpool.identity.account.>` add it."""

    account_id: str
    version: int


class ApiKeyIssued(Event, tag="secpool.identity.api_key.issued", frozen=True, kw_only=True):
    """An integration's API key for one pool: services accept `spk_<key_id>_<secret>` whose
    secret's SHA-256 is `secret_sha256` (hex; the secret itself never leaves the pwa).
    `scope` "read" reads what a member of the pool may read; "write" may also submit requests
    into the pool. `key_id` is a UUID no account has: it is the integration's caller id."""

    key_id: str
    version: int
    pool_id: str
    scope: Literal["read", "write"]
    secret_sha256: str
    name: str = ""


class ApiKeyRevoked(Event, tag="secpool.identity.api_key.revoked", frozen=True, kw_only=True):
    """The key is refused from now on, by every service as soon as it handles this."""

    key_id: str
    version: int


AccountEvent = AccountCreated | AccountUpdated | AccountDisabled | AccountEnabled
PoolEvent = PoolCreated | PoolUpdated
# Not in IdentityEvent: every service's platform consumes these (secpool.identity.api_key.>).
ApiKeyEvent = ApiKeyIssued | ApiKeyRevoked
IdentityEvent = (
    AccountCreated | AccountUpdated | AccountDisabled | AccountEnabled | PoolCreated | PoolUpdated | AccountErased
)
