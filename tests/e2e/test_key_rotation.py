"""`secpool keys rotate` on a running `secpool up`: the services accept the new key at once
(they read their key file again for a key id they do not hold), tokens of the old key still
verify during the overlap and are refused once it is over. (The pwa's switch to the new key is
tests/unit/platform/test_key_rotation.py's.)"""

import subprocess
import sys
import time
from pathlib import Path

import httpx

from services.cli.children import free_port
from services.demo import organisation
from services.platform import tokens
from services.platform.tokens import Caller, sign
from tests.e2e.test_secpool_up import descendants, intake_port, launch, stop, wait_healthy

OVERLAP = 6.0


def test_a_rotation_reaches_the_running_system_and_the_old_key_dies_after_its_overlap(tmp_path: Path) -> None:
    data_dir, port = tmp_path / "data", free_port()
    proc = launch(data_dir, port)
    try:
        wait_healthy(port, proc, within=120)
        types = f"http://127.0.0.1:{intake_port(descendants(proc.pid))}/v1/request-types"
        anna = next(p for p in organisation().people if p.email == "anna@example.org")
        who = Caller(account_id=anna.id, roles=("staff",), pools=tuple(anna.pools))

        def answer(key: str) -> int:
            token = sign(who, audience="intake", key=key)
            return httpx.get(types, headers={"authorization": f"Bearer {token}"}, timeout=10).status_code

        old = (data_dir / "token-key.pem").read_text()
        assert answer(old) == 200
        # The overlap starts inside the command, somewhere between these two readings: "still
        # within it" is judged from the first (it cannot have ended before that plus OVERLAP),
        # "over" from the second, so a slow start of the command under load fools neither.
        asked_at = time.monotonic()
        rotated = subprocess.run(
            [
                sys.executable,
                "-m",
                "services.cli.main",
                "keys",
                "rotate",
                "--data-dir",
                str(data_dir),
                "--overlap",
                str(OVERLAP),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert rotated.returncode == 0, rotated.stdout + rotated.stderr
        rotated_at = time.monotonic()
        new = (data_dir / "token-key.pem").read_text()
        assert tokens.key_id(tokens.private_key(new).public_key()) in rotated.stdout
        assert answer(new) == 200  # the service read its key file again
        if time.monotonic() - asked_at < OVERLAP - 1:
            assert answer(old) == 200  # within the overlap
        deadline = rotated_at + OVERLAP + 30
        while answer(old) != 401:
            assert time.monotonic() < deadline, "the old key is still accepted after its overlap"
            time.sleep(0.2)
        assert answer(new) == 200
    finally:
        stop(proc, descendants(proc.pid))
