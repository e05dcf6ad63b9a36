"""Hostile text (tests/data/xss_corpus.json: script tags, event handlers, hx-* attributes,
unicode tricks) stored as kudos messages comes back exactly as typed from every API, as JSON.
The API does not escape (JSON is data); the pwa escapes when it renders (its own test)."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from services.recognition import digests, domain
from tests.integration.recognition import bus
from tests.integration.recognition.conftest import POOL
from tests.support import auth, caller, eventually

CORPUS = [c["text"] for c in json.loads((Path(__file__).parents[2] / "data" / "xss_corpus.json").read_text())["cases"]]


def media_type(response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def is_json(response) -> bool:
    return media_type(response) == "application/json"


async def test_hostile_messages_come_back_exactly_as_typed_from_every_api(recognition, recognition_db, js):
    rec = await recognition()
    me, lead = caller("secretary", pools=(POOL,)), caller("lead", "staff", pools=(POOL,))
    responses = []
    ids = {}
    for text in CORPUS:
        given = await rec.give(caller("staff"), message=text, recipient_ids=[me.account_id], pool_id=POOL)
        assert given.status_code == 201, (text, given.text)
        assert given.json()["message"] == text
        ids[given.json()["id"]] = text
        responses.append(given)

    wall = await rec.call("GET", "/v1/wall", me, params={"limit": 100})
    mine = await rec.call("GET", "/v1/me/kudos", me, params={"limit": 100})
    pool_wall = await rec.call("GET", "/v1/wall", me, params={"limit": 100, "pool_id": POOL})
    for page in (wall, mine, pool_wall):
        assert {k["id"]: k["message"] for k in page.json()["items"]} == ids, page.request.url
    responses += [wall, mine, pool_wall]
    for kudos_id, text in ids.items():
        one = await rec.call("GET", f"/v1/kudos/{kudos_id}", me)
        assert one.json()["message"] == text
        responses.append(one)

    # Reasons are free text too: reports, the moderation queue, hiding, the audit trail.
    first_id, first_text = next(iter(ids.items()))
    for text in CORPUS[:5]:
        reported = await rec.call("POST", f"/v1/kudos/{first_id}/reports", caller("staff"), json={"reason": text})
        assert reported.json()["reason"] == text
    queue = await rec.call("GET", "/v1/reports", lead)
    assert queue.json()[0]["kudos"]["message"] == first_text and queue.json()[0]["reasons"] == CORPUS[:5]
    hidden = await rec.call("POST", f"/v1/kudos/{first_id}/hide", lead, json={"reason": CORPUS[-1]})
    assert hidden.json()["hidden"]["reason"] == CORPUS[-1] and hidden.json()["message"] == first_text
    audit = await rec.call("GET", f"/v1/kudos/{first_id}/audit", lead)
    assert [a["detail"] for a in audit.json()] == ["", *CORPUS[:5], CORPUS[-1]]
    responses += [queue, hidden, audit]

    # The one-tap thanks with a hostile message, and a digest highlighting hostile kudos.
    requester = caller("staff")
    await bus.publish(js, bus.completed(requester_id=requester.account_id, member_id=me.account_id))
    prompts = await eventually(lambda: rec.call("GET", "/v1/prompts/", requester), lambda r: len(r.json()) == 1)
    prompt = prompts.json()[0]
    tapped = await rec.call("POST", f"/v1/prompts/{prompt['id']}/kudos", requester, json={"message": CORPUS[9]})
    assert tapped.json()["message"] == CORPUS[9]
    for kudos_id in list(ids)[1:4]:
        await rec.call("PUT", f"/v1/kudos/{kudos_id}/reaction", caller("staff"), json={"emoji": "🎉"})
    now = datetime.now(UTC)
    async with recognition_db.acquire() as conn, conn.transaction():
        await digests.publish(conn, POOL, domain.Period(now - timedelta(hours=1), now + timedelta(hours=1)))
    [digest] = (await rec.call("GET", f"/v1/pools/{POOL}/digests", me)).json()
    assert [(h["id"], h["message"]) for h in digest["highlights"]] == [(k, ids[k]) for k in reversed(list(ids)[1:4])]
    responses += [tapped, await rec.call("GET", f"/v1/digests/{digest['id']}", me)]

    assert all(is_json(r) for r in responses)


async def test_the_openapi_document_and_errors_are_json(recognition):
    rec = await recognition()
    schema = await rec.client.get("/schema/openapi.json", headers=auth(caller("staff"), "recognition"))
    # Litestar serves its OpenAPI document as JSON with the OpenAPI-specific media type.
    assert schema.status_code == 200 and media_type(schema) in ("application/json", "application/vnd.oai.openapi+json")
    assert isinstance(schema.json()["paths"], dict)
    refused = await rec.give(caller("staff"), message="<script>", recipient_ids=[])
    assert refused.status_code == 422 and is_json(refused)
    malformed = await rec.give(caller("staff"), message="")
    assert malformed.status_code == 400 and is_json(malformed)
    # Every documented success response is JSON (or empty).
    for path, operations in schema.json()["paths"].items():
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                if status.startswith("2") and "content" in response:
                    assert set(response["content"]) == {"application/json"}, (method, path, status)
