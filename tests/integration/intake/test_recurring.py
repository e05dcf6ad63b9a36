"""Recurring requests on a simulated clock: "every Monday" is sent on three Mondays and moves off
Easter Monday to the Tuesday, with the same type, text and files each time; pausing holds it,
resuming sends what is due, stopping ends it (and its files)."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tests.integration.intake.conftest import Desk
from tests.integration.intake.test_attachments import PDF, send
from tests.support import eventually


class SimulatedClock:
    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> datetime:
        return datetime.combine(self.day, time(7, 0), tzinfo=UTC)


async def schedule_of(desk: Desk, who: Any) -> dict[str, Any]:
    [found] = (await desk.call(who, "GET", "/v1/recurring/")).json()
    return dict(found)


async def sent_days(desk: Desk) -> list[str]:
    keys = await desk.db.fetch("SELECT idempotency_key FROM requests WHERE idempotency_key LIKE 'recurring-%'")
    return sorted(k["idempotency_key"][-10:] for k in keys)


async def live_through(desk: Desk, clock: SimulatedClock, who: Any, last: date) -> None:
    """Day by day up to `last`: each day the clock shows, intake sends what is due."""
    while clock.day < last:
        clock.day += timedelta(days=1)
        day = clock.day.isoformat()
        await eventually(
            lambda: schedule_of(desk, who), lambda s, day=day: s["state"] != "active" or s["next_on"] > day
        )


async def test_a_weekly_request_comes_on_three_mondays_and_moves_off_easter_monday(start_intake: Any) -> None:
    clock = SimulatedClock(date(2027, 3, 12))  # a Friday; Easter Monday 2027 is 29 March
    desk: Desk = await start_intake(clock=clock, recurring_seconds=0.05)
    staff = desk.staff()
    minutes = await desk.submit(staff, type_id="letter", description="Notulen van het weekoverleg uitwerken")
    await send(desk, staff, f"/v1/requests/{minutes['id']}/attachments/", PDF, "sjabloon notulen.pdf")
    created = await desk.call(
        staff, "POST", "/v1/recurring/", json={"from_request_id": minutes["id"], "rule": "weekly"}
    )
    assert created.status_code == 201, created.text
    assert created.json()["next_on"] == "2027-03-15" and created.json()["files"] == 1

    await live_through(desk, clock, staff, date(2027, 4, 5))
    assert await sent_days(desk) == ["2027-03-15", "2027-03-22", "2027-03-30", "2027-04-05"]
    mine = (await desk.call(staff, "GET", "/v1/requests/")).json()
    repeated = [r for r in mine if r["id"] != minutes["id"]]
    assert len(repeated) == 4
    assert {(r["type_id"], r["description"]) for r in repeated} == {("letter", "Notulen van het weekoverleg uitwerken")}
    for r in repeated:
        files = (await desk.call(staff, "GET", f"/v1/requests/{r['id']}/attachments/")).json()
        assert [f["filename"] for f in files] == ["sjabloon notulen.pdf"]
        copy = await desk.call(staff, "GET", f"/v1/requests/{r['id']}/attachments/{files[0]['id']}")
        assert copy.content == PDF

    schedule_id = (await schedule_of(desk, staff))["id"]
    assert (await desk.call(desk.staff(), "POST", f"/v1/recurring/{schedule_id}/pause")).status_code == 404
    paused = await desk.call(staff, "POST", f"/v1/recurring/{schedule_id}/pause")
    assert paused.json()["state"] == "paused"
    await live_through(desk, clock, staff, date(2027, 4, 12))
    assert len(await sent_days(desk)) == 4  # held while paused
    resumed = await desk.call(staff, "POST", f"/v1/recurring/{schedule_id}/resume")
    assert resumed.json()["next_on"] == "2027-04-12"
    await eventually(lambda: sent_days(desk), lambda days: days[-1] == "2027-04-12")
    stopped = await desk.call(staff, "POST", f"/v1/recurring/{schedule_id}/stop")
    assert stopped.json()["state"] == "stopped" and stopped.json()["files"] == 0
    assert (await desk.call(staff, "GET", "/v1/recurring/")).json() == []


async def test_the_first_working_day_of_the_month_skips_new_year_and_the_weekend(start_intake: Any) -> None:
    clock = SimulatedClock(date(2026, 12, 15))
    desk: Desk = await start_intake(clock=clock, recurring_seconds=0.05)
    staff = desk.staff()
    report = await desk.submit(staff, type_id="letter", description="Maandrapportage versturen")
    created = await desk.call(
        staff, "POST", "/v1/recurring/", json={"from_request_id": report["id"], "rule": "first_working_day"}
    )
    assert created.json()["next_on"] == "2027-01-04"
    await live_through(desk, clock, staff, date(2027, 2, 1))
    assert await sent_days(desk) == ["2027-01-04", "2027-02-01"]
