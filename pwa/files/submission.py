"""The new-request form as it arrives: URL-encoded (no files) or multipart with files, each file
staged in intake (`/v1/uploads`) while it streams in, to be sent with the request — or dropped
again when the form comes back with a problem."""

import contextlib
from typing import Any
from urllib.parse import parse_qsl

from litestar.exceptions import PermissionDeniedException

from pwa.clients import Clients
from pwa.files.config import FilesConfig
from pwa.files.form import CSRF_FIELD, csrf_ok
from pwa.files.relay import Relayed, files_from
from pwa.gateway import ServiceError
from pwa.records import Account
from services.platform.errors import Invalid

MAX_URLENCODED = 256 * 1024


async def read_form(
    request: Any, clients: Clients, account: Account, config: FilesConfig
) -> tuple[dict[str, str], list[Relayed]]:
    """The form's fields and its files (staged). The CSRF token is checked here (these forms
    bypass Litestar's middleware, which would read a whole upload into memory first)."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        return await files_from(request, clients, account, config, None)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_URLENCODED:
            raise Invalid("form: the form is too long")
    fields = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    if not csrf_ok(request, fields.get(CSRF_FIELD)):
        raise PermissionDeniedException("CSRF token verification failed")
    return fields, []


async def drop_staged(clients: Clients, account: Account, results: list[Relayed]) -> None:
    for r in results:
        if r.id is not None:
            # intake sweeps unclaimed uploads after a day anyway
            with contextlib.suppress(ServiceError):
                await clients.intake.drop_upload(account.caller(), r.id)
