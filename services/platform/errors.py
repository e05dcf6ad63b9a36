"""Domain exceptions (services.platform.refusals) → HTTP answers a person can read:
{"status_code", "detail"}. Refusals (401, 403) log their reason. Failures that are nobody's
input: a dependency briefly away is a 503 with Retry-After; any other unexpected error a 500.
Both log one line with the traceback and a request id, which the answer repeats (and the
`x-request-id` header carries) so a person can quote it.
"""

import re
import uuid
from typing import Any

import asyncpg
import asyncpg.exceptions._base as asyncpg_base
import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.types import ExceptionHandlersMap

from services.platform.failures import is_transient
from services.platform.refusals import Conflict as Conflict
from services.platform.refusals import Forbidden as Forbidden
from services.platform.refusals import Invalid as Invalid
from services.platform.refusals import NotFound as NotFound

log = structlog.get_logger(__name__)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _handler(status: int) -> Any:
    def handle(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
        return Response({"status_code": status, "detail": str(exc)}, status_code=status)

    return handle


def _refused(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """401/403: say why to the caller and to the log (who asked for what, and the reason)."""
    status = exc.status_code if isinstance(exc, HTTPException) else 403
    detail = exc.detail if isinstance(exc, HTTPException) else str(exc)
    log.info("request refused", status=status, reason=detail, method=request.method, path=request.url.path)
    headers = exc.headers if isinstance(exc, HTTPException) and exc.headers else None
    return Response({"status_code": status, "detail": detail}, status_code=status, headers=headers)


def request_id(request: Request[Any, Any, Any]) -> str:
    given = request.headers.get("x-request-id", "")
    return given if _REQUEST_ID.match(given) else uuid.uuid4().hex[:16]


def _unacceptable_value(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """A value the database cannot hold (a number out of range, a date too far away): the
    caller's input, so a 422 that says so."""
    log.info("value refused by the database", path=request.url.path, error=str(exc))
    detail = f"a value is out of range or malformed ({exc})"
    return Response({"status_code": 422, "detail": detail}, status_code=422)


def _failed(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    rid = request_id(request)
    headers = {"x-request-id": rid}
    if is_transient(exc):
        where = {"request_id": rid, "method": request.method, "path": request.url.path}
        log.error("request failed: a dependency is unavailable", **where, exc_info=exc)
        detail = f"a service this depends on is briefly unavailable; try again in a moment (request id {rid})"
        return Response(
            {"status_code": 503, "detail": detail}, status_code=503, headers={**headers, "retry-after": "1"}
        )
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    log.error("request failed", request_id=rid, method=request.method, path=request.url.path, exc_info=exc)
    detail = f"something went wrong on our side; the error is logged (request id {rid})"
    return Response({"status_code": status, "detail": detail}, status_code=status, headers=headers)


def _invalid(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """422 with the refused input as its own key, so a form can mark that field."""
    body: dict[str, Any] = {"status_code": 422, "detail": str(exc)}
    if field := getattr(exc, "field", None):
        body["field"] = field
    return Response(body, status_code=422)


def exception_handlers() -> ExceptionHandlersMap:
    return {
        NotFound: _handler(404),
        Invalid: _invalid,
        Conflict: _handler(409),
        Forbidden: _refused,
        401: _refused,
        403: _refused,
        asyncpg.DataError: _unacceptable_value,  # the server's "data exception" (class 22)
        asyncpg_base.DataError: _unacceptable_value,  # the client's: a value that cannot be sent
        500: _failed,  # everything else nobody handled
    }
