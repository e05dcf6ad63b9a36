"""Intake's API shapes for files on a request, and the headers a download is served with."""

from datetime import datetime
from urllib.parse import quote
from uuid import UUID

import msgspec

from services.intake.store_attachments import Attachment


class AttachmentView(msgspec.Struct):
    id: UUID
    request_id: UUID | None
    filename: str
    content_type: str
    size: int
    uploaded_by: str | None
    author_role: str
    created_at: datetime


def attachment_view(a: Attachment, *, people: bool = True) -> AttachmentView:
    return AttachmentView(
        id=a.id,
        request_id=a.request_id,
        filename=a.filename,
        content_type=a.content_type,
        size=a.size,
        uploaded_by=a.uploaded_by if people else None,
        author_role=a.author_role,
        created_at=a.created_at,
    )


def download_headers(a: Attachment) -> dict[str, str]:
    """Always a download, never shown inline, never sniffed into something else: a file is
    whatever its bytes were checked to be, and it is private to the people on the request."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in a.filename)
    return {
        "content-disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(a.filename, safe='')}",
        "x-content-type-options": "nosniff",
        "cache-control": "private, no-store",
        "content-length": str(a.size),
    }
