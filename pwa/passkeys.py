"""Passkeys (WebAuthn, through `webauthn`): the options a browser needs to make or use one, and
the checks of what it sends back. User verification is required (the phone's PIN, face or
finger), so a passkey alone is two factors. No I/O: the views keep challenges and keys.
"""

import json
from typing import Any
from urllib.parse import urlsplit

import msgspec
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

RP_NAME = "secpool"


class PasskeyRefused(Exception):
    """What the browser sent does not prove the passkey (wrong challenge, origin, signature...)."""


class NewPasskey(msgspec.Struct, frozen=True, kw_only=True):
    credential_id: bytes
    public_key: bytes
    sign_count: int


def rp_id(origin: str) -> str:
    """Passkeys belong to the host name people open (no scheme, no port)."""
    return urlsplit(origin).hostname or "localhost"


def registration_options(
    origin: str, *, account_id: str, email: str, name: str, existing: list[bytes]
) -> tuple[bytes, dict[str, Any]]:
    """A challenge and the options for navigator.credentials.create() (as JSON for the page)."""
    options = generate_registration_options(
        rp_id=rp_id(origin),
        rp_name=RP_NAME,
        user_id=account_id.encode(),
        user_name=email,
        user_display_name=name,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED, user_verification=UserVerificationRequirement.REQUIRED
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=c) for c in existing],
    )
    return options.challenge, json.loads(options_to_json(options))


def check_registration(origin: str, credential: dict[str, Any], challenge: bytes) -> NewPasskey:
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id(origin),
            expected_origin=origin,
            require_user_verification=True,
        )
    except (WebAuthnException, KeyError, TypeError, ValueError) as exc:
        raise PasskeyRefused(str(exc)) from exc
    return NewPasskey(
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
    )


def sign_in_options(origin: str) -> tuple[bytes, dict[str, Any]]:
    """A challenge and the options for navigator.credentials.get(): any passkey of this site
    (the browser offers the person's own), with user verification."""
    options = generate_authentication_options(
        rp_id=rp_id(origin), user_verification=UserVerificationRequirement.REQUIRED
    )
    return options.challenge, json.loads(options_to_json(options))


def credential_id(credential: dict[str, Any]) -> bytes:
    try:
        return base64url_to_bytes(str(credential["rawId"]))
    except (KeyError, ValueError) as exc:
        raise PasskeyRefused("no credential id") from exc


def check_sign_in(
    origin: str, credential: dict[str, Any], challenge: bytes, *, public_key: bytes, sign_count: int
) -> int:
    """The authenticator's new signature counter, if the assertion is valid."""
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id(origin),
            expected_origin=origin,
            credential_public_key=public_key,
            credential_current_sign_count=sign_count,
            require_user_verification=True,
        )
    except (WebAuthnException, KeyError, TypeError, ValueError) as exc:
        raise PasskeyRefused(str(exc)) from exc
    return int(verified.new_sign_count)
