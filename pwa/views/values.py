"""The organisation's values (what kudos can be tagged with), for admins and leads: rename
in Dutch and English, add, retire (kudos keep their tag) and bring back."""

import re

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.params import URLEncodedBody
from litestar.response import Redirect, Template

from pwa.clients import Clients
from pwa.records import Account
from pwa.views.common import AnyRequest, act, audited, back_to, page
from services.platform.unit_of_work import RequestConn

VALUE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


def sets_values(account: Account) -> None:
    if not (account.has("admin") or account.has("lead")):
        raise PermissionDeniedException("for admins and leads")


class ValueForm(msgspec.Struct):
    id: str = ""
    nl: str = ""
    en: str = ""
    retire: str = ""


class ValuePages(Controller):
    path = "/admin/values"

    @get("/")
    async def values(
        self, request: AnyRequest, account: NamedDependency[Account], clients: NamedDependency[Clients]
    ) -> Template:
        sets_values(account)
        found = await clients.recognition.values(account.caller(), include_retired=True)
        return page(request, "values", account, values=found)

    @post("/")
    async def save(
        self,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
        data: URLEncodedBody[ValueForm],
    ) -> Redirect:
        sets_values(account)
        value_id = data.id.strip().lower() or re.sub(r"[^a-z0-9]+", "-", data.nl.lower()).strip("-")
        if not VALUE_ID.match(value_id) or not data.nl.strip() or not data.en.strip():
            return back_to("/admin/values", "bad_value")
        if data.retire == "1":
            call = clients.recognition.retire_value(account.caller(), value_id)
        else:
            body = {"nl": data.nl.strip()[:100], "en": data.en.strip()[:100]}
            call = clients.recognition.set_value(account.caller(), value_id, body)
        detail = {"retired": data.retire == "1", "nl": data.nl.strip()[:100], "en": data.en.strip()[:100]}
        return await act(
            audited(call, conn, account, "value.changed", value_id, detail), "/admin/values", "value_saved"
        )
