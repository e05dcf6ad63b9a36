"""`secpool up` supervises: a killed service, nats-server, postgres or fork server is restarted
with one line saying so and the system keeps working; a stale postmaster.pid is removed only when no
postmaster runs; a crash loop ends in one clear message instead of restarts forever."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import psutil
import pytest

from services.cli.children import Child
from services.cli.embedded import clear_stale_pid
from services.cli.supervise import CrashLoop, RestartPolicy, Supervised, Supervisor
from services.demo import organisation
from services.platform.tokens import Caller, sign
from tests.e2e.launched import Up


def submit(up: Up) -> str:
    anna = next(p for p in organisation().people if p.email == "anna@example.org")
    key = (up.data_dir / "token-key.pem").read_text()
    token = sign(Caller(account_id=anna.id, roles=("staff",), pools=tuple(anna.pools)), audience="intake", key=key)
    body = {"type_id": "letter", "description": "Na de storing", "idempotency_key": str(uuid.uuid4())}
    url = f"http://127.0.0.1:{up.service_port('intake')}/v1/requests/"
    deadline = time.monotonic() + 30
    while True:
        try:
            created = httpx.post(url, json=body, headers={"authorization": f"Bearer {token}"}, timeout=5)
            if created.status_code == 201:
                request_id = str(created.json()["id"])
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "intake did not take a request within 30 s"
        time.sleep(0.2)
    while True:
        status = httpx.get(f"{url}{request_id}", headers={"authorization": f"Bearer {token}"}, timeout=5).json()
        if status["status"] == "offered":
            return request_id
        assert time.monotonic() < deadline, f"not offered within 30 s: {status}"
        time.sleep(0.2)


def test_killed_routing_nats_and_postgres_are_restarted_each_with_one_line(up: Up):
    up.process("services.routing.app").kill()
    up.wait_for("secpool: routing stopped (exit -9)", within=10)
    submit(up)

    up.process("nats-server").kill()
    up.wait_for("secpool: nats stopped (exit -9)", within=10)
    submit(up)

    postmaster = int((up.data_dir / "postgres" / "pgdata" / "postmaster.pid").read_text().split()[0])
    psutil.Process(postmaster).kill()
    up.wait_for("secpool: postgres stopped (exit -9)", within=10)
    submit(up)

    # The four are forked from the fork server (services.cli.forked): they end with it (whose
    # going multiprocessing reports as exit 255), and their restarts start a new one.
    up.process("multiprocessing.forkserver").kill()
    for name in ("intake", "routing", "recognition", "pwa"):
        up.wait_for(f"secpool: {name} stopped (exit 255)", within=20)
    deadline = time.monotonic() + 30
    while not up.processes("services.intake.app:create_app"):
        assert time.monotonic() < deadline, "intake was not forked again within 30 s"
        time.sleep(0.2)
    submit(up)

    lines = [line for line in up.text().splitlines() if "stopped (exit" in line]
    assert len(lines) == 7, lines
    up.stop()


def test_a_stale_postmaster_pid_is_removed_only_when_no_postmaster_runs(tmp_path: Path):
    lock = tmp_path / "postmaster.pid"
    # The PID of a process that is gone.
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    lock.write_text(f"{gone.pid}\n{tmp_path}\n")
    assert clear_stale_pid(tmp_path) and not lock.exists()
    # The PID now belongs to some other program (postgres itself would refuse to start).
    lock.write_text(f"{os.getpid()}\n{tmp_path}\n")
    assert clear_stale_pid(tmp_path) and not lock.exists()
    # A postmaster runs: the file stays.
    (tmp_path / "postgres").symlink_to(Path("/bin/sleep"))
    postmaster = subprocess.Popen([str(tmp_path / "postgres"), "30"])
    try:
        lock.write_text(f"{postmaster.pid}\n{tmp_path}\n")
        assert not clear_stale_pid(tmp_path) and lock.exists()
    finally:
        postmaster.kill()
        postmaster.wait()


def test_a_crash_loop_gives_up_with_one_clear_message_and_the_last_log_lines(tmp_path: Path):
    def spawn() -> Child:
        argv = [sys.executable, "-c", "import sys; print('cannot read the settings'); sys.exit(3)"]
        return Child("routing", argv, log_path=tmp_path / "routing.log").start()

    with (tmp_path / "out.txt").open("w") as out:
        supervisor = Supervisor(out=out)
        supervisor.add(Supervised("routing", spawn, RestartPolicy(first=0.01, most=0.05, give_up_after=3)))
        deadline = time.monotonic() + 20
        with pytest.raises(CrashLoop) as stopped:
            while time.monotonic() < deadline:
                supervisor.tick()
                time.sleep(0.02)
        supervisor.stop()
    message = str(stopped.value)
    assert message.startswith("routing keeps crashing (3 restarts") and "cannot read the settings" in message
    assert (tmp_path / "out.txt").read_text().count("secpool: routing stopped (exit 3)") == 3
