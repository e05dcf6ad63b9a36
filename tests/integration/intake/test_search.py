"""Searching requests through intake: a Dutch word from the conversation finds its request (any
word form, in either language), only within what the searcher may see, with filters."""

from datetime import date, timedelta
from typing import Any

from tests.integration.intake.conftest import Desk, other_pool
from tests.support import caller


async def find(desk: Desk, who: Any, **params: Any) -> list[dict[str, Any]]:
    response = await desk.call(who, "GET", "/v1/search/", params=params)
    assert response.status_code == 200, response.text
    return list(response.json())


async def test_a_dutch_word_in_the_conversation_finds_the_request_for_the_people_who_may_see_it(desk: Desk) -> None:
    staff, member, other_staff = desk.staff(), desk.member(), desk.staff()
    stranger_lead = caller("lead", "staff", pools=(other_pool(),))
    request = await desk.submit(staff, description="Brief aan de bewoners over de lift")
    await desk.submit(other_staff, description="Agenda voor het teamoverleg")
    await desk.picked_up(request["id"], member)
    asked = await desk.call(
        member,
        "POST",
        f"/v1/requests/{request['id']}/comments",
        json={"body": "Moeten de huurders van blok B de brief ook krijgen?", "question": True},
    )
    assert asked.status_code == 201, asked.text

    for word in ("huurders", "huurder", "HUURDERS blok"):
        hits = await find(desk, staff, q=word)
        assert [h["request"]["id"] for h in hits] == [request["id"]], word
        assert hits[0]["in_conversation"] and "«huurders»" in hits[0]["snippet"]
    assert [h["request"]["id"] for h in await find(desk, member, q="huurders")] == [request["id"]]
    assert await find(desk, other_staff, q="huurders") == []  # someone else's request
    assert await find(desk, stranger_lead, q="huurders") == []  # another pool
    described = await find(desk, staff, q="bewoners lift")
    assert [h["request"]["id"] for h in described] == [request["id"]] and not described[0]["in_conversation"]


async def test_filters_narrow_by_type_status_period_and_person(desk: Desk) -> None:
    staff, lead = desk.staff(), desk.lead()
    letter = await desk.submit(staff, type_id="letter", description="Kerstkaarten voor de klanten")
    agenda = await desk.submit(staff, type_id="agenda-meeting", description="Kerstborrel plannen")
    ids = lambda hits: sorted(h["request"]["id"] for h in hits)  # noqa: E731
    assert ids(await find(desk, staff, q="kerst")) == []  # whole words: "kerst" is not "kerstkaarten"
    assert ids(await find(desk, staff, q="kerstkaarten OR kerstborrel")) == sorted([letter["id"], agenda["id"]])
    assert ids(await find(desk, staff, type_id="letter")) == [letter["id"]]
    cancelled = await desk.call(staff, "POST", f"/v1/requests/{agenda['id']}/cancel", json={})
    assert cancelled.status_code == 200
    assert ids(await find(desk, staff, which="open")) == [letter["id"]]
    assert ids(await find(desk, staff, status="cancelled")) == [agenda["id"]]
    today = date.today()
    assert len(await find(desk, staff, since=str(today - timedelta(days=1)), until=str(today + timedelta(days=1)))) == 2
    assert await find(desk, staff, until=str(today - timedelta(days=2))) == []
    assert ids(await find(desk, lead, person=staff.account_id)) == sorted([letter["id"], agenda["id"]])
    refused = await desk.call(staff, "GET", "/v1/search/", params={"person": lead.account_id})
    assert refused.status_code == 403
