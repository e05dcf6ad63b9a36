"""Calendars: one request as an `.ics` download, and each person's private feed of their open
work and due dates (a secret link for Outlook or Google Calendar, which cannot sign in; made,
replaced and stopped on the settings page)."""

from uuid import UUID

import msgspec
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pwa import calendar_feeds, ics
from pwa.clients import Clients
from pwa.gateway import ServiceError
from pwa.records import Account
from pwa.views.common import AnyRequest, back_to, form_data, language_of, page
from services.contracts.intake_api import RequestView
from services.platform.unit_of_work import RequestConn

OPEN = ("submitted", "offered", "in_progress", "waiting_on_requester")
ICS = "text/calendar; charset=utf-8"


def base_url(request: AnyRequest) -> str:
    return str(request.base_url).rstrip("/")


async def open_work(clients: Clients, account: Account) -> list[RequestView]:
    """What belongs in this person's calendar: their open requests, and the open work they are on."""
    mine = await clients.intake.mine(account.caller(), limit=200)
    items = [r for r in mine if r.status in OPEN]
    if account.has("secretary"):
        items += await clients.intake.assigned(account.caller(), {"which": "open", "limit": 200})
    return items


class CalendarPages(Controller):
    @get("/requests/{request_id:uuid}/calendar.ics")
    async def one(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        request_id: FromPath[UUID],
    ) -> Response[bytes]:
        item = await clients.intake.request(account.caller(), request_id)
        lang = language_of(request, account)
        # pwa/ics.py reads a request as intake's JSON has it (builtins: text ids and times).
        as_json = msgspec.to_builtins([item])
        body = ics.calendar(as_json, base_url(request), lang, name=item.type_name[lang], with_text=True)
        headers = {"content-disposition": f'attachment; filename="secpool-{request_id}.ics"'}
        return Response(body, media_type=ICS, headers=headers)

    @get("/calendar/{token:str}")
    async def feed(
        self,
        request: AnyRequest,
        conn: RequestConn,
        clients: NamedDependency[Clients],
        token: FromPath[str],
    ) -> Response[bytes]:
        """The feed behind a secret link (no session: the link is the key)."""
        owner = await calendar_feeds.owner_of(conn, token.removesuffix(".ics"))
        if owner is None:
            raise NotFoundException("no such calendar")
        try:
            items = await open_work(clients, owner)
        except ServiceError as exc:
            raise NotFoundException("no such calendar") if exc.status in (401, 403) else exc from None
        as_json = msgspec.to_builtins(items)
        name = f"secpool · {owner.name}"
        body = ics.calendar(as_json, base_url(request), owner.language, name=name, with_text=False)
        # Calendar apps poll: let them keep it a few minutes; nobody else may store it.
        return Response(body, media_type=ICS, headers={"cache-control": "private, max-age=300"})

    @post("/settings/calendar")
    async def change(
        self, request: AnyRequest, account: NamedDependency[Account], conn: RequestConn
    ) -> Template | Redirect:
        """Make a new secret link (shown once; the old one stops working), or stop the feed."""
        action = (await form_data(request)).get("action")
        if action != "new":
            await calendar_feeds.stop(conn, account.id)
            return back_to("/settings#calendar-title", "calendar_stopped")
        token = await calendar_feeds.new_link(conn, account.id)
        return page(request, "calendar_link", account, link=f"{base_url(request)}/calendar/{token}.ics")
