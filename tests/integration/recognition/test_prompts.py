"""Thanks tied to the work: intake's RequestCompleted invites the requester, once, to thank
everyone who worked on it; one tap sends the kudos; invitations expire or can be set aside."""

from datetime import UTC, datetime, timedelta

from services.contracts.recognition import ThanksPrompted
from tests.integration.recognition import bus
from tests.integration.recognition.conftest import POOL
from tests.support import caller, eventually, new_id


async def open_prompts(rec, who) -> list[dict[str, object]]:
    return (await rec.call("GET", "/v1/prompts/", who)).json()


async def test_a_completed_request_invites_its_requester_to_thank_everyone_who_worked_on_it(recognition, js):
    rec = await recognition()
    requester = caller("staff", pools=(POOL,))
    member, buddy, handed_over = new_id("m-"), new_id("b-"), new_id("h-")
    done = bus.completed(requester_id=requester.account_id, member_id=member, helper_ids=[buddy, handed_over, member])
    await bus.publish(js, done)

    [prompt] = await eventually(lambda: open_prompts(rec, requester), lambda p: len(p) == 1)
    assert prompt["request_id"] == done.request_id and prompt["pool_id"] == POOL
    assert prompt["recipient_ids"] == [member, buddy, handed_over]
    assert prompt["suggested_message"]["nl"] and prompt["suggested_message"]["en"]
    assert await open_prompts(rec, caller("staff", account_id=member)) == []
    [event] = await bus.recorded(js, ThanksPrompted)
    assert (event.prompt_id, event.requester_id, event.recipient_ids) == (
        prompt["id"],
        requester.account_id,
        [member, buddy, handed_over],
    )


async def test_one_tap_thanks_everyone_on_the_wall_tied_to_the_request_and_only_once(recognition, js):
    rec = await recognition()
    requester = caller("staff", pools=(POOL,))
    member, buddy = new_id("m-"), new_id("b-")
    done = bus.completed(requester_id=requester.account_id, member_id=member, helper_ids=[buddy])
    await bus.publish(js, done)
    [prompt] = await eventually(lambda: open_prompts(rec, requester), lambda p: len(p) == 1)

    stranger = await rec.call("POST", f"/v1/prompts/{prompt['id']}/kudos", caller("staff"))
    assert stranger.status_code == 404
    tapped = await rec.call("POST", f"/v1/prompts/{prompt['id']}/kudos", requester)
    assert tapped.status_code == 201, tapped.text
    kudos = tapped.json()
    assert (kudos["recipient_ids"], kudos["request_id"]) == ([member, buddy], done.request_id)
    assert kudos["message"] == "Dank je wel voor je hulp!"
    wall = (await rec.call("GET", "/v1/wall", caller("staff"))).json()["items"]
    assert [(k["id"], k["request_id"]) for k in wall] == [(kudos["id"], done.request_id)]

    assert await open_prompts(rec, requester) == []
    again = await rec.call("POST", f"/v1/prompts/{prompt['id']}/kudos", requester)
    assert again.status_code == 409 and "already thanked" in again.json()["detail"]


async def test_the_one_tap_can_carry_a_message_and_a_value(recognition, js):
    rec = await recognition()
    requester = caller("staff")
    done = bus.completed(requester_id=requester.account_id, member_id=new_id("m-"))
    await bus.publish(js, done)
    [prompt] = await eventually(lambda: open_prompts(rec, requester), lambda p: len(p) == 1)
    body = {"message": "Thank you <3", "value_id": "betrouwbaar", "language": "en"}
    kudos = (await rec.call("POST", f"/v1/prompts/{prompt['id']}/kudos", requester, json=body)).json()
    assert (kudos["message"], kudos["value_id"]) == ("Thank you <3", "betrouwbaar")


async def test_an_invitation_is_never_repeated_for_the_same_request(recognition, js):
    rec = await recognition()
    requester = caller("staff")
    done = bus.completed(requester_id=requester.account_id, member_id=new_id("m-"))
    await bus.publish(js, done)
    [prompt] = await eventually(lambda: open_prompts(rec, requester), lambda p: len(p) == 1)
    await rec.call("POST", f"/v1/prompts/{prompt['id']}/dismiss", requester)
    # Intake completes it again later (a new event, a newer version): still no second invitation.
    later = bus.completed(
        request_id=done.request_id, requester_id=requester.account_id, member_id=done.member_id, version=9
    )
    await bus.publish(js, later)
    marker = bus.completed(requester_id=requester.account_id, member_id=new_id("m-"))
    await bus.publish(js, marker)  # consumed after `later`: once it shows, `later` was handled
    [only] = await eventually(lambda: open_prompts(rec, requester), lambda p: len(p) == 1)
    assert only["request_id"] == marker.request_id
    assert len(await bus.recorded(js, ThanksPrompted, at_least=2)) == 2


async def test_a_set_aside_invitation_cannot_be_used(recognition, js):
    rec = await recognition()
    requester = caller("staff")
    await bus.publish(js, bus.completed(requester_id=requester.account_id, member_id=new_id("m-")))
    [prompt] = await eventually(lambda: open_prompts(rec, requester), lambda p: len(p) == 1)
    assert (await rec.call("POST", f"/v1/prompts/{prompt['id']}/dismiss", requester)).status_code == 204
    assert await open_prompts(rec, requester) == []
    assert (await rec.call("POST", f"/v1/prompts/{prompt['id']}/kudos", requester)).status_code == 409


async def test_invitations_expire_after_the_configured_time(recognition, js):
    rec = await recognition(prompt_ttl_seconds=1)
    requester = caller("staff")
    await bus.publish(js, bus.completed(requester_id=requester.account_id, member_id=new_id("m-")))
    [prompt] = await eventually(lambda: open_prompts(rec, requester), lambda p: len(p) == 1)
    await eventually(lambda: open_prompts(rec, requester), lambda p: p == [], within=3)
    expired = await rec.call("POST", f"/v1/prompts/{prompt['id']}/kudos", requester)
    assert expired.status_code == 409 and "expired" in expired.json()["detail"]


async def test_no_invitation_when_nobody_else_worked_on_it_or_it_is_too_late(recognition, js):
    rec = await recognition(prompt_ttl_seconds=3600)
    requester = caller("staff")
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    await bus.publish(
        js,
        bus.completed(requester_id=requester.account_id, member_id=requester.account_id),
        bus.completed(requester_id=requester.account_id, member_id=new_id("m-"), occurred_at=long_ago),
    )
    marker = bus.completed(requester_id=requester.account_id, member_id=new_id("m-"))
    await bus.publish(js, marker)
    prompts = await eventually(lambda: open_prompts(rec, requester), lambda p: len(p) >= 1)
    assert [p["request_id"] for p in prompts] == [marker.request_id]
