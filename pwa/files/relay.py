"""One file from a form, relayed to intake while it arrives: staged for a request not sent yet
(`/v1/uploads`) or added to a request. The outcome is what the page says to the person."""

from collections.abc import AsyncIterator
from typing import Any, Literal
from uuid import UUID

import msgspec
from litestar.exceptions import PermissionDeniedException

from pwa.clients import Clients
from pwa.clients.intake import IntakeClient
from pwa.files.config import MAX_FILES, FilesConfig
from pwa.files.form import CSRF_FIELD, FormStream, csrf_ok
from pwa.gateway import ServiceError, ServiceUnreachable
from pwa.records import Account
from services.platform.tokens import Caller

Outcome = Literal["stored", "too_large", "not_accepted", "refused"]


class Relayed(msgspec.Struct, frozen=True):
    filename: str
    outcome: Outcome
    id: UUID | None = None


class Oversize(Exception):
    """The pwa's own count passed the limit: the relay to intake is abandoned."""


async def relay(
    intake: IntakeClient, caller: Caller, form: FormStream, filename: str, request_id: UUID | None, limit: int
) -> Relayed:
    """Send the form's current file part to intake: added to request `request_id`, or staged
    for a request not sent yet (None). Past `limit` bytes the relay is cut
    short (intake then stores nothing) and the rest of the part is read and dropped."""
    seen = 0

    async def counted() -> AsyncIterator[bytes]:
        nonlocal seen
        async for chunk in form.chunks():
            seen += len(chunk)
            if seen > limit:
                raise Oversize()
            yield chunk

    try:
        stored = await intake.upload(caller, request_id, counted(), filename)
    except Oversize:
        outcome: Outcome = "too_large"
    except ServiceUnreachable:
        if seen <= limit:
            raise
        outcome = "too_large"  # intake hung up on a file past the limit
    except ServiceError as exc:
        if exc.status >= 500:
            raise
        outcome = {413: "too_large", 415: "not_accepted"}.get(exc.status, "refused")  # type: ignore[assignment]
    else:
        return Relayed(filename=filename, outcome="stored", id=stored)
    async for _ in form.chunks():  # what is left of this file
        pass
    return Relayed(filename=filename, outcome=outcome)


def file_problem(results: list[Relayed]) -> str | None:
    """The field error for the files, if one was refused (nothing of the form is sent then)."""
    for outcome in ("too_large", "not_accepted", "refused"):
        if any(r.outcome == outcome for r in results):
            return f"file_{outcome}"
    return None


async def files_from(
    request: Any, clients: Clients, account: Account, config: FilesConfig, request_id: UUID | None
) -> tuple[dict[str, str], list[Relayed]]:
    """Read a multipart form: its text fields, and each of its files relayed to intake as it
    arrives (for request `request_id`, or staged when None). The CSRF token must come (header, or the first field) before any file."""
    form = FormStream.of(request)
    checked = csrf_ok(request, request.headers.get("x-csrf-token"))
    fields: dict[str, str] = {}
    results: list[Relayed] = []
    async for part in form:
        if part.filename is None:
            fields[part.name] = await form.text()
            if part.name == CSRF_FIELD and not checked:
                checked = csrf_ok(request, fields[part.name])
            continue
        if not checked:
            raise PermissionDeniedException("CSRF token verification failed")
        if not part.filename or len(results) >= MAX_FILES:
            continue  # an empty file input, or more files than a form may carry
        caller = account.caller()
        results.append(await relay(clients.intake, caller, form, part.filename, request_id, config.max_bytes))
    if not checked:
        raise PermissionDeniedException("CSRF token verification failed")
    return fields, results
