"""Domain exceptions → HTTP answers a person can read: {"status_code", "detail"}."""

from typing import Any

from litestar import Request, Response
from litestar.types import ExceptionHandlersMap


class NotFound(Exception):
    """Something the caller referred to does not exist (404)."""


class Invalid(Exception):
    """Well-formed but unacceptable input; the message names the field (422)."""


class Conflict(Exception):
    """The request's state forbids this step now; the message says why (409)."""


class Forbidden(Exception):
    """The caller may not do this (403)."""


def _handler(status: int) -> Any:
    def handle(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
        return Response({"status_code": status, "detail": str(exc)}, status_code=status)

    return handle


def exception_handlers() -> ExceptionHandlersMap:
    return {
        NotFound: _handler(404),
        Invalid: _handler(422),
        Conflict: _handler(409),
        Forbidden: _handler(403),
    }
