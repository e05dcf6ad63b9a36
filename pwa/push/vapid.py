"""The pwa's VAPID key pair (RFC 8292): created once in the data folder, then kept.

Two replicas starting together must end up with the same key: each writes a complete
temporary file and `os.link`s it into place, which fails if the name exists; the loser
reads the winner's. The file is private (0600).
"""

import base64
import contextlib
import os
import stat
import tempfile
import time
from pathlib import Path

import structlog
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

log = structlog.get_logger(__name__)

KEY_FILE = "vapid_private.pem"
TOKEN_SECONDS = 12 * 3600  # RFC 8292: at most 24 h
_REUSE_SECONDS = 6 * 3600  # re-sign well before a cached token expires


def load_or_create(data_dir: Path) -> ec.EllipticCurvePrivateKey:
    path = data_dir / KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        _publish_new_key(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("vapid key file is readable by others; restricting to 0600", path=str(path), mode=oct(mode))
        with contextlib.suppress(OSError):  # e.g. a read-only mounted secret: use it as it is
            path.chmod(0o600)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ValueError(f"{path}: not a P-256 private key; move it away to let the pwa create a new one")
    return key


def _publish_new_key(path: Path) -> None:
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".vapid-", suffix=".tmp")  # created 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)
            log.info("created vapid key", path=str(path))
        except FileExistsError:
            pass  # another replica won the race; everyone uses its key
    finally:
        os.unlink(tmp)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class VapidKeys:
    """Signs the `Authorization: vapid t=…, k=…` header for one push service origin."""

    def __init__(self, private_key: ec.EllipticCurvePrivateKey, subject: str) -> None:
        self._vapid = Vapid02(private_key)
        self._subject = subject
        self._tokens: dict[str, tuple[float, str]] = {}
        point = private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.public_key = b64url(point)

    def authorization(self, audience: str, now: float | None = None) -> str:
        now = time.time() if now is None else now
        cached = self._tokens.get(audience)
        if cached is not None and cached[0] - now > _REUSE_SECONDS:
            return cached[1]
        expires = int(now) + TOKEN_SECONDS
        header: str = self._vapid.sign({"aud": audience, "sub": self._subject, "exp": expires})["Authorization"]
        self._tokens[audience] = (expires, header)
        return header
