"""Nothing a person puts in a URL reaches a service path: the pwa runs in-process against a
recording stand-in for all three services, and every id it forwards is probed with an added
query, a fragment, dot-segments and encoded slashes. Each probe gets 400/404 from the pwa (or,
for a form, its refusal), and the stand-in never sees an injected query or a dot-segment."""

import contextlib
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import uvicorn
from litestar.testing import AsyncTestClient

from pwa import accounts, passwords
from pwa.app import create_app
from services.platform.settings import Settings
from tests.integration.pwa_signin.conftest import PASSWORD, Visitor
from tests.support import new_id

POOL = "pool-probe"
SOME = str(uuid.uuid4())
PROBES = [
    "abc?x=1",
    "abc%3Fx=1",
    "abc%3Fx%3D1",
    "abc%23frag",
    "..",
    "%2e%2e",
    "%2E%2E",
    ".",
    "abc%2Fdef",
    "%2e%2e%2Fv1%2Fpeople",
    "..%2F..%2Fv1",
    "abc%2F..%2F..%2Fv1",
    "abc%252e%252e",
    "abc%00",
]
# Plain dot-segments are resolved by any HTTP client before the request is sent (RFC 3986);
# their encoded forms are what reaches the pwa, and are checked strictly.
RESOLVED = ("..", ".")
# Every pwa route that forwards an id from its path to a service ({} is the probed id).
GETS = [
    "/members/{}",
    "/pool/growth/{}",
    "/pool/requests/{}",
    "/pools/{}",
    "/pools/{}/holidays",
    "/lead/types/{}",
    "/requests/{}",
    "/requests/{}/edit",
    "/requests/{}/calendar.ics",
    f"/requests/{SOME}/files/{{}}",
    "/requests/{}/files/" + SOME,
    "/pool/policy/trials/{}",
]
POSTS = [
    "/lead/queue/{}/assign",
    "/lead/types/{}",
    "/lead/types/{}/retire",
    "/members/{}/hours",
    "/members/{}/absences",
    "/members/{}/profile",
    f"/members/{{}}/absences/{SOME}/remove",
    "/pool/skill-proposals/{}/confirm",
    "/pools/{}/holidays",
    "/requests/{}/cancel",
    "/requests/{}/comments",
    "/requests/{}/status",
    "/requests/{}/rating",
    "/requests/{}/thanks",
    "/offers/{}/accept",
    "/offers/{}/decline",
    "/wall/{}/reaction",
    "/wall/{}/report",
    "/wall/moderation/{}/hide",
    "/wall/moderation/{}/keep",
    "/requests/recurring/{}/pause",
    f"/requests/recurring/{SOME}/{{}}",
]
INJECTED = ("x=1", "x%3d1", "frag", "..", "%2e", "%2f", "%3f", "%23", "%00", "%25")


@dataclass
class Recorder:
    """Stands in for intake, routing and recognition: records each request's raw target and
    answers 404, as a service does for an id that names nothing."""

    seen: list[tuple[str, str, str]] = field(default_factory=list)
    origin: str = ""

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        while (await receive()).get("more_body"):
            pass
        self.seen.append((scope["method"], scope["raw_path"].decode(), scope["query_string"].decode()))
        await send({"type": "http.response.start", "status": 404, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b'{"detail": "no such thing"}'})

    @contextlib.contextmanager
    def running(self) -> Iterator["Recorder"]:
        """Served from a thread of its own: the in-process pwa's test client blocks the test's
        event loop while a page calls out."""
        server = uvicorn.Server(uvicorn.Config(self, host="127.0.0.1", port=0, lifespan="off", log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the recorder did not start"
            time.sleep(0.01)
        self.origin = f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
        try:
            yield self
        finally:
            server.should_exit = True
            thread.join(10)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    with Recorder().running() as running:
        yield running


@pytest.fixture
async def everyone(
    make_settings: Callable[..., Settings], tmp_path: Path, recorder: Recorder
) -> AsyncIterator[Visitor]:
    """Signed in as a person with every role in one pool, on a pwa whose services are the recorder."""
    urls = {f"{name}_url": recorder.origin for name in ("intake", "routing", "recognition")}
    settings = make_settings("pwa", data_dir=str(tmp_path / "data"), **urls)
    async with AsyncTestClient(app=create_app(settings)) as client:
        account_id = new_id("acct-")
        conn = await asyncpg.connect(settings.database_url, server_settings={"search_path": "pwa"})
        try:
            await accounts.upsert(
                conn,
                id=account_id,
                email=f"{account_id}@example.org",
                name="Probe",
                password_hash=await passwords.hash_password(PASSWORD),
                roles=["staff", "secretary", "lead", "admin"],
                pools=[POOL],
                language="en",
            )
            await conn.execute(
                "INSERT INTO pools (id, name_nl, name_en) VALUES ($1, 'Proef', 'Probe') ON CONFLICT DO NOTHING", POOL
            )
        finally:
            await conn.close()
        visitor = Visitor(client)
        signed_in = await visitor.sign_in(f"{account_id}@example.org")
        assert signed_in.status_code in (302, 303) and "/sign-in" not in signed_in.headers["location"]
        yield visitor


def refused(status: int, location: str) -> bool:
    """A 400 or 404, or a form sent back to where it came from with its refusal."""
    return status in (400, 404, 405) or (status in (302, 303) and "/sign-in" not in location)


async def test_no_probe_in_any_forwarded_id_reaches_a_service_path(everyone: Visitor, recorder: Recorder):
    answers = []
    for template in GETS:
        for probe in PROBES:
            response = await everyone.get(template.format(probe))
            answers.append((template, probe, response.status_code))
            if probe in RESOLVED:  # the client resolved it: some other pwa page, never a failure
                assert response.status_code < 500, (template, probe, response.status_code)
            else:
                assert response.status_code in (400, 404), (template, probe, response.status_code)
    for template in POSTS:
        for probe in PROBES:
            response = await everyone.post(template.format(probe), {"reason": "x", "status": "done", "stars": "5"})
            answers.append((template, probe, response.status_code))
            assert refused(response.status_code, response.headers.get("location", "")), (template, probe, answers[-1])
    assert len(answers) == len(PROBES) * (len(GETS) + len(POSTS))
    for method, path, query in recorder.seen:
        assert not any(mark in path.lower() for mark in INJECTED), (method, path)
        assert not any(mark in query.lower() for mark in INJECTED), (method, path, query)
        assert all(segment and segment not in (".", "..") for segment in path.split("/")[1:-1]), (method, path)


async def test_the_gateway_refuses_a_path_it_did_not_build_from_ids(everyone: Visitor, recorder: Recorder):
    from pwa.gateway import ServiceError, checked

    for bad in [
        "/v1/requests/a?x=1",
        "/v1/requests/a#f",
        "/v1/requests/../people",
        "/v1/requests/%2e%2e",
        "/v1/requests/a%2Fb",
        "/v1//requests",
        "v1/requests",
        "/v1/requests/a b",
        "/v1/requests/./x",
    ]:
        with pytest.raises(ServiceError) as refused_call:
            checked(bad)
        assert refused_call.value.status == 404
    assert checked("/v1/requests/") == "/v1/requests/"
    assert checked(f"/v1/pools/{POOL}/holidays/2026-12-25") == f"/v1/pools/{POOL}/holidays/2026-12-25"
