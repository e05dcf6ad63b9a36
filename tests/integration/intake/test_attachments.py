"""Files on a request through intake's API: a photo sent with the request reaches the member, the
finished file reaches the requester, nobody else gets either (404); too large or the wrong kind
is refused with nothing stored; a file removed, or its request deleted, leaves the store."""

import uuid
from pathlib import Path
from typing import Any

from services.contracts.intake import AttachmentAdded, RequestEdited
from tests.integration.intake.conftest import Desk
from tests.support import auth, eventually

PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 40
PDF = b"%PDF-1.7\n" + b"1 0 obj << >> endobj\n" * 500 + b"%%EOF\n"
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 5000


def stored(files: Path | None) -> list[Path]:
    assert files is not None
    return [p for p in files.rglob("*") if p.is_file()] if files.exists() else []


async def send(desk: Desk, who: Any, path: str, body: bytes, name: str) -> Any:
    return await desk.client.post(path, content=body, headers={**auth(who, "intake"), "x-filename": name})


async def test_a_photo_reaches_the_member_and_the_finished_file_the_requester_and_nobody_else(desk: Desk) -> None:
    staff, member, stranger, colleague = desk.staff(), desk.member(), desk.staff(), desk.member()
    staged = await send(desk, staff, "/v1/uploads/", PHOTO, "IMG_0412.jpg")
    assert staged.status_code == 201, staged.text
    request = await desk.submit(staff, attachment_ids=[staged.json()["id"]])
    await desk.picked_up(request["id"], member)
    files = f"/v1/requests/{request['id']}/attachments/"

    listed = (await desk.call(member, "GET", files)).json()
    assert [(f["filename"], f["content_type"], f["size"]) for f in listed] == [
        ("IMG_0412.jpg", "image/jpeg", len(PHOTO))
    ]
    photo = await desk.call(member, "GET", files + listed[0]["id"])
    assert photo.status_code == 200 and photo.content == PHOTO
    assert photo.headers["content-type"] == "image/jpeg"
    assert photo.headers["content-disposition"].startswith('attachment; filename="IMG_0412.jpg"')
    assert photo.headers["x-content-type-options"] == "nosniff"

    result = await send(desk, member, files, PDF, "Notulen MT 12 mei.pdf")
    assert result.status_code == 201, result.text
    done = await desk.call(member, "POST", f"/v1/requests/{request['id']}/status", json={"status": "done"})
    assert done.status_code == 200, done.text
    back = await desk.call(staff, "GET", files + result.json()["id"])
    assert back.status_code == 200 and back.content == PDF and back.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''Notulen%20MT%2012%20mei.pdf" in back.headers["content-disposition"]

    for outsider in (stranger, colleague):  # another requester; a pool member once the request is closed
        assert (await desk.call(outsider, "GET", files)).status_code == 404
        assert (await desk.call(outsider, "GET", files + listed[0]["id"])).status_code == 404
        assert (await desk.call(outsider, "GET", files + result.json()["id"])).status_code == 404
    events = await desk.events_until(request["id"], lambda es: any(isinstance(e, AttachmentAdded) for e in es))
    added = [e for e in events if isinstance(e, AttachmentAdded)]
    assert [(e.added_by, e.author_role) for e in added] == [(member.account_id, "member")]


async def test_a_file_too_large_or_of_the_wrong_kind_is_refused_and_nothing_is_stored(start_intake: Any) -> None:
    desk: Desk = await start_intake(attachment_max_mb=1)
    staff = desk.staff()
    request = await desk.submit(staff)
    files = f"/v1/requests/{request['id']}/attachments/"
    big = await send(desk, staff, files, PDF + b"x" * (1024 * 1024), "big.pdf")
    assert big.status_code == 413 and "larger than 1 MB" in big.json()["detail"]
    renamed = await send(desk, staff, files, PROGRAM, "factuur.pdf")
    assert renamed.status_code == 415 and "is a program" in renamed.json()["detail"]
    wrong = await send(desk, staff, "/v1/uploads/", PDF, "photo.jpg")
    assert wrong.status_code == 415 and "not a .jpg file" in wrong.json()["detail"]
    assert (await desk.call(staff, "GET", files)).json() == []
    assert stored(desk.files) == []
    assert await desk.db.fetchval("SELECT count(*) FROM attachments") == 0


