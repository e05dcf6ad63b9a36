"""Errors as pages a person can act on, in their language and inside the app (tab bar, a way
back): a missing page, a form that expired (CSRF), a request that belongs to someone else, a
service that does not answer.

Script callers (JSON, SSE) keep Litestar's JSON errors; an htmx fragment request gets a
204 with an announcement instead of an error page swapped into part of a page.
"""

from typing import Any
from urllib.parse import urlsplit

from litestar import MediaType, Response
from litestar.exceptions import HTTPException

from pwa import i18n
from pwa.gateway import ServiceError
from pwa.records import Account
from pwa.views.common import AnyRequest, announce, language_of, page, safe_path, wants_fragment


def wants_html(request: AnyRequest) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept or request.headers.get("hx-request") == "true"


def way_back(request: AnyRequest) -> str:
    """The page the person came from on this site (a link back that needs no script), or ''."""
    came_from = urlsplit(request.headers.get("referer", ""))
    back = came_from.path + (f"?{came_from.query}" if came_from.query else "")
    here = request.url
    if came_from.netloc != here.netloc or back in ("", here.path) or not safe_path(back, ""):
        return ""
    return back


def _kind(status: int) -> str:
    return {
        401: "forbidden",
        403: "forbidden",
        404: "not_found",
        405: "not_found",
        409: "conflict",
        422: "conflict",
    }.get(status, "unavailable")


def error_page(request: AnyRequest, status: int, detail: str) -> Response[Any]:
    if not wants_html(request):
        return Response({"status_code": status, "detail": detail}, status_code=status, media_type=MediaType.JSON)
    # Set by web.provide_account when the page needed a person.
    account: Account | None = request.scope.get("account")  # type: ignore[assignment]
    kind = _kind(status)
    if wants_fragment(request):
        response: Response[Any] = Response(None, status_code=204)
        _ = i18n.translations(language_of(request, account)).gettext
        announce(response, _("That did not work. Please reload the page."), "error")
        return response
    return page(request, "error", account, status_code=status, kind=kind, back=way_back(request))


def service_failed(request: AnyRequest, exc: ServiceError) -> Response[Any]:
    status = exc.status if exc.status < 500 else 502
    return error_page(request, status, exc.detail)


def http_failed(request: AnyRequest, exc: HTTPException) -> Response[Any]:
    if exc.status_code >= 500 or exc.status_code in (400, 401, 429):
        # Litestar's own answer (validation details for 400, for example) stays as it is.
        return Response(
            {"status_code": exc.status_code, "detail": exc.detail},
            status_code=exc.status_code,
            headers=exc.headers or {},
            media_type=MediaType.JSON,
        )
    return error_page(request, exc.status_code, exc.detail)


HANDLERS: dict[Any, Any] = {ServiceError: service_failed, 403: http_failed, 404: http_failed, 405: http_failed}
