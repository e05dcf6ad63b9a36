"""`secpool keys rotate`: a new service-token signing key in the data folder, the old public key
still accepted for a while.

The data folder holds the pwa's signing key (`token-key.pem`, owner-only) and the public keys
the services accept (`token-keys.pub.pem`): the newest first, each retired one after a
`Not-After:` line. Rotating makes a new pair, makes it the signing key, and keeps the old
public key until `overlap` has passed, so every token the old key signed (they live a minute)
expires before services stop accepting it; retired keys past their time are dropped from the
file. The first rotation also keeps the web secret (CSRF, unsubscribe links in mails already
sent) that was derived from the first key. `secpool up` points the services at the public keys' file,
which they read again when a token names a key they do not hold, and the pwa at the signing
key's file, which it reads again when it changes: a running system switches within seconds.
"""

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from services.platform import tokens
from services.platform.settings import web_secret

TOKEN_KEY = "token-key.pem"
PUBLIC_KEYS = "token-keys.pub.pem"
WEB_SECRET = "web-secret"


class NoKey(Exception):
    """There is no signing key to rotate yet."""


def _write_private(path: Path, text: str) -> None:
    """Write an owner-only file in one step: a reader sees the old file or the new one."""
    partial = path.with_name(f".{path.name}.new")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)
    partial.replace(path)


def _entries(text: str) -> list[tuple[str, float | None]]:
    """(public PEM, not after) for each key in a public-keys file, in order."""
    ring = tokens.KeyRing.parse(text)
    return [(tokens.public_pem_of(key), ring.not_after.get(kid)) for kid, key in ring.keys.items()]


def _render(entries: list[tuple[str, float | None]]) -> str:
    parts = []
    for pem, not_after in entries:
        when = f"Not-After: {datetime.fromtimestamp(not_after, UTC).isoformat()}\n" if not_after is not None else ""
        parts.append(when + pem.strip() + "\n")
    return "".join(parts)


def accepted_public_keys(data_dir: Path, current_public: str, now: datetime | None = None) -> str:
    """The public keys services accept: the signing key's, then the retired ones still within
    their overlap (those past it are left out)."""
    moment = (now or datetime.now(UTC)).timestamp()
    path = data_dir / PUBLIC_KEYS
    current = tokens.public_key_pem(current_public)
    kept: list[tuple[str, float | None]] = [(current, None)]
    if path.exists():
        kept += [(pem, t) for pem, t in _entries(path.read_text()) if pem != current and t is not None and t >= moment]
    return _render(kept)


def public_keys_file(data_dir: Path, current_public: str) -> Path:
    """`token-keys.pub.pem` brought up to date (see accepted_public_keys), for the services."""
    path = data_dir / PUBLIC_KEYS
    text = accepted_public_keys(data_dir, current_public)
    if not path.exists() or path.read_text() != text:
        _write_private(path, text)
    return path


def rotate(data_dir: Path, overlap: timedelta, now: datetime | None = None) -> tuple[str, str, datetime]:
    """Make a new signing key; returns (new key id, old key id, when the old one stops being
    accepted)."""
    moment = now or datetime.now(UTC)
    key_path = data_dir / TOKEN_KEY
    if not key_path.exists():
        raise NoKey(f"no signing key in {data_dir} to rotate: `secpool up` makes the first one")
    old = tokens.private_key(key_path.read_text())
    if not (data_dir / WEB_SECRET).exists():
        _write_private(data_dir / WEB_SECRET, web_secret(old))
    old_public = tokens.public_pem(old)
    earlier = accepted_public_keys(data_dir, old_public, moment)
    until = moment + overlap
    new_private, new_public = tokens.new_key_pair()
    entries = [(new_public, None), (old_public, until.timestamp())]
    entries += [(pem, t) for pem, t in _entries(earlier) if pem != tokens.public_key_pem(old_public)]
    # The public keys first: a service restarted in between already accepts the new key.
    _write_private(data_dir / PUBLIC_KEYS, _render(entries))
    _write_private(key_path, new_private)
    return tokens.key_id(tokens.public_key(new_public)), tokens.key_id(old.public_key()), until


def web_secret_env(data_dir: Path) -> dict[str, str]:
    """The pwa's SECPOOL_WEB_SECRET_FILE, once a rotation has kept the first key's secret."""
    path = data_dir / WEB_SECRET
    return {"SECPOOL_WEB_SECRET_FILE": str(path)} if path.exists() else {}