async def test_a_removed_file_and_the_files_of_an_anonymised_or_deleted_request_leave_the_store(
    start_intake: Any,
) -> None:
    desk: Desk = await start_intake(sweep_seconds=0.1)
    staff = desk.staff()
    request = await desk.submit(staff)
    files = f"/v1/requests/{request['id']}/attachments/"
    first = (await send(desk, staff, files, PDF, "brief.pdf")).json()
    await send(desk, staff, files, PHOTO, "bon.jpg")
    assert len(stored(desk.files)) == 2

    removed = await desk.call(staff, "DELETE", files + first["id"])
    assert removed.status_code == 204
    timeline = (await desk.call(staff, "GET", f"/v1/requests/{request['id']}/timeline")).json()
    assert [(t["kind"], t["detail"]) for t in timeline][-3:] == [
        ("attached", "brief.pdf"),
        ("attached", "bon.jpg"),
        ("attachment_removed", "brief.pdf"),
    ]
    await eventually(lambda: _count(desk), lambda n: n == 1)
    events = await desk.events_until(request["id"], lambda es: any(isinstance(e, RequestEdited) for e in es))
    assert [e.changed for e in events if isinstance(e, RequestEdited)] == [["attachments"]]

    # Retention anonymises a closed request (its text goes, the row stays): its files go with it.
    await send(desk, staff, files, PDF, "nog een.pdf")
    await eventually(lambda: _count(desk), lambda n: n == 2)
    await desk.db.execute(
        "UPDATE requests SET description = '', anonymised_at = now() WHERE id = $1", uuid.UUID(request["id"])
    )
    await eventually(lambda: _count(desk), lambda n: n == 0)
    assert (await desk.call(staff, "GET", files)).json() == []

    # A request deleted outright (and its history): its files would go with it too.
    other = await desk.submit(staff)
    await send(desk, staff, f"/v1/requests/{other['id']}/attachments/", PHOTO, "bon.jpg")
    await eventually(lambda: _count(desk), lambda n: n == 1)
    request = other
    async with desk.db.acquire() as conn, conn.transaction():
        for table in ("timeline", "comments"):
            await conn.execute(f"DELETE FROM {table} WHERE request_id = $1", uuid.UUID(request["id"]))
        await conn.execute("DELETE FROM requests WHERE id = $1", uuid.UUID(request["id"]))
    await eventually(lambda: _count(desk), lambda n: n == 0)


async def _count(desk: Desk) -> int:
    return len(stored(desk.files))


async def test_a_request_naming_a_file_that_is_not_there_is_refused_and_leaves_no_request_or_event(desk: Desk) -> None:
    staff = desk.staff()
    body = {"type_id": "agenda-meeting", "description": "Met de foto", "idempotency_key": str(uuid.uuid4())}

    async def stored() -> tuple[int, int]:
        async with desk.db.acquire() as conn:
            return (
                await conn.fetchval("SELECT count(*) FROM requests WHERE requester_id = $1", staff.account_id),
                await conn.fetchval(
                    "SELECT count(*) FROM outbox WHERE convert_from(payload, 'UTF8')::jsonb ->> 'requester_id' = $1",
                    staff.account_id,
                ),
            )

    refused = await desk.call(staff, "POST", "/v1/requests/", json={**body, "attachment_ids": [str(uuid.uuid4())]})
    assert refused.status_code == 422 and "not found" in refused.text
    assert await stored() == (0, 0)
    # The same form without the file goes through: the key was not used up.
    assert (await desk.call(staff, "POST", "/v1/requests/", json=body)).status_code == 201
    assert await stored() == (1, 1)
