"""`secpool up`'s processes forked from the fork server (services.cli.forked): each runs with
only the settings it is given, names itself in process lists, is in a session of its own,
shares the loaded libraries' pages, and stops or dies like a process started the usual way."""

import os
import secrets
import signal

import httpx
import psutil

from services.cli.children import free_port, http_ok, wait_until
from services.cli.forked import ForkedChild
from services.cli.up import listen

APP = "tests.e2e.forked_app:create_app"


def test_a_forked_process_has_only_its_own_settings_its_name_and_the_shared_libraries(tmp_path, monkeypatch):
    monkeypatch.setenv("SECPOOL_LAUNCHERS_OWN", "launcher-" + secrets.token_hex(8))
    mine = "mine-" + secrets.token_hex(8)
    port = free_port()
    with listen("127.0.0.1", port) as listening:
        child = ForkedChild("probe", APP, listening, log_path=tmp_path / "probe.log", env={"SECPOOL_MINE": mine})
        child.start()
        try:
            wait_until(lambda: http_ok(f"http://127.0.0.1:{port}/settings"), 60, "the forked app")
            assert httpx.get(f"http://127.0.0.1:{port}/settings").json() == {"SECPOOL_MINE": mine}
            process = psutil.Process(child.pid)
            cmd = " ".join(process.cmdline()).split()  # a title set in place is padded with NULs
            assert cmd[:3] == ["secpool", "probe", APP]
            assert cmd[cmd.index("--port") + 1] == str(port)
            assert os.getsid(child.pid) == child.pid  # Ctrl-C in the launcher's terminal does not reach it
            memory = process.memory_full_info()
            assert memory.uss < 0.6 * memory.rss, f"shares too little: {memory}"
            server = process.parent()
            assert "multiprocessing.forkserver" in " ".join(server.cmdline())
            assert not [k for k in server.environ() if k.startswith(("SECPOOL_", "DATABASE_URL", "NATS_URL"))]
        finally:
            child.stop()
        # uvicorn finishes, then ends by the signal it was sent, as when started the usual way
        assert not child.alive() and child.returncode == -signal.SIGTERM
        assert "Finished server process" in (tmp_path / "probe.log").read_text()


def test_a_forked_process_that_is_killed_is_seen_dead_with_its_signal(tmp_path):
    port = free_port()
    with listen("127.0.0.1", port) as listening:
        child = ForkedChild("victim", APP, listening, log_path=tmp_path / "victim.log", env={})
        child.start()
        try:
            wait_until(lambda: http_ok(f"http://127.0.0.1:{port}/settings"), 60, "the forked app")
            os.kill(child.pid, signal.SIGKILL)
            wait_until(lambda: not child.alive(), 10, "the killed process's end")
            assert child.returncode == -signal.SIGKILL
        finally:
            child.stop()
