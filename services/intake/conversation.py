"""A request's conversation: comments between requester and member; the member's question
puts the request waiting on the requester, and the requester's answer puts it back in progress.
"""

from uuid import UUID

from services.contracts.intake_api import NewComment
from services.intake import access, changes, domain, records, store, store_conversation
from services.platform.db import Conn
from services.platform.errors import Forbidden
from services.platform.tokens import Caller


async def comment(conn: Conn, caller: Caller, request_id: UUID, body: NewComment) -> records.Comment:
    """Write on the request; returns the comment. A question or an answer also moves it."""
    row = access.visible(await changes.locked(conn, request_id), caller)
    role = access.comment_role(caller, row)
    domain.check_conversation_open(row.status)
    text = body.body.strip() or body.body
    if body.question:
        if caller.account_id != row.member_id:
            raise Forbidden("only the member on this request can ask the requester a question")
        domain.check_member_step(row.status, "waiting_on_requester")
        return await ask(conn, caller, row, text)
    if role == "requester" and row.status == "waiting_on_requester":
        return await answer(conn, caller, row, text)
    version = await changes.mark(conn, row, kind="commented", actor_id=caller.account_id)
    return await changes.write_comment(
        conn, row, version, author_id=caller.account_id, role=role, kind="comment", body=text
    )


async def ask(conn: Conn, caller: Caller, row: records.Request, question: str) -> records.Comment:
    """The member needs something from the requester: the completion clock pauses."""
    version = await changes.step(
        conn,
        row,
        status="waiting_on_requester",
        kind="question_asked",
        actor_id=caller.account_id,
        waiting_since=changes.now(),
    )
    return await changes.write_comment(
        conn, row, version, author_id=caller.account_id, role="member", kind="question", body=question
    )


async def answer(conn: Conn, caller: Caller, row: records.Request, text: str) -> records.Comment:
    version = await changes.resume(conn, row, actor_id=caller.account_id, kind="answered")
    return await changes.write_comment(
        conn, row, version, author_id=caller.account_id, role="requester", kind="answer", body=text
    )


async def comments(conn: Conn, caller: Caller, request_id: UUID) -> tuple[records.Request, list[records.Comment]]:
    row = access.visible(await store.get_request(conn, request_id), caller)
    return row, await store_conversation.comments_of(conn, request_id)
