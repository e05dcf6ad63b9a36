"""NATS settings checked at start: the server's version, and streams whose settings drifted."""

import pytest
from nats.aio.client import ServerVersion
from nats.js.api import StorageType, StreamConfig

from services.platform.bus import ServerTooOld, check_version, drifted


class Connected:
    def __init__(self, version: str) -> None:
        self.connected_server_version = ServerVersion(version)


def test_a_server_older_than_2_11_is_refused_with_what_to_do():
    with pytest.raises(ServerTooOld, match=r"nats-server 2\.10\.22 is too old: secpool needs 2\.11 or newer"):
        check_version(Connected("2.10.22"))  # type: ignore[arg-type]


@pytest.mark.parametrize("version", ["2.11.0", "2.12.3", "3.0.0"])
def test_2_11_and_newer_are_accepted(version: str):
    check_version(Connected(version))  # type: ignore[arg-type]


def stream(**changes: object) -> StreamConfig:
    values: dict[str, object] = {
        "name": "INTAKE",
        "subjects": ["secpool.intake.>"],
        "storage": StorageType.FILE,
        "duplicate_window": 600.0,
        "num_replicas": 1,
        **changes,
    }
    return StreamConfig(**values)  # type: ignore[arg-type]


def test_a_stream_with_other_replicas_window_or_subjects_has_drifted():
    assert not drifted(stream(), stream())
    assert drifted(stream(num_replicas=1), stream(num_replicas=3))
    assert drifted(stream(duplicate_window=120.0), stream())
    assert drifted(stream(subjects=["secpool.intake.request.>"]), stream())
