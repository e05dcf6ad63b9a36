"""Intake's SQL for request types (the catalogue leads manage) and their change history."""

from typing import Any

import msgspec

from services.intake import records
from services.platform.db import Conn, as_record, as_records

TYPE_FIELDS = records.TypeFields.__struct_fields__  # the columns a type is written with, in order
EDITABLE = TYPE_FIELDS[1:]  # a type stays in its pool
TYPE_COLUMNS = ", ".join(("id", *TYPE_FIELDS, "retired_at", "created_at", "updated_at"))


async def get_type(conn: Conn, type_id: str, *, for_update: bool = False) -> records.RequestType | None:
    lock = " FOR UPDATE" if for_update else ""
    row = await conn.fetchrow(f"SELECT {TYPE_COLUMNS} FROM request_types WHERE id = $1{lock}", type_id)
    return None if row is None else as_record(records.RequestType, row)


async def list_types(
    conn: Conn, pool_ids: list[str] | None, *, include_retired: bool = False
) -> list[records.RequestType]:
    rows = await conn.fetch(
        f"SELECT {TYPE_COLUMNS} FROM request_types WHERE ($1::text[] IS NULL OR pool_id = ANY($1))"
        " AND ($2 OR retired_at IS NULL) ORDER BY name_en, id",
        pool_ids,
        include_retired,
    )
    return as_records(records.RequestType, rows)


async def insert_type(conn: Conn, type_id: str, fields: records.TypeFields) -> bool:
    """A new type; False if the id is taken."""
    columns = ", ".join(("id", *TYPE_FIELDS))
    params = ", ".join(f"${i}" for i in range(1, len(TYPE_FIELDS) + 2))
    inserted = await conn.fetchval(
        f"INSERT INTO request_types ({columns}) VALUES ({params}) ON CONFLICT (id) DO NOTHING RETURNING true",
        type_id,
        *msgspec.structs.astuple(fields),
    )
    return bool(inserted)


async def update_type(conn: Conn, type_id: str, fields: records.TypeFields) -> None:
    """All its fields but its pool: a type stays in its pool."""
    sets = ", ".join(f"{name} = ${i}" for i, name in enumerate(EDITABLE, start=2))
    await conn.execute(
        f"UPDATE request_types SET {sets}, updated_at = now() WHERE id = $1",
        type_id,
        *msgspec.structs.astuple(fields)[1:],
    )


async def set_retired(conn: Conn, type_id: str, *, retired: bool) -> None:
    await conn.execute(
        "UPDATE request_types SET retired_at = CASE WHEN $2 THEN now() END, updated_at = now() WHERE id = $1",
        type_id,
        retired,
    )


async def upsert_type(conn: Conn, type_id: str, t: records.TypeFields) -> None:
    """Demo data: insert or refresh a type by id."""
    columns = ", ".join(("id", *TYPE_FIELDS))
    params = ", ".join(f"${i}" for i in range(1, len(TYPE_FIELDS) + 2))
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in TYPE_FIELDS)
    await conn.execute(
        f"INSERT INTO request_types ({columns}) VALUES ({params})"
        f" ON CONFLICT (id) DO UPDATE SET {updates}, updated_at = now()",
        type_id,
        *msgspec.structs.astuple(t),
    )


async def count_types(conn: Conn) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM request_types"))


async def add_change(conn: Conn, type_id: str, *, kind: str, actor_id: str | None, fields: dict[str, Any]) -> None:
    await conn.execute(
        "INSERT INTO request_type_changes (type_id, kind, actor_id, fields) VALUES ($1, $2, $3, $4)",
        type_id,
        kind,
        actor_id,
        fields,
    )


async def changes_of(conn: Conn, type_id: str) -> list[records.TypeChange]:
    rows = await conn.fetch(
        "SELECT at, actor_id, kind, fields FROM request_type_changes WHERE type_id = $1 ORDER BY id",
        type_id,
    )
    return as_records(records.TypeChange, rows)
