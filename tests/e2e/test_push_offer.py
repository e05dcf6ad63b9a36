"""Push and live updates through real processes: a request submitted to intake is routed,
the offered member's phone gets an encrypted, VAPID-signed push (at a fake push service
allowed with SECPOOL_PUSH_ALLOW_HOSTS), and the requester's open /events stream hears of it."""

import asyncio
import contextlib
import uuid
from pathlib import Path

import asyncpg
import httpx
from cryptography.hazmat.primitives import serialization

from pwa import accounts
from pwa.push.vapid import KEY_FILE, b64url
from services.demo import organisation
from tests.e2e.conftest import Processes
from tests.integration.pwa_push.conftest import POOL, Person
from tests.integration.pwa_push.fake_push_service import FakeBrowser, FakePushService, vapid_claims
from tests.support import auth, caller, eventually

DESCRIPTION = "Reserve the boardroom for the confidential reorganisation talk"


async def sign_in(db: asyncpg.Connection, account_id: str) -> Person:
    return Person(account_id, await accounts.start_session(db, account_id))


def public_key(data_dir: Path) -> str:
    key = serialization.load_pem_private_key((data_dir / KEY_FILE).read_bytes(), password=None)
    point = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return b64url(point)


async def test_an_offer_reaches_the_members_phone_and_the_requesters_page(
    processes: Processes, database_url: str, tmp_path: Path
) -> None:
    people = organisation().people
    members = [p.id for p in people if "secretary" in p.roles and POOL in p.pools]
    staff = next(p for p in people if p.roles == ["staff"])
    async with FakePushService().running() as fake:
        processes.start("intake")
        processes.start("routing")
        processes.start("pwa", SECPOOL_PUSH_ALLOW_HOSTS=fake.origin, SECPOOL_DATA_DIR=str(tmp_path / "pwa"))
        db = await asyncpg.connect(database_url, server_settings={"search_path": "pwa"})
        lines: list[str] = []
        try:
            phones = {m: FakeBrowser(fake) for m in members}
            async with httpx.AsyncClient(base_url=processes.url("pwa"), timeout=10) as pwa:
                for member_id, phone in phones.items():
                    person = await sign_in(db, member_id)
                    r = await pwa.post("/push/subscriptions", json=phone.subscription(), headers=person.headers())
                    assert r.status_code == 201, r.text
                requester = await sign_in(db, staff.id)

                async def follow() -> None:
                    async with pwa.stream("GET", "/events", headers={"cookie": f"secpool={requester.token}"}) as s:
                        async for line in s.aiter_lines():
                            lines.append(line)

                reader = asyncio.create_task(follow())
                await eventually(lambda: asyncio.sleep(0, lines), lambda got: any("connected" in x for x in got))
                async with httpx.AsyncClient(base_url=processes.url("intake"), timeout=10) as intake:
                    created = await intake.post(
                        "/v1/requests/",
                        headers=auth(caller("staff", pools=(POOL,), account_id=staff.id), "intake"),
                        json={
                            "type_id": "agenda-meeting",
                            "description": DESCRIPTION,
                            "idempotency_key": str(uuid.uuid4()),
                        },
                    )
                assert created.status_code == 201, created.text
                request_id = created.json()["id"]

                async def offered_phones() -> list[FakeBrowser]:
                    return [phone for phone in phones.values() if fake.to(phone.path)]

                [phone] = await eventually(offered_phones, lambda got: len(got) == 1, within=15)
                await eventually(lambda: asyncio.sleep(0, lines), lambda got: f"event: request-{request_id}" in got)
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reader
        finally:
            await db.close()

    [push] = fake.to(phone.path)
    notice = phone.decrypt(push)
    assert (notice["kind"], notice["url"]) == ("offer", "/offers")
    assert DESCRIPTION not in str(notice) and request_id not in notice["title"] + notice["body"]
    assert push.headers["urgency"] == "high" and 0 < int(push.headers["ttl"]) <= 3600
    vapid_claims(push, public_key(tmp_path / "pwa"), audience=fake.origin)
