"""News by e-mail: events become messages for the people who chose e-mail for that kind (or
have it by default). Consumed through the pwa's inbox, so a redelivered event mails nobody
twice; each message is queued in the same transaction (pwa.mail). Texts in the person's
language, a link straight to the request, and a one-click unsubscribe for that kind
(`List-Unsubscribe` and `List-Unsubscribe-Post`, RFC 8058). Never the request's text."""

from collections.abc import Sequence
from typing import Any

import msgspec

from pwa import mail
from pwa.notify import store, unsubscribe
from pwa.notify.store import Kind
from pwa.push.events import subject
from services.contracts.intake import RequestStatusChanged
from services.contracts.recognition import DigestPublished, KudosGiven
from services.contracts.routing import RequestOffered
from services.platform.db import Conn
from services.platform.inbox import Consumer
from services.platform.runtime import Runtime

MailEvent = RequestOffered | RequestStatusChanged | KudosGiven | DigestPublished
SUBJECTS: dict[str, list[str]] = {
    "ROUTING": [subject(RequestOffered)],
    "INTAKE": [subject(RequestStatusChanged)],
    "RECOGNITION": [subject(KudosGiven), subject(DigestPublished)],
}
TEMPLATES: dict[Kind, str] = {
    "offered": "notify_offered",
    "question": "notify_question",
    "done": "notify_done",
    "thanks": "notify_thanks",
    "digest": "notify_digest",
}


class Audience(msgspec.Struct, frozen=True):
    kind: Kind
    path: str
    account_ids: tuple[str, ...] = ()
    pool_id: str | None = None


class Mailer:
    """Turns events into queued mail; `public_url` and `secret` make the links."""

    def __init__(self, public_url: str, secret: str) -> None:
        self.public_url = public_url.rstrip("/")
        self.secret = secret

    def audience(self, event: MailEvent) -> Audience | None:
        """Who may hear of this event by e-mail, before their choices are read (None: nobody)."""
        match event:
            case RequestOffered():
                return Audience("offered", "/offers", account_ids=(event.member_id,))
            case RequestStatusChanged(status="waiting_on_requester" | "done"):
                kind: Kind = "question" if event.status == "waiting_on_requester" else "done"
                owners = tuple(p for p in (event.requester_id, event.on_behalf_of) if p and p != event.actor_id)
                return Audience(kind, f"/requests/{event.request_id}", account_ids=owners) if owners else None
            case KudosGiven():
                people = tuple(r for r in event.recipient_ids if r != event.giver_id)
                return Audience("thanks", "/wall", account_ids=people) if people else None
            case DigestPublished():
                return Audience("digest", "/wall/digest", pool_id=event.pool_id)
            case _:
                return None

    def wants(self, event: MailEvent) -> bool:
        """Most status changes mail nobody: those need no transaction."""
        return self.audience(event) is not None

    async def needs(self, conn: Conn, event: MailEvent) -> bool:
        """Whether anyone it concerns takes this news by e-mail now. Most people have it on
        their phone: then the event is done with in one read, no transaction, no inbox row."""
        to = self.audience(event)
        return to is not None and bool(await store.by_email(conn, to.kind, to.account_ids, to.pool_id))

    async def on_event(self, conn: Conn, event: MailEvent) -> None:
        if (to := self.audience(event)) is not None:
            await self._send(conn, to.kind, to.path, account_ids=to.account_ids, pool_id=to.pool_id)

    async def _send(
        self, conn: Conn, kind: Kind, path: str, *, account_ids: Sequence[str] = (), pool_id: str | None = None
    ) -> None:
        for person in await store.by_email(conn, kind, account_ids, pool_id):
            stop = f"{self.public_url}/unsubscribe/{unsubscribe.token(self.secret, person.id, kind)}"
            context: dict[str, Any] = {
                "name": person.name,
                "link": f"{self.public_url}{path}",
                "unsubscribe": stop,
                "settings": f"{self.public_url}/settings",
            }
            headers = {"List-Unsubscribe": f"<{stop}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
            language = person.language if person.language in ("nl", "en") else "nl"
            await mail.queue(
                conn, to=person.email, template=TEMPLATES[kind], language=language, context=context, headers=headers
            )

    def consumers(self, rt: Runtime) -> list[Consumer[Any]]:
        return [
            rt.consumer(
                f"pwa-mail-{stream.lower()}", stream, subjects, MailEvent, self.on_event, self.wants, self.needs
            )
            for stream, subjects in SUBJECTS.items()
        ]
