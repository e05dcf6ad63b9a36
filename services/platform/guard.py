"""Input no service should ever store: control characters (NUL above all, which PostgreSQL
refuses in text and which otherwise surfaced as a 500). Checked once for every request,
before any handler runs: the path, the query string and JSON or form bodies. Tabs and line
breaks are text; the other C0 controls and DEL are refused with a 400 naming the problem.

Non-finite and out-of-range JSON numbers are refused by msgspec already ("Number out of
range"); a value the database cannot hold is refused there (services.platform.errors).
"""

import re
from typing import Any
from urllib.parse import unquote_to_bytes

from litestar import Request
from litestar.exceptions import ValidationException

_ALLOWED = {0x09, 0x0A, 0x0D}
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in _ALLOWED) + b"\x7f"
_RAW_CONTROL = re.compile(b"[" + re.escape(_CONTROL_BYTES) + b"]")
# A JSON escape that decodes to a refused control character: \u0000-\u001f (but \t \n \r),
# \u007f, \b and \f; only when the backslash is not itself escaped.
_JSON_CONTROL = re.compile(rb"(?<!\\)(?:\\\\)*\\(?:u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])|[bf])")

_WHERE = "text may not contain control characters such as NUL; remove them from the {part}"


def control_in_text(text: str) -> bool:
    return _RAW_CONTROL.search(text.encode("utf-8", "surrogatepass")) is not None


def control_in_body(body: bytes, content_type: str) -> bool:
    if "json" in content_type:
        return _JSON_CONTROL.search(body) is not None or _RAW_CONTROL.search(body) is not None
    if "x-www-form-urlencoded" in content_type:
        return _RAW_CONTROL.search(unquote_to_bytes(body.replace(b"+", b" "))) is not None
    return False


async def refuse_control_characters(request: Request[Any, Any, Any]) -> None:
    """Litestar `before_request` hook: a 400 for control characters anywhere in the input."""
    if control_in_text(request.url.path):
        raise ValidationException(_WHERE.format(part="address (path)"))
    if control_in_text(unquote_to_bytes(request.scope.get("query_string", b"")).decode("utf-8", "replace")):
        raise ValidationException(_WHERE.format(part="query"))
    content_type = request.headers.get("content-type", "")
    has_text_body = request.method in ("POST", "PUT", "PATCH", "DELETE") and (
        "json" in content_type or "form-url" in content_type
    )
    if has_text_body and control_in_body(await request.body(), content_type):
        raise ValidationException(_WHERE.format(part="body"))
