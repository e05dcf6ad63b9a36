"""Staff pages for requests: my requests (live), a new request, one request's page.

The form posts to intake through the gateway; the idempotency key is minted when the form
is rendered, so a retried or offline-queued submission can never create a second request.
"""

import uuid
from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from pwa.accounts import Account
from pwa.gateway import Gateway, ServiceError
from pwa.views.common import language_of, page


class RequestForm(msgspec.Struct):
    type_id: str = ""
    description: str = ""
    urgency: str = "normal"
    wished_for: str = ""
    on_behalf_of: str = ""
    idempotency_key: str = ""


def _payload(form: RequestForm, language: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type_id": form.type_id,
        "description": form.description.strip(),
        "urgency": form.urgency,
        "idempotency_key": form.idempotency_key,
        "language": language,
    }
    if form.wished_for:
        body["wished_for"] = form.wished_for
    if form.on_behalf_of:
        body["on_behalf_of"] = form.on_behalf_of
    return body


class RequestPages(Controller):
    @get("/")
    async def home(self) -> Redirect:
        return Redirect("/requests")

    @get("/requests")
    async def mine(
        self, request: Request[Any, Any, Any], account: NamedDependency[Account], gateway: NamedDependency[Gateway]
    ) -> Template:
        rows = await gateway.call("intake", "GET", "/v1/requests/", account.caller())
        return page(request, "requests", account, requests=rows)

    @get("/requests/new")
    async def new(
        self, request: Request[Any, Any, Any], account: NamedDependency[Account], gateway: NamedDependency[Gateway]
    ) -> Template:
        types = await gateway.call("intake", "GET", "/v1/request-types/", account.caller())
        return page(request, "new_request", account, types=types, form=RequestForm(idempotency_key=str(uuid.uuid4())),
                    error=None)  # fmt: skip

    @post("/requests")
    async def submit(
        self,
        request: Request[Any, Any, Any],
        account: NamedDependency[Account],
        gateway: NamedDependency[Gateway],
        data: URLEncodedBody[RequestForm],
    ) -> Template | Redirect:
        try:
            created = await gateway.call(
                "intake", "POST", "/v1/requests/", account.caller(), json=_payload(data, language_of(request, account))
            )
        except ServiceError as exc:
            if exc.status >= 500:
                raise
            types = await gateway.call("intake", "GET", "/v1/request-types/", account.caller())
            return page(request, "new_request", account, status_code=422, types=types, form=data, error=exc.detail)
        return Redirect(f"/requests/{created['id']}", status_code=303)

    @get("/requests/{request_id:uuid}")
    async def one(
        self,
        request: Request[Any, Any, Any],
        account: NamedDependency[Account],
        gateway: NamedDependency[Gateway],
        request_id: FromPath[UUID],
    ) -> Template:
        caller = account.caller()
        item = await gateway.call("intake", "GET", f"/v1/requests/{request_id}", caller)
        timeline = await gateway.call("intake", "GET", f"/v1/requests/{request_id}/timeline", caller)
        return page(request, "request", account, item=item, timeline=timeline)
