"""The "no leaderboard" rule is part of the product: no endpoint orders or counts people by kudos.
Checked twice: in the OpenAPI document (parameters and response shapes) and in real responses of
every GET endpoint after a busy, lopsided week of kudos."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from services.contracts.recognition import DigestPublished
from services.recognition import digests, domain
from tests.integration.recognition import bus
from tests.integration.recognition.conftest import POOL
from tests.support import auth, caller, eventually, new_id

RANKING = re.compile(r"rank|leader|score|points|top|most|best|sort|order|winner|per_person", re.IGNORECASE)
PERSON = re.compile(r"^(giver|recipient|account|member|requester|actor|reporter|person|people|helper|by)(_ids?)?$")
# Every number the API may return, and where: per kudos, per digest (the pool's), or bookkeeping.
NUMBERS = {
    "ReactionTally": {"count"},  # reactions to one kudos, by emoji
    "KudosView": {"version"},
    "DigestView": {
        "requests_handled",
        "minutes_saved",
        "requests_on_time",
        "on_time_share",
        "kudos_given",
        "kudos_received",
    },
    "PoolView": {"digest_every_days"},
    "ValueNames": {"position"},
    "DigestSchedule": {"every_days"},
}
NUMBER_KEYS = set().union(*NUMBERS.values())


def numeric(schema: dict[str, Any]) -> bool:
    options = schema.get("oneOf", schema.get("anyOf", [schema]))
    return any(o.get("type") in ("integer", "number") for o in options)


async def test_the_openapi_document_offers_no_ranking_and_no_per_person_counts(recognition):
    doc = (await (await recognition()).client.get("/schema/openapi.json", headers=auth(caller(), "recognition"))).json()
    for path, operations in doc["paths"].items():
        assert not RANKING.search(path), path
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                assert not RANKING.search(parameter["name"]), (path, parameter["name"])
    for name, schema in doc["components"]["schemas"].items():
        properties = schema.get("properties", {})
        for field, spec in properties.items():
            assert not RANKING.search(field), (name, field)
            assert not (spec.get("type") == "object" and numeric(spec.get("additionalProperties", {}))), (
                f"{name}.{field} maps something to numbers"
            )
            if numeric(spec):
                assert field in NUMBERS.get(name, set()), f"{name}.{field} is a number the rule did not expect"
        counts = {f for f in properties if numeric(properties[f])} - {"version", "position"}
        people = {f for f in properties if PERSON.match(f)}
        assert not (counts and people), f"{name} puts counts {counts} next to people {people}"


def walk(value: Any, seen_people: set[str], where: str) -> None:
    """No number outside the allowed ones, no count beside a person, no object keyed by people."""
    if isinstance(value, list):
        for item in value:
            walk(item, seen_people, where)
    elif isinstance(value, dict):
        assert not seen_people.intersection(value), f"{where}: an object keyed by people"
        for key, item in value.items():
            if isinstance(item, int | float) and not isinstance(item, bool):
                assert key in NUMBER_KEYS, f"{where}: unexpected number {key}={item}"
                assert key != "count" or "emoji" in value, f"{where}: a count that is not a reaction tally"
            walk(item, seen_people, where)


async def test_no_response_ranks_or_counts_people_after_a_lopsided_week(recognition, recognition_db, js):
    rec = await recognition()
    popular, quiet = caller("secretary", pools=(POOL,)), caller("secretary", pools=(POOL,))
    lead = caller("lead", "admin", "staff", pools=(POOL,))
    await rec.give(popular, message="Team, thanks", recipient_ids=[quiet.account_id])  # both now known members
    await rec.give(quiet, message="Back at you", recipient_ids=[popular.account_id])
    givers = [caller("staff") for _ in range(4)]
    kudos_ids = []
    for n, giver in enumerate(givers):
        k = (await rec.give(giver, message=f"Star #{n}", recipient_ids=[popular.account_id], value_id="samen")).json()
        kudos_ids.append(k["id"])
        for fan in givers[: n + 1]:
            await rec.call("PUT", f"/v1/kudos/{k['id']}/reaction", fan, json={"emoji": "🎉"})
    await rec.call("POST", f"/v1/kudos/{kudos_ids[0]}/reports", quiet, json={"reason": "too much"})
    requester = caller("staff")
    await bus.publish(js, bus.completed(requester_id=requester.account_id, member_id=popular.account_id))
    await eventually(lambda: rec.call("GET", "/v1/prompts/", requester), lambda r: len(r.json()) == 1)
    async with recognition_db.acquire() as conn, conn.transaction():
        now = datetime.now(UTC)
        row = await digests.publish(conn, POOL, domain.Period(now - timedelta(hours=1), now + timedelta(hours=1)))
    assert row is not None
    await bus.recorded(js, DigestPublished)

    people = {popular.account_id, quiet.account_id, requester.account_id, *(g.account_id for g in givers)}
    doc = (await rec.client.get("/schema/openapi.json", headers=auth(lead, "recognition"))).json()
    fill = {"{kudos_id}": kudos_ids[0], "{pool_id}": POOL, "{digest_id}": str(row.id), "{prompt_id}": new_id()}
    checked = []
    for path, operations in doc["paths"].items():
        if "get" not in operations:
            continue
        url = path
        for placeholder, value in fill.items():
            url = url.replace(placeholder, value)
        for who in (lead, popular, requester):
            response = await rec.call("GET", url, who, params={"limit": 50} if "limit" in str(operations) else None)
            assert response.status_code == 200 or (who is not lead and response.status_code == 403), (
                url,
                response.text,
            )
            if response.status_code == 200:
                walk(response.json(), people, url)
        checked.append(path)
    assert len(checked) == sum("get" in ops for ops in doc["paths"].values()) >= 10

    # Lists of kudos are in time order, never by how much someone received.
    for url, who in (("/v1/wall", lead), ("/v1/me/kudos", popular), ("/v1/me/kudos", quiet)):
        times = [k["created_at"] for k in (await rec.call("GET", url, who)).json()["items"]]
        assert times == sorted(times, reverse=True), url
    assert (await rec.call("GET", "/v1/leaderboard", lead)).status_code == 404
