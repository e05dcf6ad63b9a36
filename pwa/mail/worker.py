"""The mail worker: a background task in every pwa replica, woken by NOTIFY when mail is
queued. It sends by SMTP (aiosmtplib) or, with no SMTP configured, writes to the mail folder.
A server that is down or says "try later" (4xx) is retried with a growing pause; a refusal
(5xx) or two days of trying marks the message failed."""

import asyncio
import email.utils
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import aiosmtplib
import asyncpg
import structlog

from pwa.mail import folder, store
from pwa.mail.config import MailConfig
from pwa.records import Message
from services.platform import wakeup

log = structlog.get_logger(__name__)


class Refused(Exception):
    """The server will never take this message (a permanent 5xx answer)."""


def compose(config: MailConfig, m: Message) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = m.to_address
    message["Subject"] = m.subject
    message["Date"] = email.utils.format_datetime(datetime.now(UTC))
    message["Message-ID"] = email.utils.make_msgid(domain="secpool")
    message["Content-Language"] = m.language
    message["Auto-Submitted"] = "auto-generated"
    for name, value in m.headers.items():
        message[name] = value
    message.set_content(m.body)
    return message


def pause_after(attempts: int) -> timedelta:
    return timedelta(seconds=min(15 * 2 ** min(attempts, 10), 900))


class MailWorker:
    def __init__(self, pool: asyncpg.Pool, config: MailConfig, *, channel: str, batch: int = 20) -> None:
        self._pool = pool
        self._config = config
        self._channel = channel
        self._batch = batch

    async def run(self) -> None:
        await wakeup.run_rounds(
            self._pool, self._channel, self.send_due, full=self._batch, idle_seconds=5.0, what="mail round"
        )

    async def send_due(self) -> int:
        async with self._pool.acquire() as conn, conn.transaction():
            due = await store.claim_due(conn, self._batch, lease=timedelta(minutes=5))
        for m in due:
            outcome = await self._attempt(m)
            async with self._pool.acquire() as conn:
                if outcome is None:
                    await store.sent(conn, m.id)
                elif outcome[0] == "retry":
                    await store.retry(conn, m.id, pause_after(m.attempts), outcome[1])
                else:
                    await store.failed(conn, m.id, outcome[1])
        return len(due)

    async def _attempt(self, m: Message) -> tuple[str, str] | None:
        """None when delivered; otherwise ("retry" or "failed", why)."""
        try:
            await self._deliver(m)
        except Refused as exc:
            log.warning("mail refused", message=m.id, error=str(exc))
            return "failed", str(exc)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            if datetime.now(UTC) - m.created_at > timedelta(seconds=self._config.give_up_after_seconds):
                log.warning("mail given up", message=m.id, error=repr(exc))
                return "failed", f"gave up: {exc!r}"
            log.info("mail not sent yet; will retry", message=m.id, error=repr(exc))
            return "retry", repr(exc)
        return None

    async def _deliver(self, m: Message) -> None:
        message = compose(self._config, m)
        if self._config.writes_to_folder:
            await asyncio.to_thread(folder.write, self._config.folder, message, m.id, datetime.now(UTC))
            return
        c = self._config
        try:
            await aiosmtplib.send(
                message,
                hostname=c.smtp_host,
                port=c.smtp_port,
                username=c.username or None,
                password=c.password or None,
                use_tls=c.security == "tls",
                start_tls=c.security == "starttls",
                timeout=c.send_timeout_seconds,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise Refused(str(exc)) from exc
        except aiosmtplib.SMTPResponseException as exc:
            if exc.code >= 500:
                raise Refused(f"{exc.code} {exc.message}") from exc
            raise
