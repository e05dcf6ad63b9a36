"""The VAPID key: created once (0600), kept, the same for replicas starting together, and
signing tokens a push service accepts (ES256, aud = origin, exp within 24 h)."""

import stat
import threading
import time
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric import ec

from pwa.push.guard import b64url_decode
from pwa.push.vapid import KEY_FILE, VapidKeys, load_or_create


def test_the_key_is_created_private_and_kept(tmp_path: Path) -> None:
    first = load_or_create(tmp_path / "data")
    path = tmp_path / "data" / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = load_or_create(tmp_path / "data")
    assert first.private_numbers() == again.private_numbers()
    assert [p.name for p in path.parent.iterdir()] == [KEY_FILE]  # no temporary files left


def test_replicas_starting_together_share_one_key(tmp_path: Path) -> None:
    keys: list[int] = []
    start = threading.Barrier(8)

    def replica() -> None:
        start.wait()
        keys.append(load_or_create(tmp_path).private_numbers().private_value)

    threads = [threading.Thread(target=replica) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(keys) == 8 and len(set(keys)) == 1


def test_a_too_open_key_file_is_made_private(tmp_path: Path) -> None:
    load_or_create(tmp_path)
    (tmp_path / KEY_FILE).chmod(0o644)
    load_or_create(tmp_path)
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600


def test_the_token_verifies_with_the_public_key_for_the_push_services_origin(tmp_path: Path) -> None:
    keys = VapidKeys(load_or_create(tmp_path), "mailto:pool@example.org")
    header = keys.authorization("https://fcm.googleapis.com")
    scheme, _, params = header.partition(" ")
    parts = dict(p.split("=", 1) for p in params.split(","))
    assert scheme == "vapid" and parts["k"] == keys.public_key
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(keys.public_key))
    claims = jwt.decode(parts["t"], key=public, algorithms=["ES256"], audience="https://fcm.googleapis.com")
    assert claims["sub"] == "mailto:pool@example.org"
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    assert keys.authorization("https://fcm.googleapis.com") == header  # reused while fresh
    assert keys.authorization("https://web.push.apple.com") != header
