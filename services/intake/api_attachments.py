"""Intake's HTTP API (v1) for files: upload (the raw body, streamed; the name in `X-Filename`,
percent-encoded), staged before a request is sent or straight onto a request; list, download
(always `Content-Disposition: attachment`, `nosniff`) and remove before pick-up."""

from typing import Any
from uuid import UUID, uuid4

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Stream

from services.contracts.intake_api import AttachmentView
from services.intake import access, attachments, changes, store_attachments
from services.intake.answers import attachment_view, download_headers
from services.intake.api_docs import errors
from services.intake.config import IntakeConfig
from services.intake.records import Attachment
from services.platform.db import Conn
from services.platform.errors import NotFound
from services.platform.objects import Objects
from services.platform.runtime import Runtime
from services.platform.tokens import Caller
from services.platform.unit_of_work import RequestConn

CallerRequest = Request[Caller, str, Any]
RAW_BODY = "The file itself as the request body (any content type; its bytes decide what it is)."


async def _receive(
    request: CallerRequest, objects: Objects, config: IntakeConfig, request_id: UUID | None
) -> Attachment:
    name = attachments.clean_filename(request.headers.get("x-filename", ""))
    key, content_type, size = await attachments.receive(objects, request.stream(), name, config.attachment_max_bytes)
    return Attachment(
        id=uuid4(),
        request_id=request_id,
        uploaded_by=request.user.account_id,
        author_role="requester",
        filename=name,
        content_type=content_type,
        size=size,
        object_key=key,
        created_at=changes.now(),
    )


async def _keep_or_drop(
    objects: Objects, upload: Attachment, conn: Conn, request_id: UUID | None, caller: Caller
) -> Attachment:
    """Write the metadata; if that fails the stored object goes again."""
    try:
        async with conn.transaction():
            if request_id is None:
                return await store_attachments.insert(conn, upload)
            return await attachments.record(conn, caller, request_id, upload)
    except BaseException:
        await objects.delete(upload.object_key)
        raise


class UploadsController(Controller):
    path = "/v1/uploads"
    tags = ["files"]  # noqa: RUF012

    @post(
        "/",
        status_code=201,
        request_max_body_size=None,
        description=RAW_BODY,
        summary="Upload a file for a request not sent yet (its id goes in NewRequest.attachment_ids; "
        "unclaimed uploads expire after a day). 413: too large; 415: not a type the pool takes",
        **errors(413, 415, 422),
    )
    async def stage(
        self,
        request: CallerRequest,
        runtime: NamedDependency[Runtime],
        objects: NamedDependency[Objects],
        config: NamedDependency[IntakeConfig],
    ) -> AttachmentView:
        # Its own connection, taken only once the file is stored: a request's connection (and a
        # transaction) would be held for as long as the caller takes to send the file, and the
        # object must go again when writing its metadata fails (see _keep_or_drop).
        upload = await _receive(request, objects, config, None)
        async with runtime.pool.acquire() as conn:
            return attachment_view(await _keep_or_drop(objects, upload, conn, None, request.user))

    @delete(
        "/{upload_id:uuid}", status_code=204, summary="Drop an upload of mine not sent with a request", **errors(404)
    )
    async def drop(self, request: CallerRequest, conn: RequestConn, upload_id: FromPath[UUID]) -> None:
        if not await store_attachments.delete_staged(conn, [upload_id], request.user.account_id):
            raise NotFound("no such upload of yours")  # someone else's looks the same as none


class AttachmentsController(Controller):
    path = "/v1/requests/{request_id:uuid}/attachments"
    tags = ["files"]  # noqa: RUF012

    @post(
        "/",
        status_code=201,
        request_max_body_size=None,
        description=RAW_BODY,
        summary="Add a file to a request: its requester or the pool's lead while it is open, the people "
        "on it also once it is done. 413: too large; 415: not a type the pool takes",
        **errors(403, 404, 409, 413, 415),
    )
    async def add(
        self,
        request: CallerRequest,
        runtime: NamedDependency[Runtime],
        objects: NamedDependency[Objects],
        config: NamedDependency[IntakeConfig],
        request_id: FromPath[UUID],
    ) -> AttachmentView:
        # Connections of its own, none held while the file streams in (see UploadsController.stage).
        async with runtime.pool.acquire() as conn:
            row = await attachments.visible_request(conn, request.user, request_id)
            attachments.adding_role(request.user, row)  # refuse before reading the file
        upload = await _receive(request, objects, config, request_id)
        async with runtime.pool.acquire() as conn:
            return attachment_view(await _keep_or_drop(objects, upload, conn, request_id, request.user))

    @get("/", summary="The request's files, oldest first (the people on it; its pool while it is open)", **errors(404))
    async def list_files(
        self, request: CallerRequest, conn: RequestConn, request_id: FromPath[UUID]
    ) -> list[AttachmentView]:
        row = await attachments.visible_request(conn, request.user, request_id)
        people = access.sees_people(request.user, row)
        return [attachment_view(a, people=people) for a in await store_attachments.of_request(conn, request_id)]

    @get("/{attachment_id:uuid}", summary="Download a file (Content-Disposition: attachment, nosniff)", **errors(404))
    async def download(
        self,
        request: CallerRequest,
        conn: RequestConn,
        objects: NamedDependency[Objects],
        request_id: FromPath[UUID],
        attachment_id: FromPath[UUID],
    ) -> Response[Any]:
        # The request's connection goes back to the pool before the bytes stream (unit_of_work).
        await attachments.visible_request(conn, request.user, request_id)
        found = await store_attachments.get(conn, attachment_id)
        if found is None or found.request_id != request_id:
            raise NotFound("no such file on this request")
        try:
            chunks = await objects.open(found.object_key)
        except FileNotFoundError:
            raise NotFound("this file is no longer kept") from None
        return Stream(chunks, media_type=found.content_type, headers=download_headers(found))

    @delete(
        "/{attachment_id:uuid}",
        status_code=204,
        summary="The requester removes a file before pick-up",
        **errors(403, 404, 409),
    )
    async def remove(
        self,
        request: CallerRequest,
        conn: RequestConn,
        request_id: FromPath[UUID],
        attachment_id: FromPath[UUID],
    ) -> None:
        await attachments.remove(conn, request.user, request_id, attachment_id)
