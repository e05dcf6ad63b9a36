"""Finding requests: one form (words, and filters by type, status, period and — for the pool's
members and leads — person), answered by intake's search within what this person may see.
A plain GET form: the results have their own URL, and it works without JavaScript."""

from datetime import date
from typing import Annotated, Any

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Template

from pwa import accounts
from pwa.clients import Clients
from pwa.gateway import ServiceError
from pwa.records import Account
from pwa.views.common import AnyRequest, names, page
from services.platform.unit_of_work import RequestConn

WHICH = ("all", "open", "closed")
Text = Annotated[str, QueryParameter(max_length=200)]


def sees_pool(account: Account) -> bool:
    return bool(account.pools) and (account.has("secretary") or account.has("lead"))


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


class SearchPages(Controller):
    @get("/search")
    async def search(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
        q: Text = "",
        type_id: Text = "",
        which: Text = "all",
        since: Text = "",
        until: Text = "",
        person: Text = "",
    ) -> Template:
        form = {
            "q": q.strip(),
            "type_id": type_id,
            "which": which if which in WHICH else "all",
            "since": since if _day(since) else "",
            "until": until if _day(until) else "",
            "person": person if sees_pool(account) else "",
        }
        asked = any(form[k] for k in ("q", "type_id", "since", "until", "person")) or form["which"] != "all"
        params: dict[str, Any] = {k: v for k, v in form.items() if v and k != "which"}
        params["which"] = form["which"]
        hits, problem = None, ""
        if asked:
            try:
                hits = await clients.intake.search(account.caller(), params)
            except ServiceError as exc:
                if exc.status >= 500:
                    raise
                hits, problem = [], "refused"
        types = await clients.intake.types(account.caller())
        colleagues: list[Account] = []
        if sees_pool(account):
            colleagues = await accounts.directory(conn, list(account.pools))
        people = await names(conn, [i for h in hits or [] for i in (h.request.requester_id, h.request.member_id)])
        return page(
            request,
            "search",
            account,
            form=form,
            hits=hits,
            types=types,
            colleagues=colleagues,
            people=people,
            problem=problem,
            sees_pool=sees_pool(account),
        )
