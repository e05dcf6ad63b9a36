"""The requester corrects a request before anyone picks it up: text, urgency, wished-for date
(files are added and removed on the request's page). Afterwards the page says to use the
conversation instead; intake refuses the edit then too."""

from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from pwa.clients import Clients
from pwa.gateway import ServiceError
from pwa.records import Account
from pwa.views.common import AnyRequest, back_to, page
from pwa.views.requests import URGENCIES

NOT_STARTED = ("submitted", "offered")


class EditForm(msgspec.Struct):
    description: str = ""
    urgency: str = "normal"
    wished_for: str = ""


def problems(form: EditForm) -> dict[str, str]:
    found = {}
    if not form.description.strip():
        found["description"] = "describe"
    elif len(form.description) > 4000:
        found["description"] = "too_long"
    if form.urgency not in URGENCIES:
        found["urgency"] = "pick_urgency"
    return found


def changes(form: EditForm) -> dict[str, Any]:
    body: dict[str, Any] = {"description": form.description.strip(), "urgency": form.urgency}
    if form.wished_for:
        body["wished_for"] = form.wished_for
    else:
        body["keep_wished_for"] = False
    return body


class RequestEditPages(Controller):
    path = "/requests/{request_id:uuid}/edit"

    @get("/")
    async def form(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        request_id: FromPath[UUID],
    ) -> Template | Redirect:
        item = await clients.intake.request(account.caller(), request_id)
        if account.id not in (item.requester_id, item.on_behalf_of) or item.status not in NOT_STARTED:
            return back_to(f"/requests/{request_id}", "too_late_to_edit")
        wished_for = item.wished_for.isoformat() if item.wished_for else ""
        form = EditForm(description=item.description, urgency=item.urgency, wished_for=wished_for)
        return page(request, "edit_request", account, item=item, form=form, errors={})

    @post("/")
    async def save(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        request_id: FromPath[UUID],
        data: URLEncodedBody[EditForm],
    ) -> Template | Redirect:
        here = f"/requests/{request_id}"
        errors = problems(data)
        if not errors:
            try:
                await clients.intake.edit(account.caller(), request_id, changes(data))
            except ServiceError as exc:
                if exc.status >= 500:
                    raise
                if exc.status == 409:
                    return back_to(here, "too_late_to_edit")
                errors = {exc.field or "form": "refused"}
            else:
                return back_to(here, "edited")
        item = await clients.intake.request(account.caller(), request_id)
        return page(request, "edit_request", account, status_code=422, item=item, form=data, errors=errors)
