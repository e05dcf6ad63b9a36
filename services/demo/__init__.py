"""The demo organisation (one pool, its members, staff, a lead, an admin, a catalogue of
request types) that `secpool up` loads on first run. Data only: each service seeds its own
part from it; ids are derived from e-mail addresses so every service agrees on them.
"""

import json
import uuid
from functools import cache
from importlib import resources
from typing import Any

import msgspec

_NAMESPACE = uuid.UUID("6f0c9a52-8d1e-4f0e-9a53-5ec9007aa001")


def account_id(email: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, email.lower()))


class Person(msgspec.Struct, frozen=True):
    id: str
    name: str
    email: str
    roles: list[str]
    pools: list[str]
    language: str
    member: dict[str, Any] | None = None


class Organisation(msgspec.Struct, frozen=True):
    password: str
    pools: list[dict[str, Any]]
    people: list[Person]
    request_types: list[dict[str, Any]]
    values: list[dict[str, str]]


@cache
def organisation() -> Organisation:
    raw = json.loads(resources.files(__package__).joinpath("organisation.json").read_text("utf-8"))
    raw["people"] = [Person(id=account_id(p["email"]), **p) for p in raw["people"]]
    return Organisation(**raw)
