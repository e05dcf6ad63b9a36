"""How intake's routes document their answers: the error responses each may give, in
Litestar's shape `{"status_code", "detail", "extra"}` (detail is always a readable sentence)."""

from collections.abc import Iterable
from typing import Any

import msgspec
from litestar import Litestar
from litestar.exceptions import (
    ClientException,
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.params import QueryParameter


class ConflictDoc(ClientException):
    """Documents 409: the request's state forbids the step now; `detail` says why."""

    status_code = 409
    detail = "the request's state forbids this step now"


class InvalidDoc(ClientException):
    """Documents 422: well-formed input the rules refuse; `detail` names the field."""

    status_code = 422
    detail = "field: what is wrong with it"


class TooLargeDoc(ClientException):
    """Documents 413: a file larger than the limit; nothing was stored."""

    status_code = 413
    detail = "file: what is too large, and the limit"


class NotAcceptedDoc(ClientException):
    """Documents 415: a file whose content is not a type the pool takes; nothing was stored."""

    status_code = 415
    detail = "file: what it is, and what is accepted"


class ForbiddenDoc(PermissionDeniedException):
    detail = "who may do this"


class NotFoundDoc(NotFoundException):
    detail = "no such request"


def errors(*codes: int) -> dict[str, Any]:
    """`raises=` for a route: 401 always, plus the given 403/404/409/413/415/422."""
    docs: dict[int, type[HTTPException]] = {
        403: ForbiddenDoc,
        404: NotFoundDoc,
        409: ConflictDoc,
        422: InvalidDoc,
        413: TooLargeDoc,
        415: NotAcceptedDoc,
    }
    return {"raises": [NotAuthorizedException, *(docs[c] for c in codes)]}


WEEKS = QueryParameter(ge=1, le=52, description="How many weeks, up to and including the one holding `until`")
LIMIT = QueryParameter(ge=1, le=200, description="At most this many, newest first")
SOME_IDS = QueryParameter(name="id", min_items=1, max_items=100, description="A request's id; repeat for more (1–100)")


def close_bodies(app: Litestar, bodies: Iterable[type[msgspec.Struct]]) -> None:
    """Our request bodies refuse unknown fields (msgspec `forbid_unknown_fields`, so a typo in a
    field name is an error, not silently ignored); Litestar's schema does not say so: patch it."""
    schemas = app.openapi_schema.components.schemas
    for body in bodies:
        if body.__struct_config__.forbid_unknown_fields and body.__name__ in schemas:
            schemas[body.__name__].additional_properties = False
