"""Passwords: argon2id with OWASP's parameters, hashed in worker threads so a burst of sign-ins
never stalls the event loop, and the same work for an unknown e-mail as for a known one.

argon2-cffi releases the GIL while hashing; a semaphore keeps at most `PARALLEL` hashes running,
so the rest of the app keeps a core even under a flood of wrong passwords.
"""

import asyncio
import contextlib
import ctypes
import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
PARALLEL = 2
_slots: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}
# Verified when the e-mail is unknown, so both answers cost one argon2id verification.
_DUMMY = HASHER.hash("no account has this password")


# glibc's mallopt option; setting it also turns off glibc's raising of the threshold.
_M_MMAP_THRESHOLD = -3


def return_hash_memory() -> None:
    """Have each hash's 19 MiB given back to the system when the hash is done.

    glibc maps a block that large on its own only until one such block is freed: then it raises
    its threshold past it, and every later hash takes the block from its thread's heap, which
    keeps it. Each worker thread that ever hashed held 19 MiB for good (57 MiB after a few
    sign-ins). A fixed threshold keeps large blocks in mappings of their own. Process-wide, so
    called once, from `create_app`; elsewhere than glibc there is nothing to do."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(_M_MMAP_THRESHOLD, 1 << 20)


def _slot() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    if loop not in _slots:
        _slots.clear()  # one event loop per process in the app; tests start a new one per test
        _slots[loop] = asyncio.Semaphore(PARALLEL)
    return _slots[loop]


async def hash_password(password: str) -> str:
    async with _slot():
        return await asyncio.to_thread(HASHER.hash, password)


def _matches(password: str, stored: str | None) -> bool:
    if stored is None:
        with contextlib.suppress(VerificationError):
            HASHER.verify(_DUMMY, password)
        return False
    if stored.startswith("scrypt$"):  # accounts made before argon2id; rehashed at next sign-in
        _, salt_hex, digest_hex = stored.split("$")
        digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), n=2**14, r=8, p=1)
        return hmac.compare_digest(digest.hex(), digest_hex)
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(password: str, stored: str | None) -> bool:
    """Whether `password` matches `stored`; `stored=None` (no such account, or no password set)
    costs the same time and answers False."""
    async with _slot():
        return await asyncio.to_thread(_matches, password, stored)


def needs_rehash(stored: str) -> bool:
    return stored.startswith("scrypt$") or HASHER.check_needs_rehash(stored)
