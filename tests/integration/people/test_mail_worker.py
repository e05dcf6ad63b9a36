"""The mail worker against a real SMTP server (aiosmtpd): queued mail is sent; a server that is
down is retried later, never lost; a refusal (5xx) marks the message failed; a rolled-back
change sends nothing."""

import contextlib
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from email import message_from_bytes
from typing import Any

import asyncpg
import pytest
from aiosmtpd.controller import Controller

from pwa import mail
from pwa.mail.config import MailConfig
from pwa.mail.worker import MailWorker
from services.cli.children import free_port
from services.platform import db

CONTEXT = {"name": "Sanne", "link": "https://pool.example.org/password/abc", "minutes": 30}


class Inbox:
    def __init__(self, refuse: bool = False) -> None:
        self.received: list[Any] = []
        self.refuse = refuse

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "550 no such mailbox"
        self.received.append(message_from_bytes(envelope.content))
        return "250 OK"


@contextlib.contextmanager
def smtp_server(port: int, inbox: Inbox) -> Iterator[None]:
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield
    finally:
        controller.stop()


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    found = await db.connect(database_url, "pwa", decode_json=True)
    await db.migrate(found, "pwa", ["pwa"])
    yield found
    await found.close()


async def queue_one(pool: asyncpg.Pool) -> int:
    async with pool.acquire() as conn, conn.transaction():
        return await mail.queue(conn, to="sanne@example.org", template="password_reset", language="nl", context=CONTEXT)


async def status(pool: asyncpg.Pool, message_id: int) -> dict[str, Any]:
    row = await pool.fetchrow("SELECT status, attempts, last_error, body FROM mail_queue WHERE id = $1", message_id)
    assert row is not None
    return dict(row)


async def make_due(pool: asyncpg.Pool) -> None:
    await pool.execute("UPDATE mail_queue SET not_before = now() WHERE status = 'queued'")


async def test_mail_is_sent_by_smtp_and_a_server_that_is_down_is_tried_again(pool: asyncpg.Pool):
    port = free_port()
    worker = MailWorker(
        pool,
        MailConfig(smtp_host="127.0.0.1", smtp_port=port, security="none", sender="Pool <p@example.org>"),
        channel="pwa_mail",
    )
    message_id = await queue_one(pool)
    assert await worker.send_due() == 1  # nobody listens yet
    waiting = await status(pool, message_id)
    assert waiting["status"] == "queued" and waiting["attempts"] == 1 and waiting["last_error"]
    assert await worker.send_due() == 0  # not due again at once

    inbox = Inbox()
    with smtp_server(port, inbox):
        await make_due(pool)
        assert await worker.send_due() == 1
    assert (await status(pool, message_id))["status"] == "sent"
    assert (await status(pool, message_id))["body"] == ""  # the one-time link is not kept once sent
    sent = inbox.received[0]
    assert sent["To"] == "sanne@example.org" and sent["Subject"] == "Een nieuw wachtwoord voor secpool"
    assert "https://pool.example.org/password/abc" in sent.get_payload(decode=True).decode()


async def test_a_refused_address_fails_and_a_rolled_back_change_sends_nothing(pool: asyncpg.Pool):
    port = free_port()
    worker = MailWorker(pool, MailConfig(smtp_host="127.0.0.1", smtp_port=port, security="none"), channel="pwa_mail")
    message_id = await queue_one(pool)
    with smtp_server(port, Inbox(refuse=True)):
        await worker.send_due()
    found = await status(pool, message_id)
    assert found["status"] == "failed" and "550" in found["last_error"]

    with contextlib.suppress(RuntimeError):
        async with pool.acquire() as conn, conn.transaction():
            await mail.queue(conn, to="x@example.org", template="password_reset", language="en", context=CONTEXT)
            raise RuntimeError("the change failed")
    assert await pool.fetchval("SELECT count(*) FROM mail_queue WHERE to_address = 'x@example.org'") == 0


def test_the_pause_between_tries_grows_and_is_capped():
    from pwa.mail.worker import pause_after

    assert pause_after(1) < pause_after(3) < pause_after(6) <= timedelta(minutes=15) == pause_after(20)
