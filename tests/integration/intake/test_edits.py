"""The requester corrects a request before pick-up; every edit is in the timeline and announced;
once a member has accepted it, changes go through the conversation."""

from typing import Any

from services.contracts.intake import RequestEdited
from tests.integration.intake.conftest import Desk


async def test_an_edit_before_pick_up_is_in_the_timeline_and_moves_the_due_times(desk: Desk) -> None:
    staff, member = desk.staff(), desk.member()
    request = await desk.submit(staff, description="Brief aan de huurders", urgency="normal")
    path = f"/v1/requests/{request['id']}"
    edited = await desk.call(
        staff,
        "PATCH",
        path,
        json={"description": "Brief aan de huurders van blok B", "urgency": "high", "wished_for": None},
    )
    assert edited.status_code == 200, edited.text
    after = edited.json()
    assert after["description"] == "Brief aan de huurders van blok B" and after["urgency"] == "high"
    assert after["pickup_due_at"] < request["pickup_due_at"] and after["version"] == request["version"] + 1
    same = await desk.call(staff, "PATCH", path, json={"urgency": "high"})
    assert same.json()["version"] == after["version"]  # nothing changed: no edit recorded
    timeline = (await desk.call(staff, "GET", f"{path}/timeline")).json()
    assert [(t["kind"], t["detail"]) for t in timeline] == [("submitted", ""), ("edited", "description,urgency")]
    events = await desk.events_until(request["id"], lambda es: any(isinstance(e, RequestEdited) for e in es))
    [announced] = [e for e in events if isinstance(e, RequestEdited)]
    assert announced.changed == ["description", "urgency"] and announced.urgency == "high"

    assert (await desk.call(member, "PATCH", path, json={"urgency": "low"})).status_code == 403
    await desk.picked_up(request["id"], member)
    late = await desk.call(staff, "PATCH", path, json={"description": "Toch iets anders"})
    assert late.status_code == 409 and "conversation" in late.json()["detail"]


async def test_a_wished_for_date_is_set_and_cleared_but_never_in_the_past(desk: Desk) -> None:
    staff = desk.staff()
    request: dict[str, Any] = await desk.submit(staff)
    path = f"/v1/requests/{request['id']}"
    assert (await desk.call(staff, "PATCH", path, json={"wished_for": "2999-01-04"})).json()[
        "wished_for"
    ] == "2999-01-04"
    past = await desk.call(staff, "PATCH", path, json={"wished_for": "2001-01-01"})
    assert past.status_code == 422 and past.json()["detail"].startswith("wished_for:")
    cleared = await desk.call(staff, "PATCH", path, json={"keep_wished_for": False})
    assert cleared.json()["wished_for"] is None
