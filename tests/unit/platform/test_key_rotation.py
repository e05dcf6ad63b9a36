"""Service-token keys rotate: each token names its key (`kid`), a service accepts every key in
its ring, a retired key until its Not-After, and `secpool keys rotate` makes the new pair in
the data folder while the old public key stays accepted for the overlap."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from litestar import Request, get
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import DefineMiddleware
from litestar.testing import create_test_client

from services.cli import keys
from services.cli.main import main
from services.cli.up import child_envs
from services.platform import tokens
from services.platform.settings import Settings, web_secret
from services.platform.tokens import Caller, KeyRing, ServiceTokenMiddleware, key_id, new_key_pair, sign, verify

ANNA = Caller(account_id="a1", roles=("staff",), pools=("p1",))
BASE = {"DATABASE_URL": "postgresql://x/y", "NATS_URL": "nats://127.0.0.1:1", "PATH": "/usr/bin"}


def test_a_token_names_its_key_by_the_public_keys_thumbprint():
    private, public = new_key_pair()
    header = jwt.get_unverified_header(sign(ANNA, audience="intake", key=private))
    assert header["kid"] == key_id(tokens.public_key(public)) and len(header["kid"]) == 16


def test_a_ring_accepts_each_of_its_keys_and_refuses_a_key_it_does_not_hold():
    (old, old_public), (new, new_public), (stranger, _) = new_key_pair(), new_key_pair(), new_key_pair()
    ring = KeyRing.parse(new_public + old_public)
    for private in (old, new):
        assert verify(sign(ANNA, audience="intake", key=private), audience="intake", key=ring) == ANNA
    with pytest.raises(NotAuthorizedException, match="unknown key"):
        verify(sign(ANNA, audience="intake", key=stranger), audience="intake", key=ring)


def test_a_retired_key_is_accepted_until_its_not_after_and_refused_after_it():
    (old, old_public), (_, new_public) = new_key_pair(), new_key_pair()
    token = sign(ANNA, audience="intake", key=old)
    later = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    assert verify(token, audience="intake", key=f"{new_public}Not-After: {later}\n{old_public}") == ANNA
    earlier = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    with pytest.raises(NotAuthorizedException, match="retired"):
        verify(token, audience="intake", key=f"{new_public}Not-After: {earlier}\n{old_public}")


def test_a_ring_refuses_text_that_holds_no_key():
    with pytest.raises(ValueError):
        KeyRing.parse("not a key")
    with pytest.raises(ValueError, match="ISO 8601"):
        KeyRing.parse(f"Not-After: soon\n{new_key_pair()[1]}")


def test_rotation_keeps_the_old_key_for_the_overlap_then_drops_it(tmp_path):
    envs = child_envs(BASE, tmp_path)  # `secpool up` made the first key
    old = (tmp_path / keys.TOKEN_KEY).read_text()
    before = Settings.from_env("pwa", envs["pwa"]).web_secret
    old_token = sign(ANNA, audience="intake", key=old)
    now = datetime.now(UTC)
    new_kid, old_kid, until = keys.rotate(tmp_path, timedelta(minutes=10), now=now)
    new = (tmp_path / keys.TOKEN_KEY).read_text()
    assert new != old and key_id(tokens.private_key(new).public_key()) == new_kid != old_kid
    assert (tmp_path / keys.TOKEN_KEY).stat().st_mode & 0o777 == 0o600

    envs = child_envs(BASE, tmp_path)  # the next start: services get both keys, the pwa the new one
    service = Settings.from_env("intake", envs["intake"])
    ring = KeyRing.parse(service.token_public_key)
    assert set(ring.keys) == {new_kid, old_kid} and ring.not_after[old_kid] == until.timestamp()
    assert verify(old_token, audience="intake", key=ring) == ANNA  # during the overlap
    pwa = Settings.from_env("pwa", envs["pwa"])
    assert verify(sign(ANNA, audience="intake", key=pwa.token_private_key), audience="intake", key=ring) == ANNA
    assert pwa.web_secret == before == web_secret(tokens.private_key(old))  # links in old mails still work

    dropped = keys.accepted_public_keys(tmp_path, tokens.public_pem(tokens.private_key(new)), now=until + timedelta(1))
    assert set(KeyRing.parse(dropped).keys) == {new_kid}
    with pytest.raises(NotAuthorizedException, match="unknown key"):
        verify(old_token, audience="intake", key=dropped)


def test_a_second_rotation_keeps_only_keys_still_within_their_overlap(tmp_path):
    child_envs(BASE, tmp_path)
    first_kid = keys.rotate(tmp_path, timedelta(seconds=0), now=datetime.now(UTC) - timedelta(minutes=1))[1]
    second, middle_kid, _ = keys.rotate(tmp_path, timedelta(minutes=10))
    held = KeyRing.parse((tmp_path / keys.PUBLIC_KEYS).read_text())
    assert set(held.keys) == {second, middle_kid} and first_kid not in held.keys


def test_a_running_service_reads_its_key_file_again_for_a_key_it_does_not_hold(tmp_path, monkeypatch):
    monkeypatch.setattr(tokens, "REREAD_SECONDS", 0.0)
    child_envs(BASE, tmp_path)
    ring = KeyRing.from_file(tmp_path / keys.PUBLIC_KEYS)
    keys.rotate(tmp_path, timedelta(minutes=10))
    token = sign(ANNA, audience="intake", key=(tmp_path / keys.TOKEN_KEY).read_text())
    assert verify(token, audience="intake", key=ring) == ANNA


def test_a_rotation_is_seen_at_once_even_right_after_a_lookup_of_an_unknown_key(tmp_path):
    # The ring read its file a moment ago (for a stranger's key); the rotation replaces the file,
    # and the next token of the new key is accepted without waiting out the re-read interval.
    child_envs(BASE, tmp_path)
    ring = KeyRing.from_file(tmp_path / keys.PUBLIC_KEYS)
    stranger = sign(ANNA, audience="intake", key=tokens.new_key_pair()[0])
    with pytest.raises(NotAuthorizedException):
        verify(stranger, audience="intake", key=ring)
    keys.rotate(tmp_path, timedelta(minutes=10))
    token = sign(ANNA, audience="intake", key=(tmp_path / keys.TOKEN_KEY).read_text())
    assert verify(token, audience="intake", key=ring) == ANNA
    with pytest.raises(NotAuthorizedException):  # an unchanged file is not read again at once
        verify(stranger, audience="intake", key=ring)


def test_the_middleware_accepts_old_and_new_keys_in_the_overlap():
    (old, old_public), (new, new_public) = new_key_pair(), new_key_pair()

    @get("/me", sync_to_thread=False)
    def me(request: Request[Caller, str, object]) -> str:
        return request.user.account_id

    ring = KeyRing.parse(new_public + old_public)
    middleware = DefineMiddleware(ServiceTokenMiddleware, audience="intake", key=ring)
    with create_test_client([me], middleware=[middleware]) as client:
        for private in (old, new):
            headers = {"authorization": f"Bearer {sign(ANNA, audience='intake', key=private)}"}
            assert client.get("/me", headers=headers).text == "a1"
        stranger = sign(ANNA, audience="intake", key=new_key_pair()[0])
        assert client.get("/me", headers={"authorization": f"Bearer {stranger}"}).status_code == 401


def test_the_command_rotates_and_says_until_when_the_old_key_counts(tmp_path, capsys):
    assert main(["keys", "rotate", "--data-dir", str(tmp_path)]) == 1  # nothing to rotate yet
    child_envs(BASE, tmp_path)
    assert main(["keys", "rotate", "--data-dir", str(tmp_path), "--overlap", "120"]) == 0
    said = capsys.readouterr().out
    assert "New signing key" in said and "accepted until" in said and "switches" in said


def test_a_running_pwa_signs_with_the_new_key_once_rotated_and_services_follow(tmp_path, monkeypatch):
    monkeypatch.setattr(tokens, "REREAD_SECONDS", 0.0)
    envs = child_envs(BASE, tmp_path)
    pwa = Settings.from_env("pwa", envs["pwa"])
    service = Settings.from_env("intake", envs["intake"])
    assert pwa.token_private_key_file == str(tmp_path / keys.TOKEN_KEY)
    assert service.token_public_key_file == str(tmp_path / keys.PUBLIC_KEYS)
    signer = tokens.SigningKey(tokens.private_key(pwa.token_private_key), Path(pwa.token_private_key_file))
    ring = KeyRing.from_file(Path(service.token_public_key_file))
    before = signer.current()
    new_kid, old_kid, _ = keys.rotate(tmp_path, timedelta(minutes=10))
    after = signer.current()
    assert key_id(before.public_key()) == old_kid and key_id(after.public_key()) == new_kid
    for key in (before, after):  # both verify in the overlap, the new one after one re-read
        assert verify(sign(ANNA, audience="intake", key=key), audience="intake", key=ring) == ANNA
