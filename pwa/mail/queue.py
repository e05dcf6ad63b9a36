"""Queueing a message: rendered now (a template error fails the caller's change), stored in
the caller's transaction (so a rolled-back change sends nothing), sent by the worker."""

from typing import Any

from pwa.mail import store, templates
from services.platform.db import Conn


async def queue(
    conn: Conn,
    *,
    to: str,
    template: str,
    language: str,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> int:
    """Queue one message to `to`; returns its id. `language` is "nl" or "en". `headers` are
    extra mail headers (e.g. List-Unsubscribe for notifications)."""
    subject, body = templates.render(template, language, context)
    return await store.add(
        conn, to=to, template=template, language=language, subject=subject, body=body, headers=headers or {}
    )


async def queue_many(conn: Conn, messages: list[tuple[str, str, str, dict[str, Any]]]) -> None:
    """Many messages (to, template, language, context) in one statement: a bulk import's invites."""
    rendered = [(to, t, lang, *templates.render(t, lang, context)) for to, t, lang, context in messages]
    await store.add_many(conn, rendered)
