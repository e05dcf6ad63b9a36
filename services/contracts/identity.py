"""Events published by the pwa's accounts: who exists, in which roles and pools."""

from services.contracts.base import Event


class AccountCreated(Event, tag="secpool.identity.account.created", frozen=True, kw_only=True):
    account_id: str
    version: int
    name: str
    email: str
    roles: list[str]
    pools: list[str]
    language: str = "nl"


IdentityEvent = AccountCreated


class AccountErased(Event, tag="secpool.identity.account.erased", frozen=True, kw_only=True):
    """A person had their account erased (GDPR): each service removes what identifies them or
    what they wrote, and keeps what its figures count (ids stay as pseudonyms)."""

    account_id: str
    version: int
