"""Integrations' API keys end to end on real PostgreSQL and NATS: an admin makes a key on the
pwa's page (shown once), the key reaches the services through identity events and works there
for its pool only (a read key reads, a write key also submits requests), and a revoked key is
refused by a service as soon as it hears of the revocation. Each service's OpenAPI declares
the key next to the service token."""

import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from litestar.testing import AsyncTestClient

from pwa import integrations
from pwa.app import create_app
from services.platform import api_key_store, api_keys, db
from services.platform.settings import Settings
from tests.support import auth, caller, close_pool, eventually, new_id

POOL = "pool-secretariaat"  # the demo's pool
KEY = re.compile(r"spk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}")
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
HTML = {"accept": "text/html", "accept-language": "en"}


async def post_form(pwa: AsyncTestClient[Any], path: str, form: dict[str, str]) -> httpx.Response:
    page = await pwa.get("/admin/api-keys/", headers=HTML)
    token = CSRF.search(page.text)
    assert token, page.text[:500]
    return await pwa.post(path, data={**form, "_csrf_token": token.group(1)}, headers=HTML, follow_redirects=False)


async def make_key(pwa: AsyncTestClient[Any], name: str, scope: str) -> str:
    made = await post_form(pwa, "/admin/api-keys/", {"name": name, "pool_id": POOL, "scope": scope})
    assert made.status_code == 201, made.text[:500]
    found = KEY.search(made.text)
    assert found, "the new key is on the answer"
    assert made.headers["cache-control"] == "no-store"
    return found.group(0)


async def key_in(database_url: str, schema: str, key_id: str) -> api_key_store.ApiKey | None:
    pool = await db.connect(database_url, schema)
    try:
        async with pool.acquire() as conn:
            return await api_key_store.get(conn, key_id)
    finally:
        await close_pool(pool)


def key_header(key: str) -> dict[str, str]:
    return {"x-api-key": key}


async def test_a_key_made_in_the_pwa_works_in_the_services_for_its_pool_and_dies_when_revoked(
    make_settings: Callable[..., Settings], services: Any, tmp_path: Path, database_url: str
) -> None:
    clients = await services("intake", "routing", demo=True)
    intake, routing = clients["intake"], clients["routing"]
    pwa_app = create_app(make_settings("pwa", demo=True, data_dir=str(tmp_path / "pwa")))
    async with AsyncTestClient(app=pwa_app) as pwa:
        await post_form_signed_out(pwa, "/sign-in", {"email": "admin@example.org", "password": "demo"})
        reader = await make_key(pwa, "Dashboard " + new_id(), "read")
        writer = await make_key(pwa, "HR system " + new_id(), "write")
        listing = await pwa.get("/admin/api-keys/", headers=HTML)
        assert "Dashboard" in listing.text and reader not in listing.text  # shown once, never again

        # The key reaches intake through its identity event: then it reads its pool.
        pool_requests = f"/v1/pools/{POOL}/requests"
        await eventually(
            lambda: intake.get(pool_requests, headers=key_header(reader)), lambda r: r.status_code == 200, within=20
        )
        assert (await intake.get(pool_requests, headers={"authorization": f"ApiKey {reader}"})).status_code == 200
        await eventually(
            lambda: routing.get(f"/v1/pools/{POOL}/queue", headers=key_header(reader)),
            lambda r: r.status_code != 401,
            within=20,
        )

        body = {"type_id": "agenda-meeting", "description": "From the HR system", "idempotency_key": str(uuid.uuid4())}
        refused = await intake.post("/v1/requests/", json=body, headers=key_header(reader))
        assert refused.status_code == 403 and "only read" in refused.json()["detail"]

        await eventually(
            lambda: intake.get(pool_requests, headers=key_header(writer)), lambda r: r.status_code == 200, within=20
        )
        submitted = await intake.post("/v1/requests/", json=body, headers=key_header(writer))
        assert submitted.status_code == 201, submitted.text
        request_id = submitted.json()["id"]
        writer_id = api_keys.parse(writer)
        assert writer_id is not None and submitted.json()["requester_id"] == writer_id.key_id
        seen = await intake.get(f"/v1/requests/{request_id}", headers=key_header(reader))
        assert seen.status_code == 200  # a read key sees its pool's requests
        # A write key submits and nothing else: no cancelling, no status changes.
        cancel = await intake.post(f"/v1/requests/{request_id}/cancel", json={}, headers=key_header(writer))
        assert cancel.status_code == 403 and "submit requests" in cancel.json()["detail"]

        # A key of another pool sees none of this pool's objects and submits nothing into it.
        pwa_schema = await db.connect(database_url, "pwa", decode_json=True)
        try:
            async with pwa_schema.acquire() as conn, conn.transaction():
                elsewhere_pool = "pool-" + new_id()
                stranger = await integrations.issue(
                    conn, name="Elsewhere", pool_id=elsewhere_pool, scope="write", by="t"
                )
        finally:
            await close_pool(pwa_schema)
        await eventually(
            lambda: intake.get("/v1/requests/", headers=key_header(stranger)), lambda r: r.status_code == 200, within=20
        )
        assert (await intake.get(f"/v1/requests/{request_id}", headers=key_header(stranger))).status_code in (403, 404)
        assert (await intake.get(pool_requests, headers=key_header(stranger))).status_code in (403, 404)
        elsewhere = {**body, "idempotency_key": str(uuid.uuid4())}
        assert (await intake.post("/v1/requests/", json=elsewhere, headers=key_header(stranger))).status_code == 403

        # A wrong secret for a real key id, a made-up key: 401.
        forged = writer[: -len(writer_id.secret)] + "A" * len(writer_id.secret)
        assert (await intake.get(pool_requests, headers=key_header(forged))).status_code == 401
        assert (await intake.get(pool_requests, headers=key_header("spk_nonsense"))).status_code == 401

        # Revoked on the pwa's page: refused by intake as soon as it handles the event.
        revoked = await post_form(pwa, f"/admin/api-keys/{writer_id.key_id}/revoke", {})
        assert revoked.status_code == 303
        gone = await eventually(
            lambda: intake.get(pool_requests, headers=key_header(writer)), lambda r: r.status_code == 401, within=10
        )
        assert "revoked" in gone.json()["detail"]
        assert (await intake.get(pool_requests, headers=key_header(reader))).status_code == 200
        after = (await pwa.get("/admin/api-keys/", headers=HTML)).text
        assert writer_id.key_id in after and f"/admin/api-keys/{writer_id.key_id}/revoke" not in after

        # Intake said when the reader was used; the pwa's list shows it.
        reader_id = api_keys.parse(reader)
        assert reader_id is not None
        await eventually(
            lambda: key_in(database_url, "pwa", reader_id.key_id),
            lambda k: k is not None and k.last_used_at is not None,
            within=20,
        )

    # Only the hash is kept, in the pwa and in intake alike; intake notes when a key was used.
    kept = await key_in(database_url, "intake", writer_id.key_id)
    assert kept is not None and kept.revoked and kept.last_used_at is not None
    assert kept.secret_sha256 == api_keys.secret_hash(writer) and writer_id.secret not in kept.secret_sha256
    pwa_schema = await db.connect(database_url, "pwa")
    try:
        audited = await pwa_schema.fetch(
            "SELECT action FROM audit_log WHERE subject_id = $1 ORDER BY id", writer_id.key_id
        )
    finally:
        await close_pool(pwa_schema)
    assert [r["action"] for r in audited] == ["api_key.issued", "api_key.revoked"]


