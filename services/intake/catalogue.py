"""The catalogue of request types (the "what", set by leads): create, edit, retire and
reinstate, each with an entry in the type's change history. A retired type can no longer be
requested but keeps its requests, their timelines and its place in the insights.
"""

import re
import secrets
from typing import Any

import msgspec

from services.contracts.intake_api import NewType, TypeFields
from services.intake import access, records, store_catalogue
from services.platform.db import Conn
from services.platform.errors import Conflict, Invalid, NotFound
from services.platform.tokens import Caller


def _checked(fields: TypeFields) -> dict[str, Any]:
    """The type's fields as columns, after the rules a schema cannot say."""
    values = msgspec.structs.asdict(fields)
    if fields.complete_minutes < fields.pickup_minutes:
        raise Invalid("complete_minutes: a request cannot be due done before it is due picked up")
    if fields.skill in fields.extra_skills:
        raise Invalid(f"extra_skills: '{fields.skill}' is already the required skill")
    values["extra_skills"] = list(dict.fromkeys(fields.extra_skills))
    for name in ("name_nl", "name_en"):
        values[name] = values[name].strip()
        if not values[name]:
            raise Invalid(f"{name}: the name cannot be blank")
    return values


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:50]
    return slug if len(slug) >= 2 else "type"


async def get(conn: Conn, type_id: str, *, for_update: bool = False) -> records.RequestType:
    row = await store_catalogue.get_type(conn, type_id, for_update=for_update)
    if row is None:
        raise NotFound(f"no request type '{type_id}'")
    return row


async def create(conn: Conn, caller: Caller, body: NewType) -> records.RequestType:
    access.require_catalogue_keeper(caller, body.pool_id)
    values = _checked(body)
    values.pop("id")
    if body.id is not None:
        if not await store_catalogue.insert_type(conn, body.id, records.TypeFields(**values)):
            raise Conflict(f"id: a request type '{body.id}' already exists")
        type_id = body.id
    else:
        type_id = _slug(body.name_en)
        while not await store_catalogue.insert_type(conn, type_id, records.TypeFields(**values)):
            type_id = f"{_slug(body.name_en)}-{secrets.token_hex(2)}"
    await store_catalogue.add_change(conn, type_id, kind="created", actor_id=caller.account_id, fields=values)
    return await get(conn, type_id)


async def edit(conn: Conn, caller: Caller, type_id: str, body: TypeFields) -> records.RequestType:
    """Replace the type's fields. Requests already submitted keep their due times; a done
    request keeps the minutes saved it was worth when it was done."""
    current = await get(conn, type_id, for_update=True)
    access.require_catalogue_keeper(caller, current.pool_id)
    if current.retired_at is not None:
        raise Conflict("this request type is retired: reinstate it before editing")
    values = _checked(body)
    values["pool_id"] = current.pool_id
    changed = {k: v for k, v in values.items() if k != "pool_id" and _column(getattr(current, k)) != v}
    if changed:
        await store_catalogue.update_type(conn, type_id, records.TypeFields(**values))
        await store_catalogue.add_change(conn, type_id, kind="edited", actor_id=caller.account_id, fields=changed)
    return await get(conn, type_id)


def _column(value: Any) -> Any:
    return list(value) if isinstance(value, list | tuple) else value


async def set_retired(conn: Conn, caller: Caller, type_id: str, *, retired: bool) -> records.RequestType:
    current = await get(conn, type_id, for_update=True)
    access.require_catalogue_keeper(caller, current.pool_id)
    if (current.retired_at is not None) == retired:
        raise Conflict(f"this request type is already {'retired' if retired else 'in use'}")
    await store_catalogue.set_retired(conn, type_id, retired=retired)
    kind = "retired" if retired else "reinstated"
    await store_catalogue.add_change(conn, type_id, kind=kind, actor_id=caller.account_id, fields={})
    return await get(conn, type_id)
