"""The suite always finishes: a fixture that hangs in teardown after its test timed out fails
with a traceback naming where it hung, and the next test still runs."""

import os
import subprocess
import sys
from pathlib import Path

HANGING = """
import asyncio
import pytest

@pytest.fixture
async def pool_that_never_closes():
    yield
    await asyncio.Event().wait()  # like a pool.close() that waits forever

@pytest.mark.timeout(1)
async def test_that_hangs(pool_that_never_closes):
    await asyncio.Event().wait()

def test_after_it():
    assert True
"""


def test_a_teardown_that_hangs_after_a_timeout_fails_loudly_and_the_run_goes_on(tmp_path: Path):
    (tmp_path / "test_hanging.py").write_text(HANGING)
    root = Path(__file__).resolve().parents[2]
    options = ["-p", "tests.teardown_watch", "-p", "no:cacheprovider", "-q", "-o", "asyncio_mode=auto"]
    options += ["-o", "asyncio_default_fixture_loop_scope=function", str(tmp_path)]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *options],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "SECPOOL_TEST_TEARDOWN_SECONDS": "2", "PYTHONPATH": str(root)},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Timeout (>1.0s) from pytest-timeout" in output
    assert "TeardownHung: teardown of test_hanging.py::test_that_hangs took more than 2 s" in output
    assert "1 failed, 1 passed, 1 error" in output
