"""Files on a request, both ways: the requester's documents and photos, the member's finished
work. An upload streams from the caller into the object store — its first bytes decide whether
the pool takes it (filetypes.py), the size is counted on the way — and only then is its
metadata written, with a timeline entry and `AttachmentAdded`, in one transaction.

Who sees a file: the requester and the people who work on the request, and the pool's members
and leads while the request is open. To anyone else it does not exist (404).
"""

from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import unquote
from uuid import UUID, uuid4

import msgspec
import structlog

from services.contracts.intake import AttachmentAdded, RequestEdited
from services.intake import access, changes, domain, filetypes, records, store, store_attachments
from services.intake.records import Attachment
from services.platform import outbox
from services.platform.db import Conn
from services.platform.errors import Conflict, Forbidden, NotFound
from services.platform.objects import Objects, ObjectTooLarge
from services.platform.tokens import Caller

log = structlog.get_logger(__name__)
STALE_UPLOADS = timedelta(days=1)


class TooLarge(Exception):
    """The file is larger than the setting allows (413)."""


class NotAccepted(Exception):
    """The file's content is not a type the pool takes (415)."""


def clean_filename(raw: str) -> str:
    """A display name from the caller's (percent-encoded) name: no folders, no control
    characters, at most 200 characters with the extension kept."""
    name = unquote(raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join("".join(c for c in name if c.isprintable()).split()).strip(". ")
    if len(name) > 200:
        ext = filetypes.extension(name)[:20]
        name = name[: 200 - len(ext)] + ext
    return name or "file"


async def _drain(chunks: AsyncIterator[bytes], limit: int) -> None:
    """Read (and drop) what the caller still sends, up to `limit`, so it gets our answer
    instead of a broken connection."""
    seen = 0
    async for chunk in chunks:
        seen += len(chunk)
        if seen > limit:
            return


async def receive(objects: Objects, chunks: AsyncIterator[bytes], filename: str, limit: int) -> tuple[str, str, int]:
    """Store one streamed file; returns (object key, content type, size). Refused files
    (NotAccepted, TooLarge) leave nothing stored."""
    head = b""
    async for chunk in chunks:
        head += chunk
        if len(head) >= filetypes.HEAD_BYTES:
            break
    try:
        content_type = filetypes.classify(head[: filetypes.HEAD_BYTES], filename)
    except filetypes.Refused as exc:
        await _drain(chunks, limit)
        raise NotAccepted(f"file: {exc}") from None

    async def whole() -> AsyncIterator[bytes]:
        yield head
        async for chunk in chunks:
            yield chunk

    key = f"attachments/{uuid4()}"
    try:
        size = await objects.put(key, whole(), limit=limit)
    except ObjectTooLarge:
        await _drain(chunks, limit)
        raise TooLarge(f"file: {filename} is larger than {limit // (1024 * 1024)} MB") from None
    return key, content_type, size


def may_fetch(caller: Caller, row: records.Request) -> bool:
    if access.is_requester(caller, row) or access.works_on(caller, row):
        return True
    return access.sees_pool(caller, row.pool_id) and row.status not in domain.CLOSED


def adding_role(caller: Caller, row: records.Request) -> str:
    """The role a file is added in: the requester or the pool's lead while the request is open,
    the people on it also once it is done (handing back the result)."""
    if row.status == "cancelled":
        raise Conflict("the request is cancelled: no files can be added")
    if access.works_on(caller, row):
        return "member"
    if row.status == "done":
        raise Conflict("the request is done: only the people who worked on it can still add files")
    if access.is_requester(caller, row):
        return "requester"
    if access.is_lead(caller, row.pool_id):
        return "lead"
    raise Forbidden("only the requester, the people working on it and the pool's lead can add files")


async def visible_request(conn: Conn, caller: Caller, request_id: UUID) -> records.Request:
    """The request, if the caller may see its files; 404 otherwise (also when it exists)."""
    row = await store.get_request(conn, request_id)
    if row is None or not may_fetch(caller, row):
        raise NotFound("no such request")
    return row


async def record(conn: Conn, caller: Caller, request_id: UUID, upload: Attachment) -> Attachment:
    """The stored file becomes part of the request (row locked; checks repeated now)."""
    row = await changes.locked(conn, request_id)
    if not may_fetch(caller, row):
        raise NotFound("no such request")
    role = adding_role(caller, row)
    saved = await store_attachments.insert(conn, msgspec.structs.replace(upload, author_role=role))
    version = await changes.mark(conn, row, kind="attached", actor_id=caller.account_id, detail=saved.filename)
    await outbox.add(
        conn,
        AttachmentAdded(
            event_id=uuid4(),
            occurred_at=changes.now(),
            request_id=str(row.id),
            version=version,
            pool_id=row.pool_id,
            requester_id=row.requester_id,
            attachment_id=str(saved.id),
            added_by=caller.account_id,
            author_role=role,
            on_behalf_of=row.on_behalf_of,
            member_id=row.member_id,
        ),
    )
    return saved


async def remove(conn: Conn, caller: Caller, request_id: UUID, attachment_id: UUID) -> None:
    """The requester takes a file of theirs off the request before it is picked up."""
    row = await changes.locked(conn, request_id)
    found = await store_attachments.get(conn, attachment_id)
    if not may_fetch(caller, row) or found is None or found.request_id != request_id:
        raise NotFound("no such file on this request")
    access.require_requester(caller, row, "remove files")
    if row.status not in domain.NOT_STARTED or found.author_role != "requester":
        raise Conflict("work has started: send a message with the right file instead")
    await store_attachments.delete(conn, attachment_id)
    version = await changes.mark(
        conn, row, kind="attachment_removed", actor_id=caller.account_id, detail=found.filename
    )
    await outbox.add(conn, edited_event(row, version, ["attachments"]))


def edited_event(row: records.Request, version: int, changed: list[str]) -> RequestEdited:
    return RequestEdited(
        event_id=uuid4(),
        occurred_at=changes.now(),
        request_id=str(row.id),
        version=version,
        pool_id=row.pool_id,
        requester_id=row.requester_id,
        changed=changed,
        urgency=row.urgency,
        pickup_due_at=row.pickup_due_at,
        done_due_at=row.done_due_at,
        on_behalf_of=row.on_behalf_of,
        member_id=row.member_id,
    )


async def sweep(conn: Conn, objects: Objects, *, batch: int = 100) -> int:
    """Delete the objects whose metadata is gone, and uploads never sent with a request.
    Returns how many objects were deleted."""
    async with conn.transaction():
        await store_attachments.delete_stale_staged(conn, changes.now() - STALE_UPLOADS, batch)
    async with conn.transaction():
        keys = await store_attachments.claim_deletions(conn, batch)
        for key in keys:
            await objects.delete(key)
        await store_attachments.deleted(conn, keys)
    if keys:
        log.info("attachments deleted", objects=len(keys))
    return len(keys)
