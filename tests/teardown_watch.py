"""A bound on every test's teardown. pytest-timeout's alarm covers setup, the test and
teardown together, but once it has fired (the test hung) nothing bounds the teardown that
follows: a fixture waiting forever to close a pool then blocks the whole suite. Here a
teardown that has no pending alarm gets one of its own; when it fires, the teardown fails
with the stacks of every thread and every asyncio task (where it hung), and the suite goes on.
"""

import asyncio
import faulthandler
import io
import os
import signal
import sys
from collections.abc import Iterator

import pytest

TEARDOWN_SECONDS = float(os.environ.get("SECPOOL_TEST_TEARDOWN_SECONDS", "60"))


class TeardownHung(Exception):
    """A fixture did not finish tearing down in time."""


def _stacks() -> str:
    out = io.StringIO()
    try:
        for task in asyncio.all_tasks(asyncio.get_running_loop()):
            task.print_stack(limit=8, file=out)
    except RuntimeError:  # the hang is not inside an event loop
        pass
    return out.getvalue()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    pending, _ = signal.getitimer(signal.ITIMER_REAL)
    if pending > 0:  # pytest-timeout's alarm still covers this teardown
        yield
        return

    def hung(signum: int, frame: object) -> None:
        faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
        raise TeardownHung(f"teardown of {item.nodeid} took more than {TEARDOWN_SECONDS:.0f} s\n{_stacks()}")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, TEARDOWN_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
