"""How each person hears of each kind of news (push, e-mail or nothing), chosen on the settings
page; and the one-click unsubscribe that every notification e-mail links to (RFC 8058: a mail
client may POST to it on its own, without a session; the signed link is the key)."""

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pwa import accounts
from pwa.notify import store, unsubscribe
from pwa.notify.store import CHANNELS, KINDS, Kind
from pwa.records import Account
from pwa.views.common import AnyRequest, back_to, form_data, page
from services.platform.db import Conn
from services.platform.runtime import Runtime
from services.platform.unit_of_work import RequestConn

ONE_CLICK = {"exclude_from_csrf": True}  # the signed link authenticates; a mail client has no CSRF token


def kinds_for(account: Account) -> list[Kind]:
    """The kinds of news that can reach this person."""
    return [k for k in KINDS if k != "offered" or account.has("secretary")]


class NotificationPages(Controller):
    @post("/settings/channels")
    async def choose(self, request: AnyRequest, account: NamedDependency[Account], conn: RequestConn) -> Redirect:
        form = await form_data(request)
        for kind in kinds_for(account):
            channel = form.get(f"channel-{kind}")
            if channel in CHANNELS:
                await store.choose(conn, account.id, kind, channel)
        return back_to("/settings#channels-title", "channels")

    async def _owner(self, runtime: Runtime, conn: Conn, token: str) -> tuple[Account, Kind]:
        found = unsubscribe.read(runtime.settings.web_secret, token)
        if found is None:
            raise NotFoundException("this link is not valid")
        person = await accounts.get(conn, found[0])
        if person is None:
            raise NotFoundException("this link is not valid")
        return person, found[1]

    @get("/unsubscribe/{token:str}")
    async def confirm(
        self, request: AnyRequest, runtime: NamedDependency[Runtime], conn: RequestConn, token: FromPath[str]
    ) -> Template:
        _, kind = await self._owner(runtime, conn, token)
        return page(request, "unsubscribe", None, kind=kind, token=token, done=False)

    @post("/unsubscribe/{token:str}", opt=ONE_CLICK, status_code=200)
    async def stop(
        self, request: AnyRequest, runtime: NamedDependency[Runtime], conn: RequestConn, token: FromPath[str]
    ) -> Template:
        """One click: no more e-mail of this kind (nothing at all, not push instead)."""
        person, kind = await self._owner(runtime, conn, token)
        await store.choose(conn, person.id, kind, "none")
        return page(request, "unsubscribe", None, kind=kind, token=token, done=True)
