"""What the pwa reads from its own tables, as named records: each store query selects exactly a
record's fields (see `services.platform.db.as_record`), so a renamed column fails loudly in the
store, not as a wrong value on a page. Arrays come back as lists, jsonb as decoded values (the
pool's jsonb codec). Pure: no I/O, imports nothing of the pwa but other pure modules."""

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import msgspec

from pwa.people.rules import PersonFields
from pwa.push.notices import Urgency
from services.platform.tokens import Caller

# --- accounts and sign-in --------------------------------------------------------------------


class Account(msgspec.Struct, frozen=True):
    """The signed-in person (or anyone picked from the directory)."""

    id: str
    email: str
    name: str
    roles: list[str]
    pools: list[str]
    language: str

    def caller(self) -> Caller:
        return Caller(account_id=self.id, roles=tuple(self.roles), pools=tuple(self.pools), name=self.name)

    def has(self, role: str) -> bool:
        return role in self.roles


class Credentials(msgspec.Struct, frozen=True, kw_only=True):
    """What a password sign-in checks: the account behind an e-mail and its hash (None when the
    account is disabled or has not chosen a password yet)."""

    id: str
    email: str
    name: str
    roles: list[str]
    pools: list[str]
    language: str
    password_hash: str | None

    def account(self) -> Account:
        return Account(self.id, self.email, self.name, self.roles, self.pools, self.language)


class Session(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    created_at: datetime
    last_seen: datetime
    method: str
    user_agent: str
    ip: str | None
    current: bool


class Pending(msgspec.Struct, frozen=True, kw_only=True):
    """A half-finished sign-in: which account, at which stage, by which method so far."""

    account_id: str
    stage: str
    method: str


class Challenge(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    account_id: str | None
    payload: dict[str, Any]


class OneTimeLink(msgspec.Struct, frozen=True, kw_only=True):
    account_id: str | None


class Totp(msgspec.Struct, frozen=True, kw_only=True):
    secret: str
    last_step: int | None


class Passkey(msgspec.Struct, frozen=True, kw_only=True):
    credential_id: bytes
    account_id: str
    public_key: bytes
    sign_count: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


class Factors(msgspec.Struct, frozen=True, kw_only=True):
    totp: bool
    passkeys: int

    @property
    def any(self) -> bool:
        return self.totp or self.passkeys > 0


class SignInPolicy(msgspec.Struct, frozen=True, kw_only=True):
    """The organisation's sign-in rules (one row; these defaults while admins set none)."""

    idle_minutes: int = 4320
    absolute_hours: int = 720
    strong_for_leads: bool = False

    def wants_strong(self, roles: list[str] | tuple[str, ...]) -> bool:
        """Whether a person with these roles must sign in with more than a password."""
        return self.strong_for_leads and bool({"lead", "admin"} & set(roles))


class RateCount(msgspec.Struct, frozen=True, kw_only=True):
    """A rate-limit bucket's tries within its window, and the seconds until the oldest leaves it."""

    n: int
    wait: Decimal | None


# --- the audit log and privacy ---------------------------------------------------------------


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    at: datetime
    actor_id: str | None
    action: str
    subject_id: str | None
    detail: dict[str, Any]
    ip: str | None


class TrailEntry(msgspec.Struct, frozen=True, kw_only=True):
    """An audit line about a person, as their data download shows it."""

    at: datetime
    action: str
    detail: dict[str, Any]
    ip: str | None


class HeldAccount(msgspec.Struct, frozen=True, kw_only=True):
    """The account as it stands, for the person's data download."""

    id: str
    name: str
    email: str
    roles: list[str]
    pools: list[str]
    language: str
    created_at: datetime
    signs_in_with_organisation_account: bool


# --- people and pools (as admins manage them) ------------------------------------------------


class Person(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    email: str
    name: str
    roles: list[str]
    pools: list[str]
    language: str
    disabled: bool
    has_password: bool
    version: int

    def fields(self) -> PersonFields:
        return PersonFields(
            email=self.email, name=self.name, roles=tuple(self.roles), pools=tuple(self.pools), language=self.language
        )


class Pool(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name_nl: str
    name_en: str
    public_holidays: str
    version: int

    def name(self, language: str) -> str:
        return self.name_nl if language == "nl" else self.name_en


# --- notices: push, mail, calendar -----------------------------------------------------------


class Recipient(msgspec.Struct, frozen=True, kw_only=True):
    """Someone who wants a kind of news by e-mail."""

    id: str
    email: str
    name: str
    language: str


class PushOwner(msgspec.Struct, frozen=True, kw_only=True):
    """Who registered a push endpoint, with the keys only that browser holds."""

    account_id: str
    p256dh: str
    auth: str


class Due(msgspec.Struct, frozen=True, kw_only=True):
    """A claimed push delivery with what is needed to encrypt and send it."""

    id: int
    endpoint: str
    notice: bytes
    urgency: Urgency
    attempts: int
    p256dh: str
    auth: str
    ttl_left: int


class Message(msgspec.Struct, frozen=True, kw_only=True):
    """A queued e-mail, claimed for sending."""

    id: int
    to_address: str
    template: str
    language: str
    subject: str
    body: str
    attempts: int
    created_at: datetime
    headers: dict[str, str] = {}


class Feed(msgspec.Struct, frozen=True):
    """A person's private calendar feed link (its token is never kept)."""

    created_at: datetime
    last_read_at: datetime | None
