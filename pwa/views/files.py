"""A request's files in the pwa: add some (a multipart form read as a stream, each file relayed
to intake as it arrives), download one (streamed through, always as a download), and remove one
before pick-up. To anyone not on the request a file does not exist: 404, as for a wrong link.
"""

from typing import Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Stream

from pwa.clients import Clients
from pwa.files.config import FilesConfig
from pwa.files.relay import Relayed, file_problem, files_from
from pwa.gateway import ServiceError
from pwa.records import Account
from pwa.views.common import AnyRequest, back_to

PASSED_ON = ("content-type", "content-length", "content-disposition")  # nosniff: every pwa answer has it
NO_CSRF_MIDDLEWARE = {"exclude_from_csrf": True}  # checked in the stream instead (pwa/files/form.py)


def notice_for(results: list[Relayed]) -> str:
    """What the page says after a form with files: the first problem, else that they arrived."""
    return file_problem(results) or ("attached" if results else "no_file")


class FilePages(Controller):
    path = "/requests/{request_id:uuid}/files"

    @post("/", opt=NO_CSRF_MIDDLEWARE, request_max_body_size=None)
    async def add(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        files_config: NamedDependency[FilesConfig],
        request_id: FromPath[UUID],
    ) -> Redirect:
        try:
            _, results = await files_from(request, clients, account, files_config, request_id)
        except ServiceError as exc:
            if exc.status >= 500:
                raise
            return back_to(f"/requests/{request_id}#files", "refused")
        return back_to(f"/requests/{request_id}#files", notice_for(results))

    @get("/{attachment_id:uuid}")
    async def download(
        self,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        request_id: FromPath[UUID],
        attachment_id: FromPath[UUID],
    ) -> Response[Any]:
        try:
            upstream = await clients.intake.open_attachment(account.caller(), request_id, attachment_id)
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise NotFoundException("no such file") from None
            raise
        headers = {k: v for k, v in upstream.headers.items() if k in PASSED_ON}
        return Stream(
            upstream.aiter_raw(),
            headers=headers,
            media_type=upstream.headers["content-type"],
            background=BackgroundTask(upstream.aclose),
        )

    @post("/{attachment_id:uuid}/remove")
    async def remove(
        self,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        request_id: FromPath[UUID],
        attachment_id: FromPath[UUID],
    ) -> Redirect:
        try:
            await clients.intake.remove_attachment(account.caller(), request_id, attachment_id)
        except ServiceError as exc:
            if exc.status >= 500:
                raise
            return back_to(f"/requests/{request_id}#files", "refused")
        return back_to(f"/requests/{request_id}#files", "file_removed")
