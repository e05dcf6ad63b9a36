"""The launcher's child processes: a missing binary is one clear error, not a traceback."""

from pathlib import Path

import pytest

from services.cli.children import Child, LaunchError, free_port, free_ports


def test_a_missing_binary_is_reported_in_one_line(tmp_path: Path):
    child = Child("nats", [str(tmp_path / "no-such-nats-server")], log_path=tmp_path / "nats.log")
    with pytest.raises(LaunchError, match=r"nats: .*no-such-nats-server is missing"):
        child.start()


def test_ports_handed_out_are_distinct_outside_the_ephemeral_range_and_never_reused():
    first = free_ports(20)
    later = [free_port() for _ in range(20)]
    assert len(set(first + later)) == 40
    assert all(20000 <= p < 32000 for p in first + later)
