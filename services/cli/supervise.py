"""Supervision for `secpool up`: a child that dies is started again after a growing delay,
with one line saying so; a child that keeps dying soon after each start is a crash loop, and
then `up` gives up with its last log lines instead of restarting it forever.

`RestartPolicy` is the pure rule; `Supervisor` applies it to the running children.
"""

import sys
import time
from collections.abc import Callable
from typing import TextIO

from services.cli.children import Child, LaunchError


class RestartPolicy:
    """Delays 0.25, 0.5, 1, 2, 4, 4, ... s; a run longer than `stable_after` s forgives the past;
    more than `give_up_after` quick deaths in a row is a crash loop."""

    def __init__(
        self, *, first: float = 0.25, most: float = 4.0, stable_after: float = 30.0, give_up_after: int = 10
    ) -> None:
        self.first = first
        self.most = most
        self.stable_after = stable_after
        self.give_up_after = give_up_after
        self.quick_deaths = 0

    def delay_after(self, ran_for: float) -> float | None:
        """Seconds to wait before the next start, or None: a crash loop, give up."""
        if ran_for >= self.stable_after:
            self.quick_deaths = 0
        self.quick_deaths += 1
        if self.quick_deaths > self.give_up_after:
            return None
        return float(min(self.first * 2.0 ** (self.quick_deaths - 1), self.most))


class Supervised:
    """One child and how to start it again (`spawn` returns the new, running Child)."""

    def __init__(self, name: str, spawn: Callable[[], Child], policy: RestartPolicy | None = None) -> None:
        self.name = name
        self.spawn = spawn
        self.policy = policy or RestartPolicy()
        self.child: Child | None = None
        self.started_at = 0.0
        self.restart_at: float | None = None
        self.restarts = 0

    def start(self) -> Child:
        return self.adopt(self.spawn())

    def adopt(self, child: Child | None) -> Child:
        """Watch a child that was started some other way (e.g. waited for until ready)."""
        assert child is not None
        self.child = child
        self.started_at = time.monotonic()
        self.restart_at = None
        return child


class CrashLoop(LaunchError):
    """A child died again and again right after starting."""


class Supervisor:
    """Checks its children; call `tick()` a few times a second."""

    def __init__(self, out: TextIO = sys.stderr) -> None:
        self.entries: list[Supervised] = []
        self._out = out

    def add(self, entry: Supervised, *, start: bool = True) -> Supervised:
        self.entries.append(entry)
        if start:
            entry.start()
        return entry

    def tick(self) -> None:
        now = time.monotonic()
        for entry in self.entries:
            child = entry.child
            if entry.restart_at is not None:
                if now >= entry.restart_at:
                    entry.restarts += 1
                    entry.start()
                continue
            if child is None or child.alive():
                continue
            ran_for = now - entry.started_at
            delay = entry.policy.delay_after(ran_for)
            code = child.returncode
            if delay is None:
                raise CrashLoop(
                    f"{entry.name} keeps crashing ({entry.policy.quick_deaths - 1} restarts, each dying within"
                    f" {entry.policy.stable_after:.0f} s); giving up. Its last log lines ({child.log_path}):\n"
                    f"{child.tail()}"
                )
            print(
                f"secpool: {entry.name} stopped (exit {code}) after {ran_for:.1f} s; restarting in {delay:g} s",
                file=self._out,
                flush=True,
            )
            entry.restart_at = now + delay

    def stop(self) -> None:
        """Stop every child, last started first."""
        for entry in reversed(self.entries):
            entry.restart_at = None
            if entry.child is not None:
                entry.child.stop()
