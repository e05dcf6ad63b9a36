"""One request's page, for its requester and for the pool: status, who is on it, queue
position, timeline and conversation (live), and what this person can do next — cancel,
answer, rate and thank (requester); ask a question, resume, complete (the member on it).

Live: the page's live part re-fetches itself on the `request-<id>` and `pool-queue` SSE
signals with the state it shows (`?v=`, see shown_state); an unchanged request answers 204
(htmx swaps nothing), a changed one comes back with an `HX-Trigger` that app.js announces
in #live-status.
"""

import asyncio
from collections.abc import Awaitable
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter, URLEncodedBody
from litestar.response import Redirect, Template

from pwa.clients import Clients
from pwa.gateway import ServiceError
from pwa.i18n import status_text, translations
from pwa.records import Account
from pwa.views.common import AnyRequest, announce, back_to, language_of, names, optional, page, wants_fragment
from services.contracts.intake_api import AttachmentView, CommentView, RequestView, TimelineEntry
from services.contracts.recognition_api import PromptView
from services.platform.tokens import Caller
from services.platform.unit_of_work import RequestConn


class CommentForm(msgspec.Struct):
    body: str = ""
    question: str = ""


class CancelForm(msgspec.Struct):
    reason: str = ""


class RatingForm(msgspec.Struct):
    rating: str = ""
    comment: str = ""


class StepForm(msgspec.Struct):
    status: str = ""


class ThanksForm(msgspec.Struct):
    line: str = ""


# Recognition takes kudos messages up to 500 characters: the usual thanks and the person's line.
THANKS_LINE_MAX = 400


def thanks_message(usual: str, line: str) -> str:
    """The one-tap thanks, with the person's own line after it when they added one."""
    line = " ".join(line.split())[:THANKS_LINE_MAX]
    return f"{usual} {line}" if line else usual


def roles_on(item: RequestView, account: Account) -> dict[str, bool]:
    """What this person is to the request; the page offers only what they may do."""
    requester = account.id in (item.requester_id, item.on_behalf_of)
    member = account.id == item.member_id
    in_pool = item.pool_id in account.pools
    return {
        "is_requester": requester,
        "is_member": member,
        "is_lead": in_pool and account.has("lead"),
        "in_pool": in_pool and (account.has("secretary") or account.has("lead")),
    }


async def write(call: Awaitable[None]) -> str:
    """A change through intake; '' when done, else the notice key for why not."""
    try:
        await call
    except ServiceError as exc:
        if exc.status in (404, 405):
            return "unavailable"
        if exc.status in (403, 409, 422):
            return "refused"
        raise
    return ""


async def thanks_prompt(clients: Clients, account: Account, request_id: str) -> PromptView | None:
    prompts = await optional(clients.recognition.prompts(account.caller())) or []
    return next((p for p in prompts if p.request_id == request_id), None)


async def already_thanked(clients: Clients, account: Account, item: RequestView) -> bool:
    """Whether this requester has thanked for the finished request (the one tap is then gone):
    no open invitation to thank, and kudos from them tied to it on the wall's recent pages."""
    if item.status != "done" or await thanks_prompt(clients, account, str(item.id)) is not None:
        return False
    recent = await optional(clients.recognition.wall(account.caller(), limit=100))
    return any(k.request_id == str(item.id) and k.giver_id == account.id for k in (recent.items if recent else []))


Parts = tuple[list[TimelineEntry] | None, list[CommentView] | None, list[AttachmentView] | None]


async def parts_of(clients: Clients, caller: Caller, request_id: UUID) -> Parts:
    """A request's timeline, conversation and files, each None when intake is away."""
    return await asyncio.gather(
        optional(clients.intake.timeline(caller, request_id)),
        optional(clients.intake.comments(caller, request_id)),
        optional(clients.intake.attachments(caller, request_id)),
    )


async def request_and_parts(clients: Clients, caller: Caller, request_id: UUID) -> tuple[RequestView, Parts]:
    """The request with its parts, asked at once (one round trip, not two). The request's own
    answer decides: one this person may not see fails the page with its 403 or 404."""
    item, parts = await asyncio.gather(
        clients.intake.request(caller, request_id), parts_of(clients, caller, request_id), return_exceptions=True
    )
    if isinstance(item, BaseException):
        raise item
    if isinstance(parts, BaseException):
        raise parts
    return item, parts


def shown_state(item: RequestView) -> str:
    """What the live part shows, as a token (`?v=`): its version and its place in the queue
    (queue places move without the request changing)."""
    return f"{item.version}-{item.queue.position if item.queue else 0}"


def live_message(item: RequestView, lang: str, for_requester: bool) -> str:
    """What #live-status says when the live part changed: the type, its status, its place."""
    message = f"{item.type_name[lang]}: {status_text(lang, item.status, for_requester)}"
    position = item.queue.position if item.queue else None
    if item.status == "submitted" and position:
        message += " · " + translations(lang).gettext("Number %(n)s in the queue") % {"n": position}
    return message


