"""Passwords: argon2id with OWASP's parameters, older scrypt hashes still accepted (and marked for
rehashing), and an unknown account answered like a wrong password."""

import hashlib
import secrets

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
