"""`secpool up` gives each process its environment: the pwa the signing key, the services only
the public key, whatever the launcher itself was started with."""

import json

from services.cli.up import SERVICES, child_envs
from services.platform.settings import Settings
from services.platform.tokens import Caller, new_key_pair, sign, verify

BASE = {"DATABASE_URL": "postgresql://x/y", "NATS_URL": "nats://127.0.0.1:1", "PATH": "/usr/bin"}


def test_the_key_pair_is_made_once_and_kept_for_the_owner_only(tmp_path):
    first = child_envs(BASE, tmp_path)
    key_file = tmp_path / "token-key.pem"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert first["pwa"]["SECPOOL_TOKEN_PRIVATE_KEY_FILE"] == str(key_file)
    assert child_envs(BASE, tmp_path) == first  # a restart keeps the key: sessions and links survive


def test_every_process_gets_the_metrics_token_as_a_file_made_once(tmp_path):
    envs = child_envs(BASE, tmp_path)
    token_file = tmp_path / "metrics-token"
    assert token_file.stat().st_mode & 0o777 == 0o600 and len(token_file.read_text()) >= 32
    for name in (*SERVICES, "pwa"):
        assert envs[name]["SECPOOL_METRICS_TOKEN_FILE"] == str(token_file)
        assert Settings.from_env(name, envs[name]).metrics_token == token_file.read_text()
    (tmp_path / "other").mkdir()
    given = child_envs({**BASE, "SECPOOL_METRICS_TOKEN": "mine-" + "x" * 30}, tmp_path / "other")
    assert (
        given["intake"]["SECPOOL_METRICS_TOKEN"] == "mine-" + "x" * 30
        and "SECPOOL_METRICS_TOKEN_FILE" not in given["intake"]
    )


def test_a_service_environment_holds_no_private_key_even_when_the_launcher_had_one(tmp_path):
    private, public = new_key_pair()
    given = {**BASE, "SECPOOL_TOKEN_PRIVATE_KEY": private, "SECPOOL_TOKEN_SECRET": "old-shared-secret"}
    envs = child_envs(given, tmp_path)
    assert not (tmp_path / "token-key.pem").exists()  # the given key is used, none is made
    for name in SERVICES:
        env = envs[name]
        assert not any(k.startswith("SECPOOL_TOKEN_PRIVATE_KEY") or k == "SECPOOL_TOKEN_SECRET" for k in env)
        assert private.strip() not in "\n".join(env.values())
        settings = Settings.from_env(name, env)  # a service starts with what it was given
        token = sign(Caller(account_id="a1"), audience=name, key=private)
        assert verify(token, audience=name, key=settings.token_public_key).account_id == "a1"
    pwa = Settings.from_env("pwa", envs["pwa"])
    assert pwa.token_private_key == private.strip() and pwa.token_public_key == public
    assert "SECPOOL_TOKEN_SECRET" not in envs["pwa"]


def test_each_process_gets_its_own_nats_user_and_no_other(tmp_path):
    from services.cli import nats_users

    users = nats_users.passwords(tmp_path)
    assert (tmp_path / nats_users.USERS_FILE).stat().st_mode & 0o777 == 0o600
    assert nats_users.passwords(tmp_path) == users  # made once
    envs = child_envs({**BASE, "NATS_URL": "nats://127.0.0.1:4222,nats://127.0.0.1:4223"}, tmp_path, users)
    for name, env in envs.items():
        assert (
            env["NATS_URL"] == f"nats://{name}:{users[name]}@127.0.0.1:4222,nats://{name}:{users[name]}@127.0.0.1:4223"
        )
        others = [password for user, password in users.items() if user != name]
        assert not any(password in value for value in env.values() for password in others), name


def test_each_process_gets_its_own_postgres_role_and_no_other(tmp_path):
    from services.cli import pg_roles

    made = pg_roles.passwords(tmp_path)
    assert (tmp_path / pg_roles.ROLES_FILE).stat().st_mode & 0o777 == 0o600
    assert pg_roles.passwords(tmp_path) == made  # made once
    admin = "postgresql://postgres:superuser-secret@127.0.0.1:5999/secpool"
    given = {**BASE, "DATABASE_URL": admin, "SECPOOL_PWA_DB_PASSWORD": made["pwa"]}
    given |= {f"SECPOOL_{n.upper()}_DATABASE_URL": url for n, url in pg_roles.urls(admin, made).items()}
    envs = child_envs(given, tmp_path, None, pg_roles.urls(admin, made))
    for name, env in envs.items():
        assert env["DATABASE_URL"] == f"postgresql://secpool_{name}:{made[name]}@127.0.0.1:5999/secpool"
        others = [password for service, password in made.items() if service != name]
        assert not any(secret in value for value in env.values() for secret in [*others, "superuser-secret"]), name
    # A password removed from the file (to rotate it) is made anew; the others stay.
    (tmp_path / pg_roles.ROLES_FILE).write_text(json.dumps({k: v for k, v in made.items() if k != "pwa"}))
    again = pg_roles.passwords(tmp_path)
    assert again["pwa"] != made["pwa"] and {k: again[k] for k in SERVICES} == {k: made[k] for k in SERVICES}
