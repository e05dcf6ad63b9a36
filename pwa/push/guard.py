"""What a browser may register as its push subscription (pure, no I/O).

The endpoint is a URL the client supplies and the server will POST to, so it is an SSRF
vector: only https URLs on the known push services pass, with no IP literals, userinfo,
odd ports or look-alike hosts. Keys must be a P-256 point and a 16-byte auth secret.
"""

import base64
import binascii
import ipaddress
import re
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

from services.platform.errors import Invalid

# Exact hosts, and suffixes that must be preceded by a label (".push.apple.com" ≠ "push.apple.com").
PUSH_HOSTS = frozenset({"fcm.googleapis.com", "updates.push.services.mozilla.com"})
PUSH_HOST_SUFFIXES = (".push.services.mozilla.com", ".push.apple.com", ".notify.windows.com")
MAX_ENDPOINT_LENGTH = 2048
_HOST_LABELS = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
_REFUSED = (
    "endpoint: only https addresses of a known push service are accepted (Google FCM, Mozilla, Apple, Microsoft WNS)"
)


def origin_of(endpoint: str) -> str:
    """scheme://host[:port] — the VAPID audience and the test allow-list key."""
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}".lower()


def is_push_service_host(host: str) -> bool:
    if not _HOST_LABELS.match(host):
        return False
    return host in PUSH_HOSTS or any(host.endswith(s) and len(host) > len(s) for s in PUSH_HOST_SUFFIXES)


def check_endpoint(endpoint: str, extra_origins: tuple[str, ...] = ()) -> str:
    """The endpoint if it may be contacted, else `Invalid` with a message a person can read."""
    if not endpoint or len(endpoint) > MAX_ENDPOINT_LENGTH:
        raise Invalid(f"endpoint: must be a URL of at most {MAX_ENDPOINT_LENGTH} characters")
    if any(c.isspace() or ord(c) < 0x20 or c == "\\" for c in endpoint):
        raise Invalid(_REFUSED)
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        raise Invalid(_REFUSED) from None
    if extra_origins and origin_of(endpoint) in extra_origins and "@" not in parts.netloc:
        return endpoint  # a test's fake push service, allowed explicitly by configuration
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or "@" in parts.netloc or port not in (None, 443) or parts.fragment:
        raise Invalid(_REFUSED)
    if _is_ip(host) or not is_push_service_host(host) or not parts.path.strip("/"):
        raise Invalid(_REFUSED)
    return endpoint


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def b64url_decode(value: str) -> bytes:
    """Strict base64url (padding optional): stray characters are an error, not skipped."""
    return base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_", validate=True)


def check_keys(p256dh: str, auth: str) -> None:
    """The browser's public key must be an uncompressed P-256 point, `auth` 16 bytes."""
    try:
        point, secret = b64url_decode(p256dh), b64url_decode(auth)
    except (binascii.Error, ValueError):
        raise Invalid("keys: p256dh and auth must be base64url") from None
    if len(secret) != 16:
        raise Invalid("keys.auth: must be 16 bytes")
    if len(point) != 65 or point[0] != 4:
        raise Invalid("keys.p256dh: must be an uncompressed P-256 public key")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise Invalid("keys.p256dh: not a point on P-256") from None
