"""One-click unsubscribe links (RFC 8058): a person and a kind of news, signed with the pwa's
secret, so the link works without signing in (a mail client posts to it on its own) and
cannot be changed into someone else's."""

import base64
import hashlib
import hmac

from pwa.notify.store import KINDS, Kind


def _signature(secret: str, account_id: str, kind: str) -> str:
    digest = hmac.new(f"unsubscribe:{secret}".encode(), f"{account_id}|{kind}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def token(secret: str, account_id: str, kind: Kind) -> str:
    return f"{account_id}.{kind}.{_signature(secret, account_id, kind)}"


def read(secret: str, value: str) -> tuple[str, Kind] | None:
    """(account id, kind) from a genuine token; None for anything else."""
    account_id, _, rest = value.partition(".")
    kind, _, signature = rest.partition(".")
    if kind not in KINDS or not account_id:
        return None
    if not hmac.compare_digest(signature, _signature(secret, account_id, kind)):
        return None
    return account_id, kind
