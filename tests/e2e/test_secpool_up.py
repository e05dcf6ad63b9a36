"""`secpool up` on the embedded default: it comes up (within a bound generous enough for a
loaded machine: how fast is a benchmark's question), Ctrl-C leaves nothing running,
a second start keeps the data, a busy port gets one clear line; PostgreSQL asks for a password
and every process signs in as its own role."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
import psutil

from services.cli.children import free_port
from services.demo import organisation
from services.platform.tokens import Caller, sign


def launch(data_dir: Path, port: int) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NATS_URL")}
    return subprocess.Popen(
        [sys.executable, "-m", "services.cli.main", "up", "--data-dir", str(data_dir), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )


def wait_healthy(port: int, proc: subprocess.Popen[str], within: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < within:
        if proc.poll() is not None:
            output, _ = proc.communicate()
            raise AssertionError(f"secpool up exited early:\n{output}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"/health did not answer 200 within {within} s")


def descendants(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def intake_port(tree: list[psutil.Process]) -> int:
    for p in tree:
        cmd = " ".join(p.cmdline()).split()  # a forked process's title is padded with NULs
        if "services.intake.app:create_app" in cmd:
            return int(cmd[cmd.index("--port") + 1])
    raise AssertionError("no intake process")


def assert_only_the_pwa_can_sign(tree: list[psutil.Process], data_dir: Path) -> None:
    """The signing key is a file only the pwa is pointed at (which settings each process gets:
    tests/integration/test_service_keys.py; that a forked process has only its own:
    tests/e2e/test_forked.py). No process began with the key in its environment, and the
    fork server the four are forked from began with no credential at all."""
    key_file = data_dir / "token-key.pem"
    private = key_file.read_text().strip()
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert not (data_dir / "token-secret").exists()
    seen, fork_servers = set(), 0
    for p in tree:
        cmd = " ".join(p.cmdline())
        env = p.environ()
        assert private.splitlines()[1] not in "\n".join(env.values()), cmd
        if "multiprocessing.forkserver" in cmd:
            fork_servers += 1
            assert not [k for k in env if k.startswith(("SECPOOL_", "DATABASE_URL", "NATS_URL"))], env
        seen |= {name for name in ("intake", "routing", "recognition", "pwa") if f"{name}.app:create_app" in cmd}
    assert seen == {"intake", "routing", "recognition", "pwa"} and fork_servers == 1


async def _postgres_users(url: str) -> dict[str, str]:
    conn = await asyncpg.connect(url, timeout=10)
    try:
        rows = await conn.fetch(
            "SELECT DISTINCT application_name, usename FROM pg_stat_activity WHERE application_name LIKE 'secpool-%'"
        )
    finally:
        await conn.close()
    return {r["application_name"]: r["usename"] for r in rows}


async def _refused(url: str) -> bool:
    try:
        conn = await asyncpg.connect(url, timeout=10)
    except asyncpg.InvalidPasswordError:
        return True
    await conn.close()
    return False


def assert_each_process_signs_in_as_its_own_role(tree: list[psutil.Process], data_dir: Path) -> None:
    """PostgreSQL refuses a connection without a password; each process's pool signs in as
    its own role (its connections name the process: `secpool-<schema>`)."""
    for secret in (data_dir / "postgres" / "superuser-password", data_dir / "postgres-roles.json"):
        assert secret.stat().st_mode & 0o777 == 0o600, secret
    cmd = next(p.cmdline() for p in tree if "bin/postgres" in " ".join(p.cmdline()))
    server = f"127.0.0.1:{cmd[cmd.index('-p') + 1]}"
    assert asyncio.run(_refused(f"postgresql://postgres@{server}/secpool"))
    password = (data_dir / "postgres" / "superuser-password").read_text().strip()
    wanted = {f"secpool-{name}": f"secpool_{name}" for name in ("intake", "routing", "recognition", "pwa")}
    deadline = time.monotonic() + 30
    while (seen := asyncio.run(_postgres_users(f"postgresql://postgres:{password}@{server}/secpool"))) != wanted:
        assert time.monotonic() < deadline, f"sessions by process: {seen}"
        time.sleep(0.5)


def stop(proc: subprocess.Popen[str], tree: list[psutil.Process]) -> str:
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=60)
    _, alive = psutil.wait_procs(tree, timeout=10)
    assert not alive, f"left running after Ctrl-C: {[p.info for p in alive]}"
    return output


def test_up_serves_health_and_ctrl_c_leaves_no_process_and_data_survives_a_restart(tmp_path):
    # A deep folder on purpose: PostgreSQL's socket path limit must not matter.
    data_dir, port = tmp_path / ("deep-" * 12) / "secpool-data", free_port()
    proc = launch(data_dir, port)
    wait_healthy(port, proc, within=90)
    tree = descendants(proc.pid)
    names = " ".join(" ".join(p.cmdline()) for p in tree)
    assert "nats-server" in names and "postgres" in names and "pwa.app:create_app" in names
    assert_only_the_pwa_can_sign(tree, data_dir)
    assert_each_process_signs_in_as_its_own_role(tree, data_dir)
    metrics = f"http://127.0.0.1:{port}/metrics"
    assert httpx.get(metrics).status_code == 401
    token = (data_dir / "metrics-token").read_text().strip()
    assert httpx.get(metrics, headers={"authorization": f"Bearer {token}"}).status_code == 200
    assert httpx.get(f"http://127.0.0.1:{port}/schema/openapi.json").status_code == 404
    anna = next(p for p in organisation().people if p.email == "anna@example.org")
    token = sign(
        Caller(account_id=anna.id, roles=("staff",), pools=tuple(anna.pools)),
        audience="intake",
        key=(data_dir / "token-key.pem").read_text(),
    )
    headers = {"authorization": f"Bearer {token}"}
    body = {"type_id": "letter", "description": "Kept across restarts", "idempotency_key": str(uuid.uuid4())}
    created = httpx.post(f"http://127.0.0.1:{intake_port(tree)}/v1/requests/", json=body, headers=headers)
    assert created.status_code == 201
    output = stop(proc, tree)
    assert "secpool is running: open http://127.0.0.1:" in output and "anna@example.org" in output
    assert f"Bearer <the token in {data_dir / 'metrics-token'}>" in output

    proc = launch(data_dir, port)
    wait_healthy(port, proc, within=90)
    tree = descendants(proc.pid)
    mine = httpx.get(f"http://127.0.0.1:{intake_port(tree)}/v1/requests/", headers=headers).json()
    assert [r["description"] for r in mine] == ["Kept across restarts"]
    stop(proc, tree)


def test_a_port_in_use_gets_one_clear_line(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "services.cli.main", "up", "--data-dir", str(tmp_path), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"port {port} is in use" in lines[0]
