"""The launcher's child processes: a missing binary is one clear error, not a traceback."""

from pathlib import Path

import pytest

from services.cli.children import Child, LaunchError


def test_a_missing_binary_is_reported_in_one_line(tmp_path: Path):
    child = Child("nats", [str(tmp_path / "no-such-nats-server")], log_path=tmp_path / "nats.log")
    with pytest.raises(LaunchError, match=r"nats: .*no-such-nats-server is missing"):
        child.start()
