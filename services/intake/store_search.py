"""Intake's SQL for searching requests: full text (Dutch and English, see 004_search.sql) within
what the caller may see, with filters. Newest first when there is no text to rank by."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import msgspec

from services.intake.store import FROM_REQUESTS, REQUEST_COLUMNS
from services.platform.db import Conn


class Scope(msgspec.Struct, frozen=True, kw_only=True):
    """What the caller may search: their own requests, and these pools' requests."""

    account_id: str
    pools: tuple[str, ...] = ()


class Filters(msgspec.Struct, frozen=True, kw_only=True):
    words: str = ""
    type_id: str | None = None
    statuses: tuple[str, ...] = ()
    since: datetime | None = None
    before: datetime | None = None
    person: str | None = None  # requester (or on behalf of), or the member/buddy on an open request
    limit: int = 50


class Found(msgspec.Struct, frozen=True, kw_only=True):
    request: Mapping[str, Any]  # the request's columns (store.REQUEST_COLUMNS)
    in_conversation: bool  # the words are in its conversation, not in its type or description
    snippet: str  # the words in their place in the conversation, when that is where they are


async def search(conn: Conn, scope: Scope, f: Filters) -> list[Found]:
    rows = await conn.fetch(
        f"""WITH q AS (SELECT search_query($2) AS query, numnode(search_query($2)) > 0 AS has_words),
            hits AS (
                SELECT {REQUEST_COLUMNS}, CASE WHEN q.has_words THEN ts_rank(r.search, q.query) ELSE 0 END AS rank
                {FROM_REQUESTS}, q
                WHERE (r.requester_id = $1 OR r.on_behalf_of = $1 OR r.pool_id = ANY($3::text[]))
                  AND (NOT q.has_words OR r.search @@ q.query)
                  AND ($4::text IS NULL OR r.type_id = $4)
                  AND (cardinality($5::text[]) = 0 OR r.status = ANY($5::text[]))
                  AND ($6::timestamptz IS NULL OR r.submitted_at >= $6)
                  AND ($7::timestamptz IS NULL OR r.submitted_at < $7)
                  AND ($8::text IS NULL OR r.requester_id = $8 OR r.on_behalf_of = $8
                       OR (r.status NOT IN ('done', 'cancelled') AND $8 IN (r.member_id, r.buddy_id)))
                ORDER BY rank DESC, r.submitted_at DESC
                LIMIT $9)
            SELECT h.*,
                   q.has_words AND NOT (search_words(h.type_name_nl || ' ' || h.type_name_en || ' ' || h.description)
                                        @@ q.query) AS in_conversation
            FROM hits h, q ORDER BY h.rank DESC, h.submitted_at DESC""",
        scope.account_id,
        f.words,
        list(scope.pools),
        f.type_id,
        list(f.statuses),
        f.since,
        f.before,
        f.person,
        f.limit,
    )
    found = [Found(request=r, in_conversation=r["in_conversation"], snippet="") for r in rows]
    wanted = [x.request["id"] for x in found if x.in_conversation]
    if not wanted:
        return found
    snippets = {
        s["request_id"]: s["snippet"]
        for s in await conn.fetch(
            """SELECT c.request_id, ts_headline('dutch', string_agg(c.body, ' … ' ORDER BY c.id), search_query($2),
                          'MaxFragments=1, MaxWords=14, MinWords=5, StartSel=«, StopSel=»') AS snippet
               FROM comments c WHERE c.request_id = ANY($1::uuid[]) GROUP BY c.request_id""",
            wanted,
            f.words,
        )
    }
    return [msgspec.structs.replace(x, snippet=snippets.get(x.request["id"], "")) for x in found]