async def test_a_staff_member_has_no_api_key_page_and_a_lead_keeps_only_their_pools(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    pwa_app = create_app(make_settings("pwa", demo=True, data_dir=str(tmp_path / "pwa")))
    async with AsyncTestClient(app=pwa_app) as pwa:
        await post_form_signed_out(pwa, "/sign-in", {"email": "anna@example.org", "password": "demo"})
        assert (await pwa.get("/admin/api-keys/", headers=HTML)).status_code == 403
    async with AsyncTestClient(app=pwa_app) as pwa:
        await post_form_signed_out(pwa, "/sign-in", {"email": "lead@example.org", "password": "demo"})
        other = {"name": "Not mine", "pool_id": "pool-" + new_id(), "scope": "read"}
        assert (await post_form(pwa, "/admin/api-keys/", other)).status_code == 400
        assert (await make_key(pwa, "Mine", "read")).startswith("spk_")


async def post_form_signed_out(pwa: AsyncTestClient[Any], path: str, form: dict[str, str]) -> httpx.Response:
    page = await pwa.get("/sign-in", headers=HTML)
    token = CSRF.search(page.text)
    assert token
    answer = await pwa.post(path, data={**form, "_csrf_token": token.group(1)}, headers=HTML, follow_redirects=False)
    assert answer.status_code in (302, 303), answer.text[:300]
    return answer


async def test_each_services_openapi_declares_the_api_key_next_to_the_service_token(services: Any) -> None:
    clients = await services("intake", "routing", "recognition")
    for name, client in clients.items():
        assert (await client.get("/schema/openapi.json")).status_code == 401
        document = (await client.get("/schema/openapi.json", headers=auth(caller("staff"), name))).json()
        schemes = document["components"]["securitySchemes"]
        assert schemes["apiKey"] == {**schemes["apiKey"], "type": "apiKey", "in": "header", "name": "X-Api-Key"}
        assert schemes["serviceToken"]["scheme"] == "bearer"
        assert {"apiKey": []} in document["security"] and {"serviceToken": []} in document["security"]
