"""The pwa's client for intake: requests, their conversation and files, request types,
recurring requests, search, a pool's figures and retention. One method per endpoint; the page
never builds a path."""

from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import msgspec

from pwa.clients.base import Params, ServiceClient
from pwa.gateway import FileStream, ServiceError
from services.contracts.intake_api import (
    AttachmentView,
    Cancellation,
    CommentView,
    NewComment,
    NewRating,
    PoolInsights,
    RecurringView,
    RequestView,
    Retention,
    SearchHit,
    TimelineEntry,
    TypeChangeView,
    TypeView,
)
from services.platform.tokens import Caller

REQUESTS = "/v1/requests"
TYPES = "/v1/request-types"

_any = msgspec.json.Decoder()
_request = msgspec.json.Decoder(RequestView)
_requests = msgspec.json.Decoder(list[RequestView])
_timeline = msgspec.json.Decoder(list[TimelineEntry])
_comments = msgspec.json.Decoder(list[CommentView])
_attachment = msgspec.json.Decoder(AttachmentView)
_attachments = msgspec.json.Decoder(list[AttachmentView])
_type = msgspec.json.Decoder(TypeView)
_types = msgspec.json.Decoder(list[TypeView])
_type_changes = msgspec.json.Decoder(list[TypeChangeView])
_recurring = msgspec.json.Decoder(list[RecurringView])
_hits = msgspec.json.Decoder(list[SearchHit])
_insights = msgspec.json.Decoder(PoolInsights)
_retention = msgspec.json.Decoder(Retention)


