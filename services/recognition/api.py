"""Recognition's HTTP API (v1): give kudos, read the public wall."""

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody, QueryParameter

from services.contracts.recognition import KudosGiven
from services.platform import outbox
from services.platform.errors import Invalid
from services.platform.runtime import Runtime
from services.platform.tokens import Caller
from services.recognition import store

CallerRequest = Request[Caller, str, Any]


class NewKudos(msgspec.Struct, forbid_unknown_fields=True):
    message: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    recipient_ids: Annotated[list[str], msgspec.Meta(max_length=50)] = []
    pool_id: str | None = None
    value_id: str | None = None
    request_id: str | None = None


class KudosView(msgspec.Struct):
    id: UUID
    giver_id: str
    recipient_ids: list[str]
    pool_id: str | None
    message: str
    value_id: str | None
    request_id: str | None
    created_at: datetime


def kudos_view(r: Any) -> KudosView:
    return KudosView(
        id=r["id"], giver_id=r["giver_id"], recipient_ids=list(r["recipient_ids"]), pool_id=r["pool_id"],
        message=r["message"], value_id=r["value_id"], request_id=r["request_id"], created_at=r["created_at"],
    )  # fmt: skip


class KudosController(Controller):
    path = "/v1"
    tags = ["kudos"]  # noqa: RUF012

    @post("/kudos", status_code=201, summary="Thank one or more colleagues, or a whole pool")
    async def give(
        self, request: CallerRequest, runtime: NamedDependency[Runtime], data: JSONBody[NewKudos]
    ) -> KudosView:
        if not data.recipient_ids and data.pool_id is None:
            raise Invalid("recipient_ids: name at least one colleague, or give pool_id to thank a pool")
        if request.user.account_id in data.recipient_ids:
            raise Invalid("recipient_ids: kudos are for others, not for yourself")
        kudos_id = uuid4()
        row = {"id": kudos_id, "giver_id": request.user.account_id, **msgspec.structs.asdict(data)}
        async with runtime.pool.acquire() as conn, conn.transaction():
            await store.insert_kudos(conn, row)
            await outbox.add(
                conn,
                KudosGiven(
                    event_id=uuid4(), occurred_at=datetime.now(UTC), kudos_id=str(kudos_id), version=1,
                    giver_id=request.user.account_id, recipient_ids=data.recipient_ids,
                    pool_id=data.pool_id, request_id=data.request_id, value_id=data.value_id,
                ),
            )  # fmt: skip
            saved = await store.get_kudos(conn, kudos_id)
        assert saved is not None
        return kudos_view({**dict(saved), "recipient_ids": data.recipient_ids})

    @get("/wall", summary="The public wall, newest first")
    async def wall(
        self,
        runtime: NamedDependency[Runtime],
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
        before: FromQuery[datetime | None] = None,
    ) -> list[KudosView]:
        async with runtime.pool.acquire() as conn:
            return [kudos_view(r) for r in await store.wall(conn, limit=limit, before=before)]
