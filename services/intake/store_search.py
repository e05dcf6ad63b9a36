"""Intake's SQL for searching requests: full text (Dutch and English, see 004_search.sql) within
what the caller may see, with filters. Newest first when there is no text to rank by."""

from datetime import datetime
from typing import Any

import msgspec

from services.intake import records
from services.intake.store import REQUEST_COLUMNS
from services.platform.db import Conn, as_records


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
    request: records.Request
    in_conversation: bool  # the words are in its conversation, not in its type or description
    snippet: str  # the words in their place in the conversation, when that is where they are


RECENT = 200  # matches ranked: the newest ones (an ordered index scan stops early on common words)


class _Query:
    """Positional arguments for one statement, numbered as they are added."""

    def __init__(self) -> None:
        self.args: list[Any] = []

    def arg(self, value: Any) -> str:
        self.args.append(value)
        return f"${len(self.args)}"


def _filters(q: _Query, f: Filters) -> list[str]:
    """Only the conditions that apply, so each one can use its index (an `x IS NULL OR ...`
    guard would hide it from the planner)."""
    conditions = []
    if f.words:
        conditions.append(f"r.search @@ search_query({q.arg(f.words)})")
    if f.type_id is not None:
        conditions.append(f"r.type_id = {q.arg(f.type_id)}")
    if f.statuses:
        conditions.append(f"r.status = ANY({q.arg(list(f.statuses))}::text[])")
    if f.since is not None:
        conditions.append(f"r.submitted_at >= {q.arg(f.since)}")
    if f.before is not None:
        conditions.append(f"r.submitted_at < {q.arg(f.before)}")
    if f.person is not None:
        who = q.arg(f.person)
        conditions.append(
            f"({who} IN (r.requester_id, r.on_behalf_of)"
            f" OR (r.status NOT IN ('done', 'cancelled') AND {who} IN (r.member_id, r.buddy_id)))"
        )
    return conditions


def _branches(q: _Query, scope: Scope, filters: list[str]) -> list[str]:
    """One part per pool the caller sees, and one for their own requests elsewhere: each its
    newest matches first, so each part's plan can walk its own index and stop early."""
    me = q.arg(scope.account_id)
    parts = [f"r.pool_id = {q.arg(pool)}" for pool in scope.pools]
    own = f"(r.requester_id = {me} OR r.on_behalf_of = {me})"
    if scope.pools:
        own += f" AND r.pool_id <> ALL({q.arg(list(scope.pools))}::text[])"
    return [
        f"(SELECT r.id, r.submitted_at FROM requests r WHERE {' AND '.join([part, *filters])}"
        f" ORDER BY r.submitted_at DESC LIMIT {RECENT})"
        for part in [*parts, own]
    ]


async def search(conn: Conn, scope: Scope, f: Filters) -> list[Found]:
    """Best match first among the newest matches (newest first without words)."""
    q = _Query()
    branches = _branches(q, scope, _filters(q, f))
    order, rank, in_conversation = "r.submitted_at DESC", "0::real", "false"
    if f.words:
        query = f"search_query({q.arg(f.words)})"
        rank = f"ts_rank(r.search, {query})"
        order = "rank DESC, r.submitted_at DESC"
        in_conversation = f"NOT (search_words(t.name_nl || ' ' || t.name_en || ' ' || r.description) @@ {query})"
    limit = q.arg(f.limit)
    async with conn.transaction():
        # A custom plan per search: a generic plan (asyncpg prepares statements) would parse
        # the words again for every row and could not tell a common word from a rare one.
        await conn.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        # The newest matches, ranked; only the best `limit` are checked for where the words are.
        rows = await conn.fetch(
            f"""WITH hit AS (SELECT id, submitted_at FROM ({" UNION ALL ".join(branches)}) parts
                             ORDER BY submitted_at DESC LIMIT {RECENT}),
                best AS (SELECT r.id, {rank} AS rank FROM hit JOIN requests r ON r.id = hit.id
                         ORDER BY {order} LIMIT {limit})
                SELECT {REQUEST_COLUMNS}, {in_conversation} AS in_conversation
                FROM best JOIN requests r ON r.id = best.id JOIN request_types t ON t.id = r.type_id
                ORDER BY best.rank DESC, r.submitted_at DESC""",
            *q.args,
        )
    found = [
        Found(request=r, in_conversation=r.in_conversation, snippet="")
        for r in as_records(records.SearchedRequest, rows)
    ]
    wanted = [x.request.id for x in found if x.in_conversation]
    if not wanted:
        return found
    snippets = {
        s.request_id: s.snippet
        for s in as_records(
            records.Snippet,
            await conn.fetch(
                """SELECT c.request_id, ts_headline('dutch', string_agg(c.body, ' … ' ORDER BY c.id), search_query($2),
                          'MaxFragments=1, MaxWords=14, MinWords=5, StartSel=«, StopSel=»') AS snippet
               FROM comments c WHERE c.request_id = ANY($1::uuid[]) GROUP BY c.request_id""",
                wanted,
                f.words,
            ),
        )
    }
    return [msgspec.structs.replace(x, snippet=snippets.get(x.request.id, "")) for x in found]
