"""The subscription guard: only https endpoints on the known push services (SSRF), and
well-formed browser keys."""

import base64
import os

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from pwa.push.guard import check_endpoint, check_keys, origin_of
from services.platform.errors import Invalid

ACCEPTED = [
    "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91bH",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABk",
    "https://push.services.mozilla.com.edge.push.services.mozilla.com/wpush/v1/x",
    "https://web.push.apple.com/QOnP9Yx",
    "https://api.push.apple.com/3/device/abc",
    "https://db5p.notify.windows.com/w/?token=BQYAAAB",
    "https://FCM.googleapis.com:443/fcm/send/x",
]
REFUSED = [
    "http://fcm.googleapis.com/fcm/send/x",  # not https
    "https://127.0.0.1/x",
    "https://[::1]/x",
    "https://10.0.0.8/fcm/send/x",
    "https://localhost/x",
    "https://example.com/x",
    "http://127.0.0.1:1/x",
    "https://fcm.googleapis.com.evil.example/x",  # look-alike suffix
    "https://evilfcm.googleapis.com/x",
    "https://push.apple.com/x",  # the bare suffix is not a push host
    "https://evilpush.apple.com/x",
    "https://notify.windows.com.evil.example/w/",
    "https://user:pw@fcm.googleapis.com/fcm/send/x",  # userinfo
    "https://fcm.googleapis.com@evil.example/x",
    "https://fcm.googleapis.com:8443/fcm/send/x",  # odd port
    "https://fcm.googleapis.com:99999/x",
    "https://fcm.googleapis.com./fcm/send/x",  # trailing dot
    "https://fcm.googleapis.com/",  # no path
    "https://fcm.googleapis.com/fcm/send/x#frag",
    "https://fcm.googleapis.com\\@evil.example/x",
    "https://fcm.googleapis.com/fcm/send/x y",
    "file:///etc/passwd",
    "fcm.googleapis.com/fcm/send/x",
    "",
    "https://fcm.googleapis.com/" + "x" * 3000,
]


@pytest.mark.parametrize("endpoint", ACCEPTED)
def test_known_push_services_are_accepted(endpoint: str) -> None:
    assert check_endpoint(endpoint) == endpoint


@pytest.mark.parametrize("endpoint", REFUSED)
def test_anything_else_is_refused_with_a_readable_reason(endpoint: str) -> None:
    with pytest.raises(Invalid, match="endpoint"):
        check_endpoint(endpoint)


def test_an_extra_origin_is_allowed_only_when_configured_and_only_exactly() -> None:
    fake = "http://127.0.0.1:8765"
    with pytest.raises(Invalid):
        check_endpoint(f"{fake}/push/1")
    assert check_endpoint(f"{fake}/push/1", (fake,)) == f"{fake}/push/1"
    for other in ("http://127.0.0.1:8766/push/1", "https://127.0.0.1:8765/push/1", "http://u@127.0.0.1:8765/p"):
        with pytest.raises(Invalid):
            check_endpoint(other, (fake,))


def test_the_origin_is_the_vapid_audience() -> None:
    assert origin_of("https://fcm.googleapis.com/fcm/send/x?y=1") == "https://fcm.googleapis.com"
    assert origin_of("http://127.0.0.1:8765/push/1") == "http://127.0.0.1:8765"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_browser_keys_must_be_a_p256_point_and_a_16_byte_secret() -> None:
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    check_keys(b64url(point), b64url(os.urandom(16)))
    with pytest.raises(Invalid, match="auth"):
        check_keys(b64url(point), b64url(os.urandom(8)))
    with pytest.raises(Invalid, match="p256dh"):
        check_keys(b64url(b"\x04" + b"\x01" * 64), b64url(os.urandom(16)))  # not on the curve
    with pytest.raises(Invalid, match="p256dh"):
        check_keys(b64url(point[:33]), b64url(os.urandom(16)))
    with pytest.raises(Invalid, match="base64url"):
        check_keys("!!!", "***")
