"""Staff pages for requests: my requests (live), a new request and its submission.

The form posts to intake through its client; the idempotency key is minted when the form
is rendered, so a retried or offline-queued submission can never create a second request.
"""

import uuid
from typing import Any

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from pwa import accounts
from pwa.clients import Clients
from pwa.files import submission
from pwa.files.config import FilesConfig
from pwa.files.relay import file_problem
from pwa.gateway import ServiceError
from pwa.records import Account
from pwa.views.common import AnyRequest, back_to, language_of, names, page
from services.contracts.intake_api import RequestView, TypeView
from services.platform.db import Conn
from services.platform.runtime import Runtime
from services.platform.unit_of_work import RequestConn

OPEN = ("submitted", "offered", "in_progress", "waiting_on_requester")
URGENCIES = ("low", "normal", "high")


class RequestForm(msgspec.Struct):
    type_id: str = ""
    description: str = ""
    urgency: str = "normal"
    wished_for: str = ""
    on_behalf_of: str = ""
    idempotency_key: str = ""


def problems(form: RequestForm) -> dict[str, str]:
    """Field -> message key; checked here so a person gets the message next to the field.
    Whether the type is one this person may ask for is intake's to say (see `refusal`)."""
    found = {}
    if not form.type_id:
        found["type_id"] = "pick_type"
    if not form.description.strip():
        found["description"] = "describe"
    elif len(form.description) > 4000:
        found["description"] = "too_long"
    if form.urgency not in URGENCIES:
        found["urgency"] = "pick_urgency"
    if len(form.idempotency_key) < 8:
        found["form"] = "stale_form"
    return found


def refusal(exc: ServiceError) -> dict[str, str]:
    """Intake's refusal of a submitted form, next to its field. A type that is unknown, retired
    or another pool's (403) is asked to be picked again from the list the form shows."""
    if exc.field == "type_id" or exc.status == 403:
        return {"type_id": "pick_type"}
    return {exc.field or "form": "refused"}


def payload(form: RequestForm, language: str) -> dict[str, Any]:
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


async def people_for(conn: Conn, rows: list[RequestView]) -> dict[str, str]:
    ids = [i for r in rows for i in (r.requester_id, r.on_behalf_of, r.member_id, r.buddy_id)]
    return await names(conn, ids)


def served_types(account: Account, types: list[TypeView]) -> list[TypeView]:
    """The types of the pools that serve this person: those in their pools (intake refuses others)."""
    return [t for t in types if t.pool_id in account.pools]


async def colleagues(conn: Conn, account: Account) -> list[Account]:
    everyone = await accounts.directory(conn, list(account.pools) or None)
    return [a for a in everyone if a.id != account.id]


class RequestPages(Controller):
    @get("/requests")
    async def mine(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
    ) -> Template:
        rows = await clients.intake.mine(account.caller())
        open_rows = [r for r in rows if r.status in OPEN]
        finished = [r for r in rows if r.status not in OPEN]
        return page(
            request,
            "requests",
            account,
            fragment="my_requests",
            open_requests=open_rows,
            finished=finished,
            people=await people_for(conn, rows),
        )

    @get("/requests/new")
    async def new(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
    ) -> Template:
        form = RequestForm(idempotency_key=str(uuid.uuid4()))
        return await self._form(request, account, clients, conn, form, {}, 200)

    async def _form(
        self,
        request: AnyRequest,
        account: Account,
        clients: Clients,
        conn: Conn,
        form: RequestForm,
        errors: dict[str, str],
        status: int,
    ) -> Template:
        types = served_types(account, await clients.intake.types(account.caller()))
        return page(
            request,
            "new_request",
            account,
            status_code=status,
            types=types,
            form=form,
            errors=errors,
            colleagues=await colleagues(conn, account),
        )

    # With files the form is multipart: read as a stream (pwa/files), its CSRF token checked there.
    @post("/requests", opt={"exclude_from_csrf": True}, request_max_body_size=None)
    async def submit(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        runtime: NamedDependency[Runtime],
        files_config: NamedDependency[FilesConfig],
    ) -> Template | Redirect:
        # Not the request's connection: none is held while the form and its files stream in.
        fields, files = await submission.read_form(request, clients, account, files_config)
        form = msgspec.convert({k: v for k, v in fields.items() if k in RequestForm.__struct_fields__}, RequestForm)
        errors = problems(form)
        if (refused_file := file_problem(files)) is not None:
            errors["files"] = refused_file
        if not errors:
            body = {**payload(form, language_of(request, account)), "attachment_ids": [str(f.id) for f in files]}
            try:
                created = await clients.intake.submit(account.caller(), body)
            except ServiceError as exc:
                if exc.status >= 500:
                    raise
                errors = refusal(exc)
            else:
                return back_to(f"/requests/{created.id}", "submitted")
        await submission.drop_staged(clients, account, files)
        async with runtime.pool.acquire() as conn:
            return await self._form(request, account, clients, conn, form, errors, 422)
