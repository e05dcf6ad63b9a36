"""Importing people from the CSV (csv_file.py checks and compares): all of it in one transaction,
in batches of statements, so thousands of rows take seconds and a failure imports nothing.
New people get an invite; changed people an AccountUpdated; unchanged lines do nothing."""

import uuid
from collections.abc import Callable

import msgspec

from pwa import audit, links
from pwa.mail.queue import queue_many
from pwa.people import store
from pwa.people.changes import created_event, updated_event
from pwa.people.csv_file import Change
from pwa.people.rules import PersonFields
from services.platform import outbox
from services.platform.db import Conn

CHUNK = 500


class Summary(msgspec.Struct, frozen=True):
    created: int
    updated: int
    unchanged: int


def _chunks(items: list[Change]) -> list[list[Change]]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]


async def apply(
    conn: Conn,
    changes: list[Change],
    *,
    actor_id: str | None,
    inviter: str,
    public_url: str,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> Summary:
    """Apply the import's changes (call inside a transaction); `progress(done, total)` after each batch."""
    todo = [c for c in changes if c.kind != "unchanged"]
    done = 0
    for chunk in _chunks(todo):
        new = [(str(uuid.uuid4()), c.person) for c in chunk if c.kind == "create"]
        changed = [(c.account_id, c.person) for c in chunk if c.kind == "update" and c.account_id]
        if new:
            await store.create_many(conn, new)
            tokens = await links.issue_many(conn, "password", links.INVITE_TTL, [i for i, _ in new])
            await queue_many(
                conn,
                [
                    (
                        p.email,
                        "invite",
                        p.language,
                        {
                            "name": p.name,
                            "email": p.email,
                            "inviter": inviter,
                            "link": f"{public_url}/password/{token}",
                            "days": links.INVITE_TTL.days,
                        },
                    )
                    for (_, p), token in zip(new, tokens, strict=True)
                ],
            )
            await outbox.add(conn, *(created_event(i, p) for i, p in new))
            await audit.record_many(
                conn,
                "person.invited",
                actor_id=actor_id,
                entries=[
                    (i, {"email": p.email, "roles": list(p.roles), "pools": list(p.pools), "import": True})
                    for i, p in new
                ],
            )
        if changed:
            versions = await store.update_many(conn, changed)
            await outbox.add(conn, *(updated_event(i, p, versions[i]) for i, p in changed))
            fields = {c.account_id: list(c.fields) for c in chunk if c.kind == "update"}
            await audit.record_many(
                conn,
                "person.changed",
                actor_id=actor_id,
                entries=[(i, {"fields": fields.get(i, []), "import": True}) for i, _ in changed],
            )
        done += len(chunk)
        progress(done, len(todo))
    kinds = [c.kind for c in changes]
    return Summary(created=kinds.count("create"), updated=kinds.count("update"), unchanged=kinds.count("unchanged"))


async def existing(conn: Conn, emails: list[str]) -> dict[str, tuple[str, PersonFields]]:
    """The accounts these e-mail addresses already have (csv_file.changes compares with them)."""
    return {p.email: (p.id, p.fields()) for p in await store.by_emails(conn, emails)}
