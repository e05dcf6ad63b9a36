"""Input no service should ever store: NUL, which PostgreSQL refuses in text and which
otherwise surfaced as a 500, and control characters in addresses. Checked once for every
request, before any handler runs, with a 400 that names the field when there is one.

Free text keeps what people typed: a bell or an escape in a kudos message is stored as typed
and escaped when shown. Only the path and the query refuse every C0 control and DEL (tabs
and line breaks aside): an address never legitimately holds one.

Non-finite and out-of-range JSON numbers are refused by msgspec already ("Number out of
range"); a value the database cannot hold is refused there (services.platform.errors).
"""

import re
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

import msgspec
from litestar import Request
from litestar.exceptions import ValidationException

_ALLOWED = {0x09, 0x0A, 0x0D}
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in _ALLOWED) + b"\x7f"
_RAW_CONTROL = re.compile(b"[" + re.escape(_CONTROL_BYTES) + b"]")
# \u0000 in a JSON string, only when its backslash is not itself escaped.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")

_ADDRESS = "an address may not contain control characters; remove them from the {part}"
_TEXT = "{field}: text may not contain control characters such as NUL; remove them"


def control_in_text(text: str) -> bool:
    return _RAW_CONTROL.search(text.encode("utf-8", "surrogatepass")) is not None


def _nul_path(value: Any, path: str) -> str | None:
    """The dotted path of the first string (key or value) holding NUL, or None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                return here
            found = _nul_path(item, here)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_path(item, f"{path}[{index}]")
            if found:
                return found
    return None


def nul_field(body: bytes, content_type: str) -> str | None:
    """Which field of a JSON or form body holds NUL ("body" when it cannot be told), or None."""
    if "json" in content_type:
        if b"\x00" not in body and not _JSON_NUL.search(body):
            return None
        try:
            return _nul_path(msgspec.json.decode(body), "") or "body"
        except msgspec.DecodeError:
            return "body"
    if "x-www-form-urlencoded" in content_type:
        if b"\x00" not in unquote_to_bytes(body.replace(b"+", b" ")):
            return None
        for key, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
            if "\x00" in key or "\x00" in value:
                return key.replace("\x00", "") or "body"
        return "body"
    return None


async def refuse_control_characters(request: Request[Any, Any, Any]) -> None:
    """Litestar `before_request` hook: a 400 for control characters in the address, NUL in a body."""
    if control_in_text(request.url.path):
        raise ValidationException(_ADDRESS.format(part="path"))
    if control_in_text(unquote_to_bytes(request.scope.get("query_string", b"")).decode("utf-8", "replace")):
        raise ValidationException(_ADDRESS.format(part="query"))
    content_type = request.headers.get("content-type", "")
    has_text_body = request.method in ("POST", "PUT", "PATCH", "DELETE") and (
        "json" in content_type or "form-url" in content_type
    )
    if has_text_body and (field := nul_field(await request.body(), content_type)):
        raise ValidationException(_TEXT.format(field=field))
