"""A software passkey authenticator for tests, built with `cryptography` and `cbor2`: it answers
navigator.credentials.create()/get() options the way a phone would (ES256, "none" attestation,
user present and verified), so the server's checks run on real signatures."""

import hashlib
import json
import secrets
from base64 import urlsafe_b64decode, urlsafe_b64encode
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

USER_PRESENT, USER_VERIFIED, ATTESTED = 0x01, 0x04, 0x40


def b64u(data: bytes) -> str:
    return urlsafe_b64encode(data).decode().rstrip("=")


def unb64u(text: str) -> bytes:
    return urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class SoftAuthenticator:
    origin: str
    verifies_user: bool = True
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    credential_id: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    user_handle: bytes = b""
    rp_id: str = ""
    counter: int = 0

    def _flags(self, extra: int = 0) -> bytes:
        return bytes([USER_PRESENT | (USER_VERIFIED if self.verifies_user else 0) | extra])

    def _client_data(self, kind: str, challenge: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}).encode()

    def create(self, options: dict[str, Any]) -> dict[str, Any]:
        self.rp_id, self.user_handle = options["rp"]["id"], unb64u(options["user"]["id"])
        numbers = self.key.public_key().public_numbers()
        cose_key = cbor2.dumps(
            {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
        )
        attested = bytes(16) + len(self.credential_id).to_bytes(2, "big") + self.credential_id + cose_key
        auth_data = hashlib.sha256(self.rp_id.encode()).digest() + self._flags(ATTESTED) + (0).to_bytes(4, "big")
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data + attested})
        return {
            "id": b64u(self.credential_id),
            "rawId": b64u(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64u(self._client_data("webauthn.create", options["challenge"])),
                "attestationObject": b64u(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }

    def get(self, options: dict[str, Any]) -> dict[str, Any]:
        self.counter += 1
        rp_id = options.get("rpId") or self.rp_id
        auth_data = hashlib.sha256(rp_id.encode()).digest() + self._flags() + self.counter.to_bytes(4, "big")
        client_data = self._client_data("webauthn.get", options["challenge"])
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64u(self.credential_id),
            "rawId": b64u(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64u(client_data),
                "authenticatorData": b64u(auth_data),
                "signature": b64u(signature),
                "userHandle": b64u(self.user_handle),
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }
