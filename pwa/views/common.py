"""What every page handler needs: the page's template context (language, person, CSRF,
formatters), one URL serving a page or its fragment, names for account ids, notices after
a redirect, and calls to a service the page can do without while it is down.
"""

import json
from collections.abc import Awaitable, Iterable
from typing import Any, TypeVar
from urllib.parse import urlencode

from litestar import Request, Response
from litestar.datastructures import FormMultiDict
from litestar.response import Redirect, Template

from pwa import accounts, audit, i18n
from pwa.gateway import ServiceError
from pwa.records import Account
from services.platform.db import Conn

LANG_COOKIE = "secpool_lang"
AnyRequest = Request[Any, Any, Any]
T = TypeVar("T")


def language_of(request: AnyRequest, account: Account | None) -> str:
    return i18n.choose(
        request.headers.get("accept-language"),
        preferred=account.language if account else None,
        cookie=request.cookies.get(LANG_COOKIE),
    )


def wants_fragment(request: AnyRequest) -> bool:
    """htmx asks for a part of a page (a boosted link or a history restore wants all of it)."""
    headers = request.headers
    return (
        headers.get("hx-request") == "true"
        and headers.get("hx-boosted") != "true"
        and headers.get("hx-history-restore-request") != "true"
    )


def page(
    request: AnyRequest,
    name: str,
    account: Account | None,
    status_code: int = 200,
    *,
    fragment: str | None = None,
    **context: Any,
) -> Template:
    """Render `pages/<name>.html`, or only the partial `partials/_<fragment>.html` that the
    page includes when htmx asks for that fragment."""
    lang = language_of(request, account)
    as_fragment = bool(fragment) and wants_fragment(request)
    template = f"partials/_{fragment}.html" if as_fragment else f"pages/{name}.html"
    query = request.url.query
    ctx = {
        **i18n.template_helpers(lang, request.app.state.zone),
        "account": account,
        "path": request.url.path,
        "here": request.url.path + (f"?{query}" if query else ""),
        "notice": request.query_params.get("notice", ""),
        "names_of": names_of,
        "as_fragment": as_fragment,
        "vapid_key": getattr(request.app.state, "vapid_public_key", ""),
        "max_file_mb": getattr(request.app.state, "max_file_mb", 25),
        "pool_name": pool_namer(request, lang),
        **context,
    }
    # The same URL answers with a page or a fragment: caches must keep them apart. Pages are
    # personal and live: a cache may keep them only to ask again (private, no-cache).
    headers = {"Vary": "HX-Request", "Cache-Control": "private, no-cache"}
    return Template(template_name=template, context=ctx, status_code=status_code, headers=headers)


def pool_namer(request: AnyRequest, language: str) -> Any:
    """Templates name pools by their real name: `pool_name(pool_id)`."""
    registry = getattr(request.app.state, "pool_names", None)
    return (lambda pool_id: registry.name(pool_id, language)) if registry else (lambda pool_id: pool_id)


def announce(response: Response[Any], message: str, kind: str = "info") -> None:
    """Have app.js say `message` in #live-status (htmx fires the HX-Trigger event)."""
    # ASCII-only JSON: header values are latin-1; JSON.parse restores the text.
    response.headers["HX-Trigger"] = json.dumps({"secpool:announce": {"message": message, "kind": kind}})


async def form_data(request: AnyRequest) -> FormMultiDict:
    """A posted form with repeated fields (checkbox lists), for handlers without a body struct."""
    return await request.form()


def names_of(ids: Iterable[str | None], people: dict[str, str]) -> list[str]:
    """The names for these ids, each once, in order (templates: who to thank, who is thanked)."""
    return [people[i] for i in dict.fromkeys(ids) if i and i in people]


def back_to(url: str, notice: str = "") -> Redirect:
    """Post/redirect/get; the notice key names a message the next page shows (see _notice.html)."""
    if notice:
        url, hash_, fragment = url.partition("#")
        url += ("&" if "?" in url else "?") + urlencode({"notice": notice}) + hash_ + fragment
    return Redirect(url, status_code=303)


async def act(call: Awaitable[Any], url: str, done: str, *, refused: str = "refused") -> Redirect:
    """A form's action on a service, then back to `url` with the `done` notice — or with
    `refused` when the service says no (4xx). A service failure (5xx) stays an error."""
    try:
        await call
    except ServiceError as exc:
        if exc.status >= 500:
            raise
        return back_to(url, refused)
    return back_to(url, done)


async def audited(
    call: Awaitable[Any], conn: Conn, account: Account, action: str, subject_id: str, detail: dict[str, Any]
) -> Any:
    """A change made in a service, then its line in the pwa's audit log (who did what to whom)."""
    result = await call
    await audit.record(conn, action, actor_id=account.id, subject_id=subject_id, detail=detail)
    return result


def safe_path(target: str, default: str = "/") -> str:
    # Only local paths: never bounce a person to another site.
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else default


async def names(conn: Conn, ids: Iterable[str | None]) -> dict[str, str]:
    """Display names for account ids (services know ids only)."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    return await accounts.names(conn, wanted)


async def nothing() -> None:
    """What `optional` gives for a call not worth making (a person in no pool asks for no pool's list)."""


async def optional(call: Awaitable[T]) -> T | None:
    """A list or summary the screen can do without: None when its service is down (no
    connection, a timeout, 502/503/504), so the page still renders and says what it cannot
    show. Anything else the service answers (a 404 from a renamed endpoint, a 500) is raised."""
    try:
        return await call
    except ServiceError as exc:
        if exc.down:  # also a service that does not answer at all (gateway.ServiceUnreachable)
            return None
        raise