class RequestPage(Controller):
    path = "/requests/{request_id:uuid}"

    @get("/")
    async def one(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
        request_id: FromPath[UUID],
        v: Annotated[str | None, QueryParameter(max_length=40)] = None,
    ) -> Template | Response[None]:
        caller = account.caller()
        if v is not None and wants_fragment(request):
            item = await clients.intake.request(caller, request_id)
            if v == shown_state(item):
                return Response(None, status_code=204)  # nothing changed: htmx keeps what it shows
            timeline, comments, attachments = await parts_of(clients, caller, request_id)
        else:
            item, (timeline, comments, attachments) = await request_and_parts(clients, caller, request_id)
        roles = roles_on(item, account)
        thanked = await already_thanked(clients, account, item) if roles["is_requester"] else False
        timeline = timeline or []
        ids = [item.requester_id, item.on_behalf_of, item.member_id, item.buddy_id]
        ids += [e.actor_id for e in timeline] + [c.author_id for c in comments or []]
        ids += item.helper_ids
        ids += [f.uploaded_by for f in attachments or []]
        response = page(
            request,
            "request",
            account,
            fragment="request_live",
            item=item,
            r=item,
            timeline=timeline,
            comments=comments,
            attachments=attachments or [],
            thanked=thanked,
            people=await names(conn, ids),
            thanks_line_max=THANKS_LINE_MAX,
            **roles,
        )
        if v is not None and wants_fragment(request):
            announce(response, live_message(item, language_of(request, account), roles["is_requester"]))
        return response

    @post("/comments")
    async def comment(
        self,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        request_id: FromPath[UUID],
        data: URLEncodedBody[CommentForm],
    ) -> Redirect:
        here = f"/requests/{request_id}"
        if not data.body.strip():
            return back_to(here + "#conversation", "empty")
        question = data.question == "1"
        failed = await write(clients.intake.comment(account.caller(), request_id, data.body.strip(), question=question))
        return back_to(here, failed or ("asked" if question else "commented"))

    @post("/status")
    async def step(
        self,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        request_id: FromPath[UUID],
        data: URLEncodedBody[StepForm],
    ) -> Redirect:
        """The member on the request moves it on: resume, or mark it done."""
        if data.status not in ("in_progress", "done"):
            return back_to(f"/requests/{request_id}", "refused")
        failed = await write(clients.intake.move(account.caller(), request_id, data.status))
        if failed:
            return back_to(f"/requests/{request_id}", failed)
        return back_to("/offers", "completed") if data.status == "done" else back_to(f"/requests/{request_id}")

    @post("/cancel")
    async def cancel(
        self,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        request_id: FromPath[UUID],
        data: URLEncodedBody[CancelForm],
    ) -> Redirect:
        failed = await write(clients.intake.cancel(account.caller(), request_id, data.reason.strip()))
        return back_to(f"/requests/{request_id}", failed or "cancelled")

    @post("/rating")
    async def rate(
        self,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        request_id: FromPath[UUID],
        data: URLEncodedBody[RatingForm],
    ) -> Redirect:
        if data.rating not in ("1", "2", "3", "4", "5"):
            return back_to(f"/requests/{request_id}#rate", "no_rating")
        failed = await write(clients.intake.rate(account.caller(), request_id, int(data.rating), data.comment.strip()))
        return back_to(f"/requests/{request_id}", failed or "rated")

    @post("/thanks")
    async def thank(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        request_id: FromPath[UUID],
        data: URLEncodedBody[ThanksForm],
    ) -> Redirect:
        """The one-tap thanks after completion, with the line the person added, if any: through
        recognition's prompt when there is one, else as plain kudos to the people who did the work."""
        lang = language_of(request, account)
        here = f"/requests/{request_id}"
        prompt = await thanks_prompt(clients, account, str(request_id))
        try:
            if prompt is not None:
                body: dict[str, str] = {"language": lang}
                if data.line.strip():
                    usual = prompt.suggested_message.get(lang) or translations(lang).gettext("Thank you for your help!")
                    body["message"] = thanks_message(usual, data.line)
                await clients.recognition.thank(account.caller(), prompt.id, body)
            else:
                item = await clients.intake.request(account.caller(), request_id)
                people = [i for i in [item.member_id, *item.helper_ids] if i and i != account.id]
                if not people:
                    return back_to(here, "refused")
                message = thanks_message(translations(lang).gettext("Thank you for your help!"), data.line)
                kudos = {
                    "message": message,
                    "recipient_ids": list(dict.fromkeys(people)),
                    "request_id": str(request_id),
                }
                await clients.recognition.give(account.caller(), kudos)
        except ServiceError as exc:
            if exc.status >= 500:
                raise
            return back_to(here, "refused")
        return back_to(here, "thanked")
