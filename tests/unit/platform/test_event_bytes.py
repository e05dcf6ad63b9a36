"""Every event's wire bytes are pinned: an instance built the same way each time (each field a
fixed example of its type) must encode to the bytes in tests/data/event_bytes.json, so a change
to what travels between the services is always a deliberate one (add fields with defaults).

After a deliberate change: `python -m tests.unit.platform.test_event_bytes` rewrites the file.
"""

import json
import sys
import types
import typing
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, get_args, get_origin
from uuid import UUID

import msgspec

from tests.unit.platform.test_contracts import all_events

GOLDEN = Path(__file__).parents[2] / "data" / "event_bytes.json"
AT = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def example(kind: Any, name: str) -> Any:
    """A fixed example value of a field's type."""
    origin = get_origin(kind)
    if origin is Literal:
        return get_args(kind)[0]
    if origin in (types.UnionType, typing.Union):
        return example(next(a for a in get_args(kind) if a is not type(None)), name)
    if origin in (list, tuple, set, frozenset):
        return [example(get_args(kind)[0], name)] if get_args(kind) else []
    if origin is dict:
        key, value = get_args(kind)
        return {example(key, name): example(value, name)}
    if isinstance(kind, type) and issubclass(kind, msgspec.Struct):
        return build(kind)
    return {
        str: f"{name}-1",
        int: 2,
        float: 1.5,
        bool: True,
        datetime: AT,
        date: AT.date(),
        UUID: UUID("00000000-0000-4000-8000-000000000001"),
    }.get(kind, f"{name}-1")


def build(kind: type[msgspec.Struct]) -> msgspec.Struct:
    hints = typing.get_type_hints(kind)
    values = {name: example(hints[name], name) for name in kind.__struct_fields__}
    return msgspec.convert(values, kind, from_attributes=True, strict=False)


def current() -> dict[str, str]:
    return {
        str(event.__struct_config__.tag): msgspec.json.encode(build(event)).decode()
        for event in sorted(all_events(), key=lambda e: str(e.__struct_config__.tag))
    }


def test_every_event_encodes_to_its_pinned_bytes() -> None:
    pinned = json.loads(GOLDEN.read_text())
    now = current()
    assert sorted(now) == sorted(pinned), "an event was added or removed: rewrite the golden file"
    for tag, wire in now.items():
        assert wire == pinned[tag], f"{tag} changed on the wire"


def test_the_pinned_bytes_decode_back_into_their_events() -> None:
    by_tag = {str(e.__struct_config__.tag): e for e in all_events()}
    for tag, wire in json.loads(GOLDEN.read_text()).items():
        decoded = msgspec.json.decode(wire.encode(), type=by_tag[tag])
        assert msgspec.json.encode(decoded).decode() == wire


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(current(), indent=1, ensure_ascii=False) + "\n")
    sys.stdout.write(f"wrote {GOLDEN}\n")
