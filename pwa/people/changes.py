"""Changing people and pools (the service layer): each change, its audit line, its identity
event and any mail it sends are written in the caller's one transaction.

Disabling ends the person's sessions and open links at once; routing hands their open offers
and accepted work back to the pool when it hears of it. Their requests and thanks stay.
"""

import uuid
from datetime import UTC, datetime

from pwa import accounts, audit, links, mail
from pwa.people import store
from pwa.people.rules import PersonFields, Problem, problems
from pwa.records import Person, Pool
from services.contracts.identity import (
    AccountCreated,
    AccountDisabled,
    AccountEnabled,
    AccountUpdated,
    PoolCreated,
    PoolUpdated,
)
from services.platform import outbox
from services.platform.db import Conn


class Refused(Exception):
    """The change is not allowed; `problems` say why, per field."""

    def __init__(self, found: list[Problem]) -> None:
        super().__init__("; ".join(p.text for p in found))
        self.problems = found


def _now() -> datetime:
    return datetime.now(UTC)


def created_event(account_id: str, p: PersonFields, version: int = 1) -> AccountCreated:
    return AccountCreated(
        event_id=uuid.uuid4(),
        occurred_at=_now(),
        account_id=account_id,
        version=version,
        name=p.name,
        email=p.email,
        roles=list(p.roles),
        pools=list(p.pools),
        language=p.language,
    )


def updated_event(account_id: str, p: PersonFields, version: int) -> AccountUpdated:
    return AccountUpdated(
        event_id=uuid.uuid4(),
        occurred_at=_now(),
        account_id=account_id,
        version=version,
        name=p.name,
        email=p.email,
        roles=list(p.roles),
        pools=list(p.pools),
        language=p.language,
    )


async def _check(conn: Conn, p: PersonFields, account_id: str | None) -> None:
    found = problems(p, [x.id for x in await store.pools(conn)])
    taken = await store.by_email(conn, p.email)
    if taken is not None and taken.id != account_id:
        found.append(Problem("email", "email_taken", f"{p.email} already has an account"))
    if found:
        raise Refused(found)


async def invite_mail(conn: Conn, account_id: str, p: PersonFields, *, inviter: str, public_url: str) -> None:
    token = await links.issue(conn, "password", links.INVITE_TTL, account_id)
    context = {
        "name": p.name,
        "email": p.email,
        "inviter": inviter,
        "link": f"{public_url}/password/{token}",
        "days": links.INVITE_TTL.days,
    }
    await mail.queue(conn, to=p.email, template="invite", language=p.language, context=context)


async def invite(conn: Conn, p: PersonFields, *, actor: Person | None, public_url: str, ip: str | None = None) -> str:
    """A new account without a password, and an e-mail with a one-time link to choose one."""
    await _check(conn, p, None)
    account_id = str(uuid.uuid4())
    await store.create_many(conn, [(account_id, p)])
    await invite_mail(conn, account_id, p, inviter=actor.name if actor else "secpool", public_url=public_url)
    await audit.record(
        conn,
        "person.invited",
        actor_id=actor.id if actor else None,
        subject_id=account_id,
        detail={"email": p.email, "roles": list(p.roles), "pools": list(p.pools)},
        ip=ip,
    )
    await outbox.add(conn, created_event(account_id, p))
    return account_id


async def edit(conn: Conn, account_id: str, p: PersonFields, *, actor: Person, ip: str | None = None) -> None:
    before = await store.person(conn, account_id)
    if before is None:
        raise Refused([Problem("id", "no_person", "no such person")])
    await _check(conn, p, account_id)
    if account_id == actor.id and "admin" in before.roles and "admin" not in p.roles:
        raise Refused([Problem("roles", "own_admin", "you cannot take away your own admin role")])
    old = before.fields()
    changed = {
        f: [getattr(old, f), getattr(p, f)]
        for f in ("email", "name", "roles", "pools", "language")
        if getattr(old, f) != getattr(p, f)
    }
    if not changed:
        return
    versions = await store.update_many(conn, [(account_id, p)])
    await audit.record(conn, "person.changed", actor_id=actor.id, subject_id=account_id, detail=changed, ip=ip)
    await outbox.add(conn, updated_event(account_id, p, versions[account_id]))


async def disable(conn: Conn, account_id: str, *, actor: Person, ip: str | None = None) -> None:
    """No more sign-in, at once: sessions and open links end; the services hand back the work."""
    if account_id == actor.id:
        raise Refused([Problem("id", "own_account", "you cannot disable yourself")])
    version = await store.set_disabled(conn, account_id, True)
    if version is None:
        return  # already disabled
    await accounts.end_all_sessions(conn, account_id)
    await links.retire_for(conn, account_id)
    await audit.record(conn, "person.disabled", actor_id=actor.id, subject_id=account_id, ip=ip)
    await outbox.add(
        conn, AccountDisabled(event_id=uuid.uuid4(), occurred_at=_now(), account_id=account_id, version=version)
    )


async def enable(conn: Conn, account_id: str, *, actor: Person, ip: str | None = None) -> None:
    version = await store.set_disabled(conn, account_id, False)
    person = await store.person(conn, account_id)
    if version is None or person is None:
        return
    p = person.fields()
    await audit.record(conn, "person.enabled", actor_id=actor.id, subject_id=account_id, ip=ip)
    await outbox.add(
        conn,
        AccountEnabled(
            event_id=uuid.uuid4(),
            occurred_at=_now(),
            account_id=account_id,
            version=version,
            name=p.name,
            email=p.email,
            roles=list(p.roles),
            pools=list(p.pools),
            language=p.language,
        ),
    )


async def save_pool(conn: Conn, pool: Pool, *, actor: Person | None, ip: str | None = None) -> None:
    before = await store.pool(conn, pool.id)
    version = await store.save_pool(conn, pool)
    kind = PoolCreated if before is None else PoolUpdated
    event = kind(
        event_id=uuid.uuid4(),
        occurred_at=_now(),
        pool_id=pool.id,
        version=version,
        name_nl=pool.name_nl,
        name_en=pool.name_en,
        public_holidays=pool.public_holidays,
    )
    detail = {
        "name_nl": pool.name_nl,
        "name_en": pool.name_en,
        "public_holidays": pool.public_holidays,
    }
    action = "pool.created" if before is None else "pool.changed"
    await audit.record(conn, action, actor_id=actor.id if actor else None, subject_id=pool.id, detail=detail, ip=ip)
    await outbox.add(conn, event)
