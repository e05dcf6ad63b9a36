"""Intake's HTTP API (v1) for finding requests: full text over type, description and
conversation (Dutch and English), within what the caller may see, with filters."""

from datetime import date
from typing import Annotated, Any, Literal

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from services.contracts.intake import Status
from services.contracts.intake_api import PRINTABLE, SearchHit
from services.intake import search
from services.intake.answers import request_view
from services.intake.api_docs import LIMIT, errors
from services.platform.runtime import Runtime
from services.platform.tokens import Caller
from services.platform.unit_of_work import RequestConn

CallerRequest = Request[Caller, str, Any]


class SearchController(Controller):
    path = "/v1/search"
    tags = ["requests"]  # noqa: RUF012

    @get(
        "/",
        summary="Find requests: words in their type, description or conversation (Dutch and English), "
        "best match first (newest first without words). Requesters search their own, members their pool's, "
        "leads their pools'",
        **errors(403, 422),
    )
    async def find(
        self,
        request: CallerRequest,
        runtime: NamedDependency[Runtime],
        conn: RequestConn,
        q: Annotated[str, QueryParameter(max_length=200, pattern=PRINTABLE, description="Words to look for")] = "",
        type_id: Annotated[str | None, QueryParameter(max_length=100, pattern=PRINTABLE)] = None,
        status: FromQuery[Status | None] = None,
        which: FromQuery[Literal["open", "closed", "all"]] = "all",
        since: Annotated[date | None, QueryParameter(description="Sent on or after this day")] = None,
        until: Annotated[date | None, QueryParameter(description="Sent on or before this day")] = None,
        person: Annotated[
            str | None,
            QueryParameter(
                max_length=100,
                pattern=PRINTABLE,
                description="Their requests, or the open ones they work on (pool members and leads only)",
            ),
        ] = None,
        limit: Annotated[int, LIMIT] = 50,
    ) -> list[SearchHit]:
        found = await search.find(
            conn,
            request.user,
            words=q,
            tz=runtime.settings.zone,
            type_id=type_id,
            status=status,
            which=which,
            since=since,
            until=until,
            person=person,
            limit=limit,
        )
        return [
            SearchHit(
                request=request_view(f.request, request.user), in_conversation=f.in_conversation, snippet=f.snippet
            )
            for f in found
        ]