class IntakeClient(ServiceClient):
    service = "intake"

    # Requests

    async def submit(self, caller: Caller, body: object) -> RequestView:
        return await self._ask(_request, "POST", f"{REQUESTS}/", caller, body)

    async def request(self, caller: Caller, request_id: UUID | str) -> RequestView:
        return await self._get(_request, f"{REQUESTS}/{request_id}", caller)

    async def requests(self, caller: Caller, ids: list[str]) -> list[RequestView]:
        """Up to 100 requests in one call: those the caller may see (the others are left out)."""
        return await self._get(_requests, f"{REQUESTS}/by-id", caller, {"id": ids})

    async def edit(self, caller: Caller, request_id: UUID | str, changes: object) -> None:
        await self._do("PATCH", f"{REQUESTS}/{request_id}", caller, changes)

    async def mine(self, caller: Caller, *, limit: int | None = None) -> list[RequestView]:
        return await self._get(_requests, f"{REQUESTS}/", caller, None if limit is None else {"limit": limit})

    async def assigned(self, caller: Caller, params: Params | None = None) -> list[RequestView]:
        """Requests I work on; `params` narrows them (`which`, `limit`)."""
        return await self._get(_requests, f"{REQUESTS}/assigned", caller, params)

    async def timeline(self, caller: Caller, request_id: UUID | str) -> list[TimelineEntry]:
        return await self._get(_timeline, f"{REQUESTS}/{request_id}/timeline", caller)

    async def comments(self, caller: Caller, request_id: UUID | str) -> list[CommentView]:
        return await self._get(_comments, f"{REQUESTS}/{request_id}/comments", caller)

    async def comment(self, caller: Caller, request_id: UUID | str, body: str, *, question: bool) -> None:
        await self._do("POST", f"{REQUESTS}/{request_id}/comments", caller, NewComment(body=body, question=question))

    async def move(self, caller: Caller, request_id: UUID | str, status: str) -> None:
        await self._do("POST", f"{REQUESTS}/{request_id}/status", caller, {"status": status})

    async def cancel(self, caller: Caller, request_id: UUID | str, reason: str) -> None:
        await self._do("POST", f"{REQUESTS}/{request_id}/cancel", caller, Cancellation(reason=reason))

    async def rate(self, caller: Caller, request_id: UUID | str, rating: int, comment: str) -> None:
        await self._do("POST", f"{REQUESTS}/{request_id}/rating", caller, NewRating(rating=rating, comment=comment))

    # Files

    async def attachments(self, caller: Caller, request_id: UUID | str) -> list[AttachmentView]:
        """The files the caller may see: a closed request's files are its people's only, and
        intake answers the rest of the pool 404 there, which for this list means none."""
        try:
            return await self._get(_attachments, f"{REQUESTS}/{request_id}/attachments/", caller)
        except ServiceError as exc:
            if exc.status == 404:
                return []
            raise

    async def upload(
        self, caller: Caller, request_id: UUID | None, chunks: AsyncIterator[bytes], filename: str
    ) -> UUID:
        """Relay one file: added to the request, or staged for a request not sent yet (None)."""
        path = "/v1/uploads/" if request_id is None else f"{REQUESTS}/{request_id}/attachments/"
        return _attachment.decode(await self._gateway.send_file(self.service, path, caller, chunks, filename)).id

    async def drop_upload(self, caller: Caller, upload_id: UUID) -> None:
        await self._do("DELETE", f"/v1/uploads/{upload_id}", caller)

    async def open_attachment(self, caller: Caller, request_id: UUID, attachment_id: UUID) -> FileStream:
        """The file as a stream: pass `aiter_raw()` on and `aclose()` it."""
        path = f"{REQUESTS}/{request_id}/attachments/{attachment_id}"
        return await self._gateway.open_file(self.service, path, caller)

    async def remove_attachment(self, caller: Caller, request_id: UUID, attachment_id: UUID) -> None:
        await self._do("DELETE", f"{REQUESTS}/{request_id}/attachments/{attachment_id}", caller)

    # Request types

    async def types(self, caller: Caller, *, include_retired: bool = False) -> list[TypeView]:
        return await self._get(_types, f"{TYPES}/", caller, {"include_retired": "true"} if include_retired else None)

    async def request_type(self, caller: Caller, type_id: str) -> TypeView:
        return await self._get(_type, f"{TYPES}/{type_id}", caller)

    async def type_history(self, caller: Caller, type_id: str) -> list[TypeChangeView]:
        return await self._get(_type_changes, f"{TYPES}/{type_id}/history", caller)

    async def create_type(self, caller: Caller, body: object) -> TypeView:
        return await self._ask(_type, "POST", f"{TYPES}/", caller, body)

    async def change_type(self, caller: Caller, type_id: str, fields: object) -> None:
        await self._do("PUT", f"{TYPES}/{type_id}", caller, fields)

    async def retire_type(self, caller: Caller, type_id: str, *, retired: bool) -> None:
        await self._do("POST", f"{TYPES}/{type_id}/{'retire' if retired else 'reinstate'}", caller)

    # Recurring requests

    async def recurring(self, caller: Caller) -> list[RecurringView]:
        return await self._get(_recurring, "/v1/recurring/", caller)

    async def repeat(self, caller: Caller, body: object) -> None:
        await self._do("POST", "/v1/recurring/", caller, body)

    async def change_recurring(self, caller: Caller, schedule_id: UUID, action: str) -> None:
        await self._do("POST", f"/v1/recurring/{schedule_id}/{action}", caller)

    # Search, pools, privacy

    async def search(self, caller: Caller, params: Params) -> list[SearchHit]:
        return await self._get(_hits, "/v1/search/", caller, params)

    async def pool_queue(self, caller: Caller, pool_id: str) -> list[RequestView]:
        return await self._get(_requests, f"/v1/pools/{pool_id}/queue", caller)

    async def pool_requests(self, caller: Caller, pool_id: str, which: str, limit: int) -> list[RequestView]:
        return await self._get(_requests, f"/v1/pools/{pool_id}/requests", caller, {"which": which, "limit": limit})

    async def insights(self, caller: Caller, pool_id: str, weeks: int) -> PoolInsights:
        return await self._get(_insights, f"/v1/pools/{pool_id}/insights", caller, {"weeks": weeks})

    async def retention(self, caller: Caller) -> Retention:
        return await self._get(_retention, "/v1/retention", caller)

    async def set_retention(self, caller: Caller, days: int | None) -> None:
        await self._do("PUT", "/v1/retention", caller, {"closed_request_days": days})

    async def my_data(self, caller: Caller) -> Any:
        return await self._get(_any, "/v1/people/me/data", caller)
