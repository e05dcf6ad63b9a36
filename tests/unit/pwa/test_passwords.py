"""Passwords: argon2id with OWASP's parameters, older scrypt hashes still accepted (and marked for
rehashing), and an unknown account answered like a wrong password."""

import hashlib
import secrets
import subprocess
import sys

from pwa import passwords


async def test_a_password_hashes_with_argon2id_and_verifies_only_itself():
    stored = await passwords.hash_password("correct horse")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert await passwords.verify_password("correct horse", stored)
    assert not await passwords.verify_password("correct hors", stored)
    assert not passwords.needs_rehash(stored)


async def test_an_older_scrypt_hash_still_signs_in_and_asks_to_be_rehashed():
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(b"demo", salt=salt, n=2**14, r=8, p=1)
    stored = f"scrypt${salt.hex()}${digest.hex()}"
    assert await passwords.verify_password("demo", stored)
    assert not await passwords.verify_password("demo!", stored)
    assert passwords.needs_rehash(stored)


async def test_no_stored_hash_answers_false_and_a_garbled_one_too():
    assert not await passwords.verify_password("anything", None)
    assert not await passwords.verify_password("anything", "$argon2id$nonsense")


# Run in a fresh interpreter: the setting is process-wide, and memory is measured there alone.
_SIGN_INS = """
import asyncio, sys
from pwa import passwords

def resident_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20

async def sign_ins():
    stored = await passwords.hash_password("demo")
    await asyncio.gather(*(passwords.verify_password("demo", stored) for _ in range(8)))

if sys.argv[1] == "returned":
    passwords.return_hash_memory()
before = resident_mib()
asyncio.run(sign_ins())
print(resident_mib() - before)
"""


def _growth_after_sign_ins(mode: str) -> float:
    done = subprocess.run([sys.executable, "-c", _SIGN_INS, mode], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return float(done.stdout)


def test_hashing_gives_its_memory_back_once_the_app_asks_for_it():
    kept = _growth_after_sign_ins("kept")
    returned = _growth_after_sign_ins("returned")
    assert kept >= 19, f"without the setting each hashing thread keeps its 19 MiB (grew {kept:.1f} MiB)"
    assert returned < 8, f"grew {returned:.1f} MiB after nine hashes"
